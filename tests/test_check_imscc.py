"""check's reader of Common Cartridges: what it does with a whole cartridge
(figures, drift against the .mbz, entry names), and where it looks for the
IMS CC 1.1 XSDs. The cartridge's own rules: tests/test_imscc.py."""
import shutil
import pytest
import zipfile

from resolution_pack.check import imscc
from resolution_pack.check.findings import EditionReport
from test_imscc import mini_cartridge  # noqa: F401  (the fixture)


def test_the_xsds_are_looked_for_beside_the_checkout(tmp_path):
    checkout = tmp_path / "project"
    checkout.mkdir()
    assert imscc.default_xsd(checkout) is None
    folder = tmp_path / "shared" / "xsd" / "imscc-1.1"
    folder.mkdir(parents=True)
    assert imscc.default_xsd(checkout) is None                    # the folder without the schema
    (folder / "cc11libxml2validator.xsd").write_text("<xs:schema/>")
    assert imscc.default_xsd(checkout) == folder


def test_a_cartridge_alone_gives_the_edition_s_figures(mini_cartridge):  # noqa: F811
    report, problems = EditionReport("fr"), []
    imscc.check(mini_cartridge, "fr", report, problems)
    assert problems == []
    # the mini course: 16 exercises and 6 formative activities in its two editions (course.yaml)
    assert (report.figures["exercises"], report.figures["formative_activities"]) == (8, 3)


def test_a_cartridge_against_the_mbz_and_a_junk_entry(mini_cartridge, tmp_path):  # noqa: F811
    report, problems = EditionReport("fr"), []
    report.activities_by_type["quiz"] = 2                          # an .mbz was read first
    report.figures.update(exercises=9, formative_activities=3)
    copy = tmp_path / "MINI-FR.imscc"
    shutil.copy(mini_cartridge, copy)
    with zipfile.ZipFile(copy, "a") as zf:
        zf.writestr("__MACOSX/._imsmanifest.xml", b"junk")
    imscc.check(copy, "fr", report, problems)
    found = [(p.file, p.rule, p.message) for p in problems]
    assert ("fr/MINI-FR.imscc", "entry-name", "junk entry '__MACOSX/._imsmanifest.xml'") in found
    assert ("fr/MINI-FR.imscc", "drift", "exercises: 8, the .mbz has 9") in found


from test_imscc import XSD, _rewrite  # noqa: E402

NEEDS_XSD = "needs the IMS CC 1.1 XSDs in ../shared/xsd/imscc-1.1"


def _found(path, xsd=None):
    found = []
    facts = imscc.read(path, lambda rule, message: found.append((rule, message)), xsd, "fr")
    return facts, found


def _replace(member, old, new):
    def change(name, data):
        if name != member:
            return data
        assert old in data, (member, old)
        return data.replace(old, new)
    return change


CASES = [
    ("no manifest", lambda n, d: None if n == "imsmanifest.xml" else d,
     [("structure", "imsmanifest.xml is missing at the cartridge root")]),
    ("a manifest of no cartridge", _replace("imsmanifest.xml", b'xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"',
                                            b'xmlns="urn:other"'),
     [("manifest", "not a Common Cartridge 1.1 or 1.3 manifest (urn:other)")]),
]


@pytest.mark.parametrize("name, change, found", CASES, ids=[c[0] for c in CASES])
def test_one_change_exactly_these_findings(mini_cartridge, tmp_path, name, change, found):  # noqa: F811
    assert _found(_rewrite(mini_cartridge, tmp_path / "x.imscc", change))[1] == found


def test_an_archive_that_is_no_zip(tmp_path):
    path = tmp_path / "x.imscc"
    path.write_bytes(b"not a zip")
    assert _found(path) == (None, [("archive", "cannot read the archive: File is not a zip file")])


@pytest.mark.skipif(not XSD.is_dir(), reason=NEEDS_XSD)
def test_xsd_validation_through_check_and_its_findings(mini_cartridge, tmp_path):  # noqa: F811
    class Options:
        cc_xsd = XSD
    report, problems = EditionReport("fr"), []
    imscc.check(mini_cartridge, "fr", report, problems, Options())
    assert problems == []
    broken = _rewrite(mini_cartridge, tmp_path / "x.imscc",
                      _replace("imsmanifest.xml", b"<schema>IMS Common Cartridge</schema>", b"<nonsense/>"))
    imscc.check(broken, "fr", EditionReport("fr"), problems, Options())
    assert [(p.rule, p.message.split(":")[0]) for p in problems] == [("xsd", "imsmanifest.xml")]
    assert ":3: Element '{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}nonsense'" in problems[0].message
    links = _rewrite(mini_cartridge, tmp_path / "y.imscc",
                     _replace("links/home.site.xml", b"<title>", b"<nonsense/><title>"))
    assert [r for r, _m in _found(links, XSD)[1]] == ["xsd"]


def test_xsds_that_cannot_be_loaded_are_said_once_and_other_documents_pass(tmp_path):
    from lxml import etree
    found = []
    doc = etree.fromstring(b'<manifest xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"/>')
    assert imscc.validate(doc, "imsmanifest.xml", tmp_path, lambda r, m: found.append((r, m))) is True
    assert imscc.validate(doc, "imsmanifest.xml", tmp_path, lambda r, m: found.append((r, m))) is True
    assert len(found) == 1 and found[0][0] == "xsd"
    assert found[0][1].startswith(f"cannot load cc11libxml2validator.xsd from {tmp_path}: ")
    other = etree.fromstring(b'<html xmlns="http://www.w3.org/1999/xhtml"/>')
    assert imscc.validate(other, "page.html", tmp_path, lambda r, m: found.append((r, m))) is True
    assert len(found) == 1


def test_a_subtitle_track_in_another_language(mini_cartridge, tmp_path):  # noqa: F811
    broken = _rewrite(mini_cartridge, tmp_path / "x.imscc",
                      _replace("pages/part-1.video-1.html", b'srclang="fr"', b'srclang="en"'))
    problems = []
    imscc.check(broken, "fr", EditionReport("fr"), problems)
    assert [(p.file, p.rule, p.message) for p in problems] == [
        ("fr/x.imscc", "language", "I_part-1.video-1: subtitle track in 'en', expected 'fr'")]

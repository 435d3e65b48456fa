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


NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
A11 = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"


def manifest(resources: str, items: str = "") -> bytes:
    return (f'<manifest xmlns="{NS}"><organizations><organization><item identifier="root">{items}</item>'
            f"</organization></organizations><resources>{resources}</resources></manifest>").encode()


def resource(rid, rtype, href=None, files=(), deps=()):
    return (f'<resource identifier="{rid}" type="{rtype}"' + (f' href="{href}"' if href else "") + ">"
            + "".join(f'<file href="{f}"/>' for f in files)
            + "".join(f'<dependency identifierref="{d}"/>' for d in deps) + "</resource>")


PAGE = resource("R_page", "webcontent", "pages/a%20b.html", ["pages/a%20b.html"], ["R_css"])
CSS = resource("R_css", "webcontent", None, ["web_resources/s.css"])
LINK = resource("R_link", "imswl_xmlv1p1", None, ["links/l.xml"])
TOPIC = resource("R_topic", "imsdt_xmlv1p1", None, ["topics/t.xml"])
TEST = resource("R_test", A11, None, ["assessments/t.xml"])
NAMES = {"pages/a b.html", "web_resources/s.css", "links/l.xml", "topics/t.xml", "assessments/t.xml"}

RULE_CASES = [
    ("as the profile says", PAGE + CSS + LINK + TOPIC + TEST, "", []),
    ("a type of CC 1.3 in a 1.1 cartridge", resource("R_x", "imswl_xmlv1p3", None, ["links/l.xml"]), "",
     [("manifest", "resource R_x has type 'imswl_xmlv1p3', not a CC 1.1 type")]),
    ("a resource without type", resource("R_x", "", None, ["links/l.xml"]), "",
     [("manifest", "resource R_x has type '', not a CC 1.1 type")]),
    ("a file listed and not there", resource("R_x", "webcontent", None, ["gone.png"]), "",
     [("files", "imsmanifest.xml lists gone.png, which is not in the cartridge")]),
    ("a dependency on no resource", resource("R_x", "webcontent", None, ["web_resources/s.css"], ["R_none"]), "",
     [("manifest", "resource R_x depends on R_none, which is not a resource")]),
    ("a web link with an href", resource("R_l", "imswl_xmlv1p1", "links/l.xml", ["links/l.xml"]), "",
     [("profile", "resource R_l (imswl_xmlv1p1) must have one file and no href")]),
    ("a topic with two files", resource("R_t", "imsdt_xmlv1p1", None, ["topics/t.xml", "links/l.xml"]), "",
     [("profile", "resource R_t (imsdt_xmlv1p1) must have one file and no href")]),
    ("an assessment without file", resource("R_a", A11), "",
     [("profile", f"resource R_a ({A11}) must have one file and no href")]),
    ("a web link with a dependency", CSS + resource("R_l", "imswl_xmlv1p1", None, ["links/l.xml"], ["R_css"]), "",
     [("profile", "web link R_l must not have dependencies")]),
    ("a dependency on a topic", TOPIC + resource("R_x", "webcontent", None, ["web_resources/s.css"], ["R_topic"]), "",
     [("profile", "resource R_x depends on R_topic, a imsdt_xmlv1p1")]),
    ("a dependency on itself", resource("R_x", "webcontent", None, ["web_resources/s.css"], ["R_x"]), "",
     [("profile", "resource R_x depends on itself")]),
    ("a file twice", resource("R_x", "webcontent", None, ["web_resources/s.css"] * 2), "",
     [("profile", "resource R_x lists a file or a dependency twice")]),
    ("a dependency twice", CSS + resource("R_x", "webcontent", None, ["links/l.xml"], ["R_css", "R_css"]), "",
     [("profile", "resource R_x lists a file or a dependency twice")]),
    ("an href not among the files", resource("R_x", "webcontent", "pages/a%20b.html", ["web_resources/s.css"]), "",
     [("profile", "resource R_x has href pages/a b.html but no such file")]),
    ("an item that links a resource and holds items", CSS,
     '<item identifier="I_1" identifierref="R_css"><item identifier="I_2"/></item>',
     [("profile", "item I_1 links a resource and holds items")]),
    ("an item that holds items, no resource", CSS, '<item identifier="I_1"><item identifier="I_2"/></item>', []),
]


@pytest.mark.parametrize("name, resources, items, found", RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_the_manifest_and_profile_rules(name, resources, items, found):
    from lxml import etree
    root = etree.fromstring(manifest(resources, items))
    facts, problems = imscc.Cartridge(version="1.1"), []
    collect = lambda rule, message: problems.append((rule, message))  # noqa: E731
    listed = imscc._resources(root, "{" + NS + "}", NAMES, facts, collect)
    imscc._profile_rules(root, "{" + NS + "}", listed, collect)
    assert problems == found


def test_resources_are_read_with_their_files_and_counted_by_type():
    from lxml import etree
    facts = imscc.Cartridge(version="1.1")
    listed = imscc._resources(etree.fromstring(manifest(PAGE + CSS + LINK + resource("R_l2", "imswl_xmlv1p1", None,
                                                                                      ["links/l.xml"]))),
                              "{" + NS + "}", NAMES, facts, lambda *a: None)
    assert listed["R_page"] == ("webcontent", "pages/a b.html", ["pages/a b.html"], ["R_css"])   # %20 read back
    assert listed["R_css"] == ("webcontent", None, ["web_resources/s.css"], [])
    assert facts.resources_by_type == {"webcontent": 2, "imswl_xmlv1p1": 2}

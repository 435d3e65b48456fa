"""check's reader of Common Cartridges: what it does with a whole cartridge
(figures, drift against the .mbz, entry names), and where it looks for the
IMS CC 1.1 XSDs. The cartridge's own rules: tests/test_imscc.py."""
import shutil
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

"""check's rules on small inputs, table-driven with exact results."""
import hashlib
import json

import pytest

from resolution_pack.check.expected import Expected, compare, expected, manifest_problems
from resolution_pack.check.findings import EditionReport, as_dict, check_name, finding
from resolution_pack.errors import InputError


@pytest.mark.parametrize("name, found", [
    ("activities/page_1/page.xml", []), ("files/ab/abcdef", []), ("dir/", []),
    ("/etc/passwd", ["unsafe entry name '/etc/passwd'"]), ("../up.xml", ["unsafe entry name '../up.xml'"]),
    ("a/../../b", ["unsafe entry name 'a/../../b'"]), ("back\\slash", ["unsafe entry name 'back\\\\slash'"]),
    ("C:/win.xml", ["unsafe entry name 'C:/win.xml'"]), ("nul\x00.xml", ["unsafe entry name 'nul\\x00.xml'"]),
    (".DS_Store", ["junk entry '.DS_Store'"]), ("a/__MACOSX/b", ["junk entry 'a/__MACOSX/b'"]),
    ("Thumbs.db", ["junk entry 'Thumbs.db'"]), ("x/desktop.ini", ["junk entry 'x/desktop.ini'"]),
    (".git/config", ["junk entry '.git/config'"]), ("a/.svn/", ["junk entry 'a/.svn/'"]),
    ("page.xml~", ["junk entry 'page.xml~'"]), ("a.swp", ["junk entry 'a.swp'"]), ("b.bak", ["junk entry 'b.bak'"]),
    ("c.orig", ["junk entry 'c.orig'"]), ("my.gitignore", []), ("bakery.xml", []), ("origin/x", []),
])
def test_entry_names(name, found):
    problems = []
    check_name(name, "fr", "X.mbz", problems)
    assert [p.message for p in problems] == found
    assert all((p.file, p.rule) == ("fr/X.mbz", "entry-name") for p in problems)


def test_a_finding_is_a_problem_of_its_archive():
    p = finding("fr", "scorm/a.zip", "files", "gone")
    assert str(p) == "fr/scorm/a.zip: [files] gone"
    assert as_dict(p) == {"edition": "fr", "archive": "scorm/a.zip", "rule": "files", "message": "gone"}
    assert str(finding("all", "", "count", "x")) == "all: [count] x"
    assert as_dict(finding("all", "", "count", "x")) == {"edition": "all", "archive": "", "rule": "count",
                                                          "message": "x"}


def reports(**figures_by_lang):
    out = {}
    for lang, figures in figures_by_lang.items():
        report = EditionReport(lang)
        report.figures.update(figures)
        out[lang] = report
    return out


@pytest.mark.parametrize("found, per_edition, total, with_total, problems, totals", [
    ({"fr": {"exercises": 2}, "en": {"exercises": 2}}, {"exercises": 2}, {"exercises": 4}, True, [], 4),
    ({"fr": {"exercises": 2}, "en": {"exercises": 3}}, {"exercises": 2}, {"exercises": 4}, True,
     ["en: [count] exercises: expected 2, found 3", "all: [count] exercises: expected 4, found 5"], 5),
    ({"fr": {"exercises": 2}}, {"exercises": 2}, {"exercises": 4}, False, [], 2),
    ({"fr": {"exercises": 1}}, {}, {"exercises": 4}, True, ["all: [count] exercises: expected 4, found 1"], 1),
    ({"fr": {"exercises": 1}}, {"nosuch": 1}, {}, True, ["fr: [count] nosuch: expected 1, found None"], 1),
    ({}, {"exercises": 1}, {"exercises": 4}, True, [], None),
])
def test_compare(found, per_edition, total, with_total, problems, totals):
    got_total, got = compare(reports(**found), Expected(per_edition, total), with_total)
    assert [str(p) for p in got] == problems
    assert got_total.get("exercises") == totals


def write_manifest(build, files, expected_block=None):
    state = build / ".resolution-pack"
    state.mkdir(parents=True)
    data = {"files": files}
    if expected_block is not None:
        data["expected"] = expected_block
    (state / "manifest.json").write_text(json.dumps(data))
    return data


def test_manifest_problems(tmp_path):
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "A.mbz").write_bytes(b"abc")
    (tmp_path / "fr" / "B.mbz").write_bytes(b"changed")
    files = {"fr/A.mbz": {"size": 3, "sha256": hashlib.sha256(b"abc").hexdigest()},
             "fr/B.mbz": {"size": 3, "sha256": hashlib.sha256(b"old").hexdigest()},
             "fr/C.mbz": {"size": 1, "sha256": "0"}, "en/D.mbz": {}, "fr/E.mbz": {}}
    (tmp_path / "fr" / "E.mbz").write_bytes(b"no hash recorded: only its presence is checked")
    found = manifest_problems(tmp_path, {"files": files}, None)
    assert [str(p) for p in found] == ["en/D.mbz: [manifest] written by the build but missing",
                                       "fr/B.mbz: [manifest] not the bytes the build wrote (changed since)",
                                       "fr/C.mbz: [manifest] written by the build but missing"]
    assert [str(p) for p in manifest_problems(tmp_path, {"files": files}, ["en"])] == \
        ["en/D.mbz: [manifest] written by the build but missing"]
    assert manifest_problems(tmp_path, {}, None) == []


def test_expected_from_the_manifest_or_the_sources(tmp_path):
    build = tmp_path / "build"
    manifest = write_manifest(build, {}, {"per_edition": {"exercises": 2}, "total": {"exercises": 4},
                                          "languages": ["it", "fr"], "source_language": "it"})
    e = expected(build, None, manifest)
    assert (e.per_edition, e.total, e.languages, e.source_language, e.origin) == \
        ({"exercises": 2}, {"exercises": 4}, ["it", "fr"], "it", str(build / ".resolution-pack" / "manifest.json"))
    manifest["expected"]["counted_from_sources"] = True
    assert expected(build, None, manifest).origin.endswith(
        "manifest.json (counted from the sources: course.yaml has no 'expected')")
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "course.yaml").write_text("languages: [fr, de]\nsource_language: de\n"
                                         "expected: {per_edition: {projects: 3}}\n")
    e = expected(build, sources, manifest)     # --sources wins over the manifest
    assert (e.per_edition, e.total, e.languages, e.source_language) == ({"projects": 3}, {}, ["fr", "de"], "de")
    for text, message in [("expected: {}\n", "no expected figures ('expected' is empty or missing)"),
                          ("- a list\n", "no expected figures ('expected' is empty or missing)"),
                          ("key: [unclosed\n", "cannot be read: ")]:
        (sources / "course.yaml").write_text(text)
        with pytest.raises(InputError) as info:
            expected(build, sources, None)
        assert info.value.problems[0].message.startswith(message)
    with pytest.raises(InputError) as info:
        expected(build, None, {"files": {}})
    assert info.value.problems[0].message.startswith("no expected figures: the folder holds no manifest of a build")

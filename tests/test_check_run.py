"""`check` on a small hand-written build folder (the .mbz and SCORM package
of test_check_mbz and test_check_scorm in two editions): exactly what it
prints, its JSON, its exit status."""
import json
import shutil

import pytest

from resolution_pack import check
from test_check_mbz import backup, write
from test_check_scorm import package


def build(tmp_path, expected, langs=("fr", "en")):
    out = tmp_path / "build"
    for lang in langs:
        (out / lang / "scorm").mkdir(parents=True)
        files = backup()
        files["course/course.xml"] = files["course/course.xml"].replace(b"<lang>en", f"<lang>{lang}".encode())
        for page in ("activities/page_10/page.xml", "activities/page_12/page.xml"):
            files[page] = files[page].replace(b'srclang="en', f'srclang="{lang}'.encode())
        mbz = write(tmp_path, files)
        shutil.move(mbz, out / lang / f"C-{lang.upper()}.mbz")
        zip_path = package(tmp_path, **{"index.html": '<p data-question-id="q01" data-kind="exercise">x</p>'})
        shutil.move(zip_path, out / lang / "scorm" / f"part-1-{lang}.zip")
    (out / ".resolution-pack").mkdir()
    (out / ".resolution-pack" / "manifest.json").write_text(json.dumps({"files": {}, "expected": expected}))
    return out


EXPECTED = {"per_edition": {"projects": 1, "exercises": 1, "mooc_videos": 1}, "total": {"exercises": 2},
            "languages": ["fr", "en"], "source_language": "fr"}


def run(out, **options):
    lines = []
    status = check.run(out, echo=lines.append, **options)
    return status, "\n".join(lines).splitlines()


def test_a_good_build(tmp_path):
    out = build(tmp_path, EXPECTED)
    status, lines = run(out, xsd=None)
    manifest = out / ".resolution-pack" / "manifest.json"
    assert status == 1       # the English titles are the French ones: untranslated
    assert lines[0] == ("Counted in each edition's archives, their total, and the expected figures (per edition / "
                        f"all editions) from {manifest}:")
    assert lines[1:] [:10] == [
        "figure                      fr      en   total        expected",
        "--------------------------------------------------------------",
        "projects                     1       1       2           1 / -",
        "tutorial_videos              1       1       2                ",
        "subtitle_files               1       1       2                ",
        "mooc_videos                  1       1       2           1 / -",
        "evaluation_phases            1       1       2                ",
        "exercises                    1       1       2           1 / 2",
        "formative_activities         0       0       0                ",
        "files in the .mbz            3       3"]
    assert lines[-2:] == ["en: [language] 4 of 4 activity titles are the same as in the fr edition: untranslated?",
                          "check: 1 problem(s)"]


def test_one_edition_with_lang_and_json(tmp_path):
    out = build(tmp_path, EXPECTED)
    status, lines = run(out, langs=("en",), as_json=True, xsd=None)
    data = json.loads("\n".join(lines))
    assert status == 0
    assert (list(data["editions"]), data["total"]["exercises"], data["total_compared"], data["problems"]) == \
        (["en"], 1, False, [])
    assert data["editions"]["en"]["course_lang"] == "en"
    assert data["expected"]["source_language"] == "fr"


def test_figures_that_differ_and_a_missing_edition(tmp_path):
    out = build(tmp_path, dict(EXPECTED, per_edition={"exercises": 2}, total={"exercises": 3},
                               languages=["fr", "en", "de"], source_language=""), langs=("fr", "en"))
    status, lines = run(out, xsd=None)
    assert status == 1
    assert lines[-5:] == ["de: [structure] no folder for this edition of the course",
                          "fr: [count] exercises: expected 2, found 1",
                          "en: [count] exercises: expected 2, found 1",
                          "all: [count] exercises: expected 3, found 2",
                          "check: 4 problem(s)"]


def test_a_folder_with_no_edition(tmp_path):
    out = tmp_path / "build"
    (out / ".resolution-pack").mkdir(parents=True)
    (out / ".resolution-pack" / "manifest.json").write_text(json.dumps(
        {"files": {}, "expected": {"per_edition": {"exercises": 1}}}))
    status, lines = run(out, xsd=None)
    assert (status, lines[-2:]) == (1, [f"{out}: [structure] no edition found (run resolution-pack build first)",
                                        "check: 1 problem(s)"])


def test_the_expected_figures_from_sources_override_the_manifest(tmp_path):
    out = build(tmp_path, EXPECTED)
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "course.yaml").write_text("languages: [fr]\nsource_language: fr\nexpected: {per_edition: {projects: 2}}\n")
    status, lines = run(out, sources=sources, xsd=None)
    assert (status, lines[-2:]) == (1, ["fr: [count] projects: expected 2, found 1", "check: 1 problem(s)"])


def test_without_xsds_a_note_says_so(tmp_path, monkeypatch):
    out = build(tmp_path, EXPECTED)
    monkeypatch.setattr("resolution_pack.scorm_xsd.default_folder", lambda: None)
    _status, lines = run(out)
    assert lines[-3] == ("note: SCORM manifests were not validated against ADL's XSDs (not found; pass --scorm-xsd "
                         "DIR or run tests/install-test-deps.sh)")

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


def test_a_folder_that_is_not_there_or_not_a_folder_is_bad_input(tmp_path):
    from resolution_pack.errors import InputError
    with pytest.raises(InputError) as missing:
        check.run(tmp_path / "nowhere", echo=lambda _line: None)
    (problem,) = missing.value.problems
    assert (problem.file, problem.message, problem.fix) == (
        str(tmp_path / "nowhere"), "no such folder", "name the folder `resolution-pack build` wrote (default: build)")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError) as a_file:
        check.run(tmp_path / "file", echo=lambda _line: None)
    assert a_file.value.problems[0].message == "is not a folder"


def test_a_lang_the_course_does_not_have_is_bad_input(tmp_path):
    from resolution_pack.errors import InputError
    out = build(tmp_path, EXPECTED)
    with pytest.raises(InputError) as error:
        run(out, langs=("de",), xsd=None)
    (problem,) = error.value.problems
    assert (problem.file, problem.message, problem.fix) == (
        str(out / ".resolution-pack" / "manifest.json"), "--lang de: the course has no such edition", "use one of fr, en")


def test_a_build_of_one_edition_is_checked_as_built(tmp_path):
    out = build(tmp_path, EXPECTED, langs=("fr",))
    manifest = out / ".resolution-pack" / "manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(dict(data, editions={"fr": {}})))
    status, lines = run(out, as_json=True, xsd=None)
    result = json.loads("\n".join(lines))
    assert (status, list(result["editions"]), result["total_compared"], result["problems"]) == (0, ["fr"], False, [])
    manifest.write_text(json.dumps(dict(data, editions={"fr": {}, "en": {}})))   # en was built, and is gone
    status, lines = run(out, xsd=None)
    assert (status, lines[-3:]) == (1, ["en: [structure] no folder for this edition of the course",
                                        "all: [count] exercises: expected 2, found 1", "check: 2 problem(s)"])


def test_scorm_and_mbz_questions_drift(tmp_path):
    """The .mbz has exercise q01 and no formative question; the package shows
    q01, q02 and q03 as exercises and f1 as formative, and not q01 in the
    second edition."""
    out = build(tmp_path, EXPECTED, langs=("fr",))
    pages = "".join(f'<p data-question-id="{q}" data-kind="{kind}">x</p>'
                    for q, kind in (("q01", "exercise"), ("q03", "exercise"), ("q02", "exercise"), ("f1", "formative")))
    zip_path = package(tmp_path, **{"index.html": pages})
    shutil.move(zip_path, out / "fr" / "scorm" / "part-1-fr.zip")
    reports, problems = check.analyse(out, None, ["fr"], "fr")
    assert [(p.file, p.rule, p.message) for p in problems] == [
        ("fr/scorm", "drift", "2 exercise question(s) in SCORM but not in the .mbz: q02, q03"),
        ("fr/scorm", "drift", "1 formative question(s) in SCORM but not in the .mbz: f1")]
    zip_path = package(tmp_path, **{"index.html": '<p data-question-id="q09" data-kind="exercise">x</p>'})
    shutil.move(zip_path, out / "fr" / "scorm" / "part-1-fr.zip")
    _reports, problems = check.analyse(out, None, ["fr"], "fr")
    assert [p.message for p in problems] == ["1 exercise question(s) in the .mbz but in no SCORM package: q01",
                                             "1 exercise question(s) in SCORM but not in the .mbz: q09"]


def test_only_language_named_folders_are_editions_and_an_empty_one_is_a_problem(tmp_path):
    out = build(tmp_path, EXPECTED, langs=("fr",))
    for name in ("media", "Fr", "scorm", "fr-CA", "x"):
        (out / name).mkdir()
    (out / "pt_BR").mkdir()
    (out / "hu").mkdir()
    reports, problems = check.analyse(out, None)
    assert list(reports) == ["fr", "hu", "pt_BR"]
    assert [(p.file, p.rule, p.message) for p in problems] == [("hu", "structure", "no archive"),
                                                               ("pt_BR", "structure", "no archive")]


def test_an_edition_is_untranslated_above_one_title_in_ten(tmp_path):
    """Ten activity titles, one the same as the source edition's: a proper
    name, allowed; two: reported."""
    from resolution_pack.check import EditionReport, _untranslated
    source, other = EditionReport("fr"), EditionReport("en")
    source.titles = [f"titre {n}" for n in range(10)]
    other.titles = ["titre 0"] + [f"title {n}" for n in range(1, 10)]
    problems = []
    _untranslated({"fr": source, "en": other}, problems, "fr")
    assert problems == []
    other.titles[1] = "titre 1"
    _untranslated({"fr": source, "en": other}, problems, "fr")
    assert [(p.file, p.rule, p.message) for p in problems] == [
        ("en", "language", "2 of 10 activity titles are the same as in the fr edition: untranslated?")]
    problems = []
    _untranslated({"fr": source, "en": other}, problems, "")          # no source language known: nothing said
    _untranslated({"en": other}, problems, "fr")                      # the source edition not read: nothing said
    assert problems == []


def test_a_good_edition_says_ok_and_the_json_is_sorted_and_indented(tmp_path, monkeypatch):
    monkeypatch.setattr("resolution_pack.scorm_xsd.default_folder", lambda: None)
    monkeypatch.setattr("resolution_pack.check.imscc.default_xsd", lambda: None)
    out = build(tmp_path, EXPECTED)
    status, lines = run(out, langs=("fr",))
    assert (status, lines[-1]) == (0, "check: ok")
    status, lines = run(out, langs=("fr",), as_json=True)
    text = "\n".join(lines)
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True)
    assert (data["scorm_xsd_validated"], data["cc_xsd_validated"]) == (False, False)
    status, lines = run(out, langs=("fr",), as_json=True, xsd=tmp_path, cc_xsd=tmp_path)
    data = json.loads("\n".join(lines))
    assert (data["scorm_xsd_validated"], data["cc_xsd_validated"]) == (True, True)


def test_the_xsds_found_are_the_ones_used(tmp_path, monkeypatch):
    seen = []
    real = check.analyse

    def analyse(build_dir, schemas=None, langs=None, source_language="", cc_xsd=None):
        seen.append((schemas, cc_xsd, langs, source_language))
        return real(build_dir, None, langs, source_language, None)
    monkeypatch.setattr(check, "analyse", analyse)
    monkeypatch.setattr("resolution_pack.scorm_xsd.default_folder", lambda: tmp_path / "adl")
    monkeypatch.setattr("resolution_pack.check.imscc.default_xsd", lambda: tmp_path / "cc")
    out = build(tmp_path, EXPECTED)
    run(out)
    run(out, xsd=tmp_path / "mine", cc_xsd=tmp_path / "my-cc", langs=("en",))
    assert seen == [(tmp_path / "adl", tmp_path / "cc", ["fr", "en"], "fr"),
                    (tmp_path / "mine", tmp_path / "my-cc", ["en"], "fr")]


def test_a_cartridge_unvalidated_is_noted_and_an_archive_gone_or_changed_is_found(tmp_path, monkeypatch):
    monkeypatch.setattr("resolution_pack.check.imscc.default_xsd", lambda: None)
    out = build(tmp_path, EXPECTED, langs=("fr",))
    manifest = out / ".resolution-pack" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["expected"]["languages"] = ["fr"]
    data["files"] = {"fr/C-FR.mbz": {"sha256": "0" * 64}, "fr/gone.imscc": {"sha256": "1" * 64},
                     "en/C-EN.mbz": {"sha256": "2" * 64}}
    manifest.write_text(json.dumps(data))
    (out / "fr" / "x.imscc").write_bytes(b"")
    _status, lines = run(out, xsd=None)
    assert "note: Common Cartridges were not validated against the IMS CC 1.1 XSDs (not found; pass --cc-xsd DIR, " \
           "the folder of cc11libxml2validator.xsd)" in lines
    assert [line for line in lines if "[manifest]" in line] == [
        "fr/C-FR.mbz: [manifest] not the bytes the build wrote (changed since)",
        "fr/gone.imscc: [manifest] written by the build but missing"]
    _status, lines = run(out, xsd=None, cc_xsd=tmp_path)
    assert not any(line.startswith("note: Common Cartridges") for line in lines)

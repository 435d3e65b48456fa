"""resolution-pack import: Moodle backups back into sources and PO files.

The round trips run everywhere on our own builds; the tests on backups that
real Moodle sites wrote read ../shared/reference and skip where it is absent.
"""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from resolution_pack.build import BuildOptions, build, prepare
from resolution_pack.check import analyse
from resolution_pack.cli import main

from conftest import MINI, REFERENCE
from import_helpers import course_shape, members, normal

MOODLE_WRITTEN = REFERENCE / "moodle-written"
REFERENCE_MBZ = REFERENCE / "moodle45-reference-course.mbz"
MOODLE51_FR = REFERENCE / "moodle51-written" / "RESOLUTION-FR.mbz"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


def build_into(sources: Path, out: Path, langs=()) -> dict:
    build(BuildOptions(sources=sources, out=out, langs=tuple(langs), jobs=1, use_cache=False))
    reports, problems = analyse(out)
    assert not problems, problems
    return {lang: r.figures for lang, r in reports.items()}


@pytest.fixture(scope="module")
def mini_built(tmp_path_factory):
    out = tmp_path_factory.mktemp("mini") / "build"
    figures = build_into(MINI, out)
    return out, figures


@pytest.fixture(scope="module")
def mini_imported(mini_built, tmp_path_factory):
    out, _figures = mini_built
    target = tmp_path_factory.mktemp("imported") / "sources"
    result = run("import", out / "fr" / "MINI-FR.mbz", out / "en" / "MINI-EN.mbz", "--out", target)
    assert result.exit_code == 0, result.output
    return target, result.output


def test_round_trip_gives_the_same_figures(mini_built, mini_imported, tmp_path):
    _out, figures = mini_built
    sources, _output = mini_imported
    assert run("validate", sources).exit_code == 0
    again = build_into(sources, tmp_path / "again")
    assert again == figures
    assert figures["fr"] == {"projects": 1, "tutorial_videos": 3, "subtitle_files": 3, "mooc_videos": 1,
                             "evaluation_phases": 1, "exercises": 8, "formative_activities": 3}


def test_round_trip_texts_and_questions_equal_field_by_field(mini_imported):
    """Every section, item, question (answers, fractions, feedback, hints),
    project and their texts, in each language, after HTML normalisation."""
    sources, _output = mini_imported
    _c, original, _w = prepare(BuildOptions(sources=MINI, langs=("fr", "en"), allow_incomplete=True))
    _c, imported, _w = prepare(BuildOptions(sources=sources, langs=("fr", "en")))
    for lang in ("fr", "en"):
        want, got = course_shape(original[lang], MINI), course_shape(imported[lang], sources)
        for a, b in zip(want["sections"], got["sections"]):
            assert a == b
        assert want == got


def test_the_english_po_file_is_complete_and_extract_gives_the_same_template(mini_imported, tmp_path):
    sources, output = mini_imported
    po = polib.pofile(str(sources / "locale" / "en.po"))
    pot = polib.pofile(str(sources / "locale" / "mini.pot"))
    assert po.percent_translated() == 100 and not po.fuzzy_entries()
    assert [(e.msgctxt, e.msgid) for e in po] == [(e.msgctxt, e.msgid) for e in pot]
    assert f"en.po: {len(pot)} translated, 0 untranslated" in output
    assert po.find("Bienvenue", msgctxt="home.welcome:title").msgstr == "EN Bienvenue"
    # every translation the fixture's en.po gives comes back for the same context and text
    given = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(MINI / "locale" / "en.po"))
             if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
    back = {(e.msgctxt, e.msgid): e.msgstr for e in po}
    same = [key for key in given if key in back]
    assert [key for key in same if given[key] != back[key]] == []
    # what does not come back under the same key: texts with & or < (Moodle holds them as HTML,
    # &amp;), chapters (Moodle keeps no chapter id: slugs of their titles), the strings only
    # the SCORM player and the PDF sheets use (not in a Moodle backup), those the Moodle
    # target builds names and quiz feedback from (not read back), and the name of the question bank
    # module a 5.x backup has (the mini course is built for 4.5 here)
    assert sorted(ctx for ctx, _ in set(given) - set(same)) == [
        "home.notice:text", "home:summary", "p01:implementation", "part-1.documents.practices:body",
        "part-1.documents.practices:title", "part-1.documents.services:body", "part-1.documents.services:title",
        "ui.check:ui", "ui.erasmus_notice:ui", "ui.feedback_not_yet:ui", "ui.feedback_passed:ui",
        "ui.name_in_group:ui", "ui.platform_name:ui", "ui.project_overview:ui", "ui.question_bank:ui", "ui.sheet_pdf:ui",
        "ui.your_score:ui"]
    assert normal(back[("home:summary", "Bienvenue &amp; bonne <em>visite</em>.")]) == \
        normal(given[("home:summary", "Bienvenue & bonne <em>visite</em>.")])
    copy = tmp_path / sources.name
    shutil.copytree(sources, copy)
    before = (copy / "locale" / "mini.pot").read_bytes()
    assert run("i18n", "extract", "--sources", copy).exit_code == 0
    assert (copy / "locale" / "mini.pot").read_bytes() == before


def test_importing_twice_gives_the_same_bytes(mini_built, mini_imported, tmp_path):
    out, _f = mini_built
    first, _output = mini_imported
    second = tmp_path / first.name
    assert run("import", out / "fr" / "MINI-FR.mbz", out / "en" / "MINI-EN.mbz", "--out", second).exit_code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_ids_come_from_idnumbers(mini_imported):
    sources, _output = mini_imported
    course = json.loads(json.dumps(__import__("yaml").safe_load((sources / "course.yaml").read_text("utf-8"))))
    assert course["sections"] == ["home", "part-1", "tutorials", "toolbox"]
    assert course["projects"] == ["p01"]
    assert (sources / "projects" / "p01.yaml").is_file()


def test_nothing_is_reported_for_our_own_course(mini_imported):
    sources, output = mini_imported
    report = (sources / "IMPORT-REPORT.md").read_text("utf-8")
    assert "Findings: none" in output and "Findings: none" in report
    assert "Nothing about people was read" in report


# ---- real Moodle backups ---------------------------------------------------------

def _need(path: Path):
    if not path.exists():
        pytest.skip(f"{path} is absent (the Moodle-written backups live in ../shared/reference)")


def _modules(mbz: Path) -> Counter:
    names = members(mbz)
    backup = etree.fromstring(names["moodle_backup.xml"])
    return Counter(a.findtext("modulename") for a in backup.iterfind("information/contents/activities/activity"))


def _qtypes(mbz: Path) -> Counter:
    names = members(mbz)
    doc = etree.fromstring(names["questions.xml"])
    return Counter(q.findtext("qtype") for q in doc.iter("question"))


def test_the_moodle_reference_course_imports_validates_and_builds(tmp_path):
    _need(REFERENCE_MBZ)
    sources = tmp_path / "ref"
    result = run("import", REFERENCE_MBZ, "--out", sources)
    assert result.exit_code == 0, result.output
    assert run("validate", sources).exit_code == 0
    out = tmp_path / "build"
    build(BuildOptions(sources=sources, out=out, jobs=1, use_cache=False))
    rebuilt = out / "fr" / "REF45.mbz"
    original = _modules(REFERENCE_MBZ)
    assert original == Counter({"label": 1, "page": 1, "url": 1, "forum": 1, "resource": 1, "folder": 1,
                                "book": 1, "quiz": 2, "lesson": 1, "scorm": 1})
    assert _modules(rebuilt) == original - Counter({"lesson": 1, "scorm": 1})
    assert _qtypes(rebuilt) == _qtypes(REFERENCE_MBZ) == Counter(
        {"multichoice": 3, "truefalse": 2, "match": 1, "shortanswer": 1, "ddwtos": 1, "gapselect": 1, "ordering": 1})
    report = (sources / "IMPORT-REPORT.md").read_text("utf-8")
    assert "- **activity lesson**\n  - fr, section 3 «Évaluation», position 3 «Leçon courte»" in report
    assert "- **activity scorm**\n  - fr, section 4 «Activités interactives», position 1 «Paquet SCORM»" in report
    assert "activity lesson (fr, section 3 «Évaluation», position 3 «Leçon courte»)" in result.output


def test_the_reference_questions_keep_fractions_hints_and_feedback(tmp_path):
    _need(REFERENCE_MBZ)
    sources = tmp_path / "ref"
    assert run("import", REFERENCE_MBZ, "--out", sources).exit_code == 0
    import yaml
    section = yaml.safe_load((sources / "sections" / "evaluation.yaml").read_text("utf-8"))
    test = section["items"][0]
    assert (test["kind"], test["pass_percent"]) == ("evaluation", 70)
    multiple = next(q for q in test["questions"] if q["type"] == "multiple")
    assert [(c["text"], c.get("correct", False), c["fraction"]) for c in multiple["choices"]] == [
        ("One", True, 50), ("Two", False, 0), ("Three", True, 50), ("Four", False, 0)]
    assert multiple["hints"] == [{"text": "Hint 1."}, {"text": "Hint 2.", "clear_wrong": True}]
    assert multiple["partially_correct_feedback"] == "Parts, but only parts, of your response are correct."
    short = next(q for q in test["questions"] if q["type"] == "shortanswer")
    assert [(a["text"], a.get("fraction", 100)) for a in short["answers"]] == [("frog", 100), ("toad", 80), ("*", 0)]
    assert section["items"][1]["kind"] == "activities"


def test_moodle_written_editions_align_by_structure_alone(tmp_path):
    fr, en = MOODLE_WRITTEN / "RESOLUTION-FR-no-idnumbers.mbz", MOODLE_WRITTEN / "RESOLUTION-EN-no-idnumbers.mbz"
    _need(fr)
    sources = tmp_path / "resolution"
    result = run("import", fr, en, "--out", sources)
    assert result.exit_code == 0, result.output
    assert "Findings: none" in result.output
    po = polib.pofile(str(sources / "locale" / "en.po"))
    assert po.percent_translated() == 100 and len(po) > 2500
    assert run("validate", sources).exit_code == 0
    figures = build_into(sources, tmp_path / "build")
    assert figures["en"] == figures["fr"] == {
        "projects": 16, "tutorial_videos": 48, "subtitle_files": 48, "mooc_videos": 15, "evaluation_phases": 4,
        "exercises": 42, "formative_activities": 82}
    # the rebuilt English edition says what Moodle's English backup says
    titles = [a.findtext("title") for a in etree.fromstring(members(en)["moodle_backup.xml"]).iterfind("information/contents/activities/activity")]
    rebuilt = tmp_path / "build" / "en" / "RESOLUTION-EN.mbz"
    assert _names_before_grouping(members(rebuilt)) == titles


def _names_before_grouping(files: dict) -> list[str]:
    """The activity names as the target gave them before it grouped each
    tutorial project under a heading label (the reference backups predate
    it): no heading label, the overview page named by its project, no
    ' – <project>' after a name repeated in the section, the PDF named like
    its sheet ('<title> (PDF sheet)' now)."""
    out, project = [], None
    for a in etree.fromstring(files["moodle_backup.xml"]).iterfind("information/contents/activities/activity"):
        name, directory = a.findtext("title"), a.findtext("directory")
        idnumber = etree.fromstring(files[f"{directory}/module.xml"]).findtext("idnumber") or ""
        if re.fullmatch(r"tutorial\.[a-z0-9-]+", idnumber):          # a project's heading label
            project = name
            continue
        if idnumber.endswith(".overview"):
            name = project
        elif project and idnumber.startswith("tutorial.") and name.endswith(f" – {project}"):
            name = name[: -len(f" – {project}")]
        elif idnumber.endswith(".pdf") and name.endswith(" (PDF sheet)"):
            name = name[: -len(" (PDF sheet)")]
        out.append(name)
    return out


def test_a_moodle_51_backup_reads_its_questions_from_the_qbank_module(tmp_path):
    _need(MOODLE51_FR)
    sources = tmp_path / "resolution"
    result = run("import", MOODLE51_FR, "--out", sources)
    assert result.exit_code == 0, result.output
    assert ("Questions: 10 ddwtos, 12 gapselect, 12 match, 19 multiple, 12 ordering, 13 shortanswer, 24 single, "
            "22 truefalse") in result.output
    assert "question bank module" in (sources / "IMPORT-REPORT.md").read_text("utf-8")
    assert run("validate", sources).exit_code == 0


def test_an_indicative_timeline_date_comes_back_as_indicative(tmp_path):
    """A sheet shows an estimated date as "≈ 2019": the import reads it back as
    `indicative: true` (the real course has 21; reading them as dates failed
    and left every project as plain pages)."""
    sources = tmp_path / "mini"
    shutil.copytree(MINI, sources)
    p01 = sources / "projects" / "p01.yaml"
    p01.write_text(p01.read_text("utf-8").replace('{date: "2019", label:', '{date: "2019", indicative: true, label:'),
                   "utf-8")
    out = tmp_path / "build"
    build(BuildOptions(sources=sources, out=out, langs=("fr",), jobs=1, use_cache=False, targets=("moodle",)))
    result = run("import", out / "fr" / "MINI-FR.mbz", "--out", tmp_path / "imported")
    assert result.exit_code == 0, result.output
    steps = yaml.safe_load((tmp_path / "imported" / "projects" / "p01.yaml").read_text("utf-8"))["timeline"]
    assert [(s["date"], s.get("indicative", False)) for s in steps] == [("2018-03", False), ("2019", True)]

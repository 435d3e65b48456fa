"""Any course, not only ReSolution: projects, expected figures, section roles
and ui.yaml are optional; the POT is named after the course; validate's
summary names only what the course has."""
import re
import tarfile
from pathlib import Path

import polib
from lxml import etree
from click.testing import CliRunner

from resolution_pack.cli import main

COURSE = """\
id: plain-course
title: A plain course
summary: Nothing but a page and a test.
source_language: en
languages: [en]
editions:
  en: {shortname: PLAIN-EN, fullname: A plain course}
sections: [basics]
"""

SECTION = """\
title: Basics
items:
  - kind: page
    id: welcome
    title: Welcome
    parts:
      - heading: Hello
        body: A first page.
  - kind: evaluation
    id: test
    title: Test
    pass_percent: 50
    questions:
      - id: q1
        type: truefalse
        text: The sky is blue.
        answer: true
  - kind: activities
    id: practice
    title: Practice
    behaviour: immediatefeedback
    questions:
      - id: odd
        type: multiple
        text: Which are odd?
        partially_correct_feedback: Some of it.
        hints:
          - {text: Think again.}
          - {text: Count on your fingers., clear_wrong: true, show_num_correct: false}
        choices:
          - {text: One, correct: true, fraction: 50}
          - {text: Two, fraction: 0}
          - {text: Three, correct: true, fraction: 50}
"""


def write_plain(root: Path) -> Path:
    sources = root / "sources"
    (sources / "sections").mkdir(parents=True)
    (sources / "course.yaml").write_text(COURSE, "utf-8")
    (sources / "sections" / "basics.yaml").write_text(SECTION, "utf-8")
    return sources


def test_a_course_without_projects_expected_roles_or_ui_validates(tmp_path):
    sources = write_plain(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(sources)])
    assert result.exit_code == 0, result.output
    # only what the course has: no "0 projects", no "0 tutorial videos"
    summary = result.output.split(": valid ", 1)[1]
    assert summary.startswith("(1 section, 3 items, 1 evaluation phase, 1 exercise, 1 formative activity "
                              "per edition; languages en;")
    assert "project" not in summary and "tutorial" not in summary


def test_a_course_without_projects_builds(tmp_path):
    sources = write_plain(tmp_path)
    out = tmp_path / "build"
    result = CliRunner().invoke(main, ["build", "--sources", str(sources), "--out", str(out), "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    with tarfile.open(out / "en" / "PLAIN-EN.mbz") as tar:
        names = tar.getnames()
    assert sum(1 for n in names if n.endswith("/quiz.xml")) == 2
    assert sum(1 for n in names if n.endswith("/page.xml")) == 1
    assert not (out / "en" / "scorm").exists()      # no MOOC part, no SCORM package


def test_fractions_hints_partial_feedback_and_behaviour_reach_moodle(tmp_path):
    sources = write_plain(tmp_path)
    out = tmp_path / "build"
    result = CliRunner().invoke(main, ["build", "--sources", str(sources), "--out", str(out), "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    with tarfile.open(out / "en" / "PLAIN-EN.mbz") as tar:
        docs = {n: etree.fromstring(tar.extractfile(n).read()) for n in tar.getnames()
                if n == "questions.xml" or n.endswith("/quiz.xml")}
    question = next(q for q in docs["questions.xml"].iter("question") if q.findtext("qtype") == "multichoice")
    assert [a.findtext("fraction") for a in question.iter("answer")] == ["0.5000000", "0.0000000", "0.5000000"]
    assert question.findtext(".//partiallycorrectfeedback") == "<p>Some of it.</p>"
    hints = [(h.findtext("hint"), h.findtext("clearwrong"), h.findtext("shownumcorrect"))
             for h in question.iter("question_hint")]
    assert hints == [("<p>Think again.</p>", "0", "1"), ("<p>Count on your fingers.</p>", "1", "0")]
    behaviours = sorted(d.findtext("quiz/preferredbehaviour") for n, d in docs.items() if n.endswith("quiz.xml"))
    assert behaviours == ["deferredfeedback", "immediatefeedback"]


def test_the_template_is_named_after_the_course(tmp_path):
    sources = write_plain(tmp_path)
    result = CliRunner().invoke(main, ["i18n", "extract", "--sources", str(sources)])
    assert result.exit_code == 0, result.output
    pot = sources / "locale" / "plain-course.pot"
    assert pot.is_file() and not (sources / "locale" / "resolution.pot").exists()
    entry = polib.pofile(str(pot)).find("Welcome", msgctxt="basics.welcome:title")
    assert entry is not None and entry.occurrences == [("sources/sections/basics.yaml", "5")]


def test_check_compares_a_course_without_expected_figures_with_the_figures_of_its_sources(tmp_path):
    sources = write_plain(tmp_path)
    out = tmp_path / "build"
    assert CliRunner().invoke(main, ["build", "--sources", str(sources), "--out", str(out), "-j", "1", "-q"]).exit_code == 0
    result = CliRunner().invoke(main, ["check", str(out)])
    assert result.exit_code == 0, result.output
    assert "(counted from the sources: course.yaml has no 'expected')" in result.output
    assert re.search(r"^exercises +1 +1 +1 / 1$", result.output, re.M), result.output


def test_init_writes_a_course_that_validates_and_builds(tmp_path):
    course = tmp_path / "new-course"
    result = CliRunner().invoke(main, ["init", str(course)])
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(course).as_posix() for p in course.rglob("*") if p.is_file()) == [
        "course.yaml", "locale/fr.po", "locale/new-course.pot", "sections/basics.yaml", "ui.yaml"]
    result = CliRunner().invoke(main, ["validate", str(course)])
    assert result.exit_code == 0, result.output
    assert "(1 section, 2 items, 1 evaluation phase, 2 exercises per edition; languages en, fr; PO files: fr)" \
        in result.output
    out = tmp_path / "build"
    result = CliRunner().invoke(main, ["build", "--sources", str(course), "--out", str(out), "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*/*.mbz")) == ["NEW-COURSE-EN.mbz", "NEW-COURSE-FR.mbz"]
    fr = polib.pofile(str(course / "locale" / "fr.po"))
    assert fr.percent_translated() == 100
    assert fr.find("Welcome", msgctxt="basics.welcome:title").msgstr == "Bienvenue"


def test_init_never_writes_over_files(tmp_path):
    course = tmp_path / "mine"
    course.mkdir()
    (course / "notes.txt").write_text("keep me", "utf-8")
    result = CliRunner().invoke(main, ["init", str(course)])
    assert result.exit_code == 2 and "not empty" in result.output
    assert [p.name for p in course.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]

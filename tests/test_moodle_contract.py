"""The PHP contract: what real Moodle sites answered to moodle_php/*.php,
recorded in tests/fixtures/moodle/<branch>/ by tests/fixtures/moodle/record.py
(405: Moodle 4.5, 501: Moodle 5.1), held against the Python readers and the
scripts themselves.

A key renamed in a PHP script is no longer one the script writes: the
recorded answers then hold a key the script does not, and the key test fails
(re-record with record.py). A key renamed in a Python reader no longer finds
its value in the recorded answers: the comparison with the sources fails."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from resolution_pack import counts
from resolution_pack.cli import main
from resolution_pack.deploy import PHP_DIR, compare, expect
from resolution_pack.load import load

from conftest import MINI
from test_deploy import FakePhp, fake_moodle

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "moodle"
SITES = {"405": ("4.5.1 (Build: 20241209)", False), "501": ("5.1 (Build: 20251006)", True)}
SCRIPTS = ("site", "restore-fr", "restore-en", "inspect", "attempts")
# maps keyed by data, not by the script's own names
DATA_KEYS = {"courses"}


def recorded(branch: str, name: str) -> dict:
    return json.loads((FIXTURES / branch / f"{name}.json").read_text("utf-8"))


def _keys(value, out: set, skip: bool = False) -> set:
    if isinstance(value, dict):
        for key, child in value.items():
            if not skip:
                out.add(key)
            _keys(child, out, skip=key in DATA_KEYS and not skip)
    elif isinstance(value, list):
        for child in value:
            _keys(child, out)
    return out


def _php_keys(script: str) -> set:
    text = (PHP_DIR / f"{script}.php").read_text("utf-8") + (PHP_DIR / "common.php").read_text("utf-8")
    # keys of array literals ('key' => ...) and keys assigned ($out['key'] = ..., $out['key'][] = ...)
    return set(re.findall(r"'([A-Za-z_][A-Za-z0-9_]*)'\s*=>", text)) | \
        set(re.findall(r"\$\w+\['([A-Za-z_][A-Za-z0-9_]*)'\](?:\[\])?\s*=[^=>]", text))


@pytest.fixture(scope="module")
def mini_course():
    return load(MINI)


@pytest.fixture
def php(tmp_path, monkeypatch) -> FakePhp:
    fake = FakePhp(tmp_path / "fakephp")
    monkeypatch.setenv("PATH", f"{fake.bin}:{__import__('os').environ.get('PATH', '')}")
    return fake


def _site(tmp_path: Path, branch: str) -> Path:
    release, public = SITES[branch]
    return fake_moodle(tmp_path / f"m{branch}", branch=branch, release=release, public=public)


@pytest.mark.parametrize("branch", sorted(SITES))
@pytest.mark.parametrize("name", SCRIPTS)
def test_every_recorded_key_is_one_the_script_writes(branch, name):
    script = name.split("-")[0]
    missing = sorted(_keys(recorded(branch, name), set()) - _php_keys(script))
    assert missing == [], f"{script}.php no longer writes {missing}: re-record with tests/fixtures/moodle/record.py"


@pytest.mark.parametrize("branch", sorted(SITES))
def test_recorded_courses_are_what_the_sources_expect(branch, mini_course):
    answer = recorded(branch, "inspect")
    for lang in ("fr", "en"):
        exp = expect(mini_course, lang)
        diffs, figures = compare(exp, answer["courses"][exp.shortname], set(answer["languages"]))
        assert diffs == []
        assert figures == counts.per_edition(mini_course)
    banks = answer["courses"]["MINI-FR"]["question_banks"]
    if branch == "405":
        assert banks == []
    else:       # the native 5.1 backup: one standard bank, hidden, in section 0, holding the 3 categories
        assert [(b["name"], b["type"], b["section"], b["visible"], b["categories"]) for b in banks] == \
            [("Banque de questions", "standard", 0, 0, 3)]


@pytest.mark.parametrize("branch", sorted(SITES))
def test_verify_reads_the_recorded_answer(php, tmp_path, branch):
    php.answer("inspect.php", recorded(branch, "inspect"))
    result = CliRunner().invoke(main, ["verify", "--moodle-root", str(_site(tmp_path, branch)), "--sources", str(MINI)])
    assert result.exit_code == 0, result.output
    assert "2 edition(s) read: all as the sources expect" in result.stdout
    banks = ["the course's question bank"] * 2 if branch == "405" else [
        f"question bank module '{name}' (standard, hidden, section 0)"
        for name in ("Banque de questions", "EN Banque de questions")]
    assert re.findall(r"^    questions in (.*)$", result.stdout, re.M) == banks


@pytest.mark.parametrize("branch", sorted(SITES))
def test_verify_attempts_reads_the_recorded_answer(php, tmp_path, branch, mini_course):
    php.answer("inspect.php", recorded(branch, "inspect"))
    php.answer("attempts.php", recorded(branch, "attempts"))
    result = CliRunner().invoke(main, ["verify", "--moodle-root", str(_site(tmp_path, branch)), "--sources",
                                       str(MINI), "--lang", "fr", "--attempts"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("fr: quiz ")]
    exp = expect(mini_course, "fr")
    assert lines == [
        "fr: quiz part-1.activities-1: 3/3 questions graded right by Moodle's question engine (formative)",
        "fr: quiz part-1.evaluation: 8/8 questions graded right by Moodle's question engine; pass mark 7/10; "
        "right answers 10/10 passed, completion passed; wrong answers 0/10 not passed, completion failed"]
    assert list(exp.quiz_questions) == ["part-1.activities-1", "part-1.evaluation"]
    assert re.search(r"^fr: throwaway learners \(users \d+, \d+\) removed with their attempts", result.stdout, re.M)


def test_verify_attempts_dry_run_takes_nothing(php, tmp_path):
    result = CliRunner().invoke(main, ["verify", "--moodle-root", str(_site(tmp_path, "501")), "--sources",
                                       str(MINI), "--dry-run", "--attempts"])
    assert result.exit_code == 0, result.output
    assert php.calls() == []
    assert "then would take every quiz as two throwaway learners" in result.stdout and "attempts.php" in result.stdout


def _tampered(branch: str, change) -> dict:
    answer = copy.deepcopy(recorded(branch, "attempts"))
    change(answer["courses"]["MINI-FR"])
    return answer


@pytest.mark.parametrize("change, said", [
    (lambda c: c["quizzes"][0]["right"]["questions"][0].update(fraction=0.5, state="gradedpartial"),
     "graded not right: part-1.activities-1.q01 (multichoice, gradedpartial, fraction 0.5)"),
    (lambda c: next(q for q in c["quizzes"] if q["graded"])["right"].update(grade=6.0),
     "right answers: 6 is not at the pass mark 7"),
    (lambda c: next(q for q in c["quizzes"] if q["graded"])["wrong"].update(grade=7.0),
     "wrong answers: 7 is at the pass mark 7"),
    (lambda c: next(q for q in c["quizzes"] if q["graded"])["right"].update(completionstate=1),
     "right answers: activity completion complete, expected passed"),
    (lambda c: c["learners"]["wrong"].update(deleted=0), "not deleted"),
    (lambda c: c["learners"]["right"].update(rows_left=3), "learner right: 3 row(s) of theirs left"),
    (lambda c: c["quizzes"].pop(), "not found in the course"),
    (lambda c: c.update(error="moodle_exception: course MINI-FR has no enabled self enrolment method: learners "
                              "cannot enrol", quizzes=[]),
     "fr: the quizzes could not be taken: moodle_exception: course MINI-FR has no enabled self enrolment method"),
])
def test_verify_attempts_reports_each_difference(php, tmp_path, change, said):
    php.answer("inspect.php", recorded("501", "inspect"))
    php.answer("attempts.php", _tampered("501", change))
    result = CliRunner().invoke(main, ["verify", "--moodle-root", str(_site(tmp_path, "501")), "--sources",
                                       str(MINI), "--lang", "fr", "--attempts"])
    assert result.exit_code == 1, result.output
    assert said in result.stdout
    assert "1 edition(s) read; differences found" in result.stdout


@pytest.mark.parametrize("branch", sorted(SITES))
def test_deploy_reads_the_recorded_site_and_restore_answers(php, tmp_path, branch):
    from test_deploy import make_mbz
    release = "4.5" if branch == "405" else "5.1"
    built = tmp_path / "build"
    make_mbz(built / "fr" / ("MINI-FR.mbz" if branch == "405" else "MINI-FR-moodle51.mbz"), "MINI-FR",
             "Mini-cours", "fr", release=release)
    php.answer("site.php", recorded(branch, "site"))
    php.answer("restore.php", recorded(branch, "restore-fr"))
    result = CliRunner().invoke(main, ["deploy", "--moodle-root", str(_site(tmp_path, branch)), "--build", str(built)])
    assert result.exit_code == 0, result.output
    course = recorded(branch, "restore-fr")["id"]
    assert result.stdout.splitlines() == [f"fr: course {course} MINI-FR /course/view.php?id={course}"]
    assert "warning" not in result.stderr

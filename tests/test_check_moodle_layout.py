"""`check` reads both Moodle layouts: the 4.5 backup (questions in the course)
and the 5.x ones (questions in a qbank module), several flavours of one
edition side by side, and names each layout that is not its release's."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from resolution_pack.build import BuildOptions, build
from resolution_pack.check import analyse

from conftest import MINI
from test_check import rewrite_mbz


@pytest.fixture(scope="module")
def flavours(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("flavours") / "build"
    build(BuildOptions(sources=MINI, out=out, jobs=1, langs=("fr",), allow_incomplete=True,
                       moodle=("4.5", "5.0", "5.1")))
    return out


@pytest.fixture
def built(flavours, tmp_path) -> Path:
    copy = tmp_path / "build"
    shutil.copytree(flavours, copy)
    return copy


def problems(build_dir: Path) -> list[str]:
    _reports, found = analyse(build_dir)
    return [f"{p.file.partition('/')[2]} [{p.rule}] {p.message}" for p in found]


def m51(build_dir: Path) -> Path:
    return build_dir / "fr" / "MINI-FR-moodle51.mbz"


def edit(path: Path, member: str, old: str, new: str, count: int = 1) -> None:
    def change(name, data):
        if name == member:
            text = data.decode()
            assert old in text, (name, old)
            return name, text.replace(old, new, count).encode()
        return name, data
    rewrite_mbz(path, change)


def test_three_flavours_count_once_and_agree(flavours):
    reports, found = analyse(flavours)
    assert [p for p in found if p.file.startswith("fr")] == []
    only_45 = Path(str(flavours) + "-45")
    build(BuildOptions(sources=MINI, out=only_45, jobs=1, langs=("fr",), allow_incomplete=True))
    alone, _ = analyse(only_45)
    assert reports["fr"].as_dict() == alone["fr"].as_dict()
    assert "qbank" not in reports["fr"].activities_by_type
    assert reports["fr"].figures["exercises"] == 8 and reports["fr"].figures["formative_activities"] == 3


def test_a_name_that_says_another_release(built):
    (built / "fr" / "MINI-FR-moodle50.mbz").unlink()
    m51(built).rename(built / "fr" / "MINI-FR-moodle50.mbz")
    found = problems(built)
    assert "MINI-FR-moodle50.mbz [release] the archive's name is the one of a Moodle 5.0 backup, its " \
           "moodle_backup.xml says 5.1" in found


def test_a_category_left_in_the_course_context(built):
    edit(m51(built), "questions.xml", "<contextlevel>70</contextlevel>", "<contextlevel>50</contextlevel>")
    assert any(re.fullmatch(r"MINI-FR-moodle51\.mbz \[layout\] 1 question category not in the context of "
                            r"activities/qbank_\d+: \d+", p) for p in problems(built))


def test_a_visible_bank_and_course_refs_and_the_old_root_setting(built):
    path = m51(built)
    rewrite_mbz(path, lambda name, data: (name, data.replace(b"<visible>0</visible>", b"<visible>1</visible>"))
                if re.match(r"activities/qbank_\d+/module.xml", name) else (name, data))
    edit(path, "course/inforef.xml", "</inforef>",
         "  <question_categoryref>\n    <question_category>\n      <id>1</id>\n    </question_category>\n"
         "  </question_categoryref>\n</inforef>")
    edit(path, "moodle_backup.xml", "<name>groups</name>", "<name>questionbank</name>")
    found = problems(built)
    assert any(re.search(r"\[layout\] activities/qbank_\d+: the question bank module is not hidden in section 0", p)
               for p in found)
    assert "MINI-FR-moodle51.mbz [layout] course/inforef.xml lists question categories in a Moodle 5.x backup" \
        in found
    assert "MINI-FR-moodle51.mbz [layout] root setting questionbank in a Moodle 5.x backup" in found


def test_a_5x_backup_without_its_bank(built):
    edit(m51(built), "moodle_backup.xml", "<modulename>qbank</modulename>", "<modulename>label</modulename>")
    assert "MINI-FR-moodle51.mbz [layout] a Moodle 5.1 backup needs one qbank module for its questions, it has 0" \
        in problems(built)


def test_a_flavour_that_lost_a_quiz_drifts(built):
    path = m51(built)
    edit(path, "moodle_backup.xml", "<modulename>quiz</modulename>", "<modulename>quizz</modulename>")
    found = problems(built)
    assert any(p.startswith("MINI-FR-moodle51.mbz [drift] MINI-FR-moodle51.mbz does not hold what the edition's "
                            "other backup holds") or p.startswith("MINI-FR.mbz [drift]") for p in found)

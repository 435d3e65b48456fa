"""`build --moodle 4.5|5.0|5.1`: one backup per Moodle release, the 5.x ones
with the questions in a qbank module as Moodle 5.x keeps them. Expected
values come from Moodle's own code and from the backup a real Moodle 5.1
wrote of our French edition (../shared/reference/moodle51-written)."""
from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from resolution_pack.build import BuildOptions, build
from resolution_pack.cli import main

from test_moodle_backup import MINI, REFERENCE, WRITTEN_WHEN_PRESENT, Mbz, _shapes

REFERENCE_51 = REFERENCE / "moodle51-written" / "RESOLUTION-FR.mbz"
NULL = "$@NULL@$"

needs_reference_51 = pytest.mark.skipif(
    not REFERENCE_51.is_file(), reason=f"Moodle 5.1's own backup of an edition is not available ({REFERENCE_51})")


@pytest.fixture(scope="module")
def flavours(tmp_path_factory):
    """The mini course built for 4.5, 5.0 and 5.1, and built for 4.5 alone."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        both = tmp_path_factory.mktemp("flavours") / "build"
        result = build(BuildOptions(sources=MINI, out=both, langs=("fr",), jobs=1, allow_incomplete=True,
                                    targets=("moodle_backup",), moodle=("4.5", "5.0", "5.1")))
        alone = tmp_path_factory.mktemp("alone") / "build"
        build(BuildOptions(sources=MINI, out=alone, langs=("fr",), jobs=1, allow_incomplete=True,
                           targets=("moodle_backup",)))
    return both, alone, sorted(result.archives)


@pytest.fixture(scope="module")
def m51(flavours):
    return Mbz(flavours[0] / "fr" / "MINI-FR-moodle51.mbz")


@pytest.fixture(scope="module")
def m50(flavours):
    return Mbz(flavours[0] / "fr" / "MINI-FR-moodle50.mbz")


def test_one_archive_per_release_and_the_45_one_unchanged(flavours):
    both, alone, archives = flavours
    assert archives == ["fr/MINI-FR-moodle50.mbz", "fr/MINI-FR-moodle51.mbz", "fr/MINI-FR.mbz"]
    assert (both / "fr" / "MINI-FR.mbz").read_bytes() == (alone / "fr" / "MINI-FR.mbz").read_bytes()
    assert sorted(p.name for p in (alone / "fr").iterdir()) == ["MINI-FR.mbz"]


def test_versions_of_each_release(flavours, m50, m51):
    m45 = Mbz(flavours[0] / "fr" / "MINI-FR.mbz")
    for mbz, moodle, backup, release, module in ((m45, "2024090300", "2024042200", "4.5", None),
                                                 (m50, "2025041400", "2025041400", "5.0", "2025041400"),
                                                 (m51, "2025100600", "2025100600", "5.1", "2025100600")):
        info = mbz.xml("moodle_backup.xml").find("information")
        assert (info.findtext("moodle_version"), info.findtext("backup_version"), info.findtext("backup_release"),
                info.findtext("moodle_release")) == (moodle, backup, release, release)
        versions = {mbz.module(a).get("version") for a in mbz.activities}
        if module:
            assert versions == {module}
        else:       # Moodle 4.5's mod/*/version.php: forum and quiz differ from the rest
            assert versions == {"2024042200", "2024082100", "2024072500"}


def test_root_settings_lose_questionbank_in_5x(flavours, m51, m50):
    def root(mbz):
        return [s.findtext("name") for s in mbz.xml("moodle_backup.xml").iterfind("information/settings/setting")
                if s.findtext("level") == "root"]
    m45 = Mbz(flavours[0] / "fr" / "MINI-FR.mbz")
    assert "questionbank" in root(m45)
    assert root(m51) == root(m50) == [n for n in root(m45) if n != "questionbank"]


def test_fields_each_release_adds(flavours, m50, m51):
    m45 = Mbz(flavours[0] / "fr" / "MINI-FR.mbz")
    quiz = next(a for a in m51.activities if a["modulename"] == "quiz")
    for mbz, aitools, precreate in ((m45, False, False), (m50, False, True), (m51, True, True)):
        assert (mbz.xml("course/course.xml").find("enableaitools") is not None) is aitools
        module = mbz.xml(f"{quiz['directory']}/module.xml")
        assert (module.find("enableaitools") is not None, module.find("enabledaiactions") is not None) == \
            (aitools, aitools)
        assert (mbz.xml(f"{quiz['directory']}/quiz.xml").find("quiz/precreateattempts") is not None) is precreate
    assert m51.text("course/course.xml", "enableaitools") == NULL


@pytest.mark.parametrize("flavour", ["m50", "m51"])
def test_questions_live_in_one_hidden_qbank_first_in_section_0(flavour, request):
    mbz = request.getfixturevalue(flavour)
    banks = [a for a in mbz.activities if a["modulename"] == "qbank"]
    assert len(banks) == 1
    bank = banks[0]
    assert mbz.activities[0] == bank            # first in the listing, hence restored before the quizzes
    section0 = next(s for s in mbz.sections if s["sectionid"] == bank["sectionid"])
    section = mbz.xml(f"{section0['directory']}/section.xml")
    assert section.findtext("number") == "0"
    assert section.findtext("sequence").split(",")[0] == bank["moduleid"]
    module = mbz.module(bank)
    assert [module.findtext(k) for k in ("visible", "visibleoncoursepage", "idnumber", "completion",
                                         "sectionnumber")] == ["0", "0", NULL, "0", "0"]
    instance = mbz.instance(bank)
    assert instance.findtext("qbank/type") == "standard"
    assert instance.findtext("qbank/name") == "Banque de questions"      # the mini course's ui.yaml string
    contextid, cmid = instance.get("contextid"), bank["moduleid"]
    categories = mbz.xml("questions.xml").findall("question_category")
    assert len(categories) == 3                 # top + the mini course's evaluation and formative categories
    assert {(c.findtext("contextid"), c.findtext("contextlevel"), c.findtext("contextinstanceid"))
            for c in categories} == {(contextid, "70", cmid)}
    ids = [c.get("id") for c in categories]
    assert [i.text for i in mbz.xml(f"{bank['directory']}/inforef.xml").iterfind(
        "question_categoryref/question_category/id")] == ids
    assert mbz.xml(f"{bank['directory']}/inforef.xml").find("fileref") is None
    assert mbz.xml("course/inforef.xml").find("question_categoryref") is None
    for record in mbz.files_records():
        if record["component"] == "question":
            assert record["contextid"] == contextid


@pytest.mark.parametrize("flavour", ["m50", "m51"])
def test_each_quiz_lists_the_category_of_its_questions_and_top(flavour, request):
    mbz = request.getfixturevalue(flavour)
    questions = mbz.xml("questions.xml")
    top = next(c.get("id") for c in questions.iterfind("question_category") if c.findtext("parent") == "0")
    category_of = {e.get("id"): c.get("id") for c in questions.iterfind("question_category")
                   for e in c.iterfind("question_bank_entries/question_bank_entry")}
    quizzes = [a for a in mbz.activities if a["modulename"] == "quiz"]
    assert quizzes
    for quiz in quizzes:
        listed = [i.text for i in mbz.xml(f"{quiz['directory']}/inforef.xml").iterfind(
            "question_categoryref/question_category/id")]
        used = {category_of[i.text] for i in mbz.instance(quiz).iterfind(
            "quiz/question_instances/question_instance/question_reference/questionbankentryid")}
        assert len(used) == 1 and listed == [*used, top]


def test_cli_builds_the_flavours_asked(tmp_path):
    out = tmp_path / "build"
    result = CliRunner().invoke(main, ["build", "--sources", str(MINI), "--out", str(out), "--lang", "en",
                                       "--moodle", "5.1", "-j", "1", "--allow-incomplete", "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "en").glob("*.mbz")) == ["MINI-EN-moodle51.mbz"]
    bad = CliRunner().invoke(main, ["build", "--sources", str(MINI), "--out", str(out), "--moodle", "4.4"])
    assert bad.exit_code == 2 and "'4.4' is not one of '4.5', '5.0', '5.1'" in bad.output


def _reference_51_files() -> dict[str, bytes]:
    files = {}
    with tarfile.open(REFERENCE_51, "r:gz") as tar:
        for info in tar:
            if info.isfile() and info.name.endswith(".xml"):
                files[info.name] = tar.extractfile(info).read()
    return files


@needs_reference_51
def test_structure_matches_moodle_51s_own_backup(m51):
    """Every element of ours is one Moodle 5.1 writes, and for the files that
    change in 5.x (module, course, quiz, questions, the qbank's own) every
    element Moodle 5.1 writes is in ours."""
    reference = _shapes(_reference_51_files())
    ours = _shapes(m51.data)
    assert {k for k in ours if k.startswith("activities/qbank")} == \
        {k for k in reference if k.startswith("activities/qbank")}
    extra = [f"{kind}: {path}" for kind, paths in ours.items() for path in paths
             if kind in reference and path not in reference[kind] and path not in WRITTEN_WHEN_PRESENT.get(kind, ())]
    assert extra == []
    for kind in [k for k in reference if k.startswith("activities/qbank")] + [
            "moodle_backup.xml", "course/course.xml", "course/inforef.xml", "activities/quiz/module.xml",
            "activities/page/module.xml"]:
        missing = sorted(set(reference[kind]) - set(ours.get(kind, {})))
        assert missing == [], kind
    quiz_missing = sorted(set(reference["activities/quiz/quiz.xml"]) - set(ours["activities/quiz/quiz.xml"]))
    assert not [p for p in quiz_missing if "precreateattempts" in p]

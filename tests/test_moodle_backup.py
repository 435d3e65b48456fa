"""The Moodle backup target: archives that Moodle 4.5 can restore whole.

The archives are built through the real pipeline (load, localise, generate
the assets, render) and read back here with tarfile and lxml only. Expected
values come from the sources (the loaded model, course.yaml's expected
counts) and from Moodle's own backup (../shared/reference), never from the
code under test.
"""
from __future__ import annotations

import calendar
import hashlib
import io
import re
import shutil
import tarfile
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from resolution_pack import model as m
from resolution_pack.build import BuildOptions, build, prepare
from resolution_pack.errors import InputError
from resolution_pack.targets.moodle_releases import RELEASES

SUBSECTIONS = RELEASES["4.5"].subsections     # the default backup's grouping of a project's items

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
SOURCES = ROOT / "sources"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
REFERENCE_COURSE = REFERENCE / "moodle45-reference-course"

NULL = "$@NULL@$"
EMPTY_SHA1 = hashlib.sha1(b"").hexdigest()
# What Moodle 4.5 writes in every activity folder (the reference backup's README), forum adds grading.xml.
ACTIVITY_FILES = {"calendar.xml", "comments.xml", "competencies.xml", "completion.xml", "filters.xml",
                  "grade_history.xml", "grades.xml", "inforef.xml", "module.xml", "roles.xml", "xapistate.xml"}
ROOT_FILES = {"moodle_backup.xml", "moodle_backup.log", "files.xml", "questions.xml", "course/course.xml",
              "course/enrolments.xml", "course/inforef.xml", "course/roles.xml", "users.xml", "roles.xml",
              "groups.xml", "scales.xml", "outcomes.xml", "gradebook.xml", "grade_history.xml", "badges.xml",
              "completion.xml"}
MODNAMES = {m.Page: "page", m.Video: "page", m.ProjectOverview: "page", m.ProjectSheet: "page", m.Label: "label",
            m.Url: "url", m.Resource: "resource", m.Folder: "folder", m.Book: "book", m.Forum: "forum",
            m.Activities: "quiz", m.Evaluation: "quiz", m.PhotoStory: "page", m.Recipe: "page",
            m.Subsection: "subsection" if SUBSECTIONS else "label", m.ProjectPdf: "resource"}
QTYPES = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse", "match": "match",
          "shortanswer": "shortanswer", "ordering": "ordering", "gapselect": "gapselect", "ddwtos": "ddwtos"}


# ---------------------------------------------------------------------------
# Reading an archive back

class Mbz:
    def __init__(self, path: Path):
        self.path = path
        self.raw = path.read_bytes()
        self.members: list[tarfile.TarInfo] = []
        self.data: dict[str, bytes] = {}
        with tarfile.open(fileobj=io.BytesIO(self.raw), mode="r:gz") as tar:
            for info in tar:
                self.members.append(info)
                if info.isfile():
                    self.data[info.name] = tar.extractfile(info).read()
        self._xml = {}

    def xml(self, name: str):
        if name not in self._xml:
            self._xml[name] = etree.fromstring(self.data[name])
        return self._xml[name]

    def text(self, name: str, path: str) -> str:
        return self.xml(name).findtext(path)

    @property
    def activities(self) -> list[dict]:
        return [{child.tag: child.text or "" for child in a}
                for a in self.xml("moodle_backup.xml").iterfind("information/contents/activities/activity")]

    @property
    def sections(self) -> list[dict]:
        return [{child.tag: child.text or "" for child in s}
                for s in self.xml("moodle_backup.xml").iterfind("information/contents/sections/section")]

    def files_records(self) -> list[dict]:
        out = []
        for f in self.xml("files.xml").iterfind("file"):
            record = {child.tag: child.text or "" for child in f}
            record["id"] = f.get("id")
            out.append(record)
        return out

    def module(self, activity: dict):
        return self.xml(f"{activity['directory']}/module.xml")

    def instance(self, activity: dict):
        return self.xml(f"{activity['directory']}/{activity['modulename']}.xml")


@pytest.fixture(scope="module")
def mini_sources(tmp_path_factory) -> Path:
    """The mini course, with the optional "try again" hint string (formative
    questions then get a hint, as the reference's questions have)."""
    target = tmp_path_factory.mktemp("mini") / "sources"
    shutil.copytree(MINI, target)
    ui = target / "ui.yaml"
    ui.write_text(ui.read_text("utf-8") + '  hint_try_again: "Relisez la question, puis réessayez."\n', "utf-8")
    return target


def _build(sources: Path, out: Path, langs) -> dict[str, Path]:
    result = build(BuildOptions(sources=sources, out=out, langs=tuple(langs), jobs=1, allow_incomplete=True,
                                targets=("moodle_backup",)))
    found = {}
    for name in result.archives:
        lang = Path(name).parts[0]
        found[lang] = out / name
    return found


@pytest.fixture(scope="module")
def mini_build(mini_sources, tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        archives = _build(mini_sources, tmp_path_factory.mktemp("build") / "build", ["fr", "en"])
    return archives


@pytest.fixture(scope="module")
def mini_editions(mini_sources):
    """The localised model of each edition: what the archives must say."""
    _course, editions, _warnings = prepare(BuildOptions(sources=mini_sources, langs=("fr", "en"),
                                                        allow_incomplete=True))
    return editions


@pytest.fixture(scope="module")
def real_build(tmp_path_factory):
    try:
        _source, editions, _warnings = prepare(BuildOptions(sources=SOURCES, langs=("fr",), allow_incomplete=True))
    except InputError as exc:
        pytest.skip(f"sources/ do not validate yet ({len(exc.problems)} problems)")
    archives = _build(SOURCES, tmp_path_factory.mktemp("real") / "build", ["fr"])
    return editions["fr"], Mbz(archives["fr"])


@pytest.fixture(scope="module", params=["fr", "en"])
def mini(request, mini_build, mini_editions):
    return mini_editions[request.param], request.param, Mbz(mini_build[request.param])


# ---------------------------------------------------------------------------
# The archive itself

def test_archive_is_a_moodle_tgz_with_its_index(mini):
    _course, _lang, mbz = mini
    assert mbz.raw[:2] == b"\x1f\x8b"                                  # gzip, as Moodle 4.5 writes
    first = mbz.members[0]
    assert first.name == ".ARCHIVE_INDEX"
    index = mbz.data[".ARCHIVE_INDEX"].decode("ascii").splitlines()
    header = re.fullmatch(r"Moodle archive file index\. Count: (\d+)", index[0])
    assert header, index[0]
    rest = mbz.members[1:]
    assert int(header.group(1)) == len(rest) == len(index) - 1
    for line, info in zip(index[1:], rest):
        path, kind, size, mtime = line.split("\t")
        assert path == info.name + ("/" if info.isdir() and not info.name.endswith("/") else "")
        assert kind == ("d" if info.isdir() else "f")
        assert int(size) == info.size
        assert mtime == ("?" if info.isdir() else str(info.mtime))
    names = set()
    for info in mbz.members:
        assert not info.name.startswith(("/", "./")) and ".." not in info.name.split("/")
        assert info.uid == info.gid == 0
        assert info.mode == (0o755 if info.isdir() else 0o644)
        if info.isdir():
            assert info.mtime == 1356998400
        names.add(info.name.rstrip("/"))
    for name in names:                                                  # every folder has its entry
        parent = name.rpartition("/")[0]
        assert not parent or parent in names, name
    assert ROOT_FILES <= set(mbz.data)


def test_every_xml_file_parses(mini):
    _course, _lang, mbz = mini
    xml_files = [n for n in mbz.data if n.endswith(".xml")]
    assert len(xml_files) > 50
    for name in xml_files:
        etree.fromstring(mbz.data[name])   # raises on a malformed file
        assert mbz.data[name].startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')


def test_build_is_reproducible(mini_sources, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = _build(mini_sources, tmp_path / "a", ["fr"])["fr"].read_bytes()
    second = _build(mini_sources, tmp_path / "b", ["fr"])["fr"].read_bytes()
    assert first == second


def test_timestamps_come_from_source_date_epoch(mini):
    _course, _lang, mbz = mini
    assert mbz.text("moodle_backup.xml", "information/backup_date") == "1700000000"
    assert mbz.text("course/course.xml", "timecreated") == "1700000000"
    for info in mbz.members:
        if info.isfile() and info.name != ".ARCHIVE_INDEX":
            assert info.mtime == 1700000000, info.name


# ---------------------------------------------------------------------------
# Course, sections, activities

def test_course_record(mini):
    course, lang, mbz = mini
    c = mbz.xml("course/course.xml")
    assert c.findtext("shortname") == course.editions[lang].shortname
    assert c.findtext("fullname") == course.editions[lang].fullname
    assert c.findtext("lang") == lang
    assert c.findtext("format") == "topics"
    assert c.findtext("enablecompletion") == "1"
    assert c.findtext("visible") == "1"
    assert c.findtext("startdate") == str(calendar.timegm((2022, 1, 1, 0, 0, 0)))
    summary = lxml.html.fragment_fromstring(c.findtext("summary"), create_parent="div")
    assert summary.find("p/strong").text in course.summary
    info = mbz.xml("moodle_backup.xml").find("information")
    assert info.findtext("original_course_shortname") == course.editions[lang].shortname
    assert info.findtext("original_course_id") == c.get("id")
    assert info.findtext("original_course_contextid") == c.get("contextid")
    assert mbz.path.name == f"{course.editions[lang].shortname}.mbz"


def test_self_enrolment_survives_restore(mini):
    _course, _lang, mbz = mini
    enrols = {e.findtext("enrol"): e for e in mbz.xml("course/enrolments.xml").iterfind("enrols/enrol")}
    assert set(enrols) == {"manual", "guest", "self"}
    assert enrols["self"].findtext("status") == "0" and enrols["manual"].findtext("status") == "0"
    assert enrols["guest"].findtext("status") == "1"
    assert enrols["self"].findtext("customint6") == "1"     # new enrolments allowed
    settings = {s.findtext("name"): s.findtext("value")
                for s in mbz.xml("moodle_backup.xml").iterfind("information/settings/setting")
                if s.findtext("level") == "root"}
    assert settings["users"] == "1"                           # else Moodle restores self enrolment disabled
    assert settings["logs"] == "0"
    assert len(mbz.xml("users.xml")) == 0
    roles = {r.get("id") for r in mbz.xml("roles.xml").iterfind("role")}
    assert {e.findtext("roleid") for e in enrols.values()} - {"0"} <= roles


def test_sections_follow_the_sources(mini):
    course, _lang, mbz = mini
    listed = mbz.sections
    numbers = [int(mbz.text(f"{s['directory']}/section.xml", "number")) for s in listed]
    assert numbers == list(range(len(listed)))
    regular = [s for s in listed if not s["parentcmid"]]
    assert listed[:len(regular)] == regular           # subsections' sections come after, as Moodle numbers them
    names = [mbz.text(f"{s['directory']}/section.xml", "name") for s in regular]
    titles = [s.title for s in course.sections]
    offset = 0 if course.sections[0].role == "home" else 1
    assert len(regular) == len(titles) + offset
    assert names[offset:] == titles
    # one delegated section per subsection, named like it, pointing back at its mod_subsection module
    subsections = [i for _s, i in course.items() if isinstance(i, m.Subsection)] if SUBSECTIONS else []
    delegated = listed[len(regular):]
    assert [s["title"] for s in delegated] == [i.name for i in subsections]
    by_idnumber = {mbz.module(a).findtext("idnumber"): a for a in mbz.activities}
    for s, item in zip(delegated, subsections):
        parent = by_idnumber[item.id]
        assert parent["modulename"] == s["modname"] == "subsection" and s["parentcmid"] == parent["moduleid"]
        section = mbz.xml(f"{s['directory']}/section.xml")
        assert section.findtext("component") == "mod_subsection"
        assert section.findtext("itemid") == mbz.instance(parent)[0].get("id")
        assert section.findtext("name") == item.name
        inside = [a for a in mbz.activities if a["sectionid"] == s["sectionid"]]
        assert [mbz.module(a).findtext("idnumber") for a in inside] == [i.id for i in item.items]
        assert {a["insubsection"] for a in inside} == {"1"}
    assert {a["insubsection"] for a in mbz.activities if a["sectionid"] in {s["sectionid"] for s in regular}} == {""}
    by_section = {}
    for a in mbz.activities:
        by_section.setdefault(a["sectionid"], []).append(a["moduleid"])
    for s in listed:
        section = mbz.xml(f"{s['directory']}/section.xml")
        assert section.get("id") == s["sectionid"] and s["directory"] == f"sections/section_{s['sectionid']}"
        sequence = section.findtext("sequence") or ""
        assert (sequence.split(",") if sequence else []) == by_section.get(s["sectionid"], [])
        assert f"{s['directory']}/inforef.xml" in mbz.data
    # every directory in the archive is listed in moodle_backup.xml, and the reverse
    dirs = {n.split("/")[0] + "/" + n.split("/")[1] for n in mbz.data if n.startswith(("activities/", "sections/"))}
    assert dirs == {a["directory"] for a in mbz.activities} | {s["directory"] for s in listed}


def test_every_item_is_a_module_with_its_stable_idnumber(mini):
    course, _lang, mbz = mini
    expected = [(item.id, MODNAMES[type(item)]) for _s, item in course.items()]
    found = [(mbz.module(a).findtext("idnumber"), a["modulename"]) for a in mbz.activities]
    assert found == expected
    assert "tutorial.p01.video-2" in dict(found)


def test_every_activity_has_its_folder_and_files(mini):
    _course, _lang, mbz = mini
    for a in mbz.activities:
        d, mod = a["directory"], a["modulename"]
        assert d == f"activities/{mod}_{a['moduleid']}"
        present = {n[len(d) + 1:] for n in mbz.data if n.startswith(d + "/")}
        wanted = ACTIVITY_FILES | {f"{mod}.xml"} | ({"grading.xml"} if mod == "forum" else set())
        assert wanted <= present, (d, wanted - present)
        module = mbz.module(a)
        assert module.get("id") == a["moduleid"] and module.findtext("modulename") == mod
        assert module.findtext("sectionid") == a["sectionid"]
        instance = mbz.instance(a)
        assert instance.get("moduleid") == a["moduleid"] and instance.get("modulename") == mod
        assert instance[0].tag == mod and instance[0].get("id") == instance.get("id")
        assert instance[0].findtext("name") == a["title"]


def test_ids_are_unique_and_references_resolve(mini):
    _course, _lang, mbz = mini
    acts = mbz.activities
    cmids = [a["moduleid"] for a in acts]
    assert len(cmids) == len(set(cmids))
    contexts = [mbz.instance(a).get("contextid") for a in acts] + [mbz.xml("course/course.xml").get("contextid")]
    assert len(contexts) == len(set(contexts))
    instances = Counter((a["modulename"], mbz.instance(a).get("id")) for a in acts)
    assert max(instances.values()) == 1
    section_ids = {s["sectionid"]: int(mbz.text(f"{s['directory']}/section.xml", "number")) for s in mbz.sections}
    for a in acts:
        assert a["sectionid"] in section_ids
        assert int(mbz.module(a).findtext("sectionnumber")) == section_ids[a["sectionid"]]

    records = {r["id"]: r for r in mbz.files_records()}
    assert len(records) == len(mbz.files_records())
    categories = {c.get("id") for c in mbz.xml("questions.xml").iterfind("question_category")}
    referenced_files = set()
    for a in acts:
        ctx = mbz.instance(a).get("contextid")
        inforef = mbz.xml(f"{a['directory']}/inforef.xml")
        files = [f.text for f in inforef.iterfind("fileref/file/id")]
        referenced_files.update(files)
        for fid in files:
            assert fid in records and records[fid]["contextid"] == ctx
        # a file of this context that inforef does not list would not be restored
        assert {fid for fid, r in records.items() if r["contextid"] == ctx} == set(files)
        grade_items = {g.get("id") for g in mbz.xml(f"{a['directory']}/grades.xml").iterfind("grade_items/grade_item")}
        assert {g.text for g in inforef.iterfind("grade_itemref/grade_item/id")} == grade_items
        for cid in inforef.iterfind("question_categoryref/question_category/id"):
            assert cid.text in categories
    question_files = {fid for fid, r in records.items() if r["component"] == "question"}
    assert referenced_files | question_files == set(records)
    course_refs = {c.text for c in mbz.xml("course/inforef.xml").iterfind("question_categoryref/question_category/id")}
    assert course_refs == categories                        # restore loads only the annotated categories

    q = mbz.xml("questions.xml")
    for kind in ("question_bank_entry", "question_versions", "question", "answer", "question_hint"):
        ids = [e.get("id") for e in q.iter(kind)]
        assert len(ids) == len(set(ids)), kind
    course_ctx = mbz.xml("course/course.xml").get("contextid")
    tops = [c for c in q.iterfind("question_category") if c.findtext("parent") == "0"]
    assert len(tops) == 1 and tops[0].findtext("name") == "top"
    for c in q.iterfind("question_category"):
        assert c.findtext("contextid") == course_ctx and c.findtext("contextlevel") == "50"
        assert c.findtext("parent") in categories | {"0"}
        for entry in c.iterfind("question_bank_entries/question_bank_entry"):
            assert entry.findtext("questioncategoryid") == c.get("id")
    stamps = [c.findtext("stamp") for c in q.iterfind("question_category")] + \
             [x.findtext("stamp") for x in q.iter("question")]
    assert len(stamps) == len(set(stamps))
    for tf in q.iter("plugin_qtype_truefalse_question"):
        answers = {a.get("id") for a in tf.iterfind("answers/answer")}
        assert {tf.findtext("truefalse/trueanswer"), tf.findtext("truefalse/falseanswer")} == answers


def test_ids_derive_from_stable_ids(mini_build):
    """The fr and en editions of one course share their ids: they come from
    the stable ids, not from the language or a counter."""
    fr, en = Mbz(mini_build["fr"]), Mbz(mini_build["en"])
    assert [a["moduleid"] for a in fr.activities] == [a["moduleid"] for a in en.activities]
    assert [s["sectionid"] for s in fr.sections] == [s["sectionid"] for s in en.sections]
    assert list(_entries(fr)) == list(_entries(en))


# ---------------------------------------------------------------------------
# Quizzes and questions

def _entries(mbz) -> dict[str, etree._Element]:
    return {e.get("id"): e for e in mbz.xml("questions.xml").iter("question_bank_entry")}


def test_quiz_slots_point_at_existing_questions(mini):
    course, _lang, mbz = mini
    entries = _entries(mbz)
    items = {item.id: item for _s, item in course.items()}
    for a in mbz.activities:
        if a["modulename"] != "quiz":
            continue
        item = items[mbz.module(a).findtext("idnumber")]
        quiz = mbz.instance(a)
        slots = list(quiz.iterfind("quiz/question_instances/question_instance"))
        assert [int(s.findtext("slot")) for s in slots] == list(range(1, len(item.questions) + 1))
        used = []
        for slot in slots:
            ref = slot.find("question_reference")
            assert ref.findtext("usingcontextid") == quiz.get("contextid")
            assert ref.findtext("component") == "mod_quiz" and ref.findtext("questionarea") == "slot"
            assert ref.findtext("version") == NULL
            assert slot.findtext("quizid") == quiz.get("id")
            used.append(entries[ref.findtext("questionbankentryid")].findtext("idnumber"))
        assert used == [q.id for q in item.questions]
        marks = sum(float(s.findtext("maxmark")) for s in slots)
        assert float(quiz.findtext("quiz/sumgrades")) == pytest.approx(marks)
        grades = list(mbz.xml(f"{a['directory']}/grades.xml").iterfind("grade_items/grade_item"))
        module = mbz.module(a)
        if isinstance(item, m.Evaluation):
            assert float(quiz.findtext("quiz/grade")) == 10
            assert len(grades) == 1
            g = grades[0]
            assert float(g.findtext("gradepass")) == pytest.approx(10 * item.pass_percent / 100)
            assert float(g.findtext("grademax")) == 10
            assert g.findtext("itemmodule") == "quiz" and g.findtext("iteminstance") == quiz.get("id")
            assert (module.findtext("completion"), module.findtext("completionpassgrade"),
                    module.findtext("completiongradeitemnumber")) == ("2", "1", "0")
            assert quiz.findtext("quiz/preferredbehaviour") == "deferredfeedback"
        else:
            assert float(quiz.findtext("quiz/grade")) == 0 and grades == []
            assert quiz.findtext("quiz/preferredbehaviour") == "interactive"
            assert module.findtext("completiongradeitemnumber") == NULL
    # the course grade item adds up the graded quizzes
    course_item = mbz.xml("gradebook.xml").find("grade_items/grade_item")
    graded = sum(1 for _s, i in course.items() if isinstance(i, m.Evaluation))
    assert float(course_item.findtext("grademax")) == 10 * graded
    category = mbz.xml("gradebook.xml").find("grade_categories/grade_category").get("id")
    for a in mbz.activities:
        for g in mbz.xml(f"{a['directory']}/grades.xml").iterfind("grade_items/grade_item"):
            assert g.findtext("categoryid") == category


def test_question_categories_per_section_and_kind(mini):
    course, _lang, mbz = mini
    wanted = set()
    for section, item, _q in course.questions():
        wanted.add(f"{section.id}.{'evaluation' if isinstance(item, m.Evaluation) else 'formative'}")
    q = mbz.xml("questions.xml")
    found = {c.findtext("idnumber"): c for c in q.iterfind("question_category")}
    assert set(found) - {NULL} == wanted
    for section, item, question in course.questions():
        kind = "evaluation" if isinstance(item, m.Evaluation) else "formative"
        ids = [e.findtext("idnumber") for e in found[f"{section.id}.{kind}"].iter("question_bank_entry")]
        assert question.id in ids


def test_question_types_as_moodle_writes_them(mini):
    course, _lang, mbz = mini
    entries = {e.findtext("idnumber"): e for e in mbz.xml("questions.xml").iter("question_bank_entry")}
    seen = set()
    for _section, item, question in course.questions():
        entry = entries[question.id]
        assert entry.findtext("question_version/question_versions/status") == "ready"
        x = entry.find("question_version/question_versions/questions/question")
        qtype = QTYPES[question.type]
        assert x.findtext("qtype") == qtype
        plugin = x.find(f"plugin_qtype_{qtype}_question")
        assert plugin is not None
        seen.add(question.type)
        answers = plugin.findall("answers/answer")
        fractions = [float(a.findtext("fraction")) for a in answers]
        if question.type == "single":
            assert plugin.findtext("multichoice/single") == "1"
            assert [f == 1 for f in fractions] == [c.correct for c in question.choices]
        elif question.type == "multiple":
            assert plugin.findtext("multichoice/single") == "0"
            assert sum(f for f in fractions if f > 0) == pytest.approx(1, abs=1e-6)
            assert [f > 0 for f in fractions] == [c.correct for c in question.choices]
            assert sum(fractions) <= 1e-6          # ticking every box does not score
        elif question.type == "truefalse":
            assert fractions == ([1.0, 0.0] if question.answer else [0.0, 1.0])
        elif question.type == "match":
            matches = plugin.findall("matches/match")
            assert [mm.findtext("answertext") for mm in matches] == [p.answer for p in question.pairs]
            assert plugin.find("matchoptions") is not None
        elif question.type == "ordering":
            assert fractions == [float(n) for n in range(1, len(question.items) + 1)]
            texts = [lxml.html.fragment_fromstring(a.findtext("answertext"), create_parent="p").text_content()
                     for a in answers]
            assert texts == [i.text for i in question.items]
        elif question.type == "shortanswer":
            assert [a.findtext("answertext") for a in answers] == [s.text for s in question.answers]
            assert fractions == [s.fraction / 100 for s in question.answers]
            assert plugin.findtext("shortanswer/usecase") == ("1" if question.case_sensitive else "0")
        elif question.type == "gapselect":
            assert [a.findtext("feedback") for a in answers] == [str(c.group) for c in question.choices]
            assert set(re.findall(r"\[\[(\d+)\]\]", x.findtext("questiontext"))) <= \
                {str(n) for n in range(1, len(answers) + 1)}
        elif question.type == "ddwtos":
            for a, choice in zip(answers, question.choices):
                assert a.findtext("feedback") == \
                    f'O:8:"stdClass":2:{{s:9:"draggroup";s:1:"{choice.group}";s:8:"infinite";b:0;}}'
        hints = x.findall("question_hints/question_hint")
        if isinstance(item, m.Activities) and qtype != "truefalse":
            assert len(hints) == 1       # interactive behaviour: one hint, two tries
        else:
            assert hints == []
    assert seen == set(QTYPES)


def test_question_images_are_question_files(mini):
    course, _lang, mbz = mini
    records = mbz.files_records()
    with_image = [q for _s, _i, q in course.questions() if q.image is not None]
    assert with_image
    entries = {e.findtext("idnumber"): e for e in mbz.xml("questions.xml").iter("question_bank_entry")}
    course_ctx = mbz.xml("course/course.xml").get("contextid")
    for question in with_image:
        x = entries[question.id].find("question_version/question_versions/questions/question")
        html = lxml.html.fragment_fromstring(x.findtext("questiontext"), create_parent="div")
        img = html.find(".//img")
        assert img.get("alt") == question.image.alt
        name = img.get("src").removeprefix("@@PLUGINFILE@@/")
        assert any(r["component"] == "question" and r["filearea"] == "questiontext" and r["itemid"] == x.get("id")
                   and r["contextid"] == course_ctx and r["filename"] == name for r in records)


# ---------------------------------------------------------------------------
# Files and content

def test_files_xml_matches_the_bytes(mini):
    _course, _lang, mbz = mini
    blobs = {n for n in mbz.data if n.startswith("files/")}
    used = set()
    for r in mbz.files_records():
        if r["filename"] == ".":
            assert r["contenthash"] == EMPTY_SHA1 and r["filesize"] == "0" and r["mimetype"] == NULL
            continue
        name = f"files/{r['contenthash'][:2]}/{r['contenthash']}"
        assert name in mbz.data, name
        data = mbz.data[name]
        assert hashlib.sha1(data).hexdigest() == r["contenthash"]
        assert len(data) == int(r["filesize"])
        used.add(name)
        assert r["filepath"].startswith("/") and r["filepath"].endswith("/")
    assert used == blobs                                    # one blob per content, none unused
    # every folder of a file area has its directory record
    dirs = {(r["contextid"], r["component"], r["filearea"], r["itemid"], r["filepath"])
            for r in mbz.files_records() if r["filename"] == "."}
    for r in mbz.files_records():
        assert (r["contextid"], r["component"], r["filearea"], r["itemid"], r["filepath"]) in dirs


def test_same_content_is_stored_once(mini):
    _course, _lang, mbz = mini
    hashes = Counter(r["contenthash"] for r in mbz.files_records() if r["filename"] != ".")
    assert max(hashes.values()) > 1          # the placeholder video is used by several pages
    stored = [n for n in mbz.data if n.startswith("files/")]
    assert len(stored) == len(hashes)


def _content_html(mbz, a):
    inst = mbz.instance(a)[0]
    field = {"page": "content", "label": "intro"}.get(a["modulename"], "intro")
    return lxml.html.fragment_fromstring(inst.findtext(field) or "<p></p>", create_parent="div")


def test_pluginfile_references_resolve(mini):
    _course, _lang, mbz = mini
    records = mbz.files_records()
    checked = 0
    for a in mbz.activities:
        if a["modulename"] != "page":
            continue
        ctx = mbz.instance(a).get("contextid")
        names = {r["filename"] for r in records if r["contextid"] == ctx and r["component"] == "mod_page"
                 and r["filearea"] == "content" and r["filename"] != "."}
        content = mbz.instance(a)[0].findtext("content")
        for ref in re.findall(r"@@PLUGINFILE@@/([^\"'<>\s]+)", content):
            assert ref in names, (a["title"], ref)
            checked += 1
    assert checked > 5


def test_videos_are_embedded_with_subtitles(mini):
    course, lang, mbz = mini
    by_idnumber = {mbz.module(a).findtext("idnumber"): a for a in mbz.activities}
    records = mbz.files_records()
    videos = list(course.videos())
    assert videos
    for _section, video in videos:
        a = by_idnumber[video.id]
        assert a["modulename"] == "page"
        html = _content_html(mbz, a)
        tag = html.find(".//video")
        assert tag is not None
        source = tag.find(".//source")
        assert source.get("src") == "@@PLUGINFILE@@/" + video.file.name
        track = tag.find(".//track")
        assert track.get("kind") == "subtitles" and track.get("srclang") == lang
        assert track.get("default") is not None and track.get("label")
        assert track.get("src") == f"@@PLUGINFILE@@/{video.id}.{lang}.vtt"
        if video.poster:
            assert tag.get("poster") == "@@PLUGINFILE@@/" + video.poster.name
        ctx = mbz.instance(a).get("contextid")
        vtt = [r for r in records if r["contextid"] == ctx and r["filename"] == f"{video.id}.{lang}.vtt"]
        assert len(vtt) == 1 and vtt[0]["mimetype"] == "text/vtt"
        assert vtt[0]["component"] == "mod_page" and vtt[0]["filearea"] == "content"
        data = mbz.data[f"files/{vtt[0]['contenthash'][:2]}/{vtt[0]['contenthash']}"].decode("utf-8")
        assert data.startswith("WEBVTT")
        assert video.subtitles[0].text in data


def test_project_pages(mini):
    course, lang, mbz = mini
    by_idnumber = {mbz.module(a).findtext("idnumber"): a for a in mbz.activities}
    records = mbz.files_records()
    for project in course.projects:
        overview = by_idnumber[f"tutorial.{project.id}.overview"]
        html = _content_html(mbz, overview)
        images = html.findall(".//img")
        assert {i.get("src") for i in images} == {f"@@PLUGINFILE@@/{project.id}-{k}.{lang}.svg"
                                                 for k in ("mindmap", "timeline", "orgchart")}
        assert all(i.get("alt") for i in images)
        text = html.text_content()
        for node in project.mindmap.children:            # the text equivalent of the mind map
            assert node.label in text
        for actor in project.actors:
            assert actor.name in text
        for testimonial in project.testimonials:
            assert testimonial.name in text
        ctx = mbz.instance(overview).get("contextid")
        svgs = [r for r in records if r["contextid"] == ctx and r["mimetype"] == "image/svg+xml"]
        assert len(svgs) == 3
        sheet = _content_html(mbz, by_idnumber[f"toolbox.{project.id}.sheet"])
        headings = [h.text_content() for h in sheet.iter("h3")]
        assert course.text("description") in headings and course.text("implementation") in headings
        assert lxml.html.fragment_fromstring(project.implementation, create_parent="p").text_content() \
            in sheet.text_content()
        pdf = by_idnumber[f"toolbox.{project.id}.pdf"]
        assert pdf["modulename"] == "resource"
        links = [x.get("href") for x in sheet.iter("a")]
        assert f"$@RESOURCEVIEWBYID*{pdf['moduleid']}@$" in links
        ctx = mbz.instance(pdf).get("contextid")
        files = [r for r in records if r["contextid"] == ctx and r["filename"] != "."]
        assert len(files) == 1 and files[0]["mimetype"] == "application/pdf"
        assert files[0]["component"] == "mod_resource" and files[0]["sortorder"] == "1"
        assert mbz.data[f"files/{files[0]['contenthash'][:2]}/{files[0]['contenthash']}"].startswith(b"%PDF-")


def test_text_is_escaped_not_pasted(mini):
    """Markup characters in the sources reach Moodle as text, and the XML stays
    well-formed (the label says ']]>', '<' and '&')."""
    course, lang, mbz = mini
    label = next(i for _s, i in course.items() if isinstance(i, m.Label))
    a = next(a for a in mbz.activities if mbz.module(a).findtext("idnumber") == label.id)
    html = _content_html(mbz, a)
    assert html.text_content().strip() == label.text
    url = next(i for _s, i in course.items() if isinstance(i, m.Url))
    a = next(a for a in mbz.activities if mbz.module(a).findtext("idnumber") == url.id)
    assert mbz.instance(a).findtext("url/externalurl") == url.url


def test_folder_keeps_its_subfolders(mini):
    course, _lang, mbz = mini
    folder = next(i for _s, i in course.items() if isinstance(i, m.Folder))
    a = next(a for a in mbz.activities if mbz.module(a).findtext("idnumber") == folder.id)
    ctx = mbz.instance(a).get("contextid")
    found = {(r["filepath"], r["filename"]) for r in mbz.files_records()
             if r["contextid"] == ctx and r["filename"] != "."}
    assert found == {("/" + (f.folder + "/" if f.folder else ""), f.file.name) for f in folder.files}


def test_book_chapters(mini):
    course, lang, mbz = mini
    book = next(i for _s, i in course.items() if isinstance(i, m.Book))
    a = next(a for a in mbz.activities if mbz.module(a).findtext("idnumber") == book.id)
    chapters = mbz.instance(a).findall("book/chapters/chapter")
    assert [int(c.findtext("pagenum")) for c in chapters] == list(range(1, len(book.chapters) + 1))
    for chapter, x in zip(book.chapters, chapters):
        html = lxml.html.fragment_fromstring(x.findtext("content"), create_parent="div")
        assert [link.get("href") for link in html.iter("a")] == [link.url for link in chapter.links]
        assert x.findtext("title") == chapter.title


def test_missing_generated_file_fails_without_an_archive(mini_sources, tmp_path, monkeypatch):
    from resolution_pack import assets
    real = assets.generate

    def without_subtitles(course, root, *args, **kw):
        written = real(course, root, *args, **kw)
        for path in written:
            if path.suffix == ".vtt":
                path.unlink()
        return written
    monkeypatch.setattr(assets, "generate", without_subtitles)
    with pytest.raises(FileNotFoundError):
        _build(mini_sources, tmp_path / "out", ["fr"])
    assert not list(tmp_path.rglob("*.mbz")) and not list(tmp_path.rglob("*.part*"))


def test_external_video_keeps_its_url(mini_sources, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(mini_sources, sources)
    section = sources / "sections" / "part-1.yaml"
    text = section.read_text("utf-8")
    assert "    file: media/placeholder-video.webm\n" in text
    section.write_text(text.replace("    file: media/placeholder-video.webm\n",
                                    "    url: https://videos.example.org/intro.mp4?a=1&b=2\n", 1), "utf-8")
    mbz = Mbz(_build(sources, tmp_path / "out", ["fr"])["fr"])
    a = next(a for a in mbz.activities if mbz.module(a).findtext("idnumber") == "part-1.video-1")
    video = _content_html(mbz, a).find(".//video")
    assert video.find(".//source").get("src") == "https://videos.example.org/intro.mp4?a=1&b=2"
    assert video.find(".//track").get("src") == "@@PLUGINFILE@@/part-1.video-1.fr.vtt"
    ctx = mbz.instance(a).get("contextid")
    names = {r["filename"] for r in mbz.files_records() if r["contextid"] == ctx}
    assert "placeholder-video.webm" not in names and "part-1.video-1.fr.vtt" in names


# ---------------------------------------------------------------------------
# The helpers: ids and file areas

def test_ids_are_stable_and_collisions_move_on(monkeypatch):
    from resolution_pack.targets import moodle_ids
    a, b = moodle_ids.Ids(), moodle_ids.Ids()
    assert a("cm", "x.y") == b("cm", "x.y") == a("cm", "x.y")
    assert moodle_ids.LOW <= a("cm", "x.y") < moodle_ids.HIGH
    real = moodle_ids._hash
    monkeypatch.setattr(moodle_ids, "_hash", lambda text: 123456 if text.endswith("\x000") else real(text))
    ids = moodle_ids.Ids()
    first, second = ids("cm", "one"), ids("cm", "two")
    assert first == 123456 and second != first
    assert ids("cm", "two") == second and ids("context", "two") == 123456   # kinds are separate


def test_file_areas_keep_names_unique(tmp_path):
    from resolution_pack.edition import StoredFile
    from resolution_pack.targets.moodle_files import Files, clean_folder, plugin_url
    from resolution_pack.targets.moodle_ids import Ids
    files = Files(Ids())
    one = StoredFile("photo.png", tmp_path / "a", "a" * 40, 3, "image/png")
    other = StoredFile("photo.png", tmp_path / "b", "b" * 40, 4, "image/png")
    r1 = files.add(one, owner="p", contextid=7, component="mod_page", filearea="content")
    again = files.add(one, owner="p", contextid=7, component="mod_page", filearea="content")
    r2 = files.add(other, owner="p", contextid=7, component="mod_page", filearea="content")
    elsewhere = files.add(other, owner="q", contextid=8, component="mod_page", filearea="content")
    assert again is r1 and r1.filename == "photo.png"
    assert r2.filename == "photo-2.png" and elsewhere.filename == "photo.png"
    assert sorted(files.blobs) == ["a" * 40, "b" * 40]
    dirs = [r for r in files.records if r.is_dir]
    assert [(r.contextid, r.filepath) for r in dirs] == [(7, "/"), (8, "/")]
    nested = files.add(one, owner="p", contextid=7, component="mod_folder", filearea="content",
                       filepath=clean_folder("a/b"))
    assert nested.filepath == "/a/b/"
    assert [r.filepath for r in files.records if r.is_dir and r.component == "mod_folder"] == ["/", "/a/", "/a/b/"]
    assert plugin_url("une photo#1.png") == "@@PLUGINFILE@@/une%20photo%231.png"


# ---------------------------------------------------------------------------
# The real course

def test_real_course_counts(real_build):
    course, mbz = real_build
    expected = course.expected["per_edition"]
    idnumbers = {mbz.module(a).findtext("idnumber"): a for a in mbz.activities}
    assert set(idnumbers) == {item.id for _s, item in course.items()}
    quizzes = [a for a in mbz.activities if a["modulename"] == "quiz"]
    graded = [a for a in quizzes if float(mbz.instance(a).findtext("quiz/grade")) > 0]
    assert len(graded) == expected["evaluation_phases"]
    slots = lambda a: len(mbz.instance(a).findall("quiz/question_instances/question_instance"))  # noqa: E731
    assert sum(slots(a) for a in graded) == expected["exercises"]
    assert sum(slots(a) for a in quizzes if a not in graded) == expected["formative_activities"]
    for a in graded:
        gradepass = mbz.xml(f"{a['directory']}/grades.xml").findtext("grade_items/grade_item/gradepass")
        assert float(gradepass) == 7.0
    records = [r for r in mbz.files_records() if r["filename"] != "."]
    pdfs = [r for r in records if r["component"] == "mod_resource" and r["mimetype"] == "application/pdf"]
    assert len(pdfs) == expected["projects"]
    tutorial_vtt = [r for r in records if re.fullmatch(r"tutorial\.p\d+\.video-\d+\.fr\.vtt", r["filename"])]
    assert len(tutorial_vtt) == expected["subtitle_files"]
    tutorial_pages = [i for i in idnumbers if re.fullmatch(r"tutorial\.p\d+\.video-\d+", i)]
    assert len(tutorial_pages) == expected["tutorial_videos"]
    videos = sum(1 for a in mbz.activities if a["modulename"] == "page"
                 and "<video" in (mbz.instance(a).findtext("page/content") or ""))
    assert videos == sum(1 for _ in course.videos())
    assert mbz.text("course/course.xml", "lang") == "fr"


def test_real_course_integrity(real_build):
    _course, mbz = real_build
    for name, data in mbz.data.items():
        if name.endswith(".xml"):
            etree.fromstring(data)
    for r in mbz.files_records():
        if r["filename"] != ".":
            blob = mbz.data[f"files/{r['contenthash'][:2]}/{r['contenthash']}"]
            assert hashlib.sha1(blob).hexdigest() == r["contenthash"] and len(blob) == int(r["filesize"])
    entries = _entries(mbz)
    for a in mbz.activities:
        for ref in mbz.instance(a).iter("question_reference"):
            assert ref.findtext("questionbankentryid") in entries


# ---------------------------------------------------------------------------
# Structure compared with Moodle's own backup

def _kind(name: str) -> str | None:
    parts = name.split("/")
    if not name.endswith(".xml"):
        return None
    if parts[0] == "activities":
        return f"activities/{parts[1].rsplit('_', 1)[0]}/{parts[2]}"
    if parts[0] == "sections":
        return f"sections/{parts[2]}"
    return name


def _shapes(files: dict[str, bytes]) -> dict[str, dict[str, set]]:
    """Per file kind: every element path (tag names from the root) and the
    attribute names seen on it."""
    shapes: dict[str, dict[str, set]] = {}
    for name, data in files.items():
        kind = _kind(name)
        if kind is None:
            continue
        paths = shapes.setdefault(kind, {})
        root = etree.fromstring(data)
        for el in root.iter():
            path = "/".join([a.tag for a in reversed(list(el.iterancestors()))] + [el.tag])
            paths.setdefault(path, set()).update(el.attrib)
    return shapes


def _reference_files() -> dict[str, bytes]:
    return {str(p.relative_to(REFERENCE_COURSE)): p.read_bytes()
            for p in REFERENCE_COURSE.rglob("*") if p.is_file()}


needs_reference = pytest.mark.skipif(
    not REFERENCE_COURSE.is_dir(),
    reason=f"the Moodle 4.5 reference backup is not available ({REFERENCE_COURSE} is absent)")


@needs_reference
def test_structure_matches_moodles_own_backup(mini_build):
    reference = _shapes(_reference_files())
    ours: dict[str, dict[str, set]] = {}
    for mbz in (Mbz(mini_build["fr"]), Mbz(mini_build["en"])):
        for kind, paths in _shapes(mbz.data).items():
            for path, attrs in paths.items():
                ours.setdefault(kind, {}).setdefault(path, set()).update(attrs)
    produced_modules = {k.split("/")[1] for k in ours if k.startswith("activities/")}
    assert produced_modules == {"page", "label", "url", "resource", "folder", "book", "forum", "quiz"} | \
        ({"subsection"} if SUBSECTIONS else set())
    problems = []
    for kind, paths in sorted(reference.items()):
        if kind.startswith("activities/") and kind.split("/")[1] not in produced_modules:
            continue                       # lesson, scorm: module types this target does not write
        if kind not in ours:
            problems.append(f"{kind}: file missing")
            continue
        for path, attrs in sorted(paths.items()):
            if path not in ours[kind]:
                problems.append(f"{kind}: missing element {path}")
            elif not attrs <= ours[kind][path]:
                problems.append(f"{kind}: {path} lacks attributes {sorted(attrs - ours[kind][path])}")
    assert problems == []
    # and nothing Moodle does not write (beyond what its backup code writes
    # for data the reference course does not hold)
    extra = [f"{kind}: {path}" for kind, paths in ours.items() for path in paths
             if kind in reference and path not in reference[kind] and path not in WRITTEN_WHEN_PRESENT.get(kind, ())]
    assert extra == []


# Elements Moodle 4.5's backup code writes when the data exists, absent from
# the reference course because it has none of it.
WRITTEN_WHEN_PRESENT = {
    # mod/quiz/backup/moodle2/backup_quiz_stepslib.php: feedback ['id'], ['feedbacktext',
    # 'feedbacktextformat', 'mingrade', 'maxgrade'] under feedbacks (quiz_feedback)
    "activities/quiz/quiz.xml": {f"activity/quiz/feedbacks/feedback{tail}" for tail in
                                 ("", "/feedbacktext", "/feedbacktextformat", "/mingrade", "/maxgrade")},
    # backup/moodle2/backup_stepslib.php backup_filters_structure_step: filter_active (filter, active)
    "course/filters.xml": {f"filters/filter_actives/filter_active{tail}" for tail in ("", "/filter", "/active")},
}
# A subsection's folder (the reference course has none): the files of every
# activity (backup_activity_task) and subsection.xml
# (mod/subsection/backup/moodle2/backup_subsection_stepslib.php).
SUBSECTION_FILES = ACTIVITY_FILES | {"subsection.xml"}


@needs_reference
def test_activity_folders_hold_what_moodle_writes(mini_build):
    reference = {}
    for d in (REFERENCE_COURSE / "activities").iterdir():
        reference.setdefault(d.name.rsplit("_", 1)[0], set()).update(p.name for p in d.iterdir())
    mbz = Mbz(mini_build["fr"])
    for a in mbz.activities:
        d = a["directory"]
        present = {n[len(d) + 1:] for n in mbz.data if n.startswith(d + "/")}
        wanted = SUBSECTION_FILES if a["modulename"] == "subsection" else reference[a["modulename"]]
        assert wanted <= present, (d, wanted - present)
    reference_root = {str(p.relative_to(REFERENCE_COURSE)) for p in REFERENCE_COURSE.rglob("*")
                      if p.is_file() and p.parent in (REFERENCE_COURSE, REFERENCE_COURSE / "course")}
    assert reference_root <= set(mbz.data)


@needs_reference
def test_version_fields_match_the_reference(mini_build):
    ref = etree.parse(str(REFERENCE_COURSE / "moodle_backup.xml")).getroot()
    mbz = Mbz(mini_build["fr"])
    ours = mbz.xml("moodle_backup.xml")
    for field in ("backup_version", "backup_release"):
        assert ours.findtext(f"information/{field}") == ref.findtext(f"information/{field}")
    # a backup newer than the site gets a restore warning: never claim a newer Moodle than the reference's
    assert int(ours.findtext("information/moodle_version")) <= int(ref.findtext("information/moodle_version"))
    ref_root = [s.findtext("name") for s in ref.iterfind("information/settings/setting")
                if s.findtext("level") == "root"]
    our_root = [s.findtext("name") for s in ours.iterfind("information/settings/setting")
                if s.findtext("level") == "root"]
    assert our_root == ref_root


def test_real_course_has_no_filter_trigger_and_no_repeated_name(real_build):
    """What a learner would meet (check_learner): nothing Moodle's default
    filters rewrite, no two activities of a section with one name; the
    tutorials' overview pages say whose project they show."""
    from resolution_pack.check import learner as check_learner
    _course, mbz = real_build
    docs = {name: mbz.xml(name) for name in mbz.data if name.endswith(".xml")}
    assert check_learner.problems(docs) == []
    titles = [a["title"] for a in mbz.activities]
    # the overview page of each project has the same name; it says whose it is
    assert "Le projet en un coup d'œil" not in titles
    assert "Le projet en un coup d'œil – Des travaux publics au marché du travail ouvert" in titles
    assert "Programme Híd : les étapes clés" in titles       # a video named apart by its sources

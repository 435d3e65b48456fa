"""The Moodle backup's plan, unit by unit: sections and their numbers,
modules and their completion, quizzes, grade items, files.xml records,
the qbank module of 5.x, the release tables, on small hand-made courses.

Expected values are what Moodle's backup writes and its restore reads
(backup/moodle2/backup_stepslib.php, mod_quiz's quiz_process_options for
the feedback bands, natural aggregation for grade weights, file_storage for
directory records), never the output copied back.
"""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
from lxml import etree

from resolution_pack import model as m
from resolution_pack.edition import Edition, MediaStore
from resolution_pack.targets import moodle_backup, moodle_releases
from resolution_pack.targets.moodle_archive import xml_files
from resolution_pack.targets.moodle_backup import MoodleBackup
from resolution_pack.targets.moodle_files import EMPTY_SHA1, Files, clean_folder, plugin_url
from resolution_pack.targets.moodle_ids import Ids
from resolution_pack.targets.moodle_releases import RELEASES, release
from resolution_pack.targets.moodle_views import activity_name

NULL = "$@NULL@$"
IDS = Ids()
UI = {"speaker_says": "{speaker} says", "activities": "Exercises", "evaluation": "Test", "question_bank": "Bank", "sheet_pdf": "{title} (PDF)",
      "name_in_group": "{name} – {group}", "pass_mark": "Pass: {percent}%", "feedback_passed": "Well done",
      "feedback_not_yet": "Not yet ({percent}%)"}


def course(sections, ui=None, startdate="2026-01-05") -> m.Course:
    return m.Course(id="c", source_language="en", languages=["en"], startdate=startdate,
                    editions={"en": m.Edition("en", "SHORT", "Full name")}, sections=sections, projects=[],
                    expected={}, ui={k: m.UiString(k, text=v) for k, v in (ui if ui is not None else UI).items()},
                    lang="en", title="Course", summary="Summary")


@pytest.fixture
def media(tmp_path):
    for name, data in {"a.png": b"png-a", "b.png": b"png-b", "doc.pdf": b"%PDF", "same.png": b"png-a"}.items():
        (tmp_path / "media").mkdir(exist_ok=True)
        (tmp_path / "media" / name).write_bytes(data)
    return tmp_path


def backup(sections, rel="4.5", root=Path("/nonexistent"), **kw) -> MoodleBackup:
    r = release(rel) if isinstance(rel, str) else rel
    return MoodleBackup(Edition(course(sections, **kw), MediaStore(root, root / "generated")), r)


def ref(name):
    return m.MediaRef(f"media/{name}")


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def tf(qid, graded=False):
    return m.Question(qid, "truefalse", text="Q", answer=True, graded=graded)


def mods(b):
    return {mod.key: mod for mod in b.modules}


# ---------------------------------------------------------------------------
# sections

def test_section_0_is_left_empty_without_a_home_section():
    b = backup([m.Section("s1", title="One", summary="First"), m.Section("s2", title="Two  words")])
    assert [(s.key, s.id, s.number, s.name, s.summary, s.parent) for s in b.sections] == [
        ("", IDS("section", "\x00section-0"), 0, None, "", None),
        ("s1", IDS("section", "s1"), 1, "One", "<p>First</p>", None),
        ("s2", IDS("section", "s2"), 2, "Two words", "", None)]


def test_a_home_section_is_section_0():
    b = backup([m.Section("home", role="home", title="Welcome"), m.Section("s1", title="One")])
    assert [(s.key, s.number, s.name) for s in b.sections] == [("home", 0, "Welcome"), ("s1", 1, "One")]


def test_section_xml():
    b = backup([m.Section("s1", title="One", items=[m.Label("s1.l", text="Hi"), m.Label("s1.m", text="Ho")])])
    files = dict(xml_files(b, "x.mbz"))
    section = b.sections[1]
    x = etree.fromstring(files[f"sections/section_{section.id}/section.xml"].encode())
    assert x.get("id") == str(IDS("section", "s1"))
    assert {c.tag: c.text for c in x} == {
        "number": "1", "name": "One", "summary": None, "summaryformat": "1",
        "sequence": f"{IDS('cm', 's1.l')},{IDS('cm', 's1.m')}", "visible": "1", "availabilityjson": NULL,
        "component": NULL, "itemid": NULL, "timemodified": str(b.now)}
    assert etree.fromstring(files[f"sections/section_{b.sections[0].id}/section.xml"].encode()).findtext("name") == NULL


# ---------------------------------------------------------------------------
# modules

def test_module_kinds_names_and_completion(media):
    items = [
        m.Page("s1.page", title="Page", intro="Intro"),
        m.Page("s1.page2", title="Page two"),
        m.Label("s1.label", text="<b>Short</b> label"),
        m.Label("s1.long", text="x" * 51),
        m.Label("s1.empty", text=""),
        m.Url("s1.url", url="https://example.org/", title="Site", description="About"),
        m.Url("s1.url2", url="https://example.org/2", title="Bare"),
        m.Resource("s1.res", file=ref("doc.pdf"), title="Doc"),
        m.Folder("s1.folder", title="Files", description="Some", files=[m.FolderFile(ref("a.png"), "x/y")]),
        m.Book("s1.book", title="Book", intro="Read", chapters=[m.Chapter(id="s1.book.c1", title="C1", body="B1"),
                                                               m.Chapter(id="s1.book.c2", title="C2")]),
        m.Forum("s1.forum", title="News", type=""),
        m.Forum("s1.forum2", title="Talk", type="general"),
        m.Recipe("s1.recipe", title="Cook"),
        m.PhotoStory("s1.story", title="Story"),
    ]
    b = backup([m.Section("s1", title="One", items=items)], root=media)
    got = {mod.key: (mod.modname, mod.name, mod.completion, mod.completionview, mod.showdescription, mod.visible,
                     mod.completiongradeitemnumber, mod.completionpassgrade) for mod in b.modules}
    assert got == {
        "s1.page": ("page", "Page", 2, 1, 0, 1, None, 0), "s1.page2": ("page", "Page two", 2, 1, 0, 1, None, 0),
        "s1.label": ("label", "Short label", 0, 0, 1, 1, None, 0),
        "s1.long": ("label", "x" * 50 + "...", 0, 0, 1, 1, None, 0),
        "s1.empty": ("label", "label", 0, 0, 1, 1, None, 0),
        "s1.url": ("url", "Site", 2, 1, 0, 1, None, 0), "s1.url2": ("url", "Bare", 2, 1, 0, 1, None, 0),
        "s1.res": ("resource", "Doc", 2, 1, 0, 1, None, 0), "s1.folder": ("folder", "Files", 2, 1, 0, 1, None, 0),
        "s1.book": ("book", "Book", 2, 1, 0, 1, None, 0), "s1.forum": ("forum", "News", 0, 0, 0, 1, None, 0),
        "s1.forum2": ("forum", "Talk", 0, 0, 0, 1, None, 0), "s1.recipe": ("page", "Cook", 2, 1, 0, 1, None, 0),
        "s1.story": ("page", "Story", 2, 1, 0, 1, None, 0)}
    for mod in b.modules:
        assert (mod.cmid, mod.instance, mod.contextid, mod.section) == (
            IDS("cm", mod.key), IDS(f"instance:{mod.modname}", mod.key), IDS("context", mod.key), b.sections[1])
        assert mod.idnumber == mod.key
    d = {k: mod.data for k, mod in mods(b).items()}
    assert d["s1.page"]["intro"] == "<p>Intro</p>" and d["s1.page"]["printintro"] == 1
    assert d["s1.page2"]["intro"] == "" and d["s1.page2"]["printintro"] == 0
    assert d["s1.label"] == {"intro": "<p><b>Short</b> label</p>"}
    assert d["s1.url"] == {"intro": "<p>About</p>", "externalurl": "https://example.org/", "printintro": 1}
    assert d["s1.url2"] == {"intro": "", "externalurl": "https://example.org/2", "printintro": 0}
    assert d["s1.res"] == {"intro": "", "printintro": 0}
    assert d["s1.folder"] == {"intro": "<p>Some</p>"}
    assert d["s1.book"] == {"intro": "<p>Read</p>", "chapters": [
        {"id": IDS("book_chapter", "s1.book.c1"), "pagenum": 1, "title": "C1", "content": d["s1.book"]["chapters"][0]
         ["content"]},
        {"id": IDS("book_chapter", "s1.book.c2"), "pagenum": 2, "title": "C2", "content": ""}]}
    assert "<p>B1</p>" in d["s1.book"]["chapters"][0]["content"]
    assert d["s1.forum"] == {"type": "news", "intro": ""}
    assert d["s1.forum2"] == {"type": "general", "intro": ""}
    assert b.sections[1].sequence == ",".join(str(IDS("cm", i.id)) for i in items)


def test_resource_and_project_pdf_files(media):
    project = m.Project("p1", title="Proj")
    items = [m.Resource("s1.res", file=ref("doc.pdf"), title="Doc", description="D"),
             m.ProjectPdf("toolbox.p1.pdf", file=ref("doc.pdf"), title="Proj", project=project)]
    b = backup([m.Section("s1", title="One", items=items)], root=media)
    assert [mod.name for mod in b.modules] == ["Doc", "Proj (PDF)"]
    assert mods(b)["s1.res"].data == {"intro": "<p>D</p>", "printintro": 1}
    records = [(r.contextid, r.component, r.filearea, r.itemid, r.filepath, r.filename, r.sortorder, r.contenthash,
                r.filesize, r.mimetype) for r in b.files.records]
    ctx, ctx2 = IDS("context", "s1.res"), IDS("context", "toolbox.p1.pdf")
    assert records == [
        (ctx, "mod_resource", "content", 0, "/", "doc.pdf", 1, sha1(b"%PDF"), 4, "application/pdf"),
        (ctx, "mod_resource", "content", 0, "/", ".", 0, EMPTY_SHA1, 0, None),
        (ctx2, "mod_resource", "content", 0, "/", "doc.pdf", 1, sha1(b"%PDF"), 4, "application/pdf"),
        (ctx2, "mod_resource", "content", 0, "/", ".", 0, EMPTY_SHA1, 0, None)]
    assert b.files.records[0].id == IDS("file", "s1.res\x00mod_resource/content/0/doc.pdf")
    assert b.files.records[1].id == IDS("file", "s1.res\x00mod_resource/content/0/.")
    assert {digest: f.path for digest, f in b.files.blobs.items()} == {sha1(b"%PDF"): media / "media" / "doc.pdf"}


def test_folder_keeps_subfolders_with_a_record_per_directory(media):
    folder = m.Folder("s1.f", title="F", files=[m.FolderFile(ref("a.png"), "x/y"), m.FolderFile(ref("b.png"), ""),
                                                m.FolderFile(ref("same.png"), "x")])
    b = backup([m.Section("s1", title="One", items=[folder])], root=media)
    assert [(r.filepath, r.filename, r.component, r.filearea, r.sortorder) for r in b.files.records] == [
        ("/x/y/", "a.png", "mod_folder", "content", 0), ("/", ".", "mod_folder", "content", 0),
        ("/x/", ".", "mod_folder", "content", 0), ("/x/y/", ".", "mod_folder", "content", 0),
        ("/", "b.png", "mod_folder", "content", 0), ("/x/", "same.png", "mod_folder", "content", 0)]
    assert {digest: f.path for digest, f in b.files.blobs.items()} == {sha1(b"png-a"): media / "media" / "a.png",
                                                                       sha1(b"png-b"): media / "media" / "b.png"}


def test_page_images_are_page_content_files(media):
    page = m.Page("s1.p", title="P", parts=[m.Part(heading="H", image=m.Image(ref("a.png"), alt="Alt"))])
    b = backup([m.Section("s1", title="One", items=[page])], root=media)
    content = mods(b)["s1.p"].data["content"]
    assert plugin_url("a.png") in content and 'alt="Alt"' in content
    assert [(r.contextid, r.component, r.filearea, r.itemid, r.filename) for r in b.files.records] == [
        (IDS("context", "s1.p"), "mod_page", "content", 0, "a.png"),
        (IDS("context", "s1.p"), "mod_page", "content", 0, ".")]


def test_question_images_are_question_files(media):
    q = m.Question("s1.a.q", "truefalse", text="Q", answer=True, image=m.Image(ref("b.png"), alt="B"))
    for rel, ctx in (("4.5", IDS("context", "course")), ("5.1", IDS("context", "\x00qbank"))):
        b = backup([m.Section("s1", title="One", items=[m.Activities("s1.a", questions=[q])])], rel, root=media)
        r = b.files.records[0]
        assert (r.contextid, r.component, r.filearea, r.itemid, r.filename, r.filepath) == (
            ctx, "question", "questiontext", IDS("question", "s1.a.q"), "b.png", "/")
        assert r.id == IDS("file", f"s1.a.q\x00question/questiontext/{IDS('question', 's1.a.q')}/b.png")
        text = b.qbank.categories[1]["entries"][0]["question"]["questiontext"]
        assert text == '<p><img src="@@PLUGINFILE@@/b.png" alt="B" class="img-fluid"></p> <p>Q</p>'


def test_no_mapping_is_a_type_error():
    class Odd(m.Item):
        kind = "odd"
    with pytest.raises(TypeError, match="s1.x: no Moodle mapping for a Odd"):
        backup([m.Section("s1", title="One", items=[Odd("s1.x")])])


# ---------------------------------------------------------------------------
# quizzes and grades

def _quizzes(pass_percent=70, rel="4.5", behaviour=None, **kw):
    video = m.Video("s1.v", title="Watch  me", url="https://example.org/v.mp4")
    items = [video, m.Activities("s1.act", title="Try", questions=[tf("s1.act.q")], behaviour=behaviour),
             m.Evaluation("s1.eval", title="Exam", pass_percent=pass_percent, behaviour=behaviour,
                          questions=[tf("s1.eval.q1", True), tf("s1.eval.q2", True)], **kw)]
    other = [m.Evaluation("s2.eval", title="Exam 2", pass_percent=50, questions=[tf("s2.eval.q", True)])]
    return backup([m.Section("s1", title="One", items=items), m.Section("s2", title="Two", items=other)], rel)


def test_graded_and_ungraded_quizzes():
    b = _quizzes()
    act, ev = mods(b)["s1.act"], mods(b)["s1.eval"]
    assert (act.completion, act.completionview, act.completiongradeitemnumber, act.completionpassgrade) == (2, 1, None, 0)
    assert (ev.completion, ev.completionview, ev.completiongradeitemnumber, ev.completionpassgrade) == (2, 0, 0, 1)
    assert {k: act.data[k] for k in ("graded", "preferredbehaviour", "grade", "sumgrades", "section_id",
                                     "pass_percent", "feedbacks")} == {
        "graded": False, "preferredbehaviour": "interactive", "grade": "0.00000", "sumgrades": "1.00000",
        "section_id": IDS("quiz_section", "s1.act"), "pass_percent": None, "feedbacks": []}
    assert {k: ev.data[k] for k in ("graded", "preferredbehaviour", "grade", "sumgrades", "section_id",
                                    "pass_percent")} == {
        "graded": True, "preferredbehaviour": "deferredfeedback", "grade": "10.00000", "sumgrades": "2.00000",
        "section_id": IDS("quiz_section", "s1.eval"), "pass_percent": 70}
    assert "Pass: 70%" in ev.data["intro"] and "Pass" not in act.data["intro"]


def test_a_quiz_keeps_its_own_behaviour():
    b = _quizzes(behaviour="immediatefeedback")
    assert [mods(b)[k].data["preferredbehaviour"] for k in ("s1.act", "s1.eval", "s2.eval")] == \
        ["immediatefeedback", "immediatefeedback", "deferredfeedback"]


def test_no_pass_mark_line_without_its_string():
    ui = {k: v for k, v in UI.items() if k != "pass_mark"}
    item = m.Evaluation("s1.e", title="E", intro="Go", questions=[tf("s1.e.q", True)])
    b = backup([m.Section("s1", title="One", items=[item])], ui=ui)
    assert mods(b)["s1.e"].data["intro"] == "<p>Go</p>"


@pytest.mark.parametrize("pass_percent, mingrade", [(70, "7.00000"), (55, "5.50000"), (100, "10.00000")])
def test_two_feedback_bands_the_lower_one_lists_the_videos(pass_percent, mingrade):
    b = _quizzes(pass_percent)
    bands = mods(b)["s1.eval"].data["feedbacks"]
    assert [(f["id"], f["mingrade"], f["maxgrade"]) for f in bands] == [
        (IDS("quiz_feedback", "s1.eval\x00pass"), mingrade, "11.00000"),
        (IDS("quiz_feedback", "s1.eval\x00not-yet"), "0.00000", mingrade)]
    passed, not_yet = bands[0]["text"], bands[1]["text"]
    assert "Well done" in passed and "PAGEVIEWBYID" not in passed
    assert f"Not yet ({pass_percent}%)" in not_yet
    assert f'href="$@PAGEVIEWBYID*{IDS("cm", "s1.v")}@$"' in not_yet and "Watch me" in not_yet
    assert "PAGEVIEWBYID" not in mods(b)["s2.eval"].data["feedbacks"][1]["text"]   # no video in part two


def test_a_quizs_own_feedback_texts():
    b = _quizzes(feedback_pass="Bravo", feedback_not_yet="Encore")
    bands = mods(b)["s1.eval"].data["feedbacks"]
    assert "<p>Bravo</p>" in bands[0]["text"] and "Well done" not in bands[0]["text"]
    assert "<p>Encore</p>" in bands[1]["text"] and "Not yet" not in bands[1]["text"]


def test_grade_items_with_natural_weights():
    b = _quizzes(pass_percent=65)
    assert b.grade_category == IDS("grade_category", "course")
    assert b.course_grade_item == {"id": IDS("grade_item", "\x00course"), "grademax": "20.00000"}
    ev, ev2 = mods(b)["s1.eval"], mods(b)["s2.eval"]
    assert ev.grade_item == {"id": IDS("grade_item", "s1.eval"), "categoryid": IDS("grade_category", "course"),
                             "itemname": "Exam", "iteminstance": IDS("instance:quiz", "s1.eval"),
                             "idnumber": "s1.eval", "grademax": "10.00000", "gradepass": "6.50000",
                             "aggregationcoef2": "0.50000", "sortorder": 2}
    assert (ev2.grade_item["gradepass"], ev2.grade_item["sortorder"], ev2.grade_item["aggregationcoef2"]) == \
        ("5.00000", 3, "0.50000")
    assert mods(b)["s1.act"].grade_item is None


def test_three_graded_quizzes_weigh_a_third_each_and_none_leaves_100():
    items = [m.Evaluation(f"s1.e{n}", title=f"E{n}", questions=[tf(f"s1.e{n}.q", True)]) for n in range(3)]
    b = backup([m.Section("s1", title="One", items=items)])
    assert b.course_grade_item["grademax"] == "30.00000"
    assert [mod.grade_item["aggregationcoef2"] for mod in b.modules] == ["0.33333"] * 3
    assert [mod.grade_item["sortorder"] for mod in b.modules] == [2, 3, 4]
    assert backup([m.Section("s1", title="One")]).course_grade_item["grademax"] == "100.00000"


def test_quiz_and_grades_xml():
    b = _quizzes(pass_percent=80)
    files = dict(xml_files(b, "x.mbz"))
    ev = mods(b)["s1.eval"]
    module = etree.fromstring(files[f"{ev.directory}/module.xml"].encode())
    assert (module.get("id"), module.get("version")) == (str(ev.cmid), "2024072500")
    assert {c.tag: c.text for c in module if c.tag in ("modulename", "sectionid", "sectionnumber", "idnumber",
                                                       "visible", "completion", "completiongradeitemnumber",
                                                       "completionpassgrade", "completionview")} == {
        "modulename": "quiz", "sectionid": str(IDS("section", "s1")), "sectionnumber": "1", "idnumber": "s1.eval",
        "visible": "1", "completion": "2", "completiongradeitemnumber": "0", "completionpassgrade": "1",
        "completionview": "0"}
    act = etree.fromstring(files[f"{mods(b)['s1.act'].directory}/module.xml"].encode())
    assert act.findtext("completiongradeitemnumber") == NULL
    grade = etree.fromstring(files[f"{ev.directory}/grades.xml"].encode()).find("grade_items/grade_item")
    assert grade.get("id") == str(IDS("grade_item", "s1.eval"))
    assert {k: grade.findtext(k) for k in ("categoryid", "itemtype", "itemmodule", "iteminstance", "idnumber",
                                           "grademax", "gradepass", "aggregationcoef2", "sortorder")} == {
        "categoryid": str(IDS("grade_category", "course")), "itemtype": "mod", "itemmodule": "quiz",
        "iteminstance": str(IDS("instance:quiz", "s1.eval")), "idnumber": "s1.eval", "grademax": "10.00000",
        "gradepass": "8.00000", "aggregationcoef2": "0.50000", "sortorder": "2"}
    inforef = etree.fromstring(files[f"{ev.directory}/inforef.xml"].encode())
    assert [e.findtext("id") for e in inforef.iterfind("grade_itemref/grade_item")] == [str(IDS("grade_item", "s1.eval"))]


# ---------------------------------------------------------------------------
# groups (a heading label with its items, or a subsection module)

def _grouped(rel="4.5"):
    project = m.Project("p1", title="Proj")
    sub = m.Subsection("s1.p1", project=project, title=None, items=[
        m.Page("s1.p1.page", title="Intro"), m.Page("s1.p1.other", title="Only here")])
    sub2 = m.Subsection("s1.p2", title="Second", items=[m.Page("s1.p2.page", title="Intro")])
    return backup([m.Section("s1", title="One", items=[sub, sub2, m.Page("s1.after", title="After")]),
                   m.Section("s2", title="Two", items=[m.Page("s2.x", title="X")])], rel)


def test_without_subsections_a_heading_label_stands_for_the_group():
    b = _grouped()
    assert [(mod.key, mod.modname, mod.name, mod.showdescription) for mod in b.modules] == [
        ("s1.p1", "label", "Proj", 1), ("s1.p1.page", "page", "Intro – Proj", 0),
        ("s1.p1.other", "page", "Only here", 0), ("s1.p2", "label", "Second", 1),
        ("s1.p2.page", "page", "Intro – Second", 0), ("s1.after", "page", "After", 0), ("s2.x", "page", "X", 0)]
    assert "Proj" in mods(b)["s1.p1"].data["intro"]
    assert [s.number for s in b.sections] == [0, 1, 2]
    assert all(mod.section is b.sections[1] for mod in b.modules[:6])


def test_with_subsections_a_delegated_section_after_the_courses_own():
    rel = dataclasses.replace(RELEASES["5.1"], subsections=True)
    b = _grouped(rel)
    assert [(s.key, s.number, s.name, s.parent.key if s.parent else None) for s in b.sections] == [
        ("", 0, None, None), ("s1", 1, "One", None), ("s2", 2, "Two", None), ("s1.p1", 3, "Proj", "s1.p1"),
        ("s1.p2", 4, "Second", "s1.p2")]
    assert [(mod.key, mod.modname, mod.name, mod.section.key) for mod in b.modules] == [
        ("", "qbank", "Bank", ""), ("s1.p1", "subsection", "Proj", "s1"), ("s1.p1.page", "page", "Intro", "s1.p1"),
        ("s1.p1.other", "page", "Only here", "s1.p1"), ("s1.p2", "subsection", "Second", "s1"),
        ("s1.p2.page", "page", "Intro", "s1.p2"), ("s1.after", "page", "After", "s1"), ("s2.x", "page", "X", "s2")]
    order = [(kind, x.key) for kind, x in b.settings_order()]
    assert order == [("section", ""), ("activity", ""), ("section", "s1"), ("activity", "s1.p1"),
                     ("section", "s1.p1"), ("activity", "s1.p1.page"), ("activity", "s1.p1.other"),
                     ("activity", "s1.p2"), ("section", "s1.p2"), ("activity", "s1.p2.page"),
                     ("activity", "s1.after"), ("section", "s2"), ("activity", "s2.x")]
    files = dict(xml_files(b, "x.mbz"))
    inner = etree.fromstring(files[f"sections/section_{IDS('section', 's1.p1')}/section.xml"].encode())
    assert (inner.findtext("component"), inner.findtext("itemid")) == \
        ("mod_subsection", str(IDS("instance:subsection", "s1.p1")))


def test_settings_order_without_subsections():
    b = _grouped()
    assert [(kind, x.key) for kind, x in b.settings_order()] == [
        ("section", ""), ("section", "s1"), ("activity", "s1.p1"), ("activity", "s1.p1.page"),
        ("activity", "s1.p1.other"), ("activity", "s1.p2"), ("activity", "s1.p2.page"), ("activity", "s1.after"),
        ("section", "s2"), ("activity", "s2.x")]


def test_a_label_never_takes_a_name_from_others():
    project = m.Project("p1", title="Proj")
    sub = m.Subsection("s1.p1", project=project, title=None, items=[m.Label("s1.p1.l", text="Proj")])
    b = backup([m.Section("s1", title="One", items=[sub])])
    assert [mod.name for mod in b.modules] == ["Proj", "Proj"]     # labels are not names learners pick from


# ---------------------------------------------------------------------------
# 5.x: the qbank module

@pytest.mark.parametrize("rel", ["5.0", "5.1"])
def test_5x_questions_live_in_a_hidden_qbank_module_first_in_section_0(rel):
    b = _quizzes(rel=rel)
    bank = b.modules[0]
    assert b.bank_module is bank and b.sections[0].modules[0] is bank
    assert (bank.key, bank.modname, bank.cmid, bank.instance, bank.contextid, bank.visible, bank.name, bank.data) == (
        "", "qbank", IDS("cm", "\x00qbank"), IDS("instance:qbank", "\x00qbank"), IDS("context", "\x00qbank"), 0,
        "Bank", {"type": "standard"})
    assert bank.idnumber is None
    assert b.question_context == (IDS("context", "\x00qbank"), IDS("cm", "\x00qbank"), 70)
    files = dict(xml_files(b, "x.mbz"))
    course_inforef = etree.fromstring(files["course/inforef.xml"].encode())
    assert course_inforef.find("question_categoryref") is None
    bank_inforef = etree.fromstring(files[f"{bank.directory}/inforef.xml"].encode())
    assert [e.findtext("id") for e in bank_inforef.iterfind("question_categoryref/question_category")] == \
        [str(c["id"]) for c in b.qbank.categories]


def test_4_5_has_no_qbank_module_and_the_course_lists_every_category():
    b = _quizzes()
    assert b.bank_module is None and "qbank" not in {mod.modname for mod in b.modules}
    assert b.question_context == (IDS("context", "course"), IDS("course", "c"), 50)
    files = dict(xml_files(b, "x.mbz"))
    course_inforef = etree.fromstring(files["course/inforef.xml"].encode())
    assert [e.findtext("id") for e in course_inforef.iterfind("question_categoryref/question_category")] == \
        [str(c["id"]) for c in b.qbank.categories]


# ---------------------------------------------------------------------------
# the release tables

def test_releases_and_archive_names():
    assert list(RELEASES) == ["4.5", "5.0", "5.1"] and moodle_releases.DEFAULT == "4.5"
    assert [moodle_releases.archive_name("ABC", r) for r in RELEASES] == \
        ["ABC.mbz", "ABC-moodle50.mbz", "ABC-moodle51.mbz"]
    assert moodle_releases.archive_name("ABC") == "ABC.mbz"
    with pytest.raises(ValueError, match=r"no Moodle release '4\.4': use one of 4\.5, 5\.0, 5\.1"):
        release("4.4")
    r45, r50, r51 = (RELEASES[n] for n in ("4.5", "5.0", "5.1"))
    assert (r45.qbank, r50.qbank, r51.qbank) == (False, True, True)
    assert (r45.subsections, r50.subsections, r51.subsections) == (False, False, False)
    assert (r45.has("precreateattempts"), r50.has("precreateattempts"), r51.has("precreateattempts")) == \
        (False, True, True)
    assert (r45.has("enableaitools"), r50.has("enableaitools"), r51.has("enableaitools")) == (False, False, True)
    assert (r45.backup_version, r50.backup_version, r51.backup_version) == ("2024042200", "2025041400", "2025100600")
    assert (r45.moodle_version, r50.moodle_version, r51.moodle_version) == ("2024090300", "2025041400", "2025100600")
    assert (r45.moodle_release, r50.moodle_release, r51.moodle_release) == ("4.5", "5.0", "5.1")
    assert r50.module_versions == {n: "2025041400" for n in moodle_releases.MODULES}
    assert r51.module_versions["qbank"] == "2025100600" and r45.module_versions["quiz"] == "2024072500"
    assert r45.module_versions["forum"] == "2024082100" and r45.module_versions["subsection"] == "2024070100"


def test_root_settings_of_each_release():
    settings = dict(moodle_releases.root_settings(RELEASES["4.5"]))
    assert settings["questionbank"] == 1 and settings["anonymize"] == 0 and settings["users"] == 1
    assert len(settings) == 21
    for name in ("5.0", "5.1"):
        assert moodle_releases.root_settings(RELEASES[name]) == \
            tuple((k, v) for k, v in moodle_releases.ROOT_SETTINGS if k != "questionbank")


def test_outputs_and_releases_of_an_edition(tmp_path):
    edition = Edition(course([]), MediaStore(tmp_path, tmp_path))
    assert moodle_backup.releases(edition) == ["4.5"] and moodle_backup.outputs(edition) == ["SHORT.mbz"]
    edition.options["moodle"] = ("5.1", "4.5")
    assert moodle_backup.outputs(edition) == ["SHORT-moodle51.mbz", "SHORT.mbz"]


# ---------------------------------------------------------------------------
# start date, views, files helpers

@pytest.mark.parametrize("startdate, expected", [("2026-01-05", 1767571200), ("2024-02-29T10:00:00", 1709164800),
                                                 ("soon", None)])
def test_startdate_is_midnight_utc_of_the_day(startdate, expected, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    b = MoodleBackup(Edition(course([], startdate=startdate), MediaStore(Path("/x"), Path("/x"))))
    assert b.now == 1700000000
    assert b.startdate == (expected if expected is not None else 1700000000)


@pytest.mark.parametrize("text, expected", [("  Name ", "Name"), ("", "-"), ("   ", "-"), ("a" * 1333, "a" * 1333),
                                            ("a" * 1334, "a" * 1332 + "…")])
def test_activity_names_are_never_empty_nor_longer_than_moodle_takes(text, expected):
    assert activity_name(text) == expected


@pytest.mark.parametrize("folder, expected", [("", "/"), (None, "/"), ("a", "/a/"), ("a/b", "/a/b/"), ("/a/./b/", "/a/b/"),
                                              (".", "/")])
def test_clean_folder(folder, expected):
    assert clean_folder(folder) == expected


@pytest.mark.parametrize("name, expected", [("a.png", "@@PLUGINFILE@@/a.png"),
                                            ("été 1/2.png", "@@PLUGINFILE@@/%C3%A9t%C3%A9%201%2F2.png")])
def test_plugin_url(name, expected):
    assert plugin_url(name) == expected


def _stored(name, data, tmp_path):
    from resolution_pack.edition import StoredFile
    path = tmp_path / f"{sha1(data)}"
    path.write_bytes(data)
    return StoredFile(name, path, sha1(data), len(data), "image/png")


def test_files_same_bytes_once_other_bytes_numbered(tmp_path):
    files = Files(Ids())
    a = files.add(_stored("x.png", b"1", tmp_path), owner="o", contextid=7, component="mod_page", filearea="content")
    again = files.add(_stored("x.png", b"1", tmp_path), owner="o", contextid=7, component="mod_page",
                      filearea="content")
    other = files.add(_stored("x.png", b"2", tmp_path), owner="o", contextid=7, component="mod_page",
                      filearea="content")
    third = files.add(_stored("x.png", b"3", tmp_path), owner="o", contextid=7, component="mod_page",
                      filearea="content")
    bare = files.add(_stored("README", b"4", tmp_path), owner="o", contextid=7, component="mod_page",
                     filearea="content")
    bare2 = files.add(_stored("README", b"5", tmp_path), owner="o", contextid=7, component="mod_page",
                      filearea="content")
    elsewhere = files.add(_stored("x.png", b"2", tmp_path), owner="o", contextid=8, component="mod_page",
                          filearea="content", itemid=3)
    assert again is a
    assert [r.filename for r in (a, other, third, bare, bare2, elsewhere)] == \
        ["x.png", "x-2.png", "x-3.png", "README", "README-2", "x.png"]
    assert [(r.contextid, r.itemid, r.filepath, r.filename, r.filesize) for r in files.records] == [
        (7, 0, "/", "x.png", 1), (7, 0, "/", ".", 0), (7, 0, "/", "x-2.png", 1), (7, 0, "/", "x-3.png", 1),
        (7, 0, "/", "README", 1), (7, 0, "/", "README-2", 1), (8, 3, "/", "x.png", 1), (8, 3, "/", ".", 0)]
    assert sorted(files.blobs) == sorted(sha1(d) for d in (b"1", b"2", b"3", b"4", b"5"))
    assert [r.filename for r in files.in_context(7, "mod_page")] == ["x.png", ".", "x-2.png", "x-3.png", "README",
                                                                   "README-2"]
    assert files.in_context(7, "mod_folder") == [] and len(files.in_context(8)) == 2
    assert files.records[1].is_dir and not files.records[0].is_dir


def test_file_names_that_would_trigger_a_filter_are_defused(tmp_path):
    files = Files(Ids())
    record = files.add(_stored("8-).png", b"1", tmp_path), owner="o", contextid=1, component="c", filearea="f")
    assert record.filename != "8-).png" and "8-)" not in record.filename


def test_files_xml_records(media):
    folder = m.Folder("s1.f", title="F", files=[m.FolderFile(ref("a.png"), "sub")])
    b = backup([m.Section("s1", title="One", items=[folder])], root=media)
    x = etree.fromstring(dict(xml_files(b, "x.mbz"))["files.xml"].encode())
    first = x.find("file")
    assert first.get("id") == str(IDS("file", "s1.f\x00mod_folder/content/0/sub/a.png"))
    assert {k: first.findtext(k) for k in ("contenthash", "contextid", "component", "filearea", "itemid", "filepath",
                                           "filename", "filesize", "mimetype", "sortorder", "source")} == {
        "contenthash": sha1(b"png-a"), "contextid": str(IDS("context", "s1.f")), "component": "mod_folder",
        "filearea": "content", "itemid": "0", "filepath": "/sub/", "filename": "a.png", "filesize": "5",
        "mimetype": "image/png", "sortorder": "0", "source": x.find("file").findtext("source")}
    dirs = [f for f in x.iterfind("file") if f.findtext("filename") == "."]
    assert [(d.findtext("filepath"), d.findtext("contenthash"), d.findtext("filesize"), d.findtext("mimetype"))
            for d in dirs] == [("/", EMPTY_SHA1, "0", NULL), ("/sub/", EMPTY_SHA1, "0", NULL)]


# ---------------------------------------------------------------------------
# tutorial pages, video pages, toolbox sheets

def test_project_overview_and_sheet(tmp_path):
    generated = tmp_path / "generated" / "generated" / "diagrams"
    generated.mkdir(parents=True)
    (generated / "p1-mindmap.en.svg").write_bytes(b"<svg/>")
    project = m.Project("p1", title="Proj", organisation="Org", country="FR", mindmap=m.Node(label="Root"))
    pdf = m.ProjectPdf("toolbox.p1.pdf", file=m.MediaRef("generated/p1.pdf", generated=True), title="Proj",
                       project=project)
    (tmp_path / "generated" / "generated" / "p1.pdf").write_bytes(b"%PDF")
    items = [m.ProjectOverview("s1.over", project=project), m.ProjectSheet("s1.sheet", project=project), pdf,
             m.ProjectSheet("s1.sheet2", project=m.Project("p2", title="Other"))]
    b = MoodleBackup(Edition(course([m.Section("s1", title="One", items=items)],
                                    ui={**UI, "project_overview": "At a glance"}),
                             MediaStore(tmp_path, tmp_path / "generated")))
    over, sheet, res, sheet2 = b.modules
    assert [(mod.modname, mod.name, mod.completion, mod.completionview) for mod in b.modules] == [
        ("page", "At a glance", 2, 1), ("page", "Proj", 2, 1), ("resource", "Proj (PDF)", 2, 1),
        ("page", "Other", 2, 1)]
    assert plugin_url("p1-mindmap.en.svg") in over.data["content"]
    assert [(r.contextid, r.component, r.filearea, r.filename) for r in b.files.records[:2]] == [
        (IDS("context", "s1.over"), "mod_page", "content", "p1-mindmap.en.svg"),
        (IDS("context", "s1.over"), "mod_page", "content", ".")]
    assert f'href="$@RESOURCEVIEWBYID*{IDS("cm", "toolbox.p1.pdf")}@$"' in sheet.data["content"]
    assert "Org" in sheet.data["content"] and "<dd>FR</dd>" in sheet.data["content"]
    assert all(mod.section is b.sections[1] for mod in b.modules)
    assert "RESOURCEVIEWBYID" not in sheet2.data["content"]      # no PDF of p2 in this section
    assert moodle_backup._section_items(b.course, "nope") == []


def test_video_page_files(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "v.mp4").write_bytes(b"mp4")
    (tmp_path / "media" / "poster.jpg").write_bytes(b"jpg")
    video = m.Video("s1.v", title="Clip", file=ref("v.mp4"), poster=ref("poster.jpg"))
    b = backup([m.Section("s1", title="One", items=[video])], root=tmp_path)
    mod = b.modules[0]
    assert (mod.modname, mod.name, mod.completion, mod.completionview) == ("page", "Clip", 2, 1)
    assert [(r.contextid, r.component, r.filearea, r.filename) for r in b.files.records] == [
        (IDS("context", "s1.v"), "mod_page", "content", "v.mp4"), (IDS("context", "s1.v"), "mod_page", "content", "."),
        (IDS("context", "s1.v"), "mod_page", "content", "poster.jpg")]
    assert plugin_url("v.mp4") in mod.data["content"] and plugin_url("poster.jpg") in mod.data["content"]
    assert mod.data["intro"] == "" and mod.data["printintro"] == 0


def test_photo_story_pictures_are_page_files(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "p.png").write_bytes(b"p")
    story = m.PhotoStory("s1.st", title="St", panels=[m.Panel(file=ref("p.png"), scene="Scene",
                                                              lines=[m.Line(speaker="Ana", text="Hello")])])
    b = backup([m.Section("s1", title="One", items=[story])], root=tmp_path)
    assert [(r.component, r.filearea, r.filename) for r in b.files.records] == [
        ("mod_page", "content", "p.png"), ("mod_page", "content", ".")]
    assert plugin_url("p.png") in b.modules[0].data["content"]
    assert "Ana says" in b.modules[0].data["content"] and "Hello" in b.modules[0].data["content"]
    assert b.files.records[0].id == IDS("file", "s1.st\x00mod_page/content/0/p.png")


def test_recipe_page():
    recipe = m.Recipe("s1.r", title="Soup", ingredients=[m.Ingredient(text="Leeks")],
                      steps=[m.Instruction(text="Boil")], tips=[m.Tip(text="Salt")])
    b = backup([m.Section("s1", title="One", items=[recipe])], ui={**UI, "ingredients": "You need"})
    content = b.modules[0].data["content"]
    assert "You need" in content and "Leeks" in content and "Boil" in content and "Salt" in content
    assert b.modules[0].data["intro"] == "" and b.modules[0].data["printintro"] == 0


# ---------------------------------------------------------------------------
# corners of the plan

def test_the_backup_language_is_the_editions_else_the_source_language():
    c = course([])
    c.lang, c.source_language, c.editions = "fr", "en", {"fr": m.Edition("fr", "S", "F")}
    assert MoodleBackup(Edition(c, MediaStore(Path("/x"), Path("/x")))).lang == "fr"
    c.lang = ""
    c.editions = {"en": m.Edition("en", "S", "F")}
    assert MoodleBackup(Edition(c, MediaStore(Path("/x"), Path("/x")))).lang == "en"


def test_the_qbank_module_comes_before_the_home_sections_own_modules():
    home = m.Section("home", role="home", title="Welcome", items=[m.Forum("home.news", title="News")])
    b = backup([home], "5.1")
    assert [mod.modname for mod in b.sections[0].modules] == ["qbank", "forum"]
    assert b.sections[0].sequence == ",".join(str(IDS("cm", key)) for key in ("\x00qbank", "home.news"))


@pytest.mark.parametrize("subsections", [False, True])
def test_a_quiz_inside_a_group_uses_its_sections_category(subsections):
    rel = dataclasses.replace(RELEASES["5.1"], subsections=subsections)
    sub = m.Subsection("s1.g", title="Group", items=[m.Activities("s1.g.a", questions=[tf("s1.g.a.q")])])
    b = backup([m.Section("s1", title="One", items=[sub])], rel)
    assert [c["idnumber"] for c in b.qbank.categories] == [None, "s1.formative"]
    if subsections:
        assert [(s.key, s.summary) for s in b.sections] == [("", ""), ("s1", ""), ("s1.g", "")]


def test_a_grouped_name_is_told_apart_from_a_later_one_of_the_section():
    sub = m.Subsection("s1.g", title="Group", items=[m.Page("s1.g.p", title="Intro")])
    b = backup([m.Section("s1", title="One", items=[sub, m.Page("s1.p", title="intro")])])
    assert [mod.name for mod in b.modules] == ["Group", "Intro – Group", "intro"]


@pytest.mark.parametrize("text, name", [("x" * 49, "x" * 49), ("x" * 50, "x" * 50), ("x" * 51, "x" * 50 + "...")])
def test_label_names_are_cut_after_50_characters(text, name):
    b = backup([m.Section("s1", title="One", items=[m.Label("s1.l", text=text)])])
    assert b.modules[0].name == name


def test_forum_intro_and_quiz_titles():
    items = [m.Forum("s1.f", title="F", intro="About"), m.Activities("s1.a", title="Practice", questions=[tf("s1.a.q")])]
    b = backup([m.Section("s1", title="One", items=items)])
    assert b.modules[0].data == {"type": "news", "intro": "<p>About</p>"}
    assert b.modules[1].name == "Practice"


def test_files_numbering_keeps_the_last_extension_and_default_sortorder(tmp_path):
    files = Files(Ids())
    kw = dict(owner="o", contextid=7, component="mod_folder", filearea="content")
    first = files.add(_stored("a.tar.gz", b"1", tmp_path), **kw)
    second = files.add(_stored("a.tar.gz", b"2", tmp_path), **kw)
    assert (first.filename, second.filename) == ("a.tar.gz", "a.tar-2.gz")
    assert (first.sortorder, first.itemid, first.filepath) == (0, 0, "/")


def test_a_deeper_folder_after_a_known_one_gets_its_directory_records(tmp_path):
    files = Files(Ids())
    kw = dict(owner="o", contextid=7, component="mod_folder", filearea="content")
    files.add(_stored("a.png", b"1", tmp_path), filepath="/b/", **kw)
    files.add(_stored("c.png", b"2", tmp_path), filepath="/b/XX/", **kw)
    assert [(r.filepath, r.filename) for r in files.records] == [
        ("/b/", "a.png"), ("/", "."), ("/b/", "."), ("/b/XX/", "c.png"), ("/b/XX/", ".")]
    assert [r.id for r in files.records if r.is_dir] == [Ids()("file", "o\x00mod_folder/content/0/."),
                                                          Ids()("file", "o\x00mod_folder/content/0/b/."),
                                                          Ids()("file", "o\x00mod_folder/content/0/b/XX/.")]


def test_a_deep_folder_alone_gets_a_record_for_each_level(tmp_path):
    files = Files(Ids())
    files.add(_stored("c.png", b"2", tmp_path), owner="o", contextid=7, component="mod_folder", filearea="content",
              filepath="/b/XX/")
    assert [r.filepath for r in files.records if r.is_dir] == ["/", "/b/", "/b/XX/"]

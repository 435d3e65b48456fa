"""The files of a Moodle backup and its archive, unit by unit: which XML
files a small course gets, what moodle_backup.xml, inforef.xml,
enrolments.xml and filters.xml say, the .ARCHIVE_INDEX as Moodle's
tgz_packer writes it (header with the count, one `name\\ttype\\tsize\\tmtime`
line per entry), and the template environment's NULL and None rules."""
from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from pathlib import Path

import pytest
from lxml import etree
from markupsafe import Markup

from resolution_pack import model as m
from resolution_pack.edition import Edition, MediaStore
from resolution_pack.targets import moodle_archive, moodle_backup, moodle_templates
from resolution_pack.targets.moodle_archive import build_archive, xml_files
from resolution_pack.targets.moodle_backup import MoodleBackup
from resolution_pack.targets.moodle_ids import Ids, stable_hex
from resolution_pack.targets.moodle_releases import release
from resolution_pack.targets.moodle_views import ModuleView, SectionView

NULL = "$@NULL@$"
IDS = Ids()
PER_ACTIVITY = ["module.xml", None, "inforef.xml", "grades.xml", "roles.xml", "competencies.xml", "calendar.xml",
                "comments.xml", "completion.xml", "filters.xml", "grade_history.xml", "xapistate.xml"]


def course(sections) -> m.Course:
    return m.Course(id="c", source_language="en", languages=["en"], startdate="2026-01-05",
                    editions={"en": m.Edition("en", "SHORT", "Full & name")}, sections=sections, projects=[],
                    expected={}, ui={"question_bank": m.UiString("question_bank", text="Bank")}, lang="en",
                    title="Course <title>", summary="The summary")


@pytest.fixture
def media(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "doc.pdf").write_bytes(b"%PDF-1")
    (tmp_path / "media" / "pic.png").write_bytes(b"png")
    return tmp_path


def backup(sections, rel="4.5", root=Path("/nonexistent")) -> MoodleBackup:
    return MoodleBackup(Edition(course(sections), MediaStore(root, root)), release(rel))


def small(root, rel="4.5"):
    items = [m.Resource("s1.res", file=m.MediaRef("media/doc.pdf"), title="Doc"),
             m.Forum("s1.news", title="News"),
             m.Evaluation("s1.e", title="E", questions=[m.Question("s1.e.q", "truefalse", text="x", answer=True,
                                                                   graded=True,
                                                                   image=m.Image(m.MediaRef("media/pic.png")))])]
    return backup([m.Section("s1", title="One", items=items)], rel, root)


def xml(files, name):
    return etree.fromstring(files[name].encode())


def test_the_files_a_small_course_gets(media):
    b = small(media)
    names = [name for name, _text in xml_files(b, "SHORT.mbz")]
    s0, s1 = (s.directory for s in b.sections)
    res, news, quiz = (mod.directory for mod in b.modules)

    def activity(d, modname, extra=()):
        return [f"{d}/{n or modname + '.xml'}" for n in PER_ACTIVITY] + [f"{d}/{e}" for e in extra]
    assert names == [
        "moodle_backup.xml", "moodle_backup.log", "files.xml", "questions.xml", "gradebook.xml", "roles.xml",
        "users.xml", "groups.xml", "scales.xml", "outcomes.xml", "badges.xml", "grade_history.xml", "completion.xml",
        "course/course.xml", "course/enrolments.xml", "course/inforef.xml", "course/roles.xml",
        "course/competencies.xml", "course/completiondefaults.xml", "course/comments.xml", "course/contentbank.xml",
        "course/calendar.xml", "course/filters.xml",
        f"{s0}/section.xml", f"{s0}/inforef.xml", f"{s1}/section.xml", f"{s1}/inforef.xml",
        *activity(res, "resource"), *activity(news, "forum", ["grading.xml"]), *activity(quiz, "quiz")]
    assert dict(xml_files(b, "SHORT.mbz"))["moodle_backup.log"] == ""


@pytest.mark.parametrize("rel, suffix", [("4.5", ""), ("5.1", "\x005.1"), ("5.0", "\x005.0")])
def test_moodle_backup_xml_information(media, rel, suffix):
    b = small(media, rel)
    info = xml(dict(xml_files(b, "NAME.mbz")), "moodle_backup.xml").find("information")
    r = release(rel)
    assert {k: info.findtext(k) for k in (
        "name", "moodle_version", "moodle_release", "backup_version", "backup_release", "backup_date",
        "original_site_identifier_hash", "original_course_id", "original_course_fullname",
        "original_course_shortname", "original_course_startdate", "original_course_contextid")} == {
        "name": "NAME.mbz", "moodle_version": r.moodle_version, "moodle_release": r.moodle_release,
        "backup_version": r.backup_version, "backup_release": r.backup_release, "backup_date": str(b.now),
        "original_site_identifier_hash": hashlib.sha256("resolution-pack\x00c".encode()).hexdigest()[:32],
        "original_course_id": str(IDS("course", "c")), "original_course_fullname": "Full & name",
        "original_course_shortname": "SHORT", "original_course_startdate": "1767571200",
        "original_course_contextid": str(IDS("context", "course"))}
    assert info.find("details/detail").get("backup_id") == stable_hex(f"c\x00en\x00backup{suffix}")
    settings = {s.findtext("name"): s.findtext("value") for s in info.iterfind("settings/setting")
                if s.findtext("level") == "root"}
    assert settings["filename"] == "NAME.mbz"
    assert ("questionbank" in settings) == (rel == "4.5")
    activities = [(a.findtext("moduleid"), a.findtext("modulename"), a.findtext("title"), a.findtext("directory"))
                  for a in info.iterfind("contents/activities/activity")]
    assert activities == [(str(mod.cmid), mod.modname, mod.name, mod.directory) for mod in b.modules]
    assert [s.findtext("title") for s in info.iterfind("contents/sections/section")] == ["0", "One"]


def test_course_xml_and_enrolments(media):
    files = dict(xml_files(small(media), "x.mbz"))
    c = xml(files, "course/course.xml")
    assert (c.get("id"), c.get("contextid")) == (str(IDS("course", "c")), str(IDS("context", "course")))
    assert {k: c.findtext(k) for k in ("shortname", "fullname", "idnumber", "summary", "startdate", "lang",
                                       "category/name")} == {
        "shortname": "SHORT", "fullname": "Full & name", "idnumber": "SHORT", "summary": "<p>The summary</p>",
        "startdate": "1767571200", "lang": "en", "category/name": "Course <title>"}
    enrols = xml(files, "course/enrolments.xml").findall("enrols/enrol")
    assert [(e.get("id"), e.findtext("enrol"), e.findtext("status")) for e in enrols] == [
        (str(IDS("enrol", "manual")), "manual", "0"), (str(IDS("enrol", "guest")), "guest", "1"),
        (str(IDS("enrol", "self")), "self", "0")]
    assert [f.findtext("filter") for f in xml(files, "course/filters.xml").iterfind("filter_actives/filter_active")] \
        == ["activitynames", "emoticon"]
    roles = xml(files, "course/inforef.xml")
    assert [r.findtext("id") for r in roles.iterfind("roleref/role")] == ["5"]
    assert xml(files, "roles.xml") is not None


def test_inforef_of_each_activity(media):
    b = small(media)
    files = dict(xml_files(b, "x.mbz"))
    res, news, quiz = b.modules
    ref = xml(files, f"{res.directory}/inforef.xml")
    assert [f.findtext("id") for f in ref.iterfind("fileref/file")] == \
        [str(r.id) for r in b.files.records if r.contextid == res.contextid]
    assert len(ref.findall("fileref/file")) == 2 and ref.find("grade_itemref") is None
    assert ref.find("question_categoryref") is None
    q = xml(files, f"{quiz.directory}/inforef.xml")
    assert q.find("fileref") is None        # the question's picture belongs to the question bank, not the quiz
    assert [g.findtext("id") for g in q.iterfind("grade_itemref/grade_item")] == [str(IDS("grade_item", "s1.e"))]
    assert [c.findtext("id") for c in q.iterfind("question_categoryref/question_category")] == \
        [str(IDS("question_category", "\x00top")), str(IDS("question_category", "s1.evaluation"))]
    assert xml(files, f"{news.directory}/grades.xml").find("grade_items/grade_item") is None
    for section in b.sections:
        inforef = xml(files, f"{section.directory}/inforef.xml")
        assert len(inforef) == 0
    module = xml(files, f"{news.directory}/module.xml")
    assert module.get("version") == "2024082100"


def _tar(path: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(path, "r:gz") as tar:
        return list(tar)


def test_the_archive_and_its_index(media, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    b = small(media)
    archive = build_archive(b, "SHORT.mbz", spool_folder=tmp_path)
    try:
        entries = {e.name: e for e in archive.entries.values()}
        pdf, png = hashlib.sha1(b"%PDF-1").hexdigest(), hashlib.sha1(b"png").hexdigest()
        for name in ("files/", f"files/{pdf[:2]}/", f"files/{pdf[:2]}/{pdf}", f"files/{png[:2]}/{png}", "course/",
                     "sections/", "activities/", f"{b.sections[1].directory}/", f"{b.modules[0].directory}/",
                     moodle_archive.INDEX):
            assert name in entries, name
        assert entries[f"files/{pdf[:2]}/{pdf}"].path == media / "media" / "doc.pdf"
        index = entries[moodle_archive.INDEX].content().decode()
        lines = index.split("\n")
        others = sorted(n for n in entries if n != moodle_archive.INDEX)
        assert lines[0] == f"Moodle archive file index. Count: {len(others)}"
        assert lines[-1] == "" and len(lines) == len(others) + 2
        body = dict(line.split("\t", 1) for line in lines[1:-1])
        assert list(body) == others
        assert body["course/"] == "d\t0\t?"
        assert body[f"files/{pdf[:2]}/{pdf}"] == "f\t6\t1700000000"
        assert body["moodle_backup.log"] == "f\t0\t1700000000"
        size = len(dict(xml_files(b, "SHORT.mbz"))["files.xml"].encode())
        assert body["files.xml"] == f"f\t{size}\t1700000000"
        target = tmp_path / "SHORT.mbz"
        archive.write_tgz(target, first=(moodle_archive.INDEX,), dir_mtime=moodle_archive.DIR_MTIME)
    finally:
        archive.close()
    members = _tar(target)
    assert members[0].name == ".ARCHIVE_INDEX"
    assert {m_.mtime for m_ in members if m_.isdir()} == {1356998400}
    assert gzip.decompress(target.read_bytes())[:14] == b".ARCHIVE_INDEX"


def test_render_writes_one_archive_per_release(media, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    edition = Edition(course([m.Section("s1", title="One", items=[m.Label("s1.l", text="Hi")])]),
                      MediaStore(media, media), options={"moodle": ("4.5", "5.1")})
    out = tmp_path / "out" / "en"               # a folder that does not exist yet, nor its parent
    written = moodle_backup.render(edition, out)
    assert written == [out / "SHORT.mbz", out / "SHORT-moodle51.mbz"]
    first = [p.read_bytes() for p in written]
    assert moodle_backup.render(edition, out) == written            # into the same folder again: same bytes
    assert [p.read_bytes() for p in written] == first
    assert sorted(p.name for p in out.iterdir()) == ["SHORT-moodle51.mbz", "SHORT.mbz"]   # no spool left
    for path in written:
        members = _tar(path)
        assert members[0].name == ".ARCHIVE_INDEX"
        assert {i.mtime for i in members if i.isdir()} == {1356998400}
        assert {i.mtime for i in members if i.isfile()} == {1700000000}
    old, new = (dict((i.name, i) for i in _tar(p)) for p in written)
    assert "activities/qbank_" not in " ".join(old) and any(n.startswith("activities/qbank_") for n in new)
    with tarfile.open(written[1], "r:gz") as tar:
        mb = etree.fromstring(tar.extractfile("moodle_backup.xml").read())
    assert mb.findtext("information/name") == "SHORT-moodle51.mbz"
    assert mb.findtext("information/backup_release") == "5.1"


# ---------------------------------------------------------------------------
# the template environment

def test_none_must_be_written_as_null():
    assert moodle_templates._null(None) == NULL
    assert moodle_templates._null(0) == 0 and moodle_templates._null("") == ""
    with pytest.raises(ValueError, match=r"^None reached a Moodle backup template; write it with \|n \(NULL\) "
                                         r"or give a value$"):
        moodle_templates._finalize(None)


def test_the_backup_environment():
    env = moodle_templates.environment()
    assert env.finalize is moodle_templates._finalize and env.filters["n"] is moodle_templates._null
    assert Path(env.loader.searchpath[0]).name == "moodle_backup"
    assert "questions.xml.j2" in env.list_templates()
    template = env.from_string("<a>{{ x|n }}</a><b>{{ y }}</b>")
    assert template.render(x=None, y="<&>\x01") == "<a>$@NULL@$</a><b>&lt;&amp;&gt;</b>"
    with pytest.raises(ValueError):
        template.render(x=1, y=None)


@pytest.mark.parametrize("value, expected", [(True, 1), (False, 0), (3, 3), ("a\x01b\x0bc", "abc"),
                                             ("tab\tnew\nline", "tab\tnew\nline"), (1.5, 1.5)])
def test_finalize(value, expected):
    got = moodle_templates._finalize(value)
    assert got == expected and type(got) is type(expected)


def test_markup_is_kept_as_it_is():
    value = Markup("<p>\x01</p>")
    assert moodle_templates._finalize(value) is value


def test_render_xml_escapes_and_writes_null():
    section = SectionView("s", 12, 3, None, "<p>a & b</p>\x02")
    out = moodle_templates.render_xml("section", section=section, now=5, release=release("4.5"))
    x = etree.fromstring(out.encode())
    assert x.findtext("name") == NULL and x.findtext("summary") == "<p>a & b</p>"
    assert "&lt;p&gt;a &amp; b&lt;/p&gt;" in out
    assert x.findtext("timemodified") == "5"


# ---------------------------------------------------------------------------
# views

def test_views():
    section = SectionView("s1", 42, 1, "One", "")
    mod = ModuleView(key="s1.p", modname="page", cmid=7, instance=8, contextid=9, section=section, name="P")
    other = ModuleView(key="", modname="qbank", cmid=11, instance=12, contextid=13, section=section, name="B")
    section.modules += [mod, other]
    assert (section.directory, section.sequence) == ("sections/section_42", "7,11")
    assert (mod.directory, mod.setting_prefix, mod.idnumber) == ("activities/page_7", "page_7", "s1.p")
    assert other.idnumber is None
    assert (mod.completion, mod.completionview, mod.completiongradeitemnumber, mod.completionpassgrade,
            mod.showdescription, mod.visible, mod.grade_item, mod.question_categories, mod.data) == \
        (0, 0, None, 0, 0, 1, None, [], {})
    assert SectionView("", 1, 0, None, "").sequence == ""


# ---------------------------------------------------------------------------
# quiz.xml, gradebook.xml and the fields each release adds

def _quiz_course(rel):
    items = [m.Activities("s1.a", title="Try", questions=[m.Question("s1.a.q", "truefalse", text="x", answer=True)]),
             m.Evaluation("s1.e", title="Exam", pass_percent=60,
                          questions=[m.Question(f"s1.e.q{n}", "truefalse", text="y", answer=True, graded=True)
                                     for n in (1, 2)])]
    return backup([m.Section("s1", title="One", items=items)], rel)


@pytest.mark.parametrize("rel", ["4.5", "5.0", "5.1"])
def test_quiz_xml(rel):
    b = _quiz_course(rel)
    files = dict(xml_files(b, "x.mbz"))
    act, ev = (mod for mod in b.modules if mod.modname == "quiz")
    x = xml(files, f"{ev.directory}/quiz.xml")
    assert (x.get("id"), x.get("moduleid"), x.get("contextid")) == (str(ev.instance), str(ev.cmid), str(ev.contextid))
    quiz = x.find("quiz")
    assert {k: quiz.findtext(k) for k in ("name", "preferredbehaviour", "canredoquestions", "sumgrades", "grade",
                                          "questionsperpage")} == {
        "name": "Exam", "preferredbehaviour": "deferredfeedback", "canredoquestions": "0", "sumgrades": "2.00000",
        "grade": "10.00000", "questionsperpage": "1"}
    assert (quiz.find("precreateattempts") is not None) == (rel != "4.5")
    slots = quiz.findall("question_instances/question_instance")
    assert [(s.get("id"), s.findtext("quizid"), s.findtext("slot"), s.findtext("page"), s.findtext("maxmark"))
            for s in slots] == [(str(IDS("quiz_slot", f"s1.e.q{n}")), str(ev.instance), str(n), str(n), "1.0000000")
                                for n in (1, 2)]
    refs = [s.find("question_reference") for s in slots]
    assert [(r.get("id"), r.findtext("usingcontextid"), r.findtext("component"), r.findtext("questionarea"),
             r.findtext("questionbankentryid"), r.findtext("version")) for r in refs] == [
        (str(IDS("question_reference", f"s1.e.q{n}")), str(ev.contextid), "mod_quiz", "slot",
         str(IDS("question_bank_entry", f"s1.e.q{n}")), NULL) for n in (1, 2)]
    section = quiz.find("sections/section")
    assert (section.get("id"), section.findtext("firstslot")) == (str(IDS("quiz_section", "s1.e")), "1")
    assert [(f.get("id"), f.findtext("mingrade"), f.findtext("maxgrade"), f.findtext("feedbacktextformat"))
            for f in quiz.iterfind("feedbacks/feedback")] == [
        (str(IDS("quiz_feedback", "s1.e\x00pass")), "6.00000", "11.00000", "1"),
        (str(IDS("quiz_feedback", "s1.e\x00not-yet")), "0.00000", "6.00000", "1")]
    formative = xml(files, f"{act.directory}/quiz.xml").find("quiz")
    assert {k: formative.findtext(k) for k in ("preferredbehaviour", "canredoquestions", "grade", "sumgrades")} == {
        "preferredbehaviour": "interactive", "canredoquestions": "1", "grade": "0.00000", "sumgrades": "1.00000"}
    assert formative.findall("feedbacks/feedback") == []
    ai = rel == "5.1"
    assert (xml(files, f"{ev.directory}/module.xml").find("enableaitools") is not None) == ai
    assert (xml(files, "course/course.xml").find("enableaitools") is not None) == ai
    versions = {xml(files, f"{mod.directory}/module.xml").get("version") for mod in b.modules}
    assert versions == ({"2024072500"} if rel == "4.5" else {release(rel).backup_version})


def test_gradebook_xml():
    b = _quiz_course("4.5")
    book = xml(dict(xml_files(b, "x.mbz")), "gradebook.xml")
    category = book.find("grade_categories/grade_category")
    cid = str(IDS("grade_category", "course"))
    assert (category.get("id"), category.findtext("path"), category.findtext("aggregation")) == (cid, f"/{cid}/", "13")
    item = book.find("grade_items/grade_item")
    assert (item.get("id"), item.findtext("itemtype"), item.findtext("iteminstance"), item.findtext("grademax")) == \
        (str(IDS("grade_item", "\x00course")), "course", cid, "10.00000")


def test_each_activitys_own_xml(media):
    items = [m.Page("s1.p", title="P", intro="I"), m.Url("s1.u", url="https://e.org/?a=1&b=2", title="U"),
             m.Resource("s1.r", file=m.MediaRef("media/doc.pdf"), title="R", description="D"),
             m.Folder("s1.f", title="F"), m.Label("s1.l", text="L"), m.Forum("s1.n", title="N"),
             m.Forum("s1.g", title="G", type="general"),
             m.Book("s1.b", title="B", chapters=[m.Chapter(id="s1.b.1", title="One", body="x")])]
    b = backup([m.Section("s1", title="One", items=items)], "5.1", media)
    files = dict(xml_files(b, "x.mbz"))
    own = {}
    for mod in b.modules:
        x = xml(files, f"{mod.directory}/{mod.modname}.xml")
        assert (x.get("id"), x.get("moduleid"), x.get("modulename"), x.get("contextid")) == \
            (str(mod.instance), str(mod.cmid), mod.modname, str(mod.contextid))
        inner = x.find(mod.modname)
        assert inner.get("id") == str(mod.instance)
        own[mod.key or "qbank"] = inner
    expected = {
        "qbank": {"name": "Bank", "type": "standard"},
        "s1.p": {"name": "P", "intro": "<p>I</p>",
                 "displayoptions": 'a:2:{s:10:"printintro";i:1;s:17:"printlastmodified";i:1;}'},
        "s1.u": {"name": "U", "externalurl": "https://e.org/?a=1&b=2", "displayoptions": 'a:1:{s:10:"printintro";i:0;}',
                 "parameters": "a:0:{}"},
        "s1.r": {"name": "R", "intro": "<p>D</p>", "displayoptions": 'a:1:{s:10:"printintro";i:1;}'},
        "s1.f": {"name": "F"}, "s1.l": {"name": "L", "intro": "<p>L</p>"},
        "s1.n": {"type": "news", "name": "N", "forcesubscribe": "1"},
        "s1.g": {"type": "general", "name": "G", "forcesubscribe": "0"},
        "s1.b": {"name": "B"}}
    assert {key: {k: own[key].findtext(k) for k in fields} for key, fields in expected.items()} == expected
    assert own["s1.f"].findtext("intro") == "" and own["s1.u"].findtext("intro") == ""
    chapter = xml(files, f"{b.modules[-1].directory}/book.xml").find("book/chapters/chapter")
    assert (chapter.get("id"), chapter.findtext("pagenum"), chapter.findtext("title")) == \
        (str(IDS("book_chapter", "s1.b.1")), "1", "One")
    bank = xml(files, f"{b.modules[0].directory}/module.xml")
    assert (bank.findtext("modulename"), bank.findtext("visible"), bank.findtext("visibleoncoursepage"),
            bank.findtext("sectionnumber"), bank.findtext("idnumber")) == ("qbank", "0", "0", "0", NULL)


def test_5x_question_files_are_in_the_banks_context_but_not_its_inforef(media):
    """As Moodle 5.1 writes it: files.xml holds the questions' files in the
    qbank module's context; the module's inforef.xml lists only categories."""
    b = small(media, "5.1")
    files = dict(xml_files(b, "x.mbz"))
    bank = b.modules[0]
    assert [(r.component, r.filename) for r in b.files.in_context(bank.contextid)] == \
        [("question", "pic.png"), ("question", ".")]
    inforef = xml(files, f"{bank.directory}/inforef.xml")
    assert [child.tag for child in inforef] == ["question_categoryref"]

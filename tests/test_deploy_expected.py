"""What verify expects of an edition once Moodle has restored it, from the
sources: the mini course in full, and small models for each branch."""
import hashlib

import pytest

from conftest import MINI
from resolution_pack import model as m
from resolution_pack.deploy import expected as dx
from resolution_pack.load import load


def sha1(rel):
    return hashlib.sha1((MINI / rel).read_bytes()).hexdigest()


PHOTO, PDF, POSTER, WEBM = (sha1("media/placeholder-photo.png"), sha1("media/guide.pdf"),
                            sha1("media/placeholder-poster.png"), sha1("media/placeholder-video.webm"))


def page_file(owner, name, digest=None):
    return (f"module {owner}", "mod_page", "content", "/", name), digest


def test_the_mini_course_in_english():
    e = dx.expect(load(MINI), "en")
    assert (e.lang, e.shortname, e.fullname) == ("en", "MINI-EN", "Mini course")
    assert e.roles == ["home", "mooc-part", "tutorials", "toolbox"]
    assert e.sections == [
        ["home.welcome", "home.announcements", "home.notice", "home.site", "home.guide", "home.docs"],
        ["part-1.video-1", "part-1.activities-1", "part-1.evaluation", "part-1.documents", "part-1.story",
         "part-1.recipe"],
        # a project's block: its heading label, then its items (4.5 has no subsections that restore)
        ["tutorials.introduction", "tutorial.p01", "tutorial.p01.overview", "tutorial.p01.video-1",
         "tutorial.p01.video-2", "tutorial.p01.video-3"],
        ["toolbox.video-intro", "toolbox.p01.sheet", "toolbox.p01.pdf"]]
    assert e.modules == {
        "home.welcome": "page", "home.announcements": "forum", "home.notice": "label", "home.site": "url",
        "home.guide": "resource", "home.docs": "folder", "part-1.video-1": "page", "part-1.activities-1": "quiz",
        "part-1.evaluation": "quiz", "part-1.documents": "book", "part-1.story": "page", "part-1.recipe": "page",
        "tutorials.introduction": "page", "tutorial.p01": "label",
        "tutorial.p01.overview": "page", "tutorial.p01.video-1": "page", "tutorial.p01.video-2": "page",
        "tutorial.p01.video-3": "page", "toolbox.video-intro": "page", "toolbox.p01.sheet": "page",
        "toolbox.p01.pdf": "resource"}
    assert (e.graded, e.ungraded) == ({"part-1.evaluation": 70}, ["part-1.activities-1"])
    assert e.quiz_questions == {
        "part-1.activities-1": [("part-1.activities-1.q01", "multichoice"), ("part-1.activities-1.q02", "truefalse"),
                                ("part-1.activities-1.q03", "ordering")],
        "part-1.evaluation": [(f"part-1.evaluation.q0{n}", t) for n, t in enumerate(
            ["multichoice", "multichoice", "truefalse", "match", "shortanswer", "ordering", "gapselect", "ddwtos"], 1)]}
    assert e.files == dict([
        page_file("home.welcome", "placeholder-photo.png", PHOTO),
        (("module home.guide", "mod_resource", "content", "/", "guide.pdf"), PDF),
        (("module home.docs", "mod_folder", "content", "/", "guide.pdf"), PDF),
        (("module home.docs", "mod_folder", "content", "/images/", "placeholder-photo.png"), PHOTO),
        # placeholder videos: a still clip as long as their subtitles, made by the build, without a poster
        page_file("part-1.video-1", "still-2s.webm"),
        page_file("part-1.video-1", "part-1.video-1.en.vtt"),
        page_file("part-1.story", "placeholder-photo.png", PHOTO),
        (("question part-1.activities-1.q01", "question", "questiontext", "/", "placeholder-photo.png"), PHOTO),
        page_file("tutorial.p01.overview", "p01-mindmap.en.svg"),
        page_file("tutorial.p01.overview", "p01-timeline.en.svg"),
        page_file("tutorial.p01.overview", "p01-orgchart.en.svg"),
        *[f for k in (1, 2, 3) for f in (page_file(f"tutorial.p01.video-{k}", "still-1s.webm"),
                                         page_file(f"tutorial.p01.video-{k}", f"tutorial.p01.video-{k}.en.vtt"))],
        page_file("toolbox.video-intro", "still-2s.webm"),
        page_file("toolbox.video-intro", "toolbox.video-intro.en.vtt"),
        (("module toolbox.p01.pdf", "mod_resource", "content", "/", "p01.pdf"), None)])
    assert e.tracks == {i: f"{i}.en.vtt" for i in ("part-1.video-1", "tutorial.p01.video-1", "tutorial.p01.video-2",
                                                   "tutorial.p01.video-3", "toolbox.video-intro")}
    assert e.projects == {"tutorial.p01.overview": "p01", "toolbox.p01.sheet": "p01"}
    assert e.figures == {"projects": 1, "tutorial_videos": 3, "subtitle_files": 3, "mooc_videos": 1,
                         "evaluation_phases": 1, "exercises": 8, "formative_activities": 3}
    assert e.enrolments == {"manual": "enabled", "self": "enabled", "guest": "disabled"}
    assert e.summary() == (
        "4 sections, 21 modules (book 1, folder 1, forum 1, label 2, page 11, quiz 2, resource 2, url 1), "
        "1 graded quiz (pass at 70%), 1 ungraded, 11 questions (ddwtos 1, gapselect 1, match 1, multichoice 3, "
        "ordering 2, shortanswer 1, truefalse 2), 20 files, 5 subtitle tracks, enrolment guest (disabled), manual, "
        "self, language en")


def test_the_french_edition_names_its_own_files():
    e = dx.expect(load(MINI), "fr")
    assert (e.lang, e.shortname, e.fullname) == ("fr", "MINI-FR", "Mini-cours")
    assert e.tracks["part-1.video-1"] == "part-1.video-1.fr.vtt"
    assert page_file("tutorial.p01.overview", "p01-mindmap.fr.svg") in e.files.items()


def course(*sections, root=""):
    return m.Course(id="c", source_language="fr", languages=["fr"], startdate="", root=root,
                    editions={"fr": m.Edition("fr", "C-FR", "Cours")}, sections=list(sections), projects=[],
                    expected={}, ui={})


def test_section_zero_is_added_when_the_first_section_is_not_home():
    e = dx.expect(course(m.Section("p", role="mooc-part", items=[m.Label("p.l")])), "fr")
    assert (e.sections, e.roles, e.modules) == ([[], ["p.l"]], ["", "mooc-part"], {"p.l": "label"})
    e = dx.expect(course(), "fr")
    assert (e.sections, e.roles) == ([[]], [""])
    e = dx.expect(course(m.Section("h", role="home", items=[m.Label("h.l")]), m.Section("x", role="")), "fr")
    assert (e.sections, e.roles) == ([["h.l"], []], ["home", ""])


def test_an_item_moodle_has_no_mapping_for():
    class Poll(m.Item):
        pass
    with pytest.raises(TypeError) as info:
        dx.expect(course(m.Section("h", role="home", items=[Poll("h.poll")])), "fr")
    assert str(info.value) == "h.poll: no Moodle mapping for a Poll"


def project(mindmap=False, timeline=False, actors=False):
    return m.Project("p9", mindmap=m.Node(label="x") if mindmap else None,
                     timeline=[m.Step(label="s")] if timeline else [], actors=[m.Actor(id="a")] if actors else [])


@pytest.mark.parametrize("p, svgs", [
    (project(), []), (project(mindmap=True), ["mindmap"]), (project(timeline=True), ["timeline"]),
    (project(actors=True), ["orgchart"]), (project(True, True, True), ["mindmap", "timeline", "orgchart"]),
])
def test_the_diagrams_of_a_project_page(p, svgs):
    e = dx.expect(course(m.Section("t", role="tutorials", items=[m.ProjectOverview("t.o", project=p),
                                                                  m.ProjectSheet("t.s", project=p)])), "fr")
    assert e.files == {(f"module t.o", "mod_page", "content", "/", f"p9-{k}.fr.svg"): None for k in svgs}
    assert e.projects == {"t.o": "p9", "t.s": "p9"}


def test_videos_files_and_quizzes(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "v.webm").write_bytes(b"video bytes")
    (tmp_path / "media" / "q.png").write_bytes(b"image bytes")
    digest = {n: hashlib.sha1(b).hexdigest() for n, b in (("v", b"video bytes"), ("q", b"image bytes"))}
    video = m.Video("s.v", file=m.MediaRef("media/v.webm"), subtitles=[])
    remote = m.Video("s.r", url="https://example.org/v", subtitles=[m.Cue("00:00.000", "00:01.000", text="x")])
    folder = m.Folder("s.f", files=[m.FolderFile(m.MediaRef("media/v.webm"), "a/./b/"),
                                    m.FolderFile(m.MediaRef("media/gone.pdf"), "/")])
    quiz = m.Activities("s.a", questions=[m.Question("s.a.q", type="single",
                                                     image=m.Image(m.MediaRef("media/q.png"), alt="a")),
                                          m.Question("s.a.r", type="multiple")])
    exam = m.Evaluation("s.e", pass_percent=55, questions=[m.Question("s.e.q", type="truefalse")])
    page = m.Page("s.p", parts=[m.Part(), m.Part(image=m.Image(m.MediaRef("media/q.png"), alt="b"))])
    e = dx.expect(course(m.Section("s", role="mooc-part", items=[video, remote, folder, quiz, exam, page]),
                         root=str(tmp_path)), "fr")
    assert e.files == {
        ("module s.v", "mod_page", "content", "/", "v.webm"): digest["v"],
        ("module s.r", "mod_page", "content", "/", "s.r.fr.vtt"): None,
        ("module s.f", "mod_folder", "content", "/a/b/", "v.webm"): digest["v"],
        ("module s.f", "mod_folder", "content", "/", "gone.pdf"): None,
        ("question s.a.q", "question", "questiontext", "/", "q.png"): digest["q"],
        ("module s.p", "mod_page", "content", "/", "q.png"): digest["q"]}
    assert e.tracks == {"s.r": "s.r.fr.vtt"}
    assert (e.graded, e.ungraded) == ({"s.e": 55}, ["s.a"])
    assert e.quiz_questions == {"s.a": [("s.a.q", "multichoice"), ("s.a.r", "multichoice")],
                                "s.e": [("s.e.q", "truefalse")]}
    assert e.summary() == ("2 sections, 6 modules (folder 1, page 3, quiz 2), 1 graded quiz (pass at 55%), "
                           "1 ungraded, 3 questions (multichoice 2, truefalse 1), 6 files, 1 subtitle track, "
                           "enrolment guest (disabled), manual, self, language fr")


def test_summary_of_an_empty_course():
    assert dx.expect(course(), "fr").summary() == (
        "1 section, 0 modules (none), 0 graded quizzes (pass at -), 0 ungraded, 0 questions (none), 0 files, "
        "0 subtitle tracks, enrolment guest (disabled), manual, self, language fr")


def test_pass_marks_of_several_graded_quizzes():
    exams = [m.Evaluation(f"s.e{k}", pass_percent=p) for k, p in enumerate((80, 50, 80))]
    assert "3 graded quizzes (pass at 50%, 80%)" in dx.expect(course(m.Section("s", role="home", items=exams)),
                                                             "fr").summary()


@pytest.mark.parametrize("folder, path", [("", "/"), (None, "/"), ("/", "/"), ("a", "/a/"), ("a/b", "/a/b/"),
                                          ("/a/./b/", "/a/b/"), ("./x", "/x/")])
def test_folder_path(folder, path):
    assert dx._folder_path(folder) == path


@pytest.mark.parametrize("methods, shown", [
    ({"self": "enabled"}, "self"), ({"guest": "disabled", "manual": "enabled"}, "guest (disabled), manual"),
    ({}, ""), ({"b": "off", "a": "enabled"}, "a, b (off)")])
def test_enrolments(methods, shown):
    assert dx._enrolments(methods) == shown


def test_the_qtype_of_each_question_type():
    assert dx.QTYPES == {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse",
                         "match": "match", "shortanswer": "shortanswer", "ordering": "ordering",
                         "gapselect": "gapselect", "ddwtos": "ddwtos"}
    assert set(dx.QTYPES) == set(m.QUESTION_TYPES)

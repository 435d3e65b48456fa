"""verify's comparisons, table-driven: what inspect.php would answer for the
mini course restored exactly as the sources say (test_deploy.perfect), one
change, and exactly the differences verify must report."""
import pytest

from conftest import MINI
from resolution_pack import deploy as d
from resolution_pack.deploy import checks
from resolution_pack.load import load
from test_deploy import perfect

COURSE = load(MINI)
EXP = d.expect(COURSE, "fr")
# the mini course: its heading label per project and the notice (label 2), 11 pages (story and recipe too)
BY_TYPE = "book 1, folder 1, forum 1, label 2, page 11, quiz 2, resource 2, url 1"
QUESTIONS = "ddwtos 1, gapselect 1, match 1, multichoice 3, ordering 2, shortanswer 1, truefalse 2"


def quiz(found, idnumber):
    return next(q for q in found["quizzes"] if q["idnumber"] == idnumber)


def page(found, idnumber):
    return next(p for p in found["pages"] if p["idnumber"] == idnumber)


def module(found, idnumber):
    return next(mod for mod in found["modules"] if mod["idnumber"] == idnumber)


def a_file(found, name, component=None):
    return next(f for f in found["files"] if f["filename"] == name and component in (None, f["component"]))


def drop_modules(*idnumbers):
    def apply(found):
        found["modules"] = [mod for mod in found["modules"] if mod["idnumber"] not in idnumbers]
        for section in found["sections"]:
            section["modules"] = [i for i in section["modules"] if i not in idnumbers]
    return apply


def add_unnamed_label(found):
    found["modules"].append({"cmid": 5000, "idnumber": "", "modname": "label", "section": 0, "name": "x", "visible": 1})
    found["sections"][0]["modules"].append("x.y")
    if "cmids" in found["sections"][0]:         # inspect.php lists each module's cmid beside its idnumber
        found["sections"][0]["cmids"].append(5000)


def replace_in_page(idnumber, old, new):
    def apply(found):
        p = page(found, idnumber)
        assert old in p["content"]
        p["content"] = p["content"].replace(old, new)
    return apply


def ungrade(found):
    q = quiz(found, "part-1.evaluation")
    q["grade"], q["gradeitem"] = 0.0, None


def in_banks(*banks):
    """The quizzes' slots, in order, in these banks (one per slot, the last repeated)."""
    def apply(found):
        slots = [s for q in found["quizzes"] for s in q["slots"]]
        for n, slot in enumerate(slots):
            slot["bank"] = banks[min(n, len(banks) - 1)]
    return apply


def qbank_module(found, cmid=900, visible=0):
    """A Moodle 5.x course's question bank module (qbank), in section 0
    (perfect() is course 60, its modules' cmids from 1001)."""
    found["question_banks"] = [{"cmid": cmid, "name": "Banque", "type": "system", "visible": visible, "section": 0}]
    found["modules"].append({"cmid": cmid, "idnumber": "", "modname": "qbank", "section": 0, "name": "Banque",
                             "visible": visible})
    found["sections"][0]["modules"].append("")
    found["sections"][0]["cmids"].append(cmid)


def duplicate_slot(found):
    q = quiz(found, "part-1.activities-1")
    q["slots"].append(dict(q["slots"][0], slot=4))


CASES = [
    ("as the sources say", lambda f: None, []),
    ("no language, its pack missing", lambda f: f.update(lang=""),
     ["course language: expected 'fr', found none (the language pack 'fr' is not installed on this Moodle: install "
      "it, then deploy again)"]),
    ("another language", lambda f: f.update(lang="en"), ["course language: expected 'fr', found 'en'"]),
    ("hidden", lambda f: f.update(visible=0), ["the course is hidden from learners"]),
    ("renamed", lambda f: f.update(fullname="Restore as a new course"),
     ["fullname: expected 'Mini-cours', found 'Restore as a new course'"]),
    ("three courses of that shortname", lambda f: f.update(same_shortname=[60, 70, 80]),
     ["3 courses have the shortname MINI-FR (ids 60, 70, 80); this check read the first"]),
    ("one course of that shortname", lambda f: f.update(same_shortname=[60]), []),
    ("modules of a section in another order",
     lambda f: f["sections"][0].update(modules=f["sections"][0]["modules"][::-1]),
     ["section 0: its 6 modules are in another order"]),
    ("a section fewer", lambda f: f["sections"].pop(), ["sections: expected 4, found 3"]),
    ("a module missing", drop_modules("tutorial.p01.overview"),
     ["section 2: expected 6 modules, found 5: missing tutorial.p01.overview",
      f"modules by type: expected {BY_TYPE}; found {BY_TYPE.replace('page 11', 'page 10')}",
      "1 module(s) missing: tutorial.p01.overview"]),
    ("both pages of the project missing", drop_modules("tutorial.p01.overview", "toolbox.p01.sheet"),
     ["section 2: expected 6 modules, found 5: missing tutorial.p01.overview",
      "section 3: expected 3 modules, found 2: missing toolbox.p01.sheet",
      f"modules by type: expected {BY_TYPE}; found {BY_TYPE.replace('page 11', 'page 9')}",
      "2 module(s) missing: tutorial.p01.overview, toolbox.p01.sheet",
      "figure projects: the sources give 1, Moodle holds 0"]),
    ("a module without idnumber", add_unnamed_label,
     ["section 0: expected 6 modules, found 7: not in the sources x.y",
      f"modules by type: expected {BY_TYPE}; found {BY_TYPE.replace('label 2', 'label 3')}",
      "1 module(s) the sources do not have: a label without idnumber"]),
    ("a module of another type", lambda f: module(f, "home.notice").update(modname="page"),
     [f"modules by type: expected {BY_TYPE}; found book 1, folder 1, forum 1, label 1, page 12, quiz 2, resource 2, "
      "url 1",
      "module type: home.notice is a page, not a label"]),
    ("the MOOC video in another section", lambda f: module(f, "part-1.video-1").update(section=3),
     ["figure mooc_videos: the sources give 1, Moodle holds 0"]),
    ("a tutorial video in the MOOC part", lambda f: module(f, "tutorial.p01.video-1").update(section=1),
     ["figure tutorial_videos: the sources give 3, Moodle holds 2",
      "figure subtitle_files: the sources give 3, Moodle holds 2",
      "figure mooc_videos: the sources give 1, Moodle holds 2"]),
    ("a module in a section beyond the last", lambda f: module(f, "part-1.video-1").update(section=9),
     ["figure mooc_videos: the sources give 1, Moodle holds 0"]),
    ("the evaluation ungraded", ungrade,
     ["quiz part-1.evaluation: expected graded with a pass mark of 70%, found ungraded",
      "figure evaluation_phases: the sources give 1, Moodle holds 0",
      "figure exercises: the sources give 8, Moodle holds 0",
      "figure formative_activities: the sources give 3, Moodle holds 11"]),
    ("a grade item out of 0", lambda f: quiz(f, "part-1.evaluation")["gradeitem"].update(grademax=0),
     ["quiz part-1.evaluation: expected graded with a pass mark of 70%, found ungraded"]),
    ("another pass mark", lambda f: quiz(f, "part-1.evaluation")["gradeitem"].update(gradepass=5.0),
     ["quiz part-1.evaluation: pass mark expected 70%, found 50% (5 of 10)"]),
    ("a pass mark within a hundredth of a percent", lambda f: quiz(f, "part-1.evaluation")["gradeitem"].update(
        gradepass=7.0005), []),
    ("a pass mark off by two hundredths", lambda f: quiz(f, "part-1.evaluation")["gradeitem"].update(gradepass=7.002),
     ["quiz part-1.evaluation: pass mark expected 70%, found 70.02% (7.002 of 10)"]),
    ("the formative quiz graded", lambda f: quiz(f, "part-1.activities-1").update(grade=5.0),
     ["quiz part-1.activities-1: expected ungraded (formative), found graded out of 5"]),
    ("the formative quiz graded out of half a point", lambda f: quiz(f, "part-1.activities-1").update(grade=0.5),
     ["quiz part-1.activities-1: expected ungraded (formative), found graded out of 0.5"]),
    ("the evaluation out of 0 with its grade item", lambda f: quiz(f, "part-1.evaluation").update(grade=0.0),
     ["quiz part-1.evaluation: expected graded with a pass mark of 70%, found ungraded",
      "figure evaluation_phases: the sources give 1, Moodle holds 0",
      "figure exercises: the sources give 8, Moodle holds 0",
      "figure formative_activities: the sources give 3, Moodle holds 11"]),
    ("the questions in another order",
     lambda f: quiz(f, "part-1.evaluation").update(slots=quiz(f, "part-1.evaluation")["slots"][::-1]),
     ["quiz part-1.evaluation: its questions are in another order"]),
    ("a question of another type", lambda f: quiz(f, "part-1.evaluation")["slots"][1].update(qtype="essay"),
     ["quiz part-1.evaluation: question types differ: part-1.evaluation.q02 is a essay, not a multichoice",
      f"questions by type: expected {QUESTIONS}; found ddwtos 1, essay 1, gapselect 1, match 1, multichoice 2, "
      "ordering 2, shortanswer 1, truefalse 2"]),
    ("a question missing", lambda f: quiz(f, "part-1.evaluation")["slots"].pop(),
     ["quiz part-1.evaluation: expected 8 questions, found 7: missing part-1.evaluation.q08",
      f"questions by type: expected {QUESTIONS}; found {QUESTIONS.replace('ddwtos 1, ', '')}",
      "figure exercises: the sources give 8, Moodle holds 7"]),
    ("a slot without idnumber", lambda f: quiz(f, "part-1.evaluation")["slots"][0].update(idnumber=""),
     ["quiz part-1.evaluation: expected 8 questions, found 8: missing part-1.evaluation.q01; not in the sources "
      "slot 1 (multichoice)"]),
    ("a question used twice", duplicate_slot,
     ["quiz part-1.activities-1: expected 3 questions, found 4",
      "figure formative_activities: the sources give 3, Moodle holds 4"]),
    ("the questions in the course's bank", in_banks("course:60"), []),
    ("the questions in a qbank module of the course (5.x): the module is no course content",
     lambda f: (qbank_module(f), in_banks("module:900")(f)), []),
    ("the questions in two banks", lambda f: (qbank_module(f), in_banks("module:900", "course:60")(f)),
     ["the questions are in 2 question banks: the course's question bank 10, question bank module 'Banque' "
      "(system, hidden, section 0) 1"]),
    ("questions in another course's bank", in_banks("course:60", "course:77"),
     ["the questions are in 2 question banks: the course's question bank 1, course:77 10",
      "questions outside this course's question banks: course:77"]),
    ("a file not in the file store", lambda f: f["files"][0].update(readable=False),
     ["1 file(s) whose content is not in Moodle's file store: module home.welcome: "
      "mod_page/content/placeholder-photo.png"]),
    ("a file with other bytes", lambda f: a_file(f, "guide.pdf", "mod_resource").update(contenthash="0" * 40),
     ["1 file(s) whose bytes differ from the sources: module home.guide: mod_resource/content/guide.pdf"]),
    ("a generated file's bytes are not compared", lambda f: a_file(f, "p01.pdf").update(contenthash="0" * 40), []),
    ("a file the sources do not have", lambda f: f["files"].append(dict(f["files"][0], filename="stray.txt")),
     ["1 file(s) the sources do not have: module home.welcome: mod_page/content/stray.txt"]),
    ("a file in another folder", lambda f: a_file(f, "placeholder-photo.png", "mod_folder").update(filepath="/img/"),
     ["1 file(s) missing: module home.docs: mod_folder/content/images/placeholder-photo.png",
      "1 file(s) the sources do not have: module home.docs: mod_folder/content/img/placeholder-photo.png"]),
    ("an empty subtitle file", lambda f: a_file(f, "tutorial.p01.video-1.fr.vtt").update(filesize=0),
     ["subtitle track of tutorial.p01.video-1: its file is missing or empty",
      "figure subtitle_files: the sources give 3, Moodle holds 2"]),
    ("a subtitle file not readable", lambda f: a_file(f, "tutorial.p01.video-1.fr.vtt").update(readable=False),
     ["1 file(s) whose content is not in Moodle's file store: module tutorial.p01.video-1: "
      "mod_page/content/tutorial.p01.video-1.fr.vtt",
      "subtitle track of tutorial.p01.video-1: its file is missing or empty",
      "figure subtitle_files: the sources give 3, Moodle holds 2"]),
    ("a track in another language", replace_in_page("tutorial.p01.video-2", 'srclang="fr"', 'srclang="de"'),
     ["subtitle track of tutorial.p01.video-2: srclang 'de', not 'fr'",
      "figure subtitle_files: the sources give 3, Moodle holds 2"]),
    ("a track of another kind", replace_in_page("part-1.video-1", 'kind="subtitles"', 'kind="chapters"'),
     ["subtitle track of part-1.video-1: kind 'chapters'"]),
    ("captions are subtitles", replace_in_page("part-1.video-1", 'kind="subtitles"', 'kind="captions"'), []),
    ("a track pointing elsewhere", lambda f: page(f, "part-1.video-1").update(
        content='<video><track src="@@PLUGINFILE@@/other.vtt"></video>'),
     ["subtitle track of part-1.video-1: no <track> pointing at part-1.video-1.fr.vtt (found "
      "@@PLUGINFILE@@/other.vtt)"]),
    ("a track without src", lambda f: page(f, "part-1.video-1").update(content='<video><track kind="subtitles"></video>'),
     ["subtitle track of part-1.video-1: no <track> pointing at part-1.video-1.fr.vtt (found ?)"]),
    ("a track without kind is subtitles", replace_in_page("part-1.video-1", 'kind="subtitles"', ""), []),
    ("a video without a track", lambda f: page(f, "part-1.video-1").update(content="<video></video>"),
     ["subtitle track of part-1.video-1: no <track> pointing at part-1.video-1.fr.vtt"]),
    ("a tutorial page without its video", lambda f: page(f, "tutorial.p01.video-3").update(content="<p>x</p>"),
     ["subtitle track of tutorial.p01.video-3: no <track> pointing at tutorial.p01.video-3.fr.vtt",
      "figure tutorial_videos: the sources give 3, Moodle holds 2",
      "figure subtitle_files: the sources give 3, Moodle holds 2"]),
    ("no enrolment methods", lambda f: f.update(enrolments=[]),
     ["enrolment: no manual enrolment method (expected enabled)",
      "enrolment: no self enrolment method (expected enabled)",
      "enrolment: no guest enrolment method (expected disabled)"]),
    ("self enrolment off", lambda f: next(e for e in f["enrolments"] if e["enrol"] == "self").update(status="disabled"),
     ["enrolment: self is disabled, expected enabled"]),
    ("the self enrolment plugin off", lambda f: next(e for e in f["enrolments"] if e["enrol"] == "self").update(
        enabled_on_site=False),
     ["enrolment: the self enrolment plugin is disabled on this site (Site administration > Plugins > Enrolments > "
      "Manage enrol plugins)"]),
    ("the guest plugin off: guest access is off anyway",
     lambda f: next(e for e in f["enrolments"] if e["enrol"] == "guest").update(enabled_on_site=False), []),
    ("an enrolment method more", lambda f: f["enrolments"].append({"enrol": "cohort", "status": "enabled"}),
     ["enrolment methods the sources do not have: cohort"]),
]


@pytest.mark.parametrize("name, change, diffs", CASES, ids=[c[0] for c in CASES])
def test_one_change_exactly_these_differences(name, change, diffs):
    found = perfect(COURSE, "fr")
    change(found)
    assert d.compare(EXP, found, languages={"en"})[0] == diffs


def test_no_language_with_the_pack_installed_gives_no_hint():
    found = perfect(COURSE, "fr")
    found["lang"] = ""
    assert d.compare(EXP, found, languages={"fr", "en"})[0] == ["course language: expected 'fr', found none"]
    assert d.compare(EXP, found)[0] == ["course language: expected 'fr', found none"]


def test_no_course_of_that_shortname():
    assert d.compare(EXP, None) == (
        ["no course with the shortname MINI-FR on this Moodle (run `resolution-pack deploy`)"], {})


def test_the_figures_counted_from_moodle():
    assert d.compare(EXP, perfect(COURSE, "fr"))[1] == {
        "projects": 1, "tutorial_videos": 3, "subtitle_files": 3, "mooc_videos": 1, "evaluation_phases": 1,
        "exercises": 8, "formative_activities": 3}


def test_where_the_questions_are_in_words():
    found = perfect(COURSE, "fr")
    assert checks.bank_summary(checks.Held.read(dict(found, quizzes=[]))) == "no question"
    assert checks.bank_summary(checks.Held.read(found)) == "the course's question bank"
    qbank_module(found, visible=1)
    in_banks("module:900", "course:60", "module:901")(found)
    assert checks.bank_summary(checks.Held.read(found)) == ("the course's question bank, question bank module 'Banque' "
                                                  "(system, visible, section 0), module:901")


def test_a_quiz_moodle_lacks_does_not_stop_the_checks_of_the_next_ones():
    """A quiz the sources expect first and Moodle lacks (reported as a missing
    module) leaves the other quizzes checked: their pass mark, their
    questions."""
    import dataclasses
    exp = dataclasses.replace(EXP, graded={"part-1.gone": 70, **EXP.graded},
                              quiz_questions={"part-1.gone": [("q", "truefalse")], **EXP.quiz_questions})
    found = perfect(COURSE, "fr")
    quiz(found, "part-1.evaluation")["gradeitem"].update(gradepass=5.0)
    quiz(found, "part-1.evaluation")["slots"].pop()
    assert checks.check_pass_marks(exp, checks.Held.read(found)) == [
        "quiz part-1.evaluation: pass mark expected 70%, found 50% (5 of 10)"]
    assert checks.check_quiz_questions(exp, checks.Held.read(found)) == [
        "quiz part-1.evaluation: expected 8 questions, found 7: missing part-1.evaluation.q08"]
    assert checks.check_questions_by_type(EXP, checks.Held.read(perfect(COURSE, "fr"))) == []


def test_questions_of_a_quiz_the_sources_do_not_have_count_by_slot():
    """Slots without idnumber: in a quiz of the sources, 'slot N (type)'; in
    another quiz, each slot on its own (cmid:slot), so two such quizzes'
    first slots are two questions."""
    found = perfect(COURSE, "fr")
    for cmid in (7001, 7002):
        found["quizzes"].append({"cmid": cmid, "idnumber": "", "grade": 0.0, "gradeitem": None,
                                 "slots": [{"slot": 1, "qtype": "essay", "idnumber": ""}]})
    assert checks.check_questions_by_type(EXP, checks.Held.read(found)) == [
        "questions by type: expected ddwtos 1, gapselect 1, match 1, multichoice 3, ordering 2, shortanswer 1, "
        "truefalse 2; found ddwtos 1, essay 2, gapselect 1, match 1, multichoice 3, ordering 2, shortanswer 1, "
        "truefalse 2"]

"""The Moodle backup target, unit by unit: small hand-made courses, and the
exact values each part writes (questions.xml, files.xml, quizzes, sections,
the 4.5 / 5.x differences).

Expected values are what Moodle's own backup and restore code uses: the
qtype backup plugins (question/type/<qtype>/backup/moodle2/), the qtypes'
save_question_options (ddwtos serialises {draggroup, infinite} into the
answer's feedback; ordering keeps the position in `fraction`; truefalse has
a penalty of 1), restore_dbops for files.xml, mod_quiz's backup for slots
and grades. Ids are hashes of (kind, stable id) (moodle_ids): a fresh `Ids`
gives the id each record must carry.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from lxml import etree

from resolution_pack import model as m
from resolution_pack.edition import Edition, MediaStore
from resolution_pack.targets import moodle_ids
from resolution_pack.targets.moodle_archive import xml_files
from resolution_pack.targets.moodle_backup import MoodleBackup
from resolution_pack.targets.moodle_ids import Ids
from resolution_pack.targets.moodle_releases import release

NULL = "$@NULL@$"
IDS = Ids()          # the ids a backup must give: the same (kind, key) always gives the same id


def course(sections, ui=None, lang="en") -> m.Course:
    return m.Course(id="c", source_language="en", languages=[lang], startdate="2026-01-05",
                    editions={lang: m.Edition(lang, "SHORT", "Full name")}, sections=sections, projects=[],
                    expected={}, ui={k: m.UiString(k, text=v) for k, v in (ui or {}).items()}, lang=lang,
                    title="Course", summary="Summary")


def backup(sections, ui=None, rel="4.5", root: Path | None = None) -> MoodleBackup:
    root = root or Path("/nonexistent")
    return MoodleBackup(Edition(course(sections, ui), MediaStore(root, root)), release(rel))


def quiz_backup(questions, graded=False, ui=None, rel="4.5", **kw) -> MoodleBackup:
    kind = m.Evaluation if graded else m.Activities
    item = kind("s1.quiz", questions=questions, title="Quiz", **kw)
    return backup([m.Section("s1", items=[item], title="Part one")], ui, rel)


def entries(b: MoodleBackup) -> dict:
    return {e["idnumber"]: e for c in b.qbank.categories for e in c["entries"]}


def rendered(b: MoodleBackup) -> dict:
    return dict(xml_files(b, "SHORT.mbz"))


def question_xml(b: MoodleBackup, qid: str):
    root = etree.fromstring(rendered(b)["questions.xml"].encode())
    for entry in root.iter("question_bank_entry"):
        if entry.findtext("idnumber") == qid:
            return entry
    raise KeyError(qid)


def answers_of(entry: dict) -> list[tuple]:
    return [(a["answertext"], a["answerformat"], a["fraction"], a["feedback"], a["feedbackformat"])
            for a in entry["question"]["answers"]]


# ---------------------------------------------------------------------------
# answers and their fractions, per qtype

def _c(correct, text, feedback=None, fraction=None, group=1):
    return m.Choice(correct=correct, text=text, feedback=feedback, fraction=fraction, group=group)


MULTICHOICE = [
    # single: the right choice gets the whole mark
    (m.Question("q.a", "single", text="Q", choices=[_c(False, "A", "no"), _c(True, "B", "yes"), _c(False, "C")]),
     [("A", 1, "0.0000000", "<p>no</p>", 1), ("B", 1, "1.0000000", "<p>yes</p>", 1), ("C", 1, "0.0000000", "", 1)]),
    # multiple: the right ones share the mark, each wrong tick costs a share of the wrong ones
    (m.Question("q.b", "multiple", text="Q", choices=[_c(True, "A"), _c(True, "B"), _c(True, "C"), _c(False, "D"),
                                                      _c(False, "E")]),
     [("A", 1, "0.3333333", "", 1), ("B", 1, "0.3333333", "", 1), ("C", 1, "0.3333333", "", 1),
      ("D", 1, "-0.5000000", "", 1), ("E", 1, "-0.5000000", "", 1)]),
    (m.Question("q.c", "multiple", text="Q", choices=[_c(True, "A"), _c(False, "B"), _c(True, "C")]),
     [("A", 1, "0.5000000", "", 1), ("B", 1, "-1.0000000", "", 1), ("C", 1, "0.5000000", "", 1)]),
    # fractions given by the sources (an imported Moodle question): percent of the mark
    (m.Question("q.d", "multiple", text="Q", choices=[_c(True, "A", fraction=33.33333), _c(True, "B", fraction=66.66667),
                                                      _c(False, "C", fraction=-100)]),
     [("A", 1, "0.3333333", "", 1), ("B", 1, "0.6666667", "", 1), ("C", 1, "-1.0000000", "", 1)]),
    (m.Question("q.e", "single", text="Q", choices=[_c(True, "A", fraction=100), _c(False, "B", fraction=50)]),
     [("A", 1, "1.0000000", "", 1), ("B", 1, "0.5000000", "", 1)]),
    # choice text is inline HTML (sanitised), whitespace folded
    (m.Question("q.f", "single", text="Q", choices=[_c(True, "<b>bold</b>\n  text"), _c(False, "x <script>y</script>")]),
     [("<b>bold</b> text", 1, "1.0000000", "", 1), ("x ", 1, "0.0000000", "", 1)]),
]


@pytest.mark.parametrize("question, expected", MULTICHOICE, ids=[q.id for q, _ in MULTICHOICE])
def test_multichoice_answers(question, expected):
    entry = entries(quiz_backup([question]))[question.id]
    assert answers_of(entry) == expected
    assert [a["id"] for a in entry["question"]["answers"]] == \
        [IDS("question_answer", f"{question.id}#{n}") for n in range(1, len(expected) + 1)]


@pytest.mark.parametrize("qtype, shuffle, single", [("single", True, 1), ("single", False, 1), ("multiple", True, 0),
                                                    ("multiple", False, 0)])
def test_multichoice_options(qtype, shuffle, single):
    q = m.Question("q.a", qtype, text="Q", shuffle=shuffle, choices=[_c(True, "A"), _c(False, "B")],
                   correct_feedback="Right", partially_correct_feedback="Partly", incorrect_feedback="Wrong")
    options = entries(quiz_backup([q]))["q.a"]["question"]["options"]
    assert options == {"id": IDS("qtype_multichoice_options", "q.a"), "layout": 0, "single": single,
                       "shuffleanswers": int(shuffle), "answernumbering": "abc", "shownumcorrect": 1,
                       "showstandardinstruction": 0, "correctfeedback": "<p>Right</p>",
                       "partiallycorrectfeedback": "<p>Partly</p>", "incorrectfeedback": "<p>Wrong</p>"}


@pytest.mark.parametrize("answer, fractions", [(True, ("1.0000000", "0.0000000")), (False, ("0.0000000", "1.0000000"))])
def test_truefalse(answer, fractions):
    q = m.Question("q.tf", "truefalse", text="T?", answer=answer, feedback_true="said true", feedback_false="said false")
    b = quiz_backup([q], ui={"true": "Vrai", "false": "Faux", "hint_try_again": "Again"})
    question = entries(b)["q.tf"]["question"]
    assert answers_of(entries(b)["q.tf"]) == [("Vrai", 0, fractions[0], "<p>said true</p>", 1),
                                              ("Faux", 0, fractions[1], "<p>said false</p>", 1)]
    true_id, false_id = IDS("question_answer", "q.tf#true"), IDS("question_answer", "q.tf#false")
    assert [a["id"] for a in question["answers"]] == [true_id, false_id]
    assert question["options"] == {"id": IDS("question_truefalse", "q.tf"), "trueanswer": true_id,
                                   "falseanswer": false_id, "showstandardinstruction": 0}
    assert question["penalty"] == "1.0000000"     # two choices: a second try is worth nothing
    assert question["hints"] == []                # and there is none, even with the course's hint


def test_match():
    q = m.Question("q.m", "match", text="Match", shuffle=False, incorrect_feedback="No",
                   pairs=[m.Pair(question="<i>Paris</i>", answer="France"),
                          m.Pair(question="Rome", answer="  Italy\n ")])
    question = entries(quiz_backup([q]))["q.m"]["question"]
    assert question["matches"] == [
        {"id": IDS("qtype_match_subquestions", "q.m#1"), "questiontext": "<i>Paris</i>", "questiontextformat": 1,
         "answertext": "France"},
        {"id": IDS("qtype_match_subquestions", "q.m#2"), "questiontext": "Rome", "questiontextformat": 1,
         "answertext": "Italy"}]
    assert question["options"] == {"id": IDS("qtype_match_options", "q.m"), "shuffleanswers": 0, "shownumcorrect": 1,
                                   "correctfeedback": "", "partiallycorrectfeedback": "",
                                   "incorrectfeedback": "<p>No</p>"}
    assert "answers" not in question


@pytest.mark.parametrize("case_sensitive", [True, False])
def test_shortanswer(case_sensitive):
    q = m.Question("q.s", "shortanswer", text="Capital?", case_sensitive=case_sensitive,
                   answers=[m.ShortAnswer(text="Paris", feedback="Yes"), m.ShortAnswer(fraction=50, text=" paris  "),
                            m.ShortAnswer(fraction=0, text="*", feedback="No")])
    question = entries(quiz_backup([q]))["q.s"]["question"]
    assert answers_of(entries(quiz_backup([q]))["q.s"]) == [("Paris", 0, "1.0000000", "<p>Yes</p>", 1),
                                                            ("paris", 0, "0.5000000", "", 1),
                                                            ("*", 0, "0.0000000", "<p>No</p>", 1)]
    assert question["options"] == {"id": IDS("qtype_shortanswer_options", "q.s"), "usecase": int(case_sensitive)}
    assert question["penalty"] == "0.3333333"


def test_ordering():
    q = m.Question("q.o", "ordering", text="Order", items=[m.OrderItem(text="first & one"), m.OrderItem(text="second"),
                                                            m.OrderItem(text="<third>")],
                   correct_feedback="Good")
    question = entries(quiz_backup([q]))["q.o"]["question"]
    # the position in the right order is kept in `fraction`; the item is HTML (escaped plain text)
    assert answers_of(entries(quiz_backup([q]))["q.o"]) == [("first &amp; one", 1, "1.0000000", "", 0),
                                                            ("second", 1, "2.0000000", "", 0),
                                                            ("&lt;third&gt;", 1, "3.0000000", "", 0)]
    assert question["options"] == {"id": IDS("qtype_ordering_options", "q.o"), "layouttype": 0, "selecttype": 0,
                                   "selectcount": 3, "gradingtype": 0, "showgrading": 1, "numberingstyle": "none",
                                   "shownumcorrect": 1, "correctfeedback": "<p>Good</p>",
                                   "partiallycorrectfeedback": "", "incorrectfeedback": ""}


def test_gapselect_keeps_each_choice_group_in_feedback():
    q = m.Question("q.g", "gapselect", text="[[1]] and [[2]]", shuffle=False,
                   choices=[_c(True, "cats & dogs", group=1), _c(True, "<b>mice</b>", group=2), _c(False, "x", group=12)])
    question = entries(quiz_backup([q]))["q.g"]["question"]
    assert answers_of(entries(quiz_backup([q]))["q.g"]) == [("cats &amp; dogs", 1, "0.0000000", "1", 0),
                                                            ("mice", 1, "0.0000000", "2", 0),
                                                            ("x", 1, "0.0000000", "12", 0)]
    assert question["options"] == {"id": IDS("question_gapselect", "q.g"), "shuffleanswers": 0, "shownumcorrect": 1,
                                   "correctfeedback": "", "partiallycorrectfeedback": "", "incorrectfeedback": ""}


def test_ddwtos_serialises_the_drag_group():
    q = m.Question("q.d", "ddwtos", text="[[1]] [[2]]",
                   choices=[_c(True, "one", group=1), _c(True, "two", group=10)])
    question = entries(quiz_backup([q]))["q.d"]["question"]
    assert [a["feedback"] for a in question["answers"]] == [
        'O:8:"stdClass":2:{s:9:"draggroup";s:1:"1";s:8:"infinite";b:0;}',
        'O:8:"stdClass":2:{s:9:"draggroup";s:2:"10";s:8:"infinite";b:0;}']
    assert [a["fraction"] for a in question["answers"]] == ["0.0000000", "0.0000000"]
    assert question["options"] == {"id": IDS("question_ddwtos", "q.d"), "shuffleanswers": 1, "shownumcorrect": 1,
                                   "correctfeedback": "", "partiallycorrectfeedback": "", "incorrectfeedback": ""}


# ---------------------------------------------------------------------------
# the question record, hints

def test_question_record():
    q = m.Question("s1.quiz.q1", "single", text="What?", name="  The  name ", general_feedback="Because.",
                   choices=[_c(True, "A"), _c(False, "B")])
    entry = entries(quiz_backup([q]))["s1.quiz.q1"]
    question = entry["question"]
    assert {k: question[k] for k in ("id", "name", "questiontext", "generalfeedback", "defaultmark", "penalty", "qtype",
                                     "stamp", "createdby", "modifiedby")} == {
        "id": IDS("question", "s1.quiz.q1"), "name": "The name", "questiontext": "<p>What?</p>",
        "generalfeedback": "<p>Because.</p>", "defaultmark": "1.0000000", "penalty": "0.3333333",
        "qtype": "multichoice", "stamp": "resolution-pack+c.en+s1.quiz.q1", "createdby": 2, "modifiedby": 2}
    assert {k: v for k, v in entry.items() if k != "question"} == {
        "id": IDS("question_bank_entry", "s1.quiz.q1"), "questioncategoryid": IDS("question_category", "s1.formative"),
        "idnumber": "s1.quiz.q1", "ownerid": 2, "version_id": IDS("question_version", "s1.quiz.q1"),
        "version": 1, "status": "ready"}


@pytest.mark.parametrize("qtype", ["single", "multiple", "match", "shortanswer", "ordering", "gapselect", "ddwtos"])
def test_penalty_is_a_third_but_for_truefalse(qtype):
    q = m.Question("q.x", qtype, text="Q", choices=[_c(True, "A")], pairs=[m.Pair(question="a", answer="b")],
                   items=[m.OrderItem(text="a")], answers=[m.ShortAnswer(text="a")])
    assert entries(quiz_backup([q]))["q.x"]["question"]["penalty"] == "0.3333333"


@pytest.mark.parametrize("name, text, expected", [
    ("Named", "Text", "Named"),
    (None, "<b>Rich</b>   text &amp; more", "Rich text & more"),
    ("", "Text", "Text"),
    (None, "", "q7"),
    (None, "x" * 100, "x" * 100),
    (None, "x" * 101, "x" * 99 + "…"),
    (None, "y" * 98 + " zzz", "y" * 98 + "…"),
])
def test_question_name(name, text, expected):
    q = m.Question("s1.quiz.q7", "shortanswer", text=text, name=name, answers=[m.ShortAnswer(text="a")])
    assert entries(quiz_backup([q]))["s1.quiz.q7"]["question"]["name"] == expected


HINT_UI = {"hint_try_again": "Read it <em>again</em>."}


@pytest.mark.parametrize("qtype, graded, ui, expected", [
    ("single", False, HINT_UI, [("<p>Read it <em>again</em>.</p>", 1, 0, None)]),
    ("ordering", False, HINT_UI, [("<p>Read it <em>again</em>.</p>", 1, 0, "0")]),
    ("single", True, HINT_UI, []),           # a graded question: no second try
    ("truefalse", False, HINT_UI, []),
    ("single", False, {}, []),               # the course has no "try again" string
])
def test_default_hint(qtype, graded, ui, expected):
    q = m.Question("q.h", qtype, text="Q", graded=graded, answer=True, choices=[_c(True, "A")],
                   items=[m.OrderItem(text="a")])
    hints = entries(quiz_backup([q], graded=graded, ui=ui))["q.h"]["question"]["hints"]
    assert [(h["hint"], h["shownumcorrect"], h["clearwrong"], h["options"]) for h in hints] == expected
    assert [h["id"] for h in hints] == [IDS("question_hint", "q.h#1")] * len(expected)


@pytest.mark.parametrize("qtype, options", [("match", None), ("ordering", "0")])
def test_own_hints_are_kept(qtype, options):
    hints = [m.Hint(text="First", clear_wrong=True, show_num_correct=False), m.Hint(text="Second")]
    q = m.Question("q.h", qtype, text="Q", graded=True, hints=hints, pairs=[m.Pair(question="a", answer="b")],
                   items=[m.OrderItem(text="a")])
    written = entries(quiz_backup([q], graded=True, ui=HINT_UI))["q.h"]["question"]["hints"]
    assert written == [
        {"id": IDS("question_hint", "q.h#1"), "hint": "<p>First</p>", "shownumcorrect": 0, "clearwrong": 1,
         "options": options},
        {"id": IDS("question_hint", "q.h#2"), "hint": "<p>Second</p>", "shownumcorrect": 1, "clearwrong": 0,
         "options": options}]


def test_an_empty_hint_list_means_no_hint():
    q = m.Question("q.h", "single", text="Q", hints=[], choices=[_c(True, "A")])
    assert entries(quiz_backup([q], ui=HINT_UI))["q.h"]["question"]["hints"] == []


# ---------------------------------------------------------------------------
# categories and slots

def _two_part_backup(rel="4.5"):
    sections = [
        m.Section("s1", title="Part  one", items=[
            m.Activities("s1.act", title="Acts", questions=[m.Question("s1.act.q1", "truefalse", text="A", answer=True),
                                                           m.Question("s1.act.q2", "truefalse", text="B", answer=False)]),
            m.Evaluation("s1.eval", title="Test", questions=[m.Question("s1.eval.q1", "truefalse", text="C",
                                                                        answer=True, graded=True)])]),
        m.Section("s2", title="Part two / more", items=[
            m.Activities("s2.act", title="More", questions=[m.Question("s2.act.q1", "truefalse", text="D",
                                                                      answer=True)]),
            m.Activities("s2.act2", title="Again", questions=[m.Question("s2.act2.q1", "truefalse", text="E",
                                                                        answer=True)])]),
    ]
    return backup(sections, {"activities": "Exercises", "evaluation": "Test"}, rel)


@pytest.mark.parametrize("rel, contextid, instanceid, level", [
    ("4.5", ("context", "course"), ("course", "c"), 50),
    ("5.0", ("context", "\x00qbank"), ("cm", "\x00qbank"), 70),
    ("5.1", ("context", "\x00qbank"), ("cm", "\x00qbank"), 70),
])
def test_categories_one_per_section_and_kind(rel, contextid, instanceid, level):
    b = _two_part_backup(rel)
    top = IDS("question_category", "\x00top")
    got = [{k: c[k] for k in ("id", "name", "parent", "info", "infoformat", "stamp", "sortorder", "idnumber",
                              "contextid", "contextinstanceid", "contextlevel")}
           | {"entries": [e["idnumber"] for e in c["entries"]]} for c in b.qbank.categories]
    common = {"contextid": IDS(*contextid), "contextinstanceid": IDS(*instanceid), "contextlevel": level, "info": ""}
    assert got == [
        {"id": top, "name": "top", "parent": 0, "infoformat": 0, "stamp": "resolution-pack+c.en+top", "sortorder": 0,
         "idnumber": None, "entries": [], **common},
        {"id": IDS("question_category", "s1.formative"), "name": "Part one – Exercises", "parent": top, "infoformat": 1,
         "stamp": "resolution-pack+c.en+s1.formative", "sortorder": 1, "idnumber": "s1.formative",
         "entries": ["s1.act.q1", "s1.act.q2"], **common},
        {"id": IDS("question_category", "s1.evaluation"), "name": "Part one – Test", "parent": top, "infoformat": 1,
         "stamp": "resolution-pack+c.en+s1.evaluation", "sortorder": 2, "idnumber": "s1.evaluation",
         "entries": ["s1.eval.q1"], **common},
        {"id": IDS("question_category", "s2.formative"), "name": "Part two / more – Exercises", "parent": top,
         "infoformat": 1, "stamp": "resolution-pack+c.en+s2.formative", "sortorder": 3, "idnumber": "s2.formative",
         "entries": ["s2.act.q1", "s2.act2.q1"], **common},
    ]


def test_a_category_name_is_cut_at_255_characters():
    b = backup([m.Section("s1", title="T" * 300, items=[m.Activities("s1.a", questions=[
        m.Question("s1.a.q", "truefalse", text="x", answer=True)])])])
    assert b.qbank.categories[1]["name"] == "T" * 255


@pytest.mark.parametrize("rel", ["4.5", "5.1"])
def test_quiz_slots(rel):
    b = _two_part_backup(rel)
    quizzes = {mod.key: mod for mod in b.modules if mod.modname == "quiz"}
    mod = quizzes["s1.act"]
    assert mod.data["slots"] == [
        {"id": IDS("quiz_slot", qid), "slot": n, "page": n, "maxmark": "1.0000000",
         "reference_id": IDS("question_reference", qid), "usingcontextid": IDS("context", "s1.act"),
         "questionbankentryid": IDS("question_bank_entry", qid)}
        for n, qid in ((1, "s1.act.q1"), (2, "s1.act.q2"))]
    assert mod.data["sumgrades"] == "2.00000"
    assert quizzes["s2.act2"].data["slots"][0]["slot"] == 1


def test_quiz_categories_4_5_every_category_5_x_its_own_and_top():
    every = [IDS("question_category", k) for k in ("\x00top", "s1.formative", "s1.evaluation", "s2.formative")]
    old = {mod.key: mod.question_categories for mod in _two_part_backup("4.5").modules if mod.modname == "quiz"}
    assert old == {"s1.act": every, "s1.eval": every, "s2.act": every, "s2.act2": every}
    new = _two_part_backup("5.1")
    top = every[0]
    assert {mod.key: mod.question_categories for mod in new.modules if mod.modname == "quiz"} == {
        "s1.act": [every[1], top], "s1.eval": [every[2], top], "s2.act": [every[3], top], "s2.act2": [every[3], top]}
    assert new.modules[0].modname == "qbank" and new.modules[0].question_categories == every


# ---------------------------------------------------------------------------
# questions.xml as written

def _text(el, path):
    return el.findtext(path)


def test_questions_xml_of_a_multichoice():
    q = m.Question("q.a", "multiple", text="Pick <b>two</b>", shuffle=False, general_feedback="G",
                   correct_feedback="C", partially_correct_feedback="P", incorrect_feedback="I",
                   choices=[_c(True, "A & B", "fa"), _c(True, "C"), _c(False, "D")])
    b = quiz_backup([q], ui=HINT_UI)
    entry = question_xml(b, "q.a")
    assert entry.get("id") == str(IDS("question_bank_entry", "q.a"))
    assert [_text(entry, p) for p in ("questioncategoryid", "idnumber", "ownerid")] == \
        [str(IDS("question_category", "s1.formative")), "q.a", "2"]
    version = entry.find("question_version/question_versions")
    assert version.get("id") == str(IDS("question_version", "q.a"))
    assert [_text(version, "version"), _text(version, "status")] == ["1", "ready"]
    x = version.find("questions/question")
    assert x.get("id") == str(IDS("question", "q.a"))
    assert {c.tag: c.text for c in x if len(c) == 0 and c.tag != "tags"} == {
        "parent": "0", "name": "Pick two", "questiontext": "<p>Pick <b>two</b></p>", "questiontextformat": "1",
        "generalfeedback": "<p>G</p>", "generalfeedbackformat": "1", "defaultmark": "1.0000000",
        "penalty": "0.3333333", "qtype": "multichoice", "length": "1", "stamp": "resolution-pack+c.en+q.a",
        "timecreated": str(b.now), "timemodified": str(b.now), "createdby": "2", "modifiedby": "2"}
    plugin = x.find("plugin_qtype_multichoice_question")
    answers = [{c.tag: c.text for c in a} | {"id": a.get("id")} for a in plugin.iterfind("answers/answer")]
    assert answers == [
        {"id": str(IDS("question_answer", "q.a#1")), "answertext": "A &amp; B", "answerformat": "1",
         "fraction": "0.5000000", "feedback": "<p>fa</p>", "feedbackformat": "1"},
        {"id": str(IDS("question_answer", "q.a#2")), "answertext": "C", "answerformat": "1",
         "fraction": "0.5000000", "feedback": None, "feedbackformat": "1"},
        {"id": str(IDS("question_answer", "q.a#3")), "answertext": "D", "answerformat": "1",
         "fraction": "-1.0000000", "feedback": None, "feedbackformat": "1"}]
    options = plugin.find("multichoice")
    assert options.get("id") == str(IDS("qtype_multichoice_options", "q.a"))
    assert {c.tag: c.text for c in options} == {
        "layout": "0", "single": "0", "shuffleanswers": "0", "correctfeedback": "<p>C</p>",
        "correctfeedbackformat": "1", "partiallycorrectfeedback": "<p>P</p>", "partiallycorrectfeedbackformat": "1",
        "incorrectfeedback": "<p>I</p>", "incorrectfeedbackformat": "1", "answernumbering": "abc",
        "shownumcorrect": "1", "showstandardinstruction": "0"}
    hints = x.findall("question_hints/question_hint")
    assert [({c.tag: c.text for c in h}, h.get("id")) for h in hints] == [
        ({"hint": "<p>Read it <em>again</em>.</p>", "hintformat": "1", "shownumcorrect": "1", "clearwrong": "0",
          "options": NULL}, str(IDS("question_hint", "q.a#1")))]


def test_questions_xml_of_the_other_qtypes():
    qs = [m.Question("q.tf", "truefalse", text="T", answer=False),
          m.Question("q.m", "match", text="M", pairs=[m.Pair(question="a", answer="b")]),
          m.Question("q.s", "shortanswer", text="S", case_sensitive=True, answers=[m.ShortAnswer(text="x")]),
          m.Question("q.o", "ordering", text="O", items=[m.OrderItem(text="1"), m.OrderItem(text="2")]),
          m.Question("q.g", "gapselect", text="[[1]]", choices=[_c(True, "g", group=3)]),
          m.Question("q.d", "ddwtos", text="[[1]]", choices=[_c(True, "d", group=2)])]
    b = quiz_backup(qs, graded=True)

    def plugin(qid, qtype):
        return question_xml(b, qid).find(f"question_version/question_versions/questions/question/"
                                         f"plugin_qtype_{qtype}_question")

    tf = plugin("q.tf", "truefalse")
    assert [(a.findtext("answertext"), a.findtext("fraction")) for a in tf.iterfind("answers/answer")] == \
        [("True", "0.0000000"), ("False", "1.0000000")]
    assert {c.tag: c.text for c in tf.find("truefalse")} == {
        "trueanswer": str(IDS("question_answer", "q.tf#true")), "falseanswer": str(IDS("question_answer", "q.tf#false")),
        "showstandardinstruction": "0"}
    match = plugin("q.m", "match")
    assert match.find("matchoptions").get("id") == str(IDS("qtype_match_options", "q.m"))
    assert [{c.tag: c.text for c in mm} for mm in match.iterfind("matches/match")] == [
        {"questiontext": "a", "questiontextformat": "1", "answertext": "b"}]
    assert match.find("matches/match").get("id") == str(IDS("qtype_match_subquestions", "q.m#1"))
    assert {c.tag: c.text for c in match.find("matchoptions")} == {
        "shuffleanswers": "1", "correctfeedback": None, "correctfeedbackformat": "1", "partiallycorrectfeedback": None,
        "partiallycorrectfeedbackformat": "1", "incorrectfeedback": None, "incorrectfeedbackformat": "1",
        "shownumcorrect": "1"}
    short = plugin("q.s", "shortanswer")
    assert [(a.findtext("answertext"), a.findtext("answerformat"), a.findtext("fraction"))
            for a in short.iterfind("answers/answer")] == [("x", "0", "1.0000000")]
    assert short.findtext("shortanswer/usecase") == "1"
    ordering = plugin("q.o", "ordering")
    assert [(a.findtext("answertext"), a.findtext("fraction"), a.findtext("feedbackformat"))
            for a in ordering.iterfind("answers/answer")] == [("1", "1.0000000", "0"), ("2", "2.0000000", "0")]
    assert {c.tag: c.text for c in ordering.find("ordering")} == {
        "layouttype": "0", "selecttype": "0", "selectcount": "2", "gradingtype": "0", "showgrading": "1",
        "numberingstyle": "none", "correctfeedback": None, "correctfeedbackformat": "1", "incorrectfeedback": None,
        "incorrectfeedbackformat": "1", "partiallycorrectfeedback": None, "partiallycorrectfeedbackformat": "1",
        "shownumcorrect": "1"}
    gap = plugin("q.g", "gapselect")
    assert gap.findtext("answers/answer/feedback") == "3" and gap.findtext("gapselect/shuffleanswers") == "1"
    dd = plugin("q.d", "ddwtos")
    assert dd.findtext("answers/answer/feedback") == 'O:8:"stdClass":2:{s:9:"draggroup";s:1:"2";s:8:"infinite";b:0;}'
    assert dd.findtext("ddwtos/shownumcorrect") == "1"
    for qid in ("q.tf", "q.m", "q.s", "q.o", "q.g", "q.d"):
        assert question_xml(b, qid).findall(".//question_hint") == []


def test_questions_xml_categories():
    b = _two_part_backup("5.1")
    root = etree.fromstring(rendered(b)["questions.xml"].encode())
    cats = [({c.tag: c.text for c in cat if c.tag != "question_bank_entries"}, cat.get("id"))
            for cat in root.iterfind("question_category")]
    ctx, inst = str(IDS("context", "\x00qbank")), str(IDS("cm", "\x00qbank"))
    top = str(IDS("question_category", "\x00top"))
    assert cats[0] == ({"name": "top", "contextid": ctx, "contextlevel": "70", "contextinstanceid": inst, "info": None,
                        "infoformat": "0", "stamp": "resolution-pack+c.en+top", "parent": "0", "sortorder": "0",
                        "idnumber": NULL}, top)
    assert cats[2] == ({"name": "Part one – Test", "contextid": ctx, "contextlevel": "70", "contextinstanceid": inst,
                        "info": None, "infoformat": "1", "stamp": "resolution-pack+c.en+s1.evaluation", "parent": top,
                        "sortorder": "2", "idnumber": "s1.evaluation"}, str(IDS("question_category", "s1.evaluation")))


# ---------------------------------------------------------------------------
# ids

def test_ids_are_sha256_of_kind_and_key_in_moodles_range():
    digest = hashlib.sha256("\x00question\x00q.a\x000".encode()).digest()
    assert Ids()("question", "q.a") == 100_000 + int.from_bytes(digest[:8], "big") % (2_000_000_000 - 100_000)
    salted = hashlib.sha256("s\x00question\x00q.a\x000".encode()).digest()
    assert Ids("s")("question", "q.a") == 100_000 + int.from_bytes(salted[:8], "big") % 1_999_900_000
    assert moodle_ids.stable_hex("abc") == hashlib.sha256(b"abc").hexdigest()[:32]
    assert moodle_ids.stable_hex("abc", 8) == hashlib.sha256(b"abc").hexdigest()[:8]


def test_ids_repeat_per_key_and_differ_per_kind():
    ids = Ids()
    first = ids("question", "a")
    assert ids("question", "a") == first
    assert ids("question", "b") != first
    assert ids("answer", "a") == Ids()("answer", "a")


def test_a_colliding_id_moves_on_to_the_next_attempt(monkeypatch):
    values = iter([500, 500, 501, 500, 500, 600])
    calls = []

    def fake(text):
        calls.append(text)
        return next(values)
    monkeypatch.setattr(moodle_ids, "_hash", fake)
    ids = Ids()
    assert [ids("k", "a"), ids("k", "b"), ids("other", "c")] == [500, 501, 500]
    assert calls == ["\x00k\x00a\x000", "\x00k\x00b\x000", "\x00k\x00b\x001", "\x00other\x00c\x000"]
    assert ids("k", "a") == 500 and len(calls) == 4      # known keys are not hashed again


@pytest.mark.parametrize("question", [
    m.Question("q.s", "shortanswer", text="S", answers=[m.ShortAnswer(text="a"), m.ShortAnswer(text="b")]),
    m.Question("q.o", "ordering", text="O", items=[m.OrderItem(text="a"), m.OrderItem(text="b")]),
    m.Question("q.g", "gapselect", text="[[1]]", choices=[_c(True, "a"), _c(True, "b")]),
    m.Question("q.d", "ddwtos", text="[[1]]", choices=[_c(True, "a"), _c(True, "b")]),
], ids=lambda q: q.type)
def test_answer_ids_count_from_one(question):
    answers = entries(quiz_backup([question]))[question.id]["question"]["answers"]
    assert [a["id"] for a in answers] == [IDS("question_answer", f"{question.id}#1"),
                                          IDS("question_answer", f"{question.id}#2")]


def test_two_collisions_in_a_row_move_on_twice(monkeypatch):
    table = {"\x00k\x00a\x000": 1, "\x00k\x00b\x000": 2, "\x00k\x00c\x000": 1, "\x00k\x00c\x001": 2,
             "\x00k\x00c\x002": 3}
    monkeypatch.setattr(moodle_ids, "_hash", lambda text: table[text])
    ids = Ids()
    assert [ids("k", key) for key in "abc"] == [1, 2, 3]

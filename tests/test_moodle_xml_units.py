"""The Moodle XML target (qformat_xml), unit by unit, on small hand-made
courses: what each question becomes, element by element, as Moodle 4.5's
exporter writes it and its importer reads it (question/format/xml/format.php:
fractions in percent, `<single>true</single>`, `<shownumcorrect/>` flags,
`$course$/top/<name>` category paths, base64 files)."""
from __future__ import annotations

import base64
from pathlib import Path

import pytest
from lxml import etree

from resolution_pack import model as m
from resolution_pack.edition import Edition, MediaStore
from resolution_pack.targets import moodle_xml
from resolution_pack.targets.moodle_xml import percent, yes_no


def course(sections, ui=None) -> m.Course:
    return m.Course(id="c", source_language="en", languages=["en"], startdate="2026-01-05",
                    editions={"en": m.Edition("en", "SHORT", "Full")}, sections=sections, projects=[], expected={},
                    ui={k: m.UiString(k, text=v) for k, v in (ui or {}).items()}, lang="en", title="C", summary="S")


def edition(sections, ui=None, root=Path("/nonexistent")) -> Edition:
    return Edition(course(sections, ui), MediaStore(root, root))


def document(questions, graded=False, ui=None, root=Path("/nonexistent"), title="Part one"):
    kind = m.Evaluation if graded else m.Activities
    sections = [m.Section("s1", title=title, items=[kind("s1.q", title="Quiz", questions=questions)])]
    return etree.fromstring(moodle_xml.document(edition(sections, ui, root)).encode())


def flat(element) -> list[tuple]:
    """(path, attributes, text) of every element, in order."""
    out = []

    def walk(el, prefix):
        for child in el:
            if not isinstance(child.tag, str):
                continue
            key = prefix + child.tag
            out.append((key, dict(child.attrib), (child.text or "").strip()))
            walk(child, key + "/")
    walk(element, "")
    return out


def question(root, n=1):
    return [q for q in root.iterfind("question") if q.get("type") != "category"][n - 1]


@pytest.mark.parametrize("fraction, expected", [
    ("1.0000000", "100"), ("0.0000000", "0"), ("-0.0000000", "0"), ("0.3333333", "33.33333"),
    ("0.5000000", "50"), ("-0.5000000", "-50"), ("-1.0000000", "-100"), ("0.1000000", "10"),
    ("0.0500000", "5"), ("0.6666667", "66.66667"), ("0.1250000", "12.5"), ("0.0000001", "0.00001"),
])
def test_percent_as_moodles_exporter_writes_a_fraction(fraction, expected):
    assert percent(fraction) == expected


@pytest.mark.parametrize("value, expected", [(1, "true"), (0, "false"), ("1", "true"), ("0", "false"), (True, "true")])
def test_yes_no(value, expected):
    assert yes_no(value) == expected


def test_formats():
    assert moodle_xml.FORMATS == {0: "moodle_auto_format", 1: "html", 2: "plain_text"}
    assert moodle_xml._format("1") == "html"


@pytest.mark.parametrize("name, path", [("A/B", "A//B"), ("/x", " //x"), ("x/", "x// "), ("/", " // "), ("ab", "ab")])
def test_category_path_name(name, path):
    assert moodle_xml.category_path_name(name) == path


def test_a_multichoice_field_by_field():
    q = m.Question("s1.q.q1", "multiple", text="Pick <b>two</b>", name="Pick", shuffle=False, general_feedback="G",
                   correct_feedback="C", partially_correct_feedback="P", incorrect_feedback="I",
                   choices=[m.Choice(True, text="A", feedback="fa"), m.Choice(True, text="B"),
                            m.Choice(False, text="D")])
    root = document([q], ui={"hint_try_again": "Again", "activities": "Exercises"})
    assert root.tag == "quiz"
    category = root.find("question")
    assert flat(category) == [("category", {}, ""), ("category/text", {}, "$course$/top/Part one – Exercises"),
                              ("info", {"format": "html"}, ""), ("info/text", {}, ""),
                              ("idnumber", {}, "s1.formative")]
    assert question(root).get("type") == "multichoice"
    assert flat(question(root)) == [
        ("name", {}, ""), ("name/text", {}, "Pick"),
        ("questiontext", {"format": "html"}, ""), ("questiontext/text", {}, "<p>Pick <b>two</b></p>"),
        ("generalfeedback", {"format": "html"}, ""), ("generalfeedback/text", {}, "<p>G</p>"),
        ("defaultgrade", {}, "1.0000000"), ("penalty", {}, "0.3333333"), ("hidden", {}, "0"),
        ("idnumber", {}, "s1.q.q1"),
        ("single", {}, "false"), ("shuffleanswers", {}, "false"), ("answernumbering", {}, "abc"),
        ("showstandardinstruction", {}, "0"),
        ("correctfeedback", {"format": "html"}, ""), ("correctfeedback/text", {}, "<p>C</p>"),
        ("partiallycorrectfeedback", {"format": "html"}, ""), ("partiallycorrectfeedback/text", {}, "<p>P</p>"),
        ("incorrectfeedback", {"format": "html"}, ""), ("incorrectfeedback/text", {}, "<p>I</p>"),
        ("shownumcorrect", {}, ""),
        ("answer", {"fraction": "50", "format": "html"}, ""), ("answer/text", {}, "A"),
        ("answer/feedback", {"format": "html"}, ""), ("answer/feedback/text", {}, "<p>fa</p>"),
        ("answer", {"fraction": "50", "format": "html"}, ""), ("answer/text", {}, "B"),
        ("answer/feedback", {"format": "html"}, ""), ("answer/feedback/text", {}, ""),
        ("answer", {"fraction": "-100", "format": "html"}, ""), ("answer/text", {}, "D"),
        ("answer/feedback", {"format": "html"}, ""), ("answer/feedback/text", {}, ""),
        ("hint", {"format": "html"}, ""), ("hint/text", {}, "<p>Again</p>"), ("hint/shownumcorrect", {}, "")]


def test_a_single_choice_and_truefalse():
    qs = [m.Question("s1.q.a", "single", text="One", choices=[m.Choice(False, text="x"), m.Choice(True, text="y")]),
          m.Question("s1.q.b", "truefalse", text="TF", answer=False, feedback_true="ft", feedback_false="ff",
                     graded=True)]
    root = document(qs, graded=True)
    single = flat(question(root, 1))
    assert ("single", {}, "true") in single and ("shuffleanswers", {}, "true") in single
    assert [a for k, a, _t in single if k == "answer"] == [{"fraction": "0", "format": "html"},
                                                           {"fraction": "100", "format": "html"}]
    assert not any(k == "hint" for k, _a, _t in single)
    assert question(root, 2).get("type") == "truefalse"
    assert flat(question(root, 2))[6:] == [
        ("defaultgrade", {}, "1.0000000"), ("penalty", {}, "1.0000000"), ("hidden", {}, "0"),
        ("idnumber", {}, "s1.q.b"),
        ("answer", {"fraction": "0", "format": "moodle_auto_format"}, ""), ("answer/text", {}, "true"),
        ("answer/feedback", {"format": "html"}, ""), ("answer/feedback/text", {}, "<p>ft</p>"),
        ("answer", {"fraction": "100", "format": "moodle_auto_format"}, ""), ("answer/text", {}, "false"),
        ("answer/feedback", {"format": "html"}, ""), ("answer/feedback/text", {}, "<p>ff</p>")]
    assert root.find("question/category/text").text == "$course$/top/Part one – Validation test"
    assert root.find("question/idnumber").text == "s1.evaluation"


def test_shortanswer_match_ordering():
    qs = [m.Question("s1.q.s", "shortanswer", text="S", case_sensitive=True,
                     answers=[m.ShortAnswer(text="yes", feedback="ok"), m.ShortAnswer(fraction=50, text="maybe")]),
          m.Question("s1.q.m", "match", text="M", shuffle=False,
                     pairs=[m.Pair(question="<i>a</i>", answer="b"), m.Pair(question="c", answer="d")]),
          m.Question("s1.q.o", "ordering", text="O", items=[m.OrderItem(text="1st"), m.OrderItem(text="2nd")],
                     hints=[m.Hint(text="h", clear_wrong=True, show_num_correct=False)])]
    root = document(qs)
    assert flat(question(root, 1))[10:] == [
        ("usecase", {}, "1"),
        ("answer", {"fraction": "100", "format": "moodle_auto_format"}, ""), ("answer/text", {}, "yes"),
        ("answer/feedback", {"format": "html"}, ""), ("answer/feedback/text", {}, "<p>ok</p>"),
        ("answer", {"fraction": "50", "format": "moodle_auto_format"}, ""), ("answer/text", {}, "maybe"),
        ("answer/feedback", {"format": "html"}, ""), ("answer/feedback/text", {}, "")]
    assert question(root, 2).get("type") == "matching"
    assert flat(question(root, 2))[10:] == [
        ("shuffleanswers", {}, "false"),
        ("correctfeedback", {"format": "html"}, ""), ("correctfeedback/text", {}, ""),
        ("partiallycorrectfeedback", {"format": "html"}, ""), ("partiallycorrectfeedback/text", {}, ""),
        ("incorrectfeedback", {"format": "html"}, ""), ("incorrectfeedback/text", {}, ""),
        ("shownumcorrect", {}, ""),
        ("subquestion", {"format": "html"}, ""), ("subquestion/text", {}, "<i>a</i>"),
        ("subquestion/answer", {}, ""), ("subquestion/answer/text", {}, "b"),
        ("subquestion", {"format": "html"}, ""), ("subquestion/text", {}, "c"),
        ("subquestion/answer", {}, ""), ("subquestion/answer/text", {}, "d")]
    assert question(root, 3).get("type") == "ordering"
    assert flat(question(root, 3))[10:] == [
        ("layouttype", {}, "VERTICAL"), ("selecttype", {}, "ALL"), ("selectcount", {}, "2"),
        ("gradingtype", {}, "ABSOLUTE_POSITION"), ("showgrading", {}, "SHOW"), ("numberingstyle", {}, "none"),
        ("correctfeedback", {"format": "html"}, ""), ("correctfeedback/text", {}, ""),
        ("partiallycorrectfeedback", {"format": "html"}, ""), ("partiallycorrectfeedback/text", {}, ""),
        ("incorrectfeedback", {"format": "html"}, ""), ("incorrectfeedback/text", {}, ""),
        ("shownumcorrect", {}, "1"),
        ("answer", {"fraction": "1", "format": "html"}, ""), ("answer/text", {}, "1st"),
        ("answer", {"fraction": "2", "format": "html"}, ""), ("answer/text", {}, "2nd"),
        ("hint", {"format": "html"}, ""), ("hint/text", {}, "<p>h</p>"), ("hint/clearwrong", {}, "")]


@pytest.mark.parametrize("qtype, tag", [("gapselect", "selectoption"), ("ddwtos", "dragbox")])
def test_gaps_with_their_groups(qtype, tag):
    q = m.Question("s1.q.g", qtype, text="[[1]] [[2]]", shuffle=False,
                   choices=[m.Choice(True, text="a & b", group=1), m.Choice(True, text="c", group=2)])
    root = document([q])
    assert question(root).get("type") == qtype
    assert flat(question(root))[10:] == [
        ("shuffleanswers", {}, "0"),
        ("correctfeedback", {"format": "html"}, ""), ("correctfeedback/text", {}, ""),
        ("partiallycorrectfeedback", {"format": "html"}, ""), ("partiallycorrectfeedback/text", {}, ""),
        ("incorrectfeedback", {"format": "html"}, ""), ("incorrectfeedback/text", {}, ""),
        ("shownumcorrect", {}, ""),
        (tag, {}, ""), (f"{tag}/text", {}, "a &amp; b"), (f"{tag}/group", {}, "1"),
        (tag, {}, ""), (f"{tag}/text", {}, "c"), (f"{tag}/group", {}, "2")]


def test_categories_in_order_top_left_out_names_escaped():
    sections = [m.Section("s1", title="A/B", items=[
                    m.Activities("s1.a", questions=[m.Question("s1.a.q", "truefalse", text="x", answer=True)]),
                    m.Evaluation("s1.e", questions=[m.Question("s1.e.q", "truefalse", text="y", answer=True)])]),
                m.Section("s2", title="Empty")]
    root = etree.fromstring(moodle_xml.document(edition(sections, {"activities": "Ex", "evaluation": "Ev"})).encode())
    assert [(q.get("type"), q.findtext("category/text") or q.findtext("idnumber")) for q in root.iterfind("question")] \
        == [("category", "$course$/top/A//B – Ex"), ("truefalse", "s1.a.q"), ("category", "$course$/top/A//B – Ev"),
            ("truefalse", "s1.e.q")]


def test_question_images_as_base64_files(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "pic.png").write_bytes(b"\x89PNG-bytes")
    (tmp_path / "media" / "other.png").write_bytes(b"other")
    qs = [m.Question("s1.q.a", "truefalse", text="Look", answer=True,
                     image=m.Image(m.MediaRef("media/pic.png"), alt="A picture")),
          m.Question("s1.q.b", "truefalse", text="No picture", answer=True),
          m.Question("s1.q.c", "truefalse", text="Other", answer=True,
                     image=m.Image(m.MediaRef("media/other.png"), alt="o"))]
    root = document(qs, root=tmp_path)
    files = question(root, 1).findall("questiontext/file")
    assert [(f.get("name"), f.get("path"), f.get("encoding"), f.text) for f in files] == [
        ("pic.png", "/", "base64", base64.b64encode(b"\x89PNG-bytes").decode())]
    assert '<img src="@@PLUGINFILE@@/pic.png" alt="A picture"' in question(root, 1).findtext("questiontext/text")
    assert question(root, 2).findall("questiontext/file") == []
    assert [f.get("name") for f in question(root, 3).findall("questiontext/file")] == ["other.png"]


def test_outputs_and_render(tmp_path):
    ed = edition([m.Section("s1", title="P", items=[m.Activities("s1.a", questions=[
        m.Question("s1.a.q", "truefalse", text="x", answer=True)])])])
    assert moodle_xml.outputs(ed) == ["SHORT-questions.xml"]
    written = moodle_xml.render(ed, tmp_path)
    assert written == [tmp_path / "SHORT-questions.xml"]
    assert written[0].read_text("utf-8") == moodle_xml.document(ed)


def test_the_bank_is_the_4_5_backups_bank(tmp_path):
    """The Moodle XML file and the .mbz share one computation: same categories,
    stamps, names, fractions and file records (in the course context, 50)."""
    from resolution_pack.targets.moodle_backup import MoodleBackup
    from resolution_pack.targets.moodle_ids import Ids
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "pic.png").write_bytes(b"png")
    questions = [m.Question("s1.q.a", "single", text="A", image=m.Image(m.MediaRef("media/pic.png"), alt="p"),
                            choices=[m.Choice(True, text="x"), m.Choice(False, text="y")]),
                 m.Question("s1.q.b", "truefalse", text="B", answer=False)]
    c = course([m.Section("s1", title="Part", items=[m.Activities("s1.q", title="Q", questions=questions)])],
               {"hint_try_again": "Again"})
    c.lang, c.editions = "fr", {"fr": m.Edition("fr", "SHORT", "Full")}     # an edition in another language
    ed = Edition(c, MediaStore(tmp_path, tmp_path))
    bank, backup = moodle_xml.Bank(ed), MoodleBackup(ed)
    assert bank.lang == "fr" and bank.qbank.categories[0]["stamp"] == "resolution-pack+c.fr+top"
    ids = Ids()
    assert bank.question_context == (ids("context", "course"), ids("course", "c"), 50)
    assert bank.qbank.categories == backup.qbank.categories
    assert bank.files.records == backup.files.records
    assert bank.ui("pass_mark", percent=70) == "Pass mark: 70%"


def test_a_none_reaching_the_file_is_an_error_not_the_text_none():
    env = moodle_xml._environment()
    assert env.from_string("{{ x|percent }} {{ y|yes_no }} {{ z|format }}").render(x="0.5", y=1, z=0) == \
        "50 true moodle_auto_format"
    with pytest.raises(ValueError, match="None reached a template"):
        env.from_string("<text>{{ x }}</text>").render(x=None)

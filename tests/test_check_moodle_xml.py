"""check's reader of Moodle XML question files, on small hand-written files:
one change, exactly its findings and figures (and the drift against the
edition's .mbz)."""
import pytest

from resolution_pack.check import moodle_xml
from resolution_pack.check.findings import EditionReport


def category(path, idnumber):
    return (f'<question type="category"><category><text>{path}</text></category>'
            f"<idnumber>{idnumber}</idnumber></question>")


def question(qtype, idnumber, text="Texte ?", extra=""):
    return (f'<question type="{qtype}"><name><text>Question {idnumber}</text></name>'
            f"<questiontext format=\"html\"><text>{text}</text></questiontext>"
            f"<idnumber>{idnumber}</idnumber>{extra}</question>")


GOOD = ("<quiz>" + category("$course$/top/Partie 1/Test", "part-1.evaluation")
        + question("multichoice", "part-1.evaluation.q01", extra="<hint><text>h</text></hint><hint><text>i</text></hint>")
        + question("matching", "part-1.evaluation.q02")
        + category("$course$/top/Partie 1/Activités", "part-1.formative")
        + question("truefalse", "part-1.activities-1.q01",
                   extra='<generalfeedback><text>x</text><file name="a.png" encoding="base64">AA==</file></generalfeedback>')
        + category("$course$/top/Divers", "misc")
        + question("essay", "misc.q01")
        + "</quiz>")


def read(tmp_path, text):
    path = tmp_path / "C-FR-questions.xml"
    path.write_text(text, "utf-8")
    problems = []
    return moodle_xml.read(path, lambda rule, message: problems.append((rule, message))), problems


def test_a_good_file_and_its_figures(tmp_path):
    facts, problems = read(tmp_path, GOOD)
    assert problems == []
    assert facts.categories == [["$course$/top/Partie 1/Test", "part-1.evaluation", 2],
                                ["$course$/top/Partie 1/Activités", "part-1.formative", 1],
                                ["$course$/top/Divers", "misc", 1]]
    assert dict(facts.types) == {"multichoice": 1, "match": 1, "truefalse": 1, "essay": 1}   # matching is match
    assert facts.questions == {"exercise": {"part-1.evaluation.q01", "part-1.evaluation.q02"},
                               "formative": {"part-1.activities-1.q01"}}
    assert (facts.hints, facts.files, facts.figures) == (2, 1, {"exercises": 2, "formative_activities": 1})


CASES = [
    ("not XML", "<quiz>", None, ["well-formed"]),
    ("another root", "<questions/>", None, [("structure", "the root element is <questions>, Moodle XML has <quiz>")]),
    ("a category outside the course", GOOD.replace("$course$/top/Divers", "$system$/top/Divers"), 4,
     [("category", "category '$system$/top/Divers' is not under $course$/top/")]),
    ("a question before any category", "<quiz>" + question("essay", "x.q1") + "</quiz>", 1,
     [("category", "a question comes before any category")]),
    ("an unknown type", GOOD.replace('type="essay"', 'type="poll"'), 4, [("question", "unknown question type 'poll'")]),
    ("no idnumber", GOOD.replace("<idnumber>misc.q01</idnumber>", "<idnumber></idnumber>"), 4,
     [("question", "question 'Question misc.q01' has no idnumber")]),
    ("an idnumber twice", GOOD.replace("part-1.evaluation.q02", "part-1.evaluation.q01"), 4,
     [("question", "idnumber part-1.evaluation.q01 is used twice")]),
    ("no text", GOOD.replace("<text>Texte ?</text></questiontext><idnumber>misc.q01", "<text> </text></questiontext>"
                             "<idnumber>misc.q01"), 4, [("question", "question 'misc.q01' has no text")]),
    ("no text nor idnumber", "<quiz>" + category("$course$/top/A", "a.evaluation")
     + question("essay", "", text="") + "</quiz>", 1,
     [("question", "question 'Question ' has no idnumber"), ("question", "question 'Question ' has no text")]),
]


@pytest.mark.parametrize("name, text, count, found", CASES, ids=[c[0] for c in CASES])
def test_one_change_exactly_these_findings(tmp_path, name, text, count, found):
    facts, problems = read(tmp_path, text)
    if count is None:
        assert facts is None
    else:
        assert sum(facts.types.values()) == count
    # a finding given as a rule alone: its message is the XML parser's
    assert [p if isinstance(f, tuple) else p[0] for p, f in zip(problems, found)] == found
    assert len(problems) == len(found)


def test_the_file_against_the_edition_s_mbz(tmp_path):
    """Read after the .mbz (check.analyse's order), the file must carry the
    .mbz's figures and questions; alone, its figures are the edition's."""
    path = tmp_path / "C-FR-questions.xml"
    path.write_text(GOOD, "utf-8")
    alone, problems = EditionReport("fr"), []
    moodle_xml.check(path, "fr", alone, problems)
    assert problems == [] and (alone.figures["exercises"], alone.figures["formative_activities"]) == (2, 1)
    report = EditionReport("fr")
    report.activities_by_type["quiz"] = 2
    report.figures.update(exercises=3, formative_activities=1)
    report.mbz_questions = {"exercise": {"part-1.evaluation.q01", "part-1.evaluation.q03", "part-1.evaluation.q04"},
                            "formative": {"part-1.activities-1.q01"}}
    moodle_xml.check(path, "fr", report, problems)
    assert [(p.file, p.rule, p.message) for p in problems] == [
        ("fr/C-FR-questions.xml", "drift", "exercises: 2, the .mbz has 3"),
        ("fr/C-FR-questions.xml", "drift", "exercise questions: 2 of the .mbz missing (part-1.evaluation.q03, "
                                           "part-1.evaluation.q04), 1 not in the .mbz (part-1.evaluation.q02)")]
    broken = tmp_path / "broken-questions.xml"
    broken.write_text("<quiz", "utf-8")
    problems = []
    moodle_xml.check(broken, "fr", EditionReport("fr"), problems)
    assert [(p.file, p.rule) for p in problems] == [("fr/broken-questions.xml", "well-formed")]
    assert problems[0].message.startswith("broken-questions.xml: ")


def test_types_are_counted_and_long_names_shortened_to_40_characters(tmp_path):
    long_name = "Une question dont le nom est bien plus long que quarante caractères"
    text = ("<quiz>" + category("$course$/top/A", "a.formative") + question("essay", "a.q1") + question("essay", "a.q2")
            + question("essay", "").replace("Question </text>", long_name + "</text>") + "</quiz>")
    facts, problems = read(tmp_path, text)
    assert dict(facts.types) == {"essay": 3}
    assert problems == [("question", f"question {long_name[:40]!r} has no idnumber")]

"""What a learner may type in a short-answer question: alternatives a
translation lists and forms without accents (resolution_pack.answers)."""
import pytest

from resolution_pack import model as m
from resolution_pack.answers import alternatives, expanded, unaccented


@pytest.mark.parametrize("text, plain", [
    ("référentiel", "referentiel"), ("alternança", "alternanca"), ("autobús", "autobus"),
    ("mentorálás", "mentoralas"), ("felkereső munka", "felkereso munka"), ("NEET", "NEET"),
    ("Ifjúsági Garancia", "Ifjusagi Garancia"), ("non-recours", "non-recours"),
])
def test_unaccented(text, plain):
    assert unaccented(text) == plain


@pytest.mark.parametrize("text, forms", [
    ("outreach", ["outreach"]),
    ("non take-up | non-uptake|nondemand", ["non take-up", "non-uptake", "nondemand"]),
    (" a |  | b ", ["a", "b"]),
    ("|", []),
])
def test_alternatives(text, forms):
    assert alternatives(text) == forms


def _answers(*specs):
    return [m.ShortAnswer(fraction=f, text=t, feedback=fb, ctx=f"q:{n}") for n, (t, f, fb) in enumerate(specs)]


def test_expanded_gives_each_form_once_with_its_answers_fraction_and_feedback():
    given = _answers(("mentoratge | mentoria", 100, "Oui"), ("mentoría", 50, "Presque"), ("Mentoratge", 100, ""))
    got = [(a.text, a.fraction, a.feedback, a.ctx) for a in expanded(given)]
    assert got == [("mentoratge", 100, "Oui", "q:0"), ("mentoria", 100, "Oui", "q:0"),
                   ("mentoría", 50, "Presque", "q:1")]


def test_expanded_keeps_case_apart_when_the_question_is_case_sensitive():
    given = _answers(("Éva", 100, None), ("éva", 0, None))
    assert [(a.text, a.fraction) for a in expanded(given, case_sensitive=True)] == \
        [("Éva", 100), ("Eva", 100), ("éva", 0), ("eva", 0)]
    assert [(a.text, a.fraction) for a in expanded(given)] == [("Éva", 100), ("Eva", 100)]


def test_an_answer_without_accents_or_alternatives_is_left_as_it_is():
    given = _answers(("NEET", 100, "x"), ("NEETs", 100, "x"))
    assert [a.text for a in expanded(given)] == ["NEET", "NEETs"]


def test_a_repeated_form_is_skipped_and_the_next_forms_still_come():
    """'Été | été | hiver': the second form is the first one (case aside),
    skipped; the forms after it still come, then the unaccented ones, each
    with the source position of the answer it comes from."""
    src = m.Src("sections/part-1.yaml", (("text", 70),))
    answer = m.ShortAnswer(fraction=100, text="Été | été | hiver", ctx="q", src=src)
    out = expanded([answer])
    assert [a.text for a in out] == ["Été", "hiver", "Ete"]
    assert [a.src for a in out] == [src] * 3


def test_expand_changes_the_short_answers_of_a_course_and_nothing_else():
    from resolution_pack.answers import expand
    short = m.Question("s.q1", "shortanswer", answers=_answers(("Évaluation", 100, None)), text="?")
    sensitive = m.Question("s.q2", "shortanswer", case_sensitive=True, answers=_answers(("É", 100, None),
                                                                                         ("é", 50, None)), text="?")
    single = m.Question("s.q3", "single", choices=[m.Choice(True, text="Été"), m.Choice(False, text="x")], text="?")
    course = m.Course(id="c", source_language="fr", languages=["fr"], startdate="", editions={}, projects=[],
                      expected={}, ui={}, sections=[m.Section("s", items=[
        m.Page("s.page", title="Page"),
        m.Activities("s.acts", questions=[short, single], title="A"),
        m.Evaluation("s.eval", questions=[sensitive], title="E")])])
    expand(course)
    assert [a.text for a in short.answers] == ["Évaluation", "Evaluation"]
    assert [(a.text, a.fraction) for a in sensitive.answers] == [("É", 100), ("E", 100), ("é", 50), ("e", 50)]
    assert [c.text for c in single.choices] == ["Été", "x"]

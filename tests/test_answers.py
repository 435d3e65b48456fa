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

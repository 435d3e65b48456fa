"""What a learner may type in a short-answer question.

Each accepted answer counts, with the alternatives its translation lists
(`form one | form two`: a translator adds what learners of their language
type, synonyms or spellings, without a slot in the source language), and each
of these without its accents, since many learners type without them (Moodle's
shortanswer compares accents exactly). The expansion is made once per edition,
after localisation, so every target gives the same answers.
"""
from __future__ import annotations

import unicodedata

from . import model as m

SEPARATOR = "|"


def unaccented(text: str) -> str:
    """`text` without its combining marks (é → e, ç → c, ő → o)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def alternatives(text: str) -> list[str]:
    """The forms an accepted answer lists, in order, without empty ones."""
    return [form.strip() for form in text.split(SEPARATOR) if form.strip()]


def expanded(answers: list, case_sensitive: bool = False) -> list:
    """The answers with their alternatives and unaccented forms, each form
    once (the first answer that gives it keeps it: its fraction, its feedback)."""
    key = (lambda t: t) if case_sensitive else str.casefold
    seen: set = set()
    out = []
    for answer in answers:
        forms = alternatives(answer.text) or [answer.text]
        for form in forms + [unaccented(f) for f in forms]:
            if key(form) in seen:
                continue
            seen.add(key(form))
            out.append(m.ShortAnswer(fraction=answer.fraction, ctx=answer.ctx, src=answer.src, text=form,
                                     feedback=answer.feedback))
    return out


def expand(course: m.Course) -> None:
    """Every short-answer question of the course, expanded in place."""
    for _section, item in course.items():
        for question in getattr(item, "questions", None) or []:
            if question.type == "shortanswer":
                question.answers = expanded(question.answers, question.case_sensitive)

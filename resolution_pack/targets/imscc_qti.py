"""Questions as items of the Common Cartridge QTI 1.2.1 profile.

The profile knows four gradable kinds of item: multiple choice, multiple
response, true/false and fill in the blank (cc.*.v0p1). The model's other
question types become several items of those kinds, one per part that
Moodle grades separately, so that the cartridge grades them the way the
Moodle backup does (partial credit per part):

| model type | items |
|---|---|
| single | 1 multiple choice |
| multiple | 1 multiple response |
| truefalse | 1 true/false |
| shortanswer | 1 fill in the blank (answers at 100 %; partial-credit answers are left out and reported) |
| match | 1 multiple choice per pair: the stem, choices = every answer of the question |
| ordering | 1 multiple choice per position: "position n of k", choices = every item |
| gapselect, ddwtos | 1 multiple choice per gap: the text with that gap marked, choices = its group's words |

Each part weighs 1/k of its question (cc_weighting, integers: every item
of an assessment is scaled by the least common multiple of its part counts).
Nothing here writes XML: templates/imscc/assessment.xml.j2 does.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from markupsafe import Markup

from .. import model as m
from ..text import inline, paragraphs, plain, to_text
from . import html

MULTIPLE_CHOICE = "cc.multiple_choice.v0p1"
MULTIPLE_RESPONSE = "cc.multiple_response.v0p1"
TRUE_FALSE = "cc.true_false.v0p1"
FILL_IN = "cc.fib.v0p1"
GAP = re.compile(r"\[\[(\d+)\]\]")
MAX_WEIGHT = 99                 # what Moodle's importer accepts as cc_weighting
LETTERS = "abcdefghijklmnopqrstuvwxyz"



# HTML is held as plain str: the XML template escapes it as the text of <mattext>.

@dataclass
class Choice:
    ident: str
    text: str
    correct: bool
    feedback: str = ""


@dataclass
class Item:
    ident: str                  # the question's stable id, ":n" for its n-th part
    title: str
    profile: str
    text: str
    choices: list = field(default_factory=list)       # choice profiles
    answers: list = field(default_factory=list)       # fill in the blank: accepted answers
    wrong: list = field(default_factory=list)         # fill in the blank: (answer, feedback) at 0 %
    case_sensitive: bool = False
    shuffle: bool = True
    general_feedback: str = ""
    correct_feedback: str = ""
    incorrect_feedback: str = ""
    parts: int = 1              # how many items the question became
    weight: int = 1

    @property
    def feedback_ids(self) -> list[tuple[str, str]]:
        """(ident, html) of every itemfeedback the item carries."""
        found = [(f"{c.ident}_fb", c.feedback) for c in self.choices if c.feedback]
        found += [(f"wrong{n}_fb", fb) for n, (_text, fb) in enumerate(self.wrong, 1) if fb]
        found += [(name, fb) for name, fb in (("general_fb", self.general_feedback), ("correct_fb", self.correct_feedback),
                                              ("incorrect_fb", self.incorrect_feedback)) if fb]
        return found


@dataclass
class Mapped:
    items: list
    left_out: list              # (question id, what was not kept)


def assessment_items(questions: list, course: m.Course, link: html.Link) -> Mapped:
    """The items of one assessment, weighted so that every question keeps its weight."""
    items, left_out = [], []
    for q in questions:
        made = question_items(q, course, link, left_out)
        for item in made:
            item.parts = len(made)
        items.extend(made)
    scale = 1
    for n in {item.parts for item in items}:
        scale = scale * n // math.gcd(scale, n)
    if scale > MAX_WEIGHT:
        scale = 1
        left_out.append(("", f"relative weights of split questions (their parts count 1 each: "
                             f"{MAX_WEIGHT} is the largest weight the profile's importers take)"))
    for item in items:
        item.weight = max(1, scale // item.parts)
    return Mapped(items, left_out)


def question_items(q: m.Question, course: m.Course, link: html.Link, left_out: list) -> list[Item]:
    ui = _ui(course)
    text = html.question_text(q, link)
    common = dict(title=_name(q), shuffle=q.shuffle, general_feedback=_html(q.general_feedback),
                  correct_feedback=_html(q.correct_feedback), incorrect_feedback=_html(q.incorrect_feedback))
    if q.type in ("single", "multiple"):
        choices = [Choice(_letter(n), str(inline(c.text)), _right(q, c, left_out), _html(c.feedback))
                   for n, c in enumerate(q.choices)]
        profile = MULTIPLE_CHOICE if q.type == "single" else MULTIPLE_RESPONSE
        return [Item(q.id, profile=profile, text=text, choices=choices, **common)]
    if q.type == "truefalse":
        choices = [Choice("true", _escape(ui("true")), bool(q.answer), _html(q.feedback_true)),
                   Choice("false", _escape(ui("false")), not q.answer, _html(q.feedback_false))]
        return [Item(q.id, profile=TRUE_FALSE, text=text, choices=choices, **dict(common, shuffle=False))]
    if q.type == "shortanswer":
        return [_fill_in(q, text, common, left_out)]
    if q.type == "match":
        return _match(q, text, common)
    if q.type == "ordering":
        return _ordering(q, text, common, ui)
    if q.type in ("gapselect", "ddwtos"):
        return _gaps(q, common, ui, link)
    left_out.append((q.id, f"question type {q.type!r} has no item in the Common Cartridge profile"))
    return []


def _right(q: m.Question, c: m.Choice, left_out: list) -> bool:
    """Whether a choice scores: a single choice at 100 % (another fraction is
    left out, the profile scores 0 or 100), any choice above 0 % of a multiple one."""
    if c.fraction is None:
        return c.correct
    if q.type == "single" and 0 < c.fraction < 100:
        left_out.append((q.id, f"choice {to_text(c.text)!r} at {c.fraction:g} % (the profile scores 0 or 100 %)"))
    return c.fraction >= 100 if q.type == "single" else c.fraction > 0


def _fill_in(q, text, common, left_out) -> Item:
    accepted, wrong = [], []
    for a in q.answers:
        if a.fraction >= 100:
            accepted.append(plain(a.text))
        elif a.fraction <= 0:
            wrong.append((plain(a.text), _html(a.feedback)))
        else:
            left_out.append((q.id, f"answer {plain(a.text)!r} at {a.fraction:g} % (the profile scores 0 or 100 %)"))
    feedback = [_html(a.feedback) for a in q.answers if a.fraction >= 100 and a.feedback]
    correct = "".join([common["correct_feedback"], *feedback])
    return Item(q.id, profile=FILL_IN, text=text, answers=accepted, wrong=wrong, case_sensitive=q.case_sensitive,
                **dict(common, correct_feedback=correct))


def _parts(q: m.Question, common: dict, texts: list, options: list, answers: list) -> list[Item]:
    """One multiple choice per part; the general feedback goes with the last one."""
    total = len(texts)
    items = []
    for n, (text, opts, answer) in enumerate(zip(texts, options, answers), 1):
        choices = [Choice(_letter(i), label, i == answer) for i, label in enumerate(opts)]
        last = n == total
        items.append(Item(f"{q.id}:{n}", profile=MULTIPLE_CHOICE, text=text, choices=choices,
                          **dict(common, title=f"{common['title']} ({n}/{total})",
                                 general_feedback=common["general_feedback"] if last else "")))
    return items


def _match(q, text, common) -> list[Item]:
    answers = []
    for pair in q.pairs:
        if plain(pair.answer) not in answers:
            answers.append(plain(pair.answer))
    labels = [_escape(a) for a in answers]
    texts = [f"{text}<p><strong>{inline(pair.question)}</strong></p>" for pair in q.pairs]
    return _parts(q, common, texts, [labels] * len(q.pairs), [answers.index(plain(p.answer)) for p in q.pairs])


def _ordering(q, text, common, ui) -> list[Item]:
    total = len(q.items)
    labels = [_escape(plain(i.text)) for i in q.items]
    texts = [f"{text}<p><strong>{_escape(ui('position_of', n=n, total=total))}</strong></p>"
             for n in range(1, total + 1)]
    # the items are listed in their source order, shuffled by the platform when it shuffles choices
    return _parts(q, dict(common, shuffle=True), texts, [labels] * total, list(range(total)))


def _gaps(q, common, ui, link) -> list[Item]:
    gaps = [int(n) for n in GAP.findall(q.text or "")]
    texts, options, answers = [], [], []
    for gap in gaps:
        group = q.choices[gap - 1].group
        in_group = [i for i, c in enumerate(q.choices) if c.group == group]
        marked = GAP.sub(lambda mt: f"<strong>[{_escape(ui('gap', n=mt.group(1)))}]</strong>" if int(mt.group(1)) == gap
                         else "_____", q.text)
        texts.append(html.question_text(_with_text(q, marked), link))
        options.append([_escape(to_text(q.choices[i].text)) for i in in_group])
        answers.append(in_group.index(gap - 1))
    return _parts(q, common, texts, options, answers)


def _with_text(q: m.Question, text: str) -> m.Question:
    from dataclasses import replace
    return replace(q, text=text)


def _html(text: str | None) -> str:
    return str(paragraphs(text))


def _escape(text: str) -> str:
    return str(Markup.escape(text))


def _letter(n: int) -> str:
    return LETTERS[n] if n < len(LETTERS) else f"z{n}"


def _name(q: m.Question) -> str:
    name = plain(q.name) if q.name else to_text(q.text)
    name = name or q.local_id
    return name if len(name) <= 100 else name[:99].rstrip() + "…"


def _ui(course: m.Course):
    def ui(key: str, **values) -> str:
        return course.text(key, **values)
    return ui

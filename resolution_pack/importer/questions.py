"""questions.xml back into model questions (the inverse of
targets/moodle_questions.py, reading any Moodle 4.x/5.x question bank).

Question bank entries are found wherever their category lives: the course
context (4.x) or a question bank module (5.x qbank). Each entry's newest
version is read. The qtypes the format has are read with their answers,
fractions, feedback, combined feedback and hints; others are returned as
unsupported with their type, for the import report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import model as m
from . import html as h
from .ids import split_idnumber

SUPPORTED = ("multichoice", "truefalse", "match", "shortanswer", "ordering", "gapselect", "ddwtos")
_PRESENTATIONS = {"resolution-recipe": "recipe", "resolution-photo-story": "photo-story"}
_DRAGGROUP = re.compile(r'"draggroup";s:\d+:"(\d+)"')


@dataclass
class Entry:
    """One question bank entry: its newest version as a model question
    (id not yet given), or why it cannot be one."""
    entry_id: str
    idnumber: str
    category: str
    qtype: str
    question: m.Question | None = None
    unsupported: str = ""
    losses: h.Losses = field(default_factory=h.Losses)
    ui: dict = field(default_factory=dict)     # interface strings seen (true/false labels)


def _fmt(node, name: str) -> int:
    try:
        return int(node.findtext(f"{name}format") or h.FORMAT_HTML)
    except ValueError:
        return h.FORMAT_HTML


def read_bank(doc, resolve_image) -> dict[str, Entry]:
    """Every question bank entry of questions.xml by its id.
    `resolve_image(question_id, url)` gives the MediaRef of a question text's picture."""
    entries: dict[str, Entry] = {}
    if doc is None:
        return entries
    for category in doc.iterfind("question_category"):
        name = h.plain(category.findtext("name"))
        for entry in category.iterfind("question_bank_entries/question_bank_entry"):
            versions = entry.findall("question_version/question_versions")
            if not versions:
                continue
            newest = max(versions, key=lambda v: int(v.findtext("version") or 0))
            node = newest.find("questions/question")
            if node is None:
                continue
            idnumber = entry.findtext("idnumber") or ""
            found = Entry(entry.get("id"), "" if idnumber == "$@NULL@$" else idnumber, name,
                          node.findtext("qtype") or "")
            if found.qtype not in SUPPORTED:
                found.unsupported = found.qtype or "unknown"
            else:
                found.question = _question(node, found, lambda url, qid=node.get("id"): resolve_image(qid, url))
            entries[found.entry_id] = found
    return entries


def _question(node, entry: Entry, resolve) -> m.Question | None:
    qtype = entry.qtype
    losses = entry.losses
    text, presentation, image = _question_text(node.findtext("questiontext") or "", _fmt(node, "questiontext"),
                                               resolve, losses)
    q = m.Question(id="", type=qtype, presentation=presentation, image=image, text=text or "-",
                   general_feedback=h.rich(node.findtext("generalfeedback"), _fmt(node, "generalfeedback"), losses))
    plugin = node.find(f"plugin_qtype_{qtype}_question")
    if plugin is None:
        entry.unsupported = f"{qtype} without its data"
        return None
    reader = globals()[f"_{qtype}"]
    if reader(q, plugin, entry) is False:
        return None
    q.hints = [m.Hint(clear_wrong=(hint.findtext("clearwrong") or "0") == "1",
                      show_num_correct=(hint.findtext("shownumcorrect") or "1") == "1",
                      text=h.rich(hint.findtext("hint"), _fmt(hint, "hint"), losses) or "-")
               for hint in node.iterfind("question_hints/question_hint")]
    name = h.plain(node.findtext("name"))
    q.name = None if name == auto_name(q.text) else name or None
    return q


def auto_name(text: str) -> str:
    """The name targets/moodle_questions.py gives a question without one."""
    from ..text import to_text
    name = to_text(text.replace("\n\n", " "))
    return name if len(name) <= 100 else name[:99].rstrip() + "…"


def _question_text(value: str, fmt: int, resolve, losses) -> tuple[str | None, str, m.Image | None]:
    """Our question template: an optional presentation wrapper, an optional
    picture paragraph, then the text."""
    root = h.fragment(value)
    presentation = "plain"
    children = [c for c in root if isinstance(c.tag, str)]
    if len(children) == 1 and children[0].tag == "div":
        for cls in (children[0].get("class") or "").split():
            if cls in _PRESENTATIONS:
                presentation = _PRESENTATIONS[cls]
                root = children[0]
    image = None
    first = next((c for c in root if isinstance(c.tag, str)), None)
    if first is not None and first.tag == "p" and not h.text_of(first) and first.find(".//img") is not None:
        img = first.find(".//img")
        ref = resolve(img.get("src", ""))
        if ref is not None:
            image = m.Image(file=ref, alt=" ".join((img.get("alt") or "").split()) or ref.name)
            h._drop_keep_tail(first)
    return h.rich(h.lxml_html.tostring(root, encoding=str), fmt, losses), presentation, image


def _answers(plugin) -> list:
    return plugin.findall("answers/answer")


def _fraction(answer) -> float:
    try:
        return float(answer.findtext("fraction") or 0)
    except ValueError:
        return 0.0


def _combined(q: m.Question, options, losses) -> None:
    if options is None:
        return
    q.correct_feedback = h.rich(options.findtext("correctfeedback"), _fmt(options, "correctfeedback"), losses)
    q.partially_correct_feedback = h.rich(options.findtext("partiallycorrectfeedback"),
                                          _fmt(options, "partiallycorrectfeedback"), losses)
    q.incorrect_feedback = h.rich(options.findtext("incorrectfeedback"), _fmt(options, "incorrectfeedback"), losses)
    shuffle = options.findtext("shuffleanswers")
    if shuffle is not None:
        q.shuffle = shuffle == "1"


def _answer_text(answer, losses) -> str:
    fmt = _fmt(answer, "answer")
    value = answer.findtext("answertext") or ""
    return (h.inline(value, losses) if fmt != h.FORMAT_PLAIN and "<" in value else h.escape(h.plain(value, fmt))) or "-"


def _multichoice(q: m.Question, plugin, entry: Entry):
    options = plugin.find("multichoice")
    single = options is None or options.findtext("single") != "0"
    q.type = "single" if single else "multiple"
    answers = _answers(plugin)
    fractions = [_fraction(a) for a in answers]
    best = max(fractions, default=0)
    for answer, fraction in zip(answers, fractions):
        correct = fraction == best and fraction > 0 if single else fraction > 0
        q.choices.append(m.Choice(correct=correct, text=_answer_text(answer, entry.losses),
                                  feedback=h.rich(answer.findtext("feedback"), _fmt(answer, "feedback"), entry.losses),
                                  fraction=round(fraction * 100, 5)))
    if single and sum(c.correct for c in q.choices) > 1:
        first = next(c for c in q.choices if c.correct)
        for c in q.choices:
            c.correct = c is first
    if _default_fractions(q):
        for c in q.choices:
            c.fraction = None
    _combined(q, options, entry.losses)


def _default_fractions(q: m.Question) -> bool:
    """The fractions are those the Moodle target gives from `correct` alone."""
    right = [c for c in q.choices if c.correct]
    wrong = [c for c in q.choices if not c.correct]
    for c in q.choices:
        if q.type == "single":
            want = 100.0 if c.correct else 0.0
        elif c.correct:
            want = round(round(1 / len(right), 7) * 100, 5)
        else:
            want = round(-round(1 / len(wrong), 7) * 100, 5)
        if abs((c.fraction or 0) - want) > 1e-4:
            return False
    return True


def _truefalse(q: m.Question, plugin, entry: Entry):
    options = plugin.find("truefalse")
    by_id = {a.get("id"): a for a in _answers(plugin)}
    true = by_id.get(options.findtext("trueanswer") if options is not None else "")
    false = by_id.get(options.findtext("falseanswer") if options is not None else "")
    if true is None or false is None:
        entry.unsupported = "truefalse without its two answers"
        return False
    q.answer = _fraction(true) > _fraction(false)
    q.feedback_true = h.rich(true.findtext("feedback"), _fmt(true, "feedback"), entry.losses)
    q.feedback_false = h.rich(false.findtext("feedback"), _fmt(false, "feedback"), entry.losses)
    entry.ui = {"true": h.plain(true.findtext("answertext"), _fmt(true, "answer")),
                "false": h.plain(false.findtext("answertext"), _fmt(false, "answer"))}


def _match(q: m.Question, plugin, entry: Entry):
    for sub in plugin.findall("matches/match"):
        question = h.inline(sub.findtext("questiontext") or "", entry.losses)
        answer = h.plain(sub.findtext("answertext"))
        if not h.text_of(h.fragment(question)):
            entry.losses.add("match distractor answer removed")
            continue
        q.pairs.append(m.Pair(question=question, answer=answer or "-"))
    _combined(q, plugin.find("matchoptions"), entry.losses)


def _shortanswer(q: m.Question, plugin, entry: Entry):
    for answer in _answers(plugin):
        fraction = round(_fraction(answer) * 100, 5)
        q.answers.append(m.ShortAnswer(fraction=int(fraction) if fraction == int(fraction) else fraction,
                                       text=h.plain(answer.findtext("answertext")) or "-",
                                       feedback=h.rich(answer.findtext("feedback"), _fmt(answer, "feedback"),
                                                       entry.losses)))
    options = plugin.find("shortanswer")
    q.case_sensitive = options is not None and options.findtext("usecase") == "1"



def _ordering(q: m.Question, plugin, entry: Entry):
    answers = sorted(_answers(plugin), key=_fraction)
    q.items = [m.OrderItem(text=h.plain(a.findtext("answertext"), _fmt(a, "answer")) or "-") for a in answers]
    _combined(q, plugin.find("ordering"), entry.losses)


def _gaps(q: m.Question, plugin, entry: Entry, options_tag: str, group):
    for answer in _answers(plugin):
        q.choices.append(m.Choice(text=h.plain(answer.findtext("answertext"), _fmt(answer, "answer")) or "-",
                                  group=group(answer.findtext("feedback") or "")))
    _combined(q, plugin.find(options_tag), entry.losses)


def _gapselect(q, plugin, entry):
    _gaps(q, plugin, entry, "gapselect", lambda fb: int(fb) if fb.strip().isdigit() else 1)


def _ddwtos(q, plugin, entry):
    def group(fb):
        found = _DRAGGROUP.search(fb)
        return int(found.group(1)) if found else 1
    _gaps(q, plugin, entry, "ddwtos", group)


def local_id(entry: Entry, owner: str) -> str | None:
    """The question's local id from its idnumber, when it is one of ours."""
    split = split_idnumber(entry.idnumber, owner)
    return split[1] if split else None

"""A Moodle quiz back into evaluation (graded, with a grade to pass) or
formative activities (ungraded), its slots filled from the question bank."""
from __future__ import annotations

import copy
import re

from .. import model as m
from . import html as h
from .findings import NOTE, SIMPLIFIED, UNSUPPORTED

DEFAULT_BEHAVIOUR = {True: "deferredfeedback", False: "interactive"}


def _float(value, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def quiz(reader, node, ctx):
    """An Evaluation or Activities item; its questions carry their bank
    entry's idnumber in the reader's origin table (ids are given later)."""
    from .mbz import Origin
    title = h.plain(node.findtext("name")) or "-"
    grade = _float(node.findtext("grade"))
    gradepass = _gradepass(reader, ctx)
    graded = grade > 0 and gradepass > 0
    if grade > 0 and not graded:
        reader.findings.add(SIMPLIFIED, "graded quiz without a grade to pass: imported as formative activities "
                                        "(ungraded)", reader.lang, ctx["where"])
    behaviour = node.findtext("preferredbehaviour") or None
    if behaviour == DEFAULT_BEHAVIOUR[graded]:
        behaviour = None
    _settings(reader, node, ctx)
    questions = []
    for n, slot in enumerate(sorted(node.iterfind("question_instances/question_instance"),
                                    key=lambda s: int(_float(s.findtext("slot")))), 1):
        where = f"{ctx['where']}, question {n}"
        entry_id = slot.findtext("question_reference/questionbankentryid")
        if entry_id is None:
            reader.findings.add(UNSUPPORTED, "random question slot", reader.lang, where)
            continue
        entry = reader.bank.get(entry_id)
        if entry is None:
            reader.findings.add(UNSUPPORTED, "question missing from the question bank", reader.lang, where)
            continue
        if entry.question is None:
            reader.findings.add(UNSUPPORTED, f"question type {entry.unsupported}", reader.lang,
                                f"{where} «{entry.category}»")
            continue
        if entry.losses:
            reader.findings.add(SIMPLIFIED, entry.losses.describe(), reader.lang, where)
        for key, text in entry.ui.items():
            reader.ui[key][text] += 1
        q = copy.deepcopy(entry.question)
        q.graded = graded
        reader.origin[id(q)] = Origin(modname=entry.qtype, idnumber=entry.idnumber, where=where,
                                      category=entry.category)
        questions.append(q)
    if not questions:
        reader.findings.add(UNSUPPORTED, "quiz without a question the format supports", reader.lang, ctx["where"])
        return None
    intro = h.rich(node.findtext("intro"), int(_float(node.findtext("introformat"), 1)), ctx["losses"])
    if graded:
        percent = max(1, min(100, round(100 * gradepass / grade)))
        if abs(100 * gradepass / grade - percent) > 0.01:
            reader.findings.add(NOTE, f"grade to pass {gradepass:g}/{grade:g} rounded to {percent} %", reader.lang,
                                ctx["where"])
        item = m.Evaluation(id="", pass_percent=percent, behaviour=behaviour, questions=questions, title=title,
                            intro=intro)
    else:
        item = m.Activities(id="", behaviour=behaviour, questions=questions, title=title, intro=intro)
    reader.origin[id(item)] = Origin(pass_mark=pass_mark_candidate(intro, item.pass_percent)
                                     if graded and intro else None)
    return item


def _gradepass(reader, ctx) -> float:
    """The quiz's grade to pass, from its grade item (grades.xml); only the
    item's own settings are read, never learners' grades."""
    grades = reader.b.xml(f"{ctx['directory']}/grades.xml", required=False)
    best = 0.0
    for item in grades.iterfind("grade_items/grade_item") if grades is not None else []:
        if (item.findtext("itemtype") or "mod") == "mod":
            best = max(best, _float(item.findtext("gradepass")))
    return best


def _settings(reader, node, ctx) -> None:
    """Quiz settings the format does not hold, said rather than dropped."""
    kept_out = []
    if _float(node.findtext("timelimit")) > 0:
        kept_out.append("time limit")
    if _float(node.findtext("attempts_number")) > 0:
        kept_out.append("number of attempts")
    if (node.findtext("timeopen") or "0") != "0" or (node.findtext("timeclose") or "0") != "0":
        kept_out.append("opening dates")
    if (node.findtext("password") or ""):
        kept_out.append("password")
    marks = {node_.findtext("maxmark") for node_ in node.iterfind("question_instances/question_instance")}
    if marks - {"1.0000000", None}:
        kept_out.append("question marks (every question counts 1)")
    if kept_out:
        reader.findings.add(SIMPLIFIED, "quiz settings not kept: " + ", ".join(kept_out), reader.lang, ctx["where"])


def pass_mark_candidate(intro: str, percent: int) -> str | None:
    """Our quiz intro ends with the pass mark sentence, '… {percent} …' in the
    edition's words: the last paragraph, with the percentage as placeholder."""
    last = intro.split("\n\n")[-1]
    if "<" in last or not re.search(rf"(?<!\d){percent}(?!\d)", last):
        return None
    return re.sub(rf"(?<!\d){percent}(?!\d)", "{percent}", last, count=1)

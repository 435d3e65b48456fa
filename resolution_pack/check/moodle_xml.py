"""A Moodle XML question file read back: its categories, its questions by
type, and the figures counted from them. Code of its own: nothing here
imports a target.

A question counts as an exercise when its category's idnumber ends in
`.evaluation`, as a formative activity when it ends in `.formative` (the
categories of the .mbz: one per course section and kind).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .drift import compare
from .findings import EditionReport, finding

TYPES = {"multichoice", "truefalse", "shortanswer", "matching", "match", "ordering", "gapselect", "ddwtos",
         "numerical", "essay", "description", "cloze", "multianswer", "calculated", "calculatedsimple",
         "calculatedmulti", "ddimageortext", "ddmarker"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


@dataclass
class QuestionFile:
    categories: list = field(default_factory=list)      # (path, idnumber, questions)
    types: Counter = field(default_factory=Counter)
    questions: dict = field(default_factory=lambda: {"exercise": set(), "formative": set()})
    hints: int = 0
    files: int = 0

    @property
    def figures(self) -> dict:
        return {"exercises": len(self.questions["exercise"]), "formative_activities": len(self.questions["formative"])}


def check(path: Path, lang: str, report: EditionReport, problems: list, options=None) -> None:
    """Integrity of one question file; its figures compared with the .mbz's."""
    facts = read(path, lambda rule, message: problems.append(finding(lang, path.name, rule, message)))
    if facts is not None:
        compare(facts.figures, facts.questions, path.name, lang, report, problems)


def read(path: Path, problem) -> QuestionFile | None:
    """Read one file; `problem(rule, message)` records what is wrong."""
    try:
        root = etree.parse(str(path), _PARSER).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        problem("well-formed", f"{path.name}: {exc}")
        return None
    if root.tag != "quiz":
        problem("structure", f"the root element is <{root.tag}>, Moodle XML has <quiz>")
        return None
    found = QuestionFile()
    kind, seen = None, set()
    for question in root.iterfind("question"):
        qtype = question.get("type", "")
        if qtype == "category":
            path_text = question.findtext("category/text") or ""
            idnumber = question.findtext("idnumber") or ""
            if not path_text.startswith("$course$/top/"):
                problem("category", f"category {path_text!r} is not under $course$/top/")
            kind = "exercise" if idnumber.endswith(".evaluation") else \
                "formative" if idnumber.endswith(".formative") else None
            found.categories.append([path_text, idnumber, 0])
            continue
        if not found.categories:
            problem("category", "a question comes before any category")
        else:
            found.categories[-1][2] += 1
        if qtype not in TYPES:
            problem("question", f"unknown question type {qtype!r}")
        found.types["match" if qtype == "matching" else qtype] += 1
        idnumber = question.findtext("idnumber") or ""
        name = question.findtext("name/text") or ""
        if not idnumber:
            problem("question", f"question {name[:40]!r} has no idnumber")
        elif idnumber in seen:
            problem("question", f"idnumber {idnumber} is used twice")
        seen.add(idnumber)
        if not (question.findtext("questiontext/text") or "").strip():
            problem("question", f"question {idnumber or name[:40]!r} has no text")
        if kind:
            found.questions[kind].add(idnumber)
        found.hints += len(question.findall("hint"))
        found.files += len(question.findall(".//file"))
    return found

"""check: where a Moodle course backup keeps its questions: the
4.5 layout (the course's own question bank) or the 5.x one (a qbank module of
the course), read from the archive's parsed XML with code of its own (it
imports no target).

    release(docs)              the release the backup was written for (backup_release)
    bank_modules(docs)         the activity ids of the qbank modules: infrastructure, not course content
    layout_problems(docs, name)  [(rule, message)] where the layout is not the one its release writes

4.5: no qbank activity; every question category in the course context
(contextlevel 50), listed by course/inforef.xml; root setting `questionbank`.
5.x: one qbank activity, hidden, in section 0; every category in its context
(contextlevel 70, contextinstanceid = its module id), listed by its
inforef.xml and by no course inforef; no root setting `questionbank`. The
archive's name says the same release: `<shortname>.mbz` is 4.5,
`<shortname>-moodle5N.mbz` is 5.N.
"""
from __future__ import annotations

import re

CONTEXT_COURSE, CONTEXT_MODULE = "50", "70"
_SUFFIX = re.compile(r"-moodle(\d)(\d)\.mbz$")


def _text(node, path: str) -> str:
    return (node.findtext(path) or "").strip() if node is not None else ""


def release(docs: dict) -> str:
    return _text(docs.get("moodle_backup.xml"), "information/backup_release")


def _activities(docs: dict) -> list:
    backup = docs.get("moodle_backup.xml")
    return list(backup.iterfind("information/contents/activities/activity")) if backup is not None else []


def bank_modules(docs: dict) -> set[str]:
    return {_text(a, "moduleid") for a in _activities(docs) if _text(a, "modulename") == "qbank"}


def _name_release(name: str) -> str:
    found = _SUFFIX.search(name)
    return f"{found.group(1)}.{found.group(2)}" if found else "4.5"


def layout_problems(docs: dict, name: str) -> list[tuple[str, str]]:
    rel = release(docs)
    problems = []
    if not rel:
        return [("structure", "moodle_backup.xml names no backup_release")]
    if _name_release(name) != rel:
        problems.append(("release", f"the archive's name is the one of a Moodle {_name_release(name)} backup, "
                                    f"its moodle_backup.xml says {rel}"))
    categories = list(docs["questions.xml"].iterfind("question_category")) if "questions.xml" in docs else []
    ids = [c.get("id") for c in categories]
    course_refs = _refs(docs.get("course/inforef.xml"))
    settings = {_text(s, "name") for s in docs["moodle_backup.xml"].iterfind("information/settings/setting")
                if _text(s, "level") == "root"}
    banks = [a for a in _activities(docs) if _text(a, "modulename") == "qbank"]
    if rel.startswith("4."):
        if banks:
            problems.append(("layout", f"a Moodle {rel} backup with {len(banks)} qbank module(s)"))
        contextid = _text(docs["moodle_backup.xml"], "information/original_course_contextid")
        problems += _categories_in(categories, CONTEXT_COURSE, contextid, None, "the course context")
        if ids and course_refs != ids:
            problems.append(("reference", "course/inforef.xml does not list every question category"))
        if "questionbank" not in settings:
            problems.append(("layout", "no root setting questionbank in a Moodle 4.x backup"))
        return problems
    if len(banks) != 1:
        return problems + [("layout", f"a Moodle {rel} backup needs one qbank module for its questions, "
                                      f"it has {len(banks)}")]
    bank = banks[0]
    base = _text(bank, "directory")
    module, instance = docs.get(f"{base}/module.xml"), docs.get(f"{base}/qbank.xml")
    if module is None or instance is None:
        return problems + [("structure", f"{base} lacks module.xml or qbank.xml")]
    if _text(module, "visible") != "0" or _text(module, "sectionnumber") != "0":
        problems.append(("layout", f"{base}: the question bank module is not hidden in section 0"))
    problems += _categories_in(categories, CONTEXT_MODULE, instance.get("contextid"), _text(bank, "moduleid"),
                               f"the context of {base}")
    if ids and _refs(docs.get(f"{base}/inforef.xml")) != ids:
        problems.append(("reference", f"{base}/inforef.xml does not list every question category"))
    if course_refs:
        problems.append(("layout", "course/inforef.xml lists question categories in a Moodle 5.x backup"))
    if "questionbank" in settings:
        problems.append(("layout", "root setting questionbank in a Moodle 5.x backup"))
    return problems


def _refs(inforef) -> list[str]:
    if inforef is None:
        return []
    return [i.text for i in inforef.iterfind("question_categoryref/question_category/id")]


def _categories_in(categories, level: str, contextid, instanceid, where: str) -> list[tuple[str, str]]:
    stray = [c.get("id") for c in categories
             if _text(c, "contextlevel") != level or _text(c, "contextid") != contextid
             or (instanceid is not None and _text(c, "contextinstanceid") != instanceid)]
    if stray:
        return [("layout", f"{len(stray)} question categor{'y' if len(stray) == 1 else 'ies'} not in {where}: "
                           + ", ".join(stray[:5]))]
    return []

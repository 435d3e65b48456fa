"""What a learner would meet in a restored backup, read from the archive's
own XML: text that Moodle's default filters would alter, file names and
attributes that carry a filter trigger, and two activities of one section
(a subsection counting as its own section) with the same name.

Used by `check` (check/mbz.py) on the documents it has parsed;
it imports no target.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from .. import moodle_filters as mf

_TAGS = re.compile(r"<[^>]+>")
NO_VIEW = ("label", "subsection")      # cm_info::has_view() is false: never auto-linked


def _text(node, path: str) -> str:
    found = node.find(path) if node is not None else None
    return (found.text or "") if found is not None else ""


def _html_fields(root) -> list[tuple[str, str]]:
    """(element path, HTML) of every element of a document whose text is markup."""
    out = []
    for el in root.iter():
        text = el.text or ""
        if "<" in text and ">" in text:
            out.append((el.tag, text))
    return out


def course_filters_off(docs: dict) -> tuple:
    """The filters course/filters.xml switches off (active -1)."""
    root = docs.get("course/filters.xml")
    if root is None:
        return ()
    return tuple(_text(f, "filter") for f in root.iterfind("filter_actives/filter_active")
                 if _text(f, "active") == "-1")


def activities(docs: dict) -> list[dict]:
    backup = docs.get("moodle_backup.xml")
    if backup is None:
        return []
    return [{"cmid": _text(a, "moduleid"), "sectionid": _text(a, "sectionid"), "modname": _text(a, "modulename"),
             "name": _text(a, "title"), "directory": _text(a, "directory").rstrip("/")}
            for a in backup.iterfind("information/contents/activities/activity")]


def problems(docs: dict) -> list[tuple[str, str]]:
    """(rule, message) for each thing a default filter would alter and each
    duplicate name in a section."""
    found: list[tuple[str, str]] = []
    acts = activities(docs)
    off = course_filters_off(docs)
    for rule in mf.COURSE_OFF:
        if rule not in off:
            found.append(("filters", f"course/filters.xml does not switch the {rule} filter off"))
    linkable = {a["cmid"]: (a["name"], mf.name_regexp(a["name"])) for a in acts if a["modname"] not in NO_VIEW}

    def scan(where: str, root, owner: str | None):
        names = {name: pattern for cmid, (name, pattern) in linkable.items() if cmid != owner}
        for tag, html in _html_fields(root):
            for message in mf.alterations(html, names, off):
                found.append(("filters", f"{where} <{tag}>: {message}"))
            for element in _TAGS.findall(html):        # attribute values: never a trigger
                for trigger in mf.emoticons_in(element):
                    found.append(("filters", f"{where} <{tag}>: the attribute text {element[:80]!r} "
                                             f"holds the emoticon trigger {trigger!r}"))

    for a in acts:
        root = docs.get(f"{a['directory']}/{a['modname']}.xml")
        if root is not None:
            scan(a["directory"], root, a["cmid"])
    for name, root in sorted(docs.items()):
        if name.startswith("sections/") and name.endswith("/section.xml") or name in ("course/course.xml",
                                                                                       "questions.xml"):
            scan(name, root, None)
    files = docs.get("files.xml")
    for f in files.iterfind("file") if files is not None else ():
        for trigger in mf.emoticons_in(_text(f, "filename")):
            found.append(("filters", f"file name {_text(f, 'filename')!r} holds the emoticon trigger {trigger!r}"))
    found.extend(duplicate_names(acts))
    return found


def duplicate_names(acts: list[dict]) -> list[tuple[str, str]]:
    """Two activities shown in one section under the same name (labels show
    their text, not their name)."""
    by_section: dict = defaultdict(Counter)
    shown: dict = {}
    for a in acts:
        if a["modname"] == "label":
            continue
        key = a["name"].strip().casefold()
        by_section[a["sectionid"]][key] += 1
        shown.setdefault(key, a["name"].strip())
    return [("names", f"section {sectionid}: {count} activities are named {shown[key]!r}")
            for sectionid, names in sorted(by_section.items()) for key, count in sorted(names.items()) if count > 1]

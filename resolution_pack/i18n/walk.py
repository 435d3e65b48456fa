"""Walk the course model in a stable order, visiting every translatable field."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Iterator

from .. import model as m
from . import urls


@dataclass(frozen=True)
class Field:
    obj: object
    name: str          # the Python attribute
    context: str       # msgctxt: "<owner id>:<field>"
    rich: bool
    value: str
    note: str


def _notes_for(obj) -> dict:
    notes = getattr(obj, "notes", None)
    return notes if isinstance(notes, dict) else {}


def _auto_note(obj, f) -> str:
    if isinstance(obj, m.Cue):
        return f"Subtitle cue {obj.start} --> {obj.end}: keep it short enough to read in that time."
    if f.metadata.get("i18n") in urls.URL_FIELDS:
        return urls.NOTE
    if isinstance(obj, m.UiString) and obj.note:
        return obj.note
    if isinstance(obj, m.Question) and f.name == "text" and obj.type in ("gapselect", "ddwtos"):
        return "Keep the gap markers [[1]], [[2]]... unchanged; gap n is filled by the n-th choice."
    if isinstance(obj, m.ShortAnswer) and f.name == "text":
        return ("Accepted answer: add the other forms a learner of your language would type (synonyms, "
                "spellings), separated by ' | '; forms without accents are accepted without listing them.")
    if isinstance(obj, m.Node):
        return "Mind-map node: keep it short (about 40 characters)."
    if isinstance(obj, m.Step) and f.name == "label":
        return "Timeline step: keep it short (about 40 characters)."
    if isinstance(obj, m.Panel) and f.name == "scene":
        return "Photo-story: what the picture shows (its alt text, or the text in its frame while there is no photo)."
    if isinstance(obj, m.Line):
        return "Photo-story dialogue: the name of who speaks." if f.name == "speaker" else \
            "Photo-story dialogue: what the character says, as spoken language."
    return ""


def fields(course: m.Course, include_empty: bool = False) -> Iterator[Field]:
    """Every translatable field of the course, in document order."""
    seen: set[int] = set()
    yield from _walk(course, seen, include_empty, {})


def _walk(obj, seen, include_empty, owner_notes):
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return
    if isinstance(obj, (list, tuple)):
        for child in obj:
            yield from _walk(child, seen, include_empty, owner_notes)
        return
    if isinstance(obj, dict):
        for key in obj:
            yield from _walk(obj[key], seen, include_empty, owner_notes)
        return
    if not dataclasses.is_dataclass(obj) or id(obj) in seen:
        return
    seen.add(id(obj))
    notes = _notes_for(obj) or owner_notes
    children = []
    for f in dataclasses.fields(obj):
        meta = f.metadata.get("i18n")
        value = getattr(obj, f.name)
        if meta:
            if isinstance(value, str) and (value or include_empty):
                note = notes.get(f.name, "") if isinstance(notes, dict) else ""
                auto = _auto_note(obj, f)
                note = "\n".join(x for x in (note, auto) if x)
                yield Field(obj, f.name, f"{obj.ctx}:{meta}", f.metadata.get("rich", False), value, note)
        elif f.name not in ("src", "notes", "ctx"):
            children.append(value)
    # an object's own texts first, then what it contains: document order
    for value in children:
        yield from _walk(value, seen, include_empty, notes if isinstance(obj, m.Question) else {})

"""`resolution-pack validate`: every check on the sources, in one run."""
from __future__ import annotations

from pathlib import Path

from . import counts
from .errors import InputError, Problem
from .i18n.localise import load_translations
from .load import load


def validate(sources: Path) -> str:
    sources = Path(sources)
    course = load(sources)                       # YAML, schemas, ids, references, media
    problems = []
    try:
        translations = load_translations(course, sources)   # PO syntax, charset, markup
    except InputError as exc:
        problems.extend(exc.problems)
        translations = {}
    found = counts.per_edition(course)
    course_file = str(sources / "course.yaml")
    for scope, figure, expected, got in counts.compare(course, found, len(course.languages)):
        problems.append(Problem(course_file, 0, 0,
                                f"{scope}: expected {expected} {figure}, the sources give {got}",
                                "expected", "add or remove content, or correct 'expected'"))
    if problems:
        raise InputError(problems)
    figures = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in found.items())
    langs = ", ".join(course.languages)
    return (f"{sources}: valid ({len(course.sections)} sections, {figures} per edition; "
            f"languages {langs}; PO files: {', '.join(sorted(translations)) or 'none'})")

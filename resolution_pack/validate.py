"""`resolution-pack validate`: every check on the sources that `build`
makes, the translations of every edition included, in one run."""
from __future__ import annotations

from pathlib import Path

from . import counts
from .errors import InputError, Problem
from .i18n import glossary, urls
from .i18n.localise import check_editions, read_translations
from .load import load

FALLBACK = "accept it for now with --allow-incomplete (the build then needs --allow-incomplete too)"


def validate(sources: Path, allow_incomplete: bool = False) -> tuple[str, list[Problem]]:
    """(summary, warnings); raises InputError with every problem found.
    Warnings: strings that would fall back to the source text (with
    `allow_incomplete`), links to another language's page, glossary terms
    not used."""
    sources = Path(sources)
    course = load(sources)                       # YAML, schemas, ids, references, media
    translations, problems, failed = read_translations(course, sources)   # PO syntax, charset, markup
    missing, warnings = check_editions(course, translations, course.languages, allow_incomplete,
                                       FALLBACK, failed)
    problems.extend(missing)
    found = counts.per_edition(course)
    course_file = str(sources / "course.yaml")
    for scope, figure, expected, got in counts.compare(course, found, len(course.languages)):
        problems.append(Problem(course_file, 0, 0,
                                f"{scope}: expected {expected} {figure}, the sources give {got}",
                                "expected", "add or remove content, or correct 'expected'"))
    try:
        glossaries = glossary.load(sources)
    except InputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    warnings.extend(urls.edition_warnings(course, translations))
    warnings.extend(glossary.check(glossaries, translations))
    langs = ", ".join(course.languages)
    return (f"{sources}: valid ({_contents(course, found)}; "
            f"languages {langs}; PO files: {', '.join(sorted(translations)) or 'none'})"), warnings


def _contents(course, found: dict) -> str:
    """What the course has, per edition: sections, items, and the figures
    that are not zero (a course without projects does not mention them)."""
    items = sum(1 for _ in course.items())
    named = [f"{len(course.sections)} section{'s' if len(course.sections) != 1 else ''}",
             f"{items} item{'s' if items != 1 else ''}"]
    named += [f"{v} {_figure_name(k, v)}" for k, v in found.items() if v]
    return ", ".join(named) + " per edition"


def _figure_name(figure: str, count: int) -> str:
    name = figure.replace("_", " ")
    if count == 1:
        name = name[:-3] + "y" if name.endswith("ies") else name[:-1]
    return name

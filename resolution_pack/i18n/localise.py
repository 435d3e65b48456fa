"""Turn the source model into the model of one edition."""
from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path

from .. import answers
from .. import model as m
from ..errors import Collector, InputError, Problem
from ..text import file_lines
from . import catalog, urls
from .walk import fields


@dataclass
class Translations:
    """The usable translations of one language, from its PO file."""
    lang: str
    label: str = ""                                  # the PO file as shown in messages
    strings: dict = field(default_factory=dict)      # (msgctxt, msgid) -> msgstr
    fuzzy: dict = field(default_factory=dict)        # (msgctxt, msgid) -> line
    lines: dict = field(default_factory=dict)        # (msgctxt, msgid) -> line


# how a missing translation can be accepted for now, as the command that reports it says
FALLBACK = "build with --allow-incomplete to use the source text meanwhile"


def load_translations(course: m.Course, root: Path, langs=None) -> dict[str, Translations]:
    """Read and check every language's PO file (or only those of `langs`:
    a build of one edition does not read the others); raise InputError with
    every problem found (syntax, charset, refused markup, unknown language)."""
    result, problems, _failed = read_translations(course, root, langs)
    if problems:
        raise InputError(problems)
    return result


def read_translations(course: m.Course, root: Path, langs=None) -> tuple[dict[str, Translations], list[Problem], set]:
    """Every PO file that could be read, the problems of all of them, and
    the languages whose file has problems."""
    root = Path(root)
    problems = Collector()
    failed = set()
    result = {}
    table = None
    for path, lang in po_files(root):
        if langs and lang not in langs:
            continue
        if lang not in course.languages or lang == course.source_language:
            problems.extend([foreign_po(root, path, lang)])
            continue
        label = catalog.shown(root, path)
        table = table if table is not None else list(fields(course))
        found, file_problems = read_translation(path, lang, label, table)
        problems.extend(file_problems)
        if file_problems:
            failed.add(lang)
        if found is not None:
            result[lang] = found
    return result, problems.problems, failed


def po_files(root: Path) -> list[tuple[Path, str]]:
    """(path, language) of every PO file of the sources folder `root`."""
    locale = Path(root) / "locale"
    return [(path, path.stem) for path in sorted(locale.glob("*.po"))] if locale.is_dir() else []


def foreign_po(root: Path, path: Path, lang: str) -> Problem:
    return Problem(catalog.shown(root, path), 0, 0,
                   f"a PO file for '{lang}', which is not a target language of the course",
                   fix=f"add '{lang}' to 'languages' and 'editions' in course.yaml, or remove the file")


def read_translation(path: Path, lang: str, label: str, table: list) -> tuple[Translations | None, list[Problem]]:
    """One language's PO file, read and checked against the course's
    fields (`table`: list(fields(course))): (its translations, or None when
    it cannot be read; its problems)."""
    try:
        po = catalog.read_po(path, label)
    except InputError as exc:
        return None, list(exc.problems)
    problems = Collector()
    declared = po.metadata.get("Language", "")
    if declared and declared.split("_")[0] != lang:
        problems.add(label, 1, 0, f"the Language header says '{declared}' but the file is {lang}.po",
                     fix=f'set "Language: {lang}\\n"')
    lines = file_lines(path.read_text("utf-8"))
    rich = {(f.context, f.value) for f in table if f.rich}
    problems.extend(catalog.check_catalog(po, label, rich, lines))
    problems.extend(urls.translation_problems(po, label, lines))
    # the course's keys: every language's table shares them (one copy in memory, not six)
    keys = {}
    for f in table:
        keys.setdefault((f.context, f.value), (f.context, f.value))
    t = Translations(lang, label)
    for e in po:
        if e.obsolete:
            continue
        key = (e.msgctxt, e.msgid)
        key = keys.get(key, key)
        t.lines[key] = catalog.msgstr_line(lines, e)
        if "fuzzy" in e.flags:
            t.fuzzy[key] = t.lines[key]
        elif e.msgstr:
            t.strings[key] = e.msgstr
    # polib's parser keeps the POFile in a reference cycle that only the
    # garbage collector frees (late: 5 catalogues of a 100x course held
    # gigabytes); emptied here, its entries go as soon as they are unused
    po.clear()
    return t, problems.problems


def check_editions(course: m.Course, translations: dict, langs, allow_incomplete: bool = False,
                   fallback: str = FALLBACK, failed=()) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of localising every edition in `langs`, as
    check() finds them; `failed`: languages whose PO file is already
    reported as broken."""
    problems, warnings = [], []
    table = list(fields(course))
    for lang in langs:
        if lang in failed:
            continue
        try:
            warnings.extend(check(course, lang, translations.get(lang), allow_incomplete, fallback, table))
        except InputError as exc:
            problems.extend(exc.problems)
    return problems, warnings


def localise(course: m.Course, lang: str, translations: Translations | None = None,
             allow_incomplete: bool = False, frozen: bytes | None = None) -> tuple[m.Course, list[Problem]]:
    """A deep copy of `course` with every translatable field in `lang`.

    Missing or fuzzy strings fail the edition (InputError listing them all),
    unless `allow_incomplete`, which keeps the source text and returns the
    list as warnings. `frozen`: freeze(course), when several editions are
    made from one course (it is then copied without walking it again).
    """
    edition, table = thaw(frozen or freeze(course))
    return translate(edition, table, lang, translations, allow_incomplete)


def translate(edition: m.Course, table: list, lang: str, translations: Translations | None = None,
              allow_incomplete: bool = False) -> tuple[m.Course, list[Problem]]:
    """localise() on a copy of the source model made by thaw(), changed in
    place (`table`: its fields, thawed with it)."""
    missing = check(edition, lang, translations, allow_incomplete, table=table)
    edition.lang = lang
    if lang != edition.source_language and translations is not None:
        strings = translations.strings
        for f in table:
            text = strings.get((f.context, f.value))
            if text is not None:
                setattr(f.obj, f.name, text)
    answers.expand(edition)        # what learners of this language type: alternatives, unaccented forms
    return edition, missing


def freeze(course: m.Course, table: list | None = None) -> bytes:
    """The course and its translatable fields (`table`: list(fields(course)),
    when known), pickled together: unpickled, a deep copy (shared objects stay
    shared; 2.5x faster than copy.deepcopy) whose fields are found without
    walking it."""
    return pickle.dumps((course, table if table is not None else list(fields(course))), pickle.HIGHEST_PROTOCOL)


def thaw(frozen: bytes) -> tuple[m.Course, list]:
    """A fresh copy of the frozen course and its fields: (course, table)."""
    return pickle.loads(frozen)


def check(course: m.Course, lang: str, translations: Translations | None = None,
          allow_incomplete: bool = False, fallback: str = FALLBACK, table: list | None = None) -> list[Problem]:
    """What localising `course` into `lang` would miss, without copying it:
    raises InputError listing every missing or fuzzy string unless
    `allow_incomplete`, which returns them as warnings. `fallback` says how
    the command reporting it accepts them for now (not said in warnings:
    they are accepted already). `table`: list(fields(course)), when known."""
    if lang == course.source_language:
        return []
    table = table if table is not None else list(fields(course))
    otherwise = f", or {fallback}" if fallback and not allow_incomplete else ""
    if translations is None:
        label = f"{Path(course.root).name or 'sources'}/locale/{lang}.po"
        count = len({(f.context, f.value) for f in table})
        problem = Problem(label, 0, 0, f"no translation file for '{lang}' ({count} strings to translate)",
                          fix=f"run 'resolution-pack i18n update --add {lang}' and translate it{otherwise}")
        if not allow_incomplete:
            raise InputError(problem)
        return [problem]
    missing: list[Problem] = []
    reported = set()
    for f in table:
        key = (f.context, f.value)
        if key in translations.strings or key in reported:
            continue
        reported.add(key)
        src = getattr(f.obj, "src", None)
        where = f" (from {src.file}:{src.line(f.name)})" if src and src.file else ""
        fuzzy = key in translations.fuzzy
        line = translations.fuzzy.get(key) or translations.lines.get(key, 0)
        fix = "check the translation, then clear its fuzzy flag" if fuzzy else "translate it"
        missing.append(Problem(translations.label or f"locale/{lang}.po", line, 0,
                               f"{'fuzzy' if fuzzy else 'untranslated'} string{where}: {_clip(f.value)!r}",
                               f.context, fix + otherwise))
    if missing and not allow_incomplete:
        raise InputError(missing)
    return missing


def _clip(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"

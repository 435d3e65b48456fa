"""The `i18n update` and `i18n stats` commands."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError, Problem
from ..load import load
from . import catalog, urls
from .extract import build_pot, pot_path


def _template(sources: Path):
    course = load(sources)
    path = pot_path(sources, course.id)
    previous = path.read_text("utf-8") if path.exists() else None
    return course, build_pot(course, previous)


def update(sources: Path, add_langs=()) -> list[str]:
    sources = Path(sources)
    course, pot = _template(sources)
    for lang in add_langs:
        if lang not in course.languages:
            raise InputError(Problem(str(sources / "course.yaml"), 0, 0,
                                     f"--add {lang}: '{lang}' is not in the course's languages",
                                     fix=f"add '{lang}' to 'languages' and 'editions' first"))
    lines = []
    for lang in course.languages:
        if lang == course.source_language:
            continue
        path = catalog.po_path(sources, lang)
        if not path.exists() and lang not in add_langs:
            lines.append(f"{lang}: no PO file (create it with --add {lang})")
            continue
        old = catalog.read_po(path, catalog.shown(sources, path)) if path.exists() else None
        new = catalog.merge(pot, old, lang)
        urls.prefill(new, lang)     # addresses: the page in this language, else the same address
        changed = catalog.write_po(new, path)
        s = catalog.stats(new, lang)
        lines.append(f"{lang}: {'updated' if changed else 'unchanged'} {catalog.shown(sources, path)} "
                     f"({s.translated} translated, {s.fuzzy} fuzzy, {s.untranslated} untranslated, "
                     f"{s.obsolete} obsolete)")
    return lines


def stats(sources: Path, as_json: bool = False) -> str:
    sources = Path(sources)
    course, pot = _template(sources)
    wanted = {(e.msgctxt, e.msgid) for e in pot}
    rows = []
    for lang in course.languages:
        if lang == course.source_language:
            continue
        path = catalog.po_path(sources, lang)
        if path.exists():
            s = catalog.stats(catalog.read_po(path, catalog.shown(sources, path)), lang, wanted)
        else:
            s = catalog.Stats(lang, 0, 0, len(wanted), 0)
        rows.append(s)
    if as_json:
        return json.dumps({s.lang: {"translated": s.translated, "fuzzy": s.fuzzy, "untranslated": s.untranslated,
                                    "obsolete": s.obsolete, "percent": round(s.percent, 1)} for s in rows},
                          indent=2, sort_keys=True)
    out = [f"{'lang':<6}{'translated':>12}{'fuzzy':>8}{'untranslated':>14}{'obsolete':>10}{'percent':>9}"]
    for s in rows:
        out.append(f"{s.lang:<6}{s.translated:>12}{s.fuzzy:>8}{s.untranslated:>14}{s.obsolete:>10}{s.percent:>8.1f}%")
    out.append(f"{len(wanted)} strings in the template")
    return "\n".join(out)

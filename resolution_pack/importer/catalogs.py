"""The translation files of an imported course: the POT exactly as
`i18n extract` writes it from the imported sources, and one complete PO file
per other language, with the aligned translations (polib, through i18n's own
template and merge code, so that the msgctxt scheme is the same)."""
from __future__ import annotations

import time
from pathlib import Path

from .. import model as m
from ..i18n import catalog
from ..i18n.extract import build_pot, header, pot_path, pot_text


def stamp(epoch: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime(epoch))


def write_catalogs(course: m.Course, root: Path, translations: dict, epoch: int) -> dict:
    """Write locale/<course>.pot and locale/<lang>.po for each language of
    `translations` ({lang: {(msgctxt, msgid): msgstr}}); return per language
    (translated, untranslated) counts."""
    pot = build_pot(course)
    pot.metadata = header(course, stamp(epoch))   # the backups' date: the same import, the same bytes
    path = pot_path(root, course.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(pot_text(pot), "utf-8")
    counts = {}
    for lang in sorted(translations):
        strings = translations[lang]
        po = catalog.merge(pot, None, lang)     # the header as i18n update writes a new catalogue's
        done = 0
        for entry in po:
            entry.msgstr = strings.get((entry.msgctxt, entry.msgid), "")
            done += bool(entry.msgstr)
        catalog.write_po(po, catalog.po_path(root, lang))
        counts[lang] = (done, len(po) - done)
    return counts

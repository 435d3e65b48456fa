"""The toolbox sheet of a project as a PDF, one per project and edition.

`project_sheet_pdf(course, project)` gives the bytes of an A4 sheet in the
edition's language (`course.lang`): title, partner organisation, city and
country, audience, summary, key figures, the "Description" and
"Implementation" parts (rich text: bold, italics, links and quotations are
kept), the timeline, the actors and their relations, the contacts; every page
has the platform's name, the page number and the Erasmus+ notice (with the EU
emblem) in its footer.

The sheet is laid out by Typst (the `typst` package: a compiled typesetting
engine) from `templates/sheet/sheet.typ`. The texts reach it as one JSON
document in `sys.inputs` (`sheet_data()`), never as markup: nothing a source
or a translation says can be read as Typst code.

- Text is real text in the fonts shipped in `assets/fonts/` (DejaVu Sans,
  embedded as subsets with a ToUnicode map; no system font is looked at):
  selectable, searchable, the same on every machine.
- The PDF is tagged (headings, paragraphs, lists of the structure tree, for
  screen readers), its language (`/Lang`), title, author (the partner),
  subject (the summary) and keywords are set.
- The bytes are reproducible: the creation date is SOURCE_DATE_EPOCH (see
  `resolution_pack.archive.source_date_epoch`), and Typst derives the file
  /ID from the content.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from html.parser import HTMLParser

from .. import model as m
from ..archive import source_date_epoch
from ..errors import InputError, Problem
from ..resources import templates_dir
from ..text import sanitise
from ..text import plain, to_text
from .fonts import FONT_DIR

_BLANK_LINES = re.compile(r"\n\s*\n")  # paragraph separator of rich fields

# Quotation marks for <q> per language (outer level).
QUOTES = {"fr": ("« ", " »"), "es": ("«", "»"), "ca": ("«", "»"), "it": ("«", "»"),
          "hu": ("„", "”"), "en": ("“", "”")}

def ui(course: m.Course, key: str, **values) -> str:
    """An interface string of the edition (Course.text: ui.yaml, else the one set of defaults)."""
    return course.text(key, **values)


def country_name(course: m.Course, code: str) -> str:
    key = f"country_{(code or '').lower()}"
    return course.text(key) if key in course.ui else (code or "")


def project_sheet_pdf(course: m.Course, project: m.Project) -> bytes:
    return project_sheet(course, project)[0]


def project_sheet(course: m.Course, project: m.Project) -> tuple[bytes, list[str]]:
    """(the PDF's bytes, Typst's warnings: a glyph no font has, for one)."""
    return compile_sheet(sheet_json(course, project))


def sheet_json(course: m.Course, project: m.Project) -> str:
    """All that a sheet is made of, as the JSON text the template reads."""
    return json.dumps(sheet_data(course, project), ensure_ascii=False, sort_keys=True)


def compile_sheet(data: str) -> tuple[bytes, list[str]]:
    import typst
    try:
        pdf, warnings = _compiler().compile_with_warnings(
            format="pdf", sys_inputs={"data": data}, timestamp=source_date_epoch(), pdf_standards=["ua-1"])
    except typst.TypstError as exc:
        # a character the shipped fonts lack, for one: PDF/UA refuses to draw it
        title = json.loads(data)["title"]
        raise InputError(Problem("", 0, 0, f"the PDF sheet of '{title}' cannot be made: {exc.message}",
                                 fix="use characters the shipped DejaVu fonts have (see assets/fonts/README.md)")) \
            from None
    return pdf, [w.message for w in warnings]


@lru_cache(maxsize=None)
def _compiler():
    """One Typst compiler per process: the fonts are read and the template
    parsed once, then every sheet reuses them."""
    import typst
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONT_DIR)])
    template = templates_dir() / "sheet" / "sheet.typ"
    return typst.Compiler(str(template), root=str(template.parent), font_paths=fonts,
                          ignore_system_fonts=True)


def sheet_data(course: m.Course, project: m.Project) -> dict:
    """Everything the sheet prints, as plain JSON-able values."""
    lang = course.lang or course.source_language
    quotes = QUOTES.get(lang, ("“", "”"))
    p = project
    names = {a.id: plain(a.name) for a in p.actors}
    return {
        "lang": lang,
        "colon": "\u00a0: " if lang == "fr" else ": ",   # French puts a space before ':'
        "title": to_text(p.title),
        "author": p.organisation or "",
        "subject": to_text(p.summary),
        "keywords": [k for k in (ui(course, "platform_name"), "Erasmus+", p.organisation,
                                 country_name(course, p.country)) if k],
        "labels": {key: ui(course, key) for key in ("partner", "audience", "key_figures", "description",
                                                    "implementation", "timeline", "orgchart", "relations",
                                                    "contacts", "page_of")}
        | {"platform": ui(course, "platform_name"), "notice": plain(ui(course, "erasmus_notice"))},
        "place": ", ".join(filter(None, (p.city, country_name(course, p.country)))),
        "audience": plain(p.audience),
        "summary": to_text(p.summary),
        "figures": [{"value": plain(f.value), "label": plain(f.label)} for f in p.key_figures],
        "description": _rich(p.description, quotes),
        "implementation": _rich(p.implementation, quotes),
        "timeline": [{"date": s.shown_date, "label": plain(s.label), "text": plain(s.text)} for s in p.timeline],
        "actors": _actors(p, names),
        "relations": [{"source": names.get(r.source, r.source), "target": names.get(r.target, r.target),
                       "label": plain(r.label)} for r in p.relations],
        "contacts": [{"label": plain(c.label), "url": c.url or ""} for c in p.contacts],
        "notice": plain(course.text("reconstructed_notice"))
        if p.reconstructed and "reconstructed_notice" in course.ui else "",
    }


def _rich(text: str | None, quotes) -> list:
    """A rich field: paragraphs (separated by blank lines) of styled runs."""
    out = []
    for para in _BLANK_LINES.split((text or "").strip()):
        if para.strip():
            out.append([{"t": t, "b": style == "B", "i": style == "I", "l": link}
                        for t, style, link in rich_runs(para, quotes) if t])
    return out


def _actors(project: m.Project, names: dict) -> list:
    """The actors in hierarchy order, each with its depth."""
    children: dict = {}
    for a in project.actors:
        children.setdefault(a.parent if a.parent in names else None, []).append(a)
    out = []

    def emit(parent, depth):
        for a in children.get(parent, []):
            out.append({"name": names[a.id], "role": plain(a.role), "depth": depth})
            emit(a.id, depth + 1)
    emit(None, 0)
    return out


class _Runs(HTMLParser):
    """Inline HTML (the sanitised subset) to [(text, style, link)]."""

    def __init__(self, quotes):
        super().__init__(convert_charrefs=True)
        self.quotes = quotes
        self.bold = self.italic = 0
        self.link: str | None = None
        self.out: list = []

    def style(self) -> str:
        # no bold-oblique face is shipped: bold wins
        return "B" if self.bold else "I" if self.italic else ""

    def handle_starttag(self, tag, attrs):
        if tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i", "cite"):
            self.italic += 1
        elif tag == "a":
            self.link = dict(attrs).get("href")
        elif tag == "q":
            self.out.append((self.quotes[0], self.style(), self.link))
        elif tag == "br":
            self.out.append(("\n", self.style(), None))

    def handle_endtag(self, tag):
        if tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i", "cite"):
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            self.link = None
        elif tag == "q":
            self.out.append((self.quotes[1], self.style(), self.link))

    def handle_data(self, data):
        self.out.append((data, self.style(), self.link))


def rich_runs(text: str, quotes=("“", "”")) -> list:
    parser = _Runs(quotes)
    parser.feed(sanitise(" ".join(text.split())))
    parser.close()
    return parser.out

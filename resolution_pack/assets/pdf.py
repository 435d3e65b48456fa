"""The toolbox sheet of a project as a PDF, one per project and edition.

`project_sheet_pdf(course, project)` gives the bytes of an A4 sheet in the
edition's language (`course.lang`): title, partner organisation, city and
country, audience, summary, key figures, the "Description" and
"Implementation" parts (rich text: bold, italics, links and quotations are
kept), the timeline, the actors and their relations, the contacts; every page
has the platform's name, the page number and the Erasmus+ notice (with the EU
emblem) in its footer.

- Text is real text in the fonts shipped in `assets/fonts/` (DejaVu Sans,
  embedded as subsets with a ToUnicode map): selectable, searchable, and every
  character of the six languages is drawn from the font, never from the
  reader's system.
- The document language (`/Lang`), title, author (the partner), subject (the
  summary) and keywords are set in the PDF metadata.
- The bytes are reproducible: the creation date is SOURCE_DATE_EPOCH (see
  `resolution_pack.archive.source_date_epoch`), the file /ID is a hash of the
  content, the producer string carries no version.

`project_sheet(course, project)` returns the fpdf2 document itself (its page
count is `doc.pages_count`), for tests and for callers that want to add to it.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from html.parser import HTMLParser

from fpdf import FPDF

from .. import model as m
from ..archive import source_date_epoch
from ..text import sanitise
from ..text import plain, to_text
from .fonts import FAMILY, in_base, pdf_font_files, wrap

# Colours (RGB)
ACCENT = (31, 78, 121)       # headings, title
ACCENT_2 = (200, 90, 20)     # figures, timeline dates
TEXT = (33, 33, 33)
MUTED = (95, 95, 95)
TINT = (233, 240, 247)       # summary box
RULE = (190, 200, 210)
EU_BLUE = (0, 51, 153)
EU_YELLOW = (255, 204, 0)

_BLANK_LINES = re.compile(r"\n\s*\n")  # paragraph separator of rich fields

MARGIN = 18.0                # mm, left and right
BODY = 10.5                  # pt
LINE = 5.2                   # mm, line height of body text

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
    return bytes(project_sheet(course, project).output())


def project_sheet(course: m.Course, project: m.Project) -> "Sheet":
    doc = Sheet(course, project)
    doc.render()
    return doc


class Sheet(FPDF):
    def __init__(self, course: m.Course, project: m.Project):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.course = course
        self.project = project
        self.lang = course.lang or course.source_language
        self.quotes = QUOTES.get(self.lang, ("“", "”"))
        self.colon = "\u00a0: " if self.lang == "fr" else ": "   # French puts a space before ':'
        full = not in_base("".join(_strings(project)) + "".join(_strings(course.ui)))
        for style, path in pdf_font_files(full).items():
            self.add_font(FAMILY, style, str(path))
        self.set_margins(MARGIN, 16, MARGIN)
        self.set_text_color(*TEXT)
        self.c_margin = 0
        # fixed metadata, no clock
        self.set_creation_date(_dt.datetime.fromtimestamp(source_date_epoch(), _dt.timezone.utc))
        self.set_lang(self.lang)
        title = to_text(project.title)
        self.set_title(title)
        self.set_author(project.organisation)
        self.set_subject(to_text(project.summary))
        self.set_keywords(", ".join(filter(None, (ui(course, "platform_name"), "Erasmus+", project.organisation,
                                                 country_name(course, project.country)))))
        self.set_creator(ui(course, "platform_name"))
        self.set_producer("resolution-pack (fpdf2)")
        self.set_display_mode("fullwidth", "continuous")
        self.alias_nb_pages("{nb}")
        self.notice = plain(ui(course, "erasmus_notice"))
        self.footer_height = self._footer_height()
        self.set_auto_page_break(True, margin=self.footer_height + 6)

    # -- page furniture ---------------------------------------------------

    def _footer_height(self) -> float:
        # measured with the font's metrics (no page exists yet for a dry run)
        lines = wrap(self.notice, (self.epw - 17) * 72 / 25.4, 6.5)
        return 6.3 + max(9.5, 2.8 * (len(lines) + 0.5)) + 5

    def header(self):
        self.set_y(8)
        self.set_font(FAMILY, "B", 8)
        self.set_text_color(*ACCENT)
        self.cell(self.epw / 2, 4, ui(self.course, "platform_name"))
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        right = to_text(self.project.title) if self.page_no() > 1 else self.project.organisation
        self.cell(self.epw / 2, 4, _clip(self, right, self.epw / 2), align="R",
                  new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.4)
        self.line(MARGIN, 13, self.w - MARGIN, 13)
        self.set_y(18)
        self.set_text_color(*TEXT)

    def footer(self):
        top = self.h - self.footer_height
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, top, self.w - MARGIN, top)
        self.set_xy(MARGIN, top + 1.2)
        self.set_font(FAMILY, "B", 8)
        self.set_text_color(*ACCENT)
        self.cell(self.epw / 2, 4, ui(self.course, "platform_name"))
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        # "{nb}" is replaced by the page count at output time: right-align the
        # text as it will read (DejaVu digits all have the same advance)
        n = self.page_no()
        shown = self.get_string_width(ui(self.course, "page_of", n=n, total=n))
        self.set_x(self.w - MARGIN - shown)
        self.cell(shown, 4, ui(self.course, "page_of", n=n, total="{nb}"), align="L")
        self._eu_emblem(MARGIN, top + 6.5, 13.5)
        self.set_xy(MARGIN + 17, top + 6.3)
        self.set_font(FAMILY, "", 6.5)
        self.multi_cell(self.epw - 17, 2.8, self.notice, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*TEXT)

    def _eu_emblem(self, x: float, y: float, width: float):
        """The European flag (3:2): 12 gold stars on a circle, on blue."""
        height = width * 2 / 3
        self.set_fill_color(*EU_BLUE)
        self.rect(x, y, width, height, style="F")
        self.set_fill_color(*EU_YELLOW)
        cx, cy, radius = x + width / 2, y + height / 2, height / 3
        star = height / 18
        for i in range(12):
            angle = math.radians(i * 30)
            self.star(cx + radius * math.sin(angle), cy - radius * math.cos(angle),
                      star * 0.382, star, 5, rotate_degrees=0, style="F")

    # -- building blocks --------------------------------------------------

    def heading(self, text: str, keep: float = 18):
        if not text:
            return
        if self.will_page_break(10 + keep):
            self.add_page()
        self.ln(3)
        self.set_font(FAMILY, "B", 13)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*ACCENT_2)
        self.set_line_width(0.6)
        self.line(MARGIN, self.y + 0.5, MARGIN + 14, self.y + 0.5)
        self.ln(2.5)
        self.set_text_color(*TEXT)

    def runs(self, runs: list, indent: float = 0, size: float = BODY, h: float = LINE,
             bullet: str = "", bullet_style: str = "", bullet_color=TEXT, after: float = 0):
        """Write styled runs [(text, style, link)] as one paragraph at `indent`
        from the left margin, wrapping across runs (fpdf2 text regions), with an
        optional hanging `bullet`."""
        self.set_font(FAMILY, bullet_style, size)
        bullet_w = self.get_string_width(bullet) + 1.8 if bullet else 0
        with self.text_columns(text_align="LEFT", line_height=h / (size * 25.4 / 72),
                               l_margin=MARGIN + indent, r_margin=MARGIN) as cols:
            self.set_text_color(*bullet_color)
            with cols.paragraph(indent=bullet_w, bullet_string=bullet, bullet_r_margin=1.8,
                                bottom_margin=after) as par:
                for text, style, link in runs:
                    if not text:
                        continue
                    self.set_font(FAMILY, style, size)
                    self.set_text_color(*(ACCENT if link else TEXT))
                    par.write(text, link=link or None)
        self.set_text_color(*TEXT)
        self.set_x(MARGIN)

    def rich(self, text: str | None, after: float = 2.2):
        """A rich field: paragraphs separated by blank lines, inline markup kept."""
        for para in _BLANK_LINES.split((text or "").strip()):
            if para.strip():
                self.runs(rich_runs(para, self.quotes), after=after)

    def plain_block(self, text: str, size: float = BODY, style: str = "", color=TEXT, h: float = LINE):
        self.set_font(FAMILY, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, h, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*TEXT)

    def height_of(self, text: str, width: float, size: float = BODY, style: str = "", h: float = LINE) -> float:
        self.set_font(FAMILY, style, size)
        return len(self.multi_cell(width, h, text, dry_run=True, output="LINES")) * h

    # -- the sheet ---------------------------------------------------------

    def render(self):
        c, p = self.course, self.project
        self.add_page()
        # title block
        self.set_font(FAMILY, "B", 20)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 9, to_text(p.title), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*TEXT)
        self.ln(1.5)
        place = ", ".join(filter(None, (p.city, country_name(c, p.country))))
        self.runs([(ui(c, "partner") + self.colon, "B", None),
                   (p.organisation, "", None), ((" — " + place) if place else "", "", None)], size=10.5)
        if p.audience:
            self.runs([(ui(c, "audience") + self.colon, "B", None),
                       (plain(p.audience), "", None)], size=10.5)
        self.ln(2.5)
        if p.summary:
            self._summary_box(to_text(p.summary))
        if p.key_figures:
            self.heading(ui(c, "key_figures"))
            self._key_figures()
        self.heading(ui(c, "description"))
        self.rich(p.description)
        self.heading(ui(c, "implementation"))
        self.rich(p.implementation)
        if p.timeline:
            self.heading(ui(c, "timeline"))
            self._timeline()
        if p.actors:
            self.heading(ui(c, "orgchart"))
            self._actors()
        if p.contacts:
            self.heading(ui(c, "contacts"), keep=8)
            for contact in p.contacts:
                label = plain(contact.label)
                runs = [(label, "B", None)]
                if contact.url:
                    runs += [(" — ", "", None), (contact.url, "", contact.url)]
                self.runs(runs, bullet="■", bullet_color=ACCENT, after=1)
        if p.reconstructed and "reconstructed_notice" in c.ui:
            self.ln(4)
            self.set_font(FAMILY, "I", 8.5)
            self.plain_block(plain(c.text("reconstructed_notice")), size=8.5, style="I", color=MUTED, h=4.2)

    def _summary_box(self, text: str):
        pad = 3.5
        height = self.height_of(text, self.epw - 2 * pad, 11, h=5.6) + 2 * pad
        if self.will_page_break(height):
            self.add_page()
        y = self.y
        self.set_fill_color(*TINT)
        self.rect(MARGIN, y, self.epw, height, style="F")
        self.set_fill_color(*ACCENT)
        self.rect(MARGIN, y, 1.2, height, style="F")
        self.set_xy(MARGIN + pad, y + pad)
        self.set_font(FAMILY, "", 11)
        self.set_text_color(*TEXT)
        self.multi_cell(self.epw - 2 * pad, 5.6, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_y(y + height + 1)

    def _key_figures(self):
        value_w = 42
        for fig in self.project.key_figures:
            value, label = plain(fig.value), plain(fig.label)
            height = max(self.height_of(value, value_w - 3, 12, "B", 6),
                         self.height_of(label, self.epw - value_w, BODY))
            if self.will_page_break(height + 2):
                self.add_page()
            y = self.y
            self.set_font(FAMILY, "B", 12)
            self.set_text_color(*ACCENT_2)
            self.multi_cell(value_w - 3, 6, value, new_x="LMARGIN", new_y="NEXT")
            bottom = self.y
            self.set_xy(MARGIN + value_w, y + 0.4)
            self.set_font(FAMILY, "", BODY)
            self.set_text_color(*TEXT)
            self.multi_cell(self.epw - value_w, LINE, label, new_x="LMARGIN", new_y="NEXT")
            self.set_y(max(bottom, self.y) + 1.5)

    def _timeline(self):
        date_w = 24
        for step in self.project.timeline:
            label, text = plain(step.label), plain(step.text)
            need = self.height_of(f"{label} {text}", self.epw - date_w) + 2
            if self.will_page_break(need):
                self.add_page()
            y = self.y
            self.set_fill_color(*ACCENT_2)
            self.ellipse(MARGIN, y + 1.6, 2.2, 2.2, style="F")
            self.set_xy(MARGIN + 4, y)
            self.set_font(FAMILY, "B", BODY)
            self.set_text_color(*ACCENT_2)
            self.cell(date_w - 4, LINE, step.shown_date)
            self.set_text_color(*TEXT)
            self.set_xy(MARGIN + date_w, y)
            self.runs([(label, "B", None), ((" — " + text) if text else "", "", None)], indent=date_w, after=1.6)

    def _actors(self):
        actors = self.project.actors
        names = {a.id: plain(a.name) for a in actors}
        children: dict = {}
        for a in actors:
            children.setdefault(a.parent if a.parent in names else None, []).append(a)

        def emit(parent, depth):
            for a in children.get(parent, []):
                indent = depth * 7
                if self.will_page_break(2 * LINE):
                    self.add_page()
                runs = [(names[a.id], "B", None)]
                if a.role:
                    runs.append((" — " + plain(a.role), "", None))
                self.runs(runs, indent=indent, bullet="■" if depth == 0 else "└", bullet_color=ACCENT, after=0.8)
                emit(a.id, depth + 1)

        emit(None, 0)
        if self.project.relations:
            title = ui(self.course, "relations")
            self.ln(1.5)
            if title:
                self.plain_block(title, style="B")
            for r in self.project.relations:
                if self.will_page_break(2 * LINE):
                    self.add_page()
                self.runs([(names.get(r.source, r.source), "B", None),
                           (" → ", "", None), (names.get(r.target, r.target), "B", None),
                           (self.colon + plain(r.label), "", None)],
                          bullet="→", bullet_style="B", bullet_color=ACCENT_2, after=0.8)


def _strings(obj):
    """Every string inside a model object (to choose the fonts that cover them)."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            yield from _strings(value)
    elif hasattr(obj, "__dataclass_fields__"):
        for name in obj.__dataclass_fields__:
            if name not in ("src", "notes", "videos"):
                yield from _strings(getattr(obj, name))


def _clip(pdf: FPDF, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


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

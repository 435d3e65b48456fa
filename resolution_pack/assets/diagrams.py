"""The tutorial diagrams of a project as SVG, drawn from its YAML data, one
per project, kind and edition (labels translated).

- `diagram_svg(course, project, kind)` -> bytes (UTF-8 SVG) for kind in
  `KINDS`: "mindmap" (the tree `project.mindmap`, drawn as a balanced mind
  map), "timeline" (`project.timeline`, dated steps top to bottom) and
  "orgchart" (`project.actors` as a hierarchy by `parent`, and
  `project.relations` as numbered arrows with a legend).
- `diagram_outline(project, kind, lang="")` -> list of
  `{"text": str, "children": [...]}`: the same content as a nested list,
  for the page that shows the diagram (screen readers, text browsers,
  print). For "orgchart" the actors come first (nested by parent, "name —
  role"), then one item per relation ("source → target: label").
- `outline_html(project, kind, lang="")` -> Markup: that outline as nested
  `<ul class="diagram-outline">`, escaped, ready for a template.
- `diagram_title(course, project, kind)` -> the diagram's accessible name
  ("Carte mentale — <project title>").

Every SVG has `role="img"`, a `<title>` and a `<desc>` (the outline in one
paragraph) referenced by `aria-labelledby`, `xml:lang` set to the edition.
Text is laid out with the metrics of the shipped DejaVu Sans (see
`assets/fonts.py`), wrapped to its box, and drawn with that font's glyph
outlines: each glyph used is a `<path>` in `<defs>` (id: weight and glyph
index), each line a `<g class="glyphs">` of `<use>`s placed by the advance
widths the layout measured, so every renderer draws the same picture and no
font is embedded (an SVG shown through `<img>` could not load one from
elsewhere). Each box is a `<g class="box">` holding a `<rect>`, the lines'
glyphs, and a `<text>` of `<tspan>` lines (font-size, weight and anchor on
the `<text>`, each line's measured width as its `textLength`) that is not
painted: it keeps the words selectable and searchable. Output is
deterministic (fixed ids, rounded coordinates).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from lxml import etree
from markupsafe import Markup, escape

from .. import model as m
from ..text import plain
from .fonts import break_pieces, metrics, wrap
from .pdf import ui

KINDS = ("mindmap", "timeline", "orgchart")
SVG_NS = "http://www.w3.org/2000/svg"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XLINK_NS = "http://www.w3.org/1999/xlink"
XLINK_HREF = f"{{{XLINK_NS}}}href"   # SVG 1.1's href: read by every renderer, old ones too
USE = f"{{{SVG_NS}}}use"
LINE = 1.25          # line height, in font sizes

ACCENT = "#1f4e79"
ACCENT_2 = "#c85a14"
INK = "#212121"
MUTED = "#555555"
BRANCHES = ("#1f77b4", "#c85a14", "#2a9d5b", "#8e44ad", "#b8860b", "#c0392b", "#16809a", "#6d4c41")
TINTS = ("#e3eef8", "#fbeadf", "#e2f4e9", "#f0e6f6", "#f7f0da", "#f8e1de", "#def1f5", "#efe8e5")


# ---- outline (accessible list) ------------------------------------------------

def _colon(lang: str) -> str:
    return "\u00a0: " if lang == "fr" else ": "


def diagram_outline(project: m.Project, kind: str, lang: str = "") -> list:
    """The content of a diagram as a nested list of {"text", "children"}."""
    if kind == "mindmap":
        def walk(node):
            return {"text": plain(node.label), "children": [walk(c) for c in node.children]}
        return [walk(project.mindmap)] if project.mindmap else []
    if kind == "timeline":
        return [{"text": f"{s.shown_date} — {plain(s.label)}" + (_colon(lang) + plain(s.text) if s.text else ""),
                 "children": []} for s in project.timeline]
    if kind == "orgchart":
        names = {a.id: plain(a.name) for a in project.actors}
        kids: dict = {}
        for a in project.actors:
            kids.setdefault(a.parent if a.parent in names else None, []).append(a)

        def walk_actor(a):
            text = names[a.id] + (f" — {plain(a.role)}" if a.role else "")
            return {"text": text, "children": [walk_actor(c) for c in kids.get(a.id, [])]}
        items = [walk_actor(a) for a in kids.get(None, [])]
        items += [{"text": f"{names.get(r.source, r.source)} → {names.get(r.target, r.target)}"
                           + _colon(lang) + plain(r.label), "children": []} for r in project.relations]
        return items
    raise ValueError(f"unknown diagram kind {kind!r} (expected one of {', '.join(KINDS)})")


def outline_html(project: m.Project, kind: str, lang: str = "") -> Markup:
    def ul(items, cls=""):
        if not items:
            return ""
        attr = f' class="{cls}"' if cls else ""
        return f"<ul{attr}>" + "".join(
            f"<li>{escape(i['text'])}{ul(i['children'])}</li>" for i in items) + "</ul>"
    return Markup(ul(diagram_outline(project, kind, lang), "diagram-outline"))


def _flatten(items, depth=0) -> list[str]:
    out = []
    for i in items:
        kids = _flatten(i["children"], depth + 1)
        out.append(i["text"] + (" (" + "; ".join(kids) + ")" if kids else ""))
    return out


def diagram_title(course: m.Course, project: m.Project, kind: str) -> str:
    return f"{ui(course, kind)} — {plain(project.title)}"      # a plain field: "<" is text


# ---- boxes ----------------------------------------------------------------------

@dataclass
class Block:
    """A run of wrapped lines in one font."""
    lines: list
    size: float
    bold: bool = False
    color: str = INK

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LINE


@dataclass
class Box:
    w: float
    blocks: list
    pad_x: float = 10
    pad_y: float = 8
    gap: float = 3
    fill: str = "#ffffff"
    stroke: str = ACCENT
    stroke_width: float = 1.5
    radius: float = 8
    anchor: str = "middle"
    cls: str = ""
    x: float = 0      # top-left, set by the layout
    y: float = 0
    h_min: float = 0

    @property
    def h(self) -> float:
        inner = sum(b.height for b in self.blocks) + self.gap * max(0, len(self.blocks) - 1)
        return max(self.h_min, inner + 2 * self.pad_y)

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def block(text: str, width: float, size: float, bold: bool = False, color: str = INK) -> Block:
    """Wrapped text; a word too long for the width first makes the font
    smaller (down to 80 %), and is only then cut between characters."""
    fm = metrics(bold)
    widest = max((fm.width(piece, size) for piece, _ in break_pieces(" ".join(text.split()))), default=0)
    if widest > width:
        size = max(round(size * 0.8, 1), math.floor(size * width / widest * 10) / 10)
    return Block(wrap(text, width, size, bold), size, bold, color)


def text_box(texts: list, w: float, **kw) -> Box:
    """texts: [(text, size, bold, color)]; each is wrapped to the inner width."""
    pad_x = kw.get("pad_x", 10)
    blocks = [block(t, w - 2 * pad_x, size, bold, color) for t, size, bold, color in texts if t]
    return Box(w, blocks, **kw)


# ---- SVG writer -------------------------------------------------------------------

def _n(v: float) -> str:
    r = round(v, 1)
    return str(int(r)) if r == int(r) else f"{r:.1f}"


class Canvas:
    def __init__(self, course: m.Course, project: m.Project, kind: str):
        self.course, self.project, self.kind = course, project, kind
        self.lang = course.lang or course.source_language
        self.prefix = f"{project.id}-{kind}"
        self.layers = {name: [] for name in ("back", "links", "boxes", "front")}
        self.glyphs: dict[str, tuple] = {}   # "<r|b><glyph index>" -> (metrics, glyph index)

    def el(self, layer: str, tag: str, text: str | None = None, **attrs):
        e = etree.Element(f"{{{SVG_NS}}}{tag}", {k.replace("_", "-"): str(v) for k, v in attrs.items()})
        if text is not None:
            e.text = text
        self.layers[layer].append(e)
        return e

    def box(self, b: Box, layer: str = "boxes"):
        g = etree.Element(f"{{{SVG_NS}}}g", {"class": ("box " + b.cls).strip()})
        etree.SubElement(g, f"{{{SVG_NS}}}rect", x=_n(b.x), y=_n(b.y), width=_n(b.w), height=_n(b.h),
                         rx=_n(b.radius), fill=b.fill, stroke=b.stroke if b.stroke_width else "none",
                         **({"stroke-width": _n(b.stroke_width)} if b.stroke_width else {}))
        inner = sum(bl.height for bl in b.blocks) + b.gap * max(0, len(b.blocks) - 1)
        y = b.y + (b.h - inner) / 2
        x = b.cx if b.anchor == "middle" else b.x + b.pad_x
        for bl in b.blocks:
            self._text(g, bl, x, y, b.anchor)
            y += bl.height + b.gap
        self.layers[layer].append(g)
        return g

    def _text(self, parent, bl: Block, x: float, top: float, anchor: str):
        fm = metrics(bl.bold)
        lh = bl.size * LINE
        first = top + (lh - (fm.ascent + fm.descent) * bl.size) / 2 + fm.ascent * bl.size
        t = self._text_layer(parent, x, bl.size, bl.bold, anchor)
        for i, line in enumerate(bl.lines):
            self._line(parent, t, line, x, first + i * lh, bl.size, bl.bold, bl.color, anchor)
        return t

    def label(self, layer: str, text: str, x: float, y: float, size: float, bold: bool, color: str,
              anchor: str = "middle"):
        """One line of text outside a box (the relation badges' numbers)."""
        g = etree.Element(f"{{{SVG_NS}}}g", {"class": "label"})
        t = self._text_layer(g, x, size, bold, anchor)
        self._line(g, t, text, x, y, size, bold, color, anchor)
        self.layers[layer].append(g)
        return g

    def _text_layer(self, parent, x: float, size: float, bold: bool, anchor: str):
        """The text of a block as SVG <text>, not painted (the glyph
        outlines are): it keeps the words selectable and searchable where
        the file is opened on its own, whatever fonts the reader has."""
        attrs = {"x": _n(x), "font-size": _n(size), "fill-opacity": "0"}
        if bold:
            attrs["font-weight"] = "bold"
        if anchor != "start":
            attrs["text-anchor"] = anchor
        return etree.SubElement(parent, f"{{{SVG_NS}}}text", attrs)

    def _line(self, parent, text_el, line: str, x: float, baseline: float, size: float, bold: bool,
              color: str, anchor: str):
        """Draw a line with the font's glyph outlines (one <use> per glyph,
        each glyph's path defined once in <defs>), placed by the advance
        widths that the layout measured: every renderer draws the same."""
        fm = metrics(bold)
        width = fm.width(line, size)
        span = etree.SubElement(text_el, f"{{{SVG_NS}}}tspan", x=_n(x), y=_n(baseline))
        span.text = line
        if line.strip():
            span.set("textLength", _n(width))
            span.set("lengthAdjust", "spacingAndGlyphs")
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        scale = size / fm.units
        g = etree.SubElement(parent, f"{{{SVG_NS}}}g", {
            "class": "glyphs", "fill": color, "aria-hidden": "true",
            "transform": f"matrix({scale:.6g} 0 0 {-scale:.6g} {left:.2f} {baseline:.2f})"})
        pen = 0
        weight = "b" if bold else "r"
        glyph, used, sub = fm.glyph, self.glyphs, etree.SubElement
        for char in line:
            gid, advance, drawn = glyph(char)
            if drawn:
                ref = f"{weight}{gid}"
                used[ref] = (fm, gid)
                attrs = {XLINK_HREF: "#" + ref, "x": str(pen)} if pen else {XLINK_HREF: "#" + ref}
                sub(g, USE, attrs)
            pen += advance

    def render(self, width: float, height: float) -> bytes:
        title_id, desc_id = f"{self.prefix}-title", f"{self.prefix}-desc"
        root = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS, "xlink": XLINK_NS})
        root.set("version", "1.1")
        root.set("viewBox", f"0 0 {_n(width)} {_n(height)}")
        root.set("width", _n(width))
        root.set("height", _n(height))
        root.set("role", "img")
        root.set("aria-labelledby", f"{title_id} {desc_id}")
        root.set(f"{{{XML_NS}}}lang", self.lang)
        root.set("lang", self.lang)
        root.set("class", f"diagram diagram-{self.kind}")
        etree.SubElement(root, f"{{{SVG_NS}}}title", id=title_id).text = \
            diagram_title(self.course, self.project, self.kind)
        outline = diagram_outline(self.project, self.kind, self.lang)
        etree.SubElement(root, f"{{{SVG_NS}}}desc", id=desc_id).text = "\n".join(_flatten(outline))
        defs = etree.SubElement(root, f"{{{SVG_NS}}}defs")
        # the glyphs' ids are the same in every diagram (weight + glyph index
        # of the shipped font), so two diagrams inlined in one page agree
        for ref in sorted(self.glyphs, key=lambda r: (r[0], int(r[1:]))):
            fm, gid = self.glyphs[ref]
            etree.SubElement(defs, f"{{{SVG_NS}}}path", id=ref, d=fm.outline(gid))
        marker = etree.SubElement(defs, f"{{{SVG_NS}}}marker", id=f"{self.prefix}-arrow", viewBox="0 0 10 10",
                                  refX="9", refY="5", markerWidth="7", markerHeight="7",
                                  orient="auto-start-reverse", markerUnits="strokeWidth")
        etree.SubElement(marker, f"{{{SVG_NS}}}path", d="M0,0 L10,5 L0,10 z", fill="context-stroke")
        etree.SubElement(root, f"{{{SVG_NS}}}rect", width="100%", height="100%", fill="#ffffff")
        for name, elements in self.layers.items():
            g = etree.SubElement(root, f"{{{SVG_NS}}}g", {"class": name})
            for e in elements:
                g.append(e)
        # not pretty-printed: whitespace between the <tspan>s of a <text> would
        # be laid out as text and shift anchored lines
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"

    @property
    def arrow(self) -> str:
        return f"url(#{self.prefix}-arrow)"


# ---- mind map -------------------------------------------------------------------------

MM_WIDTHS = (200, 176, 168)   # box width by depth (the last repeats)
MM_HGAP, MM_VGAP, MM_MARGIN = 44, 12, 20


@dataclass
class _MNode:
    box: Box
    depth: int
    branch: int
    children: list = field(default_factory=list)
    span: float = 0  # height of the subtree


def _mm_build(node: m.Node, depth: int, branch: int) -> _MNode:
    w = MM_WIDTHS[min(depth, len(MM_WIDTHS) - 1)]
    label = plain(node.label)
    if depth == 0:
        box = text_box([(label, 17, True, "#ffffff")], w, fill=ACCENT, stroke=ACCENT, radius=14,
                       pad_y=12, cls="root")
    elif depth == 1:
        c = branch % len(BRANCHES)
        box = text_box([(label, 14.5, True, INK)], w, fill=TINTS[c], stroke=BRANCHES[c], stroke_width=2,
                       radius=10, cls="branch")
    else:
        c = branch % len(BRANCHES)
        box = text_box([(label, 13, False, INK)], w, fill="#ffffff", stroke=BRANCHES[c], stroke_width=1.2,
                       radius=6, pad_y=6, cls="leaf")
    n = _MNode(box, depth, branch)
    for i, child in enumerate(node.children):
        n.children.append(_mm_build(child, depth + 1, i if depth == 0 else branch))
    return n


def _mm_span(n: _MNode) -> float:
    kids = sum(_mm_span(c) for c in n.children) + MM_VGAP * max(0, len(n.children) - 1)
    n.span = max(n.box.h, kids)
    return n.span


def _mm_place(n: _MNode, x_edge: float, top: float, side: int):
    """x_edge: the inner edge (towards the root) of this node's column."""
    n.box.x = x_edge if side > 0 else x_edge - n.box.w
    n.box.y = top + (n.span - n.box.h) / 2
    kids = sum(c.span for c in n.children) + MM_VGAP * max(0, len(n.children) - 1)
    y = top + (n.span - kids) / 2
    nxt = x_edge + side * (n.box.w + MM_HGAP)
    for c in n.children:
        _mm_place(c, nxt, y, side)
        y += c.span + MM_VGAP


def _mm_depth_width(nodes) -> float:
    """Width of the columns beyond the root on one side."""
    deepest = 0

    def walk(n):
        nonlocal deepest
        deepest = max(deepest, n.depth)
        for c in n.children:
            walk(c)
    for n in nodes:
        walk(n)
    return sum(MM_WIDTHS[min(d, len(MM_WIDTHS) - 1)] + MM_HGAP for d in range(1, deepest + 1)) if nodes else 0


def _mindmap(cv: Canvas):
    p = cv.project
    if not p.mindmap:
        return _empty(cv)
    root = _mm_build(p.mindmap, 0, 0)
    half = math.ceil(len(root.children) / 2)
    right, left = root.children[:half], root.children[half:][::-1]
    for n in root.children:
        _mm_span(n)
    span = {s: sum(n.span for n in nodes) + MM_VGAP * max(0, len(nodes) - 1)
            for s, nodes in (("r", right), ("l", left))}
    height = max(span["r"], span["l"], root.box.h) + 2 * MM_MARGIN
    lw, rw = _mm_depth_width(left), _mm_depth_width(right)
    width = MM_MARGIN + lw + root.box.w + rw + MM_MARGIN
    root.box.x = MM_MARGIN + lw
    root.box.y = (height - root.box.h) / 2
    for side, nodes, s in ((1, right, span["r"]), (-1, left, span["l"])):
        y = (height - s) / 2
        edge = root.box.x + root.box.w + MM_HGAP if side > 0 else root.box.x - MM_HGAP
        for n in nodes:
            _mm_place(n, edge, y, side)
            y += n.span + MM_VGAP

    def draw(n: _MNode, parent: _MNode | None):
        if parent is not None:
            side = 1 if n.box.x > parent.box.x else -1
            x1 = parent.box.x + (parent.box.w if side > 0 else 0)
            x2 = n.box.x + (0 if side > 0 else n.box.w)
            y1, y2 = parent.box.cy, n.box.cy
            mid = (x1 + x2) / 2
            colour = BRANCHES[n.branch % len(BRANCHES)]
            cv.el("links", "path", d=f"M{_n(x1)},{_n(y1)} C{_n(mid)},{_n(y1)} {_n(mid)},{_n(y2)} {_n(x2)},{_n(y2)}",
                  fill="none", stroke=colour, stroke_width=3 if n.depth == 1 else 1.8, stroke_linecap="round")
        cv.box(n.box)
        for c in n.children:
            draw(c, n)
    draw(root, None)
    return width, height


# ---- timeline -----------------------------------------------------------------------

TL_WIDTH, TL_CARD, TL_AXIS_GAP, TL_VGAP, TL_MARGIN = 780, 320, 34, 18, 20


def _timeline(cv: Canvas):
    steps = cv.project.timeline
    if not steps:
        return _empty(cv)
    axis = TL_WIDTH / 2
    y = TL_MARGIN + 10
    cards = []
    for i, s in enumerate(steps):
        card = text_box([(plain(s.label), 14.5, True, INK), (plain(s.text), 12.5, False, MUTED)],
                        TL_CARD, anchor="start", fill="#ffffff", stroke=BRANCHES[i % len(BRANCHES)],
                        stroke_width=1.8, radius=8, cls="step")
        right = i % 2 == 0
        card.x = axis + TL_AXIS_GAP if right else axis - TL_AXIS_GAP - TL_CARD
        card.y = y
        date_size = 14
        date_w = metrics(True).width(s.shown_date, date_size) + 24
        date = text_box([(s.shown_date, date_size, True, "#ffffff")], date_w, fill=BRANCHES[i % len(BRANCHES)],
                        stroke_width=0, radius=13, pad_x=12, pad_y=5, cls="date")
        date.x = axis - TL_AXIS_GAP + 12 - date_w if right else axis + TL_AXIS_GAP - 12
        date.y = y + 10
        cards.append((card, date, i))
        y += max(card.h, date.h + 20) + TL_VGAP
    height = y - TL_VGAP + TL_MARGIN + 22
    cv.el("back", "line", x1=_n(axis), y1=_n(TL_MARGIN), x2=_n(axis), y2=_n(height - TL_MARGIN),
          stroke="#9aa5b1", stroke_width=4, stroke_linecap="round", marker_end=cv.arrow)
    for card, date, i in cards:
        cy = date.cy
        colour = BRANCHES[i % len(BRANCHES)]
        edge = card.x if card.x > axis else card.x + card.w
        cv.el("links", "line", x1=_n(axis), y1=_n(cy), x2=_n(edge), y2=_n(cy), stroke=colour, stroke_width=2)
        cv.el("front", "circle", cx=_n(axis), cy=_n(cy), r="8", fill="#ffffff", stroke=colour, stroke_width=4)
        cv.box(card)
        cv.box(date)
    return TL_WIDTH, height


# ---- organisation chart ----------------------------------------------------------------

OC_W, OC_HGAP, OC_VGAP, OC_MARGIN, OC_MIN_WIDTH = 210, 56, 84, 24, 760


def _orgchart(cv: Canvas):
    p = cv.project
    if not p.actors:
        return _empty(cv)
    names = {a.id: plain(a.name) for a in p.actors}
    kids: dict = {}
    for a in p.actors:
        kids.setdefault(a.parent if a.parent in names else None, []).append(a)
    boxes: dict = {}
    depth: dict = {}

    def make(a, d):
        boxes[a.id] = text_box([(names[a.id], 14, True, INK), (plain(a.role) if a.role else "", 12, False, MUTED)],
                               OC_W, fill=TINTS[0] if d == 0 else "#ffffff", stroke=ACCENT,
                               stroke_width=2 if d == 0 else 1.4, radius=8, cls="actor")
        depth[a.id] = d
        for c in kids.get(a.id, []):
            make(c, d + 1)
    for a in kids.get(None, []):
        make(a, 0)
    levels = max(depth.values()) + 1
    row_h = [max(boxes[i].h for i in boxes if depth[i] == d) for d in range(levels)]
    for key, b in boxes.items():  # one height per row: tidier
        b.h_min = row_h[depth[key]]
    row_y = [OC_MARGIN + 16]  # room for curves over the first row
    for d in range(1, levels):
        row_y.append(row_y[-1] + row_h[d - 1] + OC_VGAP)
    # tidy tree: leaves take consecutive slots, parents centre over children
    slot = [0]

    def place(a) -> float:
        cs = kids.get(a.id, [])
        if cs:
            centres = [place(c) for c in cs]
            cx = (centres[0] + centres[-1]) / 2
        else:
            cx = slot[0] * (OC_W + OC_HGAP) + OC_W / 2
            slot[0] += 1
        b = boxes[a.id]
        b.x, b.y = cx - OC_W / 2, row_y[depth[a.id]]
        return cx
    for a in kids.get(None, []):
        place(a)
    used = slot[0] * (OC_W + OC_HGAP) - OC_HGAP
    width = max(OC_MIN_WIDTH, used + 2 * OC_MARGIN)
    shift = (width - used) / 2
    for b in boxes.values():
        b.x += shift
    chart_bottom = row_y[-1] + row_h[-1]
    # hierarchy links (elbows)
    for a in p.actors:
        if a.parent in boxes:
            pb, cb = boxes[a.parent], boxes[a.id]
            mid = pb.y + pb.h + OC_VGAP * 0.35
            cv.el("links", "path", d=f"M{_n(pb.cx)},{_n(pb.y + pb.h)} V{_n(mid)} H{_n(cb.cx)} V{_n(cb.y)}",
                  fill="none", stroke="#8a96a3", stroke_width=2)
    # relations: curved dashed arrows with a numbered badge, and a legend
    legend_y = chart_bottom + 50
    badges = []
    for i, r in enumerate(p.relations, start=1):
        if r.source not in boxes or r.target not in boxes or r.source == r.target:
            continue  # still listed in the legend
        colour = BRANCHES[(i - 1) % len(BRANCHES)]
        s, t = boxes[r.source], boxes[r.target]
        others = [b for b in boxes.values() if b is not s and b is not t]
        (x1, y1), (qx, qy), (x2, y2) = _route(s, t, others, (0, 0, width, chart_bottom + 36))
        cv.el("links", "path", d=f"M{_n(x1)},{_n(y1)} Q{_n(qx)},{_n(qy)} {_n(x2)},{_n(y2)}", fill="none",
              stroke=colour, stroke_width=2.2, stroke_dasharray="7 5", marker_end=cv.arrow)
        bx, by = _badge_spot((x1, y1), (qx, qy), (x2, y2), list(boxes.values()), badges)
        badges.append((bx, by))
        cv.el("front", "circle", cx=_n(bx), cy=_n(by), r="12", fill=colour, stroke="#ffffff", stroke_width=2)
        cv.label("front", str(i), bx, by + 4.5, 13, True, "#ffffff")
    y = legend_y
    colon = _colon(cv.lang)
    legend_w = width - 2 * OC_MARGIN
    for i, r in enumerate(p.relations, start=1):
        colour = BRANCHES[(i - 1) % len(BRANCHES)]
        text = f"{names.get(r.source, r.source)} → {names.get(r.target, r.target)}{colon}{plain(r.label)}"
        item = text_box([(text, 13, False, INK)], legend_w - 34, anchor="start", fill="#ffffff", stroke_width=0,
                        radius=0, pad_x=4, pad_y=4, cls="legend")
        item.x, item.y = OC_MARGIN + 34, y
        cv.el("front", "circle", cx=_n(OC_MARGIN + 14), cy=_n(y + 4 + 13 * LINE / 2), r="11", fill=colour)
        cv.label("front", str(i), OC_MARGIN + 14, y + 4 + 13 * LINE / 2 + 4.5, 12, True, "#ffffff")
        cv.box(item)
        y += item.h + 4
    for b in boxes.values():
        cv.box(b)
    height = (y if p.relations else chart_bottom) + OC_MARGIN
    return width, height


def _border_point(b: Box, tx: float, ty: float) -> tuple:
    """Where the segment from the centre of `b` towards (tx, ty) leaves the box."""
    dx, dy = tx - b.cx, ty - b.cy
    if dx == 0 and dy == 0:
        return b.cx, b.cy
    sx = (b.w / 2) / abs(dx) if dx else math.inf
    sy = (b.h / 2) / abs(dy) if dy else math.inf
    s = min(sx, sy)
    return b.cx + dx * s, b.cy + dy * s


def _quad(p0, p1, p2, t):
    u = 1 - t
    return (u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1])


def _inside(x, y, b: Box, margin: float) -> bool:
    return b.x - margin < x < b.x + b.w + margin and b.y - margin < y < b.y + b.h + margin


def _route(s: Box, t: Box, others: list, frame: tuple) -> tuple:
    """A quadratic curve from box `s` to box `t` that crosses as few other
    boxes as it can (and stays in the frame): bends of growing size on
    either side are tried, the first with the fewest hits wins."""
    dx, dy = t.cx - s.cx, t.cy - s.cy
    length = math.hypot(dx, dy) or 1
    best = None
    for factor in (0.18, -0.18, 0.35, -0.35, 0.55, -0.55, 0.8, -0.8, 1.1, -1.1):
        bend = factor * length + math.copysign(14, factor)
        q = ((s.cx + t.cx) / 2 - dy / length * bend, (s.cy + t.cy) / 2 + dx / length * bend)
        p0, p2 = _border_point(s, *q), _border_point(t, *q)
        hits = 0
        for k in range(1, 25):
            x, y = _quad(p0, q, p2, k / 25)
            hits += sum(_inside(x, y, b, 6) for b in others)
            hits += 2 * (not (frame[0] + 4 < x < frame[2] - 4 and frame[1] + 4 < y < frame[3]))
        if best is None or hits < best[0]:
            best = (hits, (p0, q, p2))
        if hits == 0:
            break
    return best[1]


def _badge_spot(p0, p1, p2, boxes, taken) -> tuple:
    """A point of the curve, as near its middle as possible, where a badge
    covers no box and no other badge."""
    def free(x, y):
        r = 14
        return not any(_inside(x, y, b, r) for b in boxes) and all(math.hypot(x - a, y - b) > 2 * r for a, b in taken)
    for step in range(0, 12):
        for t in ((0.5 + step * 0.04, 0.5 - step * 0.04) if step else (0.5,)):
            x, y = _quad(p0, p1, p2, t)
            if free(x, y):
                return x, y
    return _quad(p0, p1, p2, 0.5)


def _empty(cv: Canvas):
    return 320, 40


DRAW = {"mindmap": _mindmap, "timeline": _timeline, "orgchart": _orgchart}


def diagram_svg(course: m.Course, project: m.Project, kind: str) -> bytes:
    if kind not in DRAW:
        raise ValueError(f"unknown diagram kind {kind!r} (expected one of {', '.join(KINDS)})")
    cv = Canvas(course, project, kind)
    width, height = DRAW[kind](cv)
    return cv.render(width, height)

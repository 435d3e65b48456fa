"""The fonts shipped in assets/fonts/ (DejaVu Sans, see its README) and their
metrics, shared by the PDF sheets and the SVG diagrams.

`text_width(text, size, bold=False)` is the advance width of a line of text
in the unit of `size` (points in a PDF, user units in an SVG), computed from
the font's own horizontal metrics without kerning (kerning only ever narrows
DejaVu text, so a width measured without it is an upper bound).
`wrap(text, width, size, bold)` breaks a label into lines that each fit.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_DIR = Path(__file__).with_name("fonts")
FILES = {
    "": FONT_DIR / "DejaVuSans.ttf",
    "B": FONT_DIR / "DejaVuSans-Bold.ttf",
    "I": FONT_DIR / "DejaVuSans-Oblique.ttf",
}
FAMILY = "DejaVu Sans"


class _Advances(dict):
    """Advance widths by character; .notdef's for a character the font lacks."""

    def __init__(self, notdef: int):
        super().__init__()
        self.notdef = notdef

    def __missing__(self, char: str) -> int:
        return self.notdef


class Metrics:
    def __init__(self, path: Path):
        font = TTFont(str(path), lazy=True, recalcTimestamp=False)
        self.units = font["head"].unitsPerEm
        self.ascent = font["hhea"].ascent / self.units
        self.descent = -font["hhea"].descent / self.units
        cmap = font.getBestCmap()
        hmtx = font["hmtx"].metrics
        notdef = hmtx[".notdef"][0]
        self._advance = _Advances(notdef)   # by character: summed by map() in C, no ord() per character
        self._advance.update((chr(code), hmtx[name][0]) for code, name in cmap.items())
        self._notdef = notdef
        self.cmap = cmap
        self._font = font
        self._outlines: dict[int, str] = {}
        self._glyphs: dict[str, tuple] = {}

    def advance(self, char: str) -> int:
        """The advance width of a character, in font units."""
        return self._advance[char]

    def glyph_id(self, char: str) -> int:
        """The glyph index that draws `char` (0, .notdef, when there is none)."""
        name = self.cmap.get(ord(char))
        return self._font.getGlyphID(name) if name else 0

    def glyph(self, char: str) -> tuple[int, int, bool]:
        """(glyph index, advance, whether it has an outline to draw)."""
        found = self._glyphs.get(char)
        if found is None:
            gid = self.glyph_id(char)
            found = self._glyphs[char] = (gid, self._advance[char], bool(self.outline(gid)))
        return found

    def outline(self, gid: int) -> str:
        """The glyph's outline as SVG path data, in font units, y up ("" for
        a blank glyph such as the space)."""
        found = self._outlines.get(gid)
        if found is None:
            from fontTools.pens.svgPathPen import SVGPathPen
            glyphs = self._font.getGlyphSet()
            pen = SVGPathPen(glyphs, ntos=lambda v: str(round(v)))
            glyphs[self._font.getGlyphName(gid)].draw(pen)
            found = self._outlines[gid] = pen.getCommands()
        return found

    def width(self, text: str, size: float) -> float:
        return sum(map(self._advance.__getitem__, text)) * size / self.units

    def missing(self, text: str) -> set:
        """Characters of `text` the font has no glyph for."""
        return {c for c in text if ord(c) not in self.cmap and not c.isspace()}


@lru_cache(maxsize=None)
def metrics(bold: bool = False, italic: bool = False) -> Metrics:
    return Metrics(FILES["B" if bold else "I" if italic else ""])


def text_width(text: str, size: float, bold: bool = False) -> float:
    return metrics(bold).width(text, size)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy line breaking at spaces (and after a hyphen or a slash inside a
    word); a word longer than the whole width is cut between characters.
    Joining the lines with spaces gives back the text, except at those breaks."""
    m = metrics(bold)
    lines: list[str] = []
    line = ""
    for piece, glued in break_pieces(" ".join(text.split())):
        candidate = piece if not line else line + ("" if glued else " ") + piece
        if m.width(candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        while m.width(piece, size) > width:  # a word wider than the box
            cut = max(1, _fit(piece, width, size, m))
            lines.append(piece[:cut])
            piece = piece[cut:]
        line = piece
    if line:
        lines.append(line)
    return lines or [""]


def break_pieces(text: str) -> list[tuple[str, bool]]:
    """Words, and inside a word the parts after a '-' or '/' (glued: True)."""
    out = []
    for word in text.split(" "):
        if not word:
            continue
        start = 0
        for i, c in enumerate(word[:-1]):
            if c in "-/" and i > 0:
                out.append((word[start:i + 1], start > 0))
                start = i + 1
        out.append((word[start:], start > 0))
    return out


def _fit(word: str, width: float, size: float, m: Metrics) -> int:
    n = 0
    while n < len(word) and m.width(word[:n + 1], size) <= width:
        n += 1
    return n

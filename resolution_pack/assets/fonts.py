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


class Metrics:
    def __init__(self, path: Path):
        font = TTFont(str(path), lazy=True, recalcTimestamp=False)
        self.units = font["head"].unitsPerEm
        self.ascent = font["hhea"].ascent / self.units
        self.descent = -font["hhea"].descent / self.units
        cmap = font.getBestCmap()
        hmtx = font["hmtx"].metrics
        notdef = hmtx[".notdef"][0]
        self._advance = {code: hmtx[name][0] for code, name in cmap.items()}
        self._notdef = notdef
        self.cmap = cmap

    def width(self, text: str, size: float) -> float:
        adv = self._advance
        return sum(adv.get(ord(c), self._notdef) for c in text) * size / self.units

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


# Characters a base subset keeps (Latin, Latin-1, Latin Extended-A and B,
# general punctuation, currency, arrows): every diagram of the six languages
# is cut from this small font, which is much faster than from the full one.
BASE_RANGES = ((0x20, 0x24F), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x21FF), (0x2212, 0x2212),
               (0x2248, 0x2248), (0x2500, 0x25FF))   # U+2248: indicative timeline dates


def _in_base(code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in BASE_RANGES)


def _subset(data_or_path, unicodes, flavor=None) -> bytes:
    import logging
    from io import BytesIO

    from fontTools import subset

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    source = BytesIO(data_or_path) if isinstance(data_or_path, bytes) else str(data_or_path)
    font = TTFont(source, recalcTimestamp=False, lazy=True)
    # no layout tables: no kerning nor ligatures, so that a renderer draws
    # exactly the advance widths that text_width() adds up
    for tag in ("GSUB", "GPOS", "GDEF", "kern", "FFTM"):
        if tag in font:
            del font[tag]
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.glyph_names = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    options.flavor = flavor
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(unicodes))
    sub.subset(font)
    out = BytesIO()
    font.flavor = flavor
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=None)
def _base_font(bold: bool) -> bytes:
    path = FILES["B" if bold else ""]
    cmap = metrics(bold).cmap
    return _subset(path, [c for c in cmap if _in_base(c)])


@lru_cache(maxsize=256)
def woff_subset(chars: str, bold: bool = False) -> bytes:
    """A WOFF font holding only the glyphs of `chars`, for embedding in an
    SVG; the copyright and licence names are kept, kerning and hinting are
    not. Deterministic: no timestamp is recomputed."""
    codes = {ord(c) for c in chars} | {0x20}
    source = _base_font(bold) if all(_in_base(c) for c in codes) else FILES["B" if bold else ""]
    return _subset(source, codes, flavor="woff")


def _cache_dir() -> Path:
    import os
    import tempfile
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for root in (base, tempfile.gettempdir()):
        folder = Path(root) / "resolution-pack" / "fonts"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return folder
        except OSError:
            continue
    raise OSError("no writable cache folder for the PDF fonts")


@lru_cache(maxsize=None)
def pdf_font_files(full: bool = False) -> dict:
    """The font files the PDF sheets load, by style ("", "B", "I").

    By default these are the shipped fonts cut to `BASE_RANGES` (all the
    Latin scripts, punctuation, arrows): fpdf2 opens and subsets them about
    three times faster than the full fonts. They are made once and kept in a
    cache folder (~/.cache/resolution-pack/fonts, or the temporary folder),
    named after the source file's size and the fontTools version, and written
    atomically (parallel builds share them). `full=True`, which a sheet uses
    when its text has a character outside those ranges, gives the shipped files.
    """
    if full:
        return dict(FILES)
    import hashlib

    import fontTools

    from .. import atomic
    try:
        folder = _cache_dir()
    except OSError:
        return dict(FILES)
    out = {}
    for style, path in FILES.items():
        key = hashlib.sha1(repr((path.stat().st_size, BASE_RANGES, fontTools.version)).encode()).hexdigest()[:12]
        target = folder / f"{path.stem}-base-{key}.ttf"
        if not target.exists():
            cmap = metrics(style == "B", style == "I").cmap
            data = _subset(path, [c for c in cmap if _in_base(c)])
            atomic.write_bytes(target, data)
        out[style] = target
    return out


def in_base(text: str) -> bool:
    """Whether every character of `text` is in the base cut of the fonts."""
    return all(_in_base(ord(c)) or c in "\n\t" for c in text)

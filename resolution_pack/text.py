"""Text for the targets: rich fields become safe HTML, plain fields text.

Rich fields hold an inline HTML subset; they are passed through the
sanitiser below (nh3), which also checks translations (i18n/markup.py), so
that nothing else can reach an archive whatever the sources or the PO files
say. Paragraphs are separated by blank lines.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markupsafe import Markup

INLINE_TAGS = {"strong", "em", "a", "br", "abbr", "code", "cite", "q", "b", "i", "sup", "sub"}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}
_BLANK_LINES = re.compile(r"\n\s*\n")
# what XML cannot carry or should not: C0 controls but tab and line ends, DEL
# and C1 controls, lone surrogates, the non-characters U+FFFE and U+FFFF
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


_NEWLINE = re.compile(r"\r\n|\r|\n")


def file_lines(text: str) -> list[str]:
    """The lines of a file as editors number them. str.splitlines() also
    splits at \x1c-\x1e, \x85, U+2028 and U+2029, which a text may hold:
    then every line number after it is wrong."""
    lines = _NEWLINE.split(text) if "\r" in text else text.split("\n")   # the same lines, 8x faster
    return lines[:-1] if lines and lines[-1] == "" else lines


def control_characters(text: str) -> list[str]:
    """The control characters in `text`, as sorted U+XXXX names."""
    return sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(text)})


def without_control_characters(text: str) -> str:
    return CONTROL.sub("", text)


# what a Moodle restore rewrites in a text: file and link markers of a backup
MOODLE_MARKER = re.compile(r"@@PLUGINFILE@@|\$@[A-Z][A-Z0-9_]*(\*[^@$\s]*)?@\$")


def moodle_markers(text: str) -> list[str]:
    """Backup markers in a text ('@@PLUGINFILE@@', '$@PAGEVIEWBYID*3@$'):
    the restore would turn them into links of its own."""
    return sorted({m.group(0) for m in MOODLE_MARKER.finditer(text)})


@lru_cache(maxsize=4096)
def sanitise(text: str) -> str:
    """Only the inline subset, http(s) and mailto links, no comments.
    (The targets clean each text of an edition four times over: kept.)"""
    return nh3.clean(text, tags=INLINE_TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True)


def inline(text: str | None) -> Markup:
    """A rich field as inline HTML (no paragraph tags)."""
    if not text:
        return Markup("")
    return Markup(sanitise(" ".join(text.split())))


def paragraphs(text: str | None) -> Markup:
    """A rich field as a sequence of <p> elements."""
    if not text:
        return Markup("")
    parts = [p.strip() for p in _BLANK_LINES.split(text.strip()) if p.strip()]
    return Markup("".join(f"<p>{sanitise(' '.join(p.split()))}</p>" for p in parts))


def plain(text: str | None) -> str:
    """A plain field, whitespace folded (escaping is the renderer's job)."""
    return " ".join((text or "").split())


def to_text(text: str | None) -> str:
    """A rich field reduced to plain text (for titles, names, alt text)."""
    if not text:
        return ""
    stripped = re.sub(r"<[^>]*>", "", sanitise(text))  # input is already sanitised markup
    return " ".join(html.unescape(stripped).split())

"""Text for the targets: rich fields become safe HTML, plain fields text.

Rich fields hold an inline HTML subset; they are passed through the same
sanitiser that checks translations, so that nothing else can reach an
archive whatever the sources or the PO files say. Paragraphs are separated by
blank lines.
"""
from __future__ import annotations

import html
import re

from markupsafe import Markup

from .i18n.markup import sanitise

_BLANK_LINES = re.compile(r"\n\s*\n")


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

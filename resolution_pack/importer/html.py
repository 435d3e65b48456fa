"""Moodle HTML back into the source format's text.

Rich fields hold paragraphs (separated by a blank line) of inline HTML from
a small subset (see docs/source-format.md); plain fields hold text. Moodle
fields hold any HTML: blocks are turned into paragraphs, lists and images
into page parts, and whatever the format cannot hold is counted in `Losses`
(for the import report) rather than dropped without a word. Parsing is
lxml's HTML parser; nothing is matched with regular expressions over HTML.
"""
from __future__ import annotations

import html as _html
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from ..i18n.markup import tags
from ..text import INLINE_TAGS, sanitise

BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "blockquote", "pre",
          "figure", "section", "article", "details", "dl", "hr", "video", "audio", "iframe", "form"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN = 0, 1, 2, 4


@dataclass
class Losses:
    """What the source format could not keep from one field, by kind."""
    counts: Counter = field(default_factory=Counter)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] += n

    def __bool__(self) -> bool:
        return bool(self.counts)

    def describe(self) -> str:
        return ", ".join(f"{what} ×{n}" if n > 1 else what for what, n in sorted(self.counts.items()))


def fragment(text: str | None):
    """The HTML as the children of one <div> (comments and PIs removed)."""
    root = lxml_html.fragment_fromstring(text or "", create_parent="div")
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop_keep_tail(node)
    return root


def _drop_keep_tail(node) -> None:
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail or ""
    prev = node.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def text_of(node) -> str:
    """Plain text of an element, white space folded."""
    if node is None:
        return ""
    return " ".join("".join(node.itertext()).split())


def plain(value: str | None, fmt: int = FORMAT_HTML) -> str:
    """A Moodle text field as plain text (titles, names, answers)."""
    if not value:
        return ""
    if fmt == FORMAT_PLAIN or "<" not in value and "&" not in value:
        return " ".join(value.split())
    return text_of(fragment(value))


def escape(text: str) -> str:
    return _html.escape(text, quote=False)


def inner(node) -> str:
    """The inline HTML inside `node` (its text and children, not its tags)."""
    out = [_html.escape(node.text or "", quote=False)]
    for child in node:
        out.append(lxml_html.tostring(child, encoding=str, with_tail=True))
    return "".join(out)


def inline(value: str, losses: Losses | None = None) -> str:
    """Inline HTML reduced to the subset the format accepts, white space folded."""
    cleaned = sanitise(" ".join(value.split()))
    if losses is not None:
        before = Counter(t for t, _ in tags(value) if t not in INLINE_TAGS)
        for tag, n in before.items():
            losses.add(f"<{tag}> removed", n)
    return cleaned.strip()


def rich(value: str | None, fmt: int = FORMAT_HTML, losses: Losses | None = None) -> str | None:
    """A Moodle HTML field as a rich text: one paragraph per block, inline
    markup kept where the format allows it."""
    if not value or not value.strip():
        return None
    if fmt == FORMAT_PLAIN:
        paragraphs = [" ".join(p.split()) for p in value.split("\n\n")]
        return "\n\n".join(_html.escape(p, quote=False) for p in paragraphs if p) or None
    if fmt == FORMAT_MARKDOWN and losses is not None:
        losses.add("Markdown kept as text")
    root = fragment(value)
    paragraphs = [p for p in (inline(x, losses) for x in blocks(root, losses)) if p]
    return "\n\n".join(paragraphs) or None


def blocks(root, losses: Losses | None = None) -> list[str]:
    """The inline HTML of each paragraph-like block under `root`; loose
    inline content between blocks becomes a paragraph of its own."""
    out: list[str] = []
    loose = [_html.escape(root.text or "", quote=False)]

    def flush():
        text = "".join(loose).strip()
        if text:
            out.append(text)
        loose.clear()

    for child in root:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in BLOCKS:
            flush()
            out.extend(block_texts(child, losses))
            loose.append(_html.escape(child.tail or "", quote=False))
        elif tag == "br" and child.tail is None and not loose:
            continue
        else:
            loose.append(lxml_html.tostring(child, encoding=str, with_tail=True))
    flush()
    return out


def block_texts(node, losses: Losses | None) -> list[str]:
    tag = node.tag
    if tag in ("p",) + tuple(HEADINGS):
        if losses is not None and tag != "p":
            losses.add(f"<{tag}> kept as a paragraph")
        for img in node.iter("img"):
            if losses is not None:
                losses.add("<img> in a text removed")
        return [inner(node)]
    if tag in ("ul", "ol", "dl", "table", "blockquote", "pre", "details", "figure", "hr", "video", "audio",
               "iframe", "form") and losses is not None:
        losses.add(f"<{tag}> flattened to paragraphs" if tag not in ("video", "audio", "iframe", "form", "hr")
                   else f"<{tag}> removed")
    if tag in ("video", "audio", "iframe", "form", "hr"):
        return []
    if tag in ("ul", "ol", "dl", "table"):
        return [inner(li) for li in node.iter("li", "dt", "dd", "td", "th") if text_of(li)]
    return blocks(node, losses)


def is_empty(value: str | None) -> bool:
    return not value or not text_of(fragment(value)) and "<img" not in value

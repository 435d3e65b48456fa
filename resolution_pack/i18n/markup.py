"""Markup checks on translated strings.

A translation comes from outside: it may only carry the markup its source
string has. Tags are read with an HTML parser and the result is compared with
what the sanitiser the targets use keeps (text.py, nh3), never with
regular expressions over HTML.
"""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from ..text import control_characters, moodle_markers, sanitise

PLACEHOLDER = re.compile(r"\[\[\d+\]\]|\{[a-z_]+\}")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted(attrs, key=lambda a: a[0]))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def tags(text: str) -> list[tuple[str, tuple]]:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.tags


def problems(msgid: str, msgstr: str, rich: bool) -> list[str]:
    """What is wrong with `msgstr` as a translation of `msgid` (empty: fine)."""
    found = []
    controls = control_characters(msgstr)
    if controls:
        found.append("control characters " + ", ".join(controls))
    markers = moodle_markers(msgstr)
    if markers:
        found.append(f"{', '.join(markers)} is a marker of Moodle backups (the restore would turn it into a link)")
    if "<" not in msgid and "<" not in msgstr:
        # no markup on either side: only the placeholders can differ
        return found + _placeholder_problems(msgid, msgstr)
    src_tags, dst_tags = tags(msgid), tags(msgstr)
    for tag, attrs in dst_tags:
        if tag in ("script", "iframe", "object", "embed", "style", "form", "svg", "math"):
            found.append(f"forbidden element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"forbidden event attribute {name}= on <{tag}>")
            if name in ("href", "src", "action", "formaction") and value and \
                    re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "vbscript:", "data:")):
                found.append(f"forbidden URL scheme in {name}= on <{tag}>")
    if not rich and dst_tags and not src_tags:
        found.append("markup in a plain-text string")
    src_names = Counter(t for t, _ in src_tags)
    dst_names = Counter(t for t, _ in dst_tags)
    if src_names != dst_names:
        missing = src_names - dst_names
        extra = dst_names - src_names
        if missing:
            found.append("tags dropped: " + ", ".join(f"<{t}>" for t in sorted(missing.elements())))
        if extra:
            found.append("tags added: " + ", ".join(f"<{t}>" for t in sorted(extra.elements())))
    if rich and not found and sanitise(msgstr) != sanitise(sanitise(msgstr)):
        found.append("markup the sanitiser does not accept")
    if rich and not found:
        kept = Counter(t for t, _ in tags(sanitise(msgstr)))
        if kept != dst_names:
            found.append("markup the sanitiser removes: " + ", ".join(
                f"<{t}>" for t in sorted((dst_names - kept).elements())))
    hrefs_src = sorted(dict(a).get("href", "") for t, a in src_tags if t == "a")
    hrefs_dst = sorted(dict(a).get("href", "") for t, a in dst_tags if t == "a")
    if not found and hrefs_src != hrefs_dst:
        found.append("link targets changed (href must stay as in the source)")
    return found + _placeholder_problems(msgid, msgstr)


def _placeholder_problems(msgid: str, msgstr: str) -> list[str]:
    found = []
    ph_src, ph_dst = Counter(PLACEHOLDER.findall(msgid)), Counter(PLACEHOLDER.findall(msgstr))
    if ph_src != ph_dst:
        missing = sorted((ph_src - ph_dst).elements())
        extra = sorted((ph_dst - ph_src).elements())
        if missing:
            found.append("placeholders dropped: " + " ".join(missing))
        if extra:
            found.append("placeholders added: " + " ".join(extra))
    return found

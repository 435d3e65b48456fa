"""Stable ids for imported objects, never from Moodle's database ids.

An idnumber becomes the id where it has the form the source format expects;
otherwise the id is the slug of the object's title, made unique within its
owner by a counter in document order (the same backup gives the same ids).
"""
from __future__ import annotations

import re
import unicodedata

LOCAL_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_ID = 40          # what the format accepts
SLUG_LENGTH = 30     # what a slug made from a title is cut to (at a word)


def slug(text: str, fallback: str = "item") -> str:
    """'Partie 1 : définir les publics' -> 'partie-1-definir-les-publics'."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > SLUG_LENGTH:
            break
        out = candidate
    if not out and words:
        out = words[0][:SLUG_LENGTH]
    return out or fallback


def is_local_id(text: str | None) -> bool:
    return bool(text) and len(text) <= MAX_ID and bool(LOCAL_ID.match(text))


class Names:
    """Hands out unique local ids within one owner (a section, a quiz...)."""

    def __init__(self):
        self.taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        name = wanted
        n = 2
        while name in self.taken:
            suffix = f"-{n}"
            name = wanted[: MAX_ID - len(suffix)].rstrip("-") + suffix
            n += 1
        self.taken.add(name)
        return name

    def reserve(self, names) -> None:
        self.taken.update(names)


def split_idnumber(idnumber: str | None, owner: str | None = None) -> tuple[str, str] | None:
    """('mooc-1', 'video-intro') for 'mooc-1.video-intro': the owner and the
    local id, when the idnumber is one of ours (and under `owner`, if given)."""
    if not idnumber or "." not in idnumber:
        return None
    head, _, local = idnumber.rpartition(".")
    if not is_local_id(local) or (owner is not None and head != owner):
        return None
    if not all(is_local_id(part) for part in head.split(".")):
        return None
    return head, local

"""Deterministic ids for a Moodle backup.

Moodle remaps every id of a backup on restore; inside the archive the ids only
have to be unique per kind of record and consistent from one XML file to the
next. They are derived from the stable source ids (a hash of kind + key into a
large range), so that the same sources give the same archive, and an edit
elsewhere in the course does not renumber everything.
"""
from __future__ import annotations

import hashlib

LOW = 100_000            # above any id a fresh Moodle site uses (1 = system context, 2 = admin, ...)
HIGH = 2_000_000_000     # below 2**31: fits every integer column Moodle has


class Ids:
    """`ids(kind, key)` gives the id of record `key` of table-like `kind`.

    The same (kind, key) always gives the same id; two keys of one kind never
    share an id (a collision, rare in a 2e9 range, moves the later key on to
    the next free hash, which stays deterministic because the model is always
    walked in the same order).
    """

    def __init__(self, salt: str = ""):
        self.salt = salt
        self._ids: dict[str, dict[str, int]] = {}
        self._used: dict[str, set[int]] = {}

    def __call__(self, kind: str, key: str) -> int:
        known = self._ids.setdefault(kind, {})
        found = known.get(key)
        if found is not None:
            return found
        used = self._used.setdefault(kind, set())
        attempt = 0
        while True:
            value = _hash(f"{self.salt}\x00{kind}\x00{key}\x00{attempt}")
            if value not in used:
                break
            attempt += 1
        used.add(value)
        known[key] = value
        return value


def _hash(text: str) -> int:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return LOW + int.from_bytes(digest[:8], "big") % (HIGH - LOW)


def stable_hex(text: str, size: int = 32) -> str:
    """A deterministic hex string (backup ids, site hashes)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]

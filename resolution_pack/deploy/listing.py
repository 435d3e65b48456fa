"""Short wording of lists and counts in verify's messages."""
from __future__ import annotations

from collections import Counter

LIST_LIMIT = 8


def n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def counter(counts: Counter) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(counts.items())) or "none"


def listing(items, limit: int = LIST_LIMIT) -> str:
    items = list(items)
    shown = ", ".join(str(x) for x in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def delta(wanted: list, have: list) -> str:
    """": missing a, b; not in the sources c" between two lists of names."""
    missing = [x for x in wanted if x not in set(have)]
    extra = [x for x in have if x not in set(wanted)]
    parts = []
    if missing:
        parts.append(f"missing {listing(missing)}")
    if extra:
        parts.append(f"not in the sources {listing(extra)}")
    return ": " + "; ".join(parts) if parts else ""

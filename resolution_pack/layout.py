"""Where things are in an output folder: one place for the names that the
build writes and that `check`, `deploy` and the tests read."""
from __future__ import annotations

from pathlib import Path

# the output folder's own state folder: lock, staging, manifest, journal
STATE = ".resolution-pack"
MANIFEST = "manifest.json"
JOURNAL = "journal.json"
LOCK = "lock"
# before the state folder existed: one manifest at the output's top (adopted by a build)
OLD_MANIFEST = ".resolution-pack-build.json"


def state_dir(out: Path) -> Path:
    return Path(out) / STATE


def manifest_path(out: Path) -> Path:
    return state_dir(out) / MANIFEST

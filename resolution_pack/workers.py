"""The processes that build the editions.

They are started before the course is loaded: a worker forked then holds the
imports only, not a copy of the parent's model (at 100x, ~0.7 GB of each
worker's resident memory when they were forked after the load), and it
imports what an edition needs while the parent loads. The course reaches
them as a pickle in a file of the build's work folder, each edition a fresh
copy of it.
"""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

COURSE_FILE = "course.pickle"

# the frozen course of a build run in this process (no file then)
_FROZEN: bytes | None = None


class Workers:
    """At most `jobs` worker processes, none for a build of one edition
    (`editions`: how many the build may make, None when not known yet)."""

    def __init__(self, jobs: int, editions: int | None):
        self.count = min(jobs, editions if editions is not None else jobs)
        self.pool = None

    def start(self) -> None:
        """Fork them (not done by a build that finds everything up to date)."""
        if self.count > 1 and self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=self.count)
            for _ in range(self.count):
                self.pool.submit(_warm_up)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def run(self, function, tasks: list, course, work: Path) -> list:
        """function(task) for every task: in the workers when there are,
        each reading the course from `work`; otherwise here."""
        global _FROZEN
        if not tasks:
            return []
        from .i18n.localise import freeze
        from .i18n.walk import fields
        frozen = freeze(course, list(fields(course)))
        if self.pool is None:
            _FROZEN = frozen
            try:
                return [function(task) for task in tasks]
            finally:
                _FROZEN = None
        (Path(work) / COURSE_FILE).write_bytes(frozen)
        return list(self.pool.map(function, tasks))


def course_copy(work) -> tuple:
    """A fresh copy of the build's course and its fields (thaw())."""
    from .i18n.localise import thaw
    return thaw(_FROZEN if _FROZEN is not None else (Path(work) / COURSE_FILE).read_bytes())


def _warm_up() -> None:
    """What every edition imports, imported while the parent loads."""
    from . import archive, assets, edition  # noqa: F401
    from .i18n import localise  # noqa: F401
    from .targets import load_targets
    load_targets(None)

"""The output folder: what a build may touch in it, and how archives get there.

A build keeps its lock, staging and work files and its manifest in the
output's own state folder, `<out>/.resolution-pack/`, and never writes
beside the output folder. The manifest lists every file our builds wrote
(size and sha256): a build replaces or removes only those. An output folder
that is not empty and holds no manifest of ours is refused.

Archives are rendered into the state folder and renamed into place one by
one (each rename is atomic: an archive is old or new, never half-written).
Before the renames a journal names the files about to be placed; the
manifest is written last. A build killed in between is recovered by the
next one, which reads the journal and so still knows those files are ours.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from . import atomic
from .errors import InputError, Problem
from .layout import JOURNAL, LOCK, MANIFEST, OLD_MANIFEST, STATE, state_dir

def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def write_json(path: Path, data) -> None:
    atomic.write_text(path, json.dumps(data, indent=1, sort_keys=True))


def _read_json(path: Path):
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def read_manifest(out: Path) -> dict:
    """The last complete build's manifest ({} if none)."""
    data = _read_json(state_dir(out) / MANIFEST)
    return data if isinstance(data, dict) else {}


def refuse_foreign(out: Path, sources: Path) -> None:
    """Refuse, before anything is created, an output folder that is not
    ours: a file, the sources or a folder holding them, or a non-empty
    folder that no build of ours made."""
    out, sources = Path(out), Path(sources)
    where = str(out)
    if out.exists() and not out.is_dir():
        raise InputError(Problem(where, 0, 0, "the output folder is a file",
                                 fix="choose another --out folder"))
    if out == sources or out in sources.parents or sources in out.parents:
        raise InputError(Problem(where, 0, 0, f"the output folder and the sources ({sources}) overlap",
                                 fix="build into a folder of its own, for example --out build"))
    if not out.is_dir():
        return
    state = state_dir(out)
    ours = any(p.is_file() for p in (state / MANIFEST, state / JOURNAL, out / OLD_MANIFEST))
    others = sorted(p.name for p in out.iterdir() if p.name != STATE)
    if others and not ours:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        raise InputError(Problem(where, 0, 0,
                                 f"the output folder is not empty and no build of resolution-pack made it "
                                 f"(it holds {shown}); a build would mix its archives with these files",
                                 fix=f"build into an empty or new folder (--out {out.name}-build, say), "
                                     f"or empty {where} first"))


class OutputFolder:
    """Hold the output folder for one build: its lock, its state folder,
    what earlier builds wrote (`owned`), and the placing of new archives.

    Used as a context manager. If the build fails before anything was
    placed, what this build created (the folder itself, when it did not
    exist) is removed again: nothing is left behind, inside or beside."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.state = state_dir(self.out)
        self.created: list[Path] = []
        self.placed = False
        self.previous: dict = {}
        self.owned: dict = {}          # path relative to out -> {"size", "sha256"} or {}

    # -- lifetime --
    def __enter__(self) -> "OutputFolder":
        missing = [p for p in (self.state, self.out, *self.out.parents) if not p.exists()]
        self.state.mkdir(parents=True, exist_ok=True)
        self.created = [p for p in missing if p.is_dir()]   # deepest first
        self._fh = open(self.state / LOCK, "a+")
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.close()
            self.created = []    # the other build owns them
            raise InputError(Problem(str(self.out), 0, 0, "another build is writing this output folder",
                                     fix="wait for it to finish, or build into another --out folder")) from None
        self._remove_leftovers()
        self._read_previous()
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            self._remove_leftovers()
            if exc_type is not None and not self.placed and self.created:
                shutil.rmtree(self.state, ignore_errors=True)
                for folder in self.created[1:]:
                    try:
                        folder.rmdir()
                    except OSError:
                        break
        finally:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
        return False

    def _remove_leftovers(self) -> None:
        """Staging and work folders of this or a killed build (the lock is
        held, so none is in use)."""
        for leftover in self.state.glob("tmp-*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
        for leftover in self.state.glob(".*.part"):
            leftover.unlink(missing_ok=True)

    def _read_previous(self) -> None:
        manifest = read_manifest(self.out)
        if not manifest:
            old = _read_json(self.out / OLD_MANIFEST)
            if isinstance(old, dict):
                # an output of an older version: its archives and manifest are ours
                manifest = {k: v for k, v in old.items() if k != "files"}
                manifest["files"] = {name: {} for e in old.get("editions", {}).values()
                                     for name in e.get("archives", [])}
                manifest["files"][OLD_MANIFEST] = {}
                manifest["large_files"] = old.get("files", {})
        self.previous = manifest
        self.owned = dict(manifest.get("files", {}))
        journal = _read_json(self.state / JOURNAL)
        if isinstance(journal, dict):
            for name in journal.get("writing", []):
                self.owned.setdefault(name, {})

    def tmpdir(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="tmp-", dir=self.state))

    # -- placing --
    def place(self, staged: dict[str, Path], carried: list[str], manifest: dict,
              on_file=None) -> list[str]:
        """Move the staged archives ({path relative to out: staged file})
        into place, keep `carried` (archives of editions not rebuilt),
        remove the files earlier builds wrote that are neither, then write
        the manifest. Returns the paths whose bytes did not change (the
        file in place was kept as it was)."""
        self._refuse_conflicts(staged)
        records = {rel: {"size": path.stat().st_size, "sha256": sha256(path)} for rel, path in staged.items()}
        write_json(self.state / JOURNAL, {"writing": sorted(staged)})
        self.placed = True
        kept = []
        for rel in sorted(staged):
            target = self.out / rel
            if self._same(target, records[rel]):
                kept.append(rel)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged[rel], target)
            if on_file:
                on_file(rel, rel in kept)
        files = {rel: self.owned.get(rel, {}) for rel in carried if (self.out / rel).is_file()}
        files.update(records)
        for rel in sorted(set(self.owned) - set(files)):
            self._remove(rel)
        self.commit(manifest, files)
        return kept

    def commit(self, manifest: dict, files: dict | None = None) -> None:
        """Write the manifest (last, atomically); the journal is then done."""
        manifest = dict(manifest, format=2, files=self.owned_existing() if files is None else files)
        write_json(self.state / MANIFEST, manifest)
        (self.state / JOURNAL).unlink(missing_ok=True)
        self.placed = True

    def owned_existing(self) -> dict:
        return {rel: rec for rel, rec in self.owned.items() if (self.out / rel).is_file()}

    def _refuse_conflicts(self, staged: dict) -> None:
        """A path we are about to write that holds something we did not write."""
        problems = []
        for rel in sorted(staged):
            target = self.out / rel
            for parent in reversed(Path(rel).parents[:-1]):
                if (self.out / parent).exists() and not (self.out / parent).is_dir():
                    problems.append(Problem(str(self.out / parent), 0, 0, f"is a file; the build needs a folder here "
                                            f"for {rel}", fix="move it away, then build again"))
            if (target.exists() or target.is_symlink()) and (rel not in self.owned or not target.is_file()):
                problems.append(Problem(str(target), 0, 0, "exists and was not written by resolution-pack; "
                                        "the build would replace it", fix="move it away, then build again"))
        if problems:
            raise InputError(problems)

    def _same(self, target: Path, record: dict) -> bool:
        """The file in place has these bytes already: keep it (same inode,
        same mtime), so an unchanged archive is not rewritten."""
        try:
            return target.stat().st_size == record["size"] and sha256(target) == record["sha256"]
        except OSError:
            return False

    def _remove(self, rel: str) -> None:
        target = self.out / rel
        try:
            if target.is_file() or target.is_symlink():
                target.unlink()
        except OSError as exc:
            if exc.errno != errno.ENOENT:
                raise
        for parent in Path(rel).parents[:-1]:
            try:
                (self.out / parent).rmdir()    # only once empty; a user's file there keeps it
            except OSError:
                break

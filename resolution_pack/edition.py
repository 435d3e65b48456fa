"""What a target renders: one localised course and the files it uses.

Targets never read YAML or PO. They get an `Edition`: the course model in
one language, and a `MediaStore` that gives, for any MediaRef, the bytes'
location, sha1 and size, whether the file came from the sources folder or was
generated for this edition (subtitles, project sheets, diagrams).
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .media import mimetype


@dataclass(frozen=True)
class StoredFile:
    name: str          # the file name shown to learners
    path: Path | None  # where its bytes are on disk, or None: in the edition's GeneratedFiles
    sha1: str
    size: int
    mimetype: str
    spooled: tuple | None = None    # (spool, offset, size) when path is None

    @property
    def origin(self):
        """What tells two files apart: their path, or their place in the spool."""
        return self.path if self.path is not None else ("generated", self.spooled[1])

    def read_bytes(self) -> bytes:
        if self.path is not None:
            return Path(self.path).read_bytes()
        spool, offset, size = self.spooled
        return spool.get(offset, size)


class GeneratedFiles:
    """The files generated for an edition (subtitles, sheets, diagrams,
    placeholder clips) in one unnamed spool file, not one file each: a cold
    build of the six editions created ~1,000 of them and read each back ~4
    times, ~0.7 s of the kernel's CPU in 9.5 s. Each is hashed as it is put."""

    def __init__(self, folder=None):
        from .archive import Spool
        self.spool = Spool(folder)
        self.index: dict[str, tuple[int, int, str]] = {}     # relative path -> (offset, size, sha1)
        self._lock = threading.Lock()       # the sheets are put by a thread of their own

    def put(self, relative: str, data: bytes) -> None:
        digest = hashlib.sha1(data).hexdigest()
        with self._lock:
            offset, size = self.spool.put(data)
            self.index[relative] = (offset, size, digest)

    def bytes(self, relative: str) -> bytes:
        offset, size, _sha1 = self.index[relative]
        return self.spool.get(offset, size)

    def close(self) -> None:
        self.spool.close()


class MediaStore:
    """sources_root: the course's files; generated: this edition's
    GeneratedFiles, or files already in the generated_root folder."""

    def __init__(self, sources_root: Path, generated_root: Path | None, known: dict | None = None,
                 generated: GeneratedFiles | None = None):
        self.sources_root = Path(sources_root)
        self.generated_root = Path(generated_root) if generated_root is not None else None
        self.generated = generated
        self._cache: dict[str, StoredFile] = {}
        self._known = known or {}   # source path -> (sha1, size), hashed earlier in the build

    def path(self, ref: m.MediaRef) -> Path:
        base = self.generated_root if ref.generated else self.sources_root
        if base is None:
            raise FileNotFoundError(f"{ref.path}: no such generated file in this edition")
        return base / ref.path

    def get(self, ref: m.MediaRef) -> StoredFile:
        key = ("g:" if ref.generated else "s:") + ref.path
        found = self._cache.get(key)
        if found is None:
            found = self._spooled(ref) or self._on_disk(ref)
            self._cache[key] = found
        return found

    def _spooled(self, ref: m.MediaRef) -> StoredFile | None:
        if not ref.generated or self.generated is None or ref.path not in self.generated.index:
            return None
        offset, size, digest = self.generated.index[ref.path]
        return StoredFile(ref.name, None, digest, size, mimetype(ref.name), (self.generated.spool, offset, size))

    def _on_disk(self, ref: m.MediaRef) -> StoredFile:
        path = self.path(ref)
        digest, size = (self._known.get(ref.path) if not ref.generated else None) or sha1_file(path)
        return StoredFile(ref.name, path, digest, size, mimetype(ref.name))


def sha1_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha1()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


# Names of the files generated per edition (see resolution_pack/assets/).

def subtitle_ref(video: m.Video, lang: str) -> m.MediaRef:
    return m.MediaRef(f"generated/subtitles/{video.id}.{lang}.vtt", generated=True)


def diagram_ref(project: m.Project, kind: str, lang: str) -> m.MediaRef:
    """kind: mindmap, timeline or orgchart."""
    return m.MediaRef(f"generated/diagrams/{project.id}-{kind}.{lang}.svg", generated=True)


def placeholder_ref(seconds: int) -> m.MediaRef:
    """A placeholder clip of `seconds` seconds (assets/placeholder_video.py), shared by every video of that length."""
    return m.MediaRef(f"generated/placeholders/still-{seconds}s.webm", generated=True)


def sheet_ref(project: m.Project) -> m.MediaRef:
    """The toolbox PDF of a project (the model's toolbox Resource points here)."""
    return m.MediaRef(f"generated/{project.id}.pdf", generated=True)


@dataclass
class Edition:
    course: m.Course               # localised: course.lang is this edition's language
    media: MediaStore
    options: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)   # what a target could not keep, for the build's output

    @property
    def lang(self) -> str:
        return self.course.lang

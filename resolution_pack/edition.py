"""What a target renders: one localised course and the files it uses.

Targets never read YAML or PO. They get an `Edition`: the course model in
one language, and a `MediaStore` that gives, for any MediaRef, the bytes'
location, sha1 and size, whether the file came from the sources folder or was
generated for this edition (subtitles, project sheets, diagrams).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .media import mimetype


@dataclass(frozen=True)
class StoredFile:
    name: str          # the file name shown to learners
    path: Path         # where its bytes are on disk
    sha1: str
    size: int
    mimetype: str


class MediaStore:
    def __init__(self, sources_root: Path, generated_root: Path, known: dict | None = None):
        self.sources_root = Path(sources_root)
        self.generated_root = Path(generated_root)
        self._cache: dict[str, StoredFile] = {}
        self._known = known or {}   # source path -> (sha1, size), hashed earlier in the build

    def path(self, ref: m.MediaRef) -> Path:
        base = self.generated_root if ref.generated else self.sources_root
        return base / ref.path

    def get(self, ref: m.MediaRef) -> StoredFile:
        key = ("g:" if ref.generated else "s:") + ref.path
        found = self._cache.get(key)
        if found is None:
            path = self.path(ref)
            digest, size = (self._known.get(ref.path) if not ref.generated else None) or sha1_file(path)
            found = StoredFile(ref.name, path, digest, size, mimetype(ref.name))
            self._cache[key] = found
        return found


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

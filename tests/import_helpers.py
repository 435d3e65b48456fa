"""What the import tests compare: a course model as plain nested values,
with what an import cannot know (ids made from titles, translators' notes,
the SCORM-only `after`) left out and HTML normalised."""
from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import tarfile
from pathlib import Path

from resolution_pack import model as m
from resolution_pack.text import sanitise
from resolution_pack.importer.questions import auto_name

IGNORED = {"id", "ctx", "src", "notes", "after", "duration"}


def normal(text):
    if not isinstance(text, str):
        return text
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "\n\n".join(sanitise(" ".join(p.split())) for p in paragraphs)


def shape(obj, root: Path):
    """Plain nested values of a model object, comparable between two courses."""
    if isinstance(obj, m.MediaRef):
        if re.fullmatch(r"still-\d+s\.webm", obj.name):       # a placeholder clip: generated, or imported as media
            return ("placeholder clip", obj.name)
        if obj.generated:
            return ("generated", obj.name)
        return ("media", hashlib.sha1((Path(root) / obj.path).read_bytes()).hexdigest())
    if isinstance(obj, list):
        return [shape(x, root) for x in obj]
    if isinstance(obj, m.Project):
        return _project(obj, root)
    if dataclasses.is_dataclass(obj):
        out = {f.name: shape(getattr(obj, f.name), root) for f in dataclasses.fields(obj) if f.name not in IGNORED}
        if isinstance(obj, m.Question):
            out["name"] = normal(obj.name or auto_name(obj.text))
        return (type(obj).__name__, out)
    if isinstance(obj, float) and obj == int(obj):
        return int(obj)
    return normal(obj)


def _project(p: m.Project, root: Path):
    """Actors come back in the order of the org chart's outline, with ids
    made from their names: compared by name. `reconstructed` shows in Moodle
    only as the notice of ui.yaml's reconstructed_notice: compared where the
    tests' course has one (see test_import)."""
    names = {a.id: a.name for a in p.actors}
    plain = {f.name: shape(getattr(p, f.name), root) for f in dataclasses.fields(p)
             if f.name not in IGNORED | {"actors", "relations", "reconstructed"}}
    plain["actors"] = sorted((a.name, a.role, names.get(a.parent)) for a in p.actors)
    plain["relations"] = sorted((names[r.source], names[r.target], r.label) for r in p.relations)
    return ("Project", plain)


def course_shape(course: m.Course, root: Path) -> dict:
    return {"title": normal(course.title), "summary": normal(course.summary),
            "sections": shape(course.sections, root),
            "edition": (course.edition.shortname, course.edition.fullname)}


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {i.name: tar.extractfile(i).read() for i in tar if i.isfile()}


def write_tgz(path: Path, files: dict[str, bytes], extra=()) -> Path:
    """A gzip-compressed tar holding `files`; `extra` are TarInfo objects
    added as they are (links, devices, odd names)."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info in extra:
            tar.addfile(info, io.BytesIO(b"") if info.isfile() else None)
    return path

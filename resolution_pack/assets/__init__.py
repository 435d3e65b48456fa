"""Files generated per edition from the localised model: WebVTT subtitles,
project-sheet PDFs, tutorial diagrams (SVG).

With a cache folder (`generate(..., cache_dir=...)`, the build passes
`$XDG_CACHE_HOME/resolution-pack/assets`), each PDF and SVG is kept under the
digest of everything it is made of (its inputs, the code and templates, the
engine's version) and taken from there by the next build that needs the same
file: a warm build does not lay anything out again. The bytes are the same
either way; a cache folder that cannot be written is simply not used.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .. import atomic
from .. import model as m
from ..edition import GeneratedFiles, diagram_ref, sheet_ref, subtitle_ref
from .vtt import webvtt

DIAGRAMS = ("mindmap", "timeline", "orgchart")


def generate(course: m.Course, root: Path | GeneratedFiles, cache_dir: Path | None = None) -> list[Path]:
    """Write every generated file of the edition `course.lang` under `root`,
    a folder, or into the build's GeneratedFiles (then the paths returned
    are relative).

    The sheets are laid out in a second thread while this one draws the
    diagrams: Typst lets go of the interpreter while it works, so the two
    share the machine's cores (the bytes do not depend on it)."""
    from concurrent.futures import ThreadPoolExecutor
    written = []
    for _section, video in course.videos():
        written.append(_write(root, subtitle_ref(video, course.lang).path, webvtt(video, course.lang)))
    written.extend(_placeholder_clips(course, root))
    with ThreadPoolExecutor(max_workers=1) as pool:
        sheets = [pool.submit(_sheet, course, project, root, cache_dir) for project in course.projects]
        context = _context(course) if cache_dir is not None else ""
        diagrams = [_diagrams(course, project, root, cache_dir, context) for project in course.projects]
        for sheet, drawn in zip(sheets, diagrams):
            written.append(sheet.result())
            written.extend(drawn)
    return written


def _sheet(course: m.Course, project: m.Project, root: Path, cache_dir: Path | None) -> Path:
    from .pdf import compile_sheet, sheet_json
    data = sheet_json(course, project)
    return _write(root, sheet_ref(project).path, _cached(cache_dir, "pdf", data, lambda: compile_sheet(data)[0]))


def _context(course: m.Course) -> str:
    """What every diagram of the edition is drawn with, besides its project."""
    from ..cache import stable_repr
    return stable_repr((course.ui, course.lang, course.source_language))


def _diagrams(course: m.Course, project: m.Project, root: Path, cache_dir: Path | None, context: str) -> list[Path]:
    from ..cache import stable_repr
    from .diagrams import diagram_svg
    inputs = stable_repr(project) + "\0" + context if cache_dir is not None else ""
    out = []
    for kind in DIAGRAMS:
        svg = _cached(cache_dir, "svg", kind + "\0" + inputs, lambda: diagram_svg(course, project, kind))
        out.append(_write(root, diagram_ref(project, kind, course.lang).path, svg))
    return out


def _cached(cache_dir: Path | None, kind: str, inputs: str, make) -> bytes:
    if cache_dir is None:
        return _bytes(make())
    from ..cache import code_digest
    key = hashlib.sha256("\0".join((code_digest(), _engine(), kind, inputs)).encode()).hexdigest()
    path = Path(cache_dir) / key[:2] / f"{key}.{kind}"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = _bytes(make())
    try:
        atomic.write_bytes(path, data)   # parallel builds may write the same entry: same bytes
    except OSError:
        pass
    return data


def _engine() -> str:
    """The versions of the libraries that shape the bytes."""
    from importlib.metadata import version
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = " ".join(f"{name}={version(name)}" for name in ("typst", "fonttools", "lxml"))
    return _ENGINE


_ENGINE: str | None = None


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _placeholder_clips(course: m.Course, root: Path) -> list[Path]:
    """One still clip per length used (assets/placeholder_video.py)."""
    wanted = sorted({v.file.path for _s, v in course.videos()
                     if v.file is not None and v.file.generated and v.file.path.startswith("generated/placeholders/")})
    if not wanted:
        return []
    from .placeholder_video import clip, still_frames
    still = still_frames((Path(course.root) / course.placeholder_video.path).read_bytes())
    return [_write(root, path, clip(still, int(re.search(r"-(\d+)s\.webm$", path).group(1)))) for path in wanted]


def _write(root: Path | GeneratedFiles, relative: str, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    if isinstance(root, GeneratedFiles):
        root.put(relative, data)
        return Path(relative)
    path = Path(root) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path

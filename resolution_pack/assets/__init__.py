"""Files generated per edition from the localised model: WebVTT subtitles,
project-sheet PDFs, tutorial diagrams (SVG)."""
from __future__ import annotations

from pathlib import Path

from .. import model as m
from ..edition import diagram_ref, sheet_ref, subtitle_ref
from .vtt import webvtt

DIAGRAMS = ("mindmap", "timeline", "orgchart")


def generate(course: m.Course, root: Path) -> list[Path]:
    """Write every generated file of the edition `course.lang` under `root`."""
    written = []
    for _section, video in course.videos():
        written.append(_write(root, subtitle_ref(video, course.lang).path, webvtt(video, course.lang)))
    for project in course.projects:
        written.extend(_project_assets(course, project, root))
    return written


def _project_assets(course: m.Course, project: m.Project, root: Path) -> list[Path]:
    from .diagrams import diagram_svg
    from .pdf import project_sheet_pdf
    out = [_write(root, sheet_ref(project).path, project_sheet_pdf(course, project))]
    for kind in DIAGRAMS:
        out.append(_write(root, diagram_ref(project, kind, course.lang).path, diagram_svg(course, project, kind)))
    return out


def _write(root: Path, relative: str, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = Path(root) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path

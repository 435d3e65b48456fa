"""Files generated per edition from the localised model: WebVTT subtitles,
project-sheet PDFs, tutorial diagrams (SVG)."""
from __future__ import annotations

import re
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
    written.extend(_placeholder_clips(course, root))
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


def _placeholder_clips(course: m.Course, root: Path) -> list[Path]:
    """One still clip per length used (assets/placeholder_video.py)."""
    wanted = sorted({v.file.path for _s, v in course.videos()
                     if v.file is not None and v.file.generated and v.file.path.startswith("generated/placeholders/")})
    if not wanted:
        return []
    from .placeholder_video import clip, still_frames
    still = still_frames((Path(course.root) / course.placeholder_video.path).read_bytes())
    return [_write(root, path, clip(still, int(re.search(r"-(\d+)s\.webm$", path).group(1)))) for path in wanted]


def _write(root: Path, relative: str, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = Path(root) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path

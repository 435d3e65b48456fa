"""The platform's figures counted from the course model (the sources).

`check` counts the same figures from the built archives with its own code;
both are compared with the expectations in course.yaml.
"""
from __future__ import annotations

from . import model as m

FIGURES = ("projects", "tutorial_videos", "subtitle_files", "mooc_videos",
           "evaluation_phases", "exercises", "formative_activities")


def per_edition(course: m.Course) -> dict[str, int]:
    counts = dict.fromkeys(FIGURES, 0)
    counts["projects"] = len(course.projects)
    for section, item in course.items():
        if isinstance(item, m.Video):
            if section.role == "tutorials":
                counts["tutorial_videos"] += 1
                counts["subtitle_files"] += 1 if item.subtitles else 0
            elif section.role == "mooc-part":
                counts["mooc_videos"] += 1
        elif isinstance(item, m.Evaluation):
            counts["evaluation_phases"] += 1
            counts["exercises"] += len(item.questions)
        elif isinstance(item, m.Activities):
            counts["formative_activities"] += len(item.questions)
    return counts


def compare(course: m.Course, found: dict[str, int], editions: int) -> list[tuple[str, str, int, int]]:
    """(scope, figure, expected, found) for each figure that differs."""
    differences = []
    expected = course.expected or {}
    for figure, value in (expected.get("per_edition") or {}).items():
        if found.get(figure) != value:
            differences.append(("per edition", figure, value, found.get(figure)))
    for figure, value in (expected.get("total") or {}).items():
        total = found.get(figure, 0) * editions
        if total != value:
            differences.append((f"all {editions} editions", figure, value, total))
    return differences

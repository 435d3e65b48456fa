"""An archive that carries the course again (a cartridge, a Moodle XML
file) must hold the same figures and questions as the edition's .mbz."""
from __future__ import annotations

from .findings import EditionReport, finding


def compare(figures: dict, questions: dict, archive: str, lang: str, report: EditionReport, problems: list) -> None:
    """The same figures and the same questions as the .mbz (when there is one)."""
    has_mbz = bool(report.activities_by_type)
    for figure, value in figures.items():
        if not has_mbz and report.figures[figure] == 0:
            report.figures[figure] = value
        elif value != report.figures[figure]:
            other = "the .mbz" if has_mbz else "another archive of the edition"
            problems.append(finding(lang, archive, "drift", f"{figure}: {value}, {other} has {report.figures[figure]}"))
    if not has_mbz:
        return
    for kind in ("exercise", "formative"):
        missing = report.mbz_questions[kind] - questions[kind]
        extra = questions[kind] - report.mbz_questions[kind]
        if missing or extra:
            problems.append(finding(lang, archive, "drift", f"{kind} questions: {len(missing)} of the .mbz missing "
                                    f"({', '.join(sorted(missing)[:3])}), {len(extra)} not in the .mbz "
                                    f"({', '.join(sorted(extra)[:3])})"))

"""IMPORT-REPORT.md: what was imported, and everything that was not, with
counts and places. The same lines are printed on the terminal."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from .. import model as m
from .findings import KINDS, NOTE, SIMPLIFIED, UNALIGNED, UNSUPPORTED

TITLES = {UNSUPPORTED: "Not imported (the source format has no place for it)",
          SIMPLIFIED: "Imported, simplified",
          UNALIGNED: "Not aligned between languages (left out of the PO files)",
          NOTE: "Notes"}
PEOPLE = ("Nothing about people was read: users, enrolments, attempts, grades, logs and forum posts "
          "stay in Moodle (users.xml and the enrolment lists are never opened).")


def summary_lines(course: m.Course, editions, findings, catalogs: dict) -> list[str]:
    kinds = Counter(item.kind for _s, item in course.items())
    qtypes = Counter(q.type for _s, _i, q in course.questions())
    lines = [f"Course {course.id}: {len(course.sections)} sections, "
             + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())),
             "Questions: " + (", ".join(f"{n} {t}" for t, n in sorted(qtypes.items())) or "none"),
             f"Languages: {', '.join(course.languages)} (source {course.source_language})"]
    if course.projects:
        lines.append(f"Projects: {len(course.projects)}")
    for lang, (done, left) in sorted(catalogs.items()):
        lines.append(f"{lang}.po: {done} translated, {left} untranslated")
    by_kind = Counter(f.kind for f in findings.items)
    lines.append("Findings: " + (", ".join(f"{by_kind[k]} {k}" for k in KINDS if by_kind[k]) or "none"))
    return lines


def _grouped(findings, kind: str) -> list[str]:
    """Findings of one kind, grouped by what they are, with every place."""
    groups: dict[str, list] = {}
    for f in sorted(findings.of(kind), key=lambda f: (f.what, f.edition, f.where)):
        groups.setdefault(f.what, []).append(f)
    lines = []
    for what, found in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        lines.append(f"- **{what}** ×{len(found)}" if len(found) > 1 else f"- **{what}**")
        for f in found:
            place = ", ".join(x for x in (f.edition, f.where) if x)
            if place:
                lines.append(f"  - {place}")
    return lines


def write_report(path: Path, course: m.Course, editions, source, findings, catalogs: dict, missing: dict) -> str:
    lines = ["# Import report", ""]
    lines += [f"Backup{'s' if len(editions) > 1 else ''}:"]
    for e in editions:
        lines.append(f"- {e.backup.label} ({e.lang}{', source language' if e is source else ''})")
    lines += [""] + [f"{x}  " for x in summary_lines(course, editions, findings, catalogs)] + ["", PEOPLE, ""]
    for kind in KINDS:
        group = _grouped(findings, kind)
        if group:
            lines += [f"## {TITLES[kind]}", ""] + group + [""]
    for lang, keys in sorted(missing.items()):
        if keys:
            lines += [f"## Untranslated in {lang}.po ({len(keys)})", ""]
            lines += [f"- `{ctx}`: {text[:70]}" for ctx, text in sorted(set(keys))[:200]]
            lines.append("")
    text = "\n".join(lines).rstrip() + "\n"
    path.write_text(text, "utf-8")
    return text

"""The figures `check` compares the archives with, and the build's own
record of what it wrote: both from the build's manifest
(<build>/.resolution-pack/manifest.json), or the expected figures from a
course.yaml named with --sources. Nothing to compare with is bad input."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import InputError, Problem
from ..layout import manifest_path
from .findings import finding


@dataclass
class Expected:
    per_edition: dict = field(default_factory=dict)
    total: dict = field(default_factory=dict)
    languages: list = field(default_factory=list)     # every edition of the course
    source_language: str = ""
    origin: str = ""                                  # where the figures were read

    def as_dict(self) -> dict:
        return {"per_edition": self.per_edition, "total": self.total, "languages": self.languages,
                "source_language": self.source_language, "from": self.origin}


def read_manifest(build_dir: Path) -> dict | None:
    path = manifest_path(build_dir)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise InputError(Problem(str(path), 0, 0, f"the build's manifest cannot be read: {exc}",
                                      fix="build again into this folder")) from None
    return data if isinstance(data, dict) else None


def expected(build_dir: Path, sources: Path | None, manifest: dict | None) -> Expected:
    if sources is not None:
        found = _from_course_yaml(Path(sources))
    elif manifest and isinstance(manifest.get("expected"), dict):
        e = manifest["expected"]
        origin = str(manifest_path(build_dir))
        if e.get("counted_from_sources"):
            origin += " (counted from the sources: course.yaml has no 'expected')"
        found = Expected(dict(e.get("per_edition") or {}), dict(e.get("total") or {}),
                         list(e.get("languages") or []), e.get("source_language") or "", origin)
    else:
        raise InputError(Problem(str(build_dir), 0, 0,
                                      "no expected figures: the folder holds no manifest of a build "
                                      f"({manifest_path(build_dir).relative_to(build_dir)}), so nothing can be compared",
                                      fix="name the folder `resolution-pack build` wrote, or give the sources "
                                          "with --sources DIR"))
    if not found.per_edition and not found.total:
        raise InputError(Problem(found.origin, 0, 0, "no expected figures ('expected' is empty or missing)",
                                      fix="add 'expected: {per_edition: ..., total: ...}' to course.yaml"))
    return found


def _from_course_yaml(sources: Path) -> Expected:
    path = sources / "course.yaml"
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except FileNotFoundError:
        raise InputError(Problem(str(path), 0, 0, "no such file",
                                      fix="give with --sources the folder that holds course.yaml")) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(Problem(str(path), 0, 0, f"cannot be read: {exc}",
                                      fix="run resolution-pack validate on the sources")) from None
    if not isinstance(data, dict):
        data = {}
    e = data.get("expected") if isinstance(data.get("expected"), dict) else {}
    return Expected(dict(e.get("per_edition") or {}), dict(e.get("total") or {}),
                    [str(x) for x in data.get("languages") or []], str(data.get("source_language") or ""), str(path))


def manifest_problems(build_dir: Path, manifest: dict, langs) -> list:
    """Every archive the build wrote is there, with the bytes it wrote."""
    problems = []
    for name, record in sorted((manifest.get("files") or {}).items()):
        lang, _, rest = name.partition("/")
        if langs is not None and lang not in langs:
            continue
        path = Path(build_dir) / name
        if not path.is_file():
            problems.append(finding(lang, rest, "manifest", "written by the build but missing"))
            continue
        digest = record.get("sha256") if isinstance(record, dict) else None
        if digest and _sha256(path) != digest:
            problems.append(finding(lang, rest, "manifest", "not the bytes the build wrote (changed since)"))
    return problems


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def compare(reports: dict, expected: Expected, with_total: bool) -> tuple[dict, list]:
    """(the totals found, a problem per figure that differs)."""
    problems = []
    total = {}
    for report in reports.values():
        for figure, value in report.figures.items():
            total[figure] = total.get(figure, 0) + value
    for lang, report in reports.items():
        for figure, value in expected.per_edition.items():
            if report.figures.get(figure) != value:
                problems.append(finding(lang, "", "count", f"{figure}: expected {value}, found {report.figures.get(figure)}"))
    if with_total and reports:
        for figure, value in expected.total.items():
            if total.get(figure) != value:
                problems.append(finding("all", "", "count", f"{figure}: expected {value}, found {total.get(figure)}"))
    return total, problems

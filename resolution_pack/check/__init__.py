"""`resolution-pack check`: counts and integrity read back from the archives.

Everything is derived from the archives' own bytes, with code of its own: it
never imports a target or the loader, so that a bug shared with the writers
cannot pass unseen. Only the expected figures come from elsewhere: the
build's manifest, or course.yaml with --sources.

One module per archive kind reads it back (mbz.py, scorm.py, imscc.py,
moodle_xml.py); a new kind adds its module and a line to READERS.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem
from ..layout import IMSCC_GLOB, MBZ_GLOB, QUESTIONS_GLOB, SCORM_GLOB
from . import imscc, mbz, moodle_xml, scorm
from .expected import compare, expected as read_expected, manifest_problems, read_manifest
from .findings import FIGURES, EditionReport, as_dict, finding
from .table import table
from .webvtt import vtt_problems

__all__ = ["analyse", "run", "vtt_problems", "FIGURES", "EditionReport", "READERS"]

# (file pattern in an edition's folder, reader(path, lang, report, problems, options))
READERS = ((MBZ_GLOB, mbz.check), (SCORM_GLOB, scorm.check), (IMSCC_GLOB, imscc.check),
           (QUESTIONS_GLOB, moodle_xml.check))
EDITION_DIR = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")


@dataclass
class Options:
    xsd: Path | None = None
    cc_xsd: Path | None = None


def analyse(build_dir: Path, schemas: Path | None = None, langs=None,
            source_language: str = "", cc_xsd: Path | None = None) -> tuple[dict, list]:
    """Each edition's figures and every problem found in its archives.
    `langs`: the editions to read (default: every language-named folder)."""
    build_dir = Path(build_dir)
    reports, problems = {}, []
    if langs is None:
        langs = sorted(p.name for p in build_dir.iterdir() if p.is_dir() and EDITION_DIR.match(p.name)) \
            if build_dir.is_dir() else []
    options = Options(schemas, cc_xsd)
    for lang in langs:
        folder = build_dir / lang
        if not folder.is_dir():
            problems.append(finding(lang, "", "structure", "no folder for this edition of the course"))
            continue
        report = EditionReport(lang)
        archives = 0
        for pattern, reader in READERS:
            for path in sorted(folder.glob(pattern)):
                archives += 1
                reader(path, lang, report, problems, options)
        if not archives:
            problems.append(finding(lang, "", "structure", "no archive"))
        _drift(report, problems)
        reports[lang] = report
    _untranslated(reports, problems, source_language)
    return reports, problems


def _drift(report: EditionReport, problems: list) -> None:
    """The SCORM packages carry the .mbz's questions, no more, no fewer."""
    if not report.scorm_packages:
        return
    for kind in ("exercise", "formative"):
        only_mbz = report.mbz_questions[kind] - report.scorm_questions[kind]
        only_scorm = report.scorm_questions[kind] - report.mbz_questions[kind]
        if only_mbz:
            problems.append(finding(report.lang, "scorm", "drift", f"{len(only_mbz)} {kind} question(s) in the .mbz "
                                    f"but in no SCORM package: {', '.join(sorted(only_mbz)[:5])}"))
        if only_scorm:
            problems.append(finding(report.lang, "scorm", "drift", f"{len(only_scorm)} {kind} question(s) in SCORM "
                                    f"but not in the .mbz: {', '.join(sorted(only_scorm)[:5])}"))


def _untranslated(reports: dict, problems: list, source: str, threshold: float = 0.1) -> None:
    """An edition whose activity titles are mostly the source edition's was
    not translated (a few proper names may stay the same)."""
    if not source or source not in reports:
        return
    base = Counter(t for t in reports[source].titles if t)
    for lang, report in reports.items():
        if lang == source or not report.titles:
            continue
        same = sum(1 for t in report.titles if t and base[t])
        if same / len(report.titles) > threshold:
            problems.append(finding(lang, "", "language", f"{same} of {len(report.titles)} activity titles are "
                                    f"the same as in the {source} edition: untranslated?"))


def run(build_dir: Path, sources: Path | None = None, as_json: bool = False, xsd: Path | None = None,
        langs: tuple = (), echo=print, cc_xsd: Path | None = None) -> int:
    """Exit status: 0 every figure as expected and no problem, 1 a difference."""
    from ..scorm_xsd import default_folder
    cc_xsd = cc_xsd or imscc.default_xsd()
    build_dir = Path(build_dir)
    if not build_dir.is_dir():
        raise InputError(Problem(str(build_dir), 0, 0,
                                      "is not a folder" if build_dir.exists() else "no such folder",
                                      fix="name the folder `resolution-pack build` wrote (default: build)"))
    manifest = read_manifest(build_dir)
    expected = read_expected(build_dir, sources, manifest)
    for lang in langs:
        if expected.languages and lang not in expected.languages:
            raise InputError(Problem(expected.origin, 0, 0, f"--lang {lang}: the course has no such edition",
                                          fix=f"use one of {', '.join(expected.languages)}"))
    built = [lang for lang in expected.languages if lang in (manifest or {}).get("editions", {})]
    if not langs and sources is None and built and len(built) < len(expected.languages):
        langs = tuple(built)        # `build --lang fr` made one edition: check that one, as built
    wanted = list(langs) or expected.languages or None
    xsd = xsd or default_folder()
    reports, problems = analyse(build_dir, xsd, wanted, expected.source_language, cc_xsd)
    if manifest:
        problems.extend(manifest_problems(build_dir, manifest, wanted))
    with_total = not langs
    total, differences = compare(reports, expected, with_total)
    problems.extend(differences)
    if not reports and not problems:
        problems.append(finding(str(build_dir), "", "structure", "no edition found (run resolution-pack build first)"))
    if as_json:
        out = {"editions": {lang: r.as_dict() for lang, r in reports.items()}, "total": total,
               "expected": expected.as_dict(), "problems": [as_dict(p) for p in problems],
               "scorm_xsd_validated": xsd is not None,
               "cc_xsd_validated": cc_xsd is not None, "total_compared": with_total}
        echo(json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        echo(table(reports, total, expected, with_total))
        if xsd is None:
            echo("note: SCORM manifests were not validated against ADL's XSDs (not found; "
                 "pass --scorm-xsd DIR or run tests/install-test-deps.sh)")
        if cc_xsd is None and any(build_dir.glob("*/*.imscc")):
            echo("note: Common Cartridges were not validated against the IMS CC 1.1 XSDs (not found; "
                 "pass --cc-xsd DIR, the folder of cc11libxml2validator.xsd)")
        for p in problems:
            echo(str(p))
        echo("check: ok" if not problems else f"check: {len(problems)} problem(s)")
    return 1 if problems else 0

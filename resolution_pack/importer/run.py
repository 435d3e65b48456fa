"""`resolution-pack import`: course backups in, a sources folder out.

The whole output is staged in a folder beside --out and moved into place
only when complete and valid (`load` and the PO checks accept it); a failed
import leaves nothing in --out. A non-empty --out is replaced only with
--replace, and only if an earlier import made it.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import counts
from ..atomic import umask
from ..errors import InputError, Problem
from .align import align
from .archive import Limits, copy_member, extract
from .catalogs import write_catalogs
from .findings import SIMPLIFIED, UNSUPPORTED, Findings
from .finish import finish, finish_ui
from .mbz import Reader
from .media import MediaPlan
from .report import write_report
from .sources_writer import write_sources

REPORT = "IMPORT-REPORT.md"


@dataclass
class ImportOptions:
    backups: list
    out: Path
    source_lang: str = ""
    langs: tuple = ()            # the language of each backup, when its course does not say
    replace: bool = False
    limits: Limits = field(default_factory=Limits)


@dataclass
class ImportResult:
    out: Path
    course: object
    findings: Findings
    files: list
    catalogs: dict


def run_import(options: ImportOptions) -> ImportResult:
    out = Path(options.out).absolute()
    _check_out(out, options.replace)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=out.parent))
    staging = work / out.name      # the final name: references in the POT name it (out/sections/...)
    try:
        editions = read_all(options, work / "unpacked")
        result = build_sources(editions, options, staging)
        _swap_into_place(staging, out)
        result.out = out
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def read_all(options: ImportOptions, unpack: Path) -> list:
    """Every backup extracted and read into its course model."""
    if options.langs and len(options.langs) != len(options.backups):
        raise InputError(Problem("--lang", 0, 0, f"{len(options.langs)} --lang for {len(options.backups)} backups",
                                 fix="give one --lang per backup, in the same order, or none"))
    editions = []
    for n, path in enumerate(options.backups):
        backup = extract(Path(path), unpack / str(n), options.limits)
        lang = options.langs[n] if options.langs else ""
        edition = Reader(backup, MediaPlan(), lang).read()
        if options.langs:
            edition.lang = edition.course.source_language = lang
        if not edition.lang:
            raise InputError(backup.problem("course/course.xml", "the course has no language (lang is empty)",
                                            "give each backup's language with --lang xx (one per backup, in order)"))
        finish(edition)
        editions.append(edition)
    seen = {}
    for path, edition in zip(options.backups, editions):
        if edition.lang in seen:
            raise InputError(Problem(str(path), 0, 0, f"a second backup in '{edition.lang}' (the first is "
                                     f"{seen[edition.lang]})", fix="give one backup per language"))
        seen[edition.lang] = str(path)
    return editions


def build_sources(editions: list, options: ImportOptions, staging: Path) -> ImportResult:
    from ..i18n.localise import load_translations
    from ..load import load
    from .projects import recognise
    source_lang = options.source_lang or editions[0].lang
    source = next((e for e in editions if e.lang == source_lang), None)
    if source is None:
        raise InputError(Problem("--source-lang", 0, 0, f"no backup is in '{source_lang}' "
                                 f"(they are in {', '.join(e.lang for e in editions)})",
                                 fix="name the language of one of the backups"))
    others = [e for e in editions if e is not source]
    findings = Findings()
    for edition in [source] + others:
        recognise(edition)
        finish_ui(edition)
        findings.extend(edition.findings)
    course = source.course
    course.languages = [source.lang] + [e.lang for e in others]
    for e in others:
        course.editions[e.lang] = e.course.editions[e.lang]
    translations = align(source, others, findings)
    found = {k: v for k, v in counts.per_edition(course).items() if v}
    course.expected = {"per_edition": found, "total": {k: v * len(course.languages) for k, v in found.items()}} \
        if found else {}
    used = _media_paths(course)
    for path, (backup, member) in sorted(source.media.sources.items()):
        if path in used:           # a subtitle file became cues, not a file
            copy_member(backup, member, staging / path)
    for rec, why in source.media.refused:
        findings.add(UNSUPPORTED, f"file {rec.filename}: {why}", source.lang)
    for rec, name in source.media.renamed:
        findings.add(SIMPLIFIED, f"file {rec.filename} does not hold what its extension says: imported as {name}",
                     source.lang)
    names = ", ".join(Path(p).name for p in options.backups)
    files = write_sources(course, staging, f"Imported from {names} by resolution-pack import.\n"
                          "Edit freely: ids stay stable; see docs/source-format.md.")
    try:
        loaded = load(staging)
        epoch = max(e.backup_date for e in editions) or 1640995200
        catalogs = write_catalogs(loaded, staging,
                                  {lang: translations[lang] for lang in (e.lang for e in others)}, epoch)
        load_translations(loaded, staging)        # the PO files pass the same checks as in a build
    except InputError as exc:
        raise InputError([Problem(str(options.out), 0, 0, "the sources made from these backups do not validate, "
                                  "so nothing was written (the problems below name the files as they would be)",
                                  fix="report it with the backups: the import should have made valid sources "
                                      "or listed what it left out")] + exc.problems) from None
    write_report(staging / REPORT, loaded, editions, source, findings, catalogs,
                 {e.lang: translations.get(e.lang + ":missing", []) for e in others})
    return ImportResult(staging, loaded, findings, files, catalogs)


def _media_paths(obj, found: set | None = None, seen: set | None = None) -> set:
    """Every source media path the model refers to."""
    import dataclasses
    from .. import model as m
    found = set() if found is None else found
    seen = set() if seen is None else seen
    if isinstance(obj, m.MediaRef):
        if not obj.generated:
            found.add(obj.path)
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            _media_paths(x, found, seen)
    elif isinstance(obj, dict):
        for x in obj.values():
            _media_paths(x, found, seen)
    elif dataclasses.is_dataclass(obj) and id(obj) not in seen:
        seen.add(id(obj))
        for f in dataclasses.fields(obj):
            _media_paths(getattr(obj, f.name), found, seen)
    return found


def _check_out(out: Path, replace: bool) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError(Problem(str(out), 0, 0, "--out is a file", fix="name a folder"))
    if not any(out.iterdir()):
        return
    if not replace:
        raise InputError(Problem(str(out), 0, 0, "the output folder is not empty",
                                 fix="name a new folder, or add --replace to replace an earlier import there"))
    if not ((out / REPORT).is_file() and (out / "course.yaml").is_file()):
        raise InputError(Problem(str(out), 0, 0, f"--replace: this folder was not made by an import (no {REPORT})",
                                 fix="name a new folder; nothing an import did not write is ever replaced"))


def _swap_into_place(staging: Path, out: Path) -> None:
    staging.chmod(0o777 & ~umask())
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)



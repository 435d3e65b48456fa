"""Orchestration: load, localise every edition, generate its files, render
each target, and put the archives in place (output.py: the output folder's
state folder, lock, manifest, and the rule that a build touches only what
builds of ours wrote).

Archives are rendered into the state folder and moved into place only when
every one is complete, so a failed build leaves the previous output exactly
as it was.
"""
from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import cache, counts
from .errors import InputError, Problem
from .layout import edition_dir
from .output import OutputFolder, refuse_foreign
from .targets import load_targets, target_names
from .workers import Workers, course_copy

# The loader, localisation, assets and targets are imported where they are
# used: a no-op rebuild needs none of them (and their imports are a third of it).


@dataclass
class BuildOptions:
    sources: Path = Path("sources")
    out: Path = Path("build")
    langs: tuple = ()
    jobs: int = 0
    allow_incomplete: bool = False
    scorm_version: str = "2004"
    moodle: tuple = ()              # Moodle releases to write a backup for (empty: 4.5 alone)
    cc_version: str = "1.1"
    targets: tuple = ()
    progress: Callable[[str], None] | None = None
    use_cache: bool = True


@dataclass
class BuildResult:
    archives: list = field(default_factory=list)     # paths, relative to out
    warnings: list = field(default_factory=list)     # Problems
    rebuilt: list = field(default_factory=list)      # languages built this time
    reused: list = field(default_factory=list)       # languages whose archives were unchanged
    written: list = field(default_factory=list)      # archives written this time
    unchanged: list = field(default_factory=list)    # rebuilt with the same bytes: the file in place kept
    notes: list = field(default_factory=list)        # what a target left out (strings)


def plan(options: BuildOptions):
    """Load the sources and check every requested edition's translations:
    every input problem of every edition, at once, without localising yet
    (for tools and tests; a build checks each edition where it is built)."""
    from .i18n.localise import check_editions, read_translations
    course = _load(options)
    translations, problems, failed = read_translations(course, options.sources, options.langs)
    planned = list(options.langs) or list(course.languages)
    missing, warnings = check_editions(course, translations, planned, options.allow_incomplete, failed=failed)
    problems.extend(missing)
    if problems:
        raise InputError(problems)
    return course, translations, planned, warnings


def _load(options: BuildOptions):
    """The source model; raises InputError for an edition --lang asks for
    and the course lacks, and for a PO file of no target language (the
    translations themselves are read where each edition is built)."""
    from .i18n.localise import foreign_po, po_files
    from .load import load
    course = load(options.sources)
    problems = [foreign_po(options.sources, path, lang) for path, lang in po_files(options.sources)
                if (not options.langs or lang in options.langs)
                and (lang not in course.languages or lang == course.source_language)]
    for lang in options.langs:
        if lang not in course.languages:
            problems.append(Problem(str(Path(options.sources) / "course.yaml"), 0, 0,
                                    f"--lang {lang}: the course has no such edition",
                                    fix=f"use one of {', '.join(course.languages)}"))
    if problems:
        raise InputError(problems)
    return course


def prepare(options: BuildOptions):
    """The localised model of every requested edition (for tools and tests)."""
    from .i18n.localise import localise
    course, translations, langs, warnings = plan(options)
    editions = {lang: localise(course, lang, translations.get(lang), True)[0] for lang in langs}
    return course, editions, warnings


def _build_edition(args) -> tuple[list[str], list[str], list, list]:
    """(archives written, notes, warnings, problems) of one edition; with
    problems (its PO file, missing strings), nothing is built."""
    from . import archive, assets
    from .edition import Edition, GeneratedFiles, MediaStore
    lang, sources, work, out, options = args
    try:
        edition_course, warnings = _localised(lang, sources, work, options["allow_incomplete"])
    except InputError as exc:
        return [], [], [], exc.problems
    generated = GeneratedFiles(work)
    try:
        assets.generate(edition_course, generated, options.get("asset_cache"))
        known = options.get("known") or {}
        for rel, (size, mtime_ns, _sha1, crc) in known.items():   # each media file is read once per build
            archive.remember_crc(Path(sources) / rel, size, mtime_ns, crc)
        media = MediaStore(sources, None, {rel: (r[2], r[0]) for rel, r in known.items()}, generated)
        edition = Edition(edition_course, media, {key: options[key] for key in TARGET_OPTIONS if key in options})
        written = []
        for target in load_targets(options["targets"]):
            for path in target.render(edition, edition_dir(out, lang)):
                written.append(Path(path).relative_to(out).as_posix())
    finally:
        generated.close()
    return written, [f"{lang}: {note}" for note in edition.notes], warnings, []


def _localised(lang: str, sources, work, allow_incomplete: bool):
    """(this edition's model, its warnings): a fresh copy of the course in
    its language. Its PO file's table and the fields go when it returns,
    before the targets (at 100x, ~140 MB of resident memory)."""
    from .i18n.localise import read_translation, translate
    course, table = course_copy(work)       # made into this edition in place
    translations = None
    path = Path(sources) / "locale" / f"{lang}.po"
    if lang != course.source_language and path.is_file():
        translations, problems = read_translation(path, lang, _shown(sources, path), table)
        if problems:
            raise InputError(problems)
    return translate(course, table, lang, translations, allow_incomplete)


def _shown(sources, path) -> str:
    from .i18n.catalog import shown
    return shown(sources, path)


TARGET_OPTIONS = ("scorm_version", "cc_version", "moodle")    # BuildOptions fields the targets read from edition.options


def _targets(names) -> tuple:
    try:
        return target_names(names)
    except ValueError as exc:
        raise InputError(Problem("--target", 0, 0, str(exc))) from None


def build(options: BuildOptions) -> BuildResult:
    # a symlinked --out: the build goes into the folder it points at, the link stays
    out = Path(options.out).resolve()
    sources = Path(options.sources).resolve()
    refuse_foreign(out, sources)
    jobs = options.jobs or os.cpu_count() or 1
    with OutputFolder(out) as folder, Workers(jobs, len(options.langs) or None) as workers:
        try:
            return _build(options, folder, sources, workers)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise InputError(Problem(str(out), 0, 0, "no space left on the device while writing the build",
                                         fix="free some disk space; the previous build was left as it was")) from None
            raise


def _build(options: BuildOptions, folder: OutputFolder, sources: Path, workers: Workers) -> BuildResult:
    out = folder.out
    opts = {"scorm_version": options.scorm_version, "cc_version": options.cc_version,
            "targets": _targets(options.targets)}
    partial = opts["targets"] != target_names()
    asset_cache = cache.asset_cache_dir() if options.use_cache else None
    if options.moodle:
        opts["moodle"] = list(dict.fromkeys(options.moodle))
    previous = folder.previous if options.use_cache else {}
    request = dict(opts, langs=sorted(options.langs), allow_incomplete=options.allow_incomplete)
    inputs, large_files = cache.inputs_digest(sources, request, previous.get("large_files", {}))
    done = _up_to_date(out, previous, folder.owned, inputs) if options.use_cache else None
    if done is not None:
        for lang in done.reused:
            _say(options, f"{lang}: up to date")
        return done
    workers.start()         # they import while the course loads
    course = _load(options)
    langs = list(options.langs) or list(course.languages)
    # media hashed by inputs_digest() just now are not hashed again
    media_digests = cache.media_digests([course], sources, {**previous.get("media", {}), **large_files})
    model_digest = cache.model_digest(course)
    fingerprints = {lang: cache.fingerprint(model_digest, lang, _po_digest(sources, lang), media_digests, opts)
                    for lang in langs}
    old_editions = folder.previous.get("editions", {})
    # an edition that fell back to source texts is not reused by a build that does not allow it
    fresh = {lang for lang in langs if options.use_cache
             and (options.allow_incomplete or not old_editions.get(lang, {}).get("warnings"))
             and cache.is_fresh(out, old_editions.get(lang), fingerprints[lang], folder.owned)}
    stale = [lang for lang in sorted(langs) if lang not in fresh]
    result = BuildResult(reused=sorted(fresh))
    # a build of some editions (--lang) keeps the others' archives
    kept_editions = {lang: old_editions[lang] for lang in old_editions
                     if lang not in langs and options.langs} if old_editions else {}
    kept_editions.update({lang: old_editions[lang] for lang in fresh})
    carried = [name for entry in kept_editions.values() for name in entry.get("archives", [])]
    manifest = {"editions": dict(kept_editions), "media": media_digests, "inputs": inputs,
                "large_files": large_files, "inputs_editions": sorted(langs), "expected": expectations(course)}
    for lang in result.reused:
        result.archives.extend(old_editions[lang]["archives"])
        result.notes.extend(old_editions[lang].get("notes", []))
        result.warnings.extend(Problem(**w) for w in old_editions[lang].get("warnings", []))
        _say(options, f"{lang}: up to date")
    staging, work = folder.tmpdir(), folder.tmpdir()
    known = {rel: list(record) for rel, record in media_digests.items()}
    worker = dict(opts, known=known, asset_cache=asset_cache, allow_incomplete=options.allow_incomplete)
    tasks = [(lang, sources, work, staging, worker) for lang in stale]
    built = workers.run(_build_edition, tasks, course, work)
    problems = [problem for _w, _n, _warnings, found in built for problem in found]
    if problems:
        raise InputError(problems)
    staged = {}
    for lang, (written, notes, warnings, _problems) in zip(stale, built):
        result.archives.extend(written)
        result.notes.extend(notes)
        result.warnings.extend(warnings)
        result.rebuilt.append(lang)
        manifest["editions"][lang] = {"fingerprint": fingerprints[lang], "archives": written, "notes": notes,
                                      "warnings": [dataclasses.asdict(w) for w in warnings]}
        staged.update({name: staging / name for name in written})
        if partial:     # a build of some targets (--target) keeps the edition's other archives
            others = [name for name in old_editions.get(lang, {}).get("archives", []) if name not in written]
            carried.extend(others)
            manifest["editions"][lang]["archives"] = sorted(written + others)
    result.warnings.sort(key=lambda w: (w.file, w.line))
    manifest["warnings"] = [str(w) for w in result.warnings]

    def placed(name: str, same: bool) -> None:
        _say(options, f"{name}: {'unchanged' if same else 'written'}")
    result.unchanged = folder.place(staged, carried, manifest, on_file=placed)
    result.written = sorted(set(staged) - set(result.unchanged))
    result.archives.sort()
    return result


def _po_digest(sources: Path, lang: str) -> str:
    try:
        return hashlib.sha256((Path(sources) / "locale" / f"{lang}.po").read_bytes()).hexdigest()
    except OSError:
        return ""


def expectations(course) -> dict:
    """What `check` compares the archives with, recorded in the manifest:
    course.yaml's 'expected', or, for a course without one, the figures
    counted from the sources (check counts them from the archives)."""
    expected = course.expected or {}
    per_edition, total = dict(expected.get("per_edition") or {}), dict(expected.get("total") or {})
    counted = not per_edition and not total
    if counted:
        per_edition = counts.per_edition(course)
        total = {k: v * len(course.languages) for k, v in per_edition.items()}
    return {"per_edition": per_edition, "total": total, "counted_from_sources": counted,
            "languages": list(course.languages), "source_language": course.source_language}


def _up_to_date(out: Path, previous: dict, owned: dict, inputs: str) -> BuildResult | None:
    """The result of the previous build, if nothing it read has changed and
    its archives are all there: then nothing is parsed, nothing written."""
    if not previous or previous.get("inputs") != inputs:
        return None
    langs = previous.get("inputs_editions", [])
    editions = previous.get("editions", {})
    if not langs or any(lang not in editions for lang in langs):
        return None
    archives = [name for lang in langs for name in editions[lang]["archives"]]
    if not all(cache.in_place(out, name, owned) for name in archives):
        return None
    warnings = [Problem("", 0, 0, text) for text in previous.get("warnings", [])]
    notes = [note for lang in langs for note in editions[lang].get("notes", [])]
    return BuildResult(archives=sorted(archives), warnings=warnings, reused=sorted(langs), notes=notes)


def _say(options: BuildOptions, message: str) -> None:
    if options.progress:
        options.progress(message)

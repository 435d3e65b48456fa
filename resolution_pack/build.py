"""Orchestration: load, localise every edition, generate its files, render
each target, and put the result in place atomically.

The output is written into a temporary folder beside the output folder and
swapped in only when every archive is complete, so a failed or interrupted
build leaves the previous output exactly as it was. A lock keeps two builds
from writing the same output folder at once.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import assets, cache
from .edition import Edition, MediaStore
from .errors import InputError, Problem
from .i18n.localise import check as check_translations
from .i18n.localise import load_translations, localise
from .load import load
from .targets import load_targets


@dataclass
class BuildOptions:
    sources: Path = Path("sources")
    out: Path = Path("build")
    langs: tuple = ()
    jobs: int = 0
    allow_incomplete: bool = False
    scorm_version: str = "2004"
    targets: tuple = ()
    progress: Callable[[str], None] | None = None
    use_cache: bool = True


@dataclass
class BuildResult:
    archives: list = field(default_factory=list)     # paths, relative to out
    warnings: list = field(default_factory=list)     # Problems
    rebuilt: list = field(default_factory=list)      # languages built this time
    reused: list = field(default_factory=list)       # languages whose archives were unchanged


def plan(options: BuildOptions):
    """Load the sources and check every requested edition's translations:
    every input problem of every edition, at once, without localising yet
    (each edition is localised by the process that builds it)."""
    course = load(options.sources)
    translations = load_translations(course, options.sources)
    langs = list(options.langs) or list(course.languages)
    problems, warnings, planned = [], [], []
    for lang in langs:
        if lang not in course.languages:
            problems.append(Problem(str(Path(options.sources) / "course.yaml"), 0, 0,
                                    f"--lang {lang}: the course has no such edition",
                                    fix=f"use one of {', '.join(course.languages)}"))
            continue
        try:
            warnings.extend(check_translations(course, lang, translations.get(lang), options.allow_incomplete))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        planned.append(lang)
    if problems:
        raise InputError(problems)
    return course, translations, planned, warnings


def prepare(options: BuildOptions):
    """The localised model of every requested edition (for tools and tests)."""
    course, translations, langs, warnings = plan(options)
    editions = {lang: localise(course, lang, translations.get(lang), True)[0] for lang in langs}
    return course, editions, warnings


def _build_edition(args) -> list[str]:
    course, lang, translations, sources, work, out, options = args
    edition_course, _missing = localise(course, lang, translations, allow_incomplete=True)  # checked by plan()
    generated = Path(work) / lang
    assets.generate(edition_course, generated)
    edition = Edition(edition_course, MediaStore(sources, generated, options.get("known")),
                      {"scorm_version": options["scorm_version"]})
    written = []
    for target in load_targets(options["targets"]) if options["targets"] else load_targets():
        for path in target.render(edition, Path(out) / lang):
            written.append(str(Path(path).relative_to(out)))
    return written


def build(options: BuildOptions) -> BuildResult:
    out = Path(options.out).resolve()
    sources = Path(options.sources).resolve()
    with _lock(out):
        _remove_leftovers(out)
        opts = {"scorm_version": options.scorm_version, "targets": tuple(options.targets)}
        previous = cache.read_manifest(out) if options.use_cache else {}
        request = dict(opts, langs=sorted(options.langs), allow_incomplete=options.allow_incomplete)
        inputs, large_files = cache.inputs_digest(sources, request, previous.get("files", {}))
        done = _up_to_date(out, previous, inputs) if options.use_cache else None
        if done is not None:
            for lang in done.reused:
                _say(options, f"{lang}: up to date")
            return done
        course, translations, langs, warnings = plan(options)
        result = BuildResult(warnings=warnings)
        # media hashed by inputs_digest() just now are not hashed again
        media_digests = cache.media_digests([course], sources, {**previous.get("media", {}), **large_files})
        model_digest = cache.model_digest(course)
        fingerprints = {lang: cache.fingerprint(model_digest, lang, translations.get(lang), media_digests, opts)
                        for lang in langs}
        old_editions = previous.get("editions", {})
        stale = [lang for lang in sorted(langs)
                 if not cache.is_fresh(out, old_editions.get(lang), fingerprints[lang])]
        result.reused = sorted(set(langs) - set(stale))
        manifest = {"editions": {lang: old_editions[lang] for lang in old_editions if lang not in langs
                                 and (out / lang).is_dir()},
                    "media": media_digests, "inputs": inputs, "files": large_files,
                    "inputs_editions": sorted(langs), "warnings": [str(w) for w in warnings]}
        if not stale:
            for lang in result.reused:
                result.archives.extend(old_editions[lang]["archives"])
                _say(options, f"{lang}: up to date")
            if options.use_cache:
                manifest["editions"].update({lang: old_editions[lang] for lang in result.reused})
                cache.write_manifest(out, manifest)
            return result
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the output folder is not
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.work-", dir=out.parent))
        try:
            # editions not rebuilt keep their archives as they were (hard links: nothing rewritten)
            if out.is_dir():
                for folder in sorted(p for p in out.iterdir() if p.is_dir() and p.name not in stale):
                    cache.link_tree(folder, staging / folder.name)
            for lang in result.reused:
                manifest["editions"][lang] = old_editions[lang]
                result.archives.extend(old_editions[lang]["archives"])
                _say(options, f"{lang}: up to date")
            jobs = options.jobs or os.cpu_count() or 1
            known = {rel: (record[2], record[0]) for rel, record in media_digests.items()}
            tasks = [(course, lang, translations.get(lang), sources, work, staging, dict(opts, known=known))
                     for lang in stale]
            if jobs == 1 or len(tasks) == 1:
                results = map(_build_edition, tasks)
            else:
                pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)))
                results = pool.map(_build_edition, tasks)
            for (_course, lang, *_rest), written in zip(tasks, results):
                result.archives.extend(written)
                result.rebuilt.append(lang)
                manifest["editions"][lang] = {"fingerprint": fingerprints[lang], "archives": written}
                for name in written:
                    kept = cache.keep_if_unchanged(out / name, staging / name)
                    _say(options, f"{name}: {'unchanged' if kept else 'written'}")
            if options.use_cache:
                cache.write_manifest(staging, manifest)
            _swap_into_place(staging, out)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise InputError(Problem(str(out), 0, 0, "no space left on the device while writing the build",
                                         fix="free some disk space; the previous build was left as it was")) from None
            raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        result.archives.sort()
        return result


def _up_to_date(out: Path, previous: dict, inputs: str) -> BuildResult | None:
    """The result of the previous build, if nothing it read has changed and
    its archives are all there: then nothing is parsed, nothing written."""
    if not previous or previous.get("inputs") != inputs:
        return None
    langs = previous.get("inputs_editions", [])
    editions = previous.get("editions", {})
    if not langs or any(lang not in editions for lang in langs):
        return None
    archives = [name for lang in langs for name in editions[lang]["archives"]]
    if not all((out / name).is_file() for name in archives):
        return None
    warnings = [Problem("", 0, 0, text) for text in previous.get("warnings", [])]
    return BuildResult(archives=sorted(archives), warnings=warnings, reused=sorted(langs))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_leftovers(out: Path) -> None:
    """A build that was killed cannot clean up: its staging folders are
    removed by the next build (which holds the lock, so none is in use)."""
    if not out.parent.is_dir():
        return
    for prefix in (f".{out.name}.tmp-", f".{out.name}.work-", f".{out.name}.old-"):
        for leftover in out.parent.glob(prefix + "*"):
            shutil.rmtree(leftover, ignore_errors=True)


def _say(options: BuildOptions, message: str) -> None:
    if options.progress:
        options.progress(message)


def _swap_into_place(staging: Path, out: Path) -> None:
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)


class _lock:
    def __init__(self, out: Path):
        self.path = out.parent / f".{out.name}.lock"

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.path, "a+")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.close()
            raise InputError(Problem(str(self.path), 0, 0,
                                     "another build is writing this output folder",
                                     fix="wait for it to finish, or build into another --out folder")) from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()
        return False

"""The built editions: build/<lang>/*.mbz, the names inside each, the Moodle
release each was written for, and the one to restore on a given site.

`build` writes `<shortname>.mbz` for Moodle 4.5 and `<shortname>-moodle5N.mbz`
for 5.x (`build --moodle`). The release is read from the archive itself
(moodle_backup.xml's backup_release), not from its name: verify and deploy
do not take the target's word for it.
"""
from __future__ import annotations

import re
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import InputError, Problem
from ..layout import MBZ_GLOB

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_WANTED = ("course/course.xml", "moodle_backup.xml")


@dataclass(frozen=True)
class Archive:
    lang: str          # the edition (its build folder)
    path: Path
    shortname: str
    fullname: str
    course_lang: str   # the course's forced language in the archive
    release: str = "4.5"   # the Moodle release it was written for (backup_release)

    @property
    def branch(self) -> int:
        return branch_of(self.release)


def branch_of(release: str) -> int:
    """"4.5" -> 405, "5.1" -> 501 (Moodle's $branch); 0 when it is not a release number."""
    found = re.match(r"^(\d+)\.(\d+)", release or "")
    return int(found.group(1)) * 100 + int(found.group(2)) if found else 0


def release_of(branch: int) -> str:
    return f"{branch // 100}.{branch % 100}"


def find_archives(build_dir, langs=(), branch: int | None = None, warn=None) -> list[Archive]:
    """One archive per edition: the only one, or (branch given) the one for that Moodle."""
    build = Path(build_dir)
    if not build.is_dir():
        raise InputError(Problem(str(build), 0, 0, "no such build folder",
                                 fix="run `resolution-pack build` first, or pass --build DIR"))
    if langs:
        folders = [build / lang for lang in dict.fromkeys(langs)]
    else:
        folders = sorted(p for p in build.iterdir()
                         if p.is_dir() and not p.name.startswith(".") and any(p.glob(MBZ_GLOB)))
    problems, archives = [], []
    if not folders:
        problems.append(Problem(str(build), 0, 0, "no edition built here (no <lang>/<shortname>.mbz)",
                                fix="run `resolution-pack build` first"))
    for folder in folders:
        found = sorted(folder.glob(MBZ_GLOB)) if folder.is_dir() else []
        if not found:
            problems.append(Problem(str(folder), 0, 0, "no course backup (.mbz) for this edition",
                                    fix=f"run `resolution-pack build --lang {folder.name}`"))
            continue
        try:
            candidates = [read_archive(path, folder.name) for path in found]
            archives.append(choose(folder, candidates, branch, warn))
        except InputError as exc:
            problems.extend(exc.problems)
    seen: dict[str, Archive] = {}
    for archive in archives:
        if archive.shortname in seen:
            problems.append(Problem(str(archive.path), 0, 0, f"shortname {archive.shortname} is also the one of "
                                    f"{seen[archive.shortname].path}", fix="give every edition its own shortname"))
        seen[archive.shortname] = archive
    if problems:
        raise InputError(problems)
    return archives


def choose(folder: Path, candidates: list[Archive], branch: int | None, warn=None) -> Archive:
    """The backup written for this site's release, else for the latest release before it.

    A 4.5 backup restores on every 5.x site, with one precheck warning per
    question category (Moodle moves them into a fallback question bank): it
    is taken, with a warning naming the build to make. A backup written for a
    later release than the site's is never taken."""
    names = ", ".join(a.path.name for a in candidates)
    by_release: dict[int, Archive] = {}
    for archive in candidates:
        if archive.branch in by_release:
            raise InputError(Problem(str(folder), 0, 0, f"two course backups for Moodle {archive.release}: "
                                     f"{by_release[archive.branch].path.name} and {archive.path.name}",
                                     fix="rebuild the edition into a clean build folder"))
        by_release[archive.branch] = archive
    if branch is None:
        if len(candidates) > 1:
            raise InputError(Problem(str(folder), 0, 0, f"more than one course backup: {names}",
                                     fix="rebuild the edition into a clean build folder"))
        return candidates[0]
    usable = [b for b in by_release if b <= branch]
    if not usable:
        raise InputError(Problem(str(folder), 0, 0, f"no course backup this Moodle {release_of(branch)} can "
                                 f"restore: {names} (written for Moodle "
                                 + ", ".join(a.release for a in candidates) + ")",
                                 fix=f"run `resolution-pack build --lang {folder.name} --moodle 4.5` (restores on "
                                     "4.5 and every later release)"))
    chosen = by_release[max(usable)]
    if warn is not None and chosen.branch < 500 <= branch:
        warn(f"{folder.name}: {chosen.path.name} is written for Moodle {chosen.release}: this Moodle "
             f"{release_of(branch)} restores it with one precheck warning per question category, moving them "
             f"into a question bank of its own; for a backup as Moodle {release_of(branch)} writes them, run "
             f"`resolution-pack build --lang {folder.name} --moodle {_native(branch)}`")
    return chosen


def _native(branch: int) -> str:
    """The `build --moodle` release for this site: its own, or 5.1 for a later one."""
    return release_of(min(branch, 501))


def read_archive(path: Path, lang: str) -> Archive:
    """The course's names (course/course.xml) and the release (moodle_backup.xml)."""
    docs = {}
    for name, data in _members(Path(path), _WANTED).items():
        try:
            docs[name] = etree.fromstring(data, parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise InputError(Problem(str(path), 0, 0, f"{name} is not well-formed XML: {exc}")) from None
    missing = [name for name in _WANTED if name not in docs]
    if missing:
        raise InputError(Problem(str(path), 0, 0, f"not a Moodle course backup: no {missing[0]} inside",
                                 fix="rebuild the edition with `resolution-pack build`"))
    course = docs["course/course.xml"]
    shortname = (course.findtext("shortname") or "").strip()
    fullname = (course.findtext("fullname") or "").strip()
    if not shortname or not fullname:
        raise InputError(Problem(str(path), 0, 0, "course/course.xml has no shortname or no fullname",
                                 fix="rebuild the edition"))
    release = (docs["moodle_backup.xml"].findtext("information/backup_release") or "").strip()
    if not branch_of(release):
        raise InputError(Problem(str(path), 0, 0, "moodle_backup.xml names no backup_release: not a Moodle 2 "
                                 "course backup", fix="rebuild the edition with `resolution-pack build`"))
    return Archive(lang, Path(path).resolve(), shortname, fullname, (course.findtext("lang") or "").strip(),
                   release)


def _members(path: Path, names: tuple) -> dict[str, bytes]:
    """Some members of a Moodle backup (gzip tar, or zip as Moodle also accepts), in one pass."""
    wanted = {n: n for n in names} | {"./" + n: n for n in names}
    found = {}
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    if member in wanted:
                        found[wanted[member]] = archive.read(member)
        else:
            with tarfile.open(path, "r:*") as archive:
                for member in archive:
                    if member.name in wanted and member.isfile():
                        handle = archive.extractfile(member)
                        if handle is not None:
                            found[wanted[member.name]] = handle.read()
                    if len(found) == len(names):
                        break
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise InputError(Problem(str(path), 0, 0, f"cannot read this course backup: {exc}",
                                 fix="rebuild the edition")) from None
    return found

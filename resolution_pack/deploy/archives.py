"""The built editions: build/<lang>/<shortname>.mbz, and the names inside each."""
from __future__ import annotations

import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import InputError, Problem
from ..layout import MBZ_GLOB


@dataclass(frozen=True)
class Archive:
    lang: str          # the edition (its build folder)
    path: Path
    shortname: str
    fullname: str
    course_lang: str   # the course's forced language in the archive


def find_archives(build_dir, langs=()) -> list[Archive]:
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
        if len(found) > 1:
            problems.append(Problem(str(folder), 0, 0, "more than one course backup: "
                                    + ", ".join(p.name for p in found),
                                    fix="rebuild the edition into a clean build folder"))
            continue
        try:
            archives.append(read_archive(found[0], folder.name))
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


def read_archive(path: Path, lang: str) -> Archive:
    """The course's names, read from course/course.xml inside the backup."""
    data = _member(Path(path), "course/course.xml")
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(Problem(str(path), 0, 0, f"course/course.xml is not well-formed XML: {exc}")) from None
    shortname = (root.findtext("shortname") or "").strip()
    fullname = (root.findtext("fullname") or "").strip()
    if not shortname or not fullname:
        raise InputError(Problem(str(path), 0, 0, "course/course.xml has no shortname or no fullname",
                                 fix="rebuild the edition"))
    return Archive(lang, Path(path).resolve(), shortname, fullname, (root.findtext("lang") or "").strip())


def _member(path: Path, name: str) -> bytes:
    """One member of a Moodle backup (gzip tar, or zip as Moodle also accepts)."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for candidate in (name, "./" + name):
                    if candidate in archive.namelist():
                        return archive.read(candidate)
        else:
            with tarfile.open(path, "r:*") as archive:
                for candidate in (name, "./" + name):
                    try:
                        member = archive.getmember(candidate)
                    except KeyError:
                        continue
                    handle = archive.extractfile(member)
                    if handle is not None:
                        return handle.read()
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise InputError(Problem(str(path), 0, 0, f"cannot read this course backup: {exc}",
                                 fix="rebuild the edition")) from None
    raise InputError(Problem(str(path), 0, 0, f"not a Moodle course backup: no {name} inside",
                             fix="rebuild the edition with `resolution-pack build`"))

"""deploy: restore every built edition as a course of the site.

For each edition's `build/<lang>/<shortname>.mbz`: restore it as a new course
with Moodle's restore controller (backup::TARGET_NEW_COURSE, as
admin/cli/restore_backup.php does), then give it the archive's shortname and
fullname (4.5's restore_backup.php renames what it restores to "New course").
A course that already has the shortname is replaced only with --replace, and
then in this order: the new course is restored first, the old one deleted
after, so a failed restore leaves the site as it was. The replacement is a new
course (a new id; the old course's learners and attempts go with it), in the
old course's category unless --category is given. No other course is touched.
The restore takes the archive's enrolment methods (self enrolment) unless the
site's restore defaults lock that setting.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import InputError, Problem
from .archives import Archive, find_archives
from .site import COURSE_URL, Site, open_site, run_php

Echo = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


@dataclass
class DeployOptions:
    moodle_root: Path
    build: Path = Path("build")
    langs: tuple = ()
    category: int | None = None
    php: str = "php"
    replace: bool = False
    dry_run: bool = False


@dataclass
class Deployed:
    lang: str
    id: int
    shortname: str
    replaced: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return COURSE_URL.format(id=self.id)

    def line(self) -> str:
        text = f"{self.lang}: course {self.id} {self.shortname} {self.url}"
        if self.replaced:
            text += " (replaced course " + ", ".join(str(i) for i in self.replaced) + ")"
        return text


@dataclass(frozen=True)
class Plan:
    archive: Archive
    replace: list        # ids of the courses this restore replaces
    category: int


def deploy(options: DeployOptions, echo: Echo = print, warn: Echo = _quiet, progress: Echo = _quiet) -> list[Deployed]:
    site = open_site(options.moodle_root, options.php)
    archives = find_archives(options.build, options.langs, site.branch, warn)
    info = run_php(site, "site.php", {"shortnames": [a.shortname for a in archives],
                                      "categoryid": options.category})
    if options.category is not None and not info.get("category"):
        raise InputError(Problem(str(site.root), 0, 0, f"--category {options.category}: no such course category "
                                 "on this Moodle", fix="give the id of an existing category, or leave --category "
                                 f"out for the default one (id {info['default_category']['id']})"))
    plans, refused = plan(archives, info, options, warn)
    if options.dry_run:
        show_plan(site, info, plans, refused, echo)
    if refused:
        raise InputError(refused)
    if options.dry_run:
        return []
    return [restore(site, plan, echo, warn, progress) for plan in plans]


def plan(archives: list[Archive], info: dict, options: DeployOptions, warn: Echo) -> tuple[list[Plan], list[Problem]]:
    """What each restore replaces and where it goes; the editions refused (a shortname taken, no --replace)."""
    default = info["default_category"]
    courses = info.get("courses") or {}
    languages = set(info.get("languages") or ())
    plans, refused = [], []
    for archive in archives:
        existing = [c["id"] for c in courses.get(archive.shortname) or []]
        if existing and not options.replace:
            refused.append(Problem(str(archive.path), 0, 0, f"the site already has a course {archive.shortname} ("
                                   + _urls(existing) + "): not replaced",
                                   fix="run again with --replace to replace it (the new course gets a new id; "
                                       "the old one is deleted with its learners' data)"))
        if options.category is not None:
            category = options.category
        elif existing:
            category = (courses[archive.shortname][0])["category"]
        else:
            category = default["id"]
        plans.append(Plan(archive, existing if options.replace else [], category))
        if archive.course_lang and languages and archive.course_lang not in languages:
            warn(f"{archive.lang}: the language pack '{archive.course_lang}' is not installed on this Moodle: "
                 f"the course's language will be left blank (install it, then deploy again)")
    return plans, refused


def show_plan(site: Site, info: dict, plans: list[Plan], refused: list[Problem], echo: Echo) -> None:
    echo(f"dry run: nothing is changed; Moodle {info.get('release') or site.release} at {site.root}")
    for p in plans:
        a = p.archive
        if p.replace:
            echo(f"{a.lang}: would restore {a.path} (for Moodle {a.release}) as {a.shortname} \"{a.fullname}\" "
                 f"in category {p.category}, then delete the course it replaces ({_urls(p.replace)})")
        else:
            echo(f"{a.lang}: would restore {a.path} (for Moodle {a.release}) as a new course {a.shortname} "
                 f"\"{a.fullname}\" in category {p.category}")
    for problem in refused:
        echo(f"would refuse: {problem.message}")
    echo(f"each restore runs: {site.shown('restore.php')}")


def restore(site: Site, plan: Plan, echo: Echo, warn: Echo, progress: Echo) -> Deployed:
    archive = plan.archive
    progress(f"{archive.lang}: restoring {archive.path} ...")
    answer = run_php(site, "restore.php", {"file": str(archive.path), "shortname": archive.shortname,
                                           "fullname": archive.fullname, "categoryid": plan.category,
                                           "replace": plan.replace}, about=str(archive.path))
    for message in answer.get("warnings") or ():
        warn(f"{archive.lang}: {message}")
    result = Deployed(archive.lang, int(answer["id"]), answer["shortname"], list(answer.get("replaced") or []))
    echo(result.line())
    return result


def _urls(ids: list) -> str:
    return ", ".join(COURSE_URL.format(id=i) for i in ids)

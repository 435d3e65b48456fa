"""What `check` finds: the figures of each edition and the problems."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..errors import Problem

FIGURES = ("projects", "tutorial_videos", "subtitle_files", "mooc_videos",
           "evaluation_phases", "exercises", "formative_activities")
JUNK = re.compile(r"(^|/)(\.DS_Store|__MACOSX|Thumbs\.db|desktop\.ini|\.git|\.svn)(/|$)|(~|\.swp|\.bak|\.orig)$")


def finding(edition: str, archive: str, rule: str, message: str) -> Problem:
    """A problem in an edition's archive: its file is <lang>/<archive>."""
    return Problem("/".join(x for x in (edition, archive) if x), message=message, rule=rule)


def as_dict(problem: Problem) -> dict:
    edition, _, archive = problem.file.partition("/")
    return {"edition": edition, "archive": archive, "rule": problem.rule, "message": problem.message}


@dataclass
class EditionReport:
    lang: str
    figures: dict = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    activities_by_type: Counter = field(default_factory=Counter)
    files: int = 0
    files_size: int = 0
    subtitle_languages: Counter = field(default_factory=Counter)
    mbz_questions: dict = field(default_factory=lambda: {"exercise": set(), "formative": set()})
    scorm_questions: dict = field(default_factory=lambda: {"exercise": set(), "formative": set()})
    scorm_packages: int = 0
    course_lang: str = ""
    titles: list = field(default_factory=list)

    def as_dict(self) -> dict:
        d = dict(self.figures)
        d.update({"activities_by_type": dict(sorted(self.activities_by_type.items())),
                  "files": self.files, "files_size": self.files_size,
                  "subtitle_languages": dict(sorted(self.subtitle_languages.items())),
                  "scorm_packages": self.scorm_packages, "course_lang": self.course_lang})
        return d


def check_name(name: str, lang: str, archive: str, problems: list) -> None:
    """Entry names that could escape an extractor, and junk a packager left."""
    bad = (name.startswith("/") or "\\" in name or ".." in PurePosixPath(name).parts
           or re.match(r"^[A-Za-z]:", name) or "\x00" in name)
    if bad:
        problems.append(finding(lang, archive, "entry-name", f"unsafe entry name {name!r}"))
    elif JUNK.search(name.rstrip("/")):
        problems.append(finding(lang, archive, "entry-name", f"junk entry {name!r}"))

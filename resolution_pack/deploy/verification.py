"""verify: read the restored courses back (moodle_php/inspect.php) and compare
them with what the sources expect: names, language, sections and their
modules, modules by type, graded quizzes and their pass marks, questions by
type (quiz by quiz, by question bank idnumber), files (by module or question,
with the bytes of source media), subtitle tracks, enrolment methods, and the
platform's figures (resolution_pack.counts) counted from what Moodle holds.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import InputError, Problem
from .attempts import attempts_report
from .checks import Held, bank_summary, compare
from .expected import Expected, expect
from .site import COURSE_URL, Site, open_site, run_php

Echo = Callable[[str], None]


@dataclass
class VerifyOptions:
    moodle_root: Path
    sources: Path = Path("sources")
    langs: tuple = ()
    php: str = "php"
    dry_run: bool = False
    attempts: bool = False       # also take every quiz as throwaway learners (moodle_php/attempts.php)


def verify(options: VerifyOptions, echo: Echo = print) -> int:
    """0 when every edition is as the sources expect, 1 otherwise."""
    from ..load import load
    site = open_site(options.moodle_root, options.php)
    course = load(options.sources)
    langs = list(dict.fromkeys(options.langs)) or list(course.languages)
    unknown = [lang for lang in langs if lang not in course.editions]
    if unknown:
        raise InputError([Problem(str(Path(options.sources) / "course.yaml"), 0, 0,
                                  f"--lang {lang}: the course has no such edition",
                                  fix=f"use one of {', '.join(course.editions)}") for lang in unknown])
    expected = {lang: expect(course, lang) for lang in langs}
    if options.dry_run:
        show_expected(site, expected, echo)
        if options.attempts:
            echo(f"then would take every quiz as two throwaway learners (created, self-enrolled, then deleted "
                 f"with their attempts) through: {site.shown('attempts.php')}")
        return 0
    answer = run_php(site, "inspect.php", {"shortnames": [exp.shortname for exp in expected.values()]})
    found_courses = answer.get("courses") or {}
    languages = set(answer.get("languages") or ())
    failed, all_figures = 0, []
    for lang, exp in expected.items():
        found = found_courses.get(exp.shortname)
        diffs, figures = compare(exp, found, languages)
        failed += bool(diffs)
        report(lang, exp, found, diffs, figures, echo)
        all_figures.append(figures)
    if set(langs) == set(course.languages) and all(all_figures):
        failed += check_totals(course, all_figures, echo)
    if options.attempts:
        failed += take_quizzes(site, expected, echo)
    if failed:
        echo(f"{len(langs)} edition(s) read; differences found")
        return 1
    echo(f"{len(langs)} edition(s) read: all as the sources expect")
    return 0


def take_quizzes(site: Site, expected: dict, echo: Echo) -> int:
    """verify --attempts: every quiz taken through Moodle; the number of editions with a difference."""
    answer = run_php(site, "attempts.php", {"shortnames": [exp.shortname for exp in expected.values()]})
    courses = answer.get("courses") or {}
    failed = 0
    for lang, exp in expected.items():
        lines, differences = attempts_report(lang, exp, courses.get(exp.shortname))
        for line in lines:
            echo(line)
        failed += bool(differences)
    return failed


def show_expected(site: Site, expected: dict, echo: Echo) -> None:
    echo(f"dry run: would read {len(expected)} course(s) from the Moodle at {site.root} "
         f"(Moodle {site.release or '?'}), reading only, through: {site.shown('inspect.php')}")
    for lang, exp in expected.items():
        echo(f"{lang}: {exp.shortname}: would expect {exp.summary()}")
        echo(f"    figures: {_figures_text(exp.figures)}")


def report(lang: str, exp: Expected, found: dict | None, diffs: list, figures: dict, echo: Echo) -> None:
    head = f"{lang}: {exp.shortname}"
    if found is not None:
        head += f" (course {found['id']}, {COURSE_URL.format(id=found['id'])})"
    if diffs:
        echo(f"{head}: {len(diffs)} difference(s) with the sources")
        for diff in diffs:
            echo(f"  - {diff}")
    else:
        echo(f"{head}: as the sources expect")
        echo(f"    {exp.summary()}")
        echo(f"    questions in {bank_summary(Held.read(found))}")
        echo(f"    figures: {_figures_text(figures)}")


def check_totals(course, all_figures: list, echo: Echo) -> int:
    """The figures of all the editions together (when every edition was read): the number of differences."""
    failed = 0
    for figure, value in ((course.expected or {}).get("total") or {}).items():
        total = sum(f.get(figure, 0) for f in all_figures)
        if total != value:
            failed += 1
            echo(f"all {len(all_figures)} editions: {figure}: course.yaml expects {value}, Moodle holds {total}")
    return failed


def _figures_text(figures: dict) -> str:
    return ", ".join(f"{key} {value}" for key, value in figures.items())

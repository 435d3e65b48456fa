"""What differs between the Moodle releases a course backup is written for.

One table per release, data only: the Moodle target (moodle_backup.py) has one
code path and reads what changes from here. `build --moodle 4.5|5.0|5.1`.

4.5 (the LTS, the default): the course's question categories live in the
course context (questions.xml, contextlevel 50), listed by the course's and
every quiz's inforef.xml; moodle_backup.xml has the root setting
`questionbank`. Every later release restores this flavour.

5.0 and 5.1 (questions in question bank modules, MDL-71378): the categories
live in the context of a qbank module of the course (contextlevel 70),
listed by that module's inforef.xml; each quiz's inforef.xml lists the
categories of its own questions and their parent; the course's inforef.xml
lists none; the root setting `questionbank` is gone. A 4.5 flavour restored
on 5.x makes Moodle create a fallback bank ("System shared question bank"),
with one precheck warning per category; the native 5.x flavour gives none.

The qbank module is placed where Moodle places every question bank (the
course's "Question banks" page and question_bank_helper::
create_default_open_instance both add it to section 0, hidden, never shown on
the course page): the first module of section 0, hidden, type `standard`
(a bank as a teacher makes one, not the `system` fallback of upgrades and
restores), named by the course's `question_bank` interface string.

Figures read from Moodle's code: 4.5 from Moodle 4.5's backup.class.php and
mod/*/version.php (and the reference backup); 5.1 from Moodle 5.1 (Build
20251006) and the backup a real 5.1 writes of our edition
(enableaitools/enabledaiactions in course and course_modules: core upgrade
2025090200.01; quiz.precreateattempts: mod_quiz upgrade 2025011300); 5.0 from
the "Moodle v5.0.0 release upgrade line" markers of the same code (release
version 2025041400; precreateattempts before it, enableaitools after it).

Subsections (mod_subsection, 4.5+) would group each tutorial project's
activities. Off for 4.5: Moodle 4.5's restore (build 20240903) fails on a
course with more than three of them (restore_section_structure_step::
displace_delegated_sections_after renumbers them in an order that hits
course_sections' unique (course, section) key); 5.1's restore renumbers from
the top: the 5.1 flavour of the French edition, built with subsections on,
restores on a real 5.1 (Build 20251006) with its 16 subsections of four
modules each, and its quizzes pass `verify --attempts`. Still off for 5.x:
`verify`'s expectations (deploy/expected.py) and check's counts model a
project's block as a heading label, not yet as a delegated section. Off, a
heading label stands for each group and its items follow it, named apart
("<name> – <project>").
"""
from __future__ import annotations

from dataclasses import dataclass

from ..layout import mbz_name

MODULES = ("page", "label", "url", "resource", "folder", "book", "forum", "quiz", "qbank", "subsection")


@dataclass(frozen=True)
class Release:
    name: str                 # as `build --moodle` takes it
    moodle_version: str       # the oldest build of the release: restore warns when a backup is newer than the site
    moodle_release: str
    backup_version: str       # backup/backup.class.php VERSION and RELEASE
    backup_release: str
    module_versions: dict     # mod/<name>/version.php, as module.xml carries it
    qbank: bool               # questions in a qbank module of the course (5.0+)
    subsections: bool         # a project's tutorial items in a mod_subsection (else a heading label, see below)
    fields: frozenset         # optional record fields this release's backup writes
    suffix: str               # of the archive name: <shortname><suffix>.mbz

    def has(self, name: str) -> bool:
        return name in self.fields


def _all(version: str) -> dict:
    return {name: version for name in MODULES}


RELEASES = {
    "4.5": Release(
        name="4.5", moodle_version="2024090300", moodle_release="4.5",
        backup_version="2024042200", backup_release="4.5",
        module_versions={"page": "2024042200", "label": "2024042200", "url": "2024042200",
                         "resource": "2024042200", "folder": "2024042200", "book": "2024042200",
                         "forum": "2024082100", "quiz": "2024072500", "subsection": "2024070100"},
        qbank=False, subsections=False, fields=frozenset(), suffix=""),
    "5.0": Release(
        name="5.0", moodle_version="2025041400", moodle_release="5.0",
        backup_version="2025041400", backup_release="5.0",
        module_versions=_all("2025041400"),
        qbank=True, subsections=False, fields=frozenset({"precreateattempts"}), suffix="-moodle50"),
    "5.1": Release(
        name="5.1", moodle_version="2025100600", moodle_release="5.1",
        backup_version="2025100600", backup_release="5.1",
        module_versions=_all("2025100600"),
        qbank=True, subsections=False, fields=frozenset({"precreateattempts", "enableaitools"}), suffix="-moodle51"),
}
DEFAULT = "4.5"

# moodle_backup.xml's root settings; 5.x drops `questionbank` (questions go with their modules)
ROOT_SETTINGS = (("imscc11", 0), ("users", 1), ("anonymize", 0), ("role_assignments", 1), ("activities", 1),
                 ("blocks", 1), ("files", 1), ("filters", 1), ("comments", 1), ("badges", 1),
                 ("calendarevents", 1), ("userscompletion", 1), ("logs", 0), ("grade_histories", 0),
                 ("questionbank", 1), ("groups", 1), ("competencies", 1), ("customfield", 1),
                 ("contentbankcontent", 1), ("xapistate", 1), ("legacyfiles", 1))


def root_settings(release: Release) -> tuple:
    return tuple((k, v) for k, v in ROOT_SETTINGS if not (release.qbank and k == "questionbank"))


def release(name: str) -> Release:
    try:
        return RELEASES[name]
    except KeyError:
        raise ValueError(f"no Moodle release {name!r}: use one of {', '.join(RELEASES)}") from None


def archive_name(shortname: str, name: str = DEFAULT) -> str:
    """`<shortname>.mbz` for 4.5 (restores on every later release), `<shortname>-moodle5N.mbz` for 5.x."""
    return mbz_name(shortname, release(name).suffix)

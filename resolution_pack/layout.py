"""Where things are in an output folder: one place for the names that the
targets write and that `check`, `deploy` and the build's state use.

    <out>/<lang>/<shortname>.mbz               the Moodle course backup (Moodle 4.5, restores on later ones)
    <out>/<lang>/<shortname>-moodle5N.mbz      the same, written for Moodle 5.N (`build --moodle 5.N`)
    <out>/<lang>/scorm/<part>-<lang>.zip       a SCORM package per MOOC part
    <out>/<lang>/<shortname>.imscc             the IMS Common Cartridge
    <out>/<lang>/<shortname>-questions.xml     the question bank in Moodle XML
    <out>/.resolution-pack/                    the build's state (lock, manifest)

Archive names are relative to their edition's folder, <out>/<lang>/."""
from __future__ import annotations

from pathlib import Path

# the output folder's own state folder: lock, staging, manifest, journal
STATE = ".resolution-pack"
MANIFEST = "manifest.json"
JOURNAL = "journal.json"
LOCK = "lock"
# before the state folder existed: one manifest at the output's top (adopted by a build)
OLD_MANIFEST = ".resolution-pack-build.json"


def state_dir(out: Path) -> Path:
    return Path(out) / STATE


def manifest_path(out: Path) -> Path:
    return state_dir(out) / MANIFEST


# each kind of archive: its name, and the pattern that finds it in an edition's folder
MBZ_GLOB = "*.mbz"
SCORM_GLOB = "scorm/*.zip"
IMSCC_GLOB = "*.imscc"
QUESTIONS_GLOB = "*-questions.xml"


def edition_dir(out: Path, lang: str) -> Path:
    return Path(out) / lang


def mbz_name(shortname: str, suffix: str = "") -> str:
    """suffix: "" for Moodle 4.5, "-moodle50", "-moodle51" (targets/moodle_releases.py)."""
    return f"{shortname}{suffix}.mbz"


def scorm_name(part_id: str, lang: str) -> str:
    return f"scorm/{part_id}-{lang}.zip"


def questions_name(shortname: str) -> str:
    return f"{shortname}-questions.xml"


def imscc_name(shortname: str) -> str:
    return f"{shortname}.imscc"

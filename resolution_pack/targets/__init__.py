"""Build targets. A target turns one localised edition into archives.

Adding a target (IMS Common Cartridge, say) means adding one module here and
one folder under templates/, and naming it in TARGETS.

A target module defines:

    NAME = "moodle"
    def outputs(edition) -> list[str]
        archive paths, relative to the edition's output folder
    def render(edition, out_dir: Path) -> list[Path]
        writes those archives (through resolution_pack.archive) and returns them
"""
from __future__ import annotations

import importlib

TARGETS = ("moodle_backup", "scorm")


def load_targets(names=TARGETS):
    return [importlib.import_module(f"{__name__}.{name}") for name in names]

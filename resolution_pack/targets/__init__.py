"""Build targets. A target turns one localised edition into archives.

Adding a target means one module here, one folder under templates/, and one
line in TARGETS. The module is the target: it satisfies `Target` with its
module-level names (NAME, OPTIONS, outputs, render). The HTML that every
target shows on a page of its own (pages, videos, project blocks, chapters,
question texts) comes from `targets.html`, so a new target only decides how
its files are addressed and packed.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..edition import Edition

# `build --target NAME` -> the module under targets/
TARGETS = {"moodle": "moodle_backup", "scorm": "scorm", "imscc": "imscc", "questions": "moodle_xml"}


@runtime_checkable
class Target(Protocol):
    NAME: str
    # the edition.options this target reads: option -> the values it accepts (the first is the default)
    OPTIONS: dict

    def outputs(self, edition: Edition) -> list[str]:
        """Archive paths, relative to the edition's output folder."""

    def render(self, edition: Edition, out_dir: Path) -> list[Path]:
        """Write those archives (through resolution_pack.archive) and return their paths."""


def target_names(names=()) -> tuple[str, ...]:
    """`build --target` names, in TARGETS order; module names are accepted too. () means all."""
    modules = {module: name for name, module in TARGETS.items()}
    wanted = {modules.get(n, n) for n in names} if names else set(TARGETS)
    unknown = wanted - set(TARGETS)
    if unknown:
        raise ValueError(f"unknown target {', '.join(sorted(unknown))}: use one of {', '.join(TARGETS)}")
    return tuple(n for n in TARGETS if n in wanted)


def load_targets(names=()) -> list[Target]:
    targets = [importlib.import_module(f"{__name__}.{TARGETS[n]}") for n in target_names(names)]
    for target in targets:
        if not isinstance(target, Target):   # a module missing NAME, OPTIONS, outputs or render
            raise TypeError(f"{target.__name__} does not define the Target interface")
    return targets


def default_options() -> dict:
    """Every target option with its default value."""
    return {key: values[0] for target in load_targets() for key, values in target.OPTIONS.items()}

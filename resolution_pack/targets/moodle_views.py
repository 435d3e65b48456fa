"""What the Moodle target shows of a section and of a course module: the
values its templates write (section.xml, module.xml, moodle_backup.xml)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SectionView:
    key: str
    id: int
    number: int
    name: str | None
    summary: str
    modules: list = field(default_factory=list)
    parent: "ModuleView | None" = None        # a subsection's delegated section: the mod_subsection module

    @property
    def directory(self) -> str:
        return f"sections/section_{self.id}"

    @property
    def sequence(self) -> str:
        return ",".join(str(mod.cmid) for mod in self.modules)


@dataclass
class ModuleView:
    key: str                  # the stable id: the course module's idnumber
    modname: str
    cmid: int
    instance: int
    contextid: int
    section: SectionView
    name: str
    data: dict = field(default_factory=dict)      # the <modname>.xml template's own values
    completion: int = 0
    completionview: int = 0
    completiongradeitemnumber: int | None = None
    completionpassgrade: int = 0
    showdescription: int = 0
    visible: int = 1
    grade_item: dict | None = None
    question_categories: list = field(default_factory=list)

    @property
    def idnumber(self) -> str | None:
        return self.key or None

    @property
    def directory(self) -> str:
        return f"activities/{self.modname}_{self.cmid}"

    @property
    def setting_prefix(self) -> str:
        return f"{self.modname}_{self.cmid}"


def activity_name(text: str) -> str:
    """Moodle activity names are at most 1333 characters and never empty."""
    text = text.strip() or "-"
    return text if len(text) <= 1333 else text[:1332] + "…"

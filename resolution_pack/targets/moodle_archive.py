"""The files of a Moodle course backup, laid out as Moodle's own backup writes
them for the release chosen (moodle_releases), then the archive: a gzip tar
whose first member is Moodle's .ARCHIVE_INDEX."""
from __future__ import annotations

from typing import Iterator

from ..archive import ArchiveBuilder
from ..moodle_filters import COURSE_OFF
from ..text import paragraphs, plain
from .moodle_ids import stable_hex
from .moodle_releases import root_settings
from .moodle_templates import render_xml

INDEX = ".ARCHIVE_INDEX"
INDEX_HEADER = "Moodle archive file index. Count: "
DIR_MTIME = 1356998400            # 2013-01-01: what Moodle's tgz_packer gives the index and directories
STUDENT_ROLE = 5

# Moodle's backup writes the same files in every activity folder (xml_files below); forum adds grading.xml.
EXTRA_ACTIVITY_FILES = {"forum": ("grading",)}


def xml_files(backup, name: str) -> Iterator[tuple[str, str]]:
    """Every XML file of the backup (and its log): (path inside the archive,
    text), one at a time, each rendered when asked for."""
    release = backup.release
    common = {"now": backup.now, "backup": backup, "release": release}

    def add(path: str, template: str, **context) -> tuple[str, str]:
        return path, render_xml(template, **common, **context)

    course = backup.course
    edition = course.edition
    backup_key = f"{course.id}\x00{backup.lang}\x00backup" + (f"\x00{release.name}" if release.qbank else "")
    yield add("moodle_backup.xml", "moodle_backup", name=name, edition=edition, backup_id=stable_hex(backup_key),
              site_hash=stable_hex(f"resolution-pack\x00{course.id}"),
              startdate=backup.startdate, root_settings=root_settings(release),
              moodle_version=release.moodle_version, moodle_release=release.moodle_release,
              backup_version=release.backup_version, backup_release=release.backup_release)
    yield "moodle_backup.log", ""         # Moodle's own backup log, empty as in Moodle's archives
    # root files
    yield add("files.xml", "files", records=backup.files.records)
    yield add("questions.xml", "questions", categories=backup.qbank.categories)
    yield add("gradebook.xml", "gradebook", grade_category=backup.grade_category, course_item=backup.course_grade_item)
    yield add("roles.xml", "roles_definition", role=STUDENT_ROLE)
    for root in ("users", "groups", "scales", "outcomes", "badges", "grade_history"):
        yield add(f"{root}.xml", root)
    yield add("completion.xml", "course_completion")
    # course
    yield add("course/course.xml", "course", edition=edition, startdate=backup.startdate,
              summary=str(paragraphs(course.summary)), category_name=plain(course.title))
    yield add("course/enrolments.xml", "enrolments", enrols=[
              {"id": backup.ids("enrol", plugin), "plugin": plugin} for plugin in ("manual", "guest", "self")])
    yield add("course/inforef.xml", "inforef", roles=[STUDENT_ROLE], files=[], grade_items=[],
              question_categories=[] if release.qbank else [c["id"] for c in backup.qbank.categories])
    yield add("course/roles.xml", "roles")
    yield add("course/competencies.xml", "course_competencies")
    for part in ("completiondefaults", "comments", "contentbank", "calendar"):
        yield add(f"course/{part}.xml", part)
    # generated text mentions activities by name and may hold ':(' or '8-)': switch off the
    # filters that would rewrite it, as an author of generated content would
    yield add("course/filters.xml", "filters", filters_off=sorted(COURSE_OFF))
    # sections
    for section in backup.sections:
        yield add(f"{section.directory}/section.xml", "section", section=section)
        yield add(f"{section.directory}/inforef.xml", "inforef", roles=[], files=[], grade_items=[],
                  question_categories=[])
    # activities
    for mod in backup.modules:
        d = mod.directory
        yield add(f"{d}/module.xml", "module", mod=mod, version=release.module_versions[mod.modname])
        yield add(f"{d}/{mod.modname}.xml", mod.modname, mod=mod, **mod.data)
        yield add(f"{d}/inforef.xml", "inforef", roles=[],
                  files=[r.id for r in backup.files.in_context(mod.contextid) if r.component != "question"],
                  grade_items=[mod.grade_item["id"]] if mod.grade_item else [],
                  question_categories=mod.question_categories)
        yield add(f"{d}/grades.xml", "grades", mod=mod, grade_items=[mod.grade_item] if mod.grade_item else [])
        yield add(f"{d}/roles.xml", "roles")
        yield add(f"{d}/competencies.xml", "competencies")
        for part in ("calendar", "comments", "completion", "filters", "grade_history", "xapistate"):
            yield add(f"{d}/{part}.xml", part)
        for part in EXTRA_ACTIVITY_FILES.get(mod.modname, ()):
            yield add(f"{d}/{part}.xml", part)


def build_archive(backup, name: str, spool_folder=None) -> ArchiveBuilder:
    """The archive's entries, each XML file spooled to disk as it is rendered
    (the builder sorts them when it writes)."""
    out = ArchiveBuilder(spool_folder)
    for path, text in xml_files(backup, name):
        out.add_bytes(path, text)
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            out.add_dir("/".join(parts[:depth]))
    out.add_dir("files")
    for sha1, stored in sorted(backup.files.blobs.items()):
        out.add_dir(f"files/{sha1[:2]}")
        out.add_stored(f"files/{sha1[:2]}/{sha1}", stored)
    out.add_bytes(INDEX, _index(out, backup.now))
    return out


def _index(archive: ArchiveBuilder, mtime: int) -> str:
    entries = [e for e in archive.ordered() if e.name != INDEX]
    lines = [f"{INDEX_HEADER}{len(entries)}"]
    for entry in entries:
        if entry.is_dir:
            lines.append(f"{entry.name}\td\t0\t?")
        else:
            lines.append(f"{entry.name}\tf\t{entry.size}\t{mtime}")
    return "\n".join(lines) + "\n"

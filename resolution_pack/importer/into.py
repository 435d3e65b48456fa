"""`import BACKUP.mbz... --into SOURCES`: Moodle edits back into existing
sources.

Each backup is read as a plain import reads it, then aligned with the
sources' model in its language (the source model, or the sources localised
with their PO file): by idnumber (our editions keep theirs) or by structure.
A text that differs is an edit: in the source language it replaces the
scalar in the YAML file (yaml_edit.py: nothing else of the file changes), in
another language it replaces the translation in that language's PO file
(polib, headers and translators' comments kept; never made fuzzy). Texts
that differ only in markup the targets render alike are not edits.
Structural differences (an activity or a question added or removed, a
setting changed) are listed, and applied only with --structure (items and
questions added or removed). Every file is staged and checked (load and the
PO checks) before any is replaced; --dry-run only lists.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import model as m
from ..errors import InputError, Problem
from ..i18n import catalog, markup
from ..i18n.localise import load_translations, localise
from ..i18n.walk import fields
from ..load import load
from .align import Aligner, _kind, _title
from .findings import Findings
from .html import inline
from .yaml_edit import YamlFile


@dataclass
class Change:
    file: str                 # as shown (relative to the sources' parent)
    what: str
    kind: str = "text"        # text | translation | structure | setting
    applied: bool = True


@dataclass
class IntoResult:
    changes: list = field(default_factory=list)
    written: list = field(default_factory=list)


def _same(a, b) -> bool:
    """Two texts the targets render alike (markup normalised)."""
    if not a or not b:
        return not a and not b
    fold = lambda t: "\n\n".join(inline(p) for p in t.replace("\r", "").split("\n\n") if p.strip())  # noqa: E731
    return fold(a) == fold(b)


class Differ(Aligner):
    """Pairs the sources' model (source side) with a backup's (other side);
    collects the texts that differ instead of translations."""

    def __init__(self, course_edition, backup, findings):
        super().__init__(course_edition, backup, findings)
        self.edits: list[tuple[object, str, str, str, str]] = []   # (object, attr, context, old, new)
        self.structure: list[tuple[str, object, object]] = []       # (what, owner, object)
        self.seen: set = set()
        self.added: list = []       # (owner in the sources, list name, object of the backup)
        self.removed: list = []     # (owner in the sources, list name, object of the sources)

    def _text(self, a, name, context, old, new, rich, obj, where) -> None:
        if context == "course:title" and not self.other.ours:
            return      # Moodle knows the course by its full name (an edition's), not by this title
        if (id(a), name) in self.seen:      # a project's videos and texts are reached twice
            return
        self.seen.add((id(a), name))
        if isinstance(new, str) and new.strip() and not _same(old, new):
            self.edits.append((a, name, context, old or "", new))

    def _unpaired(self, only_here, only_there, owner, name, where) -> None:
        for x in only_here:
            self.structure.append((f"{_kind(x)} «{_title(x)}» is in the sources but not in Moodle", owner, x))
            self.removed.append((owner, name, x))
        for y in only_there:
            self.structure.append((f"{_kind(y)} «{_title(y)}» is in Moodle but not in the sources", owner, y))
            self.added.append((owner, name, y))

    def _report(self, what, obj, fallback) -> None:
        self.structure.append((what, None, obj))

    def _lists(self, owner, name, va, vb, where) -> None:
        if name == "items" and not any(isinstance(y, m.Subsection) for y in vb):
            va = _unwrapped(va)     # a project's block is read back as its items, in place (importer/projects.py)
        super()._lists(owner, name, va, vb, where)

    def _pair(self, a, b, where) -> None:
        if isinstance(a, m.ProjectPdf) and type(b) is m.Resource:
            self.paired[id(a)] = b  # made from its project by the loader: nothing of it is in a YAML file
            return
        super()._pair(a, b, where)

    def _same_question(self, a, b, where) -> bool:
        found = []
        probe = Aligner(self.source, self.other, type(self.findings)())
        probe._report = lambda what, obj, fallback: found.append(what)
        if not Aligner._same_question(probe, a, b, where):
            self.structure.append((found[0] if found else f"question «{_title(a)}» differs", None, a))
            return False
        return True


def _unwrapped(items: list) -> list:
    out = []
    for item in items:
        out.extend(_unwrapped(item.items) if isinstance(item, m.Subsection) else [item])
    return out


class _SourceSide:
    """The sources' model, seen by the aligner as an edition without origin
    (ids are those of the sources)."""

    def __init__(self, course: m.Course):
        self.course, self.lang, self.origin = course, course.lang or course.source_language, {}


def run_into(options, into: Path, structure: bool = False, dry_run: bool = False) -> IntoResult:
    from .run import read_all
    from .projects import recognise
    from .finish import finish_ui
    into = Path(into)
    course = load(into)
    translations = load_translations(course, into)
    work = Path(tempfile.mkdtemp(prefix=".into-", dir=into.parent))
    try:
        editions = read_all(options, work / "unpacked")
        result = IntoResult()
        differ = source_backup = None
        yaml_files: dict[str, YamlFile] = {}
        po_edits: dict[str, dict] = {}
        for edition in editions:
            recognise(edition)
            finish_ui(edition)
            if edition.lang not in course.languages:
                raise InputError(Problem(edition.backup.label, 0, 0, f"a backup in '{edition.lang}', which the "
                                         f"sources do not have ({', '.join(course.languages)})",
                                         fix="add the language to course.yaml first, or leave the backup out"))
            _fullname_edit(course, edition, into, yaml_files, result)
            if edition.lang == course.source_language:
                differ = _source_edits(course, edition, into, yaml_files, result, structure)
                source_backup = edition
            else:
                local, _missing = localise(course, edition.lang, translations.get(edition.lang), True)
                # with the source language's backup, the structure is compared with that one
                alone = not any(e.lang == course.source_language for e in editions)
                _translation_edits(course, local, edition, into, po_edits, result, alone)
        new_translations, new_media = {}, {}
        if structure and differ is not None:
            from .into_structure import apply_structure
            new_translations, new_media = apply_structure(course, differ, source_backup, editions, into,
                                                          yaml_files, result)
        if dry_run or not any(c.applied for c in result.changes):
            return result
        _write(course, into, yaml_files, po_edits, result, work, new_translations, new_media)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _shown(into: Path, path: Path) -> str:
    return catalog.shown(into, path)


def _yaml_key(obj, attr: str) -> str:
    return {"source": "from", "target": "to"}.get(attr, attr)


def _owners(course: m.Course) -> dict:
    """id(list-of-texts item) -> (owner, key, index): bullets and ordering items
    are plain strings in a list in the YAML."""
    found = {}
    for _s, item in course.items():
        for part in getattr(item, "parts", []):
            for n, bullet in enumerate(part.bullets):
                found[id(bullet)] = (part, "items", n)
    for _s, _i, q in course.questions():
        for n, entry in enumerate(q.items):
            found[id(entry)] = (q, "items", n)
    return found


def _source_edits(course, edition, into, yaml_files, result, structure: bool) -> Differ:
    differ = Differ(_SourceSide(course), edition, Findings())
    differ.run()
    owners = _owners(course)
    for obj, attr, context, old, new in differ.edits:
        owner, key, index = owners.get(id(obj), (obj, _yaml_key(obj, attr), None))
        src = owner.src
        subkey = None
        if isinstance(obj, m.UiString):
            key, subkey = obj.key, "text"
        line = src.line(key if index is None else "items") if not isinstance(obj, m.UiString) else src.line("text")
        path = into.parent / src.file if src.file else None
        if path is None or not path.is_file():
            result.changes.append(Change(src.file or "?", f"{context}: no file to edit", "text", False))
            continue
        yf = yaml_files.get(src.file) or yaml_files.setdefault(src.file, YamlFile(path, src.file))
        node = yf.value(line, key, index, subkey)
        if node is None:
            result.changes.append(Change(src.file, f"{context}: {_clip(old)!r} → {_clip(new)!r} (a text the sources "
                                         "do not have yet: add it by hand)", "text", False))
            continue
        yf.replace(node, new)
        result.changes.append(Change(src.file, f"{context}: {_clip(old)!r} → {_clip(new)!r}"))
    handled = {id(obj) for _o, _n, obj in differ.added + differ.removed} if structure else set()
    for what, _owner, obj in differ.structure:
        if id(obj) not in handled:
            result.changes.append(Change(edition.backup.label, what, "structure", False))
    return differ


def _fullname_edit(course, edition, into, yaml_files, result) -> None:
    """An edition's full name is Moodle's course full name: edited in course.yaml."""
    have = course.editions[edition.lang].fullname
    new = edition.course.editions[edition.lang].fullname
    if _same(have, new):
        return
    shown = course.src.file
    yf = yaml_files.get(shown) or yaml_files.setdefault(shown, YamlFile(into.parent / shown, shown))
    found = yf.keys.get((course.src.line("editions"), "editions"))
    node = None
    if found is not None:
        lang_node = next((v for k, v in found[0].value if k.value == edition.lang), None)
        node = next((v for k, v in lang_node.value if k.value == "fullname"), None) if lang_node is not None else None
    if node is None:
        result.changes.append(Change(shown, f"editions.{edition.lang}.fullname: not found", "text", False))
        return
    yf.replace(node, new)
    result.changes.append(Change(shown, f"editions.{edition.lang}.fullname: {_clip(have)!r} → {_clip(new)!r}"))


def _translation_edits(course, local, edition, into, po_edits, result, report_structure: bool) -> None:
    twins = {(id(b.obj), b.name): (a.context, a.value) for a, b in zip(fields(course), fields(local))}
    differ = Differ(_SourceSide(local), edition, Findings())
    differ.run()
    path = catalog.po_path(into, edition.lang)
    label = _shown(into, path)
    for obj, attr, _context, old, new in differ.edits:
        key = twins.get((id(obj), attr))
        if key is None:
            continue
        po_edits.setdefault(edition.lang, {})[key] = new
        result.changes.append(Change(label, f"{key[0]}: {_clip(old)!r} → {_clip(new)!r}", "translation"))
    for what, _owner, _obj in differ.structure if report_structure else []:
        result.changes.append(Change(edition.backup.label, what, "structure", False))


def _clip(text: str, size: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _write(course, into: Path, yaml_files: dict, po_edits: dict, result: IntoResult, work: Path,
           new_translations: dict, new_media: dict) -> None:
    """Stage every changed file in a copy of the sources, check the copy as a
    build would, then replace the changed files one by one (each atomically)."""
    from .. import atomic
    from ..i18n.extract import build_pot, pot_path, pot_text
    stage = work / into.name
    shutil.copytree(into, stage, ignore=shutil.ignore_patterns("media"))
    if (into / "media").exists():
        (stage / "media").symlink_to((into / "media").absolute())
    new_texts = {}
    for shown, yf in yaml_files.items():
        rel = Path(shown).relative_to(into.name) if shown.startswith(into.name + "/") else Path(shown)
        new_texts[rel] = yf.apply()
        (stage / rel).write_text(new_texts[rel], "utf-8")
    staged = load(stage, check_media=False)
    edited_sources = bool(yaml_files)
    if edited_sources:       # source texts changed: the template, then each PO file follows
        rel = pot_path(Path("."), staged.id)
        old_pot = (stage / rel).read_text("utf-8") if (stage / rel).exists() else None
        pot = build_pot(staged, old_pot)
        new_texts[rel] = pot_text(pot)
        (stage / rel).write_text(new_texts[rel], "utf-8")
    rekey = _rekey(course, staged) if edited_sources else {}
    for lang in sorted(set(po_edits) | (set(staged.languages) - {staged.source_language} if edited_sources else set())):
        rel = catalog.po_path(Path("."), lang)
        if not (stage / rel).exists():
            continue
        old_po = catalog.read_po(stage / rel, str(rel))
        po = catalog.merge(pot, old_po, lang) if edited_sources else old_po
        edits = po_edits.get(lang, {})
        for entry in po:
            if entry.obsolete:
                continue
            key = (entry.msgctxt, entry.msgid)
            old_key = rekey.get(key, key)
            if key in rekey:          # the source text was edited here: its translation follows, not fuzzy
                previous = old_po.find(old_key[1], msgctxt=old_key[0])
                if previous is not None and previous.msgstr and "fuzzy" not in previous.flags:
                    entry.msgstr = previous.msgstr
                    if markup.problems(entry.msgid, entry.msgstr, True):
                        # the markup changed: the old translation no longer fits; kept as a comment to redo it
                        entry.tcomment = "\n".join(x for x in (entry.tcomment, "previous translation: "
                                                                + " ".join(entry.msgstr.split())) if x)
                        entry.msgstr = ""
                        result.changes.append(Change(str(rel), f"{key[0]}: the source's markup changed: to "
                                                     "translate again (the old translation is in a comment)",
                                                     "translation"))
                    _unfuzzy(entry)
            if old_key in edits or key in edits:
                entry.msgstr = edits.get(old_key) or edits[key]
                _unfuzzy(entry)
            elif key in new_translations.get(lang, {}) and (not entry.msgstr or "fuzzy" in entry.flags):
                entry.msgstr = new_translations[lang][key]     # a text --structure added: Moodle's translation
                _unfuzzy(entry)
        if edited_sources:           # the old text's entry, obsolete now, is dropped: it was edited, not removed
            gone = {old for old in rekey.values()}
            po[:] = [e for e in po if not (e.obsolete and (e.msgctxt, e.msgid) in gone)]
        new_texts[rel] = str(po) + "\n"
        (stage / rel).write_text(new_texts[rel], "utf-8")
    load_translations(staged, stage)
    for rel, (backup, member) in sorted(new_media.items()):     # media of added activities, copied as they are
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(backup.path(member), target)
        result.written.append(str(rel))
    for rel, text in sorted(new_texts.items()):
        if atomic.write_text_if_changed(into / rel, text):
            result.written.append(str(rel))


def _unfuzzy(entry) -> None:
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = None


def _rekey(before: m.Course, after: m.Course) -> dict:
    """(context, new text) -> (context, old text) for each text edited in the
    sources (a context whose one text changed)."""
    def texts(course):
        found: dict[str, set] = {}
        for f in fields(course):
            found.setdefault(f.context, set()).add(f.value)
        return found
    old, new = texts(before), texts(after)
    out = {}
    for context, values in new.items():
        added, removed = values - old.get(context, set()), old.get(context, set()) - values
        if len(added) == 1 and len(removed) == 1:
            out[(context, next(iter(added)))] = (context, next(iter(removed)))
    return out

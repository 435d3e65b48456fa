"""import --into --structure: activities and questions that Moodle has and the
sources do not are added to the section (or test) YAML where Moodle has them,
those the sources have and Moodle does not are removed; their media are
copied (never over a file), their translations taken from the other
languages' backups. Other structural differences are listed only."""
from __future__ import annotations

import copy
import dataclasses
import hashlib
from pathlib import Path

import yaml

from .. import model as m
from .align import align
from .findings import Findings
from .ids import Names
from .sources_writer import dump, item_doc, question_doc


def apply_structure(course: m.Course, differ, source_backup, editions, into: Path, yaml_files: dict, result):
    from .into import Change, YamlFile
    new_media: dict = {}
    existing = _existing_media(into)
    others = [e for e in editions if e is not source_backup]
    translations = align(source_backup, others, Findings()) if others else {}
    handled = 0
    for owner, name, obj in differ.removed:
        if not _removable(owner, name, obj):
            continue
        yf = _file(owner, into, yaml_files, YamlFile)
        node, parent = _item_node(yf, obj)
        if node is None:
            continue
        yf.edits.append(_removal(yf.text, parent, node))
        result.changes.append(Change(yf.shown, f"removed {obj.kind if isinstance(obj, m.Item) else 'question'} "
                                     f"{obj.id} «{_short(obj)}»", "structure"))
        handled += 1
    for owner, name, obj in differ.added:
        if not _removable(owner, name, obj):
            continue
        yf = _file(owner, into, yaml_files, YamlFile)
        new = copy.deepcopy(obj)
        _rename(owner, new, name)
        _media(new, source_backup, into, existing, new_media)
        text = _render(new, name)
        position = _position(yf, owner, name, obj, differ)
        if position is None:
            continue
        yf.edits.append((position, position, _indent(text, _indent_of(yf, owner, name))))
        result.changes.append(Change(yf.shown, f"added {new.kind if isinstance(new, m.Item) else 'question'} "
                                     f"{new.id} «{_short(new)}»", "structure"))
    wanted = {lang: strings for lang, strings in translations.items() if not lang.endswith(":missing")}
    return wanted, new_media


def _removable(owner, name: str, obj) -> bool:
    """Items of a section written in its own YAML (not the project blocks)
    and questions of a test."""
    if name == "items" and isinstance(owner, m.Section):
        return isinstance(obj, m.Item) and not isinstance(obj, (m.ProjectOverview, m.ProjectSheet)) \
            and not obj.id.startswith(("tutorial.", "toolbox."))
    return name == "questions" and isinstance(obj, m.Question)


def _short(obj) -> str:
    text = getattr(obj, "title", None) or getattr(obj, "text", "") or ""
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:49] + "…"


def _file(owner, into: Path, yaml_files: dict, cls):
    shown = owner.src.file
    return yaml_files.get(shown) or yaml_files.setdefault(shown, cls(into.parent / shown, shown))


def _list_node(yf, owner, name: str):
    key = "items" if name == "items" else "questions"
    found = yf.keys.get((owner.src.line(key), key))
    return found[0] if found is not None else None


def _item_node(yf, obj):
    """The mapping node of an item or question of the sources, and its list."""
    found = yf.keys.get((obj.src.line("id"), "id"))
    if found is None:
        return None, None
    mapping = found[1]
    for seq in _sequences(yf.root):
        if any(child is mapping for child in seq.value):
            return mapping, seq
    return None, None


def _sequences(node):
    if isinstance(node, yaml.SequenceNode):
        yield node
        for child in node.value:
            yield from _sequences(child)
    elif isinstance(node, yaml.MappingNode):
        for _k, v in node.value:
            yield from _sequences(v)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _removal(text: str, seq, node) -> tuple[int, int, str]:
    """From the item's '- ' line to the next item's (or the list's end)."""
    children = seq.value
    n = next(i for i, c in enumerate(children) if c is node)
    start = _line_start(text, node.start_mark.index)
    end = _line_start(text, children[n + 1].start_mark.index) if n + 1 < len(children) else \
        _line_start(text, seq.end_mark.index) if seq.end_mark.index < len(text) else len(text)
    if end < start:
        end = len(text)
    return start, end, ""


def _position(yf, owner, name: str, obj, differ) -> int | None:
    """Where the new item goes: after the sources' counterpart of the item
    before it in Moodle, else first in the list."""
    seq = _list_node(yf, owner, name)
    if seq is None or not isinstance(seq, yaml.SequenceNode) or seq.flow_style:
        return None
    backup_list = getattr(differ.paired.get(id(owner)), name, [])
    previous = None
    for other in backup_list:
        if other is obj:
            break
        if id(other) in differ.matched:
            previous = differ.matched[id(other)]
    if previous is not None:
        node, _seq = _item_node(yf, previous)
        if node is not None:
            children = seq.value
            n = next((i for i, c in enumerate(children) if c is node), None)
            if n is not None:
                return _line_start(yf.text, children[n + 1].start_mark.index) if n + 1 < len(children) else \
                    _end_of_list(yf.text, seq)
    return _line_start(yf.text, seq.value[0].start_mark.index) if seq.value else None


def _end_of_list(text: str, seq) -> int:
    end = seq.end_mark.index
    return len(text) if end >= len(text) else _line_start(text, end)


def _indent_of(yf, owner, name: str) -> int:
    seq = _list_node(yf, owner, name)
    first = seq.value[0] if seq is not None and seq.value else None
    return first.start_mark.column - 2 if first is not None else 2


def _indent(text: str, width: int) -> str:
    pad = " " * width
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def _render(obj, name: str) -> str:
    doc = item_doc(obj) if name == "items" else question_doc(obj)
    return dump([doc])


def _rename(owner, obj, name: str) -> None:
    """A local id the list does not use yet."""
    names = Names()
    names.reserve(x.local_id for x in getattr(owner, name))
    local = names.claim(obj.local_id)
    prefix = owner.id
    obj.id = f"{prefix}.{local}"


def _existing_media(into: Path) -> dict:
    found = {}
    for path in sorted((into / "media").rglob("*")) if (into / "media").is_dir() else []:
        if path.is_file():
            found[hashlib.sha1(path.read_bytes()).hexdigest()] = path.relative_to(into).as_posix()
    return found


def _media(obj, backup, into: Path, existing: dict, new_media: dict) -> None:
    """Point the new item's media at files of the sources: the same content
    already there, else a copy under a name no file has."""
    for ref in _refs(obj):
        source = backup.media.sources.get(ref.path)
        if source is None:
            continue
        edition_backup, member = source
        digest = Path(edition_backup.path(member)).name
        if digest in existing:
            ref.path = existing[digest]
            continue
        stem, dot, ext = ref.path.rpartition(".")
        candidate, n = ref.path, 2
        while (into / candidate).exists() or candidate in new_media:
            candidate = f"{stem}-{n}.{ext}"
            n += 1
        new_media[candidate] = (edition_backup, member)
        existing[digest] = candidate
        ref.path = candidate


def _refs(obj):
    if isinstance(obj, m.MediaRef):
        if not obj.generated:
            yield obj
    elif isinstance(obj, list):
        for x in obj:
            yield from _refs(x)
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from _refs(getattr(obj, f.name))


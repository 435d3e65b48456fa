"""The files of a Moodle backup: files.xml records and content-addressed blobs.

Moodle keeps one record per use of a file (context, component, file area,
item, path, name) and one blob per distinct content, stored in the archive as
`files/<first two hex digits of the sha1>/<sha1>`. Every file area also has a
record for each of its directories (`filename` "."), as Moodle's own backup
writes them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from ..edition import StoredFile
from ..moodle_filters import defuse
from .moodle_ids import Ids

EMPTY_SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"   # sha1 of no bytes: directory records


@dataclass
class FileRecord:
    id: int
    contenthash: str
    contextid: int
    component: str
    filearea: str
    itemid: int
    filepath: str
    filename: str
    filesize: int
    mimetype: str | None
    sortorder: int = 0

    @property
    def is_dir(self) -> bool:
        return self.filename == "."


def plugin_url(name: str) -> str:
    """The @@PLUGINFILE@@ reference of a file at the root of its area."""
    return "@@PLUGINFILE@@/" + quote(name, safe="")


def clean_folder(folder: str) -> str:
    """'a/b' -> '/a/b/', '' -> '/'."""
    parts = [p for p in PurePosixPath(folder or "").parts if p not in ("/", ".", "")]
    return "/" + "".join(p + "/" for p in parts)


class Files:
    def __init__(self, ids: Ids):
        self.ids = ids
        self.records: list[FileRecord] = []
        self.blobs: dict[str, StoredFile] = {}      # sha1 -> a file holding those bytes
        self._names: dict[tuple, dict[str, FileRecord]] = {}  # (ctx, comp, area, item, path) -> name -> record
        self._dirs: set[tuple] = set()
        self._by_context: dict[int, list[FileRecord]] = {}    # in_context() per module: no scan of them all

    def add(self, stored: StoredFile, *, owner: str, contextid: int, component: str, filearea: str,
            itemid: int = 0, filepath: str = "/", sortorder: int = 0) -> FileRecord:
        """Record one use of `stored`; return its record (an existing one when
        the same bytes are already there under the same name). A different
        file with a name already taken in that folder gets a numbered name."""
        folder = (contextid, component, filearea, itemid, filepath)
        names = self._names.setdefault(folder, {})
        name = defuse(stored.name)         # its @@PLUGINFILE@@ URL must not trigger the emoticon filter
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        n = 1
        while name in names:
            if names[name].contenthash == stored.sha1:
                return names[name]
            n += 1
            name = defuse(f"{stem}-{n}.{ext}" if dot else f"{stem}-{n}")
        record = FileRecord(
            id=self.ids("file", f"{owner}\x00{component}/{filearea}/{itemid}{filepath}{name}"),
            contenthash=stored.sha1, contextid=contextid, component=component, filearea=filearea,
            itemid=itemid, filepath=filepath, filename=name, filesize=stored.size,
            mimetype=stored.mimetype, sortorder=sortorder)
        names[name] = record
        self._keep(record)
        self.blobs.setdefault(stored.sha1, stored)
        self._add_dirs(owner, folder)
        return record

    def _add_dirs(self, owner: str, folder: tuple) -> None:
        contextid, component, filearea, itemid, filepath = folder
        paths = []
        path = filepath
        while True:
            paths.append(path)
            if path == "/":
                break
            path = path[: path.rstrip("/").rfind("/") + 1]
        for path in reversed(paths):
            key = (contextid, component, filearea, itemid, path)
            if key in self._dirs:
                continue
            self._dirs.add(key)
            self._keep(FileRecord(
                id=self.ids("file", f"{owner}\x00{component}/{filearea}/{itemid}{path}."),
                contenthash=EMPTY_SHA1, contextid=contextid, component=component, filearea=filearea,
                itemid=itemid, filepath=path, filename=".", filesize=0, mimetype=None))

    def _keep(self, record: FileRecord) -> None:
        self.records.append(record)
        self._by_context.setdefault(record.contextid, []).append(record)

    def in_context(self, contextid: int, component: str | None = None) -> list[FileRecord]:
        """The records of one context, in the order they were made."""
        return [r for r in self._by_context.get(contextid, ()) if component is None or r.component == component]

"""The files of a backup: files.xml's records, and the media folder they
become (one file per distinct content, `@@PLUGINFILE@@` references resolved
back to media paths)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from .. import model as m
from ..media import MIMETYPES, _looks_like, sniff
from .archive import Backup

EMPTY_SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
PLUGINFILE = "@@PLUGINFILE@@/"
_UNSAFE = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")


@dataclass(frozen=True)
class FileRecord:
    contenthash: str
    contextid: str
    component: str
    filearea: str
    itemid: str
    filepath: str
    filename: str
    mimetype: str

    @property
    def member(self) -> str:
        return f"files/{self.contenthash[:2]}/{self.contenthash}"


class FileIndex:
    """files.xml, by (context, component, file area, item) and path."""

    def __init__(self, backup: Backup):
        self.backup = backup
        self.areas: dict[tuple, dict[str, FileRecord]] = {}
        doc = backup.xml("files.xml", required=False)
        for f in doc.iterfind("file") if doc is not None else []:
            rec = FileRecord(*(f.findtext(k) or "" for k in (
                "contenthash", "contextid", "component", "filearea", "itemid", "filepath", "filename", "mimetype")))
            if rec.filename == "." or rec.contenthash == EMPTY_SHA1 and rec.filename == ".":
                continue
            key = (rec.contextid, rec.component, rec.filearea, rec.itemid)
            self.areas.setdefault(key, {})[rec.filepath + rec.filename] = rec

    def area(self, contextid, component: str, filearea: str, itemid="0") -> list[FileRecord]:
        found = self.areas.get((str(contextid), component, filearea, str(itemid)), {})
        return [found[k] for k in sorted(found, key=lambda p: (p.count("/"), p))]

    def resolve(self, url: str, contextid, component: str, filearea: str, itemid="0") -> FileRecord | None:
        """The record an `@@PLUGINFILE@@/path/name` URL of that area points at."""
        if not url or not url.startswith(PLUGINFILE):
            return None
        path = "/" + unquote(url[len(PLUGINFILE):].split("?")[0].split("#")[0]).lstrip("/")
        return self.areas.get((str(contextid), component, filearea, str(itemid)), {}).get(path)


    def resolve_item(self, url: str, component: str, filearea: str, itemid) -> FileRecord | None:
        """As resolve(), in whatever context the item's area is (a question's
        files live in its category's context: the course, or a 5.x qbank)."""
        for (contextid, comp, area, item) in self.areas:
            if (comp, area, item) == (component, filearea, str(itemid)):
                found = self.resolve(url, contextid, component, filearea, itemid)
                if found is not None:
                    return found
        return None


class MediaPlan:
    """Gives each distinct content one path under media/, named after the
    first file that had it; a different content with a taken name gets a
    numbered name. Deterministic: the same backup gives the same names."""

    def __init__(self):
        self.by_hash: dict[str, str] = {}
        self.sources: dict[str, tuple[Backup, str]] = {}   # media path -> (backup, member)
        self.names: set[str] = set()
        self.refused: list[tuple[FileRecord, str]] = []
        self.renamed: list[tuple[FileRecord, str]] = []

    def ref(self, backup: Backup, rec: FileRecord | None) -> m.MediaRef | None:
        if rec is None:
            return None
        found = self.by_hash.get(rec.contenthash)
        if found is not None:
            return m.MediaRef(found)
        if not backup.exists(rec.member):
            self.refused.append((rec, "its content is missing from the archive"))
            return None
        name = _safe_name(rec.filename)
        with open(backup.path(rec.member), "rb") as fh:
            head = fh.read(64)
        suffix = PurePosixPath(name).suffix.lower()
        if not head:
            self.refused.append((rec, "the file is empty"))
            return None
        if suffix not in MIMETYPES or not _looks_like(suffix, head):
            # the sources refuse a file whose bytes are not what its name says
            real = sniff(head)
            if real is None:
                self.refused.append((rec, f"a file of a type the sources do not take ({suffix or 'no extension'})"))
                return None
            name += real
            self.renamed.append((rec, name))
        path = self._unique(f"media/{name}")
        self.by_hash[rec.contenthash] = path
        self.sources[path] = (backup, rec.member)
        return m.MediaRef(path)

    def _unique(self, path: str) -> str:
        stem, dot, ext = path.rpartition(".")
        candidate, n = path, 2
        while candidate.lower() in self.names:
            candidate = f"{stem}-{n}.{ext}"
            n += 1
        self.names.add(candidate.lower())
        return candidate


def _safe_name(name: str) -> str:
    return _UNSAFE.sub("-", name).strip(" .") or "file"

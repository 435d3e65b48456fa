"""Deterministic archives: the same entries give the same bytes.

Entries are sorted by name (a caller may pin some first, like Moodle's
.ARCHIVE_INDEX), every timestamp is one fixed value, owners and modes are
fixed, and file contents are streamed from disk, never held whole in memory.
The archive is written to a temporary name and renamed into place only when
complete.
"""
from __future__ import annotations

import gzip
import io
import os
import shutil
import tarfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import atomic
from .media import COMPRESSED

# 2022-01-01T00:00:00Z: the default timestamp when SOURCE_DATE_EPOCH is not set.
DEFAULT_EPOCH = 1640995200
CHUNK = 1024 * 1024


def source_date_epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else DEFAULT_EPOCH


@dataclass
class Entry:
    name: str
    data: bytes | None = None     # in-memory content
    path: Path | None = None      # or a file streamed from disk
    is_dir: bool = False
    compress: bool | None = None  # None: decide from the extension

    @property
    def size(self) -> int:
        if self.is_dir:
            return 0
        return len(self.data) if self.data is not None else os.path.getsize(self.path)

    def open(self):
        return io.BytesIO(self.data) if self.data is not None else open(self.path, "rb")


def check_name(name: str) -> str:
    """Refuse names that could escape or confuse an extractor."""
    pure = PurePosixPath(name.rstrip("/"))
    if not name or name.startswith("/") or "\\" in name or ".." in pure.parts or "\x00" in name:
        raise ValueError(f"unsafe archive entry name: {name!r}")
    return name


class ArchiveBuilder:
    """Collect entries, then write them in one deterministic pass."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}

    def add_bytes(self, name: str, data: bytes | str, compress: bool | None = None) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._add(Entry(check_name(name), data=data, compress=compress))

    def add_file(self, name: str, path: Path, compress: bool | None = None) -> None:
        self._add(Entry(check_name(name), path=Path(path), compress=compress))

    def add_dir(self, name: str) -> None:
        name = name.rstrip("/") + "/"
        self._add(Entry(check_name(name), is_dir=True))

    def _add(self, entry: Entry) -> None:
        if entry.name in self.entries:
            old = self.entries[entry.name]
            if old.is_dir and entry.is_dir:
                return
            raise ValueError(f"archive entry written twice: {entry.name}")
        self.entries[entry.name] = entry

    def ordered(self, first: tuple[str, ...] = ()) -> list[Entry]:
        pinned = [self.entries[n] for n in first if n in self.entries]
        rest = sorted((e for n, e in self.entries.items() if n not in first), key=lambda e: e.name)
        return pinned + rest

    # -- writers --
    def write_tgz(self, target: Path, first: tuple[str, ...] = (), mtime: int | None = None,
                  dir_mtime: int | None = None) -> Path:
        """A ustar archive in gzip. Already-compressed contents (video,
        images, PDF) go into gzip members of level 0 (stored), the rest into
        level-6 members: a multi-member gzip file, which gzip, zlib's gzread
        (Moodle's tgz_extractor) and Python all read as one stream."""
        mtime = source_date_epoch() if mtime is None else mtime
        dir_mtime = mtime if dir_mtime is None else dir_mtime
        with atomic.replacing(target) as tmp, open(tmp, "wb") as raw:
            gz = _MultiGzip(raw)
            for entry in self.ordered(first):
                info = tarfile.TarInfo(entry.name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                if entry.is_dir:
                    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, dir_mtime
                    gz.write(info.tobuf(tarfile.USTAR_FORMAT, "utf-8", "surrogateescape"), compress=True)
                    continue
                info.mode, info.mtime, info.size = 0o644, mtime, entry.size
                header = info.tobuf(tarfile.USTAR_FORMAT, "utf-8", "surrogateescape")
                compress = _should_compress(entry)
                gz.write(header, compress=compress)
                with entry.open() as fh:
                    while chunk := fh.read(CHUNK):
                        gz.write(chunk, compress=compress)
                if info.size % tarfile.BLOCKSIZE:
                    gz.write(tarfile.NUL * (tarfile.BLOCKSIZE - info.size % tarfile.BLOCKSIZE), compress=compress)
            # end of archive: two zero blocks, padded to a full record (as tarfile does)
            written = gz.tar_bytes + 2 * tarfile.BLOCKSIZE
            gz.write(tarfile.NUL * (2 * tarfile.BLOCKSIZE + (-written % tarfile.RECORDSIZE)), compress=True)
            gz.close()
        return target

    def write_zip(self, target: Path, first: tuple[str, ...] = (), mtime: int | None = None) -> Path:
        mtime = source_date_epoch() if mtime is None else mtime
        stamp = time.gmtime(max(mtime, 315532800))[:6]  # zip cannot hold dates before 1980
        with atomic.replacing(target) as tmp, zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            for entry in self.ordered(first):
                info = zipfile.ZipInfo(entry.name, date_time=stamp)
                info.create_system = 3  # unix, so that the modes below are read
                if entry.is_dir:
                    info.external_attr = (0o40755 << 16) | 0x10
                    zf.writestr(info, b"")
                    continue
                info.external_attr = 0o100644 << 16
                compress = entry.compress
                if compress is None:
                    compress = PurePosixPath(entry.name).suffix.lower() not in COMPRESSED
                info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
                if compress:
                    info._compresslevel = 6
                with entry.open() as src, zf.open(info, "w", force_zip64=entry.size > 0x7FFFFFFF) as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
        return target


_COMPRESSED_MAGIC = (b"\x1a\x45\xdf\xa3", b"\x89PNG", b"\xff\xd8\xff", b"%PDF", b"GIF8", b"OggS",
                     b"PK\x03\x04", b"\x1f\x8b", b"ID3", b"RIFF")


def _should_compress(entry: Entry) -> bool:
    """Compress text; store what is already compressed, known by its
    extension or, for content-addressed names, by its first bytes."""
    if entry.compress is not None:
        return entry.compress
    suffix = PurePosixPath(entry.name).suffix.lower()
    if suffix in COMPRESSED:
        return False
    if suffix:
        return True
    with entry.open() as fh:
        head = fh.read(12)
    return not (head.startswith(_COMPRESSED_MAGIC) or head[4:8] == b"ftyp")


class _MultiGzip:
    """Write gzip members one after another, switching between deflate
    level 6 and level 0 (stored) as the contents change."""

    def __init__(self, raw):
        self.raw = raw
        self.member = None
        self.level = None
        self.tar_bytes = 0

    def write(self, data: bytes, compress: bool) -> None:
        level = 6 if compress else 0
        if level != self.level:
            self._close_member()
            self.member = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, mtime=0, compresslevel=level)
            self.level = level
        self.member.write(data)
        self.tar_bytes += len(data)

    def _close_member(self) -> None:
        if self.member is not None:
            self.member.close()
            self.member = None

    def close(self) -> None:
        self._close_member()

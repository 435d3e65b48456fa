"""Deterministic archives: the same entries give the same bytes.

Entries are sorted by name (a caller may pin some first, like Moodle's
.ARCHIVE_INDEX), every timestamp is one fixed value, owners and modes are
fixed, and file contents are streamed from disk, never held whole in memory.
Contents given as bytes go to a spool file as they are added (a 100x course's
Moodle backup is ~20k XML files, 180 MB an edition: held until the archive
was written, they were most of a build's peak memory). The archive is written
to a temporary name and renamed into place only when complete.
"""
from __future__ import annotations

import gzip
import io
import os
import struct
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from . import atomic
from .media import COMPRESSED

# 2022-01-01T00:00:00Z: the default timestamp when SOURCE_DATE_EPOCH is not set.
DEFAULT_EPOCH = 1640995200
CHUNK = 1024 * 1024

# CRC-32 of files already read in this build, by (path, size, mtime_ns): the
# build hashes each media file once (sha1 and CRC-32 in one pass) and every
# archive that stores it reuses the CRC, copying the bytes in the kernel.
_CRCS: dict[tuple, int] = {}


def remember_crc(path, size: int, mtime_ns: int, crc: int) -> None:
    _CRCS[(os.fspath(path), size, mtime_ns)] = crc


def file_crc(path) -> tuple[int, int]:
    """(CRC-32, size) of a file, read once per build."""
    st = os.stat(path)
    key = (os.fspath(path), st.st_size, st.st_mtime_ns)
    crc = _CRCS.get(key)
    if crc is None:
        crc = 0
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                crc = zlib.crc32(chunk, crc)
        _CRCS[key] = crc
    return crc, st.st_size


def source_date_epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else DEFAULT_EPOCH


class Spool:
    """An unnamed temporary file (nothing left behind, whatever happens)
    that holds added contents until the archive is written."""

    def __init__(self, folder=None):
        self.folder = folder
        self.file = None

    def put(self, data: bytes) -> tuple[int, int]:
        if self.file is None:
            self.file = tempfile.TemporaryFile(dir=self.folder)
        offset = self.file.seek(0, os.SEEK_END)
        self.file.write(data)
        return offset, len(data)

    def get(self, offset: int, size: int) -> bytes:
        self.file.flush()
        return os.pread(self.file.fileno(), size, offset)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


@dataclass
class Entry:
    name: str
    data: bytes | None = None     # in-memory content
    path: Path | None = None      # or a file streamed from disk
    is_dir: bool = False
    compress: bool | None = None  # None: decide from the extension
    spooled: tuple | None = None  # or (spool, offset, size)

    @property
    def size(self) -> int:
        if self.is_dir:
            return 0
        if self.spooled is not None:
            return self.spooled[2]
        return len(self.data) if self.data is not None else os.path.getsize(self.path)

    def content(self) -> bytes:
        """The bytes of an entry that is not a file on disk."""
        if self.spooled is not None:
            spool, offset, size = self.spooled
            return spool.get(offset, size)
        return self.data

    def open(self):
        return open(self.path, "rb") if self.path is not None else io.BytesIO(self.content())


def check_name(name: str) -> str:
    """Refuse names that could escape or confuse an extractor."""
    if not name or name.startswith("/") or "\\" in name or ".." in name.split("/") or "\x00" in name:
        raise ValueError(f"unsafe archive entry name: {name!r}")
    return name


def suffix(name: str) -> str:
    """The lower-case extension of an entry's last component, as
    PurePosixPath(name).suffix gives it for an entry's name ('' for
    '.hidden' or 'name.'), without a path object for each of thousands."""
    last = name.rstrip("/").rpartition("/")[2]
    dot = last.rfind(".")
    return last[dot:].lower() if 0 < dot < len(last) - 1 else ""


class ArchiveBuilder:
    """Collect entries, then write them in one deterministic pass.

    Bytes and strings added are kept in a spool file (in `spool_folder`,
    the system's temporary folder by default), not in memory."""

    def __init__(self, spool_folder=None) -> None:
        self.entries: dict[str, Entry] = {}
        self.spool = Spool(spool_folder)

    def add_bytes(self, name: str, data: bytes | str, compress: bool | None = None) -> None:
        name = check_name(name)
        if name in self.entries:
            self._add(Entry(name))      # refused before anything is spooled
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._add(Entry(name, compress=compress, spooled=(self.spool, *self.spool.put(data))))

    def close(self) -> None:
        """Drop the spooled contents (also done when the builder is freed)."""
        self.spool.close()

    def add_file(self, name: str, path: Path, compress: bool | None = None) -> None:
        self._add(Entry(check_name(name), path=Path(path), compress=compress))

    def add_stored(self, name: str, stored, compress: bool | None = None) -> None:
        """A media file of the edition (edition.StoredFile): streamed from
        its path, or read from the spool that holds it."""
        if stored.path is not None:
            self.add_file(name, stored.path, compress)
        else:
            self._add(Entry(check_name(name), compress=compress, spooled=stored.spooled))

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
                if entry.is_dir:
                    gz.write(ustar_header(entry.name, 0, dir_mtime, is_dir=True), compress=True)
                    continue
                size = entry.size
                header = ustar_header(entry.name, size, mtime)
                padding = tarfile.NUL * (-size % tarfile.BLOCKSIZE)
                compress = _should_compress(entry)
                if not compress and size:
                    # the file's bytes in a gzip member of their own, copied as they are
                    gz.write(header, compress=True)
                    if entry.path is not None:
                        gz.copy_stored(entry.path, size)
                    else:
                        gz.store(entry.content())
                elif entry.path is None and compress:
                    # one write for a spooled text: deflate's output does not depend on how its input is cut
                    gz.write(header + entry.content() + padding, compress=True)
                    continue
                else:
                    gz.write(header, compress=compress)
                    with entry.open() as fh:
                        while chunk := fh.read(CHUNK):
                            gz.write(chunk, compress=compress)
                if padding:
                    gz.write(padding, compress=True)
            # end of archive: two zero blocks, padded to a full record (as tarfile does)
            written = gz.tar_bytes + 2 * tarfile.BLOCKSIZE
            gz.write(tarfile.NUL * (2 * tarfile.BLOCKSIZE + (-written % tarfile.RECORDSIZE)), compress=True)
            gz.close()
        return target

    def write_zip(self, target: Path, first: tuple[str, ...] = (), mtime: int | None = None) -> Path:
        """A zip archive: text deflated (level 6), already-compressed
        contents stored, their bytes copied by the kernel."""
        mtime = source_date_epoch() if mtime is None else mtime
        stamp = time.gmtime(max(mtime, 315532800))[:6]  # zip cannot hold dates before 1980
        with atomic.replacing(target) as tmp, open(tmp, "wb") as fh:
            writer = _ZipWriter(fh, stamp)
            for entry in self.ordered(first):
                if entry.is_dir:
                    writer.add(entry.name, None, (0o40755 << 16) | 0x10, compress=False)
                    continue
                compress = entry.compress
                if compress is None:
                    compress = suffix(entry.name) not in COMPRESSED
                writer.add(entry.name, entry, 0o100644 << 16, compress)
            writer.close()
        return target


def ustar_header(name: str, size: int, mtime: int, is_dir: bool = False) -> bytes:
    """A ustar header block as tarfile writes one (root-owned, no user
    names, mode 644 or 755), made here: tarfile takes ~30 us a header for
    the ~2,000 of a backup, and its device fields changed in Python 3.11.4,
    which changed the archives' bytes with the interpreter."""
    raw = name.encode("utf-8", "surrogateescape")
    prefix = b""
    if len(raw) > 100:
        prefix, raw = _split_name(name)
    if not 0 <= size < 8 ** 11 or not 0 <= mtime < 8 ** 11:
        raise ValueError(f"{name}: size or date too large for a ustar header")
    block = bytearray(b"".join((
        raw.ljust(100, b"\0"), b"0000755\0" if is_dir else b"0000644\0", b"0000000\0", b"0000000\0",
        b"%011o\0" % size, b"%011o\0" % mtime, b"        ", b"5" if is_dir else b"0", bytes(100),
        b"ustar\x0000", bytes(80), prefix.ljust(155, b"\0"), bytes(12))))
    block[148:155] = b"%06o\0" % sum(block)
    return bytes(block)


def _split_name(name: str) -> tuple[bytes, bytes]:
    """(prefix, name) of a name over 100 bytes, split at the first '/'
    that leaves both parts short enough, as tarfile splits it."""
    parts = name.split("/")
    for i in range(1, len(parts)):
        prefix = "/".join(parts[:i]).encode("utf-8", "surrogateescape")
        rest = "/".join(parts[i:]).encode("utf-8", "surrogateescape")
        if len(prefix) <= 155 and len(rest) <= 100:
            return prefix, rest
    raise ValueError(f"archive entry name too long for ustar: {name!r}")


_COMPRESSED_MAGIC = (b"\x1a\x45\xdf\xa3", b"\x89PNG", b"\xff\xd8\xff", b"%PDF", b"GIF8", b"OggS",
                     b"PK\x03\x04", b"\x1f\x8b", b"ID3", b"RIFF")


def _should_compress(entry: Entry) -> bool:
    """Compress text; store what is already compressed, known by its
    extension or, for content-addressed names, by its first bytes."""
    if entry.compress is not None:
        return entry.compress
    extension = suffix(entry.name)
    if extension in COMPRESSED:
        return False
    if extension:
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

    def copy_stored(self, path: Path, size: int) -> None:
        """One gzip member holding the file's bytes in stored deflate blocks
        (what level 0 writes), its CRC-32 known: the bytes are copied by
        the kernel, never through Python."""
        crc, found = file_crc(path)
        if found != size:
            raise OSError(f"{path} changed while the archive was written")
        with open(path, "rb") as src:
            self._stored_member(crc, size, lambda n: _copy(src, self.raw, n))

    def store(self, data: bytes) -> None:
        """copy_stored() for bytes held in memory: the same member."""
        view = memoryview(data)
        done = 0

        def put(n: int) -> None:
            nonlocal done
            self.raw.write(view[done:done + n])
            done += n
        self._stored_member(zlib.crc32(data), len(data), put)

    def _stored_member(self, crc: int, size: int, copy) -> None:
        self._close_member()
        self.level = None
        raw = self.raw
        raw.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")  # gzip, deflate, no name, mtime 0
        left = size
        while left:
            n = min(left, 0xFFFF)
            left -= n
            raw.write(struct.pack("<BHH", 0 if left else 1, n, n ^ 0xFFFF))
            copy(n)
        raw.write(struct.pack("<II", crc, size & 0xFFFFFFFF))
        self.tar_bytes += size

    def _close_member(self) -> None:
        if self.member is not None:
            self.member.close()
            self.member = None

    def close(self) -> None:
        self._close_member()


def _copy(src, dst, n: int) -> None:
    """Copy n bytes from the current position of `src` to `dst` in the
    kernel (copy_file_range), or through a buffer where it cannot."""
    dst.flush()
    copy_range = getattr(os, "copy_file_range", None)
    while n and copy_range is not None:
        try:
            done = copy_range(src.fileno(), dst.fileno(), n)
        except OSError:
            break
        if done == 0:
            raise OSError(f"{src.name} is shorter than it was")
        n -= done
    while n:
        chunk = src.read(min(n, CHUNK))
        if not chunk:
            raise OSError(f"{src.name} is shorter than it was")
        dst.write(chunk)
        n -= len(chunk)


class _ZipWriter:
    """The zip format written directly (PKWARE APPNOTE 6.3): zipfile would
    pass every stored byte through Python to compute its CRC; here a stored
    file's CRC comes from file_crc() and its bytes are copied by the kernel.
    Zip64 records only where a size or offset needs them."""

    LIMIT = 0xFFFFFFFF
    ZIP64_FROM = 0x7FFFFFFF   # a size from which the local header reserves zip64 sizes

    def __init__(self, fh, stamp: tuple):
        self.fh = fh
        y, mo, d, h, mi, s = stamp
        self.dostime = (h << 11) | (mi << 5) | (s // 2)
        self.dosdate = ((y - 1980) << 9) | (mo << 5) | d
        self.central: list[bytes] = []

    def add(self, name: str, entry: "Entry | None", attrs: int, compress: bool) -> None:
        fh = self.fh
        raw_name = name.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        method = 8 if compress else 0
        size = entry.size if entry is not None else 0
        zip64 = size > self.ZIP64_FROM      # compressed data may be a little larger than its source
        offset = fh.tell()
        extra = struct.pack("<HHQQ", 1, 16, 0, 0) if zip64 else b""
        fh.write(self._local(raw_name, flags, method, 0, 0, 0, zip64, extra))
        crc, csize = 0, 0
        if entry is not None and size:
            if compress:
                crc, csize, size = self._deflate(entry)
            elif entry.path is not None:
                crc, size = file_crc(entry.path)
                with open(entry.path, "rb") as src:
                    _copy(src, fh, size)
                csize = size
            else:
                data = entry.content()
                crc, csize = zlib.crc32(data), len(data)
                fh.write(data)
        end = fh.tell()
        fh.seek(offset)
        if zip64:
            extra = struct.pack("<HHQQ", 1, 16, size, csize)
        fh.write(self._local(raw_name, flags, method, crc, csize, size, zip64, extra))
        fh.seek(end)
        self.central.append(self._central(raw_name, flags, method, crc, csize, size, attrs, offset))

    def _deflate(self, entry: "Entry") -> tuple[int, int, int]:
        crc = csize = size = 0
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        with entry.open() as src:
            while chunk := src.read(CHUNK):
                crc = zlib.crc32(chunk, crc)
                size += len(chunk)
                out = comp.compress(chunk)
                csize += len(out)
                self.fh.write(out)
        out = comp.flush()
        csize += len(out)
        self.fh.write(out)
        return crc, csize, size

    def _local(self, name, flags, method, crc, csize, size, zip64, extra) -> bytes:
        version = 45 if zip64 else 20
        sizes = (self.LIMIT, self.LIMIT) if zip64 else (csize, size)
        return struct.pack("<IHHHHHIIIHH", 0x04034B50, version, flags, method, self.dostime, self.dosdate,
                           crc, *sizes, len(name), len(extra)) + name + extra

    def _central(self, name, flags, method, crc, csize, size, attrs, offset) -> bytes:
        big = [v for v in (size, csize, offset) if v >= self.LIMIT]
        values = [self.LIMIT if v >= self.LIMIT else v for v in (size, csize, offset)]
        extra = struct.pack("<HH", 1, 8 * len(big)) + b"".join(struct.pack("<Q", v) for v in big) if big else b""
        version = 45 if big else 20
        return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | version, version, flags, method,
                           self.dostime, self.dosdate, crc, values[1], values[0], len(name), len(extra), 0, 0, 0,
                           attrs, values[2]) + name + extra

    def close(self) -> None:
        fh = self.fh
        start = fh.tell()
        for record in self.central:
            fh.write(record)
        length = fh.tell() - start
        count = len(self.central)
        if count >= 0xFFFF or start >= self.LIMIT or length >= self.LIMIT:
            end64 = fh.tell()
            fh.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, (3 << 8) | 45, 45, 0, 0, count, count, length,
                                 start))
            fh.write(struct.pack("<IIQI", 0x07064B50, 0, end64, 1))
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF), min(count, 0xFFFF),
                             min(length, self.LIMIT), min(start, self.LIMIT), 0))

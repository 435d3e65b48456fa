"""Open a course backup safely: a gzip-compressed tar or a zip, from anyone.

Every member is checked before a byte is written: its name stays inside the
archive (no absolute path, no `..`, no backslash, no NUL), it is a plain file
or a folder (links and devices are refused), and it is under the size cap,
as is the whole. Tar members are then extracted with tarfile's own `data`
filter as a second guard; zip members are copied counting their real bytes
(a zip may lie about sizes). XML is parsed without entities, network or DTD.
Every refusal names the archive and the member and raises InputError.
"""
from __future__ import annotations

import gzip
import shutil
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from ..errors import InputError, Problem

MAX_MEMBER_BYTES = 4 * 1024 ** 3      # one video may be large
MAX_TOTAL_BYTES = 16 * 1024 ** 3
MAX_MEMBERS = 200_000
MAX_XML_BYTES = 512 * 1024 ** 2
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    member: int = MAX_MEMBER_BYTES
    total: int = MAX_TOTAL_BYTES
    members: int = MAX_MEMBERS


class Backup:
    """An extracted backup: its folder and the archive's name for messages."""

    def __init__(self, archive: Path, root: Path):
        self.archive = Path(archive)
        self.root = Path(root)

    @property
    def label(self) -> str:
        return self.archive.name

    def path(self, member: str) -> Path:
        return self.root / member

    def exists(self, member: str) -> bool:
        return (self.root / member).is_file()

    def xml(self, member: str, required: bool = True):
        """The parsed XML member, or None when it is absent and not required."""
        path = self.root / member
        if not path.is_file():
            if required:
                raise InputError(self.problem(member, "is missing: this is not a Moodle course backup",
                                              "export the course with Moodle's backup (.mbz)"))
            return None
        return parse_xml(path, f"{self.label}:{member}")

    def problem(self, member: str, message: str, fix: str = "") -> Problem:
        return Problem(f"{self.label}:{member}", 0, 0, message, fix=fix)


def _refuse(archive: Path, member: str, message: str, fix: str = "") -> InputError:
    where = f"{archive.name}:{member}" if member else archive.name
    return InputError(Problem(where, 0, 0, message, fix=fix))


def check_name(archive: Path, name: str) -> str:
    """The member's path inside the archive, or InputError when it could
    reach outside it."""
    clean = name[2:] if name.startswith("./") else name
    parts = PurePosixPath(clean).parts
    if (not clean or clean.startswith("/") or "\\" in clean or "\x00" in clean or ".." in parts
            or (len(clean) > 1 and clean[1] == ":")):
        raise _refuse(archive, name, "member path climbs out of the archive (absolute, '..' or a drive)",
                      "this archive is not a safe Moodle backup; export the course again")
    return clean.rstrip("/")


def extract(archive: Path, dest: Path, limits: Limits = Limits()) -> Backup:
    """Extract `archive` into the empty folder `dest`, refusing anything unsafe."""
    archive = Path(archive)
    try:
        with open(archive, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise _refuse(archive, "", f"cannot read the file: {exc.strerror}") from None
    dest.mkdir(parents=True, exist_ok=True)
    if head[:2] == b"\x1f\x8b":
        _extract_tar(archive, dest, limits)
    elif head == b"PK\x03\x04":
        _extract_zip(archive, dest, limits)
    else:
        raise _refuse(archive, "", "not a Moodle backup (neither a gzip-compressed tar nor a zip)",
                      "give the .mbz file Moodle's backup wrote")
    backup = Backup(archive, dest)
    if not backup.exists("moodle_backup.xml"):
        raise _refuse(archive, "moodle_backup.xml", "is missing: this is not a Moodle course backup",
                      "give the .mbz file Moodle's backup wrote")
    return backup


class _Budget:
    def __init__(self, archive: Path, limits: Limits):
        self.archive, self.limits, self.total, self.count = archive, limits, 0, 0

    def member(self, name: str, size: int) -> None:
        self.count += 1
        if self.count > self.limits.members:
            raise _refuse(self.archive, name, f"more than {self.limits.members:,} members")
        if size > self.limits.member:
            raise _refuse(self.archive, name, f"member is over the size cap ({size:,} bytes > "
                                              f"{self.limits.member:,})")
        self.total += size
        if self.total > self.limits.total:
            raise _refuse(self.archive, name, f"the archive unpacks to more than {self.limits.total:,} bytes")


def _extract_tar(archive: Path, dest: Path, limits: Limits) -> None:
    budget = _Budget(archive, limits)
    name = ""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                name = member.name
                clean = check_name(archive, name)
                if not (member.isfile() or member.isdir()):
                    kind = "a link" if member.issym() or member.islnk() else "not a plain file"
                    raise _refuse(archive, name, f"member is {kind}; a backup holds only files and folders")
                budget.member(name, member.size)
                if clean == ".ARCHIVE_INDEX" or not clean:
                    continue
                member.name = clean
                try:
                    tar.extract(member, dest, filter="data")
                except tarfile.FilterError as exc:
                    raise _refuse(archive, name, f"member refused by the tar safety filter ({exc})") from None
            name = ""
    except (tarfile.ReadError, tarfile.CompressionError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise _refuse(archive, name, f"the archive is truncated or damaged ({exc})",
                      "copy the backup again, or export the course again") from None


def _extract_zip(archive: Path, dest: Path, limits: Limits) -> None:
    budget = _Budget(archive, limits)
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                clean = check_name(archive, info.filename)
                mode = (info.external_attr >> 16) & 0o170000
                if mode and mode not in (0o100000, 0o040000):
                    raise _refuse(archive, info.filename, "member is a link or not a plain file; "
                                                          "a backup holds only files and folders")
                budget.member(info.filename, info.file_size)
                if info.is_dir() or clean == ".ARCHIVE_INDEX":
                    continue
                target = dest / clean
                target.parent.mkdir(parents=True, exist_ok=True)
                written = 0
                with zf.open(info) as src, open(target, "wb") as out:
                    while chunk := src.read(CHUNK):
                        written += len(chunk)
                        if written > info.file_size or written > limits.member:
                            raise _refuse(archive, info.filename, "member unpacks to more bytes than it declares")
                        out.write(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError) as exc:
        raise _refuse(archive, "", f"the archive is truncated or damaged ({exc})",
                      "copy the backup again, or export the course again") from None


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                          dtd_validation=False, remove_blank_text=False)


def parse_xml(path: Path, shown: str):
    """A parsed XML file; a DTD (where entity bombs live) is refused."""
    if path.stat().st_size > MAX_XML_BYTES:
        raise InputError(Problem(shown, 0, 0, f"XML file over {MAX_XML_BYTES:,} bytes"))
    try:
        tree = etree.parse(str(path), _PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise InputError(Problem(shown, line, 0, f"not well-formed XML: {exc.msg}",
                                 fix="the backup is damaged; export the course again")) from None
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise InputError(Problem(shown, 1, 0, "XML with a DTD (entity declarations) is refused",
                                 fix="Moodle's backups have no DTD; this file did not come from Moodle"))
    return tree.getroot()


def copy_member(backup: Backup, member: str, target: Path) -> None:
    """Move (same file system) or copy a member's bytes to `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = backup.path(member)
    try:
        source.rename(target)
    except OSError:
        shutil.copyfile(source, target)

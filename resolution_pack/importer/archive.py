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
import re
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


# The XML members an import reads; everything else (users.xml, logs, roles,
# enrolments, per-activity comments, completion and calendar...) is checked as
# a member of the archive but never kept, let alone read.
KEEP_XML = re.compile(r"^(moodle_backup|files|questions|badges|groups|completion)\.xml$"
                      r"|^course/(course|competencies|calendar)\.xml$"
                      r"|^sections/section_[0-9]+/section\.xml$"
                      r"|^activities/(?P<mod>[a-z0-9]+)_[0-9]+/(module|grades|(?P=mod))\.xml$"
                      r"|(^|/)blocks/[^/]+/block\.xml$")


class Backup:
    """A backup, opened: the XML members it needs (in memory), its file
    contents (files/<xx>/<sha1>, extracted under `root`) and the names of all
    its members; the archive's name for messages."""

    def __init__(self, archive: Path, root: Path):
        self.archive = Path(archive)
        self.root = Path(root)
        self.xml_members: dict[str, bytes] = {}
        self.names: set[str] = set()

    @property
    def label(self) -> str:
        return self.archive.name

    def path(self, member: str) -> Path:
        return self.root / member

    def exists(self, member: str) -> bool:
        return member in self.xml_members or (self.root / member).is_file()

    def xml(self, member: str, required: bool = True):
        """The parsed XML member, or None when it is absent and not required."""
        data = self.xml_members.get(member)
        if data is None:
            if required:
                raise InputError(self.problem(member, "is missing: this is not a Moodle course backup",
                                              "export the course with Moodle's backup (.mbz)"))
            return None
        return parse_xml(data, f"{self.label}:{member}")

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
    backup = Backup(archive, dest)
    if head[:2] == b"\x1f\x8b":
        _extract_tar(backup, limits)
    elif head == b"PK\x03\x04":
        _extract_zip(backup, limits)
    else:
        raise _refuse(archive, "", "not a Moodle backup (neither a gzip-compressed tar nor a zip)",
                      "give the .mbz file Moodle's backup wrote")
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


def _keep(backup: Backup, clean: str, size: int, read) -> None:
    """Keep a member the import needs: an XML file in memory, a file content
    on disk (its name checked: files/<xx>/<sha1>); skip the others."""
    if KEEP_XML.search(clean):
        if size > MAX_XML_BYTES:
            raise _refuse(backup.archive, clean, f"XML member over {MAX_XML_BYTES:,} bytes")
        backup.xml_members[clean] = read(MAX_XML_BYTES + 1)
    elif re.match(r"^files/[0-9a-f]{2}/[0-9a-f]{40}$", clean):
        target = backup.root / clean
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as out:
            while chunk := read(CHUNK):
                out.write(chunk)


def _extract_tar(backup: Backup, limits: Limits) -> None:
    archive = backup.archive
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
                if clean.startswith("files/"):   # what reaches the disk passes tarfile's own rules too
                    try:
                        tarfile.data_filter(member, str(backup.root))
                    except tarfile.FilterError as exc:
                        raise _refuse(archive, name, f"member refused by the tar safety filter ({exc})") from None
                backup.names.add(clean)
                if member.isfile():
                    fh = tar.extractfile(member)
                    _keep(backup, clean, member.size, fh.read)
            name = ""
    except (tarfile.ReadError, tarfile.CompressionError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise _refuse(archive, name, f"the archive is truncated or damaged ({exc})",
                      "copy the backup again, or export the course again") from None


def _extract_zip(backup: Backup, limits: Limits) -> None:
    archive = backup.archive
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
                backup.names.add(clean)
                if info.is_dir():
                    continue
                with zf.open(info) as src:
                    counted = _Counted(src, min(info.file_size, limits.member), archive, info.filename)
                    _keep(backup, clean, info.file_size, counted.read)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError) as exc:
        raise _refuse(archive, "", f"the archive is truncated or damaged ({exc})",
                      "copy the backup again, or export the course again") from None


class _Counted:
    """A zip member's stream that refuses more bytes than the member declares."""

    def __init__(self, src, limit: int, archive: Path, name: str):
        self.src, self.limit, self.archive, self.name, self.done = src, limit, archive, name, 0

    def read(self, size: int) -> bytes:
        data = self.src.read(size)
        self.done += len(data)
        if self.done > self.limit:
            raise _refuse(self.archive, self.name, "member unpacks to more bytes than it declares")
        return data


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                          dtd_validation=False, remove_blank_text=False)


def parse_xml(data: bytes, shown: str):
    """A parsed XML member; a DTD (where entity bombs live) is refused."""
    if len(data) > MAX_XML_BYTES:
        raise InputError(Problem(shown, 0, 0, f"XML file over {MAX_XML_BYTES:,} bytes"))
    try:
        tree = etree.fromstring(data, _PARSER).getroottree()
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

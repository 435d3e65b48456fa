"""Media files: where they may live, what they are, how they are named.

Paths in the sources are untrusted: they must stay inside the sources folder
(no absolute path, no `..`, no symlink that leads out), and a file's bytes
must match its extension (a ".pdf" that is not a PDF is refused).
"""
from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

MIMETYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webm": "video/webm",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".ogv": "video/ogg",
    ".mp3": "audio/mp3",
    ".vtt": "text/vtt",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".rtf": "application/rtf",
    ".zip": "application/zip",
    ".epub": "application/epub+zip",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".webp": "image/webp",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".m4a": "audio/mp4",
}
# Documents a course hands out (an imported Moodle course has them): zip-based
# formats start like a zip, the old Office ones like an OLE2 compound file.
_ZIP_BASED = {".zip", ".epub", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"}
_OLE2 = {".doc", ".xls", ".ppt"}

# Formats that are already compressed: stored as-is in zip archives.
COMPRESSED = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webm", ".mp4", ".m4v", ".ogv", ".mp3", ".webp", ".ogg",
              ".m4a", ".zip", ".epub", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"}


def mimetype(name: str) -> str:
    return MIMETYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


def _looks_like(suffix: str, head: bytes) -> bool:
    if suffix == ".pdf":
        return head.startswith(b"%PDF-")
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if suffix == ".gif":
        return head[:6] in (b"GIF87a", b"GIF89a")
    if suffix == ".webm":
        return head.startswith(b"\x1a\x45\xdf\xa3")
    if suffix in (".mp4", ".m4v"):
        return head[4:8] == b"ftyp"
    if suffix == ".ogv":
        return head.startswith(b"OggS")
    if suffix == ".mp3":
        return head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
    if suffix == ".svg":
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return text.startswith(b"<?xml") or text.startswith(b"<svg")
    if suffix == ".vtt":
        return head.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT")
    if suffix in _ZIP_BASED:
        return head.startswith(b"PK\x03\x04")
    if suffix in _OLE2:
        return head.startswith(b"\xd0\xcf\x11\xe0")
    if suffix == ".rtf":
        return head.startswith(b"{\\rtf")
    if suffix in (".webp", ".wav"):
        return head[:4] == b"RIFF" and head[8:12] == (b"WEBP" if suffix == ".webp" else b"WAVE")
    if suffix == ".ogg":
        return head.startswith(b"OggS")
    if suffix == ".m4a":
        return head[4:8] == b"ftyp"
    return True


def sniff(head: bytes) -> str | None:
    """The extension the first bytes of a file say it has, if they say one."""
    for suffix in (".pdf", ".png", ".jpg", ".gif", ".webm", ".mp4", ".ogv", ".svg", ".vtt", ".zip", ".doc",
                   ".rtf", ".webp", ".wav"):
        if _looks_like(suffix, head):
            return suffix
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return ".txt"


def check_media_path(root: Path, value: str, exists: bool = True) -> list[tuple[str, str]]:
    """Return (message, fix) pairs for a media path given in the sources."""
    problems = []
    if "\\" in value:
        return [(f"'{value}': use forward slashes in paths", "write media/name.ext")]
    pure = PurePosixPath(value)
    if pure.is_absolute() or value.startswith("~"):
        return [(f"'{value}' is an absolute path; media must be inside the sources folder",
                 "copy the file under sources/media/ and give its relative path")]
    if ".." in pure.parts:
        return [(f"'{value}' leaves the sources folder ('..')",
                 "copy the file under sources/media/ and give its relative path")]
    if not exists:
        return problems
    root = Path(root)
    path = root / pure
    if not path.exists() and not path.is_symlink():
        return [(f"media file '{value}' does not exist", "add the file or correct the path")]
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if os.path.commonpath([real_root, real]) != real_root:
        return [(f"'{value}' is a link that leads out of the sources folder",
                 "replace the link by a copy of the file")]
    if not path.is_file():
        return [(f"'{value}' is not a regular file", "give the path of a file")]
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError as exc:
        return [(f"media file '{value}' cannot be read: {exc.strerror}", "check its permissions")]
    if not head:
        return [(f"media file '{value}' is empty (0 bytes)", "replace it by the real file")]
    suffix = pure.suffix.lower()
    if suffix not in MIMETYPES:
        problems.append((f"'{value}': unsupported file type '{suffix}'",
                         f"use one of {', '.join(sorted(MIMETYPES))}"))
    elif not _looks_like(suffix, head):
        problems.append((f"'{value}' does not contain what its extension says ({suffix})",
                         "check the file, or give it the right extension"))
    return problems

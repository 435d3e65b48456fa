"""The build cache: an edition is rebuilt only when something it is made of
changed (its localised texts, its media, the templates and code, the
options). Media are hashed once and remembered by size and mtime."""
from __future__ import annotations

import hashlib
import json
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import __version__, archive
from .resources import templates_dir

_CODE_DIGEST: str | None = None


def code_digest() -> str:
    """Changes when the toolkit's code or templates change."""
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        h = hashlib.sha256(__version__.encode())
        package = Path(__file__).resolve().parent
        for root in (package, templates_dir()):
            for path in sorted(root.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    h.update(str(path.relative_to(root)).encode())
                    h.update(path.read_bytes())
        _CODE_DIGEST = h.hexdigest()
    return _CODE_DIGEST


SMALL_FILE = 1 << 20


def asset_cache_dir() -> Path | None:
    """Where generated PDFs and SVGs are kept between builds:
    $XDG_CACHE_HOME/resolution-pack/assets (~/.cache when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "resolution-pack" / "assets" if base else None


def inputs_digest(sources: Path, request: dict, previous: dict) -> tuple[str, dict]:
    """One digest of everything a build reads: the code and templates, the
    request (languages, options, SOURCE_DATE_EPOCH) and every file of the
    sources folder. Small files are hashed; large ones (media) are hashed
    once and then remembered by size and mtime in `previous`.
    Returns (digest, the large files' records for next time)."""
    h = hashlib.sha256(code_digest().encode())
    h.update(json.dumps(request, sort_keys=True, default=list).encode())
    h.update(str(archive.source_date_epoch()).encode())
    large = {}
    root = Path(sources)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    stats = {path: path.stat() for path in files}
    fresh = [path for path in files if stats[path].st_size > SMALL_FILE
             and not _still(previous.get(path.relative_to(root).as_posix()), stats[path])]
    # large files (media) read in two threads: hashlib and zlib let go of the GIL
    with ThreadPoolExecutor(max_workers=2) as pool:
        hashed = dict(zip(fresh, pool.map(sha1_crc, fresh)))
    for path in files:
        rel = path.relative_to(root).as_posix()
        st = stats[path]
        if st.st_size <= SMALL_FILE:
            digest = hashlib.sha1(path.read_bytes()).hexdigest()
        else:
            record = previous[rel] if path not in hashed else [st.st_size, st.st_mtime_ns, *hashed[path]]
            large[rel] = record
            digest = record[2]
        h.update(f"{rel}\0{digest}\n".encode())
    return h.hexdigest(), large


def _still(record, st) -> bool:
    """Whether a remembered [size, mtime_ns, sha1, crc32] still describes the file."""
    return bool(record) and len(record) == 4 and record[0] == st.st_size and record[1] == st.st_mtime_ns


def sha1_crc(path: Path) -> tuple[str, int]:
    """The sha1 (Moodle's content hash) and CRC-32 (gzip's and zip's) of a
    file, in one read."""
    h = hashlib.sha1()
    crc = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            crc = zlib.crc32(chunk, crc)
    return h.hexdigest(), crc


def _digest(path: Path, algorithm: str) -> str:
    h = hashlib.new(algorithm)
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _media_refs(course):
    from . import model as m
    seen = set()

    def walk(obj):
        if isinstance(obj, m.MediaRef):
            if not obj.generated and obj.path not in seen:
                seen.add(obj.path)
                yield obj.path
        elif isinstance(obj, (list, tuple)):
            for x in obj:
                yield from walk(x)
        elif isinstance(obj, dict):
            for x in obj.values():
                yield from walk(x)
        elif hasattr(obj, "__dataclass_fields__") and id(obj) not in seen_objs:
            seen_objs.add(id(obj))
            for name in obj.__dataclass_fields__:
                if name != "src":
                    yield from walk(getattr(obj, name))

    seen_objs: set = set()
    yield from walk(course)


def media_digests(editions, sources: Path, previous: dict) -> dict:
    """{path: [size, mtime_ns, sha1, crc32]} of every source media file used."""
    result = {}
    for course in editions:
        for rel in _media_refs(course):
            if rel in result:
                continue
            st = (Path(sources) / rel).stat()
            old = previous.get(rel)
            if _still(old, st):
                result[rel] = old
                continue
            result[rel] = [st.st_size, st.st_mtime_ns, *sha1_crc(Path(sources) / rel)]
    return dict(sorted(result.items()))


def model_digest(course) -> str:
    """The source model's content (not where its texts stand in the files)."""
    # hashed as it is walked: the whole text of a 100x course's model, held
    # as small strings before being joined, took ~0.7 GB of the parent
    h = hashlib.sha256()
    parts: list[str] = []

    def put(part: str) -> None:
        parts.append(part)
        if len(parts) >= 4096:
            h.update("".join(parts).encode())
            parts.clear()
    _walk(course, put)
    h.update("".join(parts).encode())
    return h.hexdigest()


def fingerprint(model: str, lang: str, po_digest: str, digests: dict, options: dict) -> str:
    """What an edition is made of: code, options, the source model, its
    language's PO file (the digest of its bytes: the build does not read it
    to know whether the edition is up to date), its media's bytes."""
    h = hashlib.sha256()
    for part in (code_digest(), json.dumps(options, sort_keys=True, default=list),
                 str(archive.source_date_epoch()), model, lang, po_digest):
        h.update(part.encode() + b"\0")
    for rel in sorted(digests):
        h.update(f"{rel}={digests[rel][2]}".encode())
    return h.hexdigest()


def stable_repr(obj) -> str:
    """The model's content without what cannot change an archive: where a
    text stands in its file, the sources folder's absolute path, notes."""
    parts: list[str] = []
    _walk(obj, parts.append)
    return "".join(parts)


def _walk(x, put) -> None:
    if hasattr(x, "__dataclass_fields__"):
        put(type(x).__name__ + "(")
        for name in x.__dataclass_fields__:
            if name not in ("src", "root", "notes"):
                put(name + "=")
                _walk(getattr(x, name), put)
        put(")")
    elif isinstance(x, (list, tuple)):
        put("[")
        for y in x:
            _walk(y, put)
        put("]")
    elif isinstance(x, dict):
        put("{")
        for k, v in x.items():
            put(repr(k) + ":")
            _walk(v, put)
        put("}")
    else:
        put(repr(x) + ",")


def in_place(out: Path, name: str, owned: dict) -> bool:
    """The archive an earlier build wrote is still there, at its size."""
    try:
        size = (Path(out) / name).stat().st_size
    except OSError:
        return False
    return (Path(out) / name).is_file() and owned.get(name, {}).get("size", size) == size


def is_fresh(out: Path, entry: dict | None, digest: str, owned: dict) -> bool:
    if not entry or entry.get("fingerprint") != digest:
        return False
    return all(in_place(out, name, owned) for name in entry.get("archives", []))

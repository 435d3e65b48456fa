"""`build --verify-reproducible`: build twice in temporary folders, compare."""
from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from pathlib import Path

from .build import BuildOptions, build


def digests(folder: Path) -> dict[str, str]:
    """sha256 of every archive (not of the state folder, .resolution-pack/)."""
    result = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts):
            h = hashlib.sha256()
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    h.update(chunk)
            result[str(path.relative_to(folder))] = h.hexdigest()
    return result


def verify(options: BuildOptions) -> list[str]:
    """Differences between two fresh builds (empty: reproducible)."""
    with tempfile.TemporaryDirectory(prefix="resolution-pack-a-") as a, \
            tempfile.TemporaryDirectory(prefix="resolution-pack-b-") as b:
        first = digests(_build_into(options, Path(a)))
        second = digests(_build_into(options, Path(b)))
    differences = []
    for name in sorted(set(first) | set(second)):
        if first.get(name) != second.get(name):
            differences.append(f"not reproducible: {name} ({first.get(name, 'missing')[:12]} vs "
                               f"{second.get(name, 'missing')[:12]})")
    return differences


def _build_into(options: BuildOptions, folder: Path) -> Path:
    out = folder / "build"
    build(dataclasses.replace(options, out=out, progress=None, use_cache=False))
    return out

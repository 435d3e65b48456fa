"""Files written whole or not at all: the one way every module writes a
file. The content goes to a temporary file beside the target, which is
renamed over the target once complete, so that a reader (or a build killed
half-way) never sees half a file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class replacing:
    """with replacing(target) as tmp: write to tmp; it becomes `target` if
    the block succeeds and is removed if it fails."""

    def __init__(self, target: Path):
        self.target = Path(target)

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".part", dir=self.target.parent)
        os.close(fd)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            os.chmod(self.tmp, 0o666 & ~umask())   # mkstemp makes it private; a plain file is not
            os.replace(self.tmp, self.target)
        else:
            self.tmp.unlink(missing_ok=True)
        return False


def write_bytes(path: Path, data: bytes) -> None:
    with replacing(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_text_if_changed(path: Path, text: str) -> bool:
    """Write only when the content differs (the file's date then tells a
    real change); True if written."""
    try:
        if Path(path).read_text("utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    write_text(path, text)
    return True

"""Files written whole or not at all: the one way every module writes a
file. The content goes to a temporary file beside the target, which is
renamed over the target once complete, so that a reader (or a build killed
half-way) never sees half a file."""
from __future__ import annotations

import itertools
import os
from pathlib import Path

_NUMBERS = itertools.count()     # temporary names: pid and a number, made with O_EXCL


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _create_beside(target: Path) -> tuple[int, Path]:
    """(descriptor, path) of a new empty file beside `target`, made with
    the mode a plain file gets (0666 less the umask). Cheaper than mkstemp
    and a chmod: a cold build writes hundreds of cache files."""
    while True:
        tmp = target.with_name(f".{target.name}.{os.getpid()}-{next(_NUMBERS)}.part")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:     # left by a process of the same pid, killed: take the next number
            continue
        except FileNotFoundError:
            if target.parent.is_dir():
                raise
            target.parent.mkdir(parents=True, exist_ok=True)


class replacing:
    """with replacing(target) as tmp: write to tmp; it becomes `target` if
    the block succeeds and is removed if it fails."""

    def __init__(self, target: Path):
        self.target = Path(target)

    def __enter__(self) -> Path:
        fd, self.tmp = _create_beside(self.target)
        os.close(fd)
        return self.tmp

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            os.replace(self.tmp, self.target)
        else:
            self.tmp.unlink(missing_ok=True)
        return False


def write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    fd, tmp = _create_beside(path)
    try:
        with open(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
SOURCES = ROOT / "sources"
REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture
def mini(tmp_path) -> Path:
    """A writable copy of the small test course."""
    target = tmp_path / "sources"
    shutil.copytree(MINI, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")

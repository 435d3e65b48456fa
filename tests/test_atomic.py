"""The one way files are written: whole or not at all."""
import os
import stat

import pytest

from resolution_pack import atomic


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic.replacing(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("killed")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["a.txt"]


def test_a_written_file_has_the_mode_the_umask_gives_and_a_new_folder_is_made(tmp_path):
    old = os.umask(0o022)
    try:
        atomic.write_text(tmp_path / "new" / "b.txt", "é")
    finally:
        os.umask(old)
    path = tmp_path / "new" / "b.txt"
    assert path.read_bytes() == "é".encode() and stat.S_IMODE(path.stat().st_mode) == 0o644
    assert os.listdir(tmp_path / "new") == ["b.txt"]


def test_write_if_changed_leaves_an_unchanged_file_alone(tmp_path):
    path = tmp_path / "c.po"
    assert atomic.write_text_if_changed(path, "x\n") is True
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert atomic.write_text_if_changed(path, "x\n") is False
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert atomic.write_text_if_changed(path, "y\n") is True and path.read_text() == "y\n"

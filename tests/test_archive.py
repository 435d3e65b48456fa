"""The deterministic archive writer."""
import gzip
import hashlib
import os
import tarfile
import zipfile

import pytest

from resolution_pack.archive import ArchiveBuilder


def _builder(tmp_path):
    video = tmp_path / "clip.bin"
    video.write_bytes(b"\x1a\x45\xdf\xa3" + os.urandom(300_000))  # a WebM signature, incompressible
    b = ArchiveBuilder()
    b.add_bytes(".ARCHIVE_INDEX", "index\n")
    b.add_bytes("moodle_backup.xml", "<x>" + "text " * 20000 + "</x>")
    b.add_dir("files/ab")
    b.add_file("files/ab/ab12", video)
    b.add_bytes("a.xml", "<a/>")
    return b, video


def test_tgz_is_sorted_reproducible_and_stores_compressed_media(tmp_path):
    b, video = _builder(tmp_path)
    one = b.write_tgz(tmp_path / "one.mbz", first=(".ARCHIVE_INDEX",), mtime=1640995200)
    two = b.write_tgz(tmp_path / "two.mbz", first=(".ARCHIVE_INDEX",), mtime=1640995200)
    assert one.read_bytes() == two.read_bytes()
    with tarfile.open(one) as tar:
        names = tar.getnames()
        assert names == [".ARCHIVE_INDEX", "a.xml", "files/ab", "files/ab/ab12", "moodle_backup.xml"]
        member = tar.getmember("files/ab/ab12")
        assert (member.mtime, member.uid, member.gid, member.mode) == (1640995200, 0, 0, 0o644)
        assert tar.getmember("files/ab").mode == 0o755
        assert hashlib.sha1(tar.extractfile(member).read()).digest() == hashlib.sha1(video.read_bytes()).digest()
    # text was deflated, the video stored: the archive is about the video's size
    size = one.stat().st_size
    assert video.stat().st_size < size < video.stat().st_size + 20_000
    # several gzip members, read as one stream by gzip itself
    data = gzip.decompress(one.read_bytes())
    assert len(data) % tarfile.RECORDSIZE == 0
    assert one.read_bytes().count(b"\x1f\x8b\x08") >= 3


def test_zip_is_reproducible_and_stores_what_is_compressed(tmp_path):
    b, _video = _builder(tmp_path)
    b.add_file("media/clip.webm", tmp_path / "clip.bin")
    one = b.write_zip(tmp_path / "one.zip", mtime=1640995200)
    two = b.write_zip(tmp_path / "two.zip", mtime=1640995200)
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as zf:
        info = {i.filename: i for i in zf.infolist()}
        assert info["media/clip.webm"].compress_type == zipfile.ZIP_STORED
        assert info["moodle_backup.xml"].compress_type == zipfile.ZIP_DEFLATED
        assert info["a.xml"].date_time == (2022, 1, 1, 0, 0, 0)


@pytest.mark.parametrize("name", ["/abs.xml", "../up.xml", "a/../../b", "back\\slash.xml"])
def test_unsafe_names_are_refused(name):
    with pytest.raises(ValueError):
        ArchiveBuilder().add_bytes(name, b"x")


def test_failed_write_leaves_no_file(tmp_path):
    b = ArchiveBuilder()
    b.add_file("missing.webm", tmp_path / "does-not-exist")
    with pytest.raises(OSError):
        b.write_tgz(tmp_path / "out.mbz")
    assert list(tmp_path.iterdir()) == []

"""The deterministic archive writer."""
import gzip
import hashlib
import os
import subprocess
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


# ---- stored contents copied by the kernel, our own zip writer -------------------------

def _stored_fixture(tmp_path):
    media = tmp_path / "clip.webm"
    media.write_bytes(b"\x1a\x45\xdf\xa3" + bytes(range(256)) * 700)   # > one 64 KiB stored block
    builder = ArchiveBuilder()
    builder.add_file("media/clip.webm", media)
    builder.add_bytes("page.html", "<p>é</p>" * 50)
    builder.add_bytes("dossier/épreuve.txt", "x")
    builder.add_dir("empty")
    builder.add_file("media/empty.webm", _empty(tmp_path))
    return builder, media


def _empty(tmp_path):
    path = tmp_path / "empty.webm"
    path.write_bytes(b"")
    return path


def test_zip_writer_output_reads_back_with_zipfile_and_unzip(tmp_path):
    import shutil
    builder, media = _stored_fixture(tmp_path)
    target = builder.write_zip(tmp_path / "a.zip")
    with zipfile.ZipFile(target) as zf:
        assert zf.testzip() is None                      # every CRC checks
        info = {i.filename: i for i in zf.infolist()}
        assert info["media/clip.webm"].compress_type == zipfile.ZIP_STORED
        assert info["page.html"].compress_type == zipfile.ZIP_DEFLATED
        assert zf.read("media/clip.webm") == media.read_bytes()
        assert zf.read("dossier/épreuve.txt") == b"x"
        assert info["dossier/épreuve.txt"].flag_bits & 0x800  # UTF-8 name
        assert info["empty/"].is_dir() and info["empty/"].external_attr >> 16 == 0o40755
        assert info["page.html"].external_attr >> 16 == 0o100644
        assert info["page.html"].date_time == (2022, 1, 1, 0, 0, 0)
        assert zf.read("media/empty.webm") == b""
    if shutil.which("unzip"):
        assert subprocess.run(["unzip", "-tq", str(target)], capture_output=True).returncode == 0


def test_stored_members_without_copy_file_range_give_the_same_bytes(tmp_path, monkeypatch):
    builder, _media = _stored_fixture(tmp_path)
    fast_zip, fast_tgz = builder.write_zip(tmp_path / "a.zip"), builder.write_tgz(tmp_path / "a.tgz")
    monkeypatch.delattr(os, "copy_file_range", raising=False)
    slow_zip, slow_tgz = builder.write_zip(tmp_path / "b.zip"), builder.write_tgz(tmp_path / "b.tgz")
    assert fast_zip.read_bytes() == slow_zip.read_bytes()
    assert fast_tgz.read_bytes() == slow_tgz.read_bytes()


def test_tgz_stored_member_holds_the_file_with_its_crc(tmp_path):
    import gzip
    import tarfile
    builder, media = _stored_fixture(tmp_path)
    target = builder.write_tgz(tmp_path / "a.tgz")
    gzip.decompress(target.read_bytes())                 # checks every member's CRC-32 and length
    with tarfile.open(target) as tf:
        assert tf.extractfile("media/clip.webm").read() == media.read_bytes()
    # the video's bytes stand as they are in the archive (stored, not deflated)
    assert media.read_bytes()[:65535] in target.read_bytes()


def test_zip64_records_when_the_archive_needs_them(tmp_path, monkeypatch):
    """Zip64 local headers for a large entry (the threshold lowered so the
    test stays small) and zip64 end records past 65,535 entries."""
    from resolution_pack import archive as archive_module
    monkeypatch.setattr(archive_module._ZipWriter, "ZIP64_FROM", 10)
    builder, media = _stored_fixture(tmp_path)
    with zipfile.ZipFile(builder.write_zip(tmp_path / "big.zip")) as zf:
        assert zf.testzip() is None and zf.read("media/clip.webm") == media.read_bytes()
    monkeypatch.undo()
    many = ArchiveBuilder()
    for n in range(70_000):
        many.add_bytes(f"f/{n:05d}.txt", b"")
    with zipfile.ZipFile(many.write_zip(tmp_path / "many.zip")) as zf:
        assert len(zf.infolist()) == 70_000 and zf.read("f/69999.txt") == b""



# ---- added bytes are spooled to disk, not held ---------------------------------------

def test_added_bytes_wait_in_an_unnamed_spool_file_in_the_folder_given(tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    b = ArchiveBuilder(spool)
    b.add_bytes("b.xml", "<b>é</b>")
    b.add_bytes("a.xml", b"\x00" * 3)
    assert [e.data for e in b.entries.values()] == [None, None]     # nothing of it in memory
    assert [b.entries[n].size for n in ("a.xml", "b.xml")] == [3, len("<b>é</b>".encode())]
    assert list(spool.iterdir()) == []                              # unnamed: nothing to leave behind
    with pytest.raises(ValueError, match="written twice"):
        b.add_bytes("a.xml", b"again")
    with zipfile.ZipFile(b.write_zip(tmp_path / "x.zip")) as zf:
        assert (zf.read("a.xml"), zf.read("b.xml").decode()) == (b"\x00" * 3, "<b>é</b>")
    with tarfile.open(b.write_tgz(tmp_path / "x.tgz")) as tar:
        assert tar.extractfile("b.xml").read().decode() == "<b>é</b>"
    b.close()
    assert b.spool.file is None

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


@pytest.mark.parametrize("name", ["/abs.xml", "../up.xml", "a/../../b", "back\\slash.xml", "nul\x00.xml", "", "../"])
def test_unsafe_names_are_refused(name):
    with pytest.raises(ValueError, match=r"^unsafe archive entry name: "):
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


# ---- the exact bytes: headers, gzip members, zip records ------------------------------

GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"   # deflate, no flags, mtime 0, no XFL, OS unknown


def gzip_members(data: bytes) -> list[tuple[bytes, str, int]]:
    """Each gzip member of a file: (its 10-byte header, 'stored' or 'deflated'
    from the first deflate block's type, the length it holds)."""
    import zlib
    members = []
    while data:
        inflate = zlib.decompressobj(-15)
        out = inflate.decompress(data[10:])
        members.append((data[:10], "stored" if (data[10] >> 1) & 3 == 0 else "deflated", len(out)))
        data = inflate.unused_data[8:]          # after the member's CRC-32 and length
    return members


def test_tgz_members_text_deflated_media_stored_as_designed(tmp_path):
    """_stored_fixture, sorted: dossier/épreuve.txt (512-byte header + 1 byte
    + 511 padding), empty/ (512), media/clip.webm's header (512): one deflated
    member of 2,048 bytes; the clip's 179,204 bytes in a stored member of their
    own; its 508 bytes of padding deflated; media/empty.webm's header stored
    (a .webm); page.html (512 + 450 + 62) and the end of archive (1,024; the
    archive is then 18 records of 10,240 bytes) deflated."""
    builder, _media = _stored_fixture(tmp_path)
    members = gzip_members(builder.write_tgz(tmp_path / "a.tgz", mtime=1640995200).read_bytes())
    assert members == [(GZIP_HEADER, "deflated", 2048), (GZIP_HEADER, "stored", 179_204),
                       (GZIP_HEADER, "deflated", 508), (GZIP_HEADER, "stored", 512), (GZIP_HEADER, "deflated", 2048)]


def test_tgz_stream_is_the_ustar_archive_python_writes(tmp_path):
    """Uncompressed, the archive is byte for byte what tarfile writes for the
    same members: ustar, owner 0:0 with no names, 0644 files, 0755 folders,
    padding to 512 and the end record."""
    import io
    builder, media = _stored_fixture(tmp_path)
    ours = gzip.decompress(builder.write_tgz(tmp_path / "a.tgz", mtime=1700000000, dir_mtime=1600000000).read_bytes())
    expected = io.BytesIO()
    with tarfile.open(fileobj=expected, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in (("dossier/épreuve.txt", b"x"), ("empty/", None), ("media/clip.webm", media.read_bytes()),
                           ("media/empty.webm", b""), ("page.html", "<p>é</p>".encode() * 50)):
            info = tarfile.TarInfo(name)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if data is None:
                info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 1600000000
                tar.addfile(info)
            else:
                info.mode, info.mtime, info.size = 0o644, 1700000000, len(data)
                tar.addfile(info, io.BytesIO(data))
    assert ours == expected.getvalue()


def test_the_dates_come_from_source_date_epoch(tmp_path, monkeypatch):
    from resolution_pack.archive import DEFAULT_EPOCH, source_date_epoch
    assert DEFAULT_EPOCH == 1640995200                       # 2022-01-01T00:00:00Z
    for value, epoch in (("1700000000", 1700000000), ("", DEFAULT_EPOCH), ("soon", DEFAULT_EPOCH),
                         ("-5", DEFAULT_EPOCH), ("0", 0)):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        assert source_date_epoch() == epoch, value
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert source_date_epoch() == DEFAULT_EPOCH
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1684331158")      # 2023-05-17 13:45:58 UTC
    b = ArchiveBuilder()
    b.add_dir("d")
    b.add_bytes("d/a.txt", "a")
    with tarfile.open(b.write_tgz(tmp_path / "a.tgz")) as tar:
        assert [(m.name, m.mtime) for m in tar.getmembers()] == [("d", 1684331158), ("d/a.txt", 1684331158)]
    with tarfile.open(b.write_tgz(tmp_path / "b.tgz", mtime=1000, dir_mtime=2000)) as tar:
        assert [(m.name, m.mtime) for m in tar.getmembers()] == [("d", 2000), ("d/a.txt", 1000)]
    with zipfile.ZipFile(b.write_zip(tmp_path / "a.zip")) as zf:
        # DOS time: seconds in units of 2
        assert [(i.filename, i.date_time) for i in zf.infolist()] == [("d/", (2023, 5, 17, 13, 45, 58)),
                                                                       ("d/a.txt", (2023, 5, 17, 13, 45, 58))]
    with zipfile.ZipFile(b.write_zip(tmp_path / "old.zip", mtime=0)) as zf:
        assert zf.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)       # zip's first date


def local_headers(data: bytes) -> list[dict]:
    """The zip's local file headers, read with struct (PKWARE APPNOTE 4.3.7)."""
    import struct
    out, at = [], 0
    while data[at:at + 4] == b"PK\x03\x04":
        (_sig, version, flags, method, dostime, dosdate, crc, csize, size, nlen, xlen) = struct.unpack_from(
            "<IHHHHHIIIHH", data, at)
        name = data[at + 30:at + 30 + nlen].decode("utf-8")
        extra = data[at + 30 + nlen:at + 30 + nlen + xlen]
        out.append({"name": name, "version": version, "flags": flags, "method": method, "dostime": dostime,
                    "dosdate": dosdate, "crc": crc, "csize": csize, "size": size, "extra": extra})
        at += 30 + nlen + xlen + (csize if csize != 0xFFFFFFFF else struct.unpack_from("<Q", extra, 12)[0])
    return out


def test_zip_local_headers_field_by_field(tmp_path):
    import zlib
    b = ArchiveBuilder()
    b.add_bytes("a.txt", b"hello")
    b.add_bytes("é.txt", b"")
    b.add_dir("d")
    b.add_bytes("keep.txt", b"stored as asked", compress=False)
    b.add_bytes("pic.png", b"\x89PNG not really, deflated as asked", compress=True)
    headers = local_headers(b.write_zip(tmp_path / "a.zip", mtime=1684331158).read_bytes())
    dos = {"version": 20, "dostime": (13 << 11) | (45 << 5) | 29, "dosdate": ((2023 - 1980) << 9) | (5 << 5) | 17,
           "extra": b""}
    def deflated(data):
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        return len(comp.compress(data) + comp.flush())
    assert headers == [
        {"name": "a.txt", "flags": 0, "method": 8, "crc": zlib.crc32(b"hello"), "csize": deflated(b"hello"), "size": 5, **dos},
        {"name": "d/", "flags": 0, "method": 0, "crc": 0, "csize": 0, "size": 0, **dos},
        {"name": "keep.txt", "flags": 0, "method": 0, "crc": zlib.crc32(b"stored as asked"), "csize": 15, "size": 15,
         **dos},
        {"name": "pic.png", "flags": 0, "method": 8, "crc": zlib.crc32(b"\x89PNG not really, deflated as asked"),
         "csize": deflated(b"\x89PNG not really, deflated as asked"), "size": 34, **dos},
        # an empty text is deflated with no data at all, its name flagged UTF-8 (bit 11)
        {"name": "é.txt", "flags": 0x800, "method": 8, "crc": 0, "csize": 0, "size": 0, **dos}]
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        assert zf.getinfo("d/").external_attr == (0o40755 << 16) | 0x10      # a folder, MS-DOS directory bit
        assert zf.read("pic.png") == b"\x89PNG not really, deflated as asked"


def test_zip64_local_header_field_by_field(tmp_path, monkeypatch):
    import struct
    from resolution_pack import archive as archive_module
    monkeypatch.setattr(archive_module._ZipWriter, "ZIP64_FROM", 15)
    b = ArchiveBuilder()
    b.add_bytes("small.bin", b"x" * 15, compress=False)     # not above the threshold
    b.add_bytes("large.bin", b"y" * 16, compress=False)
    large, small = local_headers(b.write_zip(tmp_path / "a.zip").read_bytes())
    assert (small["version"], small["csize"], small["size"], small["extra"]) == (20, 15, 15, b"")
    assert (large["version"], large["csize"], large["size"]) == (45, 0xFFFFFFFF, 0xFFFFFFFF)
    assert large["extra"] == struct.pack("<HHQQ", 1, 16, 16, 16)     # zip64 tag, 16 bytes: size, then csize
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        assert zf.read("large.bin") == b"y" * 16


def test_content_addressed_names_are_stored_or_deflated_by_their_first_bytes():
    from resolution_pack.archive import Entry, _should_compress
    cases = {b"\x00\x00\x00\x18ftypmp42rest": False, b"\x00\x00\x00\x18ftyxmp42": True, b"\x89PNG\r\n": False,
             b"%PDF-1.7": False, b"\x1a\x45\xdf\xa3webm": False, b"PK\x03\x04": False, b"\x1f\x8b\x08": False,
             b"<?xml version": True, b"WEBVTT\n": True, b"": True}
    for head, compress in cases.items():
        assert _should_compress(Entry("files/ab/ab12cd", data=head)) is compress, head
    assert _should_compress(Entry("clip.mp4", data=b"plain text")) is False      # the extension first
    assert _should_compress(Entry("notes.txt", data=b"%PDF")) is True
    assert _should_compress(Entry("notes.txt", data=b"x", compress=False)) is False  # the caller's choice wins
    assert _should_compress(Entry("clip.webm", data=b"x", compress=True)) is True


def test_the_build_s_crc_is_reused_and_a_changed_file_refused(tmp_path, monkeypatch):
    from resolution_pack import archive as archive_module
    path = tmp_path / "clip.webm"
    path.write_bytes(b"\x1a\x45\xdf\xa3" + b"v" * 100)
    st = path.stat()
    archive_module.remember_crc(path, st.st_size, st.st_mtime_ns, 12345)     # as the media hashing pass does
    assert archive_module.file_crc(path) == (12345, 104)                      # not read again
    archive_module._CRCS.clear()
    import zlib
    assert archive_module.file_crc(path) == (zlib.crc32(path.read_bytes()), 104)
    b = ArchiveBuilder()
    b.add_file("clip.webm", path)
    monkeypatch.setattr(archive_module, "file_crc", lambda p: (0, 105))
    with pytest.raises(OSError, match=r"clip.webm changed while the archive was written"):
        b.write_tgz(tmp_path / "a.tgz")
    assert not (tmp_path / "a.tgz").exists()


def test_a_folder_is_named_once_with_its_slash():
    b = ArchiveBuilder()
    b.add_dir("d/")
    b.add_dir("d")                     # the same folder again: nothing more
    b.add_dir(" e ")
    assert list(b.entries) == ["d/", " e /"]


def test_the_spool_file_is_in_the_folder_given(tmp_path):
    import os
    b = ArchiveBuilder(tmp_path)
    b.add_bytes("a.txt", "a")
    link = f"/proc/self/fd/{b.spool.file.fileno()}"
    if not os.path.exists(link):
        pytest.skip("needs /proc to see where an unnamed file is")
    assert os.readlink(link).startswith(str(tmp_path) + "/")


def test_copy_falls_back_when_the_kernel_refuses_and_notices_a_short_file(tmp_path, monkeypatch):
    from resolution_pack import archive as archive_module
    source = tmp_path / "src.bin"
    source.write_bytes(bytes(range(256)) * 10)

    def copied(n):
        with open(source, "rb") as src, open(tmp_path / "dst.bin", "wb") as dst:
            archive_module._copy(src, dst, n)
        return (tmp_path / "dst.bin").read_bytes()

    assert copied(2560) == source.read_bytes()
    with pytest.raises(OSError, match=r"src.bin is shorter than it was"):
        copied(2561)

    def refuse(*_args):
        raise OSError("not across these file systems")
    monkeypatch.setattr(archive_module.os, "copy_file_range", refuse, raising=False)
    assert copied(2560) == source.read_bytes()
    with pytest.raises(OSError, match=r"src.bin is shorter than it was"):
        copied(2561)


def test_zip_central_record_with_zip64_sizes_and_offset():
    """APPNOTE 4.4.8-4.4.16 and 4.5.3: a size or offset of 0xFFFFFFFF or more
    is written 0xFFFFFFFF and given in the zip64 extra field, in the order
    size, compressed size, offset (only those that need it)."""
    import io
    import struct
    from resolution_pack.archive import _ZipWriter
    writer = _ZipWriter(io.BytesIO(), (2023, 5, 17, 13, 45, 58))
    fields = "<IHHHHHHIIIHHHHHII"
    small = writer._central(b"a", 0, 8, 7, 5, 9, 0o100644 << 16, 100)
    assert struct.unpack_from(fields, small) == (0x02014B50, (3 << 8) | 20, 20, 0, 8, writer.dostime, writer.dosdate,
                                                  7, 5, 9, 1, 0, 0, 0, 0, 0o100644 << 16, 100)
    assert small[46:] == b"a"
    big = writer._central(b"b", 0, 0, 7, 5, 0xFFFFFFFF, 0, 2**32 + 7)
    head = struct.unpack_from(fields, big)
    assert head[1:3] == ((3 << 8) | 45, 45)
    assert (head[8], head[9], head[16]) == (5, 0xFFFFFFFF, 0xFFFFFFFF)       # csize as it is; size, offset in zip64
    assert big[46:] == b"b" + struct.pack("<HHQQ", 1, 16, 0xFFFFFFFF, 2**32 + 7)
    assert head[11] == 20                                                     # the extra field's length


def test_zip_end_records_and_the_zip64_ones_from_65535_entries():
    """APPNOTE 4.3.14-4.3.16: the end of central directory record; from
    65,535 entries (or offsets past 4 GiB) the zip64 end record and locator
    before it, the classic record then saying 0xFFFF."""
    import io
    import struct
    from resolution_pack.archive import _ZipWriter
    for count, zip64 in ((3, False), (0xFFFE, False), (0xFFFF, True)):
        fh = io.BytesIO()
        fh.write(b"L" * 10)                       # the local records, say
        writer = _ZipWriter(fh, (2023, 5, 17, 13, 45, 58))
        writer.central = [b"C"] * count
        writer.close()
        data = fh.getvalue()
        end = data[10 + count:]
        if zip64:
            assert struct.unpack_from("<IQHHIIQQQQ", end) == (0x06064B50, 44, (3 << 8) | 45, 45, 0, 0, count, count,
                                                                count, 10)
            assert struct.unpack_from("<IIQI", end, 56) == (0x07064B50, 0, 10 + count, 1)
            end = end[56 + 20:]
        assert len(end) == 22
        assert struct.unpack("<IHHHHIIH", end) == (0x06054B50, 0, 0, min(count, 0xFFFF), min(count, 0xFFFF), count, 10, 0)


def test_contents_longer_than_one_read_keep_their_crc_and_size(tmp_path):
    """Files of several 1 MiB reads: deflated from memory and from disk,
    stored from disk (their CRC-32 read in chunks), in zip and tgz."""
    import zlib
    from resolution_pack import archive as archive_module
    text = ("ligne de texte numéro %07d\n" % n for n in range(110_000))
    data = "".join(text).encode()                                   # ~3 MiB, three reads and more
    assert len(data) > 2 * archive_module.CHUNK
    (tmp_path / "big.txt").write_bytes(data)
    (tmp_path / "big.webm").write_bytes(b"\x1a\x45\xdf\xa3" + data)
    archive_module._CRCS.clear()
    assert archive_module.file_crc(tmp_path / "big.webm") == (zlib.crc32(b"\x1a\x45\xdf\xa3" + data), len(data) + 4)
    b = ArchiveBuilder()
    b.add_bytes("mem.txt", data)
    b.add_file("disk.txt", tmp_path / "big.txt")
    b.add_file("disk.webm", tmp_path / "big.webm")
    b.add_bytes("block.txt", b"b" * 512)                             # a whole block: no padding after it
    with zipfile.ZipFile(b.write_zip(tmp_path / "a.zip")) as zf:
        assert zf.testzip() is None
        assert [(i.filename, i.file_size, i.CRC) for i in zf.infolist()] == [
            ("block.txt", 512, zlib.crc32(b"b" * 512)), ("disk.txt", len(data), zlib.crc32(data)),
            ("disk.webm", len(data) + 4, zlib.crc32(b"\x1a\x45\xdf\xa3" + data)), ("mem.txt", len(data), zlib.crc32(data))]
    stream = gzip.decompress(b.write_tgz(tmp_path / "a.tgz").read_bytes())
    assert stream[512:1024] == b"b" * 512 and stream[1024:1024 + 5] == b"disk."    # the next header at once


def test_zip_end_records_past_4_gib():
    """The central directory starting at or past 0xFFFFFFFF, or as long:
    zip64 end records (APPNOTE 4.4.1.4: a value of 0xFFFFFFFF means 'see zip64')."""
    import struct
    from resolution_pack.archive import _ZipWriter

    class Far:
        """A file whose writes land at `base` and after (no bytes kept)."""
        def __init__(self, base):
            self.at = base
            self.data = b""

        def tell(self):
            return self.at

        def write(self, data):
            self.at += len(data)
            self.data += data
    for base, zip64 in ((0xFFFFFFFE, False), (0xFFFFFFFF, True), (2**32 + 5, True)):
        fh = Far(base)
        writer = _ZipWriter(fh, (2023, 5, 17, 13, 45, 58))
        writer.central = [b"C"]
        writer.close()
        end = fh.data[1:]
        if zip64:
            assert struct.unpack_from("<IQHHIIQQQQ", end) == (0x06064B50, 44, (3 << 8) | 45, 45, 0, 0, 1, 1, 1, base)
            assert struct.unpack_from("<IIQI", end, 56) == (0x07064B50, 0, base + 1, 1)
            end = end[76:]
        assert struct.unpack("<IHHHHIIH", end) == (0x06054B50, 0, 0, 1, 1, 1, min(base, 0xFFFFFFFF), 0), base


def test_the_callers_choice_of_compression_holds_for_files_too(tmp_path):
    (tmp_path / "notes.txt").write_text("text " * 100)
    (tmp_path / "clip.webm").write_bytes(b"\x1a\x45\xdf\xa3" + b"v" * 1000)
    b = ArchiveBuilder()
    b.add_file("notes.txt", tmp_path / "notes.txt", compress=False)
    b.add_file("clip.webm", tmp_path / "clip.webm", compress=True)
    with zipfile.ZipFile(b.write_zip(tmp_path / "a.zip")) as zf:
        assert {i.filename: i.compress_type for i in zf.infolist()} == {"clip.webm": zipfile.ZIP_DEFLATED,
                                                                       "notes.txt": zipfile.ZIP_STORED}
    assert [m[1] for m in gzip_members(b.write_tgz(tmp_path / "a.tgz").read_bytes())] == [
        "deflated", "stored", "deflated"]     # the clip's header and bytes, the notes' header; the notes; the end


def test_a_file_and_a_folder_of_one_name_are_refused():
    b = ArchiveBuilder()
    b.add_dir("d")
    with pytest.raises(ValueError, match="archive entry written twice: d/"):
        b.add_bytes("d/", b"x")


def test_ustar_header_field_by_field():
    """The header as POSIX ustar lays it out (not as whichever Python's
    tarfile writes it: its device fields changed in 3.11.4)."""
    from resolution_pack.archive import ustar_header
    block = ustar_header("course/course.xml", 1234, 1640995200)
    assert len(block) == 512
    assert block[:100] == b"course/course.xml".ljust(100, b"\0")
    assert block[100:108] == b"0000644\0" and block[108:124] == b"0000000\0" * 2
    assert block[124:136] == b"00000002322\0" and block[136:148] == b"14163714600\0"   # 1234, 2022-01-01
    assert block[156:157] == b"0" and block[157:257] == bytes(100)
    assert block[257:265] == b"ustar\x0000" and block[265:345] == bytes(80) and block[345:] == bytes(167)
    checksum = sum(block[:148]) + 8 * 32 + sum(block[156:])
    assert block[148:156] == b"%06o\0 " % checksum
    folder = ustar_header("files/ab/", 0, 1356998400, is_dir=True)
    assert folder[100:108] == b"0000755\0" and folder[156:157] == b"5" and folder[124:136] == b"0" * 11 + b"\0"


@pytest.mark.parametrize("name", ["a/" * 40 + "long-name-of-a-file.xml", "d" * 150 + "/" + "é" * 45 + ".txt",
                                  "activities/" + "x" * 95 + "/"])
def test_ustar_long_names_split_as_tarfile_splits_them(name):
    from resolution_pack.archive import ustar_header
    is_dir = name.endswith("/")
    block = ustar_header(name, 0 if is_dir else 7, 1700000000, is_dir=is_dir)
    info = tarfile.TarInfo.frombuf(block, "utf-8", "surrogateescape")
    assert info.name == name.rstrip("/") and info.isdir() == is_dir
    assert block[155:156] == b" " and info.chksum == tarfile.calc_chksums(block)[0]


def test_ustar_refuses_what_it_cannot_hold():
    from resolution_pack.archive import ustar_header
    with pytest.raises(ValueError, match="too long"):
        ustar_header("x" * 101, 1, 0)                     # no '/' to split at
    with pytest.raises(ValueError, match="too large"):
        ustar_header("big.webm", 8 ** 11, 0)              # 8 GiB: beyond ustar's size field


@pytest.mark.parametrize("name", ["a.xml", "files/ab/ab12", ".hidden", "dir/.hidden", "name.", "a.tar.GZ",
                                  "folder.d/", "folder.d/file", "x/y.WebM", "", "a..b"])
def test_suffix_is_the_one_pathlib_gives(name):
    from pathlib import PurePosixPath
    from resolution_pack.archive import suffix
    assert suffix(name) == PurePosixPath(name).suffix.lower()

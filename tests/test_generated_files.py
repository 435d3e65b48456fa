"""An edition's generated files, held in one spool file (edition.GeneratedFiles)
and stored into archives from there as they would be from files on disk."""
import hashlib
import sys
import threading

import pytest

from resolution_pack import model as m
from resolution_pack.archive import ArchiveBuilder
from resolution_pack.edition import GeneratedFiles, MediaStore

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 600          # 150 kB: stored, in more than one 64 kB block
SVG = b"<svg xmlns='http://www.w3.org/2000/svg'>" + b"<g/>" * 5000 + b"</svg>"


def test_files_put_are_read_back_with_their_sha1(tmp_path):
    store = GeneratedFiles(tmp_path)
    store.put("generated/p01.pdf", PDF)
    store.put("generated/diagrams/p01-mindmap.fr.svg", SVG)
    assert store.bytes("generated/p01.pdf") == PDF and store.bytes("generated/diagrams/p01-mindmap.fr.svg") == SVG
    assert store.index["generated/p01.pdf"][1:] == (len(PDF), hashlib.sha1(PDF).hexdigest())
    assert list(tmp_path.iterdir()) == []          # an unnamed file: nothing to clean up
    store.close()


def test_two_threads_putting_at_once_keep_each_file_whole(tmp_path):
    """The sheets are put by a thread of their own while the diagrams are drawn."""
    store = GeneratedFiles(tmp_path)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)             # threads switch often: a put cut in two would show

    def put(prefix: str) -> None:
        for i in range(300):
            store.put(f"{prefix}/{i}", f"{prefix}{i}:".encode() * (i + 1))
    threads = [threading.Thread(target=put, args=(name,)) for name in ("sheets", "diagrams")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sys.setswitchinterval(interval)
    for prefix in ("sheets", "diagrams"):
        for i in range(300):
            assert store.bytes(f"{prefix}/{i}") == f"{prefix}{i}:".encode() * (i + 1)


def test_the_media_store_gives_generated_files_from_the_spool(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.png").write_bytes(b"\x89PNG-a")
    store = GeneratedFiles(tmp_path)
    store.put("generated/p01.pdf", PDF)
    media = MediaStore(tmp_path, None, generated=store)
    sheet = media.get(m.MediaRef("generated/p01.pdf", generated=True))
    assert (sheet.path, sheet.size, sheet.sha1, sheet.mimetype) == (None, len(PDF), hashlib.sha1(PDF).hexdigest(),
                                                                   "application/pdf")
    assert sheet.read_bytes() == PDF
    source = media.get(m.MediaRef("media/a.png"))
    assert source.path == tmp_path / "media" / "a.png" and source.read_bytes() == b"\x89PNG-a"
    assert sheet.origin != source.origin
    with pytest.raises(FileNotFoundError, match="no such generated file"):
        media.get(m.MediaRef("generated/p02.pdf", generated=True))


@pytest.mark.parametrize("kind", ["tgz", "zip"])
def test_a_spooled_file_is_archived_as_the_same_file_on_disk_would_be(tmp_path, kind):
    """Same bytes either way: a PDF in a stored gzip member of its own (or
    stored in the zip), an SVG deflated."""
    store = GeneratedFiles(tmp_path)
    for name, data in (("generated/p01.pdf", PDF), ("generated/d.svg", SVG)):
        store.put(name, data)
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    spooled, on_disk = MediaStore(tmp_path, None, generated=store), MediaStore(tmp_path, tmp_path)
    archives = []
    for media in (spooled, on_disk):
        builder = ArchiveBuilder()
        builder.add_bytes("index.xml", "<index/>")
        for name in ("generated/p01.pdf", "generated/d.svg"):
            builder.add_stored(f"files/{name}", media.get(m.MediaRef(name, generated=True)))
        target = tmp_path / f"{len(archives)}.{kind}"
        archives.append((builder.write_tgz(target) if kind == "tgz" else builder.write_zip(target)).read_bytes())
    assert archives[0] == archives[1]
    assert len(archives[0]) > len(PDF)          # the PDF was stored, not left out

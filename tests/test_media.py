"""What a media file is: its MIME type from its name, whether its first bytes
match its extension (the loader refuses a ".pdf" that is not a PDF), and the
extension its bytes say (import names files a Moodle backup stores by hash)."""
import pytest

from resolution_pack.media import _looks_like, mimetype, sniff

MP4 = b"\x00\x00\x00\x18ftypmp42"
HEADS = {
    ".pdf": b"%PDF-1.7", ".png": b"\x89PNG\r\n\x1a\n\x00", ".jpg": b"\xff\xd8\xff\xe0", ".gif": b"GIF89a\x01",
    ".webm": b"\x1a\x45\xdf\xa3\x9f", ".mp4": MP4, ".ogv": b"OggS\x00\x02", ".svg": b"\xef\xbb\xbf \n<svg xmlns=",
    ".vtt": b"\xef\xbb\xbfWEBVTT\n", ".zip": b"PK\x03\x04\x14", ".doc": b"\xd0\xcf\x11\xe0\xa1\xb1",
    ".rtf": b"{\\rtf1\\ansi", ".webp": b"RIFF\x10\x00\x00\x00WEBPVP8 ", ".wav": b"RIFF\x10\x00\x00\x00WAVEfmt ",
}


@pytest.mark.parametrize("suffix, head, ok", [
    *[(s, h, True) for s, h in HEADS.items()],
    (".pdf", b"%PDF1", False), (".png", b"\x89PNG\r\n", False), (".jpg", b"\xff\xd8\x00", False),
    (".jpeg", b"\xff\xd8\xff", True), (".gif", b"GIF87a", True), (".gif", b"GIF88a", False),
    (".webm", b"\x1a\x45\xdf", False), (".mp4", b"\x00\x00\x00\x18ftyx", False), (".m4v", MP4, True),
    (".ogv", b"Ogg", False), (".mp3", b"ID3\x04", True), (".mp3", b"\xff\xfb\x90", True), (".mp3", b"\xff\xf3", True),
    (".mp3", b"\xff\xf2", True), (".mp3", b"\xff\xf1", False), (".svg", b"<?xml version", True),
    (".svg", b"\t\r\n<svg", True), (".svg", b"<html>", False), (".vtt", b"WEBVTT", True), (".vtt", b" WEBVTT", False),
    (".epub", b"PK\x03\x04", True), (".docx", b"PK\x03\x04", True), (".odp", b"PK\x05\x06", False),
    (".xls", b"\xd0\xcf\x11\xe0", True), (".ppt", b"PK\x03\x04", False), (".rtf", b"{\\rt", False),
    (".webp", b"RIFF\x10\x00\x00\x00WAVE", False), (".wav", b"RIFX\x10\x00\x00\x00WAVE", False),
    (".ogg", b"OggS", True), (".ogg", b"OggT", False), (".m4a", b"\x00\x00\x00\x20ftypM4A ", True),
    (".m4a", b"ID3", False), (".txt", b"\xff\xfe anything", True), (".csv", b"", True),
])
def test_first_bytes_match_the_extension(suffix, head, ok):
    assert _looks_like(suffix, head) is ok


def test_the_extension_the_bytes_say():
    assert {s: sniff(h) for s, h in HEADS.items()} == {s: s for s in HEADS}
    assert sniff(b"plain text, \xc3\xa9t\xc3\xa9") == ".txt"
    assert sniff(b"\x00\x01\xff\xfe") is None          # neither a known format nor UTF-8 text
    assert sniff(b"") == ".txt"
    assert sniff(b"\xff\xd8\xff") == ".jpg"            # the first extension listed for JPEG


@pytest.mark.parametrize("name, mime", [
    ("a.pdf", "application/pdf"), ("photo.JPG", "image/jpeg"), ("b.jpeg", "image/jpeg"), ("x.svg", "image/svg+xml"),
    ("clip.webm", "video/webm"), ("clip.m4v", "video/mp4"), ("s.fr.vtt", "text/vtt"), ("dir/a.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("noext", "application/octet-stream"), ("a.xyz", "application/octet-stream"),
])
def test_mimetype_from_the_name(name, mime):
    assert mimetype(name) == mime

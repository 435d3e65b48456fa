"""Line numbers as editors count them (resolution_pack.text.file_lines)."""
import pytest

from resolution_pack.text import file_lines


@pytest.mark.parametrize("text, lines", [
    ("a\nb\n", ["a", "b"]),
    ("a\r\nb", ["a", "b"]),
    ("a\rb\n\n", ["a", "b", ""]),
    ("msgstr \"x\x1ey\"\nnext", ["msgstr \"x\x1ey\"", "next"]),      # str.splitlines() splits here
    ("a\u2028b\x85c\x1cd", ["a\u2028b\x85c\x1cd"]),
    ("", []),
])
def test_file_lines(text, lines):
    assert file_lines(text) == lines

"""Reading one YAML source file: positions of keys and items, and each
refusal as the whole Problem (file, line, column, message, fix)."""
import pytest

from resolution_pack import yamlsource as ys
from resolution_pack.errors import InputError, Problem

SHOWN = "sources/x.yaml"


def read(tmp_path, data: bytes | str):
    path = tmp_path / "x.yaml"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return ys.load_yaml(path, SHOWN)


def refused(tmp_path, data):
    with pytest.raises(InputError) as info:
        read(tmp_path, data)
    return info.value.problems


def test_positions_of_keys_and_items(tmp_path):
    doc = read(tmp_path, "a: 1\nlist:\n  - x\n  -   y\nmap:\n    k: {z: 2}\n")
    assert isinstance(doc, ys.Mapping) and (doc.line, doc.column) == (1, 1)
    assert doc.key_marks == {"a": (1, 1), "list": (2, 1), "map": (5, 1)}
    assert isinstance(doc["list"], ys.Sequence)
    assert (doc["list"].line, doc["list"].column, doc["list"].item_marks) == (3, 3, [(3, 5), (4, 7)])
    assert (doc["map"].line, doc["map"].column, doc["map"]["k"].key_marks) == (6, 5, {"z": (6, 9)})
    assert ys.position(doc, ["map", "k", "z"]) == (6, 9)
    assert ys.position(doc, ["list", 1]) == (4, 7)
    assert ys.position(doc, ["list", 2]) == (2, 1)          # no such item: the list's key
    assert ys.position(doc, ["list", "k"]) == (2, 1)
    assert ys.position(doc, ["nope", "k"]) == (1, 1)         # no such key: the document
    assert ys.position(doc, []) == (1, 1)
    assert ys.position(doc, ["a", "b"]) == (1, 1)            # a scalar has no keys: where it stands
    assert ys.position("scalar", ["a"]) == (0, 0)


def test_dates_and_numbers_as_keys_stay_text(tmp_path):
    doc = read(tmp_path, "startdate: 2022-01-01\n2019: x\nyes: no\n")
    assert doc == {"startdate": "2022-01-01", "2019": "x", "True": False}
    assert doc.key_marks == {"startdate": (1, 1), "2019": (2, 1), "True": (3, 1)}


def test_bom_and_crlf(tmp_path):
    doc = read(tmp_path, b"\xef\xbb\xbfa: 1\r\nb: 2\r\n")
    assert (doc, doc.key_marks) == ({"a": 1, "b": 2}, {"a": (1, 1), "b": (2, 1)})


@pytest.mark.parametrize("data, problem", [
    ("a: 1\nb:\n  c: 2\n  c: 3\n",
     Problem(SHOWN, 4, 3, "duplicate key 'c' (first at line 3)", fix="remove or rename one of the two")),
    ("a: &x [1]\nb: *x\n",
     Problem(SHOWN, 2, 4, "YAML aliases (*name) are not allowed in course sources", fix="write the value out in full")),
    ("a: 1\n\tb: 2\n", Problem(SHOWN, 2, 1, "YAML syntax error: found a tab character that violates indentation",
                               fix="indent with spaces, not tabs")),
    ("a:\n\t- y\n", Problem(SHOWN, 2, 1, "YAML syntax error: found character that cannot start any token",
                             fix="indent with spaces, not tabs")),
    ("a: 1\n  \tb: x: y\n", Problem(SHOWN, 2, 5, "YAML syntax error: mapping values are not allowed in this context",
                                    fix="indent with spaces, not tabs")),
    ("a: [x\n", Problem(SHOWN, 2, 1, "YAML syntax error: did not find expected ',' or ']' "
                                     "(while parsing a flow sequence)")),
    ("a: b: c\n", Problem(SHOWN, 1, 5, "YAML syntax error: mapping values are not allowed in this context")),
    ("a: b: c\t# tab\n", Problem(SHOWN, 1, 5, "YAML syntax error: mapping values are not allowed in this context")),
    ("  \n\n", Problem(SHOWN, 1, 1, "the file is empty", fix="write the document, or delete the file")),
    (b"a: 1\nb: caf\xe9\n", Problem(SHOWN, 2, 7, "the file is not valid UTF-8 (byte 0xe9)", fix="save it as UTF-8")),
    (b"\xe9", Problem(SHOWN, 1, 1, "the file is not valid UTF-8 (byte 0xe9)", fix="save it as UTF-8")),
    (b"a: 1\nb: 2\nc: caf\xe9\n", Problem(SHOWN, 3, 7, "the file is not valid UTF-8 (byte 0xe9)", fix="save it as UTF-8")),
    (b"\nb: caf\xe9\n", Problem(SHOWN, 2, 7, "the file is not valid UTF-8 (byte 0xe9)", fix="save it as UTF-8")),
    ("a: *x\n", Problem(SHOWN, 1, 4, "YAML syntax error: found undefined alias")),
    ("\ta: b\n", Problem(SHOWN, 1, 1, "YAML syntax error: found character that cannot start any token",
                          fix="indent with spaces, not tabs")),
    ("a: b\x07\n", Problem(SHOWN, 1, 5, "control character U+0007 in the file",
                           fix="remove it (YAML and XML cannot carry it)")),
    ('a: 1\nb: "x\x1by"\n', Problem(SHOWN, 2, 6, "control character U+001B in the file",
                                   fix="remove it (YAML and XML cannot carry it)")),
    ("\na: 1\nb: x\x07\n", Problem(SHOWN, 3, 5, "control character U+0007 in the file",
                                  fix="remove it (YAML and XML cannot carry it)")),
], ids=["duplicate key", "alias", "tab", "tab before a dash", "tab before the error", "open at the end", "mapping value", "tab after the error", "empty",
        "not utf-8", "not utf-8 at once",
        "not utf-8 on line 3", "not utf-8 after an empty line", "an alias without anchor", "a tab on line 1",
        "a raw control character", "a raw control character in a string",
        "a raw control character on line 3"])
def test_refusals(tmp_path, data, problem):
    assert refused(tmp_path, data) == [problem]


def test_an_ampersand_and_a_star_without_alias_are_text(tmp_path):
    assert read(tmp_path, "a: fish & chips\nb: 5 * 3\n") == {"a": "fish & chips", "b": "5 * 3"}


def test_size_limit_and_unreadable(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n")
    assert ys.read_text(path, SHOWN, max_bytes=5) == "a: 1\n"
    with pytest.raises(InputError) as info:
        ys.read_text(path, SHOWN, max_bytes=4)
    assert info.value.problems == [Problem(SHOWN, 0, 0, "file is too large (5 bytes; the limit is 4)",
                                           fix="split it into several files")]
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (ys.MAX_FILE_BYTES + 1))
    with pytest.raises(InputError) as info:
        ys.load_yaml(big, SHOWN)
    assert info.value.problems == [Problem(SHOWN, 0, 0, f"file is too large ({ys.MAX_FILE_BYTES + 1:,} bytes; the "
                                           f"limit is 4,194,304)", fix="split it into several files")]
    with pytest.raises(InputError) as info:
        ys.load_yaml(tmp_path / "none.yaml", SHOWN)
    assert info.value.problems == [Problem(SHOWN, 0, 0, "cannot read the file: No such file or directory",
                                           fix="check that it exists and is readable")]


def test_a_raw_next_line_character_is_refused_not_folded(tmp_path):
    """U+0085 is the one C1 control YAML accepts, as a line break: a title
    holding it would silently lose it. It is refused where it is."""
    path = tmp_path / "s.yaml"
    path.write_text("id: x\ntitle: ab\x85cd\n", "utf-8")
    with pytest.raises(InputError) as info:
        ys.load_yaml(path, "sources/s.yaml")
    assert [(p.file, p.line, p.column, p.message) for p in info.value.problems] == [
        ("sources/s.yaml", 2, 10, "control character U+0085 in the text")]

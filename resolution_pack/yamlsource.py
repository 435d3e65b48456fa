"""Read YAML source files safely, keeping the line of every key and item.

Untrusted input: aliases are refused (no "billion laughs"), files are capped
in size, duplicate keys are errors, the text must be UTF-8 (a BOM and CRLF
line ends are accepted).
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InputError, Problem
from .text import file_lines

MAX_FILE_BYTES = 4 * 1024 * 1024


class Mapping(dict):
    """A dict that knows where each of its keys stands in the file."""

    line: int = 0
    column: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_marks: dict[str, tuple[int, int]] = {}


class Sequence(list):
    """A list that knows where each item stands in the file."""

    line: int = 0
    column: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_marks: list[tuple[int, int]] = []


class _DuplicateKey(Exception):
    def __init__(self, key, line, column, first_line):
        self.key, self.line, self.column, self.first_line = key, line, column, first_line


class _AliasRefused(Exception):
    def __init__(self, line, column):
        self.line, self.column = line, column


# libyaml's parser when it is there (ten times faster); the constructors
# below run in Python either way.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    pass


def _refuse_aliases(text: str) -> None:
    """An alias needs an anchor: scan the tokens only when both signs occur."""
    if "&" not in text or "*" not in text:
        return
    for token in yaml.scan(text, Loader=_Base):
        if isinstance(token, yaml.AliasToken):
            mark = token.start_mark
            raise _AliasRefused(mark.line + 1, mark.column + 1)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    result = Mapping()
    result.line, result.column = node.start_mark.line + 1, node.start_mark.column + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if key in result:
            raise _DuplicateKey(key, *mark, result.key_marks[key][0])
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_marks[key] = mark
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Sequence:
    result = Sequence()
    result.line, result.column = node.start_mark.line + 1, node.start_mark.column + 1
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.item_marks.append((child.start_mark.line + 1, child.start_mark.column + 1))
    return result


def _construct_str_keep(loader, node):
    # YAML 1.1 would read `no`, `on`, `2022-01-01` as bool/date: keep dates as
    # text so that the schema sees what the author wrote.
    return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str_keep)


def read_text(path: Path, shown: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a source file as UTF-8 text, or raise InputError naming the spot."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(Problem(shown, 0, 0,
                                     f"file is too large ({size:,} bytes; the limit is {max_bytes:,})",
                                     fix="split it into several files"))
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(shown, 0, 0, f"cannot read the file: {exc.strerror}",
                                 fix="check that it exists and is readable")) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(Problem(shown, line, column,
                                 f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                                 fix="save it as UTF-8")) from None


def load_yaml(path: Path, shown: str):
    """Parse one YAML file; return its Mapping/Sequence tree with positions."""
    text = read_text(path, shown)
    if not text.strip():
        raise InputError(Problem(shown, 1, 1, "the file is empty",
                                 fix="write the document, or delete the file"))
    nel = text.find("\x85")       # the one C1 control YAML accepts: as a line break, so it would vanish
    if nel >= 0:
        line = text.count("\n", 0, nel) + 1
        raise InputError(Problem(shown, line, nel - (text.rfind("\n", 0, nel) + 1) + 1,
                                 "control character U+0085 in the text",
                                 fix="remove it (YAML reads it as a line break, XML cannot carry it)"))
    try:
        _refuse_aliases(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except _DuplicateKey as dup:
        raise InputError(Problem(shown, dup.line, dup.column,
                                 f"duplicate key '{dup.key}' (first at line {dup.first_line})",
                                 fix="remove or rename one of the two")) from None
    except _AliasRefused as alias:
        raise InputError(Problem(shown, alias.line, alias.column,
                                 "YAML aliases (*name) are not allowed in course sources",
                                 fix="write the value out in full")) from None
    except yaml.reader.ReaderError as exc:
        # a character YAML refuses (a control character): where it is, not "position N" on a second line
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise InputError(Problem(shown, line, column, f"control character U+{code:04X} in the file",
                                 fix="remove it (YAML and XML cannot carry it)")) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = (exc.problem or str(exc)).strip()
        fix = ""
        lines = file_lines(text)
        # libyaml may point one line past the last one (a string left open at the end)
        here = lines[line - 1] if 0 < line <= len(lines) else ""
        if "tab" in message.lower() or "\t" in here[:column]:
            fix = "indent with spaces, not tabs"
        elif exc.context:
            message = f"{message} ({exc.context.strip()})"
        raise InputError(Problem(shown, line, column, f"YAML syntax error: {message}", fix=fix)) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(shown, 0, 0, f"YAML error: {exc}")) from None


def position(node, path) -> tuple[int, int]:
    """The line and column of the value at `path` (keys and indexes) in a tree."""
    best = (getattr(node, "line", 0), getattr(node, "column", 0))
    current = node
    for step in path:
        if isinstance(current, Mapping) and step in current:
            best = current.key_marks.get(step, best)
            current = current[step]
        elif isinstance(current, Sequence) and isinstance(step, int) and step < len(current):
            best = current.item_marks[step]
            current = current[step]
        else:
            break
    return best

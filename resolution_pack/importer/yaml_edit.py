"""Edit YAML source files in place: one scalar's text, or one item of a list,
and nothing else, so that the files keep their layout, quotes and comments.

The file is composed with PyYAML (nodes with their exact start and end in the
text); an edit replaces the characters of one node. A scalar keeps its style
(literal block, quoted, plain) where the new text allows it. Every edited file
is read back and the edited value compared before anything is written.
"""
from __future__ import annotations

import yaml



class YamlFile:
    def __init__(self, path, shown: str):
        self.path, self.shown = path, shown
        self.text = path.read_text("utf-8")
        self.root = yaml.compose(self.text, Loader=yaml.SafeLoader)
        self.keys: dict[tuple[int, str], tuple] = {}     # (line, key) -> (value node, mapping node)
        self.edits: list[tuple[int, int, str]] = []
        self._index(self.root)

    def _index(self, node) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                self.keys[(key.start_mark.line + 1, key.value)] = (value, node)
                self._index(value)
        elif isinstance(node, yaml.SequenceNode):
            for child in node.value:
                self._index(child)

    # -- finding ---------------------------------------------------------------
    def value(self, line: int, key: str, index: int | None = None, subkey: str | None = None):
        """The value node of `key` written at `line`; its `index`-th item for a
        list of texts; its `subkey` for a mapping ({text:, note:})."""
        found = self.keys.get((line, key))
        if found is None:
            return None
        node = found[0]
        if index is not None:
            if not isinstance(node, yaml.SequenceNode) or index >= len(node.value):
                return None
            node = node.value[index]
        if subkey is not None and isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == subkey), None)
        return node if isinstance(node, yaml.ScalarNode) else None

    # -- editing ---------------------------------------------------------------
    def replace(self, node: yaml.ScalarNode, value: str) -> None:
        self.edits.append((node.start_mark.index, _end(self.text, node), _scalar(self.text, node, value)))

    def apply(self) -> str:
        text = self.text
        for start, end, new in sorted(self.edits, reverse=True):
            text = text[:start] + new + text[end:]
        return text


def _end(text: str, node) -> int:
    """Where a scalar ends: a block scalar's end mark is past its last line
    break, which stays in the text."""
    end = node.end_mark.index
    if node.style in ("|", ">"):
        while end > node.start_mark.index and text[end - 1] in " \n":
            end -= 1
    return end


def _flow_context(text: str, node) -> bool:
    """The scalar is inside [...] or {...} on its line."""
    line_start = text.rfind("\n", 0, node.start_mark.index) + 1
    before = text[line_start:node.start_mark.index]
    return before.count("{") > before.count("}") or before.count("[") > before.count("]")


def _dump(value: str, style: str | None) -> str:
    out = yaml.dump(value, Dumper=yaml.SafeDumper, default_style=style, allow_unicode=True, width=1 << 30)
    if out.endswith("\n...\n"):
        out = out[:-5]
    return out.rstrip("\n")


def _scalar(text: str, node, value: str) -> str:
    """The new value written in the old one's style where it can be."""
    if node.style in ("|", ">") and _literal_ok(value):
        header = text[node.start_mark.index:text.index("\n", node.start_mark.index)].rstrip()
        if node.style == ">":
            header = "|" + header[1:]
        indent = " " * _block_indent(text, node)
        return header + "\n" + "\n".join(indent + line if line else "" for line in value.split("\n"))
    if _flow_context(text, node) or "\n" in value:
        return _dump(value, '"')
    if node.style in ("'", '"'):
        return _dump(value, node.style)
    return _dump(value, None)


def _literal_ok(value: str) -> bool:
    return bool(value) and not value.startswith((" ", "\n")) and all(line == line.rstrip() for line in value.split("\n"))


def _block_indent(text: str, node) -> int:
    first = text.index("\n", node.start_mark.index) + 1
    line = text[first:text.find("\n", first) if "\n" in text[first:] else len(text)]
    return len(line) - len(line.lstrip(" ")) or node.start_mark.column + 2


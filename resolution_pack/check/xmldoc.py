"""XML read back from an archive: no entities, no network."""
from __future__ import annotations

from lxml import etree

from .findings import finding

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def parse(data: bytes, name: str, lang: str, archive: str, problems: list):
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        problems.append(finding(lang, archive, "well-formed", f"{name}: {exc}"))
        return None


def text(node, path: str, default: str = "") -> str:
    found = node.find(path) if node is not None else None
    return found.text if found is not None and found.text is not None else default

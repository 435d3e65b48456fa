"""Project diagrams as SVG (first version)."""
from __future__ import annotations

from lxml import etree

from .. import model as m
from ..text import plain

SVG = "http://www.w3.org/2000/svg"


def diagram_outline(project: m.Project, kind: str) -> list:
    if kind == "mindmap":
        def walk(node):
            return {"label": plain(node.label), "children": [walk(c) for c in node.children]}
        return [walk(project.mindmap)] if project.mindmap else []
    if kind == "timeline":
        return [{"label": f"{s.date} {plain(s.label)}", "children": []} for s in project.timeline]
    return [{"label": plain(a.name), "children": []} for a in project.actors]


def diagram_svg(course: m.Course, project: m.Project, kind: str) -> bytes:
    root = etree.Element(f"{{{SVG}}}svg", nsmap={None: SVG}, width="400", height="300", viewBox="0 0 400 300")
    etree.SubElement(root, f"{{{SVG}}}title").text = plain(project.title)
    y = 20
    def emit(items, depth):
        nonlocal y
        for it in items:
            t = etree.SubElement(root, f"{{{SVG}}}text", x=str(10 + 20 * depth), y=str(y))
            t.text = it["label"]
            y += 16
            emit(it["children"], depth + 1)
    emit(diagram_outline(project, kind), 0)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

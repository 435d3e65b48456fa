"""The diagrams of a project overview page (mind map, timeline, org chart):
whether a project has one, its accessible name and its text outline."""
from __future__ import annotations

from .. import model as m
from ..text import plain


def diagram_title(course: m.Course, project: m.Project, kind: str, heading: str) -> str:
    """The accessible name of a diagram: the one its SVG carries, when the
    diagrams module says it."""
    try:
        from ..assets.diagrams import diagram_title as svg_title
        return plain(svg_title(course, project, kind))
    except (ImportError, AttributeError, TypeError, KeyError):
        return f"{heading} – {plain(project.title)}"


def has_content(project: m.Project, kind: str) -> bool:
    if kind == "mindmap":
        return project.mindmap is not None
    if kind == "timeline":
        return bool(project.timeline)
    return bool(project.actors)


def outline(project: m.Project, kind: str, lang: str) -> list[dict]:
    """The text equivalent of a diagram, as nested {label, children}: the
    diagrams module's own outline when it offers one (so the text says what
    the picture shows), else built from the model."""
    try:
        from ..assets.diagrams import diagram_outline
    except ImportError:
        diagram_outline = None
    if diagram_outline is not None:
        try:
            nodes = diagram_outline(project, kind, lang)
        except TypeError:           # an older signature, without the language
            nodes = diagram_outline(project, kind)
        return [outline_node(node) for node in nodes]
    if kind == "mindmap":
        def walk(node):
            return {"label": plain(node.label), "children": [walk(c) for c in node.children]}
        return [walk(project.mindmap)] if project.mindmap else []
    if kind == "timeline":
        return [{"label": " – ".join(x for x in (plain(s.date), plain(s.label), plain(s.text)) if x),
                 "children": []} for s in project.timeline]
    children: dict = {}
    for actor in project.actors:
        children.setdefault(actor.parent, []).append(actor)

    def actor_node(actor):
        label = plain(actor.name) + (f" ({plain(actor.role)})" if actor.role else "")
        return {"label": label, "children": [actor_node(a) for a in children.get(actor.id, [])]}
    known = {a.id for a in project.actors}
    return [actor_node(a) for a in project.actors if not a.parent or a.parent not in known]


def outline_node(node) -> dict:
    if isinstance(node, dict):
        label, kids = node.get("text", node.get("label", "")), node.get("children", [])
    else:
        label, kids = getattr(node, "text", getattr(node, "label", "")), getattr(node, "children", [])
    return {"label": plain(str(label)), "children": [outline_node(k) for k in kids or []]}

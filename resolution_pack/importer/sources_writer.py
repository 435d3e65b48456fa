"""Write a course model as a sources folder in this project's format
(docs/source-format.md): course.yaml, ui.yaml, sections/*.yaml,
projects/*.yaml. Keys in the order of the format's documentation, defaults
left out, one scalar per line, multi-line texts as literal blocks: the same
model always gives the same bytes."""
from __future__ import annotations

from pathlib import Path

import yaml

from .. import model as m


class _Flow(dict):
    """A mapping written on one line: {start: ..., end: ..., text: ...}."""


class _Inline(list):
    """A list written on one line: [fr, en]."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)     # list items indented under their key


def _str(dumper, value: str):
    style = "|" if "\n" in value and not any(line != line.rstrip() for line in value.split("\n")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _flow(dumper, value):
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, _flow)
_Dumper.add_representer(_Inline, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def dump(doc: dict, header: str = "") -> str:
    text = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=1 << 30, indent=2)
    lines = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) if header else ""
    return lines + text


def _put(doc: dict, key: str, value) -> None:
    if value is not None and value != [] and value != {}:
        doc[key] = value


def _local(full_id: str) -> str:
    return full_id.rsplit(".", 1)[-1]


# ---- documents ------------------------------------------------------------------

def course_doc(course: m.Course) -> dict:
    doc = {"id": course.id, "title": course.title, "summary": course.summary,
           "source_language": course.source_language, "languages": _Inline(course.languages),
           "startdate": course.startdate,
           "editions": {lang: _Flow(shortname=e.shortname, fullname=e.fullname)
                        for lang, e in course.editions.items()},
           "sections": _Inline(s.id for s in course.sections)}
    _put(doc, "projects", _Inline(p.id for p in course.projects))
    _put(doc, "expected", course.expected)
    return doc


def ui_doc(course: m.Course) -> dict:
    strings = {}
    for key in sorted(course.ui):
        s = course.ui[key]
        strings[key] = _Flow(text=s.text, note=s.note) if s.note else s.text
    return {"strings": strings}


def section_doc(section: m.Section) -> dict:
    doc = {"title": section.title}
    _put(doc, "role", section.role or None)
    _put(doc, "summary", section.summary)
    doc["items"] = [item_doc(i) for i in section.items if not isinstance(i, (m.ProjectOverview, m.ProjectSheet))
                    and not _project_item(i)]
    return doc


def _project_item(item) -> bool:
    """Blocks the loader appends for each project (they live in projects/)."""
    return item.id.startswith(("tutorial.", "toolbox.")) and item.id.count(".") >= 2


def item_doc(item) -> dict:
    doc = {"kind": item.kind, "id": _local(item.id)}
    writer = _ITEMS[item.kind]
    writer(item, doc)
    _put(doc, "notes", item.notes or None)
    return doc


def _page(item: m.Page, doc):
    doc["title"] = item.title
    _put(doc, "intro", item.intro)
    doc["parts"] = [_part(p) for p in item.parts]


def _part(part: m.Part) -> dict:
    doc = {}
    _put(doc, "heading", part.heading)
    _put(doc, "body", part.body)
    _put(doc, "items", [b.text for b in part.bullets])
    _put(doc, "image", _image(part.image))
    return doc


def _image(image: m.Image | None):
    return None if image is None else _Flow(file=image.file.path, alt=image.alt)


def _label(item: m.Label, doc):
    doc["text"] = item.text


def _url(item: m.Url, doc):
    doc["title"] = item.title
    doc["url"] = item.url
    _put(doc, "description", item.description)


def _resource(item: m.Resource, doc):
    doc["title"] = item.title
    doc["file"] = item.file.path
    _put(doc, "description", item.description)


def _folder(item: m.Folder, doc):
    doc["title"] = item.title
    _put(doc, "description", item.description)
    doc["files"] = [_Flow(file=f.file.path, folder=f.folder) if f.folder else _Flow(file=f.file.path)
                    for f in item.files]


def _book(item: m.Book, doc):
    doc["title"] = item.title
    _put(doc, "intro", item.intro)
    chapters = []
    for ch in item.chapters:
        c = {"id": _local(ch.id), "title": ch.title}
        _put(c, "body", ch.body)
        links = []
        for link in ch.links:
            d = {"title": link.title, "url": link.url}
            _put(d, "description", link.description)
            links.append(d)
        _put(c, "links", links)
        chapters.append(c)
    doc["chapters"] = chapters


def _forum(item: m.Forum, doc):
    doc["title"] = item.title
    _put(doc, "type", item.type if item.type != "news" else None)
    _put(doc, "intro", item.intro)


def video_doc(item: m.Video, doc):
    doc["title"] = item.title
    _put(doc, "description", item.description)
    _put(doc, "file", item.file.path if item.file else None)
    _put(doc, "url", item.url)
    _put(doc, "poster", item.poster.path if item.poster else None)
    _put(doc, "duration", item.duration)
    doc["subtitles"] = [_Flow(start=c.start, end=c.end, text=c.text) for c in item.subtitles]


def _quiz(item, doc):
    doc["title"] = item.title
    _put(doc, "intro", item.intro)
    if isinstance(item, m.Evaluation):
        doc["pass_percent"] = item.pass_percent
    else:
        _put(doc, "after", item.after)
    _put(doc, "behaviour", item.behaviour)
    doc["questions"] = [question_doc(q) for q in item.questions]


def _number(value):
    return int(value) if float(value) == int(value) else value


def question_doc(q: m.Question) -> dict:
    doc = {"id": _local(q.id), "type": q.type}
    _put(doc, "name", q.name)
    _put(doc, "presentation", q.presentation if q.presentation != "plain" else None)
    _put(doc, "image", _image(q.image))
    doc["text"] = q.text
    for key in ("general_feedback", "correct_feedback", "incorrect_feedback", "partially_correct_feedback"):
        _put(doc, key, getattr(q, key))
    if q.hints is not None:
        doc["hints"] = [_hint(hint) for hint in q.hints]
    if q.type in ("single", "multiple"):
        doc["choices"] = [_choice(c) for c in q.choices]
    elif q.type in ("gapselect", "ddwtos"):
        doc["choices"] = [_Flow(text=c.text, group=c.group) if c.group != 1 else _Flow(text=c.text)
                          for c in q.choices]
    elif q.type == "truefalse":
        doc["answer"] = bool(q.answer)
        _put(doc, "feedback_true", q.feedback_true)
        _put(doc, "feedback_false", q.feedback_false)
    elif q.type == "match":
        doc["pairs"] = [_Flow(question=p.question, answer=p.answer) for p in q.pairs]
    elif q.type == "ordering":
        doc["items"] = [i.text for i in q.items]
    elif q.type == "shortanswer":
        doc["answers"] = [_answer(a) for a in q.answers]
        if q.case_sensitive:
            doc["case_sensitive"] = True
    if not q.shuffle and q.type in ("single", "multiple", "gapselect", "ddwtos"):
        doc["shuffle"] = False
    _put(doc, "notes", q.notes or None)
    return doc


def _hint(hint: m.Hint):
    d = _Flow(text=hint.text)
    if hint.clear_wrong:
        d["clear_wrong"] = True
    if not hint.show_num_correct:
        d["show_num_correct"] = False
    return d


def _choice(c: m.Choice):
    d = _Flow(text=c.text)
    if c.correct:
        d["correct"] = True
    if c.fraction is not None:
        d["fraction"] = _number(c.fraction)
    _put(d, "feedback", c.feedback)
    return d


def _answer(a: m.ShortAnswer):
    d = _Flow(text=a.text)
    if a.fraction != 100:
        d["fraction"] = _number(a.fraction)
    _put(d, "feedback", a.feedback)
    return d


def _photo_story(item: m.PhotoStory, doc):
    doc["title"] = item.title
    _put(doc, "intro", item.intro)
    panels = []
    for panel in item.panels:
        d = {"scene": panel.scene}
        _put(d, "file", panel.file.path if panel.file else None)
        _put(d, "caption", panel.caption)
        _put(d, "dialogue", [_Flow(speaker=line.speaker, line=line.text) for line in panel.lines])
        panels.append(d)
    doc["panels"] = panels


def _recipe(item: m.Recipe, doc):
    doc["title"] = item.title
    _put(doc, "intro", item.intro)
    doc["ingredients"] = [i.text for i in item.ingredients]
    doc["steps"] = [i.text for i in item.steps]
    _put(doc, "tips", [i.text for i in item.tips])


_ITEMS = {"page": _page, "label": _label, "url": _url, "resource": _resource, "folder": _folder, "book": _book,
          "forum": _forum, "video": video_doc, "activities": _quiz, "evaluation": _quiz,
          "photo-story": _photo_story, "recipe": _recipe}


# ---- the folder -------------------------------------------------------------------

def project_doc(p: m.Project) -> dict:
    doc = {"title": p.title, "organisation": p.organisation, "country": p.country}
    _put(doc, "city", p.city or None)
    if p.reconstructed:
        doc["reconstructed"] = True
    doc["summary"] = p.summary
    _put(doc, "audience", p.audience)
    doc["description"] = p.description
    doc["implementation"] = p.implementation
    _put(doc, "key_figures", [_Flow(label=k.label, value=k.value) for k in p.key_figures])
    _put(doc, "contacts", [_Flow(label=c.label, url=c.url) if c.url else _Flow(label=c.label) for c in p.contacts])
    doc["mindmap"] = _node(p.mindmap)
    doc["timeline"] = [_step(s) for s in p.timeline]
    doc["orgchart"] = {"actors": [_actor(a) for a in p.actors],
                       "relations": [_Flow(**{"from": r.source, "to": r.target, "label": r.label})
                                     for r in p.relations]}
    doc["testimonials"] = [_testimonial(t) for t in p.testimonials]
    doc["videos"] = []
    for v in p.videos:
        d = {"id": _local(v.id)}
        video_doc(v, d)
        doc["videos"].append(d)
    _put(doc, "notes", p.notes or None)
    return doc


def _node(node: m.Node):
    if not node.children:
        return _Flow(label=node.label)
    return {"label": node.label, "children": [_node(c) for c in node.children]}


def _step(s: m.Step) -> dict:
    d = {"date": s.date, "label": s.label}
    if s.indicative:
        d["indicative"] = True
    _put(d, "text", s.text)
    return d


def _actor(a: m.Actor):
    d = _Flow(id=a.id, name=a.name)
    _put(d, "role", a.role)
    _put(d, "parent", a.parent)
    return d


def _testimonial(t: m.Testimonial) -> dict:
    return {"id": t.id, "name": t.name, "role": t.role, "beneficiary": t.beneficiary, "quote": t.quote}


def write_sources(course: m.Course, root: Path, header: str) -> list[Path]:
    """Write every YAML file of `course` under `root`; return them."""
    root = Path(root)
    written = []

    def write(rel: str, doc: dict, head: str = ""):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(doc, head), "utf-8")
        written.append(path)

    write("course.yaml", course_doc(course), header)
    if course.ui:
        write("ui.yaml", ui_doc(course))
    for section in course.sections:
        write(f"sections/{section.id}.yaml", section_doc(section))
    for project in course.projects:
        write(f"projects/{project.id}.yaml", project_doc(project))
    return written

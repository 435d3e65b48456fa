"""Load a sources folder: its YAML read and checked against the schemas
(schema_check.py), then the course model built and its cross-references
checked. Every problem of the run is collected and reported at once.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import model as m
from .errors import Collector
from .schema_check import Sources, read_sources
from .text import control_characters, moodle_markers
from .yamlsource import Mapping, Sequence, position


def load(root, *, check_media: bool = True) -> m.Course:
    """Read, validate and build the course model; raise InputError with every
    problem found."""
    root = Path(root)
    problems = Collector()
    sources = read_sources(root, problems)
    builder = _Builder(root, sources, problems, check_media)
    course = builder.build()
    problems.raise_if_any()
    _strip_texts(course)
    return course


def _strip_texts(course: m.Course) -> None:
    """YAML block scalars end with a newline: texts are compared and
    translated without their outer white space. Control characters (which
    XML cannot carry) are refused."""
    from .i18n.walk import fields
    problems = Collector()
    for f in list(fields(course)):
        bad = control_characters(f.value)
        if bad:
            src = getattr(f.obj, "src", m.Src())
            problems.add(src.file, src.line(f.name), 0, f"control character {', '.join(bad)} in the text",
                         f.context, "remove it (XML cannot carry it)")
        markers = moodle_markers(f.value)
        if markers:
            src = getattr(f.obj, "src", m.Src())
            problems.add(src.file, src.line(f.name), 0, f"{', '.join(markers)} in the text is a marker of Moodle "
                         "backups: the restore would turn it into a link", f.context, "write it another way")
        stripped = f.value.strip()
        if stripped != f.value:
            setattr(f.obj, f.name, stripped)
    problems.raise_if_any()


class _Builder:
    def __init__(self, root: Path, sources: Sources, problems: Collector, check_media: bool):
        self.root = root
        self.sources = sources
        self.problems = problems
        self.check_media = check_media
        self.ids: dict[str, tuple[str, int]] = {}
        self.file = ""
        self.doc = None

    # -- helpers --
    def src(self, node) -> m.Src:
        lines = []
        if isinstance(node, Mapping):
            for key, (line, _col) in node.key_marks.items():
                lines.append((key, line))
        return m.Src(self.file, tuple(lines))

    def claim(self, full_id: str, node, key: str = "id") -> None:
        line = node.key_marks.get(key, (node.line, 0))[0] if isinstance(node, Mapping) else 0
        if full_id in self.ids:
            first_file, first_line = self.ids[full_id]
            self.problems.add(self.file, line, 0, f"id '{full_id}' is used twice (first at {first_file}:{first_line})",
                              fix="give each object its own id")
        else:
            self.ids[full_id] = (self.file, line)

    def media(self, node: Mapping, key: str) -> m.MediaRef | None:
        value = node.get(key)
        if value is None:
            return None
        line, col = node.key_marks.get(key, (node.line, node.column))
        from .media import check_media_path
        for message, fix in check_media_path(self.root, value, exists=self.check_media):
            self.problems.add(self.file, line, col, message, key, fix)
        return m.MediaRef(value)

    def image(self, node, ctx) -> m.Image | None:
        if not node:
            return None
        return m.Image(file=self.media(node, "file"), alt=node["alt"], ctx=ctx, src=self.src(node))

    # -- the course --
    def build(self) -> m.Course | None:
        course_doc = ui_doc = None
        sections, projects = {}, {}
        for shown, (kind, doc) in self.sources.docs.items():
            stem = Path(shown).stem
            if kind == "course":
                course_doc = (shown, doc)
            elif kind == "ui":
                ui_doc = (shown, doc)
            elif kind == "section":
                sections[stem] = (shown, doc)
            else:
                projects[stem] = (shown, doc)
        if course_doc is None:
            return None
        self.file, doc = course_doc
        course = m.Course(
            id=doc["id"], source_language=doc["source_language"], languages=list(doc["languages"]),
            startdate=str(doc.get("startdate", "2022-01-01")),
            editions={}, sections=[], projects=[], expected=_plain(doc.get("expected", {})), ui={},
            root=str(self.root), notes=_plain(doc.get("notes", {})), ctx="course", src=self.src(doc),
            title=doc["title"], summary=doc["summary"])
        course.placeholder_video = self.media(doc, "placeholder_video")
        self._editions(course, doc)
        if ui_doc:
            self.file, udoc = ui_doc
            for key, value in udoc["strings"].items():
                text, note = (value["text"], value.get("note", "")) if isinstance(value, dict) else (value, "")
                line = udoc["strings"].key_marks[key][0]
                course.ui[key] = m.UiString(key=key, note=note, ctx=f"ui.{key}",
                                            src=m.Src(self.file, (("text", line),)), text=text)
        # projects first: the tutorials and toolbox sections refer to them
        by_id = {}
        listed = list(doc.get("projects", []))
        for pid in listed:
            if pid not in projects:
                if ("project", pid) in self.sources.failed:
                    continue
                self.file = course_doc[0]
                line, col = position(doc, ["projects", listed.index(pid)])
                self.problems.add(self.file, line, col, f"project '{pid}' has no file projects/{pid}.yaml",
                                  "projects", "create the file or remove the id from the list")
                continue
            self.file, pdoc = projects[pid]
            by_id[pid] = self._project(pid, pdoc)
        for pid, (shown, _) in sorted(projects.items()):
            if pid not in listed and ("project", pid) not in self.sources.failed:
                self.problems.add(shown, 1, 1, f"project '{pid}' is not listed in course.yaml 'projects'",
                                  fix="add it to the list (the list gives the display order)")
        course.projects = [by_id[p] for p in listed if p in by_id]
        for sid in doc["sections"]:
            if sid not in sections:
                if ("section", sid) in self.sources.failed:
                    continue
                self.file = course_doc[0]
                line, col = position(doc, ["sections", doc["sections"].index(sid)])
                self.problems.add(self.file, line, col, f"section '{sid}' has no file sections/{sid}.yaml",
                                  "sections", "create the file or remove the id from the list")
                continue
            self.file, sdoc = sections[sid]
            course.sections.append(self._section(sid, sdoc, course.projects))
        for sid, (shown, _) in sorted(sections.items()):
            if sid not in doc["sections"]:
                self.problems.add(shown, 1, 1, f"section '{sid}' is not listed in course.yaml 'sections'",
                                  fix="add it to the list (the list gives the display order)")
        self.file = course_doc[0]
        self._placeholders(course, doc)
        return course

    def _placeholders(self, course: m.Course, doc: Mapping) -> None:
        """Videos on the placeholder clip get a still clip as long as their subtitles."""
        ref = course.placeholder_video
        if ref is None:
            return
        if self.check_media:
            from .assets.placeholder_video import NotAStill, still_frames
            try:
                still_frames((self.root / ref.path).read_bytes())
            except (OSError, NotAStill) as exc:
                line, col = doc.key_marks["placeholder_video"]
                self.problems.add(self.file, line, col, f"{ref.path}: {exc}", "placeholder_video",
                                  "give a VP8 or VP9 WebM that shows a still picture, or remove placeholder_video")
                return
        from .assets.placeholder_video import seconds_for
        from .edition import placeholder_ref
        for _section, video in course.videos():
            if video.file is not None and video.file.path == ref.path and video.subtitles:
                video.file = placeholder_ref(seconds_for(max(_seconds(c.end) for c in video.subtitles)))
                # the clip shows its still picture from the start; Moodle's player would draw a
                # poster as an <img> without alt text
                video.poster = None

    def _editions(self, course, doc):
        for lang, ed in doc["editions"].items():
            course.editions[lang] = m.Edition(lang, ed["shortname"], ed["fullname"])
            if lang not in course.languages:
                line, col = position(doc, ["editions", lang])
                self.problems.add(self.file, line, col, f"edition '{lang}' is not in 'languages'", "editions",
                                  "add the language to 'languages' or remove the edition")
        for lang in course.languages:
            if lang not in course.editions:
                line, col = position(doc, ["languages"])
                self.problems.add(self.file, line, col, f"language '{lang}' has no edition", "editions",
                                  f"add editions.{lang} with its shortname and fullname")
        if course.source_language not in course.languages:
            line, col = position(doc, ["source_language"])
            self.problems.add(self.file, line, col, "the source language must be one of 'languages'")
        shortnames = {}
        for lang, ed in course.editions.items():
            if ed.shortname in shortnames:
                line, col = position(doc, ["editions", lang, "shortname"])
                self.problems.add(self.file, line, col,
                                  f"shortname '{ed.shortname}' is used by two editions ({shortnames[ed.shortname]}, {lang})")
            shortnames[ed.shortname] = lang

    # -- sections --
    def _section(self, sid: str, doc: Mapping, projects: list) -> m.Section:
        self.claim(sid, doc)
        section = m.Section(id=sid, role=doc.get("role", ""), notes=_plain(doc.get("notes", {})),
                            ctx=sid, src=self.src(doc), title=doc["title"], summary=doc.get("summary"))
        local_ids = set()
        for node in doc["items"]:
            item = self._item(sid, node)
            local_ids.add(node["id"])
            section.items.append(item)
        for item, node in zip(section.items, doc["items"]):
            after = node.get("after")
            if after and after not in local_ids:
                line, col = node.key_marks["after"]
                self.problems.add(self.file, line, col, f"'after: {after}' names no item of this section",
                                  "after", "use the id of a video of this section")
        if section.role == "tutorials":
            for project in projects:         # one block per project: its overview page, then its videos
                overview = m.ProjectOverview(id=f"tutorial.{project.id}.overview",
                                             ctx=f"tutorial.{project.id}.overview", project=project, src=project.src)
                section.items.append(m.Subsection(id=f"tutorial.{project.id}", ctx=f"tutorial.{project.id}",
                                                  project=project, src=project.src, title=None,
                                                  items=[overview, *project.videos]))
        elif section.role == "toolbox":
            for project in projects:
                section.items.append(m.ProjectSheet(id=f"toolbox.{project.id}.sheet",
                                                    ctx=f"toolbox.{project.id}.sheet",
                                                    project=project, src=project.src))
                section.items.append(m.ProjectPdf(
                    id=f"toolbox.{project.id}.pdf", project=project, ctx=f"toolbox.{project.id}.pdf", src=project.src,
                    file=m.MediaRef(f"generated/{project.id}.pdf", generated=True),
                    title=project.title, description=project.summary))
        return section

    def _item(self, sid: str, node: Mapping):
        full = f"{sid}.{node['id']}"
        self.claim(full, node)
        common = dict(id=full, notes=_plain(node.get("notes", {})), ctx=full, src=self.src(node))
        kind = node["kind"]
        if kind == "page":
            parts = [self._part(full, p) for p in node["parts"]]
            return m.Page(**common, parts=parts, title=node["title"], intro=node.get("intro"))
        if kind == "label":
            return m.Label(**common, text=node["text"])
        if kind == "url":
            return m.Url(**common, url=node["url"], title=node["title"], description=node.get("description"))
        if kind == "resource":
            return m.Resource(**common, file=self.media(node, "file"), title=node["title"],
                              description=node.get("description"))
        if kind == "folder":
            files = [m.FolderFile(self.media(f, "file"), f.get("folder", "")) for f in node["files"]]
            return m.Folder(**common, files=files, title=node["title"], description=node.get("description"))
        if kind == "book":
            chapters = []
            for ch in node["chapters"]:
                cid = f"{full}.{ch['id']}"
                self.claim(cid, ch)
                links = [m.Link(url=ln["url"], ctx=cid, src=self.src(ln), title=ln["title"],
                                description=ln.get("description")) for ln in ch.get("links", [])]
                chapters.append(m.Chapter(id=cid, links=links, ctx=cid, src=self.src(ch),
                                          title=ch["title"], body=ch.get("body")))
            return m.Book(**common, chapters=chapters, title=node["title"], intro=node.get("intro"))
        if kind == "forum":
            return m.Forum(**common, type=node.get("type", "news"), title=node["title"], intro=node.get("intro"))
        if kind == "video":
            return self._video(full, node, common)
        if kind == "photo-story":
            return m.PhotoStory(**common, panels=[self._panel(full, p) for p in node["panels"]],
                                title=node["title"], intro=node.get("intro"))
        if kind == "recipe":
            return self._recipe(full, node, common)
        if kind in ("activities", "evaluation"):
            graded = kind == "evaluation"
            questions = [self._question(full, q, graded) for q in node["questions"]]
            if graded:
                return m.Evaluation(**common, pass_percent=node.get("pass_percent", 70), behaviour=node.get("behaviour"),
                                    questions=questions, title=node["title"], intro=node.get("intro"),
                                    feedback_pass=node.get("feedback_pass"),
                                    feedback_not_yet=node.get("feedback_not_yet"))
            return m.Activities(**common, after=node.get("after"), behaviour=node.get("behaviour"), questions=questions,
                                title=node["title"], intro=node.get("intro"))
        raise AssertionError(kind)  # the schema allows no other kind

    def _part(self, owner: str, node: Mapping) -> m.Part:
        bullets = [m.Bullet(ctx=owner, src=m.Src(self.file, (("text", line),)), text=text)
                   for text, (line, _c) in zip(node.get("items", []), _marks(node.get("items")))]
        return m.Part(image=self.image(node.get("image"), owner), bullets=bullets, ctx=owner,
                      src=self.src(node), heading=node.get("heading"), body=node.get("body"))

    def _panel(self, owner: str, node: Mapping) -> m.Panel:
        lines = [m.Line(ctx=owner, src=m.Src(self.file, (("speaker", d.key_marks["speaker"][0]),
                                                          ("text", d.key_marks["line"][0]))),
                        speaker=d["speaker"], text=d["line"]) for d in node.get("dialogue", [])]
        return m.Panel(file=self.media(node, "file"), lines=lines, ctx=owner, src=self.src(node),
                       scene=node["scene"], caption=node.get("caption"))

    def _recipe(self, full: str, node: Mapping, common: dict) -> m.Recipe:
        def lines(key, cls):
            return [cls(ctx=full, src=m.Src(self.file, (("text", line),)), text=text)
                    for text, (line, _c) in zip(node.get(key, []), _marks(node.get(key)))]
        return m.Recipe(**common, ingredients=lines("ingredients", m.Ingredient),
                        steps=lines("steps", m.Instruction), tips=lines("tips", m.Tip),
                        title=node["title"], intro=node.get("intro"))

    def _video(self, full: str, node: Mapping, common: dict) -> m.Video:
        cues = [m.Cue(start=c["start"], end=c["end"], ctx=full, src=self.src(c), text=c["text"])
                for c in node["subtitles"]]
        for cue, c in zip(cues, node["subtitles"]):
            if _seconds(cue.end) <= _seconds(cue.start):
                line, col = c.key_marks["end"]
                self.problems.add(self.file, line, col, f"subtitle cue ends ({cue.end}) before it starts ({cue.start})",
                                  "subtitles", "swap or correct the times")
        return m.Video(**common, file=self.media(node, "file"), url=node.get("url"),
                       poster=self.media(node, "poster"), duration=node.get("duration"),
                       subtitles=cues, title=node["title"], description=node.get("description"))

    def _question(self, owner: str, node: Mapping, graded: bool) -> m.Question:
        qid = f"{owner}.{node['id']}"
        self.claim(qid, node)
        qtype = node["type"]
        choices = [m.Choice(correct=bool(c.get("correct", False)), group=int(c.get("group", 1)),
                            fraction=c.get("fraction"), ctx=qid, src=self.src(c), text=c["text"],
                            feedback=c.get("feedback"))
                   for c in node.get("choices", [])]
        hints = None if "hints" not in node else [
            m.Hint(clear_wrong=bool(h.get("clear_wrong", False)), show_num_correct=bool(h.get("show_num_correct", True)),
                   ctx=qid, src=self.src(h), text=h["text"]) for h in node["hints"]]
        q = m.Question(
            id=qid, type=qtype, presentation=node.get("presentation", "plain"),
            image=self.image(node.get("image"), qid), choices=choices, answer=node.get("answer"),
            pairs=[m.Pair(ctx=qid, src=self.src(p), question=p["question"], answer=p["answer"])
                   for p in node.get("pairs", [])],
            items=[m.OrderItem(ctx=qid, src=m.Src(self.file, (("text", line),)), text=t)
                   for t, (line, _c) in zip(node.get("items", []), _marks(node.get("items")))],
            answers=[m.ShortAnswer(fraction=a.get("fraction", 100), ctx=qid, src=self.src(a),
                                   text=a["text"], feedback=a.get("feedback")) for a in node.get("answers", [])],
            hints=hints,
            case_sensitive=bool(node.get("case_sensitive", False)), shuffle=bool(node.get("shuffle", True)),
            graded=graded, notes=_plain(node.get("notes", {})), ctx=qid, src=self.src(node),
            name=node.get("name"), text=node["text"], general_feedback=node.get("general_feedback"),
            correct_feedback=node.get("correct_feedback"), incorrect_feedback=node.get("incorrect_feedback"),
            partially_correct_feedback=node.get("partially_correct_feedback"),
            feedback_true=node.get("feedback_true"), feedback_false=node.get("feedback_false"))
        self._check_question(q, node)
        return q

    def _check_question(self, q: m.Question, node: Mapping) -> None:
        line, col = node.key_marks.get("type", (node.line, node.column))
        if q.type == "single" and sum(c.correct for c in q.choices) != 1:
            self.problems.add(self.file, line, col, "a 'single' question needs exactly one correct choice",
                              "choices", "mark one choice 'correct: true', or use type 'multiple'")
        if q.type == "multiple" and not any(c.correct for c in q.choices):
            self.problems.add(self.file, line, col, "a 'multiple' question needs at least one correct choice",
                              "choices", "mark the right choices 'correct: true'")
        if q.type in ("gapselect", "ddwtos"):
            gaps = sorted({int(n) for n in re.findall(r"\[\[(\d+)\]\]", q.text)})
            if not gaps:
                self.problems.add(self.file, line, col, "a gap question needs gaps [[1]], [[2]]... in its text", "text")
            elif gaps != list(range(1, len(gaps) + 1)) or gaps[-1] > len(q.choices):
                self.problems.add(self.file, line, col,
                                  f"gaps {gaps} must be numbered 1..n and each needs its choice (n ≤ {len(q.choices)})",
                                  "text", "gap [[n]] is filled by the n-th choice")

    # -- projects --
    def _project(self, pid: str, doc: Mapping) -> m.Project:
        self.claim(pid, doc, key="title")
        ctx = pid
        org = doc["orgchart"]
        actor_ids = set()
        actors = []
        for a in org["actors"]:
            if a["id"] in actor_ids:
                line, col = a.key_marks["id"]
                self.problems.add(self.file, line, col, f"actor id '{a['id']}' is used twice", "orgchart.actors")
            actor_ids.add(a["id"])
            actors.append(m.Actor(id=a["id"], parent=a.get("parent"), ctx=f"{pid}.orgchart", src=self.src(a),
                                  name=a["name"], role=a.get("role")))
        for a in org["actors"]:
            if a.get("parent") and a["parent"] not in actor_ids:
                line, col = a.key_marks["parent"]
                self.problems.add(self.file, line, col, f"parent '{a['parent']}' is no actor of this chart",
                                  "orgchart.actors", f"use one of: {', '.join(sorted(actor_ids))}")
        relations = []
        for r in org["relations"]:
            for end in ("from", "to"):
                if r[end] not in actor_ids:
                    line, col = r.key_marks[end]
                    self.problems.add(self.file, line, col, f"'{end}: {r[end]}' is no actor of this chart",
                                      "orgchart.relations", f"use one of: {', '.join(sorted(actor_ids))}")
            relations.append(m.Relation(source=r["from"], target=r["to"], ctx=f"{pid}.orgchart",
                                        src=self.src(r), label=r["label"]))
        videos = []
        for v in doc["videos"]:
            full = f"tutorial.{pid}.{v['id']}"
            self.claim(full, v)
            videos.append(self._video(full, v, dict(id=full, notes=_plain(v.get("notes", {})), ctx=full,
                                                    src=self.src(v))))
        tids = set()
        testimonials = []
        for t in doc["testimonials"]:
            if t["id"] in tids:
                line, col = t.key_marks["id"]
                self.problems.add(self.file, line, col, f"testimonial id '{t['id']}' is used twice")
            tids.add(t["id"])
            testimonials.append(m.Testimonial(id=t["id"], name=t["name"], beneficiary=bool(t.get("beneficiary")),
                                              ctx=f"{pid}.{t['id']}", src=self.src(t), role=t["role"],
                                              quote=t["quote"]))
        return m.Project(
            id=pid, organisation=doc["organisation"], country=doc["country"], city=doc.get("city", ""),
            reconstructed=bool(doc.get("reconstructed", False)),
            key_figures=[m.KeyFigure(ctx=pid, src=self.src(k), label=k["label"], value=k["value"])
                         for k in doc.get("key_figures", [])],
            contacts=[m.Contact(url=c.get("url"), ctx=pid, src=self.src(c), label=c["label"])
                      for c in doc.get("contacts", [])],
            mindmap=self._node(f"{pid}.mindmap", doc["mindmap"]),
            timeline=[m.Step(date=str(s["date"]), indicative=bool(s.get("indicative", False)), ctx=f"{pid}.timeline", src=self.src(s), label=s["label"],
                             text=s.get("text")) for s in doc["timeline"]],
            actors=actors, relations=relations, testimonials=testimonials, videos=videos,
            notes=_plain(doc.get("notes", {})), ctx=ctx, src=self.src(doc),
            title=doc["title"], summary=doc["summary"], description=doc["description"],
            implementation=doc["implementation"], audience=doc.get("audience"))

    def _node(self, ctx: str, node: Mapping) -> m.Node:
        return m.Node(children=[self._node(ctx, c) for c in node.get("children", [])], ctx=ctx,
                      src=self.src(node), label=node["label"])


def _marks(seq):
    return seq.item_marks if isinstance(seq, Sequence) else [(0, 0)] * len(seq or [])


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _seconds(timecode: str) -> float:
    parts = [float(p) for p in timecode.split(":")]
    total = 0.0
    for p in parts:
        total = total * 60 + p
    return total

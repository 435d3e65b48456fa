"""After reading a backup: stable ids and translation contexts, section
roles, and the interface strings our templates wrote into the course (the
pass mark, the default hint, true/false labels...) taken back out of the
texts into ui.yaml.

Ids: an idnumber of ours gives the id; otherwise the slug of the title, unique
in its section (questions without one are q01, q02... in their quiz).
Roles: section 0 with content is `home`; a section holding a graded test is
a `mooc-part` (what `check` counts MOOC videos in); sections holding project
blocks get theirs in projects.py.
"""
from __future__ import annotations

import dataclasses
from collections import Counter

from .. import model as m
from ..text import to_text
from . import html as h
from .ids import Names, slug, split_idnumber

UI_FROM_HTML = ("video_fallback", "download_video", "transcript", "true", "false", "reconstructed_notice",
                "download_pdf", "description", "implementation", "key_figures", "contacts", "mindmap", "timeline",
                "orgchart", "testimonials", "beneficiary", "partner", "country", "city", "audience",
                "speaker_says", "ingredients", "steps", "tips")
HINT_KEY = "hint_try_again"


def finish(edition) -> None:
    course = edition.course
    for section in course.sections:
        _ids(edition, section)
        if section.role != "home" and any(isinstance(i, m.Evaluation) for i in section.items):
            section.role = "mooc-part"


def finish_ui(edition) -> None:
    """Once project pages are read: the interface strings seen."""
    _ui(edition)


# ---- ids ---------------------------------------------------------------------

def _title(item) -> str:
    if isinstance(item, m.Label):
        return to_text(item.text)
    return h.plain(getattr(item, "title", "") or "")


def _ids(edition, section: m.Section) -> None:
    section.ctx = section.id
    names = Names()
    origin = edition.origin
    own = {}
    for item in section.items:
        split = split_idnumber(origin[id(item)].idnumber, section.id) if id(item) in origin else None
        if split and split[1] not in names.taken:
            own[id(item)] = names.claim(split[1])
    for item in section.items:
        local = own.get(id(item)) or names.claim(slug(_title(item), item.kind))
        item.id = item.ctx = f"{section.id}.{local}"
        _contexts(item, item.id)
        if isinstance(item, m.Book):
            for chapter in item.chapters:
                chapter.id = f"{item.id}.{chapter.id}"
                _contexts(chapter, chapter.id)
        if isinstance(item, (m.Activities, m.Evaluation)):
            _question_ids(edition, item)


def _question_ids(edition, item) -> None:
    names = Names()
    own = {}
    for q in item.questions:
        split = split_idnumber(edition.origin[id(q)].idnumber, item.id)
        if split and split[1] not in names.taken:
            own[id(q)] = names.claim(split[1])
    for n, q in enumerate(item.questions, 1):
        local = own.get(id(q)) or names.claim(slug(q.name, f"q{n:02d}") if q.name else f"q{n:02d}")
        q.id = f"{item.id}.{local}"
        _contexts(q, q.id)


def _contexts(obj, ctx: str) -> None:
    """Give `obj` and what it holds (but not objects with ids of their own)
    the translation context `ctx`."""
    obj.ctx = ctx
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        for child in value if isinstance(value, list) else [value]:
            if dataclasses.is_dataclass(child) and hasattr(child, "ctx") \
                    and not isinstance(child, (m.Chapter, m.Question, m.Item, m.Project)):
                _contexts(child, ctx)


# ---- interface strings -----------------------------------------------------------

def _ui(edition) -> None:
    """Interface strings seen in the HTML become ui.yaml strings when the
    course uses them consistently; the texts that carried them lose them."""
    course = edition.course
    for key, seen in sorted(edition.ui.items()):
        if seen and (key in UI_FROM_HTML or key.startswith("country_")):
            course.ui[key] = _ui_string(key, seen.most_common(1)[0][0])
    _pass_mark(edition)
    _hint(edition)
    _category_labels(edition)


def _ui_string(key: str, text: str) -> m.UiString:
    return m.UiString(key=key, ctx=f"ui.{key}", text=text)


def _pass_mark(edition) -> None:
    graded = [i for _s, i in edition.course.items() if isinstance(i, m.Evaluation)]
    candidates = Counter(edition.origin[id(i)].pass_mark for i in graded if id(i) in edition.origin)
    if not graded or len(candidates) != 1 or None in candidates:
        return
    text = next(iter(candidates))
    edition.course.ui["pass_mark"] = _ui_string("pass_mark", text)
    for item in graded:
        paragraphs = item.intro.split("\n\n")[:-1]
        item.intro = "\n\n".join(paragraphs) or None


def _hint(edition) -> None:
    """Formative questions that all carry one same hint: that is the course's
    default 'try again' hint (the Moodle target writes it back)."""
    course = edition.course
    questions = [q for _s, _i, q in course.questions()]
    eligible = [q for q in questions if not q.graded and q.type != "truefalse"]
    texts = Counter(q.hints[0].text for q in eligible
                    if q.hints and len(q.hints) == 1 and not q.hints[0].clear_wrong and q.hints[0].show_num_correct)
    default = None
    if texts:
        text, count = texts.most_common(1)[0]
        if count * 2 > len(eligible):
            default = text
            course.ui[HINT_KEY] = _ui_string(HINT_KEY, text)
    for q in questions:
        wanted = [] if q.graded or q.type == "truefalse" or default is None else [default]
        have = [(x.text, x.clear_wrong, x.show_num_correct) for x in q.hints or []]
        if have == [(t, False, True) for t in wanted]:
            q.hints = None


def _category_labels(edition) -> None:
    """Our question categories are named '<section title> – <ui evaluation|activities>'."""
    seen = {"evaluation": Counter(), "activities": Counter()}
    for section, item, q in edition.course.questions():
        category = edition.origin[id(q)].category if id(q) in edition.origin else ""
        prefix = f"{h.plain(section.title)} – "
        if category.startswith(prefix):
            seen["evaluation" if q.graded else "activities"][category[len(prefix):]] += 1
    for key, counts in seen.items():
        if counts:
            edition.course.ui[key] = _ui_string(key, counts.most_common(1)[0][0])


"""What a SCORM package of one MOOC part shows: screens, questions, files.

This module turns a localised section into a plain view model that the
templates under templates/scorm/ render, and into the small JSON document the
run-time script reads. Nothing here writes files.

Answer keys. A SCORM package grades in the learner's browser, so the keys of
the test must ship inside it. They are never written out in clear: each
expected part of an answer is stored as a short hash of (question id, part,
value) that the script compares with the learner's answer. This keeps the
answers out of plain sight (view-source, a glance at the JSON); it is not a
protection against a determined learner, who can try every option. The
formative activities use the same scheme; their feedback (which often says
why an option is right) is in the page, hidden until the learner checks.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from markupsafe import Markup

from .. import model as m
from ..edition import Edition, subtitle_ref
from ..errors import InputError, Problem
from ..text import inline, paragraphs, plain, to_text

GAP = re.compile(r"\[\[(\d+)\]\]")
LETTERS = "abcdefghijklmnopqrstuvwxyz"

# Interaction types of SCORM (same names in 1.2 and 2004).
INTERACTION_TYPE = {
    "single": "choice", "multiple": "choice", "truefalse": "true-false",
    "match": "matching", "ordering": "sequencing", "shortanswer": "fill-in",
    "gapselect": "matching", "ddwtos": "matching",
}



# ---- hashing (mirrored in templates/scorm/runtime/player.js) ----------------

def _fnv1a(data: bytes, h: int) -> int:
    for byte in data:
        h ^= byte
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def answer_hash(qid: str, part: str, value: str) -> str:
    """16 hex digits: two FNV-1a lanes over `qid US part US value` (UTF-8)."""
    data = f"{qid}\x1f{part}\x1f{value}".encode("utf-8")
    return f"{_fnv1a(data, 0x811C9DC5):08x}{_fnv1a(data, 0x050C5D1F):08x}"


def normalise_answer(text: str, case_sensitive: bool) -> str:
    """How a typed answer is compared (the script does the same)."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text if case_sensitive else text.lower()


def scorm_identifier(value: str, limit: int = 250) -> str:
    """A valid SCORM interaction/objective identifier (1.2 and 2004):
    letters, digits and . _ - : kept, anything else becomes _."""
    cleaned = re.sub(r"[^A-Za-z0-9._:-]", "_", value) or "_"
    if not re.search(r"[A-Za-z0-9_]", cleaned):
        cleaned = "_" + cleaned
    return cleaned[:limit]


def xml_id(value: str) -> str:
    """A valid xs:ID (NCName) made from a stable id."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", value)
    if not re.match(r"[A-Za-z_]", cleaned):
        cleaned = "_" + cleaned
    return cleaned


def dom_id(value: str) -> str:
    """An HTML id from a dotted stable id (local ids never hold '_')."""
    return re.sub(r"[^A-Za-z0-9-]", "_", value)


def shuffled(seed: str, items: list) -> list:
    """A deterministic shuffle: same seed, same order, on every build."""
    keyed = sorted(range(len(items)), key=lambda i: hashlib.sha1(f"{seed}|{i}".encode()).hexdigest())
    return [items[i] for i in keyed]


def letters(n: int) -> list[str]:
    return [LETTERS[i] if i < 26 else f"z{i}" for i in range(n)]


def _utf16_clip(text: str, size: int) -> str:
    while len(text.encode("utf-16-le")) // 2 > size:
        text = text[:-1]
    return text


# ---- view model ------------------------------------------------------------

@dataclass
class Option:
    id: str
    html: Markup            # label (may be inline HTML)
    text: str = ""          # plain text, for <option> and announcements
    feedback: Markup = Markup("")


@dataclass
class QuestionView:
    q: m.Question
    index: int              # position in the package (suspend data uses it)
    kind: str               # "formative" | "exercise"
    number: int             # 1-based within its screen
    total: int
    dom: str
    text: Markup = Markup("")
    options: list = field(default_factory=list)      # single, multiple, match answers, ordering items, gap choices
    stems: list = field(default_factory=list)        # match: Markup per pair
    segments: list = field(default_factory=list)     # gaps: Markup | int (gap number), in order
    gap_options: dict = field(default_factory=dict)  # gaps: gap number -> [Option]
    answer_feedback: list = field(default_factory=list)  # shortanswer: (hash, Markup)
    key: dict = field(default_factory=dict)          # for the JSON

    @property
    def id(self) -> str:
        return self.q.id

    @property
    def type(self) -> str:
        return self.q.type


@dataclass
class Screen:
    id: str                 # the item's local id (cmi location)
    dom: str
    kind: str               # page, video, activities, evaluation, book, label, url, resource, folder,
                            # photo-story, recipe
    title: str
    item: m.Item
    questions: list = field(default_factory=list)


@dataclass
class Part:
    """One SCORM package: a MOOC part of one edition."""
    section: m.Section
    lang: str
    version: str
    screens: list
    questions: list          # every QuestionView, package order
    files: dict              # package path -> StoredFile
    evaluation: m.Evaluation | None
    review: list = field(default_factory=list)   # the part's video screens: (dom id, index, title)

    @property
    def pass_percent(self) -> int:
        return self.evaluation.pass_percent if self.evaluation else 0


class ScormInputError(InputError):
    """Something in the sources a SCORM package cannot hold (reported like
    every other input problem: file, line, what is wrong, how to fix it)."""

    def __init__(self, message: str, file: str = "", line: int = 0, fix: str = ""):
        super().__init__(Problem(file or "(scorm target)", line, 0, message, fix=fix))


def build_part(edition: Edition, section: m.Section, version: str) -> Part:
    course = edition.course
    lang = course.lang or course.source_language
    files: dict = {}
    screens: list[Screen] = []
    questions: list[QuestionView] = []
    evaluations = [i for i in m.flat(section.items) if isinstance(i, m.Evaluation)]
    if len(evaluations) > 1:
        second = evaluations[1]
        raise ScormInputError(
            f"section '{section.id}' has {len(evaluations)} evaluations; a SCORM package holds one validation test",
            second.src.file or section.src.file, second.src.line("id") or section.src.line(),
            "merge the evaluations, or move one to another MOOC part")

    def add_file(ref: m.MediaRef | None) -> str | None:
        if ref is None:
            return None
        name = ref.path
        if name == "imsmanifest.xml" or name == "index.html" or name.startswith("runtime/"):
            raise ScormInputError(f"media path '{name}' is reserved inside a SCORM package",
                                  section.src.file, section.src.line(), "rename the file or move it under media/")
        stored = edition.media.get(ref)
        known = files.get(name)
        if known is not None and known.origin != stored.origin:
            raise ScormInputError(f"two different files would be stored as '{name}' in the SCORM package",
                                  section.src.file, section.src.line(), "rename one of them")
        files[name] = stored
        return name

    for item in m.flat(section.items):
        kind = getattr(item, "kind", "item")
        title = _item_title(item)
        screen = Screen(item.local_id, "s-" + dom_id(item.local_id), kind, title, item)
        if isinstance(item, m.Page):
            for part in item.parts:
                if part.image is not None:
                    add_file(part.image.file)
        elif isinstance(item, m.Video):
            add_file(item.file)
            add_file(item.poster)
            if item.subtitles:
                add_file(subtitle_ref(item, lang))
        elif isinstance(item, (m.Activities, m.Evaluation)):
            qkind = "exercise" if isinstance(item, m.Evaluation) else "formative"
            for n, q in enumerate(item.questions, 1):
                view = _question(q, len(questions), qkind, n, len(item.questions))
                if q.image is not None:
                    add_file(q.image.file)
                screen.questions.append(view)
                questions.append(view)
        elif isinstance(item, m.Resource):
            add_file(item.file)
        elif isinstance(item, m.Folder):
            for f in item.files:
                add_file(f.file)
        elif isinstance(item, m.PhotoStory):
            for panel in item.panels:
                add_file(panel.file)
        elif isinstance(item, (m.Book, m.Label, m.Url, m.Recipe)):
            pass
        else:
            continue  # forums and project blocks have no meaning inside a SCORM package
        screens.append(screen)
    review = [(s.dom, n, s.title) for n, s in enumerate(screens) if s.kind == "video"]
    return Part(section, lang, version, screens, questions, files, evaluations[0] if evaluations else None, review)


def _item_title(item) -> str:
    title = getattr(item, "title", None)
    if title:
        return plain(title)
    if isinstance(item, m.Label):
        text = to_text(item.text)
        return text if len(text) <= 60 else text[:59] + "…"
    return item.local_id


def _question(q: m.Question, index: int, kind: str, number: int, total: int) -> QuestionView:
    view = QuestionView(q, index, kind, number, total, "q-" + dom_id(q.id))
    qid = q.id
    if q.type in ("gapselect", "ddwtos"):
        view.text = inline(q.text) if "\n\n" not in (q.text or "").strip() else paragraphs(q.text)
    else:
        view.text = paragraphs(q.text)
    key: dict = {}
    if q.type in ("single", "multiple"):
        order = shuffled(qid, list(range(len(q.choices)))) if q.shuffle else list(range(len(q.choices)))
        ids = letters(len(order))
        for cid, i in zip(ids, order):
            c = q.choices[i]
            view.options.append(Option(cid, inline(c.text), to_text(c.text), paragraphs(c.feedback)))
            if q.type == "multiple":
                key[cid] = answer_hash(qid, cid, "1" if c.correct else "0")
            elif c.correct:
                key.setdefault("", []).append(answer_hash(qid, "", cid))
        if q.type == "single":
            key = {"": key.get("", [])}
    elif q.type == "truefalse":
        key[""] = [answer_hash(qid, "", "true" if q.answer else "false")]
    elif q.type == "match":
        answers = []
        for p in q.pairs:
            text = plain(p.answer)
            if text not in answers:
                answers.append(text)
        order = shuffled(qid, answers) if q.shuffle else answers
        ids = dict(zip(order, letters(len(order))))
        view.options = [Option(ids[a], Markup.escape(a), a) for a in order]
        for n, p in enumerate(q.pairs, 1):
            view.stems.append(inline(p.question))
            key[str(n)] = answer_hash(qid, str(n), ids[plain(p.answer)])
    elif q.type == "ordering":
        texts = [plain(i.text) for i in q.items]
        order = list(range(len(texts)))
        if len(order) > 1:
            order = shuffled(qid, order)
            if order == sorted(order):                     # never start in the right order
                order = order[1:] + order[:1]
        ids = letters(len(order))
        by_source = {}
        for cid, i in zip(ids, order):
            view.options.append(Option(cid, Markup.escape(texts[i]), texts[i]))
            by_source[i] = cid
        for position in range(len(texts)):
            key[str(position + 1)] = answer_hash(qid, str(position + 1), by_source[position])
    elif q.type == "shortanswer":
        accepted = []
        for a in q.answers:
            if a.fraction <= 0:
                continue
            h = answer_hash(qid, "", normalise_answer(plain(a.text), q.case_sensitive))
            accepted.append([h, a.fraction])
            if a.feedback:
                view.answer_feedback.append((h, paragraphs(a.feedback)))
        key[""] = accepted
        key["cs"] = 1 if q.case_sensitive else 0
    elif q.type in ("gapselect", "ddwtos"):
        order = shuffled(qid, list(range(len(q.choices)))) if q.shuffle else list(range(len(q.choices)))
        ids = letters(len(order))
        by_source = {}
        for cid, i in zip(ids, order):
            c = q.choices[i]
            by_source[i] = Option(cid, inline(c.text), to_text(c.text))
        view.options = [by_source[i] for i in order]
        pieces = GAP.split(str(view.text))
        for n, piece in enumerate(pieces):
            if n % 2:
                gap = int(piece)
                view.segments.append(gap)
                group = q.choices[gap - 1].group
                view.gap_options[gap] = [by_source[i] for i in order if q.choices[i].group == group]
                key[str(gap)] = answer_hash(qid, str(gap), by_source[gap - 1].id)
            elif piece:
                view.segments.append(Markup(piece))
    else:
        raise ScormInputError(f"question {q.id}: unknown type '{q.type}'", q.src.file, q.src.line("type"),
                              f"use one of {', '.join(m.QUESTION_TYPES)}")
    view.key = key
    return view


def runtime_data(part: Part, texts: dict) -> dict:
    """The JSON the player reads: version, pass mark, keys, ui strings."""
    lang = part.lang
    questions = []
    for v in part.questions:
        # a gap marker [[n]] reads as a blank in the LMS's reports
        description = _utf16_clip(GAP.sub("___", to_text(v.q.text)).replace("{", "(").replace("}", ")"), 240)
        entry = {
            "id": v.id,
            "iid": scorm_identifier(v.id),
            "t": v.type,
            "k": v.kind,
            "it": INTERACTION_TYPE[v.type],
            "d": "{lang=%s}%s" % (lang, description) if description else "",
            "key": v.key,
        }
        if v.type == "match":
            entry["n"] = len(v.stems)
        elif v.type in ("gapselect", "ddwtos"):
            entry["n"] = len(v.gap_options)
        elif v.type == "ordering":
            entry["n"] = len(v.options)
        questions.append(entry)
    return {
        "v": 1,
        "scorm": part.version,
        "lang": lang,
        "part": part.section.id,
        "pass": part.pass_percent,
        "test": part.evaluation is not None,
        "screens": [s.id for s in part.screens],
        "questions": questions,
        "text": texts,
    }


def json_for_script(data: dict) -> Markup:
    """JSON safe inside <script type="application/json">."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)

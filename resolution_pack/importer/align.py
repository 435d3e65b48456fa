"""Align the same course read in several languages, object by object, and
take each other language's texts as translations of the source's.

Objects pair by idnumber where both editions have one, else by structure:
sections in order, modules by order and type (with their files' contents),
questions by order and type, answers by order with the same fractions and
flags, chapters, parts, cues... by order. What does not pair (a module in one
language only, a question with another number of answers) is reported with
its place and left out of the PO file rather than guessed.
"""
from __future__ import annotations

import dataclasses
import difflib

from .. import model as m
from ..i18n import markup
from .findings import UNALIGNED, Findings

_SKIP = ("src", "notes", "ctx", "placeholder_video")    # the last: a build setting, no backup holds it


class Aligner:
    def __init__(self, source, other, findings: Findings):
        self.source, self.other = source, other
        self.lang = other.lang
        self.findings = findings
        self.strings: dict[tuple[str, str], str] = {}
        self.missing: list[tuple[str, str]] = []
        self.matched: dict[int, object] = {}      # id(other object) -> its source object, for lists matched
        self.paired: dict[int, object] = {}       # id(source object) -> the other object paired with it

    def run(self) -> dict:
        self._pair(self.source.course, self.other.course, "course")
        return self.strings

    # -- reporting -------------------------------------------------------------
    def _where(self, obj, fallback: str) -> str:
        origin = self.other.origin.get(id(obj)) or self.source.origin.get(id(obj))
        return origin.where if origin is not None and origin.where else fallback

    def _report(self, what: str, obj, fallback: str) -> None:
        self.findings.add(UNALIGNED, what, self.lang, self._where(obj, fallback))

    # -- pairing -----------------------------------------------------------------
    def _pair(self, a, b, where: str) -> None:
        self.paired[id(a)] = b
        if type(a) is not type(b):
            self._report(f"a {_kind(a)} here is a {_kind(b)} in this language", b, where)
            return
        if isinstance(a, m.Question) and not self._same_question(a, b, where):
            return
        for f in dataclasses.fields(a):
            if f.name in _SKIP:
                continue
            va, vb = getattr(a, f.name), getattr(b, f.name)
            meta = f.metadata.get("i18n")
            if meta:
                if isinstance(va, str) and va or isinstance(vb, str) and vb:
                    self._text(a, f.name, f"{a.ctx}:{meta}", va, vb, f.metadata.get("rich", False), b, where)
                continue
            if isinstance(a, m.Course) and f.name in ("editions", "languages", "projects"):
                continue
            if isinstance(va, dict) and f.name == "ui":
                for key, string in va.items():
                    if key in vb:
                        self._pair(string, vb[key], f"interface string {key}")
                    else:
                        self.missing.append((string.ctx, string.text))
                continue
            if isinstance(va, list):
                self._lists(a, f.name, va, vb or [], where)
            elif dataclasses.is_dataclass(va):
                if vb is None:
                    self._report(f"{f.name} missing", b, where)
                else:
                    self._pair(va, vb, where)

    def _lists(self, owner, name: str, va: list, vb: list, where: str) -> None:
        if not va or not dataclasses.is_dataclass(va[0]):
            return
        if name in ("sections", "items", "questions", "projects"):
            for x, y in self._match(va, vb, owner, name, where):
                self._pair(x, y, self._where(x, where))
            return
        if len(va) != len(vb):
            self._report(f"{len(va)} {name} here, {len(vb)} in this language: their texts left out", owner, where)
            return
        if name == "actors":        # a backup gives them in the org chart outline's order
            va, vb = outline_order(va), outline_order(vb)
        for x, y in zip(va, vb):
            self._pair(x, y, where)

    def _match(self, va: list, vb: list, owner, name: str, where: str):
        """Pairs of a list of sections, items or questions: by idnumber where
        both sides have the same one, then the rest by structure (order and
        kind, as difflib aligns two sequences)."""
        ida = [self._idnumber(x) for x in va]
        idb = [self._idnumber(y) for y in vb]
        common = {i for i in ida if i} & {i for i in idb if i}
        by_id = {i: y for i, y in zip(idb, vb) if i in common}
        pairs = [(x, by_id[i]) for x, i in zip(va, ida) if i in common]
        rest_a = [x for x, i in zip(va, ida) if i not in common]
        rest_b = [y for y, i in zip(vb, idb) if i not in common]
        unpaired_a, unpaired_b = [], []
        matcher = difflib.SequenceMatcher(None, [_signature(x) for x in rest_a], [_signature(y) for y in rest_b],
                                          autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                pairs.extend(zip(rest_a[i1:i2], rest_b[j1:j2]))
            else:
                unpaired_a.extend(rest_a[i1:i2])
                unpaired_b.extend(rest_b[j1:j2])
        self._unpaired(unpaired_a, unpaired_b, owner, name, where)
        order = {id(x): n for n, x in enumerate(va)}
        self.matched.update((id(y), x) for x, y in pairs)
        return sorted(pairs, key=lambda pair: order[id(pair[0])])

    def _unpaired(self, only_here: list, only_there: list, owner, name: str, where: str) -> None:
        for x in only_here:
            self._report(f"{_kind(x)} «{_title(x)}» has no counterpart in this language: its texts are not "
                         "translated", x, where)
        for y in only_there:
            self._report(f"{_kind(y)} «{_title(y)}» is only in this language: not imported", y, where)

    def _idnumber(self, obj) -> str:
        """An object's idnumber in its backup; a section's id (made from its
        items' idnumbers when they are ours)."""
        if isinstance(obj, m.Section):
            return obj.id
        origin = self.source.origin.get(id(obj)) or self.other.origin.get(id(obj))
        if origin is None:          # made by recognise() from our idnumbers, or loaded from the sources
            return getattr(obj, "id", "")
        return origin.idnumber

    def _same_question(self, a: m.Question, b: m.Question, where: str) -> bool:
        differences = []
        for name in ("choices", "pairs", "items", "answers"):
            if len(getattr(a, name)) != len(getattr(b, name)):
                differences.append(f"{len(getattr(a, name))} {name} here, {len(getattr(b, name))} there")
        if not differences:
            flags = [(c.correct, c.fraction, c.group) for c in a.choices], [(c.correct, c.fraction, c.group)
                                                                            for c in b.choices]
            if flags[0] != flags[1]:
                differences.append("answers with other fractions or groups")
            if [x.fraction for x in a.answers] != [y.fraction for y in b.answers]:
                differences.append("accepted answers with other fractions")
            if a.answer != b.answer:
                differences.append("another right answer")
            if len(a.hints or []) != len(b.hints or []):
                differences.append("another number of hints")
        if differences:
            self._report(f"question «{_title(a)}» differs ({'; '.join(differences)}): left out of the PO file",
                         b, where)
            return False
        return True

    def _text(self, a, name: str, context: str, msgid, msgstr, rich: bool, obj, where: str) -> None:
        """One text of the source and its counterpart in the other language."""
        if not isinstance(msgid, str) or not msgid:
            return
        if not isinstance(msgstr, str) or not msgstr.strip():
            self.missing.append((context, msgid))
            return
        key = (context, msgid)
        if key in self.strings:
            if self.strings[key] != msgstr:
                self._report(f"one text, two translations ({context}): the first is kept", obj, where)
            return
        problems = markup.problems(msgid, msgstr, rich)
        if problems:
            self._report(f"translation of {context} refused ({'; '.join(problems)}): left untranslated", obj, where)
            self.missing.append(key)
            return
        self.strings[key] = msgstr


def outline_order(actors: list) -> list:
    """Actors in the order the org chart's text outline lists them (roots in
    order, each followed by its children): the order an import reads them in."""
    known = {a.id for a in actors}
    children: dict = {}
    for a in actors:
        children.setdefault(a.parent if a.parent in known else None, []).append(a)
    out: list = []

    def visit(a):
        out.append(a)
        for child in children.get(a.id, []):
            visit(child)
    for root in children.get(None, []):
        visit(root)
    return out


def _signature(obj) -> tuple:
    """What must agree for two objects in two languages to be the same one."""
    if isinstance(obj, m.Section):
        return ("section", tuple(i.kind for i in obj.items))
    if isinstance(obj, m.Question):
        return ("question", obj.type, len(obj.choices), len(obj.pairs), len(obj.items), len(obj.answers))
    if isinstance(obj, (m.Activities, m.Evaluation)):
        return (obj.kind, len(obj.questions))
    if isinstance(obj, m.Book):
        return ("book", len(obj.chapters))
    if isinstance(obj, m.Project):
        return ("project", len(obj.videos))
    return (getattr(obj, "kind", type(obj).__name__),)


def _kind(obj) -> str:
    return getattr(obj, "kind", None) or type(obj).__name__.lower()


def _title(obj) -> str:
    for name in ("title", "name", "text"):
        value = getattr(obj, name, None)
        if isinstance(value, str) and value:
            return value if len(value) <= 60 else value[:59] + "…"
    return getattr(obj, "id", "")


def align(source, others: list, findings: Findings) -> dict[str, dict]:
    """The translations of each other edition: {lang: {(msgctxt, msgid): msgstr}}."""
    out = {}
    for other in others:
        aligner = Aligner(source, other, findings)
        out[other.lang] = aligner.run()
        out[other.lang + ":missing"] = aligner.missing
    return out

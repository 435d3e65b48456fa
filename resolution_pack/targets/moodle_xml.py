"""Moodle XML target: the edition's whole question bank in one file.

    build/<lang>/<shortname>-questions.xml

What a teacher gets from Moodle's "Export questions" (qformat_xml), and what
its "Import questions" takes into any existing course: one `category`
switch per question category (`$course$/top/<name>`, the same categories
and idnumbers as the .mbz), then its questions with every field Moodle's
writer gives (feedback, combined feedback, hints, idnumbers; images as
base64 <file> elements).

The questions are the ones the Moodle backup holds: the same
moodle_questions.QuestionBank computes names, fractions, hints and qtype
options for both, so the two cannot drift. Differences with Moodle 4.5's own
export of the same bank (../shared/reference/moodle-written/) are
deliberate and listed in docs/ims-and-moodle-xml.md (ordering options are
written as the names Moodle's importer reads, where 4.5's exporter writes
empty elements).
"""
from __future__ import annotations

import base64
from pathlib import Path
from types import SimpleNamespace

from jinja2 import Environment

from .. import model as m
from .. import atomic
from ..edition import Edition
from ..layout import questions_name
from .moodle_files import Files
from .moodle_ids import Ids
from .moodle_questions import FORMAT_HTML, FORMAT_MOODLE, FORMAT_PLAIN, QuestionBank
from .templating import environment

NAME = "questions"
OPTIONS: dict = {}

FORMATS = {FORMAT_MOODLE: "moodle_auto_format", FORMAT_HTML: "html", FORMAT_PLAIN: "plain_text"}


def outputs(edition: Edition) -> list[str]:
    return [questions_name(edition.course.edition.shortname)]


def render(edition: Edition, out_dir: Path) -> list[Path]:
    target = Path(out_dir) / outputs(edition)[0]
    atomic.write_text(target, document(edition))
    return [target]


def document(edition: Edition) -> str:
    bank = Bank(edition)
    categories = []
    for category in bank.qbank.categories:
        if not category["entries"]:
            continue       # `top`: Moodle writes a category only before its questions
        questions = [_view(entry["question"], bank) for entry in category["entries"]]
        for view, entry in zip(questions, category["entries"]):
            view["idnumber"] = entry["idnumber"]
        categories.append({"path": "$course$/top/" + category_path_name(category["name"]),
                           "idnumber": category["idnumber"], "questions": questions})
    return _environment().get_template("questions.xml.j2").render(categories=categories)


def category_path_name(name: str) -> str:
    """A category name inside a `$course$/...` path, as qformat_default
    assembles it: '/' doubled, a leading or trailing '/' padded."""
    escaped = name.replace("/", "//")
    if escaped.startswith("/"):
        escaped = " " + escaped
    if escaped.endswith("/"):
        escaped += " "
    return escaped


class Bank:
    """The question bank of one edition, computed as the Moodle backup
    computes it (what moodle_questions.QuestionBank asks of its backup)."""

    def __init__(self, edition: Edition):
        self.course: m.Course = edition.course
        self.lang = edition.lang or self.course.source_language
        self.media = edition.media
        self.ids = Ids()
        self.files = Files(self.ids)
        self.courseid = self.ids("course", self.course.id)
        self.contextid = self.ids("context", "course")
        self.question_context = (self.contextid, self.courseid, 50)   # the course, as in a 4.5 backup
        self.qbank = QuestionBank(self)
        self.models: dict[int, m.Question] = {}     # by the question's id in the bank
        for section, item in self.course.items():
            if isinstance(item, (m.Activities, m.Evaluation)):
                self.qbank.add_quiz(section, item, SimpleNamespace(contextid=self.ids("context", item.id)))
                self.models.update((self.ids("question", q.id), q) for q in item.questions)

    def ui(self, key: str, **values) -> str:
        return self.course.text(key, **values)

    def add_file(self, owner, ref, contextid, component, filearea, itemid=0, filepath="/", sortorder=0):
        return self.files.add(self.media.get(ref), owner=owner, contextid=contextid, component=component,
                              filearea=filearea, itemid=itemid, filepath=filepath, sortorder=sortorder)


def _view(question: dict, bank: Bank) -> dict:
    """A question of the backup's bank, with what Moodle XML adds: its
    model (for gap groups), and the files of its text as base64."""
    files = [{"name": r.filename, "path": r.filepath, "data": _base64(bank.files.blobs[r.contenthash])}
             for r in bank.files.records
             if r.component == "question" and r.filearea == "questiontext" and r.itemid == question["id"]
             and not r.is_dir]
    return {"data": question, "model": bank.models[question["id"]], "files": files}


def _base64(stored) -> str:
    return base64.b64encode(stored.read_bytes()).decode("ascii")


def percent(fraction: str) -> str:
    """A fraction of the backup ("0.3333333") as Moodle XML's percentage ("33.33333")."""
    text = f"{float(fraction) * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def yes_no(value) -> str:
    return "true" if int(value) else "false"


def _format(code) -> str:
    return FORMATS[int(code)]


def _environment() -> Environment:
    return environment("moodle_xml", percent=percent, yes_no=yes_no, format=_format)   # a None written is a bug: it raises

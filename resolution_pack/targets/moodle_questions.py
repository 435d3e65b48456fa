"""The question bank of a Moodle backup (questions.xml) and the quiz slots.

Categories: the course context's `top`, then one category per course section
and kind (evaluation, formative), idnumber `<section>.evaluation` /
`<section>.formative`. Each question is a question bank entry (idnumber = the
question's stable id) with one `ready` version. Qtype data follow what each
qtype's own backup plugin writes (question/type/<qtype>/backup/moodle2/).
"""
from __future__ import annotations

from markupsafe import escape

from .. import model as m
from ..text import inline, paragraphs, plain, to_text
from .moodle_files import plugin_url
from . import html

QTYPES = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse", "match": "match",
          "shortanswer": "shortanswer", "ordering": "ordering", "gapselect": "gapselect", "ddwtos": "ddwtos"}
FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN = 0, 1, 2
OWNER = 2   # the admin; restore gives questions to the restoring user on another site
HINT_KEY = "hint_try_again"   # ui.yaml string: when present, formative questions get it as one hint (2 tries)


def _f7(value: float) -> str:
    return f"{value:.7f}"


def _html(text) -> str:
    return str(paragraphs(text)) if text else ""


def _escaped(text: str) -> str:
    """Plain text stored in a field whose format is HTML."""
    return str(escape(text))


class QuestionBank:
    def __init__(self, backup):
        self.backup = backup
        self.ids = backup.ids
        self.categories: list[dict] = []
        self._categories: dict[str, dict] = {}
        # the course's context (Moodle 4.5) or its qbank module's (5.x)
        self.contextid, self.contextinstanceid, self.contextlevel = backup.question_context
        stamp_base = f"resolution-pack+{backup.course.id}.{backup.lang}+"
        self._stamp = lambda key: stamp_base + key
        self.top = self._category("\x00top", name="top", parent=0, info_format=FORMAT_MOODLE, idnumber=None,
                                  stamp=self._stamp("top"))

    # -- categories ----------------------------------------------------------
    def _category(self, key, name, parent, info_format, idnumber, stamp) -> dict:
        category = {"id": self.ids("question_category", key), "name": name, "parent": parent,
                    "contextid": self.contextid, "contextlevel": self.contextlevel,
                    "contextinstanceid": self.contextinstanceid,
                    "info": "", "infoformat": info_format, "stamp": stamp, "sortorder": len(self.categories),
                    "idnumber": idnumber, "entries": []}
        self.categories.append(category)
        self._categories[key] = category
        return category

    def category(self, section: m.Section, graded: bool) -> dict:
        kind = "evaluation" if graded else "formative"
        key = f"{section.id}.{kind}"
        found = self._categories.get(key)
        if found is None:
            label = self.backup.ui("evaluation" if graded else "activities")
            name = f"{plain(section.title)} – {label}"
            found = self._category(key, name[:255], self.top["id"], FORMAT_HTML, key, self._stamp(key))
        return found

    # -- quizzes -------------------------------------------------------------
    def add_quiz(self, section: m.Section, item, mod) -> list[dict]:
        """Put the quiz's questions in their category; return its slots."""
        category = self.category(section, isinstance(item, m.Evaluation))
        mod.question_categories = [category["id"], self.top["id"]]    # as Moodle 5.x annotates a quiz's
        slots = []
        for n, question in enumerate(item.questions, 1):
            entry = self._entry(question, category)
            category["entries"].append(entry)
            slots.append({"id": self.ids("quiz_slot", question.id), "slot": n, "page": n, "maxmark": 1.0,
                          "reference_id": self.ids("question_reference", question.id),
                          "usingcontextid": mod.contextid, "questionbankentryid": entry["id"]})
        return slots

    def _entry(self, q: m.Question, category: dict) -> dict:
        qtype = QTYPES[q.type]
        question_id = self.ids("question", q.id)
        def link(ref):
            record = self.backup.add_file(q.id, ref, self.contextid, "question", "questiontext",
                                          itemid=question_id)
            return plugin_url(record.filename)
        text = html.question_text(q, link)
        question = {
            "id": question_id, "name": _question_name(q), "questiontext": text,
            "generalfeedback": _html(q.general_feedback), "defaultmark": _f7(1),
            "penalty": _f7(1 if qtype == "truefalse" else 0.3333333), "qtype": qtype,
            "stamp": self._stamp(q.id), "createdby": OWNER, "modifiedby": OWNER,
        }
        question.update(getattr(self, f"_{qtype}")(q))
        question["hints"] = self._hints(q, qtype)
        return {"id": self.ids("question_bank_entry", q.id), "questioncategoryid": category["id"],
                "idnumber": q.id, "ownerid": OWNER, "version_id": self.ids("question_version", q.id),
                "version": 1, "status": "ready", "question": question}

    def _hints(self, q: m.Question, qtype: str) -> list[dict]:
        """Interactive behaviour gives as many tries as hints + 1: a formative
        question gets the course's "try again" hint, when the course has one.
        (True/false has no hints in Moodle: two choices, one try.)"""
        if q.hints is not None:     # the question's own hints (an imported course keeps Moodle's)
            return [{"id": self.ids("question_hint", f"{q.id}#{n}"), "hint": _html(h.text),
                     "shownumcorrect": int(h.show_num_correct), "clearwrong": int(h.clear_wrong),
                     "options": "0" if qtype == "ordering" else None} for n, h in enumerate(q.hints, 1)]
        if q.graded or qtype == "truefalse" or HINT_KEY not in self.backup.course.ui:
            return []
        return [{"id": self.ids("question_hint", f"{q.id}#1"),
                 "hint": _html(self.backup.course.text(HINT_KEY)), "shownumcorrect": 1, "clearwrong": 0,
                 "options": "0" if qtype == "ordering" else None}]

    # -- qtype data ------------------------------------------------------------
    def _answer(self, q, n, text, fmt, fraction, feedback="", feedbackformat=FORMAT_HTML) -> dict:
        return {"id": self.ids("question_answer", f"{q.id}#{n}"), "answertext": text, "answerformat": fmt,
                "fraction": _f7(fraction), "feedback": feedback, "feedbackformat": feedbackformat}

    def _combined(self, q) -> dict:
        return {"correctfeedback": _html(q.correct_feedback),
                "partiallycorrectfeedback": _html(q.partially_correct_feedback),
                "incorrectfeedback": _html(q.incorrect_feedback)}

    def _multichoice(self, q) -> dict:
        single = q.type == "single"
        right = [c for c in q.choices if c.correct]
        wrong = [c for c in q.choices if not c.correct]
        answers = []
        for n, choice in enumerate(q.choices, 1):
            if choice.fraction is not None:     # the sources give it (Moodle's own, for an imported course)
                fraction = round(choice.fraction / 100, 7)
            elif single:
                fraction = 1.0 if choice.correct else 0.0
            elif choice.correct:
                fraction = round(1 / len(right), 7)
            else:   # wrong ticks cost marks, so that ticking everything does not pass
                fraction = -round(1 / len(wrong), 7)
            answers.append(self._answer(q, n, str(inline(choice.text)), FORMAT_HTML, fraction,
                                        _html(choice.feedback)))
        options = {"id": self.ids("qtype_multichoice_options", q.id), "layout": 0, "single": int(single),
                   "shuffleanswers": int(q.shuffle), "answernumbering": "abc", "shownumcorrect": 1,
                   "showstandardinstruction": 0, **self._combined(q)}
        return {"answers": answers, "options": options}

    def _truefalse(self, q) -> dict:
        true = self._answer(q, "true", self.backup.ui("true"), FORMAT_MOODLE, 1.0 if q.answer else 0.0,
                            _html(q.feedback_true))
        false = self._answer(q, "false", self.backup.ui("false"), FORMAT_MOODLE, 0.0 if q.answer else 1.0,
                             _html(q.feedback_false))
        options = {"id": self.ids("question_truefalse", q.id), "trueanswer": true["id"],
                   "falseanswer": false["id"], "showstandardinstruction": 0}
        return {"answers": [true, false], "options": options}

    def _match(self, q) -> dict:
        matches = [{"id": self.ids("qtype_match_subquestions", f"{q.id}#{n}"),
                    "questiontext": str(inline(pair.question)), "questiontextformat": FORMAT_HTML,
                    "answertext": plain(pair.answer)} for n, pair in enumerate(q.pairs, 1)]
        options = {"id": self.ids("qtype_match_options", q.id), "shuffleanswers": int(q.shuffle),
                   "shownumcorrect": 1, **self._combined(q)}
        return {"options": options, "matches": matches}

    def _shortanswer(self, q) -> dict:
        answers = [self._answer(q, n, plain(a.text), FORMAT_MOODLE, a.fraction / 100, _html(a.feedback))
                   for n, a in enumerate(q.answers, 1)]
        options = {"id": self.ids("qtype_shortanswer_options", q.id), "usecase": int(q.case_sensitive)}
        return {"answers": answers, "options": options}

    def _ordering(self, q) -> dict:
        answers = [self._answer(q, n, _escaped(plain(item.text)), FORMAT_HTML, float(n), "", FORMAT_MOODLE)
                   for n, item in enumerate(q.items, 1)]
        options = {"id": self.ids("qtype_ordering_options", q.id), "layouttype": 0, "selecttype": 0,
                   "selectcount": len(q.items), "gradingtype": 0, "showgrading": 1, "numberingstyle": "none",
                   "shownumcorrect": 1, **self._combined(q)}
        return {"answers": answers, "options": options}

    def _gaps(self, q, table: str, feedback) -> dict:
        answers = [self._answer(q, n, _escaped(to_text(choice.text)), FORMAT_HTML, 0.0, feedback(choice),
                                FORMAT_MOODLE) for n, choice in enumerate(q.choices, 1)]
        options = {"id": self.ids(table, q.id), "shuffleanswers": int(q.shuffle), "shownumcorrect": 1,
                   **self._combined(q)}
        return {"answers": answers, "options": options}

    def _gapselect(self, q) -> dict:
        return self._gaps(q, "question_gapselect", lambda choice: str(int(choice.group)))

    def _ddwtos(self, q) -> dict:
        def serialized(choice):   # PHP serialize() of the stdClass the qtype stores in 'feedback'
            group = str(int(choice.group))
            return f'O:8:"stdClass":2:{{s:9:"draggroup";s:{len(group)}:"{group}";s:8:"infinite";b:0;}}'
        return self._gaps(q, "question_ddwtos", serialized)


def _question_name(q: m.Question) -> str:
    name = plain(q.name) if q.name else to_text(q.text)
    if not name:
        name = q.local_id
    return name if len(name) <= 100 else name[:99].rstrip() + "…"

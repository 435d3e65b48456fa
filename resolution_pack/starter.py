"""`resolution-pack init DIR`: a minimal course to start from.

Two languages, one section with a page and a graded test, a few interface
strings, the template and the second language's PO file: it validates and
builds as it is. It is written by the import's own writers (the same YAML and
PO layout as an imported course), staged and moved into place; a non-empty
DIR is refused.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from . import model as m
from .errors import InputError, Problem
from .importer.catalogs import write_catalogs
from .importer.ids import slug
from .importer.sources_writer import write_sources

LANGUAGES = ("en", "fr")
# The starter texts, by key: English, French.
TEXTS = {
    "title": ("My course", "Mon cours"),
    "summary": ("What the course is about, in a sentence or two.", "De quoi parle le cours, en une ou deux phrases."),
    "section": ("Getting started", "Pour commencer"),
    "section_summary": ("The first section of the course.", "La première section du cours."),
    "page": ("Welcome", "Bienvenue"),
    "heading1": ("What you will learn", "Ce que vous allez apprendre"),
    "body1": ("Replace this text with your own. A blank line starts a new paragraph; <strong>bold</strong> "
              "and <em>italics</em> are allowed.",
              "Remplacez ce texte par le vôtre. Une ligne vide commence un nouveau paragraphe ; le "
              "<strong>gras</strong> et l'<em>italique</em> sont permis."),
    "bullet1": ("a first point", "un premier point"),
    "bullet2": ("a second point", "un deuxième point"),
    "test": ("Check what you learnt", "Vérifiez vos acquis"),
    "test_intro": ("Two questions; 70 % to pass.", "Deux questions ; 70 % pour réussir."),
    "q1": ("Which of these is a question type of the format?", "Lequel de ces types de question existe dans le format ?"),
    "q1a": ("single choice", "choix unique"),
    "q1b": ("free essay", "rédaction libre"),
    "q1ok": ("Right: single, multiple, true/false, match, ordering, short answer and gap questions exist.",
             "Oui : choix unique, multiple, vrai/faux, appariement, ordre, réponse courte et textes à trous."),
    "q2": ("A translation lives in a PO file.", "Une traduction vit dans un fichier PO."),
    "q2ok": ("Right: locale/fr.po for French, made by i18n extract and i18n update.",
             "Oui : locale/fr.po pour le français, créé par i18n extract et i18n update."),
    "true": ("True", "Vrai"),
    "false": ("False", "Faux"),
    "evaluation": ("Validation test", "Test de validation"),
    "pass_mark": ("Pass mark: {percent} %", "Seuil de réussite : {percent} %"),
}
HEADER = ("A new course made by resolution-pack init. Edit the YAML, then run\n"
          "  resolution-pack i18n extract --sources DIR && resolution-pack i18n update --sources DIR\n"
          "translate locale/*.po, and resolution-pack build --sources DIR.\n"
          "The format: docs/source-format.md.")


def _course(course_id: str, source: str, other: str) -> m.Course:
    t = {key: texts[LANGUAGES.index(source)] for key, texts in TEXTS.items()}
    code = course_id.upper()
    editions = {lang: m.Edition(lang, f"{code}-{lang.upper()}", TEXTS["title"][LANGUAGES.index(lang)])
                for lang in (source, other)}
    page = m.Page(id="basics.welcome", title=t["page"], parts=[
        m.Part(heading=t["heading1"], body=t["body1"], bullets=[m.Bullet(text=t["bullet1"]), m.Bullet(text=t["bullet2"])])])
    q1 = m.Question(id="basics.test.q01", type="single", graded=True, text=t["q1"], correct_feedback=t["q1ok"],
                    choices=[m.Choice(correct=True, text=t["q1a"]), m.Choice(text=t["q1b"])])
    q2 = m.Question(id="basics.test.q02", type="truefalse", graded=True, answer=True, text=t["q2"],
                    feedback_true=t["q2ok"])
    test = m.Evaluation(id="basics.test", pass_percent=70, questions=[q1, q2], title=t["test"], intro=t["test_intro"])
    section = m.Section(id="basics", items=[page, test], title=t["section"], summary=t["section_summary"])
    ui = {key: m.UiString(key=key, text=t[key]) for key in ("true", "false", "evaluation", "pass_mark")}
    return m.Course(id=course_id, source_language=source, languages=[source, other], startdate="2025-01-01",
                    editions=editions, sections=[section], projects=[], expected={}, ui=ui,
                    title=t["title"], summary=t["summary"])


def init(target: Path, source: str = "en", other: str = "fr") -> Path:
    target = Path(target).absolute()
    if {source, other} != set(LANGUAGES):
        raise InputError(Problem("--source-lang", 0, 0, f"init has starter texts in {' and '.join(LANGUAGES)} only",
                                 fix="start with these two, then add a language with "
                                     "'resolution-pack i18n update --add xx' and an edition in course.yaml"))
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(Problem(str(target), 0, 0, "the folder is not empty",
                                 fix="name a new folder: init never writes over files"))
    from .load import load
    course_id = slug(target.name, "course")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=target.parent))
    staging = work / target.name
    try:
        staged = _course(course_id, source, other)
        write_sources(staged, staging, HEADER.replace("DIR", target.name))
        loaded = load(staging)
        wanted = {TEXTS[key][LANGUAGES.index(source)]: TEXTS[key][LANGUAGES.index(other)] for key in TEXTS}
        strings = {}
        from .i18n.walk import fields
        for f in fields(loaded):
            strings[(f.context, f.value)] = wanted[f.value]
        write_catalogs(loaded, staging, {other: strings}, 1735689600)
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target

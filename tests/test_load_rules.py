"""The loader's checks, table-driven on the mini course: one edit, and
exactly the problems it must give (file, line, column, message, path, fix).
Lines and columns are those of the edited fixture files."""
import shutil

import pytest

from conftest import MINI
from resolution_pack.errors import InputError, Problem
from resolution_pack.load import load

HOME, PART, P01, COURSE = "sources/sections/home.yaml", "sources/sections/part-1.yaml", \
    "sources/projects/p01.yaml", "sources/course.yaml"
SINGLE = "a 'single' question needs exactly one correct choice"
SINGLE_FIX = "mark one choice 'correct: true', or use type 'multiple'"
GAP_FIX = "gap [[n]] is filled by the n-th choice"
CUE_FIX = "swap or correct the times"

# (name, file, old text, new text, problems)
CASES = [
    ("an id used twice", "sections/home.yaml", "id: announcements", "id: welcome",
     [Problem(HOME, 18, 0, "id 'home.welcome' is used twice (first at sources/sections/home.yaml:6)",
              fix="give each object its own id")]),
    ("a question id used twice in one activity", "sections/part-1.yaml", "id: q02\n        type: truefalse",
     "id: q01\n        type: truefalse",
     [Problem(PART, 25, 0, "id 'part-1.activities-1.q01' is used twice (first at sources/sections/part-1.yaml:17)",
              fix="give each object its own id")]),
    ("a chapter id used twice", "sections/part-1.yaml", "id: services", "id: legislation",
     [Problem(PART, 98, 0, "id 'part-1.documents.legislation' is used twice (first at sources/sections/part-1.yaml:93)",
              fix="give each object its own id")]),
    ("a tutorial video id used twice", "projects/p01.yaml", "id: video-2", "id: video-1",
     [Problem(P01, 40, 0, "id 'tutorial.p01.video-1' is used twice (first at sources/projects/p01.yaml:35)",
              fix="give each object its own id")]),
    ("a listed project without a file", "course.yaml", "projects: [p01]", "projects: [p01, p02]",
     [Problem(COURSE, 17, 17, "project 'p02' has no file projects/p02.yaml", "projects",
              "create the file or remove the id from the list")]),
    ("a listed section without a file", "course.yaml", "sections: [home, part-1, tutorials, toolbox]",
     "sections: [home, part-1, tutorials, toolbox, extra]",
     [Problem(COURSE, 16, 46, "section 'extra' has no file sections/extra.yaml", "sections",
              "create the file or remove the id from the list")]),
    ("an edition of no language", "course.yaml", "  en: {shortname: MINI-EN",
     "  de: {shortname: MINI-DE, fullname: D}\n  en: {shortname: MINI-EN",
     [Problem(COURSE, 15, 3, "edition 'de' is not in 'languages'", "editions",
              "add the language to 'languages' or remove the edition")]),
    ("a language without an edition", "course.yaml", "languages: [fr, en]", "languages: [fr, en, de]",
     [Problem(COURSE, 9, 1, "language 'de' has no edition", "editions",
              "add editions.de with its shortname and fullname")]),
    ("a source language not in languages", "course.yaml", "source_language: fr", "source_language: en",
     []),
    ("a source language of no edition", "course.yaml", "source_language: fr", "source_language: de",
     [Problem(COURSE, 8, 1, "the source language must be one of 'languages'")]),
    ("one shortname for two editions", "course.yaml", "shortname: MINI-EN", "shortname: MINI-FR",
     [Problem(COURSE, 15, 8, "shortname 'MINI-FR' is used by two editions (fr, en)")]),
    ("after: names no item", "sections/part-1.yaml", "after: video-1", "after: video-9",
     [Problem(PART, 15, 5, "'after: video-9' names no item of this section", "after",
              "use the id of a video of this section")]),
    ("after: names another item of the section", "sections/part-1.yaml", "after: video-1", "after: evaluation", []),
    ("a cue that ends when it starts", "sections/part-1.yaml", 'end: "00:01.000", text: "Bonjour',
     'end: "00:00.000", text: "Bonjour',
     [Problem(PART, 10, 30, "subtitle cue ends (00:00.000) before it starts (00:00.000)", "subtitles", CUE_FIX)]),
    ("a cue that ends before it starts, hours against minutes", "sections/part-1.yaml",
     '{start: "00:01.000", end: "00:02.000"', '{start: "00:01:00.000", end: "00:59.999"',
     [Problem(PART, 11, 33, "subtitle cue ends (00:59.999) before it starts (00:01:00.000)", "subtitles", CUE_FIX)]),
    ("an hour is sixty minutes", "sections/part-1.yaml", '{start: "00:01.000", end: "00:02.000"',
     '{start: "59:59.000", end: "01:00:00.000"', []),
    ("a tutorial video's cue", "projects/p01.yaml", '{start: "00:00.000", end: "00:01.000", text: "Voici',
     '{start: "00:02.000", end: "00:01.000", text: "Voici',
     [Problem(P01, 39, 30, "subtitle cue ends (00:01.000) before it starts (00:02.000)", "subtitles", CUE_FIX)]),
    ("a single question with two right answers", "sections/part-1.yaml", "{text: Juger, feedback: Non.}",
     "{text: Juger, correct: true, feedback: Non.}", [Problem(PART, 18, 9, SINGLE, "choices", SINGLE_FIX)]),
    ("a single question with none", "sections/part-1.yaml", "{text: Écouter, correct: true, feedback: Oui.}",
     "{text: Écouter, feedback: Oui.}", [Problem(PART, 18, 9, SINGLE, "choices", SINGLE_FIX)]),
    ("a multiple question with none", "sections/part-1.yaml",
     "{text: NEET, correct: true}\n          - {text: Chômeurs de longue durée, correct: true}",
     "{text: NEET}\n          - {text: Chômeurs de longue durée}",
     [Problem(PART, 48, 9, "a 'multiple' question needs at least one correct choice", "choices",
              "mark the right choices 'correct: true'")]),
    ("a multiple question with one", "sections/part-1.yaml", "{text: NEET, correct: true}", "{text: NEET}", []),
    ("a gap question without gaps", "sections/part-1.yaml",
     "text: Le [[1]] va vers les publics ; le [[2]] accompagne.", "text: Le bus.",
     [Problem(PART, 77, 9, "a gap question needs gaps [[1]], [[2]]... in its text", "text")]),
    ("gaps with a hole", "sections/part-1.yaml", "text: Le [[1]] va vers les publics ; le [[2]] accompagne.",
     "text: Le [[1]] et [[3]].",
     [Problem(PART, 77, 9, "gaps [1, 3] must be numbered 1..n and each needs its choice (n ≤ 3)", "text", GAP_FIX)]),
    ("gaps not starting at 1", "sections/part-1.yaml", "text: Le [[1]] va vers les publics ; le [[2]] accompagne.",
     "text: Le [[2]] et [[3]].",
     [Problem(PART, 77, 9, "gaps [2, 3] must be numbered 1..n and each needs its choice (n ≤ 3)", "text", GAP_FIX)]),
    ("more gaps than choices (drag and drop)", "sections/part-1.yaml", "[[1]] % d'emploi.",
     "[[1]] [[2]] [[3]] % d'emploi.",
     [Problem(PART, 84, 9, "gaps [1, 2, 3] must be numbered 1..n and each needs its choice (n ≤ 2)", "text",
              GAP_FIX)]),
    ("as many gaps as choices, one used twice", "sections/part-1.yaml", "[[1]] % d'emploi.",
     "[[2]] [[1]] [[2]] % d'emploi.", []),
    ("an actor id used twice", "projects/p01.yaml", "{id: bus, name", "{id: cdm, name",
     [Problem(P01, 29, 8, "actor id 'cdm' is used twice", "orgchart.actors"),
      Problem(P01, 31, 19, "'to: bus' is no actor of this chart", "orgchart.relations", "use one of: cdm")]),
    ("a parent that is no actor", "projects/p01.yaml", "parent: cdm}", "parent: nobody}",
     [Problem(P01, 29, 38, "parent 'nobody' is no actor of this chart", "orgchart.actors", "use one of: bus, cdm")]),
    ("relation ends that are no actors", "projects/p01.yaml", "{from: cdm, to: bus", "{from: x, to: y",
     [Problem(P01, 31, 8, "'from: x' is no actor of this chart", "orgchart.relations", "use one of: bus, cdm"),
      Problem(P01, 31, 17, "'to: y' is no actor of this chart", "orgchart.relations", "use one of: bus, cdm")]),
    ("a testimonial id used twice", "projects/p01.yaml", "testimonials:\n",
     "testimonials:\n  - {id: t1, name: B, role: R, quote: Q}\n",
     [Problem(P01, 34, 6, "testimonial id 't1' is used twice")]),
    ("a missing media file", "sections/home.yaml", "file: media/guide.pdf", "file: media/none.pdf",
     [Problem(HOME, 31, 5, "media file 'media/none.pdf' does not exist", "file", "add the file or correct the path")]),
    ("a missing image of a question", "sections/part-1.yaml", "image: {file: media/placeholder-photo.png",
     "image: {file: media/none.png",
     [Problem(PART, 20, 17, "media file 'media/none.png' does not exist", "file", "add the file or correct the path")]),
    ("a missing poster", "sections/part-1.yaml", "poster: media/placeholder-poster.png", "poster: media/none.png",
     [Problem(PART, 8, 5, "media file 'media/none.png' does not exist", "poster", "add the file or correct the path")]),
    ("a missing file of a folder", "sections/home.yaml", "- {file: media/guide.pdf}", "- {file: media/none.pdf}",
     [Problem(HOME, 36, 10, "media file 'media/none.pdf' does not exist", "file", "add the file or correct the path")]),
    ("a control character", "sections/home.yaml", "title: Annonces", 'title: "Ann\\x07onces"',
     [Problem(HOME, 19, 0, "control character U+0007 in the text", "home.announcements:title",
              "remove it (XML cannot carry it)")]),
    ("two control characters in a cue", "sections/part-1.yaml", 'text: "Bonjour et bienvenue."',
     'text: "Bonjour\\x1b et\\x01 bienvenue\\x1b."',
     [Problem(PART, 10, 0, "control character U+0001, U+001B in the text", "part-1.video-1:subtitle",
              "remove it (XML cannot carry it)")]),
    ("a control character in a bullet", "sections/home.yaml", "items: [Premier point,",
     'items: ["Premier\\x0bpoint",',
     [Problem(HOME, 15, 0, "control character U+000B in the text", "home.welcome:bullet",
              "remove it (XML cannot carry it)")]),
    ("tab, newline and carriage return are no control characters here", "sections/home.yaml", "title: Annonces",
     'title: "Ann\\tonces\\r\\nici"', []),
    ("a Moodle backup marker", "sections/home.yaml", "title: Annonces", 'title: "Voir @@PLUGINFILE@@/x"',
     [Problem(HOME, 19, 0, "@@PLUGINFILE@@ in the text is a marker of Moodle backups: the restore would turn it "
              "into a link", "home.announcements:title", "write it another way")]),
    ("a Moodle link marker", "projects/p01.yaml", "quote: \"J'ai trouvé une formation.\"",
     "quote: \"Voir $@PAGEVIEWBYID*3@$\"",
     [Problem(P01, 33, 0, "$@PAGEVIEWBYID*3@$ in the text is a marker of Moodle backups: the restore would turn it "
              "into a link", "p01.t1:quote", "write it another way")]),
    ("a value not in the list", "sections/home.yaml", "type: news", "type: chat",
     [Problem(HOME, 20, 5, "'chat' is not one of news, general", "items.1.type")]),
    ("an id of the wrong form", "sections/home.yaml", "id: announcements", "id: Announcements",
     [Problem(HOME, 18, 5, "'Announcements' does not have the expected form", "items.1.id",
              "ids use lower-case letters, digits and hyphens")]),
    ("an address of the wrong form", "sections/home.yaml", "url: https://example.org/resolution?a=1&b=2",
     "url: example.org",
     [Problem(HOME, 27, 5, "'example.org' does not have the expected form", "items.3.url",
              "write a full http:// or https:// address")]),
    ("a time of the wrong form", "sections/part-1.yaml", '{start: "00:00.000", end: "00:01.000", text: "Bonjour',
     '{start: "0:00", end: "00:01.000", text: "Bonjour',
     [Problem(PART, 10, 10, "'0:00' does not have the expected form", "items.0.subtitles.0.start",
              "write times as MM:SS.mmm or HH:MM:SS.mmm")]),
    ("a wrong type", "sections/part-1.yaml", "pass_percent: 70", "pass_percent: seventy",
     [Problem(PART, 39, 5, "'seventy' should be of type integer", "items.2.pass_percent")]),
    ("a missing key", "sections/home.yaml", "    title: Annonces\n", "",
     [Problem(HOME, 17, 5, "missing required key 'title'", "items.1", "add 'title:'")]),
    ("an unknown key", "sections/home.yaml", "    title: Annonces\n", "    titel: Annonces\n    title: Annonces\n",
     [Problem(HOME, 19, 5, "unknown key 'titel'", "items.1.titel",
              "remove it, or use one of: id, intro, kind, notes, title, type")]),
    ("an unknown key at the top of course.yaml", "course.yaml", "startdate: 2022-01-01", "startdate: 2022-01-01\ntitel: x",
     [Problem(COURSE, 11, 1, "unknown key 'titel'", "titel", "remove it, or use one of: editions, expected, id, "
              "languages, notes, placeholder_video, projects, sections, source_language, startdate, summary, title")]),
    ("an unknown key in a key figure", "projects/p01.yaml", '{label: Satisfaction (enquête 2019), value: "9,5/10"}',
     '{label: Satisfaction, value: "9", unit: x}',
     [Problem(P01, 14, 39, "unknown key 'unit'", "key_figures.0.unit", "remove it, or use one of: label, value")]),
    ("a video without file or url", "sections/part-1.yaml", "    file: media/placeholder-video.webm\n    poster",
     "    poster", [Problem(PART, 4, 5, "needs exactly one of the keys file, url", "items.0",
                           "give 'file:' or 'url:' (not both)")]),
    ("a video with file and url", "sections/part-1.yaml", "    file: media/placeholder-video.webm\n",
     "    file: media/placeholder-video.webm\n    url: https://example.org/v.webm\n",
     [Problem(PART, 4, 5, "needs exactly one of the keys file, url", "items.0", "give 'file:' or 'url:' (not both)")]),
    ("an empty part of a page", "sections/tutorials.yaml",
     "      - heading: Transférer un projet\n        body: Chaque projet est présenté sous l'angle de la "
     "transférabilité.", "      - {}",
     [Problem("sources/sections/tutorials.yaml", 8, 9, "needs at least one of the keys heading, body, items, image",
              "items.0.parts.0", "give 'heading:' or 'body:' or 'items:' or 'image:'")]),
    ("an interface string of neither form", "ui.yaml", 'check: {text: Vérifier, note: "button label, max 20 characters"}',
     "check: [a]", [Problem("sources/ui.yaml", 9, 3, "['a'] is not valid under any of the given schemas",
                            "strings.check")]),
    ("a long value is shortened", "sections/home.yaml", "type: news", "type: " + "x" * 70,
     [Problem(HOME, 20, 5, "'" + "x" * 56 + "... is not one of news, general", "items.1.type")]),
    ("a value of 59 characters is not", "sections/home.yaml", "type: news", "type: " + "x" * 57,
     [Problem(HOME, 20, 5, "'" + "x" * 57 + "' is not one of news, general", "items.1.type")]),
    ("a value of 60 characters is", "sections/home.yaml", "type: news", "type: " + "x" * 58,
     [Problem(HOME, 20, 5, "'" + "x" * 56 + "... is not one of news, general", "items.1.type")]),
    ("two Moodle markers", "sections/home.yaml", "title: Annonces", 'title: "@@PLUGINFILE@@ et $@PAGEVIEWBYID*3@$"',
     [Problem(HOME, 19, 0, "$@PAGEVIEWBYID*3@$, @@PLUGINFILE@@ in the text is a marker of Moodle backups: the restore "
              "would turn it into a link", "home.announcements:title", "write it another way")]),
    ("two unknown keys", "course.yaml", "title: Mini-cours", "title: Mini-cours\ntitel: x\nsubtitle: y",
     [Problem(COURSE, 4, 1, "unknown key 'titel'", "titel", "remove it, or use one of: editions, expected, id, "
              "languages, notes, placeholder_video, projects, sections, source_language, startdate, summary, title"),
      Problem(COURSE, 5, 1, "unknown key 'subtitle'", "subtitle", "remove it, or use one of: editions, expected, id, "
              "languages, notes, placeholder_video, projects, sections, source_language, startdate, summary, title")]),
    ("too many videos for a project", "projects/p01.yaml", "  - id: video-3\n",
     "  - id: video-4\n    title: Encore\n    file: media/placeholder-video.webm\n    subtitles:\n"
     "      - {start: \"00:00.000\", end: \"00:01.000\", text: \"Et encore.\"}\n  - id: video-3\n",
     [Problem(P01, 34, 1, "expected at most 3 items, found 4", "videos")]),
    ("a media path without extension", "sections/home.yaml", "file: media/guide.pdf", "file: media/guide",
     [Problem(HOME, 31, 5, "'media/guide' does not have the expected form", "items.4.file",
              "it must match ^.+\\.[A-Za-z0-9]+$")]),
    ("a language code in capitals", "course.yaml", "source_language: fr", "source_language: FR",
     [Problem(COURSE, 8, 1, "'FR' does not have the expected form", "source_language", "it must match ^[a-z]{2}$")]),
    ("an interface string of the wrong type: the deeper branch is reported", "ui.yaml",
     'check: {text: Vérifier, note: "button label, max 20 characters"}', "check: {text: 3}",
     [Problem("sources/ui.yaml", 9, 11, "3 should be of type string", "strings.check.text")]),
    ("too few items", "sections/part-1.yaml", "items: [Accueillir, Écouter, Orienter]", "items: []",
     [Problem(PART, 35, 9, "expected at least 3 items, found 0", "items.1.questions.2.items")]),
]


def sources(tmp_path):
    root = tmp_path / "sources"
    shutil.copytree(MINI, root)
    return root


def problems(root):
    with pytest.raises(InputError) as info:
        load(root)
    return info.value.problems


@pytest.mark.parametrize("name, file, old, new, expected", CASES, ids=[c[0] for c in CASES])
def test_one_edit_exactly_these_problems(tmp_path, name, file, old, new, expected):
    root = sources(tmp_path)
    path = root / file
    text = path.read_text("utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), "utf-8")
    if expected:
        assert problems(root) == expected
    else:
        load(root)


def test_a_file_that_is_not_a_mapping(tmp_path):
    root = sources(tmp_path)
    (root / "sections" / "home.yaml").write_text("- a\n- b\n")
    assert problems(root) == [Problem(HOME, 1, 1, "the file must hold a mapping (key: value lines) at top level")]


@pytest.mark.parametrize("file, shown", [("sections/home.yaml", HOME), ("projects/p01.yaml", P01),
                                         ("sections/extra.yaml", "sources/sections/extra.yaml")])
def test_a_broken_file_is_reported_once_not_also_as_missing(tmp_path, file, shown):
    """A YAML error at the end of the file (libyaml points past the last
    line) once crashed the loader with an IndexError."""
    root = sources(tmp_path)
    (root / file).write_text("title: [x\n")
    assert problems(root) == [Problem(shown, 2, 1, "YAML syntax error: did not find expected ',' or ']' "
                                                   "(while parsing a flow sequence)")]


@pytest.mark.parametrize("folder, name, message", [
    ("projects", "p01", "project 'p02' is not listed in course.yaml 'projects'"),
    ("sections", "home", "section 'p02' is not listed in course.yaml 'sections'"),
])
def test_a_file_not_listed(tmp_path, folder, name, message):
    root = sources(tmp_path)
    shutil.copy(root / folder / f"{name}.yaml", root / folder / "p02.yaml")
    assert problems(root) == [Problem(f"sources/{folder}/p02.yaml", 1, 1, message,
                                      fix="add it to the list (the list gives the display order)")]


def test_no_course_yaml(tmp_path):
    root = sources(tmp_path)
    (root / "course.yaml").unlink()
    assert problems(root) == [Problem(str(root / "course.yaml"), 0, 0, "no course.yaml in the sources folder",
                                      fix="run from the project folder or pass --sources DIR")]


def test_texts_lose_outer_white_space_and_keep_their_lines(tmp_path):
    course = load(sources(tmp_path))
    assert course.summary == "Un <strong>petit</strong> cours de test.\n\nDeuxième paragraphe."
    page = course.sections[0].items[0]
    assert page.parts[0].body == ("Vous avancez à votre rythme ; aucun formateur n'intervient.\n\n"
                                  "Choisissez votre langue : <a href=\"https://example.org/\">aide</a>.")
    assert [(b.text, b.src.file, b.src.lines) for b in page.parts[0].bullets] == [
        ("Premier point", HOME, (("text", 15),)), ("Deuxième point", HOME, (("text", 15),))]
    assert (page.src.file, page.src.line("title"), page.src.line("intro"), page.src.line()) == (HOME, 7, 8, 5)


def test_problems_name_files_as_the_user_named_the_folder(tmp_path, monkeypatch):
    """From inside the sources folder (`--sources .`) the file is named from
    there; elsewhere from the folder's parent (sources/sections/...)."""
    root = tmp_path / "sources"
    shutil.copytree(MINI, root)
    path = root / "sections" / "home.yaml"
    path.write_text(path.read_text("utf-8").replace("type: news", "type: newz"), "utf-8")
    wanted = "'newz' is not one of news, general"
    with pytest.raises(InputError) as where:
        load(root)
    assert [(p.file, p.line, p.message) for p in where.value.problems] == [("sources/sections/home.yaml", 20, wanted)]
    monkeypatch.chdir(root)
    with pytest.raises(InputError) as here:
        load(".")
    assert [(p.file, p.line, p.message) for p in here.value.problems] == [("sections/home.yaml", 20, wanted)]

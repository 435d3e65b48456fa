"""The IMS Common Cartridge target on small hand-built models.

Each table row is one question (or one course) and exactly the items, the
resources and the XML the cartridge must hold for it, as the CC 1.1 QTI
profile defines them (cc.multiple_choice, cc.multiple_response,
cc.true_false, cc.fib; cc_weighting an integer) and as Moodle's importer
reads them (backup/cc/entity11.quiz.class.php: the respcondition that sets
100 names the right answers, continue="Yes" conditions give the general
feedback, cc_weighting is kept from 0 to 99, else 1)."""
from __future__ import annotations

import pytest

from resolution_pack import model as m
from resolution_pack.targets import imscc_qti as qti
from resolution_pack.targets.imscc_qti import Choice, Item
from unit_models import choices, course, question

QID = "c.part-1.act.q1"
MC, MR, TF, FIB = "cc.multiple_choice.v0p1", "cc.multiple_response.v0p1", "cc.true_false.v0p1", "cc.fib.v0p1"


def link(ref: m.MediaRef) -> str:
    return "../web_resources/" + ref.path


def _items(q, model=None):
    left_out: list = []
    made = qti.question_items(q, model or course(), link, left_out)
    return made, left_out


# ---- one question, its items ------------------------------------------------------

def test_a_single_choice_is_one_multiple_choice_item_with_its_feedback():
    q = question(choices=choices(("A <em>x</em> &amp; y", False, "Non."), ("B", True), ("C", False)), shuffle=False,
                 general_feedback="Voir.", correct_feedback="Bravo.", incorrect_feedback="Dommage.")
    made, left_out = _items(q)
    assert made == [Item(QID, "Question ?", MC, "<p>Question ?</p>",
                         choices=[Choice("a", "A <em>x</em> &amp; y", False, "<p>Non.</p>"), Choice("b", "B", True),
                                  Choice("c", "C", False)],
                         shuffle=False, general_feedback="<p>Voir.</p>", correct_feedback="<p>Bravo.</p>",
                         incorrect_feedback="<p>Dommage.</p>")]
    assert made[0].feedback_ids == [("a_fb", "<p>Non.</p>"), ("general_fb", "<p>Voir.</p>"),
                                    ("correct_fb", "<p>Bravo.</p>"), ("incorrect_fb", "<p>Dommage.</p>")]
    assert left_out == []


def test_a_multiple_choice_is_one_multiple_response_item():
    q = question(qtype="multiple", choices=choices(("A", True), ("B", False, "Non."), ("C", True)))
    (item,), _ = _items(q)
    assert (item.profile, item.shuffle) == (MR, True)
    assert item.choices == [Choice("a", "A", True), Choice("b", "B", False, "<p>Non.</p>"), Choice("c", "C", True)]
    assert item.feedback_ids == [("b_fb", "<p>Non.</p>")]


@pytest.mark.parametrize("qtype, correct, fraction, right, left_out", [
    ("single", True, None, True, []),
    ("single", False, None, False, []),
    ("single", False, 100, True, []),            # a fraction says more than `correct`
    ("single", True, 0, False, []),
    ("single", True, 50, False, ["choice 'A' at 50 % (the profile scores 0 or 100 %)"]),
    ("single", True, 99.5, False, ["choice 'A' at 99.5 % (the profile scores 0 or 100 %)"]),
    ("single", True, 0.5, False, ["choice 'A' at 0.5 % (the profile scores 0 or 100 %)"]),
    ("single", False, -50, False, []),
    ("multiple", False, 50, True, []),           # a multiple response item: any choice above 0 % is right
    ("multiple", False, 0.5, True, []),
    ("multiple", True, 0, False, []),
    ("multiple", True, -25, False, []),
])
def test_which_choice_scores(qtype, correct, fraction, right, left_out):
    q = question(qtype=qtype, choices=[m.Choice(correct=correct, fraction=fraction, text="A")])
    (item,), found = _items(q)
    assert item.choices[0].correct is right
    assert found == [(QID, what) for what in left_out]


@pytest.mark.parametrize("answer", [True, False])
def test_a_true_false_item_never_shuffles(answer):
    q = question(qtype="truefalse", answer=answer, feedback_true="Oui.", feedback_false="Non.", shuffle=True)
    (item,), _ = _items(q, course(ui={"true": "Vrai & juste", "false": "Faux"}))
    assert (item.profile, item.shuffle) == (TF, False)
    assert item.choices == [Choice("true", "Vrai &amp; juste", answer, "<p>Oui.</p>"),
                            Choice("false", "Faux", not answer, "<p>Non.</p>")]


def test_a_true_false_item_in_the_default_interface_language():
    (item,), _ = _items(question(qtype="truefalse", answer=True))
    assert [(c.ident, c.text) for c in item.choices] == [("true", "True"), ("false", "False")]


def test_a_short_answer_keeps_its_answers_at_100_and_0():
    answers = [m.ShortAnswer(100, text="  Paris ", feedback="Oui."), m.ShortAnswer(50, text="Paris-Ville"),
               m.ShortAnswer(0, text="Lyon", feedback="Non."), m.ShortAnswer(-10, text="Rome"),
               m.ShortAnswer(100, text="PARIS"), m.ShortAnswer(0, text="Nice", feedback="Non plus.")]
    q = question(qtype="shortanswer", answers=answers, case_sensitive=True, correct_feedback="Bravo.")
    (item,), left_out = _items(q)
    assert (item.profile, item.answers, item.case_sensitive) == (FIB, ["Paris", "PARIS"], True)
    assert item.wrong == [("Lyon", "<p>Non.</p>"), ("Rome", ""), ("Nice", "<p>Non plus.</p>")]
    # the feedback of a right answer follows the question's own: Moodle reads one feedback for the 100 % condition
    assert item.correct_feedback == "<p>Bravo.</p><p>Oui.</p>"
    assert item.feedback_ids == [("wrong1_fb", "<p>Non.</p>"), ("wrong3_fb", "<p>Non plus.</p>"),
                                 ("correct_fb", "<p>Bravo.</p><p>Oui.</p>")]
    assert left_out == [(QID, "answer 'Paris-Ville' at 50 % (the profile scores 0 or 100 %)")]


@pytest.mark.parametrize("fraction, kept", [(100, "answers"), (99.9, "left out"), (0.1, "left out"), (0, "wrong"),
                                            (-0.1, "wrong")])
def test_short_answer_fraction_boundaries(fraction, kept):
    (item,), left_out = _items(question(qtype="shortanswer", answers=[m.ShortAnswer(fraction, text="x")]))
    found = "answers" if item.answers == ["x"] else "wrong" if item.wrong == [("x", "")] else "left out"
    assert found == kept
    assert bool(left_out) == (kept == "left out")


def test_a_match_question_is_one_multiple_choice_per_pair():
    pairs = [m.Pair(question="Q <b>1</b>", answer="x"), m.Pair(question="Q2", answer="a<b"),
             m.Pair(question="Q3", answer=" x")]
    q = question(qtype="match", text="Associez.", name="Paires", pairs=pairs, shuffle=False,
                 general_feedback="Voir.", correct_feedback="Bravo.")
    made, _ = _items(q)
    labels = [Choice("a", "x", False), Choice("b", "a&lt;b", False)]

    def expected(n, text, answer, general):
        cs = [Choice(c.ident, c.text, i == answer) for i, c in enumerate(labels)]
        return Item(f"{QID}:{n}", f"Paires ({n}/3)", MC, f"<p>Associez.</p><p><strong>{text}</strong></p>",
                    choices=cs, shuffle=False, general_feedback=general, correct_feedback="<p>Bravo.</p>")

    assert made == [expected(1, "Q <b>1</b>", 0, ""), expected(2, "Q2", 1, ""), expected(3, "Q3", 0, "<p>Voir.</p>")]


def test_an_ordering_question_is_one_multiple_choice_per_position():
    q = question(qtype="ordering", text="Rangez.", name="Ordre", shuffle=False,
                 items=[m.OrderItem(text=t) for t in ("un", "deux & trois", "quatre")])
    made, _ = _items(q, course(ui={"position_of": "Place {n} sur {total}"}))
    labels = ["un", "deux &amp; trois", "quatre"]
    assert made == [Item(f"{QID}:{n}", f"Ordre ({n}/3)", MC, f"<p>Rangez.</p><p><strong>Place {n} sur 3</strong></p>",
                         choices=[Choice(qti._letter(i), t, i == n - 1) for i, t in enumerate(labels)], shuffle=True)
                    for n in (1, 2, 3)]


def test_gaps_are_one_multiple_choice_per_gap_among_its_groups_words():
    q = question(qtype="gapselect", text="Le [[1]] dort sur le [[2]].", name="Trous", shuffle=False,
                 choices=choices(("chat", True, None, 1), ("tapis", True, None, 2), ("chien &amp; loup", True, None, 1)))
    made, _ = _items(q)
    assert made == [
        Item(f"{QID}:1", "Trous (1/2)", MC, "<p>Le <strong>[Gap 1]</strong> dort sur le _____.</p>",
             choices=[Choice("a", "chat", True), Choice("b", "chien &amp; loup", False)], shuffle=False),
        Item(f"{QID}:2", "Trous (2/2)", MC, "<p>Le _____ dort sur le <strong>[Gap 2]</strong>.</p>",
             choices=[Choice("a", "tapis", True)], shuffle=False),
    ]


def test_the_right_word_of_a_gap_is_the_choice_it_numbers():
    q = question(qtype="ddwtos", text="[[2]] puis [[1]]", shuffle=True, name="N",
                 choices=choices(("un", True), ("deux", True), ("trois", True)))
    made, _ = _items(q, course(ui={"gap": "trou {n}"}))
    assert [(i.ident, i.text, [(c.text, c.correct) for c in i.choices]) for i in made] == [
        (f"{QID}:1", "<p><strong>[trou 2]</strong> puis _____</p>", [("un", False), ("deux", True), ("trois", False)]),
        (f"{QID}:2", "<p>_____ puis <strong>[trou 1]</strong></p>", [("un", True), ("deux", False), ("trois", False)]),
    ]


def test_a_question_image_is_in_its_text_with_the_cartridge_link():
    q = question(qtype="truefalse", answer=True, presentation="photo-story",
                 image=m.Image(m.MediaRef("media/q.png"), alt="Une <photo>"))
    (item,), _ = _items(q)
    assert item.text == ('<div class="resolution-photo-story"> <p><img src="../web_resources/media/q.png" '
                         'alt="Une &lt;photo&gt;" class="img-fluid"></p> <p>Question ?</p> </div>')


def test_a_gap_question_image_is_in_each_gaps_text():
    q = question(qtype="gapselect", text="[[1]] [[2]]", image=m.Image(m.MediaRef("media/g.png"), alt="G"),
                 choices=choices(("un", True), ("deux", True)))
    made, _ = _items(q)
    assert [i.text for i in made] == [
        '<p><img src="../web_resources/media/g.png" alt="G" class="img-fluid"></p> <p><strong>[Gap 1]</strong> _____</p>',
        '<p><img src="../web_resources/media/g.png" alt="G" class="img-fluid"></p> <p>_____ <strong>[Gap 2]</strong></p>']


def test_an_unknown_question_type_is_left_out_and_listed():
    made, left_out = _items(question(qtype="essay"))
    assert made == []
    assert left_out == [(QID, "question type 'essay' has no item in the Common Cartridge profile")]


@pytest.mark.parametrize("name, text, title", [
    ("  Le   nom ", "Texte", "Le nom"),
    (None, "<b>Quelle</b> &amp; quoi ?", "Quelle & quoi ?"),
    ("", "", "q1"),
    (None, "a" * 100, "a" * 100),
    (None, "a" * 101, "a" * 99 + "…"),
    (None, "a" * 98 + " bcd", "a" * 98 + "…"),       # cut at 99, trailing space dropped
])
def test_item_titles(name, text, title):
    (item,), _ = _items(question(qtype="truefalse", answer=True, name=name, text=text))
    assert item.title == title


def test_letters_after_z():
    assert [qti._letter(n) for n in (0, 25, 26, 30)] == ["a", "z", "z26", "z30"]


# ---- an assessment: the weights of split questions ---------------------------------

def _parts(n, qid):
    return question(qid, "ordering", items=[m.OrderItem(text=str(i)) for i in range(n)])


def test_each_question_keeps_its_weight_when_split():
    qs = [question("c.q1", choices=choices(("A", True))), _parts(2, "c.q2"), _parts(3, "c.q3")]
    mapped = qti.assessment_items(qs, course(), link)
    # least common multiple of 1, 2, 3: a question weighs 6, each of its k parts 6/k
    assert [(i.ident, i.parts, i.weight) for i in mapped.items] == [
        ("c.q1", 1, 6), ("c.q2:1", 2, 3), ("c.q2:2", 2, 3), ("c.q3:1", 3, 2), ("c.q3:2", 3, 2), ("c.q3:3", 3, 2)]
    assert mapped.left_out == []


def test_unsplit_questions_weigh_one():
    qs = [question("c.q1", choices=choices(("A", True))), question("c.q2", "truefalse", answer=False)]
    mapped = qti.assessment_items(qs, course(), link)
    assert [(i.parts, i.weight) for i in mapped.items] == [(1, 1), (1, 1)]


def test_weights_up_to_99_are_kept():
    mapped = qti.assessment_items([_parts(9, "c.q1"), _parts(11, "c.q2")], course(), link)
    assert {(i.parts, i.weight) for i in mapped.items} == {(9, 11), (11, 9)}
    assert mapped.left_out == []


def test_weights_above_99_fall_back_to_one_each_and_say_so():
    mapped = qti.assessment_items([_parts(10, "c.q1"), _parts(11, "c.q2"), question("c.q3", "essay"),
                                   question("c.q4", "truefalse", answer=True)], course(), link)
    assert {(i.parts, i.weight) for i in mapped.items} == {(10, 1), (11, 1), (1, 1)}
    assert mapped.left_out == [
        ("c.q3", "question type 'essay' has no item in the Common Cartridge profile"),
        ("", "relative weights of split questions (their parts count 1 each: 99 is the largest weight the "
             "profile's importers take)")]


def test_the_same_part_count_twice_scales_once():
    mapped = qti.assessment_items([_parts(4, "c.q1"), _parts(4, "c.q2"), _parts(2, "c.q3")], course(), link)
    assert {(i.parts, i.weight) for i in mapped.items} == {(4, 1), (2, 2)}


# ---- a whole cartridge: organization, resources, files, pages --------------------------

import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

from lxml import etree  # noqa: E402

from resolution_pack.errors import InputError, Problem  # noqa: E402
from resolution_pack.targets import imscc  # noqa: E402
from unit_models import edition, section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
XSD = ROOT.parent / "shared" / "xsd" / "imscc-1.1" / "cc11libxml2validator.xsd"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
Q = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
MEDIA = ["media/p.png", "media/v.webm", "media/q.png", "media/f.pdf", "media/a.txt", "media/b.txt",
         "generated/subtitles/c.part-1.v1.fr.vtt", "generated/p1.pdf"]


def _course_items():
    project = m.Project("p1", title="Projet", summary="S", description="D", implementation="I")
    part = [
        m.Page("c.part-1.intro", title="Intro", intro="Bonjour",
               parts=[m.Part(image=m.Image(m.MediaRef("media/p.png"), alt="P"))]),
        m.Video("c.part-1.v1", title="Vidéo", file=m.MediaRef("media/v.webm"), poster=m.MediaRef("media/p.png"),
                subtitles=[m.Cue("00:00.000", "00:01.000", text="Salut")]),
        m.Activities("c.part-1.act", title="Exos", questions=[
            question(image=m.Image(m.MediaRef("media/q.png")), choices=choices(("A", True), ("B", False)))]),
        m.Evaluation("c.part-1.eval", title="Test", pass_percent=80, intro="Allez.",
                     questions=[question("c.part-1.eval.q1", "truefalse", answer=True)]),
        m.Url("c.part-1.url", title="Lien", url="https://example.org/?a=1&b=2"),
        m.Forum("c.part-1.news", title="Annonces", intro="Lisez <b>ceci</b>."),
        m.Label("c.part-1.lab", text="Un <b>mot</b>"),
        m.Resource("c.part-1.res", title="Fiche", file=m.MediaRef("media/f.pdf")),
        m.Folder("c.part-1.dir", title="Dossier", files=[m.FolderFile(m.MediaRef("media/a.txt"), folder="sub"),
                                                         m.FolderFile(m.MediaRef("media/b.txt"))]),
        m.Book("c.part-1.book", title="Livre", intro="Intro livre",
               chapters=[m.Chapter(title="Ch1", body="B1"), m.Chapter(id="c.part-1.book.ch2", title="Ch2", body="B2")]),
        m.Subsection("c.part-1.sub", title="Bloc", items=[m.Recipe("c.part-1.rec", title="Recette"),
                                                          m.Item("c.part-1.sub.x")]),
        m.Item("c.part-1.x"),
    ]
    toolbox = [m.ProjectSheet("toolbox.p1.sheet", project=project),
               m.ProjectPdf("toolbox.p1.pdf", title="Projet", file=m.MediaRef("generated/p1.pdf", generated=True),
                            project=project)]
    return [section(items=part, title="Partie <1>"), section("toolbox", toolbox, title="", role="toolbox")]


@pytest.fixture
def cartridge(tmp_path):
    return imscc.Cartridge(edition(course(_course_items()), tmp_path, MEDIA))


def _tree(node, hrefs):
    return (node.id, node.title, hrefs.get(node.ref, node.ref), [_tree(c, hrefs) for c in node.children])


def test_the_organization_is_the_sections_and_their_items(cartridge):
    hrefs = {r.id: key for key, r in cartridge.resources.items()}   # a resource by its file, to read the tree
    assert [_tree(n, hrefs) for n in cartridge.organization] == [
        ("S_part-1", "Partie <1>", None, [
            ("I_c.part-1.intro", "Intro", "pages/c.part-1.intro.html", []),
            ("I_c.part-1.v1", "Vidéo", "pages/c.part-1.v1.html", []),
            ("I_c.part-1.act", "Exos", "assessments/c.part-1.act.xml", []),
            ("I_c.part-1.eval", "Test", "assessments/c.part-1.eval.xml", []),
            ("I_c.part-1.url", "Lien", "links/c.part-1.url.xml", []),
            ("I_c.part-1.news", "Annonces", "topics/c.part-1.news.xml", []),
            ("I_c.part-1.lab", "Un mot", None, []),
            ("I_c.part-1.res", "Fiche", "web_resources/media/f.pdf", []),
            ("I_c.part-1.dir", "Dossier", None, [
                ("I_c.part-1.dir.1", "sub/a.txt", "web_resources/media/a.txt", []),
                ("I_c.part-1.dir.2", "b.txt", "web_resources/media/b.txt", [])]),
            ("I_c.part-1.book", "Livre", None, [
                ("I_c.part-1.book.1", "Ch1", "pages/c.part-1.book.1.html", []),
                ("I_c.part-1.book.ch2", "Ch2", "pages/c.part-1.book.ch2.html", [])]),
            ("I_c.part-1.sub", "Bloc", None, [("I_c.part-1.rec", "Recette", "pages/c.part-1.rec.html", [])]),
        ]),
        ("S_toolbox", "toolbox", None, [
            ("I_toolbox.p1.sheet", "Projet", "pages/toolbox.p1.sheet.html", []),
            ("I_toolbox.p1.pdf", "Projet (PDF sheet)", "web_resources/generated/p1.pdf", [])]),
    ]
    assert cartridge.left_out == [("c.part-1.sub.x", "a Item (no Common Cartridge resource for it)"),
                                  ("c.part-1.x", "a Item (no Common Cartridge resource for it)")]


def test_every_resource_with_its_type_files_and_dependencies(cartridge):
    by_id = {r.id: key for key, r in cartridge.resources.items()}
    found = {key: (r.type, r.href, r.files, [by_id[d] for d in r.dependencies])
             for key, r in cartridge.resources.items()}
    web = {f"web_resources/{p}": ("webcontent", f"web_resources/{p}", [f"web_resources/{p}"], []) for p in MEDIA}
    qti_type = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"

    def page(key, *deps):
        return ("webcontent", f"pages/{key}.html", [f"pages/{key}.html"], [f"web_resources/{d}" for d in deps])

    assert found == {
        **web,
        "pages/c.part-1.intro.html": page("c.part-1.intro", "media/p.png"),
        "pages/c.part-1.v1.html": page("c.part-1.v1", "media/v.webm", "media/p.png",
                                       "generated/subtitles/c.part-1.v1.fr.vtt"),
        # the question's image is a file of the assessment's resource
        "assessments/c.part-1.act.xml": (qti_type, None, ["assessments/c.part-1.act.xml"], ["web_resources/media/q.png"]),
        "assessments/c.part-1.eval.xml": (qti_type, None, ["assessments/c.part-1.eval.xml"], []),
        "links/c.part-1.url.xml": ("imswl_xmlv1p1", None, ["links/c.part-1.url.xml"], []),
        "topics/c.part-1.news.xml": ("imsdt_xmlv1p1", None, ["topics/c.part-1.news.xml"], []),
        "pages/c.part-1.book.1.html": page("c.part-1.book.1"),
        "pages/c.part-1.book.ch2.html": page("c.part-1.book.ch2"),
        "pages/c.part-1.rec.html": page("c.part-1.rec"),
        "pages/toolbox.p1.sheet.html": page("toolbox.p1.sheet", "generated/p1.pdf"),
    }
    assert {key: r.id for key, r in cartridge.resources.items() if not key.startswith("web_")} == {
        "pages/c.part-1.intro.html": "R_c.part-1.intro", "pages/c.part-1.v1.html": "R_c.part-1.v1",
        "assessments/c.part-1.act.xml": "R_c.part-1.act", "assessments/c.part-1.eval.xml": "R_c.part-1.eval",
        "links/c.part-1.url.xml": "R_c.part-1.url", "topics/c.part-1.news.xml": "R_c.part-1.news",
        "pages/c.part-1.book.1.html": "R_c.part-1.book.1", "pages/c.part-1.book.ch2.html": "R_c.part-1.book.ch2",
        "pages/c.part-1.rec.html": "R_c.part-1.rec", "pages/toolbox.p1.sheet.html": "R_toolbox.p1.sheet"}
    files = [r.id for key, r in cartridge.resources.items() if key.startswith("web_")]
    assert len(set(files)) == len(MEDIA)
    assert all(len(f) == 18 and f.startswith("F_") and int(f[2:], 16) >= 0 for f in files)
    assert sorted(cartridge.docs) == sorted(k for k in found if not k.startswith("web_"))
    assert {path: stored.path for path, stored in cartridge.files.items()} == {f"web_resources/{p}": cartridge.media.path(
        m.MediaRef(p, generated=p.startswith("generated/"))) for p in MEDIA}


def test_file_identifiers_are_the_same_on_every_build(cartridge, tmp_path):
    again = imscc.Cartridge(edition(course(_course_items()), tmp_path / "again", MEDIA))
    assert {k: r.id for k, r in again.resources.items()} == {k: r.id for k, r in cartridge.resources.items()}


PAGE = ('<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="generator" content="resolution-pack">\n<title>{title}</title>\n</head>\n<body>\n{body}\n</body>\n'
        '</html>\n')


@pytest.mark.parametrize("path, title, body", [
    ("pages/c.part-1.intro.html", "Intro",
     '<p>Bonjour</p><p><img src="../web_resources/media/p.png" alt="P" class="img-fluid"></p>'),
    ("pages/c.part-1.book.1.html", "Ch1", "<p>Intro livre</p><p>B1</p>"),     # the book's intro opens its first chapter
    ("pages/c.part-1.book.ch2.html", "Ch2", "<p>B2</p>"),
    ("pages/toolbox.p1.sheet.html", "Projet",
     '<p>S</p> <h3>Description</h3> <p>D</p> <h3>Implementation</h3> <p>I</p> <p class="resolution-pdf">'
     '<a href="../web_resources/generated/p1.pdf">Download the PDF sheet</a></p>'),
])
def test_pages(cartridge, path, title, body):
    assert cartridge.docs[path] == PAGE.format(title=title, body=body)


def test_the_video_page_links_its_files_from_pages(cartridge):
    assert ('<video controls="true" title="Vidéo" poster="../web_resources/media/p.png" preload="metadata"> '
            '<source src="../web_resources/media/v.webm" type="video/webm"> <track kind="subtitles" srclang="fr" '
            'label="Français" src="../web_resources/generated/subtitles/c.part-1.v1.fr.vtt" default>'
            ) in cartridge.docs["pages/c.part-1.v1.html"]


def test_weblink_and_topic(cartridge):
    link_doc = etree.fromstring(cartridge.docs["links/c.part-1.url.xml"].encode())
    wl = "{http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1}"
    assert (link_doc.tag, link_doc.findtext(f"{wl}title"), link_doc.find(f"{wl}url").get("href")) == (
        f"{wl}webLink", "Lien", "https://example.org/?a=1&b=2")
    topic = etree.fromstring(cartridge.docs["topics/c.part-1.news.xml"].encode())
    dt = "{http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1}"
    assert (topic.tag, topic.findtext(f"{dt}title"), topic.findtext(f"{dt}text")) == (
        f"{dt}topic", "Annonces", "<p>Lisez <b>ceci</b>.</p>")
    assert topic.find(f"{dt}text").get("texttype") == "text/html"


def test_the_manifest_lists_what_the_cartridge_holds(cartridge):
    root = etree.fromstring(cartridge.manifest().encode())
    assert root.get("identifier") == "M_c.fr"
    assert root.findtext(f"{CP}metadata/{CP}schema") == "IMS Common Cartridge"
    assert root.findtext(f"{CP}metadata/{CP}schemaversion") == "1.1.0"
    lom = "{http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest}"
    general = root.find(f"{CP}metadata/{lom}lom/{lom}general")
    assert [general.findtext(f"{lom}identifier/{lom}catalog"), general.findtext(f"{lom}identifier/{lom}entry"),
            general.findtext(f"{lom}title/{lom}string"), general.find(f"{lom}title/{lom}string").get("language"),
            general.findtext(f"{lom}language"), general.find(f"{lom}description")] == [
        "resolution-pack", "c.fr", "Cours complet", "fr", "fr", None]
    resources = root.findall(f"{CP}resources/{CP}resource")
    ids = [r.get("identifier") for r in resources]
    assert ids == sorted(r.id for r in cartridge.resources.values())
    refs = [i.get("identifierref") for i in root.iter(f"{CP}item") if i.get("identifierref")]
    assert set(refs) <= set(ids) and len(refs) == 14
    act = resources[ids.index("R_c.part-1.act")]
    assert [f.get("href") for f in act.findall(f"{CP}file")] == ["assessments/c.part-1.act.xml"]
    assert [d.get("identifierref") for d in act.findall(f"{CP}dependency")] == [
        cartridge.resources["web_resources/media/q.png"].id]
    assert act.get("href") is None and act.get("type") == "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"


def test_the_manifest_describes_the_course_with_its_summary(tmp_path):
    model = course([section(items=[m.Label("c.part-1.l", text="x")])])
    model.summary = "Un <b>cours</b> &amp; plus"
    root = etree.fromstring(imscc.Cartridge(edition(model, tmp_path)).manifest().encode())
    lom = "{http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest}"
    assert root.findtext(f".//{lom}description/{lom}string") == "Un cours & plus"


def test_a_course_without_a_full_name_is_titled_by_its_title(tmp_path):
    model = course([section(items=[])], fullname="", title="Titre")
    root = etree.fromstring(imscc.Cartridge(edition(model, tmp_path)).manifest().encode())
    assert root.findtext(".//{http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest}string") == "Titre"


@pytest.mark.skipif(not XSD.is_file(), reason=f"the IMS CC 1.1 XSDs are not at {XSD.parent} (../shared)")
def test_the_manifest_and_every_xml_file_is_valid_cc_11(cartridge):
    schemas = {k: etree.XMLSchema(etree.parse(str(XSD.parent / name))) for k, name in (
        ("imsmanifest.xml", "cc11libxml2validator.xsd"), ("assessments/", "ccv1p1_qtiasiv1p2p1_v1p0.xsd"),
        ("links/", "ccv1p1_imswl_v1p1.xsd"), ("topics/", "ccv1p1_imsdt_v1p1.xsd"))}
    docs = {"imsmanifest.xml": cartridge.manifest(), **{k: v for k, v in cartridge.docs.items() if k.endswith(".xml")}}
    assert len(docs) == 5
    for name, text in docs.items():
        schema = next(s for k, s in schemas.items() if name.startswith(k))
        assert schema.validate(etree.fromstring(text.encode())), (name, [str(e) for e in schema.error_log][:3])


def _assessment(cartridge, key):
    return etree.fromstring(cartridge.docs[f"assessments/{key}.xml"].encode())


def _fields(el):
    return {f.findtext(f"{Q}fieldlabel"): f.findtext(f"{Q}fieldentry")
            for f in el.findall(f"{Q}qtimetadata/{Q}qtimetadatafield")}


def test_a_graded_test_states_its_pass_mark_and_a_formative_one_does_not(cartridge):
    graded = _assessment(cartridge, "c.part-1.eval").find(f"{Q}assessment")
    assert (graded.get("ident"), graded.get("title")) == ("A_c.part-1.eval", "Test")
    assert _fields(graded) == {"cc_profile": "cc.exam.v0p1", "qmd_assessmenttype": "Examination",
                               "qmd_scoretype": "Percentage", "qmd_feedbackpermitted": "Yes",
                               "qmd_hintspermitted": "No", "qmd_solutionspermitted": "No",
                               "cc_maxattempts": "unlimited", "x-resolution-pack-pass-percent": "80"}
    assert graded.findtext(f"{Q}rubric/{Q}material/{Q}mattext").split() == ["<p>Allez.</p>", "<p>Pass", "mark:",
                                                                             "80%</p>"]
    formative = _assessment(cartridge, "c.part-1.act").find(f"{Q}assessment")
    assert "x-resolution-pack-pass-percent" not in _fields(formative)
    assert formative.find(f"{Q}rubric") is None


def test_the_question_image_is_linked_from_the_assessment_folder(cartridge):
    item = _assessment(cartridge, "c.part-1.act").find(f".//{Q}item")
    assert item.get("ident") == QID
    assert '<img src="../web_resources/media/q.png" alt="" class="img-fluid">' in item.findtext(
        f"{Q}presentation/{Q}material/{Q}mattext")


def test_a_label_title_is_cut_at_255_characters(tmp_path):
    items = [m.Label("c.p.l1", text="a" * 255), m.Label("c.p.l2", text="b" * 256), m.Label("c.p.l3", text="")]
    c = imscc.Cartridge(edition(course([section(items=items)]), tmp_path))
    assert [n.title for n in c.organization[0].children] == ["a" * 255, "b" * 254 + "…", "l3"]


def test_a_project_overview_page(tmp_path):
    project = m.Project("p1", title="Projet", summary="Résumé")
    c = imscc.Cartridge(edition(course([section(items=[m.ProjectOverview("tutorial.p1.overview", project=project)])],
                                       ui={"project_overview": "Vue d'ensemble"}), tmp_path))
    (node,) = c.organization[0].children
    assert (node.id, node.title, node.ref) == ("I_tutorial.p1.overview", "Vue d'ensemble", "R_tutorial.p1.overview")
    assert "<title>Vue d&#39;ensemble</title>" in c.docs["pages/tutorial.p1.overview.html"]
    assert "<p>Résumé</p>" in c.docs["pages/tutorial.p1.overview.html"]


def test_a_project_sheet_without_its_pdf_links_none(tmp_path):
    project = m.Project("p1", title="Projet", summary="S")
    items = [m.ProjectSheet("toolbox.p1.sheet", project=project),
             m.Page("toolbox.p1.pdf", title="Not a resource"), m.Page("toolbox.p1.pdfx", title="P")]
    c = imscc.Cartridge(edition(course([section(items=items)]), tmp_path))
    assert "resolution-pdf" not in c.docs["pages/toolbox.p1.sheet.html"]
    assert c.resources["pages/toolbox.p1.sheet.html"].dependencies == []


def test_two_files_stored_under_one_name_are_refused(tmp_path):
    items = [m.Resource("c.p.r1", title="R", file=m.MediaRef("generated/x.pdf")),
             m.Resource("c.p.r2", title="S", file=m.MediaRef("generated/x.pdf", generated=True))]
    ed = edition(course([section(items=items)]), tmp_path, ["generated/x.pdf"])
    (tmp_path / "sources" / "generated").mkdir(parents=True)
    (tmp_path / "sources" / "generated" / "x.pdf").write_bytes(b"other")
    with pytest.raises(InputError) as caught:
        imscc.Cartridge(ed)
    assert caught.value.problems == [Problem("generated/x.pdf", 0, 0, "two different files would be stored as "
                                             "'web_resources/generated/x.pdf'", fix="rename one of them")]


def test_a_file_used_twice_is_one_resource(tmp_path):
    items = [m.Resource("c.p.r1", title="R", file=m.MediaRef("media/x.pdf")),
             m.Resource("c.p.r2", title="S", file=m.MediaRef("media/x.pdf"))]
    c = imscc.Cartridge(edition(course([section(items=items)]), tmp_path, ["media/x.pdf"]))
    assert list(c.resources) == ["web_resources/media/x.pdf"]
    assert c.organization[0].children[0].ref == c.organization[0].children[1].ref


@pytest.mark.parametrize("value, expected", [
    ("c.part-1", "c.part-1"), ("1x", "_1x"), ("-x", "_-x"), ("_x", "_x"), ("a b/é", "a_b__"), ("", "_")])
def test_ncname(value, expected):
    assert imscc.ncname(value) == expected


# Written out as IMS publishes them: CC 1.1's namespaces are the target namespaces of the XSDs
# Moodle ships (../shared/xsd/imscc-1.1), its resource types those of the CC 1.1 profile; CC 1.3's
# the same names with v1p3 (IMS CC 1.3 profile).
CC_11 = {
    "schemaversion": "1.1.0",
    "cp": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1",
    "cp_xsd": "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd",
    "lom_manifest": "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest",
    "lom_manifest_xsd": "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd",
    "lom_resource": "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource",
    "lom_resource_xsd": "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd",
    "wl": "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1",
    "wl_xsd": "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imswl_v1p1.xsd",
    "dt": "http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1",
    "dt_xsd": "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imsdt_v1p1.xsd",
    "qti_xsd": "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd",
    "weblink": "imswl_xmlv1p1", "topic": "imsdt_xmlv1p1",
    "assessment": "imsqti_xmlv1p2/imscc_xmlv1p1/assessment",
}
CC_13 = {
    "schemaversion": "1.3.0",
    "cp": "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1",
    "cp_xsd": "http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd",
    "lom_manifest": "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest",
    "lom_manifest_xsd": "http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd",
    "lom_resource": "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/resource",
    "lom_resource_xsd": "http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lomresource_v1p0.xsd",
    "wl": "http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3",
    "wl_xsd": "http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imswl_v1p3.xsd",
    "dt": "http://www.imsglobal.org/xsd/imsccv1p3/imsdt_v1p3",
    "dt_xsd": "http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imsdt_v1p3.xsd",
    "qti_xsd": "http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_qtiasiv1p2p1_v1p0.xsd",
    "weblink": "imswl_xmlv1p3", "topic": "imsdt_xmlv1p3",
    "assessment": "imsqti_xmlv1p2/imscc_xmlv1p3/assessment",
}


def test_cc_11_and_13_namespaces_schemas_and_types():
    # CC 1.1 and 1.3 (IMS CC profiles, their XSDs' target namespaces and resource types) differ by the digit only
    assert imscc._version("1") == CC_11
    assert imscc._version("3") == CC_13
    assert imscc.VERSIONS == {"1.1": CC_11, "1.3": CC_13}
    assert imscc._version("1")["cp"] == "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
    assert imscc._version("3")["assessment"] == "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"


@pytest.mark.parametrize("option, version", [(None, "1.1"), ("", "1.1"), ("1.1", "1.1"), ("1.3", "1.3")])
def test_version_of(tmp_path, option, version):
    assert imscc.version_of(edition(course(), tmp_path, options={"cc_version": option})) == version


def test_an_unknown_version_is_refused(tmp_path):
    with pytest.raises(InputError) as caught:
        imscc.version_of(edition(course(), tmp_path, options={"cc_version": "1.2"}))
    assert caught.value.problems == [Problem("--cc", 0, 0, "unknown Common Cartridge version '1.2'",
                                             fix="use one of 1.1, 1.3")]


def test_render_writes_one_cartridge_and_notes_what_it_left_out(tmp_path):
    qs = [m.Question("c.p.e.q1", "shortanswer", text="?", answers=[m.ShortAnswer(50, text="x")])] + [
        m.Question(f"c.p.e.q{n}", "ordering", text="?", items=[m.OrderItem(text=str(i)) for i in range(n)])
        for n in (10, 11)]
    items = [m.Evaluation("c.p.e", title="T", questions=qs), m.Item("c.p.x")]
    ed = edition(course([section(items=items)], cid="c"), tmp_path, options={"cc_version": "1.3"})
    out = tmp_path / "out"
    out.mkdir()
    assert imscc.outputs(ed) == ["C-FR.imscc"]
    assert imscc.render(ed, out) == [out / "C-FR.imscc"]
    assert ed.notes == [
        "C-FR.imscc: c.p.e.q1: answer 'x' at 50 % (the profile scores 0 or 100 %) left out",
        "C-FR.imscc: relative weights of split questions (their parts count 1 each: 99 is the largest weight the "
        "profile's importers take) left out",
        "C-FR.imscc: c.p.x: a Item (no Common Cartridge resource for it) left out"]
    with zipfile.ZipFile(out / "C-FR.imscc") as zf:
        assert zf.namelist() == ["imsmanifest.xml", "assessments/c.p.e.xml"]
        root = etree.fromstring(zf.read("imsmanifest.xml"))
    assert root.tag == "{http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1}manifest"


# ---- the QTI XML, read the way Moodle's importer reads it ------------------------------

def _qti_items(tmp_path, questions):
    items = [m.Evaluation("c.p.e", title="T", pass_percent=50, questions=questions)]
    c = imscc.Cartridge(edition(course([section(items=items)]), tmp_path))
    return {i.get("ident"): i for i in _assessment(c, "c.p.e").iter(f"{Q}item")}


def _conditions(item):
    """Each respcondition: (continue, title, [varequal texts, negated ones as '!x'], score, [feedback ids])."""
    found = []
    for cond in item.findall(f"{Q}resprocessing/{Q}respcondition"):
        values = [("!" if v.getparent().tag == f"{Q}not" else "") + (v.text or "") for v in cond.iter(f"{Q}varequal")]
        if cond.find(f"{Q}conditionvar/{Q}other") is not None:
            values = ["*"]
        found.append((cond.get("continue"), cond.get("title"), values, cond.findtext(f"{Q}setvar"),
                      [d.get("linkrefid") for d in cond.findall(f"{Q}displayfeedback")]))
    return found


def _feedback(item):
    return {f.get("ident"): f.findtext(f"{Q}flow_mat/{Q}material/{Q}mattext") for f in item.findall(f"{Q}itemfeedback")}


def _meta(item):
    return _fields(item.find(f"{Q}itemmetadata"))


def test_qti_multiple_choice(tmp_path):
    q = question("c.p.e.q1", choices=choices(("A & B", False, "Non."), ("B", True, "Oui.")), shuffle=False,
                 general_feedback="Voir.", correct_feedback="Bravo.", incorrect_feedback="Dommage.", name="Q")
    item = _qti_items(tmp_path, [q])["c.p.e.q1"]
    assert (item.get("title"), _meta(item)) == ("Q", {"cc_profile": MC})
    lid = item.find(f"{Q}presentation/{Q}response_lid")
    assert (lid.get("ident"), lid.get("rcardinality"), lid.find(f"{Q}render_choice").get("shuffle")) == (
        "response1", "Single", "No")
    assert [(lab.get("ident"), lab.findtext(f"{Q}material/{Q}mattext")) for lab in lid.iter(f"{Q}response_label")] == [
        ("a", "A &amp; B"), ("b", "B")]
    assert item.findtext(f"{Q}presentation/{Q}material/{Q}mattext") == "<p>Question ?</p>"
    assert _conditions(item) == [
        ("Yes", "General feedback", ["*"], None, ["general_fb"]),
        ("No", None, ["a"], "0", ["a_fb", "incorrect_fb"]),
        ("No", "Correct", ["b"], "100", ["b_fb", "correct_fb"]),
    ]
    assert _feedback(item) == {"a_fb": "<p>Non.</p>", "b_fb": "<p>Oui.</p>", "general_fb": "<p>Voir.</p>",
                               "correct_fb": "<p>Bravo.</p>", "incorrect_fb": "<p>Dommage.</p>"}
    decvar = item.find(f"{Q}resprocessing/{Q}outcomes/{Q}decvar")
    assert (decvar.get("varname"), decvar.get("minvalue"), decvar.get("maxvalue")) == ("SCORE", "0", "100")


def test_qti_true_false(tmp_path):
    q = question("c.p.e.q1", "truefalse", answer=False, feedback_false="Exact.")
    item = _qti_items(tmp_path, [q])["c.p.e.q1"]
    assert _meta(item) == {"cc_profile": TF}
    assert item.find(f".//{Q}render_choice").get("shuffle") == "No"
    assert _conditions(item) == [("No", None, ["true"], "0", []), ("No", "Correct", ["false"], "100", ["false_fb"])]


def test_qti_multiple_response_scores_the_exact_set(tmp_path):
    q = question("c.p.e.q1", "multiple", choices=choices(("A", True), ("B", False, "Non."), ("C", True)),
                 correct_feedback="Bravo.")
    item = _qti_items(tmp_path, [q])["c.p.e.q1"]
    assert _meta(item) == {"cc_profile": MR}
    lid = item.find(f"{Q}presentation/{Q}response_lid")
    assert (lid.get("rcardinality"), lid.find(f"{Q}render_choice").get("shuffle")) == ("Multiple", "Yes")
    assert _conditions(item) == [
        ("Yes", None, ["b"], None, ["b_fb"]),
        ("No", "Correct", ["a", "!b", "c"], "100", ["correct_fb"]),
        ("No", "Incorrect", ["*"], "0", []),
    ]
    # Moodle's importer: the right answers are the case="Yes" varequals, not under <not>, of the condition
    # whose setvar[@varname='SCORE'] is 100 (each then scores 1/n)
    right = item.xpath("//q:setvar[@varname='SCORE'][.=100]/../q:conditionvar//q:varequal[@case='Yes']"
                       "[not(parent::q:not)]", namespaces={"q": Q[1:-1]})
    assert [v.text for v in right] == ["a", "c"]
    assert {s.get("action") for s in item.iter(f"{Q}setvar")} == {"Set"}


def test_qti_fill_in_the_blank(tmp_path):
    answers = [m.ShortAnswer(100, text="Paris"), m.ShortAnswer(100, text="Lutèce <x>"),
               m.ShortAnswer(0, text="Lyon", feedback="Non.")]
    q = question("c.p.e.q1", "shortanswer", answers=answers, incorrect_feedback="Dommage.")
    item = _qti_items(tmp_path, [q])["c.p.e.q1"]
    assert _meta(item) == {"cc_profile": FIB}
    resp = item.find(f"{Q}presentation/{Q}response_str")
    assert (resp.get("ident"), resp.get("rcardinality"), resp.find(f"{Q}render_fib").get("fibtype")) == (
        "response1", "Single", "String")
    assert _conditions(item) == [
        ("No", "Correct", ["Paris", "Lutèce <x>"], "100", []),
        ("No", None, ["Lyon"], "0", ["wrong1_fb"]),
        ("No", "Incorrect", ["*"], "0", ["incorrect_fb"]),
    ]
    assert {v.get("case") for v in item.iter(f"{Q}varequal")} == {"No"}
    cs = _qti_items(tmp_path / "cs", [question("c.p.e.q1", "shortanswer", case_sensitive=True,
                                               answers=[m.ShortAnswer(100, text="Paris")])])["c.p.e.q1"]
    assert {v.get("case") for v in cs.iter(f"{Q}varequal")} == {"Yes"}


def test_qti_split_questions_carry_their_weight(tmp_path):
    qs = [question("c.p.e.q1", "truefalse", answer=True),
          question("c.p.e.q2", "match", pairs=[m.Pair(question="1", answer="x"), m.Pair(question="2", answer="y")])]
    items = _qti_items(tmp_path, qs)
    assert {k: _meta(i) for k, i in items.items()} == {
        "c.p.e.q1": {"cc_profile": TF, "cc_weighting": "2"},
        "c.p.e.q2:1": {"cc_profile": MC}, "c.p.e.q2:2": {"cc_profile": MC}}


def test_pages_of_a_photo_story_a_recipe_and_a_video_are_titled_and_filled(tmp_path):
    items = [m.PhotoStory("c.p.story", title="Histoire  <1>", panels=[m.Panel(m.MediaRef("media/s 1.jpg"), scene="Rue",
                                                                          lines=[m.Line(speaker="Ana", text="Oh")])]),
             m.Recipe("c.p.rec", title="Recette", ingredients=[m.Ingredient(text="Sel")]),
             m.Video("c.p.v", title="Film", url="https://example.org/v")]
    c = imscc.Cartridge(edition(course([section(items=items)], ui={"speaker_says": "{speaker} dit :"}), tmp_path,
                                ["media/s 1.jpg"]))
    assert [(n.id, n.title, n.ref) for n in c.organization[0].children] == [
        ("I_c.p.story", "Histoire <1>", "R_c.p.story"), ("I_c.p.rec", "Recette", "R_c.p.rec"), ("I_c.p.v", "Film", "R_c.p.v")]
    story = c.docs["pages/c.p.story.html"]
    assert story.startswith(PAGE.split("{title}")[0] + "Histoire &lt;1&gt;</title>")
    # a file path is a URL relative to pages/: its space escaped, its folders kept
    assert '<img src="../web_resources/media/s%201.jpg" alt="Rue" class="img-fluid">' in story
    assert "<strong>Ana dit :</strong> Oh" in story
    assert c.resources["pages/c.p.story.html"].dependencies == [c.resources["web_resources/media/s 1.jpg"].id]
    assert c.docs["pages/c.p.rec.html"] == PAGE.format(title="Recette", body=(
        '<h3>Ingredients</h3> <ul class="resolution-ingredients"> <li>Sel</li> </ul> <h3>Method</h3> '
        '<ol class="resolution-steps"> </ol>'))
    assert "<title>Film</title>" in c.docs["pages/c.p.v.html"]
    assert '<source src="https://example.org/v">' in c.docs["pages/c.p.v.html"]


def test_a_project_in_a_subsection_links_its_diagram_and_its_pdf(tmp_path):
    project = m.Project("p1", title="Projet", summary="S", country="HU", mindmap=m.Node(label="Centre"))
    block = m.Subsection("toolbox.p1", project=project, items=[
        m.ProjectOverview("toolbox.p1.overview", project=project), m.ProjectSheet("toolbox.p1.sheet", project=project),
        m.ProjectPdf("toolbox.p1.pdf", title="Projet", file=m.MediaRef("generated/p1.pdf", generated=True),
                     project=project)])
    model = course([section("toolbox", [block])], lang="hu", ui={"country_hu": "Magyarország"})
    c = imscc.Cartridge(edition(model, tmp_path, ["generated/p1.pdf", "generated/diagrams/p1-mindmap.hu.svg"]))
    (node,) = c.organization[0].children
    assert (node.id, node.title, [ch.id for ch in node.children]) == (
        "I_toolbox.p1", "Projet", ["I_toolbox.p1.overview", "I_toolbox.p1.sheet", "I_toolbox.p1.pdf"])
    assert '<img src="../web_resources/generated/diagrams/p1-mindmap.hu.svg"' in c.docs["pages/toolbox.p1.overview.html"]
    sheet = c.docs["pages/toolbox.p1.sheet.html"]
    assert '<dd>Magyarország</dd>' in sheet
    assert '<a href="../web_resources/generated/p1.pdf">Download the PDF sheet</a>' in sheet
    assert '<html lang="hu">' in sheet


def test_the_source_model_is_written_in_its_source_language(tmp_path):
    model = course([section(items=[m.Page("c.p.x", title="P")])], lang="")
    c = imscc.Cartridge(edition(model, tmp_path))
    assert c.lang == "fr"
    assert '<html lang="fr">' in c.docs["pages/c.p.x.html"]


def test_the_archive_holds_the_manifest_the_documents_and_the_files(cartridge):
    out = cartridge.archive()
    names = [e.name for e in out.ordered(("imsmanifest.xml",))]
    assert names == ["imsmanifest.xml"] + sorted(list(cartridge.docs) + [f"web_resources/{p}" for p in MEDIA])
    assert out.entries["web_resources/media/p.png"].path == cartridge.files["web_resources/media/p.png"].path
    assert out.entries["imsmanifest.xml"].content() == cartridge.manifest().encode()
    assert out.entries["pages/c.part-1.intro.html"].content() == cartridge.docs["pages/c.part-1.intro.html"].encode()


def test_ncname_keeps_capitals():
    assert imscc.ncname("Part-A.B") == "Part-A.B"
    assert imscc.ncname("Z") == "Z"


# ---- what a real Moodle's converter makes of it (backup/converter/imscc11) ---------------

import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402

MOODLE_ROOT = os.environ.get("RESOLUTION_PACK_MOODLE_ROOT")
CONVERT = r"""
define('CLI_SCRIPT', true);
require '%(root)s/config.php';
require_once($CFG->dirroot . '/backup/util/includes/restore_includes.php');
require_once($CFG->dirroot . '/backup/util/helper/convert_helper.class.php');
chdir($CFG->dirroot . '/backup');   // the converter loads its templates by relative paths
$name = 'rp-units-' . getmypid();
$dir = make_backup_temp_directory($name);
get_file_packer('application/zip')->extract_to_pathname('%(cartridge)s', $dir);
convert_helper::to_moodle2_format($name, 'imscc11');
echo "\n" . $dir . "\n";
"""


@pytest.mark.skipif(not MOODLE_ROOT, reason="set RESOLUTION_PACK_MOODLE_ROOT to the folder of a real Moodle 4.5 or 5.1 "
                                            "(with config.php) to convert a cartridge with Moodle's own importer")
def test_moodles_converter_reads_each_answers_score_and_feedback(tmp_path):
    qs = [question("c.p.e.q1", "multiple", text="Lesquels ?", name="MR", general_feedback="Général 1.",
                   choices=choices(("A", True, "A est juste."), ("B", False, "B est faux."), ("C", True))),
          question("c.p.e.q2", "single", text="Lequel ?", name="MC", general_feedback="Général 2.",
                   choices=choices(("A &amp; B", True, "Oui A."), ("B", False, "Non B."))),
          question("c.p.e.q3", "truefalse", text="Vrai ?", name="TF", answer=False, feedback_false="Exact."),
          question("c.p.e.q4", "shortanswer", text="Capitale ?", name="FIB",
                   answers=[m.ShortAnswer(100, text="Paris"), m.ShortAnswer(0, text="Lyon", feedback="Non Lyon.")]),
          question("c.p.e.q5", "match", text="Associez.", name="M", shuffle=False,
                   pairs=[m.Pair(question="1", answer="un"), m.Pair(question="2", answer="deux")])]
    ed = edition(course([section(items=[m.Evaluation("c.p.e", title="Test", questions=qs)])]), tmp_path)
    cartridge = imscc.Cartridge(ed).archive().write_zip(tmp_path / "t.imscc", first=("imsmanifest.xml",))
    php = os.environ.get("RESOLUTION_PACK_PHP", "php")
    done = subprocess.run([php, "-r", CONVERT % {"root": MOODLE_ROOT, "cartridge": cartridge}], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.strip(), (done.stdout[-2000:], done.stderr[-2000:])
    converted = Path(done.stdout.strip().splitlines()[-1])
    try:
        questions = etree.parse(str(converted / "questions.xml")).getroot()
    finally:
        shutil.rmtree(converted, ignore_errors=True)

    def text(el, tag):
        return (el.findtext(tag) or "").strip()        # HTML, as Moodle stores it

    found = {q.findtext("name"): (q.findtext("qtype"), q.findtext("defaultmark"),
                                  [(text(a, "answertext"), float(a.findtext("fraction")), text(a, "feedback"))
                                   for a in q.iter("answer")]) for q in questions.iter("question")}
    assert found == {
        "MR": ("multichoice", "2", [("A", 0.5, "<p>A est juste.</p>"), ("B", 0.0, "<p>B est faux.</p>"), ("C", 0.5, "")]),
        # the HTML "A &amp; B" is stored as "A & B": the converter decodes a text's entities once
        "MC": ("multichoice", "2", [("A & B", 1.0, "<p>Oui A.</p>"), ("B", 0.0, "<p>Non B.</p>")]),
        "TF": ("truefalse", "2", [("True", 0.0, ""), ("False", 1.0, "<p>Exact.</p>")]),
        "FIB": ("shortanswer", "2", [("Paris", 1.0, ""), ("Lyon", 0.0, "<p>Non Lyon.</p>")]),
        "M (1/2)": ("multichoice", "1", [("un", 1.0, ""), ("deux", 0.0, "")]),
        "M (2/2)": ("multichoice", "1", [("un", 0.0, ""), ("deux", 1.0, "")]),
    }
    general = {q.findtext("name"): text(q, "generalfeedback") for q in questions.iter("question")}
    assert general["MC"] == "<p>Général 2.</p>"
    # a multiple response question's choice feedback also lands in its general feedback (docs/ims-and-moodle-xml.md)
    assert general["MR"].startswith("<p>Général 1.</p>")

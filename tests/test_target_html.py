"""The HTML fragments every target shows (targets/html.py), on small models:
each row one item and exactly the HTML a learner's page gets, escaped."""
from __future__ import annotations

import pytest

from resolution_pack import model as m
from resolution_pack.targets import html, templating
from unit_models import course


def _link(used=None):
    def link(ref: m.MediaRef) -> str:
        if used is not None:
            used.append(ref.path)
        return "u/" + ref.path
    return link


def test_render_puts_one_block_per_line():
    assert html.render("heading", text="A & <b>") == "<h4>A &amp; &lt;b&gt;</h4>"
    assert html.render("question", presentation="plain", image=None, text="x\n\n  y  \n") == "x y"


def test_page_parts():
    img = m.Image(m.MediaRef("media/p.png"), alt='Alt "x" <y>')
    parts = [m.Part(heading="Titre  A", body="Un.\n\nDeux <b>gras</b>.", image=img,
                    bullets=[m.Bullet(text="b1"), m.Bullet(text="b <2>")]), m.Part(body="Seul")]
    used = []
    assert html.page_parts(m.Page("c.p.x", parts=parts), _link(used)) == (
        '<h3>Titre A</h3> <p>Un.</p><p>Deux <b>gras</b>.</p> <ul> <li>b1</li> <li>b &lt;2&gt;</li> </ul> '
        '<p><img src="u/media/p.png" alt="Alt &#34;x&#34; &lt;y&gt;" class="img-fluid"></p> <p>Seul</p>')
    assert used == ["media/p.png"]
    assert html.page_parts(m.Page("c.p.x", parts=[]), _link()) == ""


def test_photo_story():
    panels = [m.Panel(m.MediaRef("media/s.jpg"), scene="Une rue", caption="Le <em>matin</em>",
                      lines=[m.Line(speaker="Ana", text="Bonjour <toi> !"), m.Line(speaker="Léo", text="Salut.")]),
              m.Panel(scene="Nuit & jour")]
    story = m.PhotoStory("c.p.s", title="S", intro="Il était.", panels=panels)
    assert html.photo_story(story, _link(), course(ui={"speaker_says": "{speaker} :"}).text) == (
        '<p>Il était.</p> <ol class="resolution-photo-story list-unstyled"> <li class="resolution-panel mb-4"> '
        '<figure class="mb-2"> <img src="u/media/s.jpg" alt="Une rue" class="img-fluid"> '
        '<figcaption class="mt-2">Le <em>matin</em></figcaption> </figure> '
        '<p class="resolution-line mb-1"><strong>Ana :</strong> Bonjour &lt;toi&gt; !</p> '
        '<p class="resolution-line mb-1"><strong>Léo :</strong> Salut.</p> </li> '
        '<li class="resolution-panel mb-4"> <figure class="mb-2"> <div class="resolution-scene border rounded p-3 '
        'bg-light"><p class="mb-0"><em>Nuit &amp; jour</em></p></div> </figure> </li> </ol>')


def test_recipe():
    r = m.Recipe("c.p.r", ingredients=[m.Ingredient(text="Sel & poivre")], steps=[m.Instruction(text="Mêler <b>tout</b>")])
    assert html.recipe(r, course().text) == (
        '<h3>Ingredients</h3> <ul class="resolution-ingredients"> <li>Sel &amp; poivre</li> </ul> <h3>Method</h3> '
        '<ol class="resolution-steps"> <li>Mêler <b>tout</b></li> </ol>')
    r = m.Recipe("c.p.r", intro="Facile.", ingredients=[], steps=[], tips=[m.Tip(text="Goûter <i>avant</i>.")])
    assert html.recipe(r, course(ui={"ingredients": "Ingrédients", "steps": "Étapes", "tips": "Astuces"}).text) == (
        '<p>Facile.</p> <h3>Ingrédients</h3> <ul class="resolution-ingredients"> </ul> <h3>Étapes</h3> '
        '<ol class="resolution-steps"> </ol> <h3>Astuces</h3> <ul class="resolution-tips"> '
        '<li>Goûter <i>avant</i>.</li> </ul>')


def test_image():
    assert html.image(None, _link()) is None
    assert html.image(m.Image(m.MediaRef("a.png"), alt="  deux  mots "), _link()) == {"src": "u/a.png",
                                                                                      "alt": "deux mots"}


def _video(**fields):
    return m.Video("c.p.v1", title="Ma <vidéo>", **fields)


def test_a_video_file_with_poster_subtitles_and_transcript():
    model = course(ui={"transcript": "Transcription"})
    v = _video(file=m.MediaRef("media/v.mp4"), poster=m.MediaRef("media/p.jpg"), description="Voir.",
               subtitles=[m.Cue("0", "1", text="Un <b>"), m.Cue("1", "2", text="Deux")])
    used = []
    assert html.video(model, v, _link(used), model.text) == (
        '<p>Voir.</p> <div class="resolution-video"> <video controls="true" title="Ma &lt;vidéo&gt;" '
        'poster="u/media/p.jpg" preload="metadata"> <source src="u/media/v.mp4" type="video/mp4"> '
        '<track kind="subtitles" srclang="fr" label="Français" src="u/generated/subtitles/c.p.v1.fr.vtt" default> '
        'Your browser cannot play this video: download it instead. <a href="u/media/v.mp4">Download the video</a> '
        '</video> </div> <details class="resolution-transcript"> <summary>Transcription</summary> '
        '<p>Un &lt;b&gt;</p> <p>Deux</p> </details>')
    assert used == ["media/v.mp4", "media/p.jpg", "generated/subtitles/c.p.v1.fr.vtt"]


def test_a_video_url_without_subtitles_nor_transcript_label():
    model = course(ui={"video_fallback": "Pas de lecteur.", "download_video": "Télécharger"})
    v = _video(url="https://example.org/v.webm?a=1&b=2", subtitles=[m.Cue("0", "1", text="x")])
    model.lang = "xx"        # a language the table does not name: the interface's label
    assert html.video(model, v, _link(), model.text) == (
        '<div class="resolution-video"> <video controls="true" title="Ma &lt;vidéo&gt;" preload="metadata"> '
        '<source src="https://example.org/v.webm?a=1&amp;b=2"> <track kind="subtitles" srclang="xx" '
        'label="Subtitles" src="u/generated/subtitles/c.p.v1.xx.vtt" default> Pas de lecteur. '
        '<a href="https://example.org/v.webm?a=1&amp;b=2">Télécharger</a> </video> </div>')
    model.lang = ""          # the source model: its source language
    assert 'srclang="fr" label="Français"' in html.video(model, v, _link(), model.text)
    assert "<track" not in html.video(model, _video(url="https://example.org/v"), _link(), model.text)


def _project(**fields):
    return m.Project("p1", title="Le projet & co", summary="Résumé.", description="Desc.", implementation="Mise.",
                     **fields)


def test_a_project_overview_with_diagrams_and_testimonials():
    p = _project(mindmap=m.Node(label="Centre", children=[m.Node(label="A & B")]),
                 testimonials=[m.Testimonial(name="Ana", role="Cheffe", beneficiary=True, quote="Super."),
                               m.Testimonial(name="Léo", role="", quote="Bien.")])
    used = []
    model = course(lang="hu")
    assert html.project_overview(model, p, _link(used), model.text) == (
        '<p>Résumé.</p> <h3>Mind map</h3> <p><img src="u/generated/diagrams/p1-mindmap.hu.svg" '
        'alt="Mind map — Le projet &amp; co" class="img-fluid"></p> <ul> <li>Centre<ul> <li>A &amp; B</li> </ul> </li> </ul> '
        '<h3>Testimonials</h3> <blockquote class="resolution-testimonial"> <p>Super.</p> <p>— Ana, Cheffe '
        '<span class="badge bg-primary text-white">Beneficiary</span></p> </blockquote> '
        '<blockquote class="resolution-testimonial"> <p>Bien.</p> <p>— Léo</p> </blockquote>')
    assert used == ["generated/diagrams/p1-mindmap.hu.svg"]


def test_a_project_overview_draws_each_diagram_it_has():
    p = _project(timeline=[m.Step(date="2019", label="Début")], actors=[m.Actor(id="a", name="Ana")])
    used = []
    model = course()
    text = html.project_overview(model, p, _link(used), model.text)
    assert used == ["generated/diagrams/p1-timeline.fr.svg", "generated/diagrams/p1-orgchart.fr.svg"]
    assert "<li>2019 — Début</li>" in text and "<h3>Testimonials</h3>" not in text
    assert html.project_overview(model, _project(), _link(), model.text) == "<p>Résumé.</p>"


@pytest.mark.parametrize("fields, diagrams", [
    ({}, []), ({"mindmap": m.Node(label="x")}, ["mindmap"]), ({"timeline": [m.Step(label="x")]}, ["timeline"]),
    ({"actors": [m.Actor(id="a", name="A")]}, ["orgchart"]), ({"relations": [m.Relation("a", "b")]}, []),
])
def test_has_diagram(fields, diagrams):
    p = _project(**fields)
    assert [k for k in ("mindmap", "timeline", "orgchart") if html.has_diagram(p, k)] == diagrams


def test_a_project_sheet_with_every_fact():
    p = _project(organisation="ONG <x>", country="HU", city="Pécs", audience="Tous", reconstructed=True,
                 key_figures=[m.KeyFigure(label="Élèves", value="120")],
                 contacts=[m.Contact(label="Site", url="https://example.org/?a&b"), m.Contact(label="Tél. 1")])
    model = course(ui={"country_hu": "Hongrie", "reconstructed_notice": "Reconstitué."})
    assert html.project_sheet(model, p, "u/p1.pdf", model.text) == (
        '<p class="resolution-notice"><em>Reconstitué.</em></p> <p>Résumé.</p> <dl class="resolution-facts"> '
        '<dt>Lead organisation</dt> <dd>ONG &lt;x&gt;</dd> <dt>Country</dt> <dd>Hongrie</dd> <dt>City</dt> '
        '<dd>Pécs</dd> <dt>Target audience</dt> <dd>Tous</dd> </dl> <h3>Description</h3> <p>Desc.</p> '
        '<h3>Implementation</h3> <p>Mise.</p> <h3>Key figures</h3> <dl class="resolution-figures"> <dt>Élèves</dt> '
        '<dd>120</dd> </dl> <h3>Contacts</h3> <ul> <li><a href="https://example.org/?a&amp;b">Site</a></li> '
        '<li>Tél. 1</li> </ul> <p class="resolution-pdf"><a href="u/p1.pdf">Download the PDF sheet</a></p>')


def test_a_project_sheet_with_few_facts():
    model = course()
    p = _project(country="FR", reconstructed=True)     # no country name, no notice text in this edition
    assert html.project_sheet(model, p, None, model.text) == (
        '<p>Résumé.</p> <dl class="resolution-facts"> <dt>Country</dt> <dd>FR</dd> </dl> <h3>Description</h3> '
        '<p>Desc.</p> <h3>Implementation</h3> <p>Mise.</p>')


def test_a_chapter_and_its_links():
    ch = m.Chapter(body="Texte.", links=[m.Link(title="Un & deux", url="https://a.org/?x&y", description="<i>Bien</i>"),
                                         m.Link(title="Sans", url="https://b.org")])
    assert html.chapter(ch) == (
        '<p>Texte.</p> <ul> <li><a href="https://a.org/?x&amp;y">Un &amp; deux</a> – <i>Bien</i></li> '
        '<li><a href="https://b.org">Sans</a></li> </ul>')
    assert html.chapter(m.Chapter(body="Seul.")) == "<p>Seul.</p>"


@pytest.mark.parametrize("presentation, image, expected", [
    ("plain", None, "<p>Quoi ?</p>"),
    (None, None, "<p>Quoi ?</p>"),
    ("photo-story", m.Image(m.MediaRef("q.png"), alt="Q"),
     '<div class="resolution-photo-story"> <p><img src="u/q.png" alt="Q" class="img-fluid"></p> <p>Quoi ?</p> </div>'),
    ("plain", m.Image(m.MediaRef("q.png")), '<p><img src="u/q.png" alt="" class="img-fluid"></p> <p>Quoi ?</p>'),
])
def test_question_text(presentation, image, expected):
    q = m.Question("c.p.a.q1", "single", presentation=presentation, image=image, text="Quoi ?")
    assert html.question_text(q, _link()) == expected


# ---- the templates' environment -----------------------------------------------------------

def test_the_environment_escapes_refuses_undefined_and_none():
    env = templating.environment("html")
    assert env is templating.environment("html")          # one per folder and process
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ nothing }}").render()
    with pytest.raises(ValueError) as caught:
        env.from_string("{{ x }}").render(x=None)
    assert str(caught.value) == "None reached a template; give it a value"
    assert env.from_string("{% if x %}\n  a\n{% endif %}\n").render(x=1) == "  a\n"
    assert (env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline, env.auto_reload) == (True, True, True, False)
    assert env.from_string("x\n").render() == "x\n"


def test_the_environment_takes_filters_and_another_finalize():
    env = templating.environment("html", finalize=lambda v: "" if v is None else v, shout=str.upper)
    assert env.from_string("{{ x }}{{ 'a' | shout }}").render(x=None) == "A"
    assert env.get_template("heading.html.j2").render(text="t") == "<h4>t</h4>\n"
    assert templating.refuse_none(0) == 0 and templating.refuse_none("") == ""


@pytest.mark.parametrize("lang, line", [("fr", "<li>2019 — Début\u00a0: lancé</li>"), ("hu", "<li>2019 — Début: lancé</li>")])
def test_a_timeline_outline_in_the_editions_typography(lang, line):
    model = course(lang=lang)
    p = _project(timeline=[m.Step(date="2019", label="Début", text="lancé"),
                           m.Step(date="2020", indicative=True, label="Fin")])
    text = html.project_overview(model, p, _link(), model.text)
    assert line in text
    assert "<li>\u2248\u00a02020 — Fin</li>" in text      # an estimated date never breaks from its mark


def test_a_project_not_reconstructed_has_no_notice():
    model = course(ui={"reconstructed_notice": "Reconstitué."})
    assert "Reconstitué" not in html.project_sheet(model, _project(reconstructed=False), None, model.text)
    assert "<em>Reconstitué.</em>" in html.project_sheet(model, _project(reconstructed=True), None, model.text)

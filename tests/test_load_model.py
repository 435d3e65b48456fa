"""What the loader builds from the mini course: the model's values, exactly
(sources positions aside), and the optional keys a question may carry."""
import dataclasses
import shutil

import pytest

from conftest import MINI
from resolution_pack import model as m
from resolution_pack.load import load

M = m.MediaRef


def bare(obj):
    """The object without its source positions (compared elsewhere)."""
    if isinstance(obj, list):
        return [bare(x) for x in obj]
    if isinstance(obj, dict):
        return {k: bare(v) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {f.name: bare(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
        if "src" in changes:
            changes["src"] = m.Src()
        return dataclasses.replace(obj, **changes)
    return obj


@pytest.fixture
def course():
    """Loaded for each test, not once at import or per module: a mutation
    tester applies a mutant only while tests run, and runs only the tests
    it saw call the mutated function (mutmut)."""
    return load(MINI)


def item(course, full_id):
    return next(i for _s, i in course.items() if i.id == full_id)


def test_the_course_and_its_editions(course):
    c = course
    assert (c.id, c.source_language, c.languages, c.startdate, c.title, c.ctx) == \
        ("mini", "fr", ["fr", "en"], "2022-01-01", "Mini-cours", "course")
    assert c.editions == {"fr": m.Edition("fr", "MINI-FR", "Mini-cours"), "en": m.Edition("en", "MINI-EN", "Mini course")}
    assert c.expected["total"] == {"projects": 2, "subtitle_files": 6, "exercises": 16, "formative_activities": 6}
    assert [(s.id, s.role, s.title, s.ctx) for s in c.sections] == [
        ("home", "home", "Accueil", "home"), ("part-1", "mooc-part", "Partie 1 : les publics", "part-1"),
        ("tutorials", "tutorials", "Tutoriels", "tutorials"), ("toolbox", "toolbox", "Boîte à outils", "toolbox")]
    assert c.sections[0].summary == "Bienvenue & bonne <em>visite</em>."
    assert bare(c.ui["check"]) == m.UiString("check", "button label, max 20 characters", "ui.check", text="Vérifier")
    assert bare(c.ui["mindmap"]) == m.UiString("mindmap", "", "ui.mindmap", text="Carte mentale")
    assert c.ui["check"].src.lines == (("text", 9),)


def test_the_home_section(course):
    home = course.sections[0]
    photo = m.Image(M("media/placeholder-photo.png"), ctx="home.welcome", alt="Une photo & un texte")
    assert bare(home.items) == [
        m.Page("home.welcome", ctx="home.welcome", title="Bienvenue", intro="Mode d'emploi.", parts=[m.Part(
            image=photo, ctx="home.welcome", heading="Comment ça marche",
            body="Vous avancez à votre rythme ; aucun formateur n'intervient.\n\nChoisissez votre langue : "
                 '<a href="https://example.org/">aide</a>.',
            bullets=[m.Bullet(ctx="home.welcome", text="Premier point"),
                     m.Bullet(ctx="home.welcome", text="Deuxième point")])]),
        m.Forum("home.announcements", ctx="home.announcements", type="news", title="Annonces"),
        m.Label("home.notice", ctx="home.notice", text="Texte avec ]]> et < et & dedans."),
        m.Url("home.site", ctx="home.site", url="https://example.org/resolution?a=1&b=2", title="Site du projet"),
        m.Resource("home.guide", ctx="home.guide", file=M("media/guide.pdf"), title="Guide PDF"),
        m.Folder("home.docs", ctx="home.docs", title="Documents", files=[
            m.FolderFile(M("media/guide.pdf"), ""), m.FolderFile(M("media/placeholder-photo.png"), "images")]),
    ]


def test_the_part_and_its_questions(course):
    video = item(course, "part-1.video-1")
    assert bare(video) == m.Video(
        # on course.yaml's placeholder clip: a still clip as long as its subtitles (2 s), no poster
        "part-1.video-1", ctx="part-1.video-1", file=M("generated/placeholders/still-2s.webm", generated=True),
        poster=None, title="Introduction", subtitles=[
            m.Cue("00:00.000", "00:01.000", ctx="part-1.video-1", text="Bonjour et bienvenue."),
            m.Cue("00:01.000", "00:02.000", ctx="part-1.video-1", text="Les publics éloignés de l'emploi.")])
    assert video.subtitles[1].src.lines == (("start", 11), ("end", 11), ("text", 11))
    acts = item(course, "part-1.activities-1")
    q = "part-1.activities-1"
    assert bare(acts) == m.Activities(q, ctx=q, after="video-1", title="Activités", questions=[
        m.Question(f"{q}.q01", "single", presentation="photo-story", ctx=f"{q}.q01",
                   image=m.Image(M("media/placeholder-photo.png"), ctx=f"{q}.q01",
                                 alt="Une conseillère reçoit un jeune"),
                   choices=[m.Choice(True, 1, None, f"{q}.q01", text="Écouter", feedback="Oui."),
                            m.Choice(False, 1, None, f"{q}.q01", text="Juger", feedback="Non.")],
                   text="Que faire ensuite ?"),
        m.Question(f"{q}.q02", "truefalse", ctx=f"{q}.q02", answer=False,
                   text="Les NEET sont tous inscrits au service de l'emploi.", feedback_false="Exact.",
                   feedback_true="Non, beaucoup sont « invisibles »."),
        m.Question(f"{q}.q03", "ordering", presentation="recipe", ctx=f"{q}.q03",
                   items=[m.OrderItem(f"{q}.q03", text=t) for t in ("Accueillir", "Écouter", "Orienter")],
                   text="Remettez la recette dans l'ordre.")])
    assert [i.src for i in acts.questions[2].items] == [m.Src("mini/sections/part-1.yaml", (("text", 35),))] * 3
    e = item(course, "part-1.evaluation")
    qe = "part-1.evaluation"
    assert (e.pass_percent, e.behaviour, [x.graded for x in e.questions]) == (70, None, [True] * 8)
    assert bare(e.questions[3].pairs) == [m.Pair(f"{qe}.q04", question=a, answer=b) for a, b in (
        ("FOREM", "Wallonie"), ("Cité des Métiers", "Bruxelles"), ("ORSO", "Turin"))]
    assert bare(e.questions[4].answers) == [m.ShortAnswer(100, f"{qe}.q05", text="Erasmus+"),
                                            m.ShortAnswer(100, f"{qe}.q05", text="Erasmus")]
    assert [(c.text, c.group, c.correct) for c in e.questions[6].choices] == [
        ("bus", 1, False), ("mentor", 1, False), ("guichet", 1, False)]
    assert e.questions[2].answer is True
    book = item(course, "part-1.documents")
    d = "part-1.documents"
    assert bare(book.chapters) == [
        m.Chapter(f"{d}.legislation", ctx=f"{d}.legislation", title="Législation", body="Textes de référence.",
                  links=[m.Link(f"{d}.legislation", title="Recommandation du Conseil (2016)",
                                url="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32016H0220(01)")]),
        m.Chapter(f"{d}.services", ctx=f"{d}.services", title="Services de référence", body="Les services."),
        m.Chapter(f"{d}.practices", ctx=f"{d}.practices", title="Bonnes pratiques inspirantes", body="Les pratiques.")]


def test_the_project(course):
    (p,) = course.projects
    assert (p.id, p.organisation, p.country, p.city, p.reconstructed, p.title, p.audience, p.ctx) == \
        ("p01", "Cité des Métiers de Bruxelles", "BE", "Bruxelles", True, "Le bus de l'orientation", "Jeunes NEET",
         "p01")
    assert (p.summary, p.description, p.implementation) == (
        "Un bus qui va vers les publics.", "Le bus se rend dans les quartiers.\n\nIl accueille sans rendez-vous.",
        "Une équipe de deux conseillers & un chauffeur.")
    assert bare(p.key_figures) == [m.KeyFigure("p01", label="Satisfaction (enquête 2019)", value="9,5/10")]
    assert bare(p.contacts) == [m.Contact("p01", label="Site", url="https://www.citedesmetiers.brussels")]
    mm = "p01.mindmap"
    assert bare(p.mindmap) == m.Node([m.Node([m.Node([], mm, label="Quartiers"), m.Node([], mm, label="Marchés")],
                                             mm, label="Aller vers"), m.Node([], mm, label="Accueillir")],
                                     mm, label="Bus de l'orientation")
    assert bare(p.timeline) == [m.Step("2018-03", ctx="p01.timeline", label="Ouverture de la Cité"),
                                m.Step("2019", ctx="p01.timeline", label="Premières tournées",
                                       text="Dans trois communes.")]
    assert bare(p.actors) == [m.Actor("cdm", None, "p01.orgchart", name="Cité des Métiers", role="Pilote"),
                              m.Actor("bus", "cdm", "p01.orgchart", name="Équipe du bus")]
    assert bare(p.relations) == [m.Relation("cdm", "bus", "p01.orgchart", label="coordonne")]
    assert bare(p.testimonials) == [m.Testimonial("t1", "Samira", True, "p01.t1", role="Jeune accompagnée",
                                                  quote="J'ai trouvé une formation.")]
    still = M("generated/placeholders/still-1s.webm", generated=True)     # their subtitles last 1 s
    assert [(v.id, v.ctx, v.title, v.file, [c.text for c in v.subtitles]) for v in p.videos] == [
        ("tutorial.p01.video-1", "tutorial.p01.video-1", "Les acteurs du bus", still, ["Voici le bus."]),
        ("tutorial.p01.video-2", "tutorial.p01.video-2", "Les étapes clés", still, ["Première étape."]),
        ("tutorial.p01.video-3", "tutorial.p01.video-3", "Transférer le projet", still, ["Chez vous aussi."])]


def test_the_sections_that_present_the_projects(course):
    tutorials, toolbox = course.sections[2], course.sections[3]
    (p,) = course.projects
    assert [(type(i).__name__, i.id, i.ctx) for i in tutorials.items] == [
        ("Page", "tutorials.introduction", "tutorials.introduction"),
        ("Subsection", "tutorial.p01", "tutorial.p01")]           # the project's block
    block = tutorials.items[1]
    assert (block.project, block.name) == (p, p.title)
    assert [(type(i).__name__, i.id, i.ctx) for i in block.items] == [
        ("ProjectOverview", "tutorial.p01.overview", "tutorial.p01.overview"),
        ("Video", "tutorial.p01.video-1", "tutorial.p01.video-1"),
        ("Video", "tutorial.p01.video-2", "tutorial.p01.video-2"),
        ("Video", "tutorial.p01.video-3", "tutorial.p01.video-3")]
    assert block.items[0].project is p and block.items[0].src is p.src
    assert [(type(i).__name__, i.id, i.ctx) for i in toolbox.items] == [
        ("Video", "toolbox.video-intro", "toolbox.video-intro"),
        ("ProjectSheet", "toolbox.p01.sheet", "toolbox.p01.sheet"),
        ("ProjectPdf", "toolbox.p01.pdf", "toolbox.p01.pdf")]
    pdf = toolbox.items[2]
    assert (toolbox.items[1].project, pdf.file, pdf.title, pdf.description, pdf.src) == \
        (p, M("generated/p01.pdf", generated=True), p.title, p.summary, p.src)


def test_the_optional_keys_of_a_question(tmp_path):
    root = tmp_path / "sources"
    shutil.copytree(MINI, root)
    path = root / "sections" / "part-1.yaml"
    text = path.read_text("utf-8")
    text = text.replace("      - id: q02\n        type: truefalse\n",
                        "      - id: q02\n        type: truefalse\n        name: Vrai ou faux\n"
                        "        general_feedback: Général.\n        correct_feedback: Bien.\n"
                        "        incorrect_feedback: Non.\n        partially_correct_feedback: Presque.\n"
                        "        hints:\n          - {text: Relisez., clear_wrong: true, show_num_correct: false}\n"
                        "          - {text: Encore.}\n        notes: {text: a note}\n", 1)
    text = text.replace("{text: Juger, feedback: Non.}", "{text: Juger, feedback: Non., fraction: -50}", 1)
    text = text.replace("- {text: Erasmus, fraction: 100}", "- {text: Erasmus, fraction: 50, feedback: Presque.}", 1)
    text = text.replace("          - {text: guichet, group: 1}", "          - {text: guichet, group: 2}\n"
                        "        shuffle: false", 1)
    text = text.replace("    type: shortanswer\n", "    type: shortanswer\n        case_sensitive: true\n", 1) \
        if "    type: shortanswer\n" in text else text.replace(
            "        type: shortanswer\n", "        type: shortanswer\n        case_sensitive: true\n", 1)
    text = text.replace("    pass_percent: 70\n", "    pass_percent: 80\n    behaviour: immediatefeedback\n", 1)
    text = text.replace("    after: video-1\n", "    after: video-1\n    behaviour: deferredfeedback\n", 1)
    path.write_text(text, "utf-8")
    course = load(root)
    acts, exam = item(course, "part-1.activities-1"), item(course, "part-1.evaluation")
    q02 = acts.questions[1]
    assert (q02.name, q02.general_feedback, q02.correct_feedback, q02.incorrect_feedback,
            q02.partially_correct_feedback, q02.notes) == ("Vrai ou faux", "Général.", "Bien.", "Non.", "Presque.",
                                                           {"text": "a note"})
    assert bare(q02.hints) == [m.Hint(True, False, "part-1.activities-1.q02", text="Relisez."),
                               m.Hint(False, True, "part-1.activities-1.q02", text="Encore.")]
    assert acts.questions[0].hints is None
    assert [c.fraction for c in acts.questions[0].choices] == [None, -50]
    assert [c.group for c in exam.questions[6].choices] == [1, 1, 2]
    assert bare(exam.questions[4].answers) == [
        m.ShortAnswer(100, "part-1.evaluation.q05", text="Erasmus+"),
        m.ShortAnswer(50, "part-1.evaluation.q05", text="Erasmus", feedback="Presque.")]
    assert (exam.questions[4].case_sensitive, exam.questions[6].shuffle, exam.questions[5].shuffle,
            exam.questions[5].case_sensitive) == (True, False, True, False)
    assert (exam.pass_percent, exam.behaviour, acts.behaviour) == (80, "immediatefeedback", "deferredfeedback")


def test_the_photo_story_and_the_recipe(course):
    """part-1.yaml lines 104-123: each panel, line, ingredient, step and tip,
    with the line a translator's PO reference will point at."""
    f = "mini/sections/part-1.yaml"
    story, recipe = item(course, "part-1.story"), item(course, "part-1.recipe")
    s = "part-1.story"
    assert bare(story) == m.PhotoStory(
        s, ctx=s, title="Roman-photo : le premier rendez-vous", intro="Deux images, deux répliques.", panels=[
            m.Panel(M("media/placeholder-photo.png"), [m.Line(s, speaker="Lina", text="Je suis venue pour l'atelier.")],
                    s, scene="Une jeune femme attend devant un bureau, un dossier sur les genoux.",
                    caption="Lundi matin, <strong>Lina</strong> arrive en avance."),
            m.Panel(None, [m.Line(s, speaker="Marc", text="Bienvenue ! Entrez donc."),
                           m.Line(s, speaker="Lina", text="Merci.")],
                    s, scene="Un conseiller lui serre la main en souriant.", caption=None)])
    assert [p.src for p in story.panels] == [
        m.Src(f, (("scene", 109), ("file", 110), ("caption", 111), ("dialogue", 112))),
        m.Src(f, (("scene", 114), ("dialogue", 115)))]
    assert [line.src for p in story.panels for line in p.lines] == [
        m.Src(f, (("speaker", 113), ("text", 113))), m.Src(f, (("speaker", 116), ("text", 116))),
        m.Src(f, (("speaker", 117), ("text", 117)))]
    r = "part-1.recipe"
    assert bare(recipe) == m.Recipe(
        r, ctx=r, title="Recette : un atelier de bienvenue", intro=None,
        ingredients=[m.Ingredient(r, text="une salle claire"), m.Ingredient(r, text="une heure")],
        steps=[m.Instruction(r, text=t) for t in ("Accueillir chacun par son prénom.",
                                                   "Présenter le <em>programme</em> de la journée.",
                                                   "Finir par un café.")],
        tips=[m.Tip(r, text="Commencez à l'heure.")])
    assert [[x.src for x in getattr(recipe, key)] for key in ("ingredients", "steps", "tips")] == [
        [m.Src(f, (("text", 121),))] * 2, [m.Src(f, (("text", 122),))] * 3, [m.Src(f, (("text", 123),))]]
    assert recipe.src.lines[0] == ("kind", 118) and story.src.lines[0] == ("kind", 104)


def test_where_each_choice_and_hint_comes_from(course, tmp_path):
    f = "mini/sections/part-1.yaml"
    q01 = item(course, "part-1.activities-1").questions[0]
    assert [c.src for c in q01.choices] == [m.Src(f, (("text", 23), ("correct", 23), ("feedback", 23))),
                                            m.Src(f, (("text", 24), ("feedback", 24)))]
    assert q01.src == m.Src(f, (("id", 17), ("type", 18), ("presentation", 19), ("image", 20), ("text", 21),
                                ("choices", 22)))
    assert q01.image.src == m.Src(f, (("file", 20), ("alt", 20)))
    exam = item(course, "part-1.evaluation")
    assert [(p.src.line("question"), p.src.line("answer")) for p in exam.questions[3].pairs] == [(63, 63), (64, 64),
                                                                                                 (65, 65)]


def test_a_recipe_with_an_intro_and_no_tips_and_a_panel_without_dialogue(tmp_path):
    root = tmp_path / "sources"
    shutil.copytree(MINI, root)
    path = root / "sections" / "part-1.yaml"
    text = path.read_text("utf-8")
    text = text.replace('    tips: ["Commencez à l\'heure."]\n', '    intro: "Pour dix personnes."\n', 1)
    text = text.replace('        dialogue:\n          - {speaker: Marc, line: "Bienvenue ! Entrez donc."}\n'
                        '          - {speaker: Lina, line: "Merci."}\n', '', 1)
    path.write_text(text, "utf-8")
    course = load(root)
    recipe, story = item(course, "part-1.recipe"), item(course, "part-1.story")
    assert (recipe.intro, recipe.tips, len(recipe.steps)) == ("Pour dix personnes.", [], 3)
    assert [len(p.lines) for p in story.panels] == [1, 0]


def test_notes_and_descriptions_the_mini_course_leaves_out(tmp_path):
    """Optional keys the mini course does not use: a section's and an item's
    notes for translators, and the description of a link, a file and a folder."""
    root = tmp_path / "sources"
    shutil.copytree(MINI, root)
    path = root / "sections" / "home.yaml"
    text = path.read_text("utf-8")
    text = text.replace("role: home\n", "role: home\nnotes: {title: Le nom du site.}\n", 1)
    text = text.replace("    title: Site du projet\n", "    title: Site du projet\n    description: Le site <em>officiel</em>.\n"
                        "    notes: {title: Gardez le nom.}\n", 1)
    text = text.replace("    title: Guide PDF\n", "    title: Guide PDF\n    description: À imprimer.\n", 1)
    text = text.replace("    title: Documents\n", "    title: Documents\n    description: Tout au même endroit.\n", 1)
    path.write_text(text, "utf-8")
    course = load(root)
    home = course.sections[0]
    assert (home.notes, home.role, home.src.lines[:3]) == ({"title": "Le nom du site."}, "home",
                                                            (("title", 1), ("role", 2), ("notes", 3)))
    site, guide, docs = (item(course, f"home.{i}") for i in ("site", "guide", "docs"))
    assert (site.description, site.notes) == ("Le site <em>officiel</em>.", {"title": "Gardez le nom."})
    assert (guide.description, docs.description) == ("À imprimer.", "Tout au même endroit.")
    assert item(course, "home.notice").notes == {}

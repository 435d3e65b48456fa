"""The walk over the model that gives every translatable text its context,
in document order, with the note a translator reads beside it (the POT's
entries, and the order of the PO files)."""
from resolution_pack import model as m
from resolution_pack.i18n import urls
from resolution_pack.i18n.walk import fields


def walked(obj, include_empty=False):
    return [(f.context, f.rich, f.value, f.note) for f in fields(obj, include_empty)]


CUE_NOTE = "Subtitle cue 00:01.000 --> 00:02.500: keep it short enough to read in that time."
GAP_NOTE = "Keep the gap markers [[1]], [[2]]... unchanged; gap n is filled by the n-th choice."
ANSWER_NOTE = ("Accepted answer: add the other forms a learner of your language would type (synonyms, spellings), "
               "separated by ' | '; forms without accents are accepted without listing them.")
URL_NOTE = urls.NOTE          # the one text for every web address (tests/test_urls.py)


def test_own_texts_first_then_what_an_object_holds_in_order():
    section = m.Section("s", ctx="s", title="Titre", summary="<em>Résumé</em>", items=[
        m.Page("s.p", ctx="s.p", title="Page", intro=None, parts=[m.Part(ctx="s.p", heading="H", body="B")]),
        m.Url("s.u", ctx="s.u", url="https://example.org/", title="Lien")])
    assert walked(section) == [
        ("s:title", False, "Titre", ""), ("s:summary", True, "<em>Résumé</em>", ""),
        ("s.p:title", False, "Page", ""), ("s.p:heading", False, "H", ""), ("s.p:body", True, "B", ""),
        ("s.u:url", False, "https://example.org/", URL_NOTE), ("s.u:title", False, "Lien", "")]
    # an empty text is left out unless asked for (a POT lists only texts)
    assert ("s.p:intro", True, "", "") not in walked(section, include_empty=True)   # None is no text
    section.items[0].intro = ""
    assert ("s.p:intro", True, "", "") in walked(section, include_empty=True)
    assert ("s.p:intro", True, "", "") not in walked(section)


def test_the_notes_a_translator_reads():
    q_gap = m.Question("a.q1", "gapselect", ctx="a.q1", text="Le [[1]].", notes={"text": "Un bus."},
                       choices=[m.Choice(ctx="a.q1", text="bus")])
    q_short = m.Question("a.q2", "shortanswer", ctx="a.q2", text="Quoi ?", notes={"text": "Court."},
                         answers=[m.ShortAnswer(ctx="a.q2", text="Erasmus")])
    q_plain = m.Question("a.q3", "single", ctx="a.q3", text="Lequel ?", choices=[m.Choice(ctx="a.q3", text="Un")])
    items = [
        m.Video("v", ctx="v", title="Vidéo", subtitles=[m.Cue("00:01.000", "00:02.500", ctx="v", text="Bonjour.")]),
        m.Activities("a", ctx="a", title="Activités", questions=[q_gap, q_short, q_plain]),
        m.PhotoStory("ph", ctx="ph", title="Roman", panels=[m.Panel(None, [m.Line("ph", speaker="Lina", text="Oui.")],
                                                                    "ph", scene="Un bureau.")]),
        m.UiString("check", "button label, max 20 characters", "ui.check", text="Vérifier"),
        m.UiString("next", "", "ui.next", text="Suivant"),
        m.Node([m.Node([], "p.mindmap", label="Enfant")], "p.mindmap", label="Racine"),
        m.Step("2019", ctx="p.timeline", label="Ouverture", text="Le texte."),
        m.Link("b.c", title="Texte", url="https://eur-lex.europa.eu/"),
    ]
    assert walked(items) == [
        ("v:title", False, "Vidéo", ""), ("v:subtitle", False, "Bonjour.", CUE_NOTE),
        ("a:title", False, "Activités", ""),
        ("a.q1:text", True, "Le [[1]].", "Un bus.\n" + GAP_NOTE),
        ("a.q1:choice", True, "bus", "Un bus."),        # a choice has no notes: it reads its question's, by field
        ("a.q2:text", True, "Quoi ?", "Court."), ("a.q2:accepted-answer", False, "Erasmus", "Court.\n" + ANSWER_NOTE),
        ("a.q3:text", True, "Lequel ?", ""), ("a.q3:choice", True, "Un", ""),
        ("ph:title", False, "Roman", ""),
        ("ph:scene", False, "Un bureau.", "Photo-story: what the picture shows (its alt text, or the text in its "
                                          "frame while there is no photo)."),
        ("ph:speaker", False, "Lina", "Photo-story dialogue: the name of who speaks."),
        ("ph:dialogue", False, "Oui.", "Photo-story dialogue: what the character says, as spoken language."),
        ("ui.check:ui", False, "Vérifier", "button label, max 20 characters"), ("ui.next:ui", False, "Suivant", ""),
        ("p.mindmap:mindmap-node", False, "Racine", "Mind-map node: keep it short (about 40 characters)."),
        ("p.mindmap:mindmap-node", False, "Enfant", "Mind-map node: keep it short (about 40 characters)."),
        ("p.timeline:timeline-label", False, "Ouverture", "Timeline step: keep it short (about 40 characters)."),
        ("p.timeline:timeline-text", False, "Le texte.", ""),
        ("b.c:link-title", False, "Texte", ""), ("b.c:link-url", False, "https://eur-lex.europa.eu/", URL_NOTE)]


def test_a_question_s_notes_reach_its_choices_and_an_item_s_stay_with_it():
    """Notes are by field name: a question's `feedback` note is read by its
    choices' feedback too (choices have no notes of their own); an item's
    notes stay with the item."""
    q = m.Question("a.q1", "single", ctx="a.q1", text="?", notes={"feedback": "Des métiers."},
                   choices=[m.Choice(ctx="a.q1", text="Un", feedback="Oui")])
    acts = m.Activities("a", ctx="a", title="T", notes={"title": "Court.", "feedback": "not the question's"},
                        questions=[q])
    assert walked(acts) == [("a:title", False, "T", "Court."), ("a.q1:text", True, "?", ""),
                            ("a.q1:choice", True, "Un", ""), ("a.q1:choice-feedback", True, "Oui", "Des métiers.")]


def test_an_object_met_twice_is_walked_once_and_dicts_are_walked_in_order():
    shared = m.Label("l", ctx="l", text="Une fois")
    assert walked({"b": [shared], "a": (shared, None, 3, "texte brut")}) == [("l:text", True, "Une fois", "")]
    assert walked({"z": m.Label("z", ctx="z", text="Z"), "y": m.Label("y", ctx="y", text="Y")}) == [
        ("z:text", True, "Z", ""), ("y:text", True, "Y", "")]


def test_notes_stop_at_a_question_without_notes_and_texts_that_need_no_note():
    """An item's notes do not reach the choices of a question that has none;
    a drag-and-drop gap question gets the gap note; a photo's caption is no
    scene; an empty text inside a dict is kept when asked for."""
    q = m.Question("a.q1", "ddwtos", ctx="a.q1", text="Le [[1]].", choices=[m.Choice(ctx="a.q1", text="bus")])
    acts = m.Activities("a", ctx="a", title="T", notes={"text": "not for the question"}, questions=[q])
    assert walked(acts) == [("a:title", False, "T", ""), ("a.q1:text", True, "Le [[1]].", GAP_NOTE),
                            ("a.q1:choice", True, "bus", "")]
    panel = m.Panel(None, [], "ph", scene="Un bureau.", caption="Lundi.")
    assert [(c, note[:11]) for c, _r, _v, note in walked(panel)] == [("ph:scene", "Photo-story"), ("ph:caption", "")]
    assert walked({"k": m.Label("l", ctx="l", text="")}, include_empty=True) == [("l:text", True, "", "")]

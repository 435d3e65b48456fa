"""Applying translations to the model, on small models: what is missing or
fuzzy, exactly (file, line, message, path, fix), and what each edition gets."""
import pytest

from resolution_pack import model as m
from resolution_pack.errors import InputError, Problem
from resolution_pack.i18n import localise as lz

FALLBACK = "build with --allow-incomplete to use the source text meanwhile"


def course(root="/x/sources"):
    src = m.Src("sources/s.yaml", (("title", 3), ("summary", 4)))
    long = "Un texte   très\nlong " + "x" * 60
    section = m.Section("s", ctx="s", title="Titre", summary=long, src=src,
                        items=[m.Label("s.l", ctx="s.l", text="Titre")])
    return m.Course(id="c", source_language="fr", languages=["fr", "en"], startdate="", editions={},
                    sections=[section], projects=[], expected={}, ui={}, root=root, ctx="course", title="Cours",
                    summary="", src=m.Src("sources/course.yaml", (("title", 2),)))


LONG_CLIPPED = "Un texte très long " + "x" * 40 + "…"


def translations(strings=(), fuzzy=(), lines=None):
    t = lz.Translations("en", "sources/locale/en.po")
    t.strings = {k: f"EN {k[1]}" for k in strings}
    t.fuzzy = {k: 20 + n for n, k in enumerate(fuzzy)}
    t.lines = lines or {}
    return t


def test_the_source_language_needs_nothing():
    assert lz.check(course(), "fr", None) == []


def test_no_translation_file():
    with pytest.raises(InputError) as info:
        lz.check(course(), "en", None)
    assert info.value.problems == [Problem("sources/locale/en.po", 0, 0, "no translation file for 'en' (4 strings to "
                                           "translate)", fix="run 'resolution-pack i18n update --add en' and translate "
                                           f"it, or {FALLBACK}")]
    assert lz.check(course(), "en", None, allow_incomplete=True) == [Problem(
        "sources/locale/en.po", 0, 0, "no translation file for 'en' (4 strings to translate)",
        fix="run 'resolution-pack i18n update --add en' and translate it")]
    assert lz.check(course(root=""), "en", None, True, fallback="")[0].file == "sources/locale/en.po"
    assert lz.check(course(root="/p/cours"), "en", None, True)[0].file == "cours/locale/en.po"
    with pytest.raises(InputError) as info:
        lz.check(course(), "en", None, fallback="")
    assert info.value.problems[0].fix == "run 'resolution-pack i18n update --add en' and translate it"


def test_untranslated_and_fuzzy_strings_each_once():
    t = translations(strings=[("course:title", "Cours")], fuzzy=[("s:summary", "Un texte   très\nlong " + "x" * 60)],
                     lines={("s:title", "Titre"): 12, ("s.l:text", "Titre"): 15})
    expected = [
        Problem("sources/locale/en.po", 12, 0, "untranslated string (from sources/s.yaml:3): 'Titre'", "s:title",
                f"translate it, or {FALLBACK}"),
        Problem("sources/locale/en.po", 20, 0, f"fuzzy string (from sources/s.yaml:4): {LONG_CLIPPED!r}", "s:summary",
                f"check the translation, then clear its fuzzy flag, or {FALLBACK}"),
        Problem("sources/locale/en.po", 15, 0, "untranslated string: 'Titre'", "s.l:text",
                f"translate it, or {FALLBACK}"),
    ]
    with pytest.raises(InputError) as info:
        lz.check(course(), "en", t)
    assert sorted(info.value.problems) == sorted(expected)
    warned = lz.check(course(), "en", t, allow_incomplete=True)
    assert warned == [Problem(p.file, p.line, p.column, p.message, p.path, p.fix.replace(f", or {FALLBACK}", ""))
                      for p in expected]


def test_a_string_in_no_table_has_line_0_and_a_file_of_its_own_label():
    t = lz.Translations("en")
    found = lz.check(course(), "en", t, allow_incomplete=True)
    assert [(p.file, p.line) for p in found] == [("locale/en.po", 0)] * 4


def test_everything_translated():
    keys = [("course:title", "Cours"), ("s:title", "Titre"), ("s:summary", "Un texte   très\nlong " + "x" * 60),
            ("s.l:text", "Titre")]
    t = translations(strings=keys)
    assert lz.check(course(), "en", t) == []
    edition, missing = lz.localise(course(), "en", t)
    assert missing == []
    assert (edition.lang, edition.title, edition.sections[0].title, edition.sections[0].items[0].text) == \
        ("en", "EN Cours", "EN Titre", "EN Titre")


def test_localise_keeps_the_source_model_and_the_source_text_where_allowed():
    source = course()
    t = translations(strings=[("s:title", "Titre")])
    edition, missing = lz.localise(source, "en", t, allow_incomplete=True)
    assert (edition.title, edition.sections[0].title, edition.sections[0].items[0].text) == ("Cours", "EN Titre",
                                                                                             "Titre")
    assert [p.path for p in missing] == ["course:title", "s:summary", "s.l:text"]
    assert (source.lang, source.sections[0].title) == ("", "Titre")
    french, none = lz.localise(source, "fr", t)
    assert (french.lang, french.sections[0].title, none) == ("fr", "Titre", [])


@pytest.mark.parametrize("text, clipped", [
    ("court", "court"), ("a  b\n\tc ", "a b c"), ("x" * 60, "x" * 60), ("x" * 61, "x" * 59 + "…")])
def test_clip(text, clipped):
    assert lz._clip(text) == clipped


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: {lang}\\n"\n\n'


def write_po(root, lang, body, declared=None):
    (root / "locale").mkdir(parents=True, exist_ok=True)
    (root / "locale" / f"{lang}.po").write_text(HEADER.replace("{lang}", declared or lang) + body, "utf-8")


def test_read_translations(tmp_path):
    root = tmp_path / "sources"
    c = course(str(root))
    c.languages = ["fr", "en", "pt", "de"]
    write_po(root, "en", 'msgctxt "s:title"\nmsgid "Titre"\nmsgstr "Title"\n\n'
                         '#, fuzzy\nmsgctxt "course:title"\nmsgid "Cours"\nmsgstr "Course"\n\n'
                         'msgctxt "s.l:text"\nmsgid "Titre"\nmsgstr ""\n\n'
                         '#~ msgctxt "gone:t"\n#~ msgid "Old"\n#~ msgstr "Old"\n', declared="en_GB")
    write_po(root, "pt", 'msgctxt "s:title"\nmsgid "Titre"\nmsgstr "Título"\n', declared="pt_BR")
    write_po(root, "de", 'msgctxt "s:title"\nmsgid "Titre"\nmsgstr "Titel"\n', declared="fr")
    write_po(root, "fr", "")
    write_po(root, "it", "")
    result, problems, failed = lz.read_translations(c, root)
    assert sorted(result) == ["de", "en", "pt"]
    en = result["en"]
    assert (en.label, en.strings, en.fuzzy, en.lines) == (
        "sources/locale/en.po", {("s:title", "Titre"): "Title"}, {("course:title", "Cours"): 13},
        {("s:title", "Titre"): 8, ("course:title", "Cours"): 13, ("s.l:text", "Titre"): 17})
    assert result["pt"].strings == {("s:title", "Titre"): "Título"}
    assert problems == [
        Problem("sources/locale/de.po", 1, 0, "the Language header says 'fr' but the file is de.po",
                fix='set "Language: de\\n"'),
        Problem("sources/locale/fr.po", 0, 0, "a PO file for 'fr', which is not a target language of the course",
                fix="add 'fr' to 'languages' and 'editions' in course.yaml, or remove the file"),
        Problem("sources/locale/it.po", 0, 0, "a PO file for 'it', which is not a target language of the course",
                fix="add 'it' to 'languages' and 'editions' in course.yaml, or remove the file")]
    assert failed == {"de"}
    only, problems, failed = lz.read_translations(c, root, langs=["en"])
    assert (sorted(only), problems, failed) == (["en"], [], set())
    with pytest.raises(InputError) as info:
        lz.load_translations(c, root)
    assert len(info.value.problems) == 3
    assert sorted(lz.load_translations(c, root, langs=["en", "pt"])) == ["en", "pt"]


def test_a_broken_po_file_and_refused_markup_fail_their_language(tmp_path):
    root = tmp_path / "sources"
    c = course(str(root))
    c.languages = ["fr", "en", "de"]
    write_po(root, "en", 'msgid "a"\nmsgstr "unclosed\n')
    write_po(root, "de", 'msgctxt "s:title"\nmsgid "Titre"\nmsgstr "<b>Titel</b>"\n')
    result, problems, failed = lz.read_translations(c, root)
    assert (sorted(result), failed) == (["de"], {"en", "de"})
    assert [(p.file, p.line, p.message) for p in problems] == [
        ("sources/locale/de.po", 8, "translation refused: markup in a plain-text string"),
        ("sources/locale/de.po", 8, "translation refused: tags added: <b>"),
        ("sources/locale/en.po", 7, "PO syntax error: a string is not closed (or has text after its closing quote)")]
    assert lz.read_translations(c, tmp_path / "none") == ({}, [], set())


def test_check_editions_skips_failed_languages_and_collects_the_rest():
    c = course()
    c.languages = ["fr", "en", "de"]
    t = {"en": translations(strings=[("course:title", "Cours"), ("s:title", "Titre"), ("s.l:text", "Titre")])}
    problems, warnings = lz.check_editions(c, t, ["fr", "en", "de"], failed={"de"})
    assert ([p.path for p in problems], warnings) == (["s:summary"], [])
    problems, warnings = lz.check_editions(c, t, ["en", "de"], allow_incomplete=True)
    assert (problems, [(p.file, p.path) for p in warnings]) == (
        [], [("sources/locale/en.po", "s:summary"), ("sources/locale/de.po", "")])


def test_more_reading_rules(tmp_path):
    root = tmp_path / "sources"
    c = course(str(root))
    c.languages = ["fr", "ca", "de", "en"]
    write_po(root, "ca", 'msgid "a"\nmsgstr "unclosed\n')                       # broken: the others are read
    write_po(root, "de", '#~ msgctxt "gone:t"\n#~ msgid "Old"\n#~ msgstr "Alt"\n\n'
                         'msgctxt "s.l:text"\nmsgid "Titre"\nmsgstr "<b>Titel</b>"\n')  # a rich field
    (root / "locale" / "en.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                           'msgctxt "s:title"\nmsgid "Titre"\nmsgstr "Title"\n', "utf-8")
    result, problems, failed = lz.read_translations(c, root)
    assert sorted(result) == ["de", "en"]
    assert (result["en"].lang, result["en"].strings, result["de"].strings) == (
        "en", {("s:title", "Titre"): "Title"}, {("s.l:text", "Titre"): "<b>Titel</b>"})
    assert [(p.file, p.line, p.message) for p in problems] == [
        ("sources/locale/ca.po", 7, "PO syntax error: a string is not closed (or has text after its closing quote)"),
        ("sources/locale/de.po", 12, "translation refused: tags added: <b>")]
    assert failed == {"ca", "de"}


def test_a_text_used_twice_in_one_context_is_reported_once():
    part = m.Part(ctx="p", bullets=[m.Bullet(ctx="p", text="Oui"), m.Bullet(ctx="p", text="Oui")])
    c = course()
    c.sections[0].items = [m.Page("p", ctx="p", title="T", parts=[part])]
    t = translations(strings=[("course:title", "Cours"), ("s:title", "Titre"), ("p:title", "T"),
                              ("s:summary", "Un texte   très\nlong " + "x" * 60)])
    assert [(p.path, p.message) for p in lz.check(c, "en", t, allow_incomplete=True)] == [
        ("p:bullet", "untranslated string: 'Oui'")]
    with pytest.raises(InputError):
        lz.localise(c, "en", t)


def test_check_editions_passes_its_fallback_on():
    c = course()
    c.languages = ["fr", "de", "en"]
    t = {"en": translations(strings=[("course:title", "Cours"), ("s:title", "Titre"), ("s.l:text", "Titre")])}
    problems, _ = lz.check_editions(c, t, ["de", "en"], failed={"de"})
    assert [(p.path, p.fix) for p in problems] == [("s:summary", f"translate it, or {FALLBACK}")]
    problems, _ = lz.check_editions(c, t, ["en"], fallback="use --keep-going")
    assert [p.fix for p in problems] == ["translate it, or use --keep-going"]

"""The translators' glossary (sources/locale/glossary/<lang>.po) and the
validate warning where a translation does not use a glossary term."""
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from resolution_pack.cli import main
from resolution_pack.i18n import glossary
from resolution_pack.i18n.localise import Translations

SOURCES = Path(__file__).resolve().parents[1] / "sources"
LANGS = ("en", "es", "ca", "it", "hu")
REQUIRED = ("aller-vers", "repérage", "remobilisation", "accompagnement", "NEET", "minima sociaux",
            "insertion socioprofessionnelle", "référentiel", "open badge", "chômage de longue durée",
            "garantie pour la jeunesse")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("text, term, lang, expected", [
    ("Les chômeurs de longue durée inscrits", "chômeur de longue durée", "fr", True),
    ("Les chômeurs de longue durée inscrits", "chômage de longue durée", "fr", False),
    ("Qui sont les personnes éloignées de l'emploi ?", "éloigné de l'emploi", "fr", True),
    ("la faible fréquentation appelle l'aller-vers", "aller-vers", "fr", True),
    ("Il faut aller vers elles.", "aller-vers", "fr", False),          # the verb, not the practice
    ("des <abbr title=\"ni en emploi\">NEET</abbr>", "NEET", "fr", True),
    ("personas desempleadas de larga duración", "desempleado de larga duración", "es", True),
    ("GARANTIA JUVENIL", "Garantía Juvenil", "es", True),              # case and accents
    ("az Ifjúsági Garanciát", "Ifjúsági Garancia", "hu", True),
    ("a tartósan munkanélkülieknek", "tartósan munkanélküli", "hu", True),
    ("transzverzális kompetenciáit", "transzverzális kompetenciák", "hu", True),
    ("NEET-fiatalok", "NEET", "hu", True),
    ("reopen badges", "open badge", "en", False),                      # word boundary
    ("i disoccupati di lungo periodo", "disoccupato di lungo periodo", "it", True),
    ("col·lectius", "col·lectiu", "ca", True),
])
def test_contains(text, term, lang, expected):
    assert glossary.contains(text, term, lang) is expected


def test_shipped_glossaries_cover_the_same_terms_with_a_source_each():
    loaded = glossary.load(SOURCES)
    assert sorted(loaded) == sorted(LANGS)
    terms = {lang: [t.source for t in g.terms] for lang, g in loaded.items()}
    assert all(terms[lang] == terms["en"] for lang in LANGS)
    assert set(REQUIRED) <= set(terms["en"])
    for lang in LANGS:
        po = polib.pofile(str(SOURCES / "locale" / "glossary" / f"{lang}.po"))
        assert po.metadata["Language"] == lang
        assert all(e.msgstr and e.comment.startswith("Source: ") for e in po)


def test_also_accepted_may_wrap_over_several_lines(tmp_path):
    folder = tmp_path / "locale" / "glossary"
    folder.mkdir(parents=True)
    (folder / "ca.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: ca\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "#. Source: SOC.\n#. Also accepted: aturades de llarga durada | aturats de\n#. llarga durada\n"
        'msgid "chômeur de longue durée"\nmsgstr "persones aturades de llarga durada"\n', "utf-8")
    term = glossary.load(tmp_path)["ca"].terms[0]
    assert term.forms == ["persones aturades de llarga durada", "aturades de llarga durada",
                          "aturats de llarga durada"]
    assert term.line == 9


def test_check_warns_only_where_no_accepted_form_is_used():
    g = glossary.Glossary("es", "sources/locale/glossary/es.po",
                          [glossary.Term("aller-vers", "intervención de proximidad", ["trabajo de calle"], 12)])
    t = Translations("es", "sources/locale/es.po")
    t.strings = {("a:text", "L'aller-vers d'abord."): "Primero, el acercamiento activo.",
                 ("b:text", "L'aller-vers ensuite."): "Después, la intervención de proximidad.",
                 ("c:text", "Pratiquer l'aller-vers."): "Practicar el trabajo de calle.",
                 ("d:text", "Sans le terme."): "Sin el término."}
    t.lines = {("a:text", "L'aller-vers d'abord."): 40}
    found = glossary.check({"es": g}, {"es": t})
    assert [(p.file, p.line, p.path) for p in found] == [("sources/locale/es.po", 40, "a:text")]
    assert "«aller-vers»" in found[0].message and "glossary/es.po:12" in found[0].message
    assert "«intervención de proximidad | trabajo de calle»" in found[0].message


def test_validate_reports_glossary_warnings_and_refuses_a_broken_glossary(mini):
    folder = mini / "locale" / "glossary"
    folder.mkdir()
    (folder / "en.po").write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n#. Source: test.\n'
                                  'msgid "Bienvenue"\nmsgstr "Welcome"\n', "utf-8")
    result = run("validate", mini)
    assert result.exit_code == 0, result.output
    assert "warning: sources/locale/en.po:" in result.output and "«Bienvenue»" in result.output
    (folder / "en.po").write_text('msgid "x"\nthis is not PO\n', "utf-8")
    result = run("validate", mini)
    assert result.exit_code == 2
    assert "sources/locale/glossary/en.po:" in result.output and "PO syntax error" in result.output

"""Translatable web addresses: the language schemes of the EU sites (no
network), the rule-based address for each edition, the translator note, the
refusal of a translation that is not a web address, and the validate warning
when an edition links to another language's page."""
import polib
import pytest
from click.testing import CliRunner

from resolution_pack.cli import main
from resolution_pack.i18n import catalog, urls

from conftest import edit

EURLEX = "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32016H0220(01)"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("url, lang", [
    (EURLEX, "fr"),
    ("https://eur-lex.europa.eu/legal-content/HU/TXT/?uri=LEGISSUM:17050102_1", "hu"),
    ("https://ec.europa.eu/social/main.jsp?catId=1226&furtherVideos=yes&langId=nl&videosId=2940", "nl"),
    ("https://ec.europa.eu/social/BlobServlet?docId=20283&langId=fr", "fr"),
    ("https://ec.europa.eu/eurostat/en/about/policies/dissemination", "en"),
    ("https://eures.europa.eu/eures-services/help-and-support_fr", "fr"),
    ("https://eures.europa.eu/index_fr", "fr"),
    ("http://europa.eu/pol/socio/index_fr.htm", "fr"),
    ("https://epale.ec.europa.eu/da/epale-legal-notices", "da"),
    ("https://europa.eu/europass/en/faq", "en"),
    ("https://kohesio.ec.europa.eu/sv/projekt/Q3958599", "sv"),
    ("https://sepe.es/HomeSepe/ca/Personas/encontrar-trabajo/Garantia-Juvenil/preguntas-frecuentes-garantia-juvenil.html", "ca"),
    ("https://www.sepe.es/HomeSepe/Personas/encontrar-trabajo/Garantia-Juvenil.html", "es"),
    ("https://www.leforem.be", None),
    ("https://ec.europa.eu/eurostat/statistics-explained/index.php?title=Youth_unemployment", None),
])
def test_language_of_each_site(url, lang):
    assert urls.language_of(url) == lang


@pytest.mark.parametrize("url, lang, expected", [
    (EURLEX, "hu", "https://eur-lex.europa.eu/legal-content/HU/TXT/?uri=CELEX:32016H0220(01)"),
    (EURLEX, "en", "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32016H0220(01)"),
    # no EU site has Catalan: the Catalan edition opens the Spanish page
    (EURLEX, "ca", "https://eur-lex.europa.eu/legal-content/ES/TXT/?uri=CELEX:32016H0220(01)"),
    ("https://eur-lex.europa.eu/legal-content/FR/TXT/HTML/?uri=CELEX:52019DC0169&from=FR", "it",
     "https://eur-lex.europa.eu/legal-content/IT/TXT/HTML/?uri=CELEX:52019DC0169&from=IT"),
    ("https://ec.europa.eu/social/main.jsp?catId=1079&langId=fr", "it",
     "https://ec.europa.eu/social/main.jsp?catId=1079&langId=it"),
    ("https://eures.europa.eu/index_fr", "es", "https://eures.europa.eu/index_es"),
    ("https://epale.ec.europa.eu/fr", "hu", "https://epale.ec.europa.eu/hu"),
    ("https://europa.eu/europass/fr", "ca", "https://europa.eu/europass/es"),
    # Eurostat's site has English, French and German only
    ("https://ec.europa.eu/eurostat/fr/web/main", "de", "https://ec.europa.eu/eurostat/de/web/main"),
    ("https://ec.europa.eu/eurostat/fr/web/main", "hu", "https://ec.europa.eu/eurostat/fr/web/main"),
    # the JRC publishes in English only: keep
    ("https://joint-research-centre.ec.europa.eu/digcomp_en", "fr", "https://joint-research-centre.ec.europa.eu/digcomp_en"),
    ("https://www.sepe.es/HomeSepe/Personas/x.html", "ca", "https://www.sepe.es/HomeSepe/ca/Personas/x.html"),
    ("https://www.sepe.es/HomeSepe/ca/Personas/x.html", "es", "https://www.sepe.es/HomeSepe/Personas/x.html"),
    ("https://www.tzcld.fr", "it", "https://www.tzcld.fr"),
])
def test_localise_url(url, lang, expected):
    assert urls.localise_url(url, lang) == expected


def test_language_problem_names_the_page_and_the_fix():
    message, fix = urls.language_problem("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32014H0327(01)", "fr")
    assert message == ("the fr edition links to the en page of EUR-Lex: "
                       "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32014H0327(01)")
    assert fix == "use https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32014H0327(01)"
    assert urls.language_problem(EURLEX, "fr") is None
    assert urls.language_problem("https://eur-lex.europa.eu/legal-content/ES/TXT/?uri=x", "ca") is None
    assert urls.language_problem("https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=x", "ca") is not None


def test_url_fields_are_extracted_with_the_translator_note(mini):
    assert run("i18n", "extract", "--sources", mini).exit_code == 0
    pot = polib.pofile(str(mini / "locale" / "mini.pot"))
    found = {(e.msgctxt, e.msgid) for e in pot if urls.is_url_field(e.msgctxt)}
    assert found == {
        ("home.site:url", "https://example.org/resolution?a=1&b=2"),
        ("part-1.documents.legislation:link-url",
         "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32016H0220(01)"),
        ("p01:contact-url", "https://www.citedesmetiers.brussels"),
    }
    assert all(urls.NOTE.replace(" ", "") in e.comment.replace("\n", "").replace(" ", "")
               for e in pot if urls.is_url_field(e.msgctxt))


def test_update_prefills_addresses_and_keeps_a_translators_choice(mini):
    po_path = mini / "locale" / "en.po"
    po = polib.pofile(str(po_path))
    link = next(e for e in po if e.msgctxt == "part-1.documents.legislation:link-url")
    link.msgstr = ""
    site = next(e for e in po if e.msgctxt == "home.site:url")
    site.msgstr = "https://example.org/en/resolution"
    po.save(str(po_path))
    assert run("i18n", "update", "--sources", mini).exit_code == 0
    po = polib.pofile(str(po_path))
    assert po.find(link.msgid, msgctxt=link.msgctxt).msgstr == link.msgid      # already the English page
    assert po.find(site.msgid, msgctxt=site.msgctxt).msgstr == "https://example.org/en/resolution"
    # a changed source address: the rule-based address, not a fuzzy guess
    edit(mini / "sections" / "part-1.yaml", "legal-content/EN/TXT", "legal-content/FR/TXT")
    run("i18n", "extract", "--sources", mini)
    assert run("i18n", "update", "--sources", mini).exit_code == 0
    po = polib.pofile(str(po_path))
    new = po.find(link.msgid.replace("/EN/", "/FR/"), msgctxt=link.msgctxt)
    assert new.msgstr == link.msgid and "fuzzy" not in new.flags


def test_validate_warns_when_an_edition_links_to_another_language(mini):
    result = run("validate", mini)
    assert result.exit_code == 0, result.output
    line = next(n for n, t in enumerate((mini / "sections" / "part-1.yaml").read_text().splitlines(), 1)
                if "legal-content/EN/" in t)
    assert (f"warning: sources/sections/part-1.yaml:{line}: the fr edition links to the en page of EUR-Lex"
            in result.output)
    assert "fix: use https://eur-lex.europa.eu/legal-content/FR/TXT/" in result.output
    assert result.output.rstrip().endswith("1 warning(s)")
    # the English edition pointed at the French page: warned at its PO line
    po_path = mini / "locale" / "en.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgctxt == "part-1.documents.legislation:link-url")
    entry.msgstr = entry.msgid.replace("/EN/", "/FR/")
    po.save(str(po_path))
    lines = po_path.read_text().splitlines()
    line = catalog.msgstr_line(lines, polib.pofile(str(po_path)).find(entry.msgid, msgctxt=entry.msgctxt))
    assert "msgstr" in lines[line - 1]
    result = run("validate", mini)
    assert f"warning: sources/locale/en.po:{line}: the en edition links to the fr page of EUR-Lex" in result.output


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "EN https://example.org", "https://exa mple.org", "/local"])
def test_a_translation_that_is_not_a_web_address_is_refused(mini, bad):
    po_path = mini / "locale" / "en.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgctxt == "home.site:url")
    entry.msgstr = bad
    po.save(str(po_path))
    result = run("validate", mini)
    assert result.exit_code == 2
    assert "is not a web address" in result.output and "home.site:url" in result.output
    assert "sources/locale/en.po:" in result.output


def test_extract_twice_keeps_the_template_although_the_note_wraps(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    run("i18n", "extract", "--sources", mini)
    before = (mini / "locale" / "mini.pot").read_bytes()
    assert b"#. Web address: give the address of this page in your language if the site has\n#. one" in before
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    run("i18n", "extract", "--sources", mini)
    assert (mini / "locale" / "mini.pot").read_bytes() == before

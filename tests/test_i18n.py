"""Translation workflow: extract, update (msgmerge-like), stats, localise,
and the checks on translated markup."""
import shutil
import subprocess

import polib
import pytest
from click.testing import CliRunner

from resolution_pack.cli import main
from resolution_pack.errors import InputError
from resolution_pack.i18n import markup, urls
from resolution_pack.i18n.localise import load_translations, localise
from resolution_pack.load import load
from resolution_pack import model as m

from conftest import edit


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def translate_all(po_path, transform=lambda s: "EN " + s):
    """Fill every msgstr the way a translator would (markup kept, web
    addresses kept as they are)."""
    po = polib.pofile(str(po_path))
    for e in po:
        if not e.obsolete:
            e.msgstr = e.msgid if urls.is_url_field(e.msgctxt or "") else transform(e.msgid)
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
    po.save(str(po_path))


def test_extract_writes_context_references_and_comments(mini):
    assert run("i18n", "extract", "--sources", mini).exit_code == 0
    pot = polib.pofile(str(mini / "locale" / "mini.pot"))
    entry = pot.find("Annonces", msgctxt="home.announcements:title")
    assert entry is not None
    line = next(n for n, t in enumerate((mini / "sections" / "home.yaml").read_text().splitlines(), 1)
                if "title: Annonces" in t)
    assert entry.occurrences == [("sources/sections/home.yaml", str(line))]
    # translator notes come from the sources (ui.yaml's note) ...
    check = pot.find("Vérifier", msgctxt="ui.check:ui")
    assert "button label, max 20 characters" in check.comment
    # ... and from the kind of string
    cue = pot.find("Bonjour et bienvenue.", msgctxt="part-1.video-1:subtitle")
    assert "Subtitle cue 00:00.000 --> 00:01.000" in cue.comment
    assert pot.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert {"Project-Id-Version", "POT-Creation-Date", "MIME-Version"} <= set(pot.metadata)


def _state(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_unchanged_sources_change_no_translation_file(mini, monkeypatch):
    """Later, on other days: extract and update rewrite nothing (the dates
    inside are those of the last real change)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    run("i18n", "extract", "--sources", mini)
    run("i18n", "update", "--sources", mini)
    before = _state(mini / "locale")
    assert b"POT-Creation-Date: 2023-11-14 22:13+0000" in before["mini.pot"][0]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert run("i18n", "extract", "--sources", mini).exit_code == 0
    result = run("i18n", "update", "--sources", mini)
    assert result.output == "en: unchanged sources/locale/en.po (151 translated, 0 fuzzy, 0 untranslated, 0 obsolete)\n"
    assert _state(mini / "locale") == before
    # a real change moves the template's date, and the PO files follow
    edit(mini / "sections" / "home.yaml", "title: Annonces", "title: Nouvelles")
    run("i18n", "extract", "--sources", mini)
    assert b"POT-Creation-Date: 2027-01-15 08:00+0000" in (mini / "locale" / "mini.pot").read_bytes()
    assert run("i18n", "update", "--sources", mini).output == \
        "en: updated sources/locale/en.po (150 translated, 0 fuzzy, 1 untranslated, 1 obsolete)\n"


def test_po_headers_carry_real_values_and_keep_what_translators_tools_wrote(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    run("i18n", "extract", "--sources", mini)
    po = mini / "locale" / "en.po"
    text = po.read_text("utf-8")
    for field in ("POT-Creation-Date", "PO-Revision-Date", "Last-Translator", "Language-Team"):
        text = "\n".join(line for line in text.splitlines() if not line.startswith(f'"{field}:'))
    po.write_text(text + "\n", "utf-8")
    run("i18n", "update", "--sources", mini)
    meta = polib.pofile(str(po)).metadata
    assert {k: meta[k] for k in ("Language", "Language-Team", "Last-Translator", "PO-Revision-Date", "Plural-Forms")} \
        == {"Language": "en", "Language-Team": "English", "Last-Translator": "Automatically generated",
            "PO-Revision-Date": "2023-11-14 22:13+0000", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    # Poedit or Weblate write these: kept as they are
    edited = polib.pofile(str(po))
    edited.metadata.update({"Last-Translator": "Ana Pérez <ana@example.org>", "PO-Revision-Date": "2025-03-04 10:00+0100",
                            "Language-Team": "English <https://weblate.example.org/projects/mini/en/>"})
    edited.save(str(po))
    edit(mini / "sections" / "home.yaml", "title: Annonces", "title: Nouvelles")
    run("i18n", "extract", "--sources", mini)
    run("i18n", "update", "--sources", mini)
    meta = polib.pofile(str(po)).metadata
    assert (meta["Last-Translator"], meta["PO-Revision-Date"], meta["Language-Team"]) == \
        ("Ana Pérez <ana@example.org>", "2025-03-04 10:00+0100", "English <https://weblate.example.org/projects/mini/en/>")


MSGFMT = shutil.which("msgfmt")


@pytest.mark.skipif(MSGFMT is None, reason="msgfmt not found (Debian's gettext package; tests/install-test-deps.sh "
                                           "installs it)")
@pytest.mark.parametrize("which", ["mini", "sources"])
def test_msgfmt_check_has_no_warning_for_any_catalogue(mini, which):
    from conftest import SOURCES
    if which == "mini":
        run("i18n", "extract", "--sources", mini)
        run("i18n", "update", "--sources", mini)
    folder = mini / "locale" if which == "mini" else SOURCES / "locale"
    catalogues = sorted(folder.glob("*.po")) + sorted(folder.glob("*.pot"))
    assert len(catalogues) == (2 if which == "mini" else 6)
    for path in catalogues:
        proc = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert (proc.returncode, proc.stderr) == (0, ""), path


def test_round_trip_extract_translate_update_localise(mini):
    run("i18n", "extract", "--sources", mini)
    result = run("i18n", "update", "--sources", mini, "--add", "en")
    assert result.exit_code == 0, result.output
    po_path = mini / "locale" / "en.po"
    assert polib.pofile(str(po_path)).metadata["Language"] == "en"
    translate_all(po_path)

    # change one source string, remove another, add a new one
    edit(mini / "sections" / "home.yaml", "title: Annonces", "title: Annonces du cours")
    edit(mini / "sections" / "home.yaml", "    title: Site du projet\n", "    title: Portail web\n")
    edit(mini / "sections" / "home.yaml", "  - kind: label\n    id: notice\n    text: Texte avec ]]> et < et & dedans.\n", "")
    run("i18n", "extract", "--sources", mini)
    result = run("i18n", "update", "--sources", mini)
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(po_path))
    changed = po.find("Annonces du cours", msgctxt="home.announcements:title")
    assert "fuzzy" in changed.flags and changed.msgstr == "EN Annonces" and changed.previous_msgid == "Annonces"
    gone = [e for e in po.obsolete_entries() if e.msgid == "Texte avec ]]> et < et & dedans."]
    assert gone and gone[0].msgstr.startswith("EN ")
    kept = po.find("Bienvenue", msgctxt="home.welcome:title")
    assert kept.msgstr == "EN Bienvenue" and "fuzzy" not in kept.flags

    # a strict build refuses the fuzzy and the untranslated strings, listing each
    course = load(mini)
    translations = load_translations(course, mini)
    with pytest.raises(InputError) as info:
        localise(course, "en", translations["en"])
    messages = [str(p) for p in info.value.problems]
    assert any("fuzzy string" in s and "home.announcements:title" in s for s in messages)
    assert any("untranslated string" in s and "home.site:title" in s for s in messages), messages
    # --allow-incomplete falls back to the source and warns with the same list
    edition, warnings = localise(course, "en", translations["en"], allow_incomplete=True)
    assert len(warnings) == len(messages)
    forum = next(i for _s, i in edition.items() if isinstance(i, m.Forum))
    assert forum.title == "Annonces du cours"
    page = edition.sections[0].items[0]
    assert page.title == "EN Bienvenue" and page.parts[0].bullets[0].text == "EN Premier point"
    # the source model is untouched
    assert course.sections[0].items[0].title == "Bienvenue"


def test_stats_counts_each_state(mini):
    (mini / "locale" / "en.po").unlink()
    run("i18n", "extract", "--sources", mini)
    run("i18n", "update", "--sources", mini, "--add", "en")
    po_path = mini / "locale" / "en.po"
    po = polib.pofile(str(po_path))
    total = len(po)
    # update has already filled the web addresses (3 in the mini course), none among the first 11
    assert [urls.is_url_field(e.msgctxt) for e in po].count(True) == 3
    assert not any(urls.is_url_field(e.msgctxt) for e in list(po)[:11])
    for e in list(po)[:10]:
        e.msgstr = "EN " + e.msgid
    po[10].msgstr, po[10].flags = "EN x", ["fuzzy"]
    po.save(str(po_path))
    result = run("i18n", "stats", "--sources", mini, "--json")
    assert result.exit_code == 0, result.output
    import json
    en = json.loads(result.output)["en"]
    assert en == {"translated": 13, "fuzzy": 1, "untranslated": total - 14, "obsolete": 0,
                  "percent": round(100 * 13 / total, 1)}


@pytest.mark.parametrize("msgid, msgstr, expected", [
    ("Un <strong>mot</strong>.", "A <strong>word</strong>.", None),
    ("Un <strong>mot</strong>.", "A word.", "tags dropped: <strong>"),
    ("Un mot.", "A <em>word</em>.", "tags added: <em>"),
    ("Un mot.", "A word<script>alert(1)</script>", "forbidden element <script>"),
    ("Un <a href=\"https://x.org\">lien</a>.", "A <a href=\"https://x.org\" onclick=\"x()\">link</a>.",
     "forbidden event attribute onclick="),
    ("Un <a href=\"https://x.org\">lien</a>.", "A <a href=\"javascript:alert(1)\">link</a>.",
     "forbidden URL scheme"),
    ("Un mot.", "A <iframe src=\"https://evil\"></iframe> word.", "forbidden element <iframe>"),
    ("Une image.", "An <img src=x onerror=alert(1)> image.", "forbidden event attribute onerror="),
    ("Votre score : {score} %", "Your score: %", "placeholders dropped: {score}"),
    ("Le [[1]] va vers [[2]].", "The [[1]] goes.", "placeholders dropped: [[2]]"),
    ("Un <a href=\"https://x.org\">lien</a>.", "A <a href=\"https://evil.org\">link</a>.", "link targets changed"),
])
def test_markup_checks(msgid, msgstr, expected):
    found = markup.problems(msgid, msgstr, rich=True)
    if expected is None:
        assert found == []
    else:
        assert any(expected in f for f in found), found


def test_markup_in_a_plain_string_is_refused():
    assert "markup in a plain-text string" in markup.problems("Titre", "<b>Title</b>", rich=False)


def test_bad_translation_is_a_validation_error_with_po_line(mini):
    run("i18n", "extract", "--sources", mini)
    run("i18n", "update", "--sources", mini, "--add", "en")
    po_path = mini / "locale" / "en.po"
    translate_all(po_path)
    po = polib.pofile(str(po_path))
    entry = po.find("Bienvenue & bonne <em>visite</em>.", msgctxt="home:summary")
    entry.msgstr = 'Welcome <img src=x onerror="alert(1)">'
    po.save(str(po_path))
    line = next(n for n, text in enumerate(po_path.read_text().splitlines(), 1) if "onerror" in text)
    result = run("validate", mini)
    assert result.exit_code == 2
    assert f"sources/locale/en.po:{line}: translation refused" in result.output
    assert "forbidden event attribute onerror=" in result.output and "home:summary" in result.output


def test_po_syntax_error_and_charset(mini):
    run("i18n", "extract", "--sources", mini)
    run("i18n", "update", "--sources", mini, "--add", "en")
    po_path = mini / "locale" / "en.po"
    text = po_path.read_text()
    po_path.write_text(text.replace('msgid "Annonces"', 'msgid "Annonces"\nthis is not PO', 1))
    result = run("validate", mini)
    assert result.exit_code == 2 and "sources/locale/en.po:" in result.output and "PO syntax error" in result.output
    po_path.write_text(text.replace("charset=UTF-8", "charset=ISO-8859-1"))
    result = run("validate", mini)
    assert result.exit_code == 2 and "PO files must be UTF-8" in result.output


def test_po_for_a_language_not_in_the_course(mini):
    run("i18n", "extract", "--sources", mini)
    run("i18n", "update", "--sources", mini, "--add", "en")
    (mini / "locale" / "de.po").write_bytes((mini / "locale" / "en.po").read_bytes())
    result = run("validate", mini)
    assert result.exit_code == 2
    assert "sources/locale/de.po: a PO file for 'de', which is not a target language" in result.output


def test_plural_entries_are_refused(mini):
    run("i18n", "extract", "--sources", mini)
    run("i18n", "update", "--sources", mini, "--add", "en")
    po_path = mini / "locale" / "en.po"
    po_path.write_text(po_path.read_text() + '\nmsgid "one file"\nmsgid_plural "%d files"\nmsgstr[0] "un"\nmsgstr[1] "des"\n')
    result = run("validate", mini)
    assert result.exit_code == 2 and "plural entries are not used" in result.output


@pytest.mark.parametrize("code, english, own, plural", [
    ("fr", "French", "Français", "nplurals=2; plural=(n > 1);"),
    ("hu", "Hungarian", "Magyar", "nplurals=2; plural=(n != 1);"),
    ("ca", "Catalan", "Català", "nplurals=2; plural=(n != 1);"),
    ("pt", "Portuguese", "Português", "nplurals=2; plural=(n != 1);"),
    ("hu_HU", "Hungarian", "Magyar", "nplurals=2; plural=(n != 1);"),
    ("xx", "xx", "", "nplurals=2; plural=(n != 1);"),
])
def test_one_table_of_language_names(code, english, own, plural):
    from resolution_pack import languages
    assert (languages.english_name(code), languages.own_name(code), languages.plural_forms(code)) == \
        (english, own, plural)

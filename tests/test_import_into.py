"""import --into: Moodle edits back into existing sources, and nothing else."""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from resolution_pack.build import BuildOptions, build
from resolution_pack.cli import main

from conftest import MINI
from import_helpers import members, write_tgz


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "build"
    build(BuildOptions(sources=MINI, out=out, jobs=1, use_cache=False, targets=("moodle_backup",)))
    return {lang: members(out / lang / f"MINI-{lang.upper()}.mbz") for lang in ("fr", "en")}


def edited(built, tmp_path, lang: str, member_end: str, old: bytes, new: bytes) -> Path:
    files = dict(built[lang])
    name = next(n for n in files if n.endswith(member_end) and old in files[n])
    files[name] = files[name].replace(old, new, 1)
    return write_tgz(tmp_path / f"edited-{lang}.mbz", files)


@pytest.fixture
def sources(tmp_path) -> Path:
    target = tmp_path / "mini"        # the same folder name: the PO references stay as they are
    shutil.copytree(MINI, target)
    return target


def snapshot(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_text("utf-8") for p in root.rglob("*")
            if p.is_file() and p.suffix in (".yaml", ".po", ".pot")}


def test_an_edited_title_and_an_edited_translation_and_nothing_else(built, sources, tmp_path):
    fr = edited(built, tmp_path, "fr", "/page.xml", b"<name>Bienvenue</name>", b"<name>Bienvenue sur le mini-cours</name>")
    en = edited(built, tmp_path, "en", "/forum.xml", b"<name>EN Annonces</name>", b"<name>News and announcements</name>")
    before = snapshot(sources)
    result = run("import", fr, en, "--into", sources)
    assert result.exit_code == 0, result.output
    assert "text: home.welcome:title: 'Bienvenue' → 'Bienvenue sur le mini-cours'" in result.output
    assert "translation: home.announcements:title: 'EN Annonces' → 'News and announcements'" in result.output
    after = snapshot(sources)
    assert sorted(k for k in after if after[k] != before[k]) == ["locale/en.po", "locale/mini.pot", "sections/home.yaml"]
    lines = list(difflib.unified_diff(before["sections/home.yaml"].splitlines(), after["sections/home.yaml"].splitlines(),
                                      n=0, lineterm=""))
    assert lines[3:] == ["-    title: Bienvenue", "+    title: Bienvenue sur le mini-cours"]
    old_po, new_po = polib.pofile(before["locale/en.po"]), polib.pofile(after["locale/en.po"])
    title = new_po.find("Bienvenue sur le mini-cours", msgctxt="home.welcome:title")
    assert (title.msgstr, title.flags) == ("EN Bienvenue", [])       # followed the French edit, not made fuzzy
    assert new_po.find("Annonces", msgctxt="home.announcements:title").msgstr == "News and announcements"
    unchanged = [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.occurrences) for e in old_po
                 if e.msgctxt not in ("home.welcome:title", "home.announcements:title")]
    assert unchanged == [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.occurrences) for e in new_po
                         if e.msgctxt not in ("home.welcome:title", "home.announcements:title")]
    assert new_po.header == old_po.header
    assert run("validate", sources).exit_code == 0
    again = run("import", fr, en, "--into", sources)
    assert again.exit_code == 0 and "no change" in again.output
    assert snapshot(sources) == after


def test_dry_run_lists_and_writes_nothing(built, sources, tmp_path):
    fr = edited(built, tmp_path, "fr", "/page.xml", b"<name>Bienvenue</name>", b"<name>Salut</name>")
    before = snapshot(sources)
    result = run("import", fr, "--into", sources, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "home.welcome:title: 'Bienvenue' → 'Salut'" in result.output
    assert "dry run: 1 change(s) would be applied, nothing written" in result.output
    assert snapshot(sources) == before


def test_unchanged_backups_change_nothing(built, sources, tmp_path):
    fr = write_tgz(tmp_path / "fr.mbz", built["fr"])
    en = write_tgz(tmp_path / "en.mbz", built["en"])
    before = snapshot(sources)
    result = run("import", fr, en, "--into", sources)
    assert result.exit_code == 0, result.output
    assert "no change" in result.output
    assert snapshot(sources) == before


def test_a_text_with_markup_and_a_rich_field_keep_the_layout(built, sources, tmp_path):
    fr = edited(built, tmp_path, "fr", "/page.xml", "aucun formateur n&#39;intervient".encode(),
                "aucun formateur n&#39;intervient : c&#39;est &lt;strong&gt;vous&lt;/strong&gt; qui décidez".encode())
    result = run("import", fr, "--into", sources)
    assert result.exit_code == 0, result.output
    text = (sources / "sections" / "home.yaml").read_text("utf-8")
    assert "        body: |\n          Vous avancez à votre rythme ; aucun formateur n'intervient : c'est " \
           "<strong>vous</strong> qui décidez.\n\n          Choisissez votre langue" in text
    po = polib.pofile(str(sources / "locale" / "en.po"))
    body = next(e for e in po if e.msgctxt == "home.welcome:body")
    assert body.msgstr == "" and "fuzzy" not in body.flags       # its markup changed: to translate again
    assert body.tcomment.startswith("previous translation: EN Vous avancez")
    assert "the source's markup changed: to translate again" in result.output
    assert run("validate", sources, "--allow-incomplete").exit_code == 0


def test_a_removed_question_is_listed_and_not_applied_without_structure(built, sources, tmp_path):
    files = dict(built["fr"])
    quiz = next(n for n in files if n.endswith("/quiz.xml") and b"deferredfeedback" in files[n])
    slots = files[quiz].count(b"<question_instance ")
    files[quiz] = files[quiz].replace(b"<question_instance ", b"<question_instance_gone ", 1) \
        .replace(b"</question_instance>", b"</question_instance_gone>", 1)
    fr = write_tgz(tmp_path / "fr.mbz", files)
    before = snapshot(sources)
    result = run("import", fr, "--into", sources)
    assert result.exit_code == 0, result.output
    assert "is in the sources but not in Moodle (not applied: use --structure)" in result.output
    assert snapshot(sources) == before
    assert slots == 8


def test_structure_adds_what_moodle_has_and_the_sources_lost(built, sources, tmp_path):
    """The sources lost a label and a question; Moodle still has them: listed
    without --structure, put back where Moodle has them with it, translated
    from the English backup."""
    home, part = sources / "sections" / "home.yaml", sources / "sections" / "part-1.yaml"
    label = "  - kind: label\n    id: notice\n    text: Texte avec ]]> et < et & dedans.\n"
    text = home.read_text("utf-8")
    home.write_text(text.replace(label, ""), "utf-8")
    text = part.read_text("utf-8")
    start, end = text.index("      - id: q03\n        type: truefalse"), text.index("      - id: q04")
    part.write_text(text[:start] + text[end:], "utf-8")
    assert run("i18n", "extract", "--sources", sources).exit_code == 0
    fr, en = write_tgz(tmp_path / "fr.mbz", built["fr"]), write_tgz(tmp_path / "en.mbz", built["en"])
    listed = run("import", fr, en, "--into", sources)
    assert "label «Texte avec ]]&gt; et &lt; et &amp; dedans.» is in Moodle but not in the sources" in listed.output
    assert (sources / "sections" / "home.yaml").read_text("utf-8").count("kind: label") == 0
    result = run("import", fr, en, "--into", sources, "--structure")
    assert result.exit_code == 0, result.output
    assert "structure: added label home.notice" in result.output
    assert "structure: added question part-1.evaluation.q03" in result.output
    original = (MINI / "sections" / "home.yaml").read_text("utf-8")
    assert home.read_text("utf-8") == original.replace("Texte avec ]]> et < et & dedans.",
                                                       "Texte avec ]]&gt; et &lt; et &amp; dedans.")
    assert part.read_text("utf-8") == (MINI / "sections" / "part-1.yaml").read_text("utf-8")
    po = polib.pofile(str(sources / "locale" / "en.po"))
    assert po.find("Le MOOC compte 4 parties.", msgctxt="part-1.evaluation.q03:text").msgstr == \
        "EN Le MOOC compte 4 parties."
    assert run("validate", sources).exit_code == 0
    assert "no change" in run("import", fr, en, "--into", sources, "--structure").output

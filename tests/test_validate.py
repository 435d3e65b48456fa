"""`validate` reports every input problem that `build` reports on the same
sources, and its fix texts name only options it accepts."""
import re
import shutil

import click
import pytest
from click.testing import CliRunner

from resolution_pack.cli import main

from conftest import edit


def _untranslated(mini):
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr ""')


def _fuzzy(mini):
    edit(mini / "locale" / "en.po", 'msgctxt "home.announcements:title"', '#, fuzzy\nmsgctxt "home.announcements:title"')


def _no_po_file(mini):
    (mini / "locale" / "en.po").unlink()


def _po_syntax_error(mini):
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr "EN Annonces')


def _changed_source_text_and_an_untranslated_one(mini):
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr ""')
    edit(mini / "course.yaml", "title: Mini-cours", "title: Mini-cours neuf")


BREAKAGES = {
    "untranslated": (_untranslated, ["untranslated string (from sources/sections/home.yaml:19): 'Annonces'"],
                     "fix: translate it, or "),
    "fuzzy": (_fuzzy, ["fuzzy string (from sources/sections/home.yaml:19): 'Annonces'"],
              "fix: check the translation, then clear its fuzzy flag, or "),
    "no PO file": (_no_po_file, ["no translation file for 'en'"],
                   "fix: run 'resolution-pack i18n update --add en' and translate it, or "),
    "PO syntax error": (_po_syntax_error, ["sources/locale/en.po:90: PO syntax error: a string is not closed"], None),
    "a changed source text": (_changed_source_text_and_an_untranslated_one,
                              ["untranslated string (from sources/course.yaml:3): 'Mini-cours neuf'",
                               "untranslated string (from sources/sections/home.yaml:19): 'Annonces'"], None),
}


def problems_of(output: str) -> list[str]:
    return [line for line in output.splitlines()
            if line and not line.startswith("    fix:") and not re.match(r"\d+ problems? found", line)]


def options_named(output: str) -> set:
    """Options a fix suggests for this command (not those of a whole quoted
    command line such as 'resolution-pack i18n update --add en')."""
    fixes = "\n".join(line for line in output.splitlines() if line.startswith("    fix:"))
    fixes = re.sub(r"'resolution-pack [^']*'|`resolution-pack [^`]*`", "", fixes)
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", fixes))


def accepted(command: str) -> set:
    return {opt for param in main.commands[command].params if isinstance(param, click.Option) for opt in param.opts}


@pytest.mark.parametrize("name", BREAKAGES)
def test_validate_reports_what_build_reports_and_names_its_own_options(mini, tmp_path, monkeypatch, name):
    breakage, expected, fix = BREAKAGES[name]
    breakage(mini)
    monkeypatch.chdir(mini.parent)
    built = CliRunner().invoke(main, ["build", "--sources", "sources", "--out", str(tmp_path / "out"), "-j", "1"])
    validated = CliRunner().invoke(main, ["validate", "sources"])
    assert (built.exit_code, validated.exit_code) == (2, 2), built.output + validated.output
    assert problems_of(validated.output) == problems_of(built.output)
    for text in expected:
        assert any(text in line for line in problems_of(validated.output)), validated.output
    if fix:
        assert fix in validated.output and fix in built.output
    assert options_named(validated.output) <= accepted("validate"), validated.output
    assert options_named(built.output) <= accepted("build"), built.output
    assert not (tmp_path / "out").exists()


def test_a_fuzzy_string_says_clear_the_fuzzy_flag_and_an_untranslated_one_translate_it(mini):
    _fuzzy(mini)
    edit(mini / "locale" / "en.po", 'msgstr "EN Site du projet"', 'msgstr ""')
    result = CliRunner().invoke(main, ["validate", str(mini)])
    lines = result.output.splitlines()
    fuzzy = lines.index(next(line for line in lines if "fuzzy string" in line))
    untranslated = lines.index(next(line for line in lines if "untranslated string" in line))
    assert lines[fuzzy + 1] == "    fix: check the translation, then clear its fuzzy flag, or accept it for now " \
                               "with --allow-incomplete (the build then needs --allow-incomplete too)"
    assert lines[untranslated + 1] == "    fix: translate it, or accept it for now with --allow-incomplete " \
                                      "(the build then needs --allow-incomplete too)"


def test_allow_incomplete_warnings_do_not_suggest_allow_incomplete(mini, tmp_path):
    _untranslated(mini)
    for command in (["validate", str(mini), "--allow-incomplete"],
                    ["build", "--sources", str(mini), "--out", str(tmp_path / "out"), "-j", "1", "--allow-incomplete"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0, result.output
        assert "warning: " in result.output and "    fix: translate it\n" in result.output
        assert "--allow-incomplete" not in "".join(line for line in result.output.splitlines()
                                                   if line.startswith("    fix:"))


def test_validate_checks_the_translations_of_every_edition(mini):
    shutil.copy(mini / "locale" / "en.po", mini / "locale" / "en.po.bak")
    _untranslated(mini)
    result = CliRunner().invoke(main, ["validate", "--sources", str(mini)])
    assert result.exit_code == 2 and "home.announcements:title" in result.output
    result = CliRunner().invoke(main, ["validate", str(mini), "--sources", str(mini / "..")])
    assert result.exit_code == 2 and "two sources folders" in result.output

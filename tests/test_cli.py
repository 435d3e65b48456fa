"""The command line: help for every option, what build prints, exit statuses."""
import re

import click
import pytest
from click.testing import CliRunner

from resolution_pack.cli import main

from conftest import edit


def _commands(group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


def test_every_option_of_every_command_has_help_text():
    missing = [f"{' '.join(path)} {param.opts[0]}" for path, command in [((), main), *_commands(main)]
               for param in command.params if isinstance(param, click.Option) and not param.help]
    assert missing == []
    assert len(list(_commands(main))) >= 9


def test_jobs_0_is_explained():
    result = CliRunner().invoke(main, ["build", "--help"])
    assert "0 (the default): one per CPU" in " ".join(result.output.split())


def build_output(mini, out, monkeypatch, ci):
    if ci:
        monkeypatch.setenv("CI", "true")
    else:
        monkeypatch.delenv("CI", raising=False)
    result = CliRunner().invoke(main, ["build", "--sources", str(mini), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    return result.output


# every target's archives, for both editions of the mini course
ARCHIVES = [f"{lang}/{name}" for lang in ("en", "fr") for name in (
    f"MINI-{lang.upper()}-questions.xml", f"MINI-{lang.upper()}.imscc", f"MINI-{lang.upper()}.mbz",
    f"scorm/part-1-{lang}.zip")]


@pytest.mark.parametrize("ci", [False, True], ids=["progress", "CI"])
def test_build_names_each_archive_once_and_a_noop_says_up_to_date(mini, tmp_path, monkeypatch, ci):
    out = tmp_path / "build"
    first = build_output(mini, out, monkeypatch, ci)
    for name in ARCHIVES:
        assert len(re.findall(rf"(^|\s){re.escape(name)}\b", first)) == 1, first
    assert f"built 8 archives in {out}: 8 written\n" in first
    second = build_output(mini, out, monkeypatch, ci)
    assert second.splitlines()[-1] == f"{out}: up to date (8 archives)"
    assert "built" not in second
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr "EN News"')
    third = build_output(mini, out, monkeypatch, ci)
    # the forum's title is in the .mbz and the cartridge, not in the SCORM package nor the questions
    assert f"built 8 archives in {out}: 2 written, 2 rebuilt with the same bytes, kept, 4 of up-to-date editions" \
        in third

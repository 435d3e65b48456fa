"""The loader: every bad input gets a message with file, line and a fix."""
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from resolution_pack.cli import main
from resolution_pack.errors import InputError
from resolution_pack.load import load
from resolution_pack import model as m

from conftest import edit


def line_of(path: Path, text: str, nth: int = 1) -> int:
    lines = path.read_text("utf-8").splitlines()
    hits = [n for n, line in enumerate(lines, 1) if text in line]
    return hits[nth - 1]


def problems_of(root) -> list[str]:
    with pytest.raises(InputError) as info:
        load(root)
    return [str(p) for p in info.value.problems]


def test_mini_course_loads_with_stable_ids(mini):
    course = load(mini)
    ids = [item.id for _s, item in course.items()]
    assert "part-1.evaluation" in ids
    assert "tutorial.p01.video-2" in ids and "toolbox.p01.pdf" in ids
    assert len(ids) == len(set(ids))
    evaluation = next(i for _s, i in course.items() if isinstance(i, m.Evaluation))
    assert [q.id for q in evaluation.questions][:2] == ["part-1.evaluation.q01", "part-1.evaluation.q02"]
    assert {q.type for q in evaluation.questions} == set(m.QUESTION_TYPES)


def test_ids_do_not_depend_on_position(mini):
    before = {item.id for _s, item in load(mini).items()}
    edit(mini / "sections" / "home.yaml", "items:\n", "items:\n  - {kind: label, id: new-first, text: Nouveau.}\n")
    after = {item.id for _s, item in load(mini).items()}
    assert after - before == {"home.new-first"}


def test_yaml_syntax_error_names_file_and_line(mini):
    edit(mini / "sections" / "home.yaml", "title: Accueil", "title: [Accueil")
    (msg,) = [p for p in problems_of(mini) if "home.yaml" in p]
    assert msg.startswith("sources/sections/home.yaml:")
    assert "YAML syntax error" in msg


def test_tab_indentation_suggests_spaces(mini):
    edit(mini / "sections" / "home.yaml", "  - kind: forum", "\t- kind: forum")
    (msg,) = problems_of(mini)
    assert "home.yaml:" in msg and "indent with spaces" in msg


def test_duplicate_key_is_an_error(mini):
    edit(mini / "sections" / "home.yaml", "    title: Annonces\n", "    title: Annonces\n    title: Forum\n")
    home = mini / "sections" / "home.yaml"
    first, second = line_of(home, "title: Annonces"), line_of(home, "title: Forum")
    (msg,) = problems_of(mini)
    assert f"home.yaml:{second}:5: duplicate key 'title' (first at line {first})" in msg


def test_unknown_key_points_at_the_key_and_lists_known_ones(mini):
    edit(mini / "sections" / "home.yaml", "    title: Annonces\n", "    titel: Annonces\n    title: Annonces\n")
    line = line_of(mini / "sections" / "home.yaml", "titel:")
    (msg,) = problems_of(mini)
    assert f"home.yaml:{line}:5: unknown key 'titel' (items.1.titel)" in msg
    assert "title" in msg.split("fix:")[1]


def test_missing_required_key_and_wrong_type(mini):
    edit(mini / "sections" / "home.yaml", "    title: Annonces\n", "")
    edit(mini / "sections" / "part-1.yaml", "pass_percent: 70", "pass_percent: seventy")
    found = problems_of(mini)
    assert any("home.yaml" in p and "missing required key 'title'" in p for p in found)
    assert any("part-1.yaml" in p and "'seventy' should be of type integer" in p for p in found)


def test_every_problem_of_a_run_is_reported(mini):
    edit(mini / "sections" / "home.yaml", "    title: Annonces\n", "    titel: Annonces\n    title: Annonces\n")
    edit(mini / "projects" / "p01.yaml", "country: BE", "country: XX")
    found = problems_of(mini)
    assert any("home.yaml" in p for p in found) and any("p01.yaml" in p and "'XX' is not one of" in p for p in found)


def test_duplicate_id(mini):
    edit(mini / "sections" / "home.yaml", "    id: site\n", "    id: guide\n")
    (msg,) = problems_of(mini)
    assert "id 'home.guide' is used twice (first at sources/sections/home.yaml:" in msg


def test_reference_to_missing_id(mini):
    edit(mini / "sections" / "part-1.yaml", "after: video-1", "after: video-9")
    edit(mini / "projects" / "p01.yaml", "{from: cdm, to: bus", "{from: cdm, to: nobody")
    found = problems_of(mini)
    assert any("'after: video-9' names no item of this section" in p for p in found)
    assert any("'to: nobody' is no actor of this chart" in p for p in found)


def test_missing_media_file(mini):
    os.remove(mini / "media" / "guide.pdf")
    line = line_of(mini / "sections" / "home.yaml", "file: media/guide.pdf")
    found = problems_of(mini)
    assert any(f"home.yaml:{line}:" in p and "media file 'media/guide.pdf' does not exist" in p for p in found)


@pytest.mark.parametrize("path, expected", [
    ("../outside.pdf", "leaves the sources folder"),
    ("/etc/passwd.pdf", "is an absolute path"),
])
def test_media_path_leaving_the_sources_is_refused(mini, path, expected):
    edit(mini / "sections" / "home.yaml", "file: media/guide.pdf\n  - kind: folder", f"file: {path}\n  - kind: folder")
    found = problems_of(mini)
    assert any(expected in p for p in found)


def test_symlink_out_of_the_sources_is_refused(mini, tmp_path):
    outside = tmp_path / "secret.pdf"
    outside.write_bytes((mini / "media" / "guide.pdf").read_bytes())
    (mini / "media" / "guide.pdf").unlink()
    (mini / "media" / "guide.pdf").symlink_to(outside)
    assert any("is a link that leads out of the sources folder" in p for p in problems_of(mini))


def test_content_must_match_extension(mini):
    (mini / "media" / "guide.pdf").write_bytes(b"<html>not a pdf</html>")
    assert any("does not contain what its extension says (.pdf)" in p for p in problems_of(mini))


def test_yaml_alias_bomb_is_refused_quickly(mini):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
    (mini / "sections" / "home.yaml").write_text(bomb)
    found = problems_of(mini)
    assert any("YAML aliases (*name) are not allowed" in p for p in found)


def test_not_utf8_empty_and_huge_files(mini):
    (mini / "sections" / "home.yaml").write_bytes("title: Acc\xe9ueil\n".encode("latin-1"))
    (mini / "sections" / "tutorials.yaml").write_text("  \n")
    (mini / "sections" / "toolbox.yaml").write_text("title: x\n" + "# padding\n" * 500_000)
    found = problems_of(mini)
    assert any("home.yaml:1:" in p and "not valid UTF-8" in p for p in found)
    assert any("tutorials.yaml:1:1: the file is empty" in p for p in found)
    assert any("toolbox.yaml: file is too large" in p for p in found)


def test_bom_and_crlf_are_accepted(mini):
    path = mini / "sections" / "home.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    course = load(mini)
    assert course.sections[0].title == "Accueil"


def test_validate_command_exit_status_and_no_traceback(mini):
    edit(mini / "sections" / "home.yaml", "    title: Annonces\n", "    titel: Annonces\n    title: Annonces\n")
    result = CliRunner().invoke(main, ["validate", str(mini)])
    assert result.exit_code == 2
    assert "unknown key 'titel'" in result.output
    assert "Traceback" not in result.output


def test_validate_checks_the_expected_counts(mini):
    edit(mini / "course.yaml", "exercises: 8,", "exercises: 9,")
    result = CliRunner().invoke(main, ["validate", str(mini)])
    assert result.exit_code == 2
    assert "per edition: expected 9 exercises, the sources give 8" in result.output


def test_zero_byte_and_non_file_media(mini):
    (mini / "media" / "guide.pdf").write_bytes(b"")
    assert any("media file 'media/guide.pdf' is empty (0 bytes)" in p for p in problems_of(mini))
    (mini / "media" / "guide.pdf").unlink()
    (mini / "media" / "guide.pdf").mkdir()
    assert any("'media/guide.pdf' is not a regular file" in p for p in problems_of(mini))


def test_unreadable_media(mini, monkeypatch):
    # as root every file is readable: make reading this one fail like EACCES does
    import builtins
    import resolution_pack.media as media
    real_open = builtins.open

    def refusing_open(path, *args, **kwargs):
        if str(path).endswith("guide.pdf"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr(media, "open", refusing_open, raising=False)
    assert any("media file 'media/guide.pdf' cannot be read: Permission denied" in p for p in problems_of(mini))


@pytest.mark.parametrize("text, found", [
    ("plain é ñ œ ő \u00a0 tab\tnew\nline\r", []),
    ("nul\x00", ["U+0000"]), ("bell\x07 and vt\x0b ff\x0c", ["U+0007", "U+000B", "U+000C"]),
    ("unit sep\x1f", ["U+001F"]), ("del\x7f", ["U+007F"]), ("c1\x80\x9f", ["U+0080", "U+009F"]),
    ("\ufffe\uffff", ["U+FFFE", "U+FFFF"]), ("lone \ud800", ["U+D800"]), ("\x00\x00", ["U+0000"]),
])
def test_one_control_character_rule_for_sources_translations_and_archives(text, found):
    from resolution_pack.i18n import markup
    from resolution_pack.text import control_characters, without_control_characters
    assert control_characters(text) == found
    assert (("control characters " + ", ".join(found)) in markup.problems("x", text, rich=False)) == bool(found)
    assert control_characters(without_control_characters(text)) == []
    assert without_control_characters(text) == "".join(c for c in text if f"U+{ord(c):04X}" not in found)


def test_an_indicative_date_is_marked_and_must_be_a_boolean(mini):
    project = mini / "projects" / "p01.yaml"
    edit(project, "{date: \"2019\", label: Premières tournées,", "{date: \"2019\", indicative: true, label: Premières tournées,")
    course = load(mini)
    (p01,) = [p for p in course.projects if p.id == "p01"]
    assert [(s.date, s.indicative, s.shown_date) for s in p01.timeline] == \
        [("2018-03", False, "2018-03"), ("2019", True, "\u2248\u00a02019")]
    edit(project, "indicative: true", "indicative: vers")
    (msg,) = problems_of(mini)
    assert f"p01.yaml:{line_of(project, 'indicative: vers')}:" in msg and "indicative" in msg

"""Compiled templates kept between runs (targets/templating.CompiledTemplates):
taken again instead of compiling, compiled again when the template changes
or the kept code is damaged, kept elsewhere when beside the templates
cannot be written, and never a change to what is rendered."""
import os
import stat
import sys

import pytest
from jinja2 import Environment, FileSystemLoader

from resolution_pack.targets import templating
from resolution_pack.targets.templating import CompiledTemplates


def _env(folder, **settings):
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=True, **settings)
    env.bytecode_cache = CompiledTemplates(folder, templating.flavour(env))
    return env


def _refuse_compiling(monkeypatch):
    def compile_(*args, **kwargs):
        raise AssertionError("compiled again")
    monkeypatch.setattr(Environment, "compile", compile_)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)     # as a default Python (CI may set it)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "a.j2").write_text("<a>{{ x }}</a>\n", "utf-8")
    return folder


def test_a_second_environment_takes_the_compiled_template_from_beside_it(folder, monkeypatch):
    assert _env(folder).get_template("a.j2").render(x="&") == "<a>&amp;</a>"
    kept = list((folder / "__pycache__").iterdir())
    assert len(kept) == 1 and kept[0].suffix == ".jinja"
    _refuse_compiling(monkeypatch)
    assert _env(folder).get_template("a.j2").render(x="<") == "<a>&lt;</a>"


def test_a_changed_template_is_compiled_again(folder):
    _env(folder).get_template("a.j2").render(x=1)
    (folder / "a.j2").write_text("<b>{{ x }}</b>\n", "utf-8")
    assert _env(folder).get_template("a.j2").render(x=1) == "<b>1</b>"


def test_other_settings_are_other_code(folder):
    _env(folder).get_template("a.j2").render(x=1)
    (folder / "a.j2").write_text("{% if x %}\n  y\n{% endif %}\n", "utf-8")
    assert _env(folder).get_template("a.j2").render(x=1) == "\n  y\n"
    trimmed = _env(folder, trim_blocks=True, lstrip_blocks=True)
    assert trimmed.get_template("a.j2").render(x=1) == "  y\n"
    assert len(list((folder / "__pycache__").iterdir())) == 2


@pytest.mark.parametrize("damage", [b"", b"j2 not jinja", None])
def test_damaged_kept_code_is_compiled_again(folder, damage):
    _env(folder).get_template("a.j2").render(x=1)
    [kept] = (folder / "__pycache__").iterdir()
    data = kept.read_bytes()
    kept.write_bytes(data[: len(data) // 2] if damage is None else damage)
    assert _env(folder).get_template("a.j2").render(x=2) == "<a>2</a>"
    assert kept.read_bytes() == data           # written again whole


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_beside_the_templates_unwritable_the_code_is_kept_in_the_user_cache(folder, tmp_path, monkeypatch):
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert _env(folder).get_template("a.j2").render(x=1) == "<a>1</a>"
        assert not (folder / "__pycache__").exists()
        assert len(list((tmp_path / "xdg" / "resolution-pack" / "templates").iterdir())) == 1
        _refuse_compiling(monkeypatch)
        assert _env(folder).get_template("a.j2").render(x=3) == "<a>3</a>"
    finally:
        folder.chmod(stat.S_IRWXU)


def test_the_cache_falls_back_to_the_user_cache_and_to_nothing(folder, tmp_path, monkeypatch):
    (folder / "__pycache__").write_text("a file, not a folder", "utf-8")   # beside cannot be written
    assert _env(folder).get_template("a.j2").render(x=1) == "<a>1</a>"
    assert len(list((tmp_path / "xdg" / "resolution-pack" / "templates").iterdir())) == 1
    (tmp_path / "xdg" / "resolution-pack").rename(tmp_path / "moved")
    (tmp_path / "xdg" / "resolution-pack").write_text("nor this", "utf-8")
    assert _env(folder).get_template("a.j2").render(x=4) == "<a>4</a>"    # nowhere to keep it: still renders


def test_told_not_to_write_bytecode_nothing_is_written_beside_the_templates(folder, tmp_path, monkeypatch):
    _env(folder).get_template("a.j2").render(x=1)          # kept beside, by a Python allowed to
    (folder / "b.j2").write_text("b", "utf-8")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert _env(folder).get_template("b.j2").render() == "b"
    assert len(list((folder / "__pycache__").iterdir())) == 1
    assert len(list((tmp_path / "xdg" / "resolution-pack" / "templates").iterdir())) == 1
    _refuse_compiling(monkeypatch)                          # what is there is still read, as Python does
    assert _env(folder).get_template("a.j2").render(x=2) == "<a>2</a>"
    assert _env(folder).get_template("b.j2").render() == "b"


def test_the_shipped_environments_keep_their_compiled_templates():
    env = templating.environment("html")
    assert isinstance(env.bytecode_cache, CompiledTemplates)
    assert env.bytecode_cache.folder.name == "html"
    from resolution_pack.targets import scorm
    assert scorm._environment().bytecode_cache.folder.name == "scorm"

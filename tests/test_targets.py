"""The targets' interface: every target is a module that satisfies Target,
`build --target` picks them, and building some targets leaves the others'
archives alone."""
import types

import pytest

from resolution_pack import targets
from resolution_pack.build import BuildOptions, build
from resolution_pack.cli import main
from resolution_pack.targets import TARGETS, Target, load_targets, target_names


def test_every_target_satisfies_the_protocol():
    loaded = load_targets()
    assert [t.NAME for t in loaded] == list(TARGETS)
    for target in loaded:
        assert isinstance(target, Target)
        for option, values in target.OPTIONS.items():
            assert values and all(isinstance(v, str) for v in values), (target.NAME, option)


def test_a_module_without_render_is_refused(monkeypatch):
    broken = types.ModuleType("resolution_pack.targets.broken")
    broken.NAME, broken.OPTIONS = "broken", {}
    broken.outputs = lambda edition: []
    monkeypatch.setitem(TARGETS, "broken", "broken")
    monkeypatch.setitem(__import__("sys").modules, "resolution_pack.targets.broken", broken)
    with pytest.raises(TypeError, match="does not define the Target interface"):
        load_targets(("broken",))


def test_target_names_accept_module_names_and_keep_the_table_order():
    assert target_names(()) == tuple(TARGETS)
    assert target_names(("scorm", "moodle_backup")) == ("moodle", "scorm")
    with pytest.raises(ValueError, match="unknown target nope"):
        target_names(("nope",))


def test_building_one_target_keeps_the_other_targets_archives(mini, tmp_path):
    out = tmp_path / "build"
    build(BuildOptions(sources=mini, out=out, jobs=1, langs=("fr",)))
    scorm = out / "fr" / "scorm" / "part-1-fr.zip"
    mbz = out / "fr" / "MINI-FR.mbz"
    before = scorm.stat().st_ino, scorm.read_bytes()
    mbz.unlink()
    result = build(BuildOptions(sources=mini, out=out, jobs=1, langs=("fr",), targets=("moodle",)))
    assert result.archives == ["fr/MINI-FR.mbz"]
    assert mbz.is_file()
    assert (scorm.stat().st_ino, scorm.read_bytes()) == before


def test_cli_refuses_an_unknown_target(mini, tmp_path):
    from click.testing import CliRunner
    result = CliRunner().invoke(main, ["build", "--sources", str(mini), "--out", str(tmp_path / "b"),
                                       "--target", "nope"])
    assert result.exit_code == 2
    assert "nope" in result.output and "moodle" in result.output


def test_default_options_cover_every_target_option():
    assert targets.default_options()["scorm_version"] == "2004"

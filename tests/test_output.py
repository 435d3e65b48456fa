"""The output folder: a build touches only what builds of ours wrote there,
and leaves nothing beside it."""
import hashlib
import json
import os
import shutil

import pytest
from click.testing import CliRunner

from resolution_pack import output
from resolution_pack.build import BuildOptions, build
from resolution_pack.cli import main
from resolution_pack.errors import InputError

from conftest import edit

# every target's archives, for both editions of the mini course
ARCHIVES = [f"{lang}/{name}" for lang in ("en", "fr") for name in (
    f"MINI-{lang.upper()}-questions.xml", f"MINI-{lang.upper()}.imscc", f"MINI-{lang.upper()}.mbz",
    f"scorm/part-1-{lang}.zip")]


def opts(mini, out, **kw):
    return BuildOptions(sources=mini, out=out, jobs=1, **kw)


def tree(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def manifest(out):
    return json.loads((out / ".resolution-pack" / "manifest.json").read_text("utf-8"))


def test_the_manifest_lists_every_file_written_with_size_and_sha256(mini, tmp_path):
    out = tmp_path / "build"
    build(opts(mini, out))
    files = manifest(out)["files"]
    assert sorted(files) == ARCHIVES
    for name, record in files.items():
        data = (out / name).read_bytes()
        assert record == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert sorted(os.listdir(out)) == [".resolution-pack", "en", "fr"]
    assert sorted(os.listdir(out / ".resolution-pack")) == ["lock", "manifest.json"]
    assert sorted(os.listdir(tmp_path)) == ["build", "sources"]


def test_files_of_the_user_in_the_output_folder_are_kept(mini, tmp_path):
    out = tmp_path / "build"
    build(opts(mini, out))
    (out / "notes.txt").write_text("mine")
    (out / "en" / "scorm" / "notes.txt").write_text("mine too")
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr "EN News"')
    build(opts(mini, out, langs=("en",)))
    build(opts(mini, out, use_cache=False))
    build(opts(mini, out, targets=("moodle_backup",)))   # some targets only: the others' archives are kept
    assert sorted(manifest(out)["files"]) == ARCHIVES
    edit(mini / "sections" / "part-1.yaml", "role: mooc-part", "role: assessment")
    build(opts(mini, out))                                  # no MOOC part: the SCORM packages are no longer built
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "en" / "scorm" / "notes.txt").read_text() == "mine too"
    # what earlier builds wrote and this one did not is removed, with the folders it empties
    assert not (out / "en" / "scorm" / "part-1-en.zip").exists() and not (out / "fr" / "scorm").exists()
    assert sorted(manifest(out)["files"]) == [a for a in ARCHIVES if "/scorm/" not in a]


def test_a_non_empty_folder_that_no_build_made_is_refused_and_left_as_it_was(mini, tmp_path):
    out = tmp_path / "hu"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(InputError) as info:
        build(opts(mini, out, langs=("fr",)))
    assert "the output folder is not empty and no build of resolution-pack made it (it holds notes.txt)" \
        in str(info.value)
    assert "fix: build into an empty or new folder" in str(info.value)
    assert tree(out) == ["notes.txt"] and sorted(os.listdir(tmp_path)) == ["hu", "sources"]


def test_empty_and_nonexistent_folders_are_fine(mini, tmp_path):
    (tmp_path / "empty").mkdir()
    build(opts(mini, tmp_path / "empty"))
    build(opts(mini, tmp_path / "new" / "deep" / "out"))
    assert sorted(manifest(tmp_path / "empty")["files"]) == sorted(manifest(tmp_path / "new" / "deep" / "out")["files"]) \
        == ARCHIVES


def test_out_dot_in_a_checkout_is_refused_and_deletes_nothing(mini, tmp_path, monkeypatch):
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    shutil.move(mini, checkout / "sources")
    for name in ("README.md", "pyproject.toml", "setup.py", ".gitignore"):
        (checkout / name).write_text(name)
    before = tree(checkout)
    monkeypatch.chdir(checkout)
    result = CliRunner().invoke(main, ["build", "--lang", "fr", "--out", ".", "-j", "1"])
    assert result.exit_code == 2, result.output
    assert "the output folder and the sources" in result.output and "overlap" in result.output
    assert "fix: build into a folder of its own" in result.output
    assert tree(checkout) == before


def test_out_inside_the_sources_is_refused(mini, tmp_path):
    with pytest.raises(InputError, match="overlap"):
        build(opts(mini, mini / "build"))
    assert not (mini / "build").exists()


def test_a_build_with_no_sources_leaves_nothing_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--lang", "hu", "--out", "hu"])
    assert result.exit_code == 2, result.output
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2, result.output
    assert os.listdir(tmp_path) == []


def test_a_failed_first_build_removes_the_folder_it_created(mini, tmp_path):
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr ""')
    with pytest.raises(InputError, match="untranslated"):
        build(opts(mini, tmp_path / "out" / "build"))
    assert sorted(os.listdir(tmp_path)) == ["sources"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="untranslated"):
        build(opts(mini, tmp_path / "empty"))
    assert os.listdir(tmp_path / "empty") == []


def test_a_path_the_build_would_write_holding_a_file_of_the_user_is_refused(mini, tmp_path):
    out = tmp_path / "build"
    build(opts(mini, out, langs=("fr",)))
    (out / "en").mkdir()
    (out / "en" / "MINI-EN.mbz").write_text("the user's own file")
    with pytest.raises(InputError) as info:
        build(opts(mini, out))
    assert "MINI-EN.mbz: exists and was not written by resolution-pack" in str(info.value)
    assert (out / "en" / "MINI-EN.mbz").read_text() == "the user's own file"
    assert sorted(manifest(out)["files"]) == [a for a in ARCHIVES if a.startswith("fr/")]
    assert not list(out.glob(".resolution-pack/tmp-*"))


def test_an_output_of_the_older_layout_is_adopted(mini, tmp_path):
    out = tmp_path / "build"
    build(opts(mini, out))
    shutil.rmtree(out / ".resolution-pack")
    # what versions before the state folder left: one manifest at the top listing the archives
    (out / ".resolution-pack-build.json").write_text(json.dumps(
        {"editions": {"fr": {"fingerprint": "x", "archives": ARCHIVES[4:]},
                      "en": {"fingerprint": "y", "archives": ARCHIVES[:4]}}, "files": {}}))
    (out / "notes.txt").write_text("mine")
    edit(mini / "sections" / "part-1.yaml", "role: mooc-part", "role: assessment")   # no SCORM package any more
    build(opts(mini, out))
    assert tree(out) == [".resolution-pack", ".resolution-pack/lock", ".resolution-pack/manifest.json",
                         "en", "en/MINI-EN-questions.xml", "en/MINI-EN.imscc", "en/MINI-EN.mbz",
                         "fr", "fr/MINI-FR-questions.xml", "fr/MINI-FR.imscc", "fr/MINI-FR.mbz", "notes.txt"]


def test_a_symlinked_output_folder_stays_a_link(mini, tmp_path):
    real = tmp_path / "elsewhere" / "real-build"
    real.mkdir(parents=True)
    link = tmp_path / "build"
    link.symlink_to(real)
    build(opts(mini, link))
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr "EN News"')
    build(opts(mini, link))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert sorted(manifest(real)["files"]) == ARCHIVES
    assert sorted(os.listdir(tmp_path)) == ["build", "elsewhere", "sources"]
    assert sorted(os.listdir(tmp_path / "elsewhere")) == ["real-build"]


def test_a_build_killed_while_placing_is_recovered_by_the_next(mini, tmp_path, monkeypatch):
    out = tmp_path / "build"

    def killed(self, manifest, files=None):
        raise KeyboardInterrupt
    with monkeypatch.context() as patch:
        patch.setattr(output.OutputFolder, "commit", killed)
        with pytest.raises(KeyboardInterrupt):
            build(opts(mini, out))
    # the archives are in place, the manifest was never written: the journal names them
    assert sorted(os.listdir(out / ".resolution-pack")) == ["journal.json", "lock"]
    (out / "en" / "scorm" / "part-1-en.zip").unlink()
    build(opts(mini, out, targets=("moodle_backup",)))
    assert sorted(os.listdir(out / ".resolution-pack")) == ["lock", "manifest.json"]
    assert tree(out) == [".resolution-pack", ".resolution-pack/lock", ".resolution-pack/manifest.json",
                         "en", "en/MINI-EN.mbz", "fr", "fr/MINI-FR.mbz"]


def test_an_output_that_is_a_file_is_refused(mini, tmp_path):
    (tmp_path / "build").write_text("x")
    with pytest.raises(InputError, match="the output folder is a file"):
        build(opts(mini, tmp_path / "build"))
    assert (tmp_path / "build").read_text() == "x"


def test_one_place_names_the_output_files_and_check_finds_each_by_it(mini, tmp_path):
    from fnmatch import fnmatch
    from resolution_pack import layout
    from resolution_pack.check import READERS
    assert (layout.mbz_name("MINI-FR"), layout.scorm_name("part-1", "fr"), layout.imscc_name("MINI-FR"),
            layout.questions_name("MINI-FR")) == ("MINI-FR.mbz", "scorm/part-1-fr.zip", "MINI-FR.imscc",
                                                  "MINI-FR-questions.xml")
    result = build(opts(mini, tmp_path / "build"))
    assert result.archives == ARCHIVES
    for name in result.archives:
        lang, _, rest = name.partition("/")
        assert [pattern for pattern, _reader in READERS if fnmatch(rest, pattern)] in (
            [layout.MBZ_GLOB], [layout.SCORM_GLOB], [layout.IMSCC_GLOB], [layout.QUESTIONS_GLOB])

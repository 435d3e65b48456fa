"""Orchestration: reproducible bytes, the cache, atomic output, the lock."""
import errno
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from resolution_pack import build as build_module
from resolution_pack.build import BuildOptions, build
from resolution_pack.errors import InputError

from conftest import edit


def _archives(folder: Path):
    """Every file of an output folder but its state folder (.resolution-pack/)."""
    return [p for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)]


def sums(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in _archives(folder)}


def inodes(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in _archives(folder)}


def beside(folder: Path) -> list:
    """What a build left in the folder that holds the sources and the output."""
    return sorted(p.name for p in folder.iterdir() if p.name not in ("sources", "build"))


def opts(mini, out, **kw):
    return BuildOptions(sources=mini, out=out, jobs=1, **kw)


def test_same_sources_same_bytes_under_other_umask_tz_locale_and_mtimes(mini, tmp_path):
    first = tmp_path / "a" / "build"
    build(opts(mini, first))
    # another folder, another umask, TZ and locale, source files touched
    for path in mini.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    second = tmp_path / "b" / "build"
    env = dict(os.environ, TZ="Pacific/Kiritimati", LC_ALL="C.UTF-8", LANG="C.UTF-8")
    code = ("import os, sys; os.umask(0o077); from resolution_pack.cli import main; "
            f"sys.argv=['resolution-pack','build','--quiet','--sources',{str(mini)!r},'--out',{str(second)!r}]; main()")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=tmp_path)
    assert sums(first) and sums(first) == sums(second)


def test_source_date_epoch_sets_the_timestamps(mini, tmp_path, monkeypatch):
    build(opts(mini, tmp_path / "a"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(opts(mini, tmp_path / "b"))
    a, b = sums(tmp_path / "a"), sums(tmp_path / "b")
    assert a.keys() == b.keys() and a != b


def test_noop_rebuild_rewrites_nothing(mini, tmp_path):
    out = tmp_path / "build"
    first = build(opts(mini, out))
    before = inodes(out)
    second = build(opts(mini, out))
    assert second.rebuilt == [] and second.reused == ["en", "fr"]
    assert inodes(out) == before
    assert sorted(second.archives) == sorted(first.archives)


def test_one_string_change_rebuilds_only_its_edition(mini, tmp_path):
    out = tmp_path / "build"
    build(opts(mini, out))
    before = inodes(out)
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr "EN News"')
    result = build(opts(mini, out))
    assert result.rebuilt == ["en"] and result.reused == ["fr"]
    after = inodes(out)
    assert {k: v for k, v in after.items() if k.startswith("fr/")} == \
        {k: v for k, v in before.items() if k.startswith("fr/")}
    assert after["en/MINI-EN.mbz"] != before["en/MINI-EN.mbz"]
    # the forum is not in the SCORM package: that archive is kept as it was
    assert after["en/scorm/part-1-en.zip"] == before["en/scorm/part-1-en.zip"]


def test_building_one_language_keeps_the_others(mini, tmp_path):
    out = tmp_path / "build"
    build(opts(mini, out))
    en_before = sums(out / "en")
    build(opts(mini, out, langs=("fr",), use_cache=False))
    assert sums(out / "en") == en_before


class _Boom:
    NAME = "boom"

    def __init__(self, exc):
        self.exc = exc

    def render(self, edition, out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "half-written.mbz").write_bytes(b"partial")
        raise self.exc


def test_failed_build_leaves_the_previous_output_as_it_was(mini, tmp_path, monkeypatch):
    out = tmp_path / "build"
    build(opts(mini, out))
    before = sums(out)
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr "EN News"')
    monkeypatch.setattr(build_module, "load_targets", lambda *a: [_Boom(RuntimeError("killed"))])
    with pytest.raises(RuntimeError):
        build(opts(mini, out))
    assert sums(out) == before
    assert beside(tmp_path) == []
    assert sorted(p.name for p in (out / ".resolution-pack").iterdir()) == ["lock", "manifest.json"]


def test_full_disk_is_reported_not_a_traceback(mini, tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "load_targets",
                        lambda *a: [_Boom(OSError(errno.ENOSPC, "No space left on device"))])
    with pytest.raises(InputError) as info:
        build(opts(mini, tmp_path / "build"))
    assert "no space left on the device" in str(info.value)
    assert not (tmp_path / "build").exists() and beside(tmp_path) == []


def test_two_builds_at_once_the_second_is_refused(mini, tmp_path):
    out = tmp_path / "build"
    (out / ".resolution-pack").mkdir(parents=True)
    with open(out / ".resolution-pack" / "lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(InputError) as info:
            build(opts(mini, out))
    assert "another build is writing this output folder" in str(info.value)
    assert sorted(p.name for p in out.rglob("*")) == [".resolution-pack", "lock"]
    assert beside(tmp_path) == []


def test_incomplete_translation_fails_and_allow_incomplete_warns(mini, tmp_path):
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr ""')
    with pytest.raises(InputError) as info:
        build(opts(mini, tmp_path / "build"))
    assert "untranslated string" in str(info.value) and "home.announcements:title" in str(info.value)
    result = build(opts(mini, tmp_path / "build", allow_incomplete=True))
    assert len(result.warnings) == 1
    assert result.archives == ["en/MINI-EN-questions.xml", "en/MINI-EN.imscc", "en/MINI-EN.mbz", "en/scorm/part-1-en.zip",
                               "fr/MINI-FR-questions.xml", "fr/MINI-FR.imscc", "fr/MINI-FR.mbz", "fr/scorm/part-1-fr.zip"]


def test_a_reused_edition_keeps_its_fallback_warnings_and_is_not_reused_without_allow_incomplete(mini, tmp_path):
    out = tmp_path / "build"
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr ""')
    first = build(opts(mini, out, allow_incomplete=True))
    (mini / "README.txt").write_text("not read by the model\n", "utf-8")   # the inputs change, no edition's
    again = build(opts(mini, out, allow_incomplete=True))
    assert again.reused == ["en", "fr"] and again.rebuilt == []
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert len(again.warnings) == 1 and "'Annonces'" in str(again.warnings[0])
    with pytest.raises(InputError) as info:
        build(opts(mini, out))
    assert "untranslated string" in str(info.value) and "home.announcements:title" in str(info.value)


def test_every_edition_s_translation_problems_are_reported_together_from_the_workers(mini, tmp_path):
    out = tmp_path / "build"
    shutil.copy(mini / "locale" / "en.po", mini / "locale" / "de.po")
    edit(mini / "course.yaml", "languages: [fr, en]", "languages: [fr, en, de]")
    edit(mini / "course.yaml", "  en: {shortname: MINI-EN", '  de: {shortname: MINI-DE, fullname: "Mini-Kurs"}\n  en: {shortname: MINI-EN')
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr ""')
    edit(mini / "locale" / "de.po", 'msgstr "EN Annonces"', 'msgstr "EN <script>Annonces"')
    with pytest.raises(InputError) as info:
        build(BuildOptions(sources=mini, out=out, jobs=2))
    text = str(info.value)
    assert "sources/locale/en.po" in text and "untranslated string" in text
    assert "sources/locale/de.po" in text and "translation refused" in text
    assert not out.exists() or _archives(out) == []


def test_killed_build_leaves_the_previous_output_and_the_next_build_cleans_up(mini, tmp_path):
    import signal
    out = tmp_path / "build"
    build(opts(mini, out))
    before = sums(out)
    edit(mini / "locale" / "en.po", 'msgstr "EN Annonces"', 'msgstr "EN News"')
    # killed once every archive is staged, before any is placed: polling for the staged .mbz and
    # killing then raced a build that had become fast enough to place everything within the poll
    code = ("import os, signal, sys; from resolution_pack.cli import main; from resolution_pack import output; "
            "output.OutputFolder.place = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL); "
            f"sys.argv=['resolution-pack','build','--quiet','-j','1','--sources',{str(mini)!r},'--out',{str(out)!r}]; main()")
    proc = subprocess.run([sys.executable, "-c", code], timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert list(out.glob(".resolution-pack/tmp-*/*/*.mbz"))      # it had staged its archives
    assert sums(out) == before
    build(opts(mini, out))
    assert beside(tmp_path) == [] and not list(out.glob(".resolution-pack/tmp-*"))
    assert sums(out) != before


def test_verify_reproducible_command(mini, tmp_path):
    from click.testing import CliRunner
    from resolution_pack.cli import main
    result = CliRunner().invoke(main, ["build", "--verify-reproducible", "--sources", str(mini),
                                       "--out", str(tmp_path / "build"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "reproducible: two builds gave identical archives" in result.output
    assert not (tmp_path / "build").exists()  # it builds in temporary folders only


def test_verify_reproducible_reports_a_difference(mini, tmp_path, monkeypatch):
    from click.testing import CliRunner
    from resolution_pack import archive
    from resolution_pack.cli import main
    import itertools
    clock = itertools.count(1_700_000_000)  # a clock that moves: what reproducibility forbids
    monkeypatch.setattr(archive, "source_date_epoch", lambda: next(clock))
    result = CliRunner().invoke(main, ["build", "--verify-reproducible", "--sources", str(mini), "-j", "1"])
    assert result.exit_code == 1
    assert "not reproducible: " in result.output


def test_noop_rebuild_parses_nothing(mini, tmp_path, monkeypatch):
    out = tmp_path / "build"
    build(opts(mini, out))
    for path in mini.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # touched, not changed

    def must_not_run(options):
        raise AssertionError("the sources were parsed again")
    monkeypatch.setattr(build_module, "_load", must_not_run)
    result = build(opts(mini, out))
    assert result.reused == ["en", "fr"] and len(result.archives) == 8     # 4 targets, 2 editions
    edit(mini / "sections" / "home.yaml", "title: Annonces", "title: Nouvelles")
    with pytest.raises(AssertionError, match="parsed again"):
        build(opts(mini, out))


def test_input_errors_cross_the_process_boundary_with_their_problems():
    import pickle
    from resolution_pack.errors import Problem
    from resolution_pack.targets.scorm_content import ScormInputError
    problems = [Problem("sources/a.yaml", 3, 5, "bad", "x.y", "fix it"), Problem("sources/b.yaml", 1, 0, "worse")]
    for error in (InputError(problems), ScormInputError("too many", "sources/c.yaml", 7, "merge them")):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and copy.problems == error.problems and str(copy) == str(error)


class _InputErrorTarget:
    NAME = "bad-input"

    @staticmethod
    def render(edition, out_dir):
        from resolution_pack.errors import Problem
        raise InputError([Problem(f"sources/{edition.course.lang}.yaml", 12, 3, "cannot hold this", fix="change it"),
                          Problem("sources/other.yaml", 2, 0, "nor this")])


def test_an_input_error_in_a_build_worker_is_reported_as_file_and_line(mini, tmp_path, monkeypatch):
    import multiprocessing
    from click.testing import CliRunner
    from resolution_pack.cli import main
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the patched target reaches the workers only when they are forked")
    monkeypatch.setattr(build_module, "load_targets", lambda *a: [_InputErrorTarget])
    result = CliRunner().invoke(main, ["build", "--sources", str(mini), "--out", str(tmp_path / "build"), "-j", "2"])
    assert result.exit_code == 2, result.output
    assert "sources/en.yaml:12:3: cannot hold this\n    fix: change it\n" in result.output
    assert "sources/other.yaml:2: nor this" in result.output
    assert "internal error" not in result.output and "BrokenProcessPool" not in result.output
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "build").exists()


def test_the_worker_pool_is_shut_down_after_a_build(mini, tmp_path):
    import multiprocessing
    result = build(BuildOptions(sources=mini, out=tmp_path / "build", jobs=2))
    assert result.rebuilt == ["en", "fr"]
    assert multiprocessing.active_children() == []


def test_the_workers_are_forked_before_the_course_is_loaded(mini, tmp_path, monkeypatch):
    # a worker forked after the load holds a copy of the parent's model (at
    # 100x, ~0.7 GB of resident memory in each); forked before, it does not
    import multiprocessing
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("only a forked worker inherits the parent's memory")
    seen = []
    real = build_module._load

    def load(options):
        seen.append(len(multiprocessing.active_children()))
        return real(options)
    monkeypatch.setattr(build_module, "_load", load)
    result = build(BuildOptions(sources=mini, out=tmp_path / "build", jobs=2))
    assert seen == [2] and result.rebuilt == ["en", "fr"]
    assert multiprocessing.active_children() == []
    assert not list((tmp_path / "build").rglob("course.pickle"))


def test_an_up_to_date_build_starts_no_worker(mini, tmp_path, monkeypatch):
    from resolution_pack import workers
    out = tmp_path / "build"
    build(BuildOptions(sources=mini, out=out, jobs=2))

    def refused(*args, **kwargs):
        raise AssertionError("a worker process was started")
    monkeypatch.setattr(workers, "ProcessPoolExecutor", refused)
    assert build(BuildOptions(sources=mini, out=out, jobs=2)).reused == ["en", "fr"]
    assert build(BuildOptions(sources=mini, out=tmp_path / "one", jobs=2, langs=("fr",),
                              allow_incomplete=True)).rebuilt == ["fr"]
    with pytest.raises(AssertionError, match="worker process"):
        build(BuildOptions(sources=mini, out=tmp_path / "two", jobs=2))


def test_workers_and_one_process_write_the_same_bytes(mini, tmp_path):
    build(BuildOptions(sources=mini, out=tmp_path / "one", jobs=1))
    build(BuildOptions(sources=mini, out=tmp_path / "two", jobs=2))
    assert sums(tmp_path / "one") and sums(tmp_path / "one") == sums(tmp_path / "two")

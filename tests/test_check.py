"""`check` passes on a good build and names each corruption precisely."""
import io
import json
import re
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from resolution_pack.build import BuildOptions, build
from resolution_pack.check import analyse, vtt_problems
from resolution_pack.cli import main

from conftest import MINI


@pytest.fixture(scope="module")
def good_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("good") / "build"
    build(BuildOptions(sources=MINI, out=out, jobs=1))
    return out


@pytest.fixture
def built(good_build, tmp_path) -> Path:
    copy = tmp_path / "build"
    shutil.copytree(good_build, copy)
    return copy


def rewrite_mbz(path: Path, transform) -> None:
    """Rewrite a .mbz; transform(name, data) returns (name, data) or None to drop."""
    with tarfile.open(path) as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar]
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as out:
        for member, data in members:
            if data is None:
                out.addfile(member)
                continue
            result = transform(member.name, data)
            if result is None:
                continue
            member.name, data = result
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    path.write_bytes(buf.getvalue())


def rewrite_zip(path: Path, transform) -> None:
    with zipfile.ZipFile(path) as zf:
        entries = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries:
            result = transform(name, data)
            if result is not None:
                zf.writestr(result[0], result[1])


def mbz(build_dir: Path, lang="fr") -> Path:
    return next((build_dir / lang).glob("*.mbz"))


def problems(build_dir: Path) -> list[str]:
    _reports, found = analyse(build_dir)
    return [str(p) for p in found]


def test_good_build_passes_and_counts_from_the_archives(good_build):
    reports, found = analyse(good_build)
    assert found == []
    assert sorted(reports) == ["en", "fr"]
    fr = reports["fr"].figures
    # the mini course: 1 project, 3 tutorial videos with a track each, 1 MOOC video,
    # 1 graded quiz of 8 questions, 3 formative questions
    assert fr == {"projects": 1, "tutorial_videos": 3, "subtitle_files": 3, "mooc_videos": 1,
                  "evaluation_phases": 1, "exercises": 8, "formative_activities": 3}
    assert reports["en"].course_lang == "en" and reports["en"].subtitle_languages == {"en": 5}
    assert reports["fr"].activities_by_type["quiz"] == 2
    assert reports["fr"].scorm_questions["exercise"] == reports["fr"].mbz_questions["exercise"] == \
        {f"part-1.evaluation.q{n:02d}" for n in range(1, 9)}


def test_cli_json_and_exit_status(good_build):
    result = CliRunner().invoke(main, ["check", str(good_build), "--sources", str(MINI), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["editions"]["fr"]["exercises"] == 8 and data["total"]["exercises"] == 16
    assert data["problems"] == []


def test_a_figure_that_differs_exits_1_naming_edition_figure_expected_found(good_build, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(MINI, sources)
    text = (sources / "course.yaml").read_text().replace("exercises: 8,", "exercises: 9,")
    (sources / "course.yaml").write_text(text)
    result = CliRunner().invoke(main, ["check", str(good_build), "--sources", str(sources)])
    assert result.exit_code == 1
    assert "fr: [count] exercises: expected 9, found 8" in result.output


def test_removed_file_blob(built):
    path = mbz(built)
    rewrite_mbz(path, lambda n, d: None if n.startswith("files/") and d.startswith(b"%PDF") else (n, d))
    assert any("[files]" in p and "has no blob files/" in p for p in problems(built))


def test_changed_hash(built):
    path = mbz(built)
    rewrite_mbz(path, lambda n, d: (n, d.replace(b"WEBVTT", b"WEBVTX")) if n.startswith("files/") else (n, d))
    found = problems(built)
    assert any("[files]" in p and "has sha1" in p for p in found)


def test_dropped_question(built):
    def drop_first_entry(name, data):
        if name == "questions.xml":
            data = re.sub(rb"<question_bank_entry id=.*?</question_bank_entry>", b"", data, count=1, flags=re.S)
        return name, data
    rewrite_mbz(mbz(built), drop_first_entry)
    assert any("[reference]" in p and "points at question bank entry" in p for p in problems(built))


def test_dangling_file_reference(built):
    def dangle(name, data):
        if name.endswith("inforef.xml") and b"<fileref>" in data:
            data = re.sub(rb"<id>\d+</id>", b"<id>987654321</id>", data, count=1)
        return name, data
    rewrite_mbz(mbz(built), dangle)
    assert any("file 987654321 is not in files.xml" in p for p in problems(built))


def test_missing_activity_folder(built):
    path = mbz(built)
    with tarfile.open(path) as tar:
        victim = sorted(n.split("/")[1] for n in tar.getnames() if n.startswith("activities/") and n.count("/") >= 2)[0]
    rewrite_mbz(path, lambda n, d: None if n.startswith(f"activities/{victim}/") else (n, d))
    assert any(f"lists activities/{victim}, which is missing" in p for p in problems(built))


def test_malformed_xml_and_bad_webvtt_and_lang(built):
    def corrupt(name, data):
        if name == "course/course.xml":
            data = re.sub(rb"<lang>\w*</lang>", b"<lang>de</lang>", data)
        if name == "sections/" or name.endswith("section.xml"):
            data = data.replace(b"</section>", b"</sektion>", 1)
        if name.startswith("files/") and data.startswith(b"WEBVTT"):
            data = b"WEBVTT\n\n1\n00:00.000 -> 00:01.000\nbroken\n"
        return name, data
    rewrite_mbz(mbz(built), corrupt)
    found = problems(built)
    assert any("[well-formed]" in p and "section.xml" in p for p in found)
    assert any("[language] course lang is 'de', expected 'fr'" in p for p in found)
    assert any("[files]" in p for p in found)  # the blob no longer has its sha1


def test_unsafe_and_junk_entries(built):
    path = mbz(built)
    with tarfile.open(path) as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar]
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as out:
        for m, data in members:
            out.addfile(m, io.BytesIO(data) if data is not None else None)
        for name in ("../evil.xml", ".DS_Store", "__MACOSX/x", "page.xml~"):
            info = tarfile.TarInfo(name)
            info.size = 3
            out.addfile(info, io.BytesIO(b"abc"))
    path.write_bytes(buf.getvalue())
    found = problems(built)
    assert any("unsafe entry name '../evil.xml'" in p for p in found)
    for junk in (".DS_Store", "__MACOSX/x", "page.xml~"):
        assert any(f"junk entry '{junk}'" in p for p in found)


def test_pluginfile_reference_that_resolves_nowhere(built):
    def point_elsewhere(name, data):
        if name.startswith("activities/page_") and b"@@PLUGINFILE@@/" in data:
            data = data.replace(b"@@PLUGINFILE@@/", b"@@PLUGINFILE@@/missing-", 1)
        return name, data
    rewrite_mbz(mbz(built), point_elsewhere)
    assert any("[pluginfile]" in p and "@@PLUGINFILE@@/missing-" in p for p in problems(built))


def test_scorm_drift_and_missing_file(built):
    package = next((built / "fr" / "scorm").glob("*.zip"))

    def drop_question(name, data):
        if name.endswith(".html"):
            data = re.sub(rb'data-question-id="([^"]*evaluation[^"]*)"', rb'data-question-id="renamed-\1"', data,
                          count=1)
        return name, data
    rewrite_zip(package, drop_question)
    found = problems(built)
    assert any("[drift]" in p and "exercise question(s) in the .mbz but in no SCORM package" in p for p in found)

    def drop_file(name, data):
        return None if name.endswith(".vtt") else (name, data)
    rewrite_zip(package, drop_file)
    assert any("imsmanifest.xml lists" in p and ".vtt" in p for p in problems(built))


def test_webvtt_rules():
    assert vtt_problems(b"WEBVTT\n\n1\n00:00.000 --> 00:01.000\nHello\n") == []
    assert vtt_problems(b"1\n00:00.000 --> 00:01.000\nHello\n") == ["does not start with WEBVTT"]
    assert "bad cue timing" in vtt_problems(b"WEBVTT\n\n00:00 --> 00:01\nHi\n")[0]


def test_manifest_that_breaks_the_adl_schema(built):
    from resolution_pack.scorm_xsd import default_folder
    xsd = default_folder()
    if xsd is None:
        pytest.skip("ADL's XSDs not found (tests/node/node_modules): run bash tests/install-test-deps.sh")
    package = next((built / "fr" / "scorm").glob("*.zip"))
    rewrite_zip(package, lambda n, d: (n, d.replace(b"<organizations", b"<organisations", 1)
                                        .replace(b"</organizations>", b"</organisations>", 1))
                if n == "imsmanifest.xml" else (n, d))
    _reports, found = analyse(built, xsd)
    assert any(p.rule == "manifest" and "imsmanifest.xml:" in p.message and "organisations" in p.message
               for p in found), found


def run_check(*args, cwd=None):
    return CliRunner().invoke(main, ["check", *map(str, args)])


def test_expected_figures_come_from_the_build_manifest_wherever_check_runs(good_build, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)    # no sources/ here
    result = run_check(good_build)
    assert result.exit_code == 0, result.output
    assert f"from {good_build}/.resolution-pack/manifest.json:" in result.output
    assert re.search(r"^exercises +8 +8 +16 +8 / 16$", result.output, re.M), result.output
    assert result.output.rstrip().endswith("check: ok")


def test_nothing_to_compare_with_is_bad_input(good_build, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(good_build, copy, ignore=shutil.ignore_patterns(".resolution-pack"))
    result = run_check(copy)
    assert result.exit_code == 2
    assert "no expected figures: the folder holds no manifest of a build" in result.output
    assert "fix: name the folder `resolution-pack build` wrote, or give the sources with --sources DIR" \
        in result.output
    # --sources gives them
    assert run_check(copy, "--sources", MINI).exit_code == 0
    sources = tmp_path / "sources"
    shutil.copytree(MINI, sources)
    text = (sources / "course.yaml").read_text()
    (sources / "course.yaml").write_text(text[:text.index("expected:")])
    result = run_check(copy, "--sources", sources)
    assert result.exit_code == 2 and "no expected figures ('expected' is empty or missing)" in result.output
    result = run_check(copy, "--sources", tmp_path / "nowhere")
    assert result.exit_code == 2 and "course.yaml: no such file" in result.output


def test_a_missing_build_folder_is_bad_input(tmp_path):
    result = run_check(tmp_path / "nonexistent")
    assert result.exit_code == 2
    assert "nonexistent: no such folder" in result.output and "[count]" not in result.output
    (tmp_path / "file").write_text("x")
    assert "file: is not a folder" in run_check(tmp_path / "file").output


def test_a_missing_edition_is_a_difference_unless_lang_restricts_the_check(built):
    shutil.rmtree(built / "en")
    result = run_check(built)
    assert result.exit_code == 1
    assert "en: [structure] no folder for this edition of the course" in result.output
    assert "en/MINI-EN.mbz: [manifest] written by the build but missing" in result.output
    result = run_check(built, "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert "(totals not compared: only some editions were built or checked: build --lang, check --lang)" in result.output
    assert run_check(built, "--lang", "de").exit_code == 2


def test_a_build_of_one_edition_is_checked_as_built(tmp_path):
    out = tmp_path / "build"
    build(BuildOptions(sources=MINI, out=out, jobs=1, langs=("en",)))
    result = run_check(out)
    assert result.exit_code == 0, result.output
    assert "fr: [structure]" not in result.output
    assert "(totals not compared: only some editions were built or checked" in result.output
    shutil.rmtree(out / "en")                     # an edition the build made is still missed
    result = run_check(out)
    assert result.exit_code == 1
    assert "en/MINI-EN.mbz: [manifest] written by the build but missing" in result.output


def test_an_archive_changed_since_the_build_is_named(built):
    package = built / "fr" / "scorm" / "part-1-fr.zip"
    rewrite_zip(package, lambda n, d: (n, d))   # same entries, other bytes
    result = run_check(built)
    assert result.exit_code == 1
    assert "fr/scorm/part-1-fr.zip: [manifest] not the bytes the build wrote (changed since)" in result.output


def test_the_untranslated_rule_uses_the_source_language_of_the_course():
    from resolution_pack.check import EditionReport, _untranslated
    reports = {lang: EditionReport(lang, titles=titles) for lang, titles in
               {"en": ["News", "Quiz", "Guide"], "fr": ["News", "Quiz", "Guide"], "it": ["Notizie", "Quiz", "Guida"]}.items()}
    found = []
    _untranslated(reports, found, "en")
    assert [str(p) for p in found] == ["fr: [language] 3 of 3 activity titles are the same as in the en edition: "
                                       "untranslated?", "it: [language] 1 of 3 activity titles are the same as in "
                                       "the en edition: untranslated?"]
    found = []
    _untranslated(reports, found, "")
    assert found == []


@pytest.mark.parametrize("size, shown", [(0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1536, "1.5 KiB"),
                                         (8_283_750, "7.9 MiB"), (3 * 1024 ** 3, "3.0 GiB"),
                                         (5 * 1024 ** 4, "5120.0 GiB")])
def test_sizes_in_human_units(size, shown):
    from resolution_pack.check.table import human
    assert human(size) == shown


def test_a_closed_pipe_ends_check_quietly(good_build):
    import os
    import subprocess
    import sys
    for _ in range(3):
        read, write = os.pipe()
        os.close(read)   # the reader has gone before the first line: `check | head -0`
        proc = subprocess.run([sys.executable, "-m", "resolution_pack.cli", "check", str(good_build), "--json"],
                              stdout=write, stderr=subprocess.PIPE, text=True)
        os.close(write)
        assert (proc.returncode, proc.stderr) == (141, "")

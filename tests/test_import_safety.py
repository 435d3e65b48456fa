"""Bad backups are refused (archive and member named, exit 2, nothing in
--out); --out is never a folder the user did not ask us to replace; nothing
about people is read."""
from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from resolution_pack.build import BuildOptions, build
from resolution_pack.cli import main
from resolution_pack.errors import InputError
from resolution_pack.importer.archive import Limits, extract
from resolution_pack.importer.run import ImportOptions, run_import

from conftest import MINI
from import_helpers import members, write_tgz


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def mini_mbz(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "build"
    build(BuildOptions(sources=MINI, out=out, langs=("fr",), jobs=1, use_cache=False, targets=("moodle_backup",)))
    return out / "fr" / "MINI-FR.mbz"


def refused(tmp_path, archive: Path, *words):
    out = tmp_path / "out"
    result = run("import", archive, "--out", out)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []   # no staging left
    return result.output


def test_a_truncated_backup(tmp_path, mini_mbz):
    data = mini_mbz.read_bytes()
    bad = tmp_path / "cut.mbz"
    bad.write_bytes(data[: len(data) // 2])
    refused(tmp_path, bad, "cut.mbz", "truncated or damaged")


def test_not_a_backup(tmp_path):
    bad = tmp_path / "notes.mbz"
    bad.write_text("just some text\n", "utf-8")
    refused(tmp_path, bad, "notes.mbz", "not a Moodle backup")


def test_an_archive_without_moodle_backup_xml(tmp_path):
    bad = write_tgz(tmp_path / "other.mbz", {"readme.txt": b"hello"})
    refused(tmp_path, bad, "other.mbz:moodle_backup.xml", "not a Moodle course backup")


@pytest.mark.parametrize("name", ["../evil.xml", "/etc/evil.xml", "files/../../evil.xml", "C:/evil.xml"])
def test_a_member_that_climbs_out(tmp_path, mini_mbz, name):
    files = members(mini_mbz)
    files[name] = b"<x/>"
    bad = write_tgz(tmp_path / "climb.mbz", files)
    refused(tmp_path, bad, f"climb.mbz:{name}", "climbs out of the archive")
    assert not (tmp_path.parent / "evil.xml").exists()


def test_a_link_member(tmp_path, mini_mbz):
    link = tarfile.TarInfo("files/aa/link")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    bad = write_tgz(tmp_path / "link.mbz", members(mini_mbz), extra=[link])
    refused(tmp_path, bad, "link.mbz:files/aa/link", "is a link")


def test_an_entity_bomb(tmp_path, mini_mbz):
    files = members(mini_mbz)
    files["course/course.xml"] = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                                  b"<course><fullname>&lol3;</fullname></course>")
    bad = write_tgz(tmp_path / "bomb.mbz", files)
    refused(tmp_path, bad, "bomb.mbz:course/course.xml", "DTD")


def test_a_member_over_the_size_cap(tmp_path, mini_mbz):
    with pytest.raises(InputError) as caught:
        extract(mini_mbz, tmp_path / "unpacked", Limits(member=1000))
    assert "MINI-FR.mbz:" in str(caught.value) and "over the size cap" in str(caught.value)
    out = tmp_path / "out"
    with pytest.raises(InputError):
        run_import(ImportOptions(backups=[mini_mbz], out=out, limits=Limits(member=1000)))
    assert not out.exists()


def test_a_backup_over_the_total_cap(tmp_path, mini_mbz):
    with pytest.raises(InputError) as caught:
        extract(mini_mbz, tmp_path / "unpacked", Limits(total=50_000))
    assert "unpacks to more than 50,000 bytes" in str(caught.value)


def test_a_zip_that_lies_about_its_sizes_or_climbs(tmp_path, mini_mbz):
    good = tmp_path / "good.mbz"
    with zipfile.ZipFile(good, "w") as zf:
        for name, data in members(mini_mbz).items():
            zf.writestr(name, data)
    assert run("import", good, "--out", tmp_path / "fromzip").exit_code == 0   # Moodle reads zip too
    bad = tmp_path / "climb.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("moodle_backup.xml", b"<moodle_backup/>")
        zf.writestr("../../evil.txt", b"x")
    refused(tmp_path, bad, "climb.zip:../../evil.txt", "climbs out")


def test_an_activity_backup_is_not_a_course(tmp_path, mini_mbz):
    files = members(mini_mbz)
    files["moodle_backup.xml"] = files["moodle_backup.xml"].replace(b"<type>course</type>", b"<type>activity</type>")
    bad = write_tgz(tmp_path / "activity.mbz", files)
    refused(tmp_path, bad, "activity.mbz:moodle_backup.xml", "not of a course")


# ---- the output folder ------------------------------------------------------------

def test_a_non_empty_out_is_refused_and_left_alone(tmp_path, mini_mbz):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine", "utf-8")
    for extra in ([], ["--replace"]):
        result = run("import", mini_mbz, "--out", out, *extra)
        assert result.exit_code == 2 and "not" in result.output
        assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_replace_replaces_an_earlier_import_only(tmp_path, mini_mbz):
    out = tmp_path / "sources"
    assert run("import", mini_mbz, "--out", out).exit_code == 0
    assert run("import", mini_mbz, "--out", out).exit_code == 2
    (out / "sections" / "home.yaml").write_text("title: edited\nitems: []\n", "utf-8")
    assert run("import", mini_mbz, "--out", out, "--replace").exit_code == 0
    assert "edited" not in (out / "sections" / "home.yaml").read_text("utf-8")


def test_a_failed_import_leaves_an_earlier_one_in_place(tmp_path, mini_mbz):
    out = tmp_path / "sources"
    assert run("import", mini_mbz, "--out", out).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.mbz"
    bad.write_bytes(b"PK\x03\x04 broken")
    assert run("import", bad, "--out", out, "--replace").exit_code == 2
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


# ---- nothing personal ------------------------------------------------------------

SECRETS = ("Jeanne Secretname", "jeanne@example.invalid", "Private post 4711", "Attempt answer 0815",
           "Grade note 31337", "Log entry 2718")


def test_nothing_about_people_is_taken(tmp_path, mini_mbz):
    """A backup with users, enrolments, forum posts, attempts, grades and logs:
    none of it reaches the sources, the PO files or the report."""
    files = members(mini_mbz)
    files["users.xml"] = (f'<?xml version="1.0"?><users><user id="7"><username>jeanne</username>'
                          f"<firstname>{SECRETS[0]}</firstname><email>{SECRETS[1]}</email></user></users>").encode()
    forum = next(n for n in files if n.endswith("/forum.xml"))
    files[forum] = files[forum].replace(
        b"<discussions>", f"<discussions><discussion id=\"1\"><name>{SECRETS[2]}</name><posts><post id=\"1\">"
                          f"<message>{SECRETS[2]}</message><userid>7</userid></post></posts></discussion>".encode(), 1)
    quiz = next(n for n in files if n.endswith("/quiz.xml"))
    files[quiz] = files[quiz].replace(
        b"</quiz>", f"<attempts><attempt id=\"1\"><userid>7</userid><responsesummary>{SECRETS[3]}"
                    f"</responsesummary></attempt></attempts></quiz>".encode(), 1)
    grades = next(n for n in files if n.endswith("/grades.xml") and b"grade_item " in files[n])
    files[grades] = files[grades].replace(
        b"</grade_item>", f"<grade_grades><grade_grade id=\"1\"><userid>7</userid><feedback>{SECRETS[4]}"
                          f"</feedback></grade_grade></grade_grades></grade_item>".encode(), 1)
    files["course/logs.xml"] = f"<logs><log id=\"1\"><info>{SECRETS[5]}</info></log></logs>".encode()
    files["course/enrolments.xml"] = files["course/enrolments.xml"].replace(
        b"</enrol>", f"<user_enrolments><enrolment><userid>7</userid><name>{SECRETS[0]}</name>"
                     f"</enrolment></user_enrolments></enrol>".encode(), 1)
    personal = write_tgz(tmp_path / "personal.mbz", files)
    out = tmp_path / "sources"
    result = run("import", personal, "--out", out)
    assert result.exit_code == 0, result.output
    written = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file()) + result.output.encode()
    for secret in SECRETS:
        assert secret.encode() not in written
    assert b"Nothing about people was read" in written


def test_unsupported_question_types_are_listed(tmp_path, mini_mbz):
    files = members(mini_mbz)
    files["questions.xml"] = files["questions.xml"].replace(b"<qtype>shortanswer</qtype>", b"<qtype>essay</qtype>")
    bad = write_tgz(tmp_path / "essay.mbz", files)
    out = tmp_path / "sources"
    result = run("import", bad, "--out", out)
    assert result.exit_code == 0, result.output
    report = (out / "IMPORT-REPORT.md").read_text("utf-8")
    assert "- **question type essay**\n  - fr, section 1 «Partie 1 : les publics», position 3 «Test de validation», " \
           "question 5 «Partie 1 : les publics – Validation test»" in report
    assert run("validate", out).exit_code == 0



def test_a_course_without_a_language_needs_lang(tmp_path, mini_mbz):
    files = members(mini_mbz)
    files["course/course.xml"] = files["course/course.xml"].replace(b"<lang>fr</lang>", b"<lang></lang>")
    nolang = write_tgz(tmp_path / "nolang.mbz", files)
    result = run("import", nolang, "--out", tmp_path / "a")
    assert result.exit_code == 2
    assert "nolang.mbz:course/course.xml: the course has no language" in result.output
    assert "--lang" in result.output
    result = run("import", nolang, "--lang", "fr", "--out", tmp_path / "b")
    assert result.exit_code == 0, result.output
    assert "source_language: fr" in (tmp_path / "b" / "course.yaml").read_text("utf-8")

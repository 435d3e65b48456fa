"""deploy and verify: a fake `php` first on PATH records every call and gives
canned answers; an integration test runs against a real Moodle 4.5 when
RESOLUTION_PACK_MOODLE_ROOT names one."""
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from resolution_pack import deploy as d
from resolution_pack import model as m
from resolution_pack.cli import main
from resolution_pack.load import load

from conftest import MINI, edit

FAKE_PHP = r'''#!{python}
import json, sys
from pathlib import Path
state = Path({state!r})
script = Path(sys.argv[1]).name if len(sys.argv) > 1 else ""
text = sys.stdin.read()
request = json.loads(text) if text.strip() else None
with open(state / "calls.jsonl", "a", encoding="utf-8") as log:
    log.write(json.dumps({{"argv": sys.argv, "script": script, "request": request}}) + "\n")
answers = json.loads((state / "answers.json").read_text("utf-8"))
answer = answers.get(script)
if answer is None:
    print("PHP Fatal error:  no canned answer for " + script, file=sys.stderr)
    sys.exit(255)
if isinstance(answer, str):                      # what a crash prints: no answer line
    print(answer)
    sys.exit(255)
if answer.get("__restore__"):                    # answer a restore from its request
    n = sum(1 for line in open(state / "calls.jsonl", encoding="utf-8") if json.loads(line)["script"] == script)
    answer = {{"ok": True, "id": answer["first_id"] + n - 1, "shortname": request["shortname"],
              "fullname": request["fullname"], "category": request["categoryid"], "lang": "",
              "replaced": request["replace"], "warnings": answer.get("warnings", [])}}
print("Moodle noise before the answer")
print("RESOLUTION-PACK-JSON: " + json.dumps(answer))
sys.exit(0 if answer.get("ok") else 1)
'''


class FakePhp:
    def __init__(self, folder: Path):
        self.state = folder
        self.bin = folder / "bin"
        self.bin.mkdir(parents=True)
        path = self.bin / "php"
        path.write_text(FAKE_PHP.format(python=sys.executable, state=str(folder)), "utf-8")
        path.chmod(0o755)
        self.answers = {}
        self.save()

    def answer(self, script: str, value) -> None:
        self.answers[script] = value
        self.save()

    def save(self) -> None:
        (self.state / "answers.json").write_text(json.dumps(self.answers), "utf-8")

    def calls(self) -> list:
        log = self.state / "calls.jsonl"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text("utf-8").splitlines()]

    def scripts(self) -> list:
        return [call["script"] for call in self.calls()]


@pytest.fixture
def php(tmp_path, monkeypatch) -> FakePhp:
    fake = FakePhp(tmp_path / "fakephp")
    monkeypatch.setenv("PATH", f"{fake.bin}{os.pathsep}{os.environ.get('PATH', '')}")
    return fake


def fake_moodle(folder: Path, branch: str = "405", release: str = "4.5.1 (Build: 20241209)",
                config: bool = True, public: bool = False) -> Path:
    """A Moodle code folder: version.php beside config.php (4.5, 5.0) or under public/ (5.1+)."""
    folder.mkdir(parents=True, exist_ok=True)
    code = folder / "public" if public else folder
    code.mkdir(exist_ok=True)
    (code / "version.php").write_text(
        f"<?php\ndefined('MOODLE_INTERNAL') || die();\n$version  = 2024100701.00;\n"
        f"$release  = '{release}';\n$branch   = '{branch}';\n$maturity = MATURITY_STABLE;\n", "utf-8")
    if config:
        (folder / "config.php").write_text("<?php  // Moodle configuration file\n", "utf-8")
    return folder


@pytest.fixture
def moodle(tmp_path) -> Path:
    return fake_moodle(tmp_path / "moodle")


COURSE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<course id="1" contextid="2">
  <shortname>{shortname}</shortname>
  <fullname>{fullname}</fullname>
  <lang>{lang}</lang>
</course>
"""


BACKUP_XML = "<moodle_backup><information><backup_release>{release}</backup_release></information></moodle_backup>"


def make_mbz(path: Path, shortname: str, fullname: str, lang: str, kind: str = "tgz", release: str = "4.5") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = COURSE_XML.format(shortname=shortname, fullname=fullname, lang=lang).encode()
    backup = BACKUP_XML.format(release=release).encode()
    if kind == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("moodle_backup.xml", backup)
            archive.writestr("course/course.xml", data)
    else:
        with tarfile.open(path, "w:gz") as archive:
            for name, body in (("course/course.xml", data), ("moodle_backup.xml", backup)):
                info = tarfile.TarInfo(name)
                info.size = len(body)
                archive.addfile(info, io.BytesIO(body))
    return path


@pytest.fixture
def built(tmp_path) -> Path:
    out = tmp_path / "build"
    make_mbz(out / "fr" / "MINI-FR.mbz", "MINI-FR", "Mini-cours : « accompagner »", "fr")
    make_mbz(out / "en" / "MINI-EN.mbz", "MINI-EN", "Mini course", "en", kind="zip")
    (out / "en" / "scorm").mkdir()
    return out


RECORDED = Path(__file__).resolve().parent / "fixtures" / "moodle"


def recorded(branch: str, name: str) -> dict:
    """A real Moodle's answer to a moodle_php script (tests/fixtures/moodle/record.py)."""
    return json.loads((RECORDED / branch / f"{name}.json").read_text("utf-8"))


def site_answer(courses=None, category=None, languages=("en", "fr")) -> dict:
    """Moodle 4.5's recorded answer to site.php, with this test's courses, category and languages."""
    return dict(recorded("405", "site"), category=category, courses=courses or {"MINI-FR": [], "MINI-EN": []},
                languages=list(languages))


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


# ---------------------------------------------------------------------------
# deploy

def test_deploy_restores_every_edition_with_the_archive_names(php, moodle, built):
    php.answer("site.php", site_answer())
    php.answer("restore.php", {"__restore__": True, "first_id": 41})
    result = run("deploy", "--moodle-root", moodle, "--build", built)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["en: course 41 MINI-EN /course/view.php?id=41",
                                          "fr: course 42 MINI-FR /course/view.php?id=42"]
    calls = php.calls()
    assert [c["script"] for c in calls] == ["site.php", "restore.php", "restore.php"]
    for call in calls:   # php <package>/moodle_php/<script> <moodle root>, the request on stdin
        script = Path(call["argv"][1])
        assert script.parent.name == "moodle_php" and script.parent.parent.name == "resolution_pack"
        assert script.is_file()
        assert call["argv"][2:] == [str(moodle.resolve())]
    assert calls[0]["request"] == {"shortnames": ["MINI-EN", "MINI-FR"], "categoryid": None}
    assert calls[1]["request"] == {"file": str((built / "en" / "MINI-EN.mbz").resolve()), "shortname": "MINI-EN",
                                   "fullname": "Mini course", "categoryid": 1, "replace": []}
    assert calls[2]["request"]["fullname"] == "Mini-cours : « accompagner »"


def test_deploy_lang_and_category(php, moodle, built):
    php.answer("site.php", site_answer(category={"id": 7, "name": "ReSolution"}))
    php.answer("restore.php", {"__restore__": True, "first_id": 5, "warnings": ["restore: something odd"]})
    result = run("deploy", "--moodle-root", moodle, "--build", built, "--lang", "fr", "--category", 7)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["fr: course 5 MINI-FR /course/view.php?id=5"]
    assert "warning: fr: restore: something odd" in result.stderr
    site, restore = php.calls()
    assert site["request"] == {"shortnames": ["MINI-FR"], "categoryid": 7}
    assert restore["request"]["categoryid"] == 7


def test_deploy_unknown_category_is_refused(php, moodle, built):
    php.answer("site.php", site_answer(category=None))
    result = run("deploy", "--moodle-root", moodle, "--build", built, "--category", 99)
    assert result.exit_code == 2
    assert "--category 99: no such course category" in result.stderr
    assert php.scripts() == ["site.php"]


def test_dry_run_reads_the_site_and_changes_nothing(php, moodle, built):
    php.answer("site.php", site_answer(courses={"MINI-FR": [{"id": 12, "shortname": "MINI-FR", "fullname": "x",
                                                             "category": 3}], "MINI-EN": []}))
    result = run("deploy", "--moodle-root", moodle, "--build", built, "--dry-run", "--replace")
    assert result.exit_code == 0, result.output
    assert php.scripts() == ["site.php"]
    out = result.stdout
    assert out.startswith("dry run: nothing is changed")
    assert "en: would restore" in out and "as a new course MINI-EN \"Mini course\" in category 1" in out
    assert "fr: would restore" in out and "in category 3, then delete the course it replaces " \
                                          "(/course/view.php?id=12)" in out
    assert "restore.php" in out


def _flavours(built: Path, releases=("4.5", "5.1")) -> None:
    """Both editions built for several Moodle releases, named as `build --moodle` names them."""
    for lang, short, full in (("fr", "MINI-FR", "Mini-cours : « accompagner »"), ("en", "MINI-EN", "Mini course")):
        for release in releases:
            suffix = "" if release == "4.5" else "-moodle" + release.replace(".", "")
            make_mbz(built / lang / f"{short}{suffix}.mbz", short, full, lang, release=release)


@pytest.mark.parametrize("branch, release, public, chosen", [
    ("405", "4.5.1 (Build: 20241209)", False, "MINI-FR.mbz"),
    ("500", "5.0.2 (Build: 20250811)", False, "MINI-FR-moodle50.mbz"),
    ("501", "5.1 (Build: 20251006)", True, "MINI-FR-moodle51.mbz"),
    ("502", "5.2 (Build: 20260413)", True, "MINI-FR-moodle51.mbz")])
def test_deploy_takes_the_backup_written_for_the_sites_release(php, tmp_path, built, branch, release, public, chosen):
    _flavours(built, ("4.5", "5.0", "5.1"))
    site = fake_moodle(tmp_path / "m", branch=branch, release=release, public=public)
    php.answer("site.php", site_answer())
    php.answer("restore.php", {"__restore__": True, "first_id": 41})
    result = run("deploy", "--moodle-root", site, "--build", built, "--lang", "fr")
    assert result.exit_code == 0, result.output
    (restore,) = [c["request"] for c in php.calls() if c["script"] == "restore.php"]
    assert restore["file"] == str((built / "fr" / chosen).resolve())
    assert "warning" not in result.stderr


def test_a_5x_site_with_only_the_45_backup_restores_it_and_says_what_to_build(php, tmp_path, built):
    site = fake_moodle(tmp_path / "m51", branch="501", release="5.1 (Build: 20251006)", public=True)
    php.answer("site.php", site_answer())
    php.answer("restore.php", {"__restore__": True, "first_id": 41})
    result = run("deploy", "--moodle-root", site, "--build", built, "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert ("warning: fr: MINI-FR.mbz is written for Moodle 4.5: this Moodle 5.1 restores it with one precheck "
            "warning per question category") in result.stderr
    assert "run `resolution-pack build --lang fr --moodle 5.1`" in result.stderr


def test_a_45_site_never_takes_a_5x_backup(php, moodle, tmp_path):
    out = tmp_path / "only51"
    make_mbz(out / "fr" / "MINI-FR-moodle51.mbz", "MINI-FR", "Mini", "fr", release="5.1")
    php.answer("site.php", site_answer())
    result = run("deploy", "--moodle-root", moodle, "--build", out)
    assert result.exit_code == 2
    assert "no course backup this Moodle 4.5 can restore: MINI-FR-moodle51.mbz (written for Moodle 5.1)" \
        in result.stderr
    assert "--moodle 4.5" in result.stderr
    assert php.calls() == []


def test_dry_run_names_the_release_of_each_backup(php, tmp_path, built):
    _flavours(built)
    site = fake_moodle(tmp_path / "m51", branch="501", release="5.1 (Build: 20251006)", public=True)
    php.answer("site.php", site_answer())
    result = run("deploy", "--moodle-root", site, "--build", built, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"fr: would restore {(built / 'fr' / 'MINI-FR-moodle51.mbz').resolve()} (for Moodle 5.1)" in result.stdout


def test_two_backups_for_one_release_are_refused(php, moodle, built):
    make_mbz(built / "fr" / "MINI-FR-copy.mbz", "MINI-FR", "Mini", "fr")
    result = run("deploy", "--moodle-root", moodle, "--build", built, "--lang", "fr")
    assert result.exit_code == 2
    assert "two course backups for Moodle 4.5: MINI-FR-copy.mbz and MINI-FR.mbz" in result.stderr


def test_an_archive_without_backup_release_is_not_a_course_backup(php, moodle, tmp_path):
    out = tmp_path / "odd"
    path = out / "fr" / "X.mbz"
    path.parent.mkdir(parents=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("moodle_backup.xml", "<moodle_backup/>")
        archive.writestr("course/course.xml", COURSE_XML.format(shortname="X", fullname="X", lang="fr"))
    result = run("deploy", "--moodle-root", moodle, "--build", out)
    assert result.exit_code == 2 and "moodle_backup.xml names no backup_release" in result.stderr


def test_an_existing_course_is_refused_without_replace(php, moodle, built):
    php.answer("site.php", site_answer(courses={"MINI-FR": [{"id": 12, "shortname": "MINI-FR", "fullname": "x",
                                                             "category": 3}], "MINI-EN": []}))
    php.answer("restore.php", {"__restore__": True, "first_id": 41})
    result = run("deploy", "--moodle-root", moodle, "--build", built)
    assert result.exit_code == 2
    assert "already has a course MINI-FR (/course/view.php?id=12)" in result.stderr
    assert "--replace" in result.stderr
    assert php.scripts() == ["site.php"]        # nothing restored, not even the edition that was free
    dry = run("deploy", "--moodle-root", moodle, "--build", built, "--dry-run")
    assert dry.exit_code == 2 and "would refuse" in dry.stdout


def test_replace_restores_first_then_replaces_the_course_of_that_shortname_only(php, moodle, built):
    php.answer("site.php", site_answer(courses={"MINI-FR": [{"id": 12, "shortname": "MINI-FR", "fullname": "x",
                                                             "category": 3}], "MINI-EN": []}))
    php.answer("restore.php", {"__restore__": True, "first_id": 50})
    result = run("deploy", "--moodle-root", moodle, "--build", built, "--replace")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["en: course 50 MINI-EN /course/view.php?id=50",
                                          "fr: course 51 MINI-FR /course/view.php?id=51 (replaced course 12)"]
    en, fr = [c["request"] for c in php.calls()[1:]]
    assert en["replace"] == [] and en["categoryid"] == 1
    assert fr["replace"] == [12] and fr["categoryid"] == 3      # the replaced course's category


def test_a_failed_restore_is_a_clear_error(php, moodle, built):
    php.answer("site.php", site_answer())
    php.answer("restore.php", {"ok": False, "error": "restore precheck failed: the backup is broken",
                               "output": ""})
    result = run("deploy", "--moodle-root", moodle, "--build", built, "--lang", "fr")
    assert result.exit_code == 2
    assert "MINI-FR.mbz: Moodle says: restore precheck failed: the backup is broken" in result.stderr


def test_php_that_stops_without_answering(php, moodle, built):
    php.answer("site.php", "Database connection failed\nIt is possible that the database is overloaded")
    result = run("deploy", "--moodle-root", moodle, "--build", built)
    assert result.exit_code == 2
    assert "Moodle stopped before answering (php exit 255): Database connection failed" in result.stderr
    assert "run it by hand" in result.stderr


def test_not_a_moodle(php, tmp_path, built):
    for folder in (fake_moodle(tmp_path / "noconfig", config=False), tmp_path / "empty", tmp_path / "missing"):
        if folder.name == "empty":
            folder.mkdir()
        for command in (["deploy", "--build", built], ["verify", "--sources", MINI]):
            result = run(*command, "--moodle-root", folder)
            assert result.exit_code == 2, result.output
            assert ("not a Moodle" in result.stderr) or ("no such folder" in result.stderr)
    assert php.calls() == []


@pytest.mark.parametrize("branch, release, public, moodle", [
    ("405", "4.5.1 (Build: 20241209)", False, "4.5"),
    ("500", "5.0.2 (Build: 20250811)", False, "5.0"),
    ("501", "5.1 (Build: 20251006)", True, "5.1")])
def test_open_site_reads_both_layouts(php, tmp_path, branch, release, public, moodle):
    root = fake_moodle(tmp_path / "m", branch=branch, release=release, public=public)
    for given in (root, root / "public") if public else (root,):
        site = d.open_site(given)
        assert (site.root, site.branch, site.release, site.moodle) == (root.resolve(), int(branch), release, moodle)
        assert site.code == (root / "public" if public else root).resolve()
        assert site.command("site.php")[2] == str(root.resolve())      # the folder with config.php, always


def test_moodle_51_layout_without_config_is_not_a_moodle(php, tmp_path, built):
    root = fake_moodle(tmp_path / "m51", branch="501", release="5.1 (Build: 20251006)", public=True, config=False)
    result = run("deploy", "--moodle-root", root, "--build", built)
    assert result.exit_code == 2 and "not a Moodle: no config.php here" in result.stderr
    result = run("deploy", "--moodle-root", tmp_path, "--build", built)
    assert result.exit_code == 2
    assert "not a Moodle: no version.php and no config.php here (nor in public/)" in result.stderr


def test_moodle_older_than_45(php, tmp_path, built):
    old = fake_moodle(tmp_path / "m44", branch="404", release="4.4.3 (Build: 20240902)")
    for command in (["deploy", "--build", built], ["verify", "--sources", MINI],
                    ["deploy", "--build", built, "--dry-run"], ["verify", "--sources", MINI, "--dry-run"]):
        result = run(*command, "--moodle-root", old)
        assert result.exit_code == 2
        assert "Moodle 4.4.3 (Build: 20240902) (branch 404) is older than 4.5" in result.stderr
    assert php.calls() == []
    ancient = tmp_path / "m19"
    ancient.mkdir()
    (ancient / "version.php").write_text("<?php\n$version = 2007101509;\n$release = '1.9';\n", "utf-8")
    (ancient / "config.php").write_text("<?php\n", "utf-8")
    result = run("deploy", "--build", built, "--moodle-root", ancient)
    assert result.exit_code == 2 and "no $branch" in result.stderr


def test_no_php(tmp_path, monkeypatch, moodle, built):
    empty = tmp_path / "nobin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    for command in (["deploy", "--build", built], ["verify", "--sources", MINI, "--dry-run"]):
        result = run(*command, "--moodle-root", moodle)
        assert result.exit_code == 2
        assert "php: PHP not found on PATH" in result.stderr and "--php" in result.stderr
    result = run("deploy", "--build", built, "--moodle-root", moodle, "--php", tmp_path / "php8.2")
    assert result.exit_code == 2 and "php8.2: PHP not found" in result.stderr


def test_php_option_names_the_interpreter(php, moodle, built, tmp_path):
    other = tmp_path / "elsewhere" / "php8.2"
    other.parent.mkdir()
    shutil.copy(php.bin / "php", other)
    php.answer("site.php", site_answer())
    result = run("deploy", "--moodle-root", moodle, "--build", built, "--dry-run", "--php", other)
    assert result.exit_code == 0, result.output
    assert php.calls()[0]["argv"][0] == str(other)


def test_build_folder_problems(php, moodle, tmp_path, built):
    result = run("deploy", "--moodle-root", moodle, "--build", tmp_path / "nobuild")
    assert result.exit_code == 2 and "no such build folder" in result.stderr
    result = run("deploy", "--moodle-root", moodle, "--build", built, "--lang", "hu")
    assert result.exit_code == 2 and "no course backup (.mbz) for this edition" in result.stderr
    (built / "en" / "MINI-EN.mbz").write_bytes(b"not an archive")
    result = run("deploy", "--moodle-root", moodle, "--build", built)
    assert result.exit_code == 2 and "MINI-EN.mbz: cannot read this course backup" in result.stderr
    make_mbz(built / "en" / "MINI-EN.mbz", "MINI-FR", "Same shortname", "en")
    result = run("deploy", "--moodle-root", moodle, "--build", built)
    assert result.exit_code == 2 and "shortname MINI-FR is also the one of" in result.stderr
    assert php.calls() == []


def test_the_php_scripts_are_package_data_and_parse():
    scripts = sorted(p.name for p in d.PHP_DIR.glob("*.php"))
    assert scripts == ["attempts.php", "common.php", "inspect.php", "restore.php", "site.php"]
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text("utf-8")
    assert '"moodle_php/*.php"' in pyproject
    real = shutil.which("php")
    if real is None:
        pytest.skip("no php on PATH to lint the scripts with")
    for script in d.PHP_DIR.glob("*.php"):
        done = subprocess.run([real, "-l", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


# ---------------------------------------------------------------------------
# verify

def perfect(course: m.Course, lang: str, course_id: int = 60) -> dict:
    """What inspect.php would answer for a course restored exactly as the sources say."""
    exp = d.expect(course, lang)
    videos = {item.id for _section, item in course.videos()}
    modules, sections, pages, quizzes, files = [], [], [], [], []
    cmid = 1000
    for number, ids in enumerate(exp.sections):
        sections.append({"number": number, "name": "", "visible": 1, "modules": list(ids),
                         "cmids": list(range(cmid + 1, cmid + 1 + len(ids)))})
        for idnumber in ids:
            cmid += 1
            modname = exp.modules[idnumber]
            modules.append({"cmid": cmid, "idnumber": idnumber, "modname": modname, "section": number,
                            "name": idnumber, "visible": 1})
            if modname == "page":
                content = "<p>Texte</p>"
                if idnumber in videos:
                    track = ""
                    if idnumber in exp.tracks:
                        track = (f'<track kind="subtitles" srclang="{lang}" label="x" '
                                 f'src="@@PLUGINFILE@@/{exp.tracks[idnumber]}" default>')
                    content = f'<video controls="true"><source src="@@PLUGINFILE@@/v.webm">{track}</video>'
                pages.append({"idnumber": idnumber, "content": content})
            if modname == "quiz":
                slots = [{"slot": n, "maxmark": 1.0, "qtype": qtype, "idnumber": qid, "questionid": n,
                          "bank": f"course:{course_id}"}
                         for n, (qid, qtype) in enumerate(exp.quiz_questions[idnumber], 1)]
                graded = idnumber in exp.graded
                item = {"gradetype": 1, "grademax": 10.0, "gradepass": exp.graded[idnumber] / 10} if graded else None
                quizzes.append({"cmid": cmid, "idnumber": idnumber, "name": idnumber, "grade": 10.0 if graded else 0.0,
                                "sumgrades": float(len(slots)), "preferredbehaviour": "interactive",
                                "gradeitem": item, "completion": 2, "completionpassgrade": int(graded),
                                "slots": slots})
    for (owner, component, filearea, filepath, filename), sha1 in exp.files.items():
        kind, _space, name = owner.partition(" ")
        files.append({"module": name if kind == "module" else None, "question": name if kind == "question" else None,
                      "component": component, "filearea": filearea, "itemid": 0, "filepath": filepath,
                      "filename": filename, "filesize": 10, "contenthash": sha1 or "f" * 40, "readable": True})
    return {"id": course_id, "shortname": exp.shortname, "fullname": exp.fullname, "category": 1, "lang": lang,
            "format": "topics", "visible": 1, "modules": modules, "sections": sections, "quizzes": quizzes,
            "files": files, "pages": pages, "question_banks": [],
            "enrolments": [{"enrol": name, "status": status, "enabled_on_site": True, "roleid": 5}
                           for name, status in d.ENROLMENTS.items()],
            "same_shortname": [course_id]}


def inspect_answer(courses: dict, languages=("en", "fr")) -> dict:
    """Moodle 4.5's recorded answer to inspect.php, with this test's courses and languages."""
    return dict(recorded("405", "inspect"), languages=list(languages), courses=courses)


@pytest.fixture(scope="module")
def mini_course():
    return load(MINI)


def test_verify_passes_when_moodle_holds_what_the_sources_say(php, moodle, mini_course):
    php.answer("inspect.php", inspect_answer({"MINI-FR": perfect(mini_course, "fr", 60),
                                              "MINI-EN": perfect(mini_course, "en", 61)}))
    result = run("verify", "--moodle-root", moodle, "--sources", MINI)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "fr: MINI-FR (course 60, /course/view.php?id=60): as the sources expect" in out
    assert "en: MINI-EN (course 61, /course/view.php?id=61): as the sources expect" in out
    assert "2 edition(s) read: all as the sources expect" in out
    (call,) = php.calls()
    assert call["script"] == "inspect.php" and call["request"] == {"shortnames": ["MINI-FR", "MINI-EN"]}
    assert call["argv"][2] == str(moodle.resolve())


def test_verify_figures_come_from_what_moodle_holds(mini_course):
    from resolution_pack import counts
    found = perfect(mini_course, "fr")
    diffs, figures = d.compare(d.expect(mini_course, "fr"), found)
    assert diffs == [] and figures == counts.per_edition(mini_course)
    # the mini course's own figures (tests/fixtures/mini/course.yaml 'expected')
    assert figures == {"projects": 1, "tutorial_videos": 3, "subtitle_files": 3, "mooc_videos": 1,
                       "evaluation_phases": 1, "exercises": 8, "formative_activities": 3}


def tampered(course, change) -> list[str]:
    found = perfect(course, "fr")
    change(found)
    diffs, _figures = d.compare(d.expect(course, "fr"), found, languages={"en"})
    return diffs


def test_verify_finds_each_kind_of_difference(mini_course):
    exp = d.expect(mini_course, "fr")
    graded = next(iter(exp.graded))
    track_page = next(iter(exp.tracks))

    def no_lang(found):
        found["lang"] = ""
    assert any("course language: expected 'fr', found none (the language pack 'fr' is not installed" in x
               for x in tampered(mini_course, no_lang))

    def lose_module(found):
        gone = found["modules"].pop()
        for section in found["sections"]:
            section["modules"] = [i for i in section["modules"] if i != gone["idnumber"]]
    diffs = tampered(mini_course, lose_module)
    assert any("module(s) missing" in x for x in diffs) and any(x.startswith("modules by type") for x in diffs)
    assert any(x.startswith("section ") for x in diffs)

    def pass_mark(found):
        quiz = next(q for q in found["quizzes"] if q["idnumber"] == graded)
        quiz["gradeitem"]["gradepass"] = 5.0
    assert f"quiz {graded}: pass mark expected 70%, found 50% (5 of 10)" in tampered(mini_course, pass_mark)

    def ungrade(found):
        quiz = next(q for q in found["quizzes"] if q["idnumber"] == graded)
        quiz["grade"], quiz["gradeitem"] = 0.0, None
    diffs = tampered(mini_course, ungrade)
    assert f"quiz {graded}: expected graded with a pass mark of 70%, found ungraded" in diffs
    assert any(x.startswith("figure evaluation_phases") for x in diffs)

    def qtype(found):
        quiz = found["quizzes"][0]
        quiz["slots"][0]["qtype"] = "essay"
    diffs = tampered(mini_course, qtype)
    assert any("question types differ" in x for x in diffs) and any(x.startswith("questions by type") for x in diffs)

    def lose_question(found):
        found["quizzes"][0]["slots"].pop()
    assert any("questions, found" in x for x in tampered(mini_course, lose_question))

    def lose_vtt(found):
        found["files"] = [f for f in found["files"] if not f["filename"].endswith(".vtt")
                          or f["module"] != track_page]
    diffs = tampered(mini_course, lose_vtt)
    assert any("file(s) missing" in x and ".vtt" in x for x in diffs)
    assert f"subtitle track of {track_page}: its file is missing or empty" in diffs

    def wrong_track(found):
        page = next(p for p in found["pages"] if p["idnumber"] == track_page)
        page["content"] = page["content"].replace('srclang="fr"', 'srclang="en"')
    assert any("srclang 'en', not 'fr'" in x for x in tampered(mini_course, wrong_track))

    def unreadable(found):
        found["files"][0]["readable"] = False
    assert any("not in Moodle's file store" in x for x in tampered(mini_course, unreadable))

    def other_bytes(found):
        f = next(f for f in found["files"] if f["contenthash"] != "f" * 40)
        f["contenthash"] = "0" * 40
    assert any("bytes differ from the sources" in x for x in tampered(mini_course, other_bytes))

    def extra_file(found):
        found["files"].append(dict(found["files"][0], filename="stray.txt"))
    assert any("file(s) the sources do not have" in x for x in tampered(mini_course, extra_file))

    def self_off(found):
        next(e for e in found["enrolments"] if e["enrol"] == "self")["status"] = "disabled"
    assert "enrolment: self is disabled, expected enabled" in tampered(mini_course, self_off)

    def self_plugin_off(found):
        next(e for e in found["enrolments"] if e["enrol"] == "self")["enabled_on_site"] = False
    assert any("self enrolment plugin is disabled on this site" in x for x in tampered(mini_course, self_plugin_off))

    def renamed(found):
        found["fullname"] = "Restore as a new course"
    assert "fullname: expected 'Mini-cours', found 'Restore as a new course'" in tampered(mini_course, renamed)

    def twice(found):
        found["same_shortname"] = [60, 70]
    assert any("2 courses have the shortname MINI-FR" in x for x in tampered(mini_course, twice))


def as_on_moodle_5(found: dict, bank_name: str = "Banque de questions", bank_type: str = "standard") -> dict:
    """The same course as Moodle 5.x holds it: its questions in a hidden qbank module first in section 0."""
    bank = 9000
    found["modules"].insert(0, {"cmid": bank, "idnumber": "", "modname": "qbank", "section": 0, "name": bank_name,
                                "visible": 0})
    found["sections"][0]["modules"].insert(0, "")
    found["sections"][0]["cmids"].insert(0, bank)
    found["question_banks"] = [{"cmid": bank, "name": bank_name, "type": bank_type, "section": 0, "visible": 0,
                                "categories": 3}]
    for quiz in found["quizzes"]:
        for slot in quiz["slots"]:
            slot["bank"] = f"module:{bank}"
    return found


def test_verify_reads_a_course_whose_questions_are_in_a_qbank_module(php, moodle, mini_course):
    found = as_on_moodle_5(perfect(mini_course, "fr", 60))
    exp = d.expect(mini_course, "fr")
    assert d.compare(exp, found)[0] == []
    php.answer("inspect.php", inspect_answer({"MINI-FR": found}))
    result = run("verify", "--moodle-root", moodle, "--sources", MINI, "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert ("questions in question bank module 'Banque de questions' (standard, hidden, section 0)"
            in result.stdout)
    # a bank is not content: a second one, or questions left elsewhere, are differences
    strays = as_on_moodle_5(perfect(mini_course, "fr", 60))
    strays["quizzes"][0]["slots"][0]["bank"] = "module:4242"
    diffs = d.compare(exp, strays)[0]
    assert any(x.startswith("the questions are in 2 question banks") for x in diffs)
    assert "questions outside this course's question banks: module:4242" in diffs
    # without the bank filtered out, section 0 would have one module more
    unfiltered = as_on_moodle_5(perfect(mini_course, "fr", 60))
    unfiltered["question_banks"] = []
    assert any(x.startswith("section 0: expected") for x in d.compare(exp, unfiltered)[0])


def test_verify_exits_1_with_the_differences(php, moodle, mini_course):
    found = perfect(mini_course, "fr", 60)
    found["lang"] = ""
    php.answer("inspect.php", inspect_answer({"MINI-FR": found, "MINI-EN": None}))
    result = run("verify", "--moodle-root", moodle, "--sources", MINI)
    assert result.exit_code == 1
    out = result.stdout
    assert "fr: MINI-FR (course 60, /course/view.php?id=60): 1 difference(s) with the sources" in out
    assert "  - course language: expected 'fr', found none" in out
    assert "en: MINI-EN: 1 difference(s)" in out
    assert "no course with the shortname MINI-EN on this Moodle (run `resolution-pack deploy`)" in out


def test_verify_dry_run_reads_nothing(php, moodle):
    result = run("verify", "--moodle-root", moodle, "--sources", MINI, "--lang", "fr", "--dry-run")
    assert result.exit_code == 0, result.output
    assert php.calls() == []
    assert result.stdout.startswith("dry run: would read 1 course(s)")
    assert "fr: MINI-FR: would expect 4 sections" in result.stdout
    assert "enrolment guest (disabled), manual, self, language fr" in result.stdout


def test_verify_unknown_lang(php, moodle):
    result = run("verify", "--moodle-root", moodle, "--sources", MINI, "--lang", "de")
    assert result.exit_code == 2 and "--lang de: the course has no such edition" in result.stderr
    assert php.calls() == []


# ---------------------------------------------------------------------------
# integration: a real Moodle 4.5 or 5.1

MOODLE_ROOT = os.environ.get("RESOLUTION_PACK_MOODLE_ROOT")


def _php_json(php_exe: str, root: Path, code: str):
    script = f"define('CLI_SCRIPT', true); require '{root}/config.php'; {code}"
    done = subprocess.run([php_exe, "-r", script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not MOODLE_ROOT, reason="set RESOLUTION_PACK_MOODLE_ROOT to the folder of a real Moodle 4.5 or 5.1 "
                                            "(the one with config.php, database running) to run deploy and verify "
                                            "against it")
def test_deploy_and_verify_against_a_real_moodle(mini, tmp_path):
    root = Path(MOODLE_ROOT)
    php_exe = os.environ.get("RESOLUTION_PACK_PHP", "php")
    token = uuid.uuid4().hex[:8].upper()
    course_yaml = mini / "course.yaml"
    edit(course_yaml, "shortname: MINI-FR", f"shortname: RPTEST-{token}-FR")
    edit(course_yaml, "shortname: MINI-EN", f"shortname: RPTEST-{token}-EN")
    from resolution_pack.build import BuildOptions, build
    out = tmp_path / "build"
    build(BuildOptions(sources=mini, out=out, jobs=1, allow_incomplete=True, moodle=("4.5", "5.1")))
    list_ids = "echo json_encode(array_map('intval', array_keys($DB->get_records('course', null, 'id', 'id'))));"
    before = set(_php_json(php_exe, root, list_ids))
    created = set()
    common = ["--moodle-root", root, "--php", php_exe]
    try:
        first = run("deploy", *common, "--build", out)
        assert first.exit_code == 0, first.output
        assert "warning" not in first.stderr          # the backup for this release: no precheck warning at all
        lines = first.stdout.splitlines()
        assert [line.split()[3] for line in lines] == [f"RPTEST-{token}-EN", f"RPTEST-{token}-FR"]
        ids = {line.split()[0].rstrip(":"): int(line.split()[2]) for line in lines}
        created |= set(ids.values())
        for lang, course_id in ids.items():
            assert lines[["en", "fr"].index(lang)].endswith(f"/course/view.php?id={course_id}")

        checked = run("verify", *common, "--sources", mini, "--attempts")
        assert checked.exit_code == 0, checked.output
        assert "2 edition(s) read: all as the sources expect" in checked.stdout
        assert checked.stdout.count("questions graded right by Moodle's question engine") == 4
        assert checked.stdout.count("right answers 10/10 passed, completion passed; wrong answers 0/10 not passed, "
                                    "completion failed") == 2

        again = run("deploy", *common, "--build", out, "--lang", "fr")
        assert again.exit_code == 2 and "--replace" in again.stderr

        replaced = run("deploy", *common, "--build", out, "--lang", "fr", "--replace")
        assert replaced.exit_code == 0, replaced.output
        (line,) = replaced.stdout.splitlines()
        new_id = int(line.split()[2])
        created.add(new_id)
        assert line.endswith(f"(replaced course {ids['fr']})") and new_id != ids["fr"]

        checked = run("verify", *common, "--sources", mini)
        assert checked.exit_code == 0, checked.output
        after = set(_php_json(php_exe, root, list_ids))
        assert after - before == {ids["en"], new_id}       # nothing else added, nothing else removed
        assert before - after == set()
        print(first.stdout + replaced.stdout + checked.stdout)
    finally:
        if created:
            code = ("foreach ([" + ",".join(map(str, sorted(created))) + "] as $id) "
                    "{ if ($DB->record_exists('course', ['id' => $id])) { delete_course($id, false); } } echo '[]';")
            _php_json(php_exe, root, code)

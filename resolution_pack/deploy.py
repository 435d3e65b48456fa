"""Deploy the built editions to a Moodle server, and verify what Moodle holds.

Both commands run on the Moodle server, with the site's own PHP against its
config.php: the small scripts in moodle_php/ (shipped with the package) call
Moodle's own APIs. No web server, no web service, no Moodle code copied here.
Run them as the user the site's files belong to (e.g. `sudo -u www-data`), as
for any of Moodle's admin/cli scripts, so that what Moodle writes to its data
folder stays readable by the site.

deploy
    For each edition's `build/<lang>/<shortname>.mbz`: restore it as a new
    course with Moodle's restore controller (backup::TARGET_NEW_COURSE, as
    admin/cli/restore_backup.php does), then give it the archive's shortname
    and fullname (4.5's restore_backup.php renames what it restores to "New
    course"). A course that already has the shortname is replaced only with
    --replace, and then in this order: the new course is restored first, the
    old one deleted after, so a failed restore leaves the site as it was. The
    replacement is a new course (a new id; the old course's learners and
    attempts go with it), in the old course's category unless --category is
    given. No other course is touched. The restore takes the archive's
    enrolment methods (self enrolment) unless the site's restore defaults lock
    that setting.

verify
    Reads the restored courses back (moodle_php/inspect.php) and compares them
    with what the sources expect: names, language, sections and their
    modules, modules by type, graded quizzes and their pass marks, questions
    by type (quiz by quiz, by question bank idnumber), files (by module or
    question, with the bytes of source media), subtitle tracks, enrolment
    methods, and the platform's figures (resolution_pack.counts) counted from
    what Moodle holds.

The mapping from the course model to Moodle is the one the Moodle backup
target documents (targets/moodle_backup.py); it is written again here, on
purpose, so that verify does not take the target's word for it.
"""
from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import tarfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Callable
from urllib.parse import unquote

from lxml import etree

from . import counts
from . import model as m
from .edition import sha1_file
from .errors import InputError, Problem

PHP_DIR = Path(__file__).resolve().parent / "moodle_php"
MARKER = "RESOLUTION-PACK-JSON: "
MIN_BRANCH = 405                       # Moodle 4.5 LTS
COURSE_URL = "/course/view.php?id={id}"

# The course model in Moodle (see targets/moodle_backup.py).
MODNAMES = {m.Page: "page", m.Video: "page", m.ProjectOverview: "page", m.ProjectSheet: "page",
            m.Label: "label", m.Url: "url", m.Resource: "resource", m.Folder: "folder", m.Book: "book",
            m.Forum: "forum", m.Activities: "quiz", m.Evaluation: "quiz"}
QTYPES = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse", "match": "match",
          "shortanswer": "shortanswer", "ordering": "ordering", "gapselect": "gapselect", "ddwtos": "ddwtos"}
# Self-paced, self-enrolment, no trainer (the brief): learners enrol themselves; manual stays for admins;
# guest access exists but is off.
ENROLMENTS = {"manual": "enabled", "self": "enabled", "guest": "disabled"}
LIST_LIMIT = 8

Echo = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


# ---------------------------------------------------------------------------
# The site: a Moodle code folder, 4.5 or later, and a PHP to run it

@dataclass(frozen=True)
class Site:
    root: Path
    php: str          # the php executable, resolved
    release: str
    branch: int

    def command(self, script: str) -> list[str]:
        return [self.php, str(PHP_DIR / script), str(self.root)]

    def shown(self, script: str) -> str:
        return shlex.join(self.command(script)) + " < request.json"


def open_site(moodle_root, php: str = "php") -> Site:
    """Check the Moodle folder and the php executable; every problem at once."""
    root = Path(moodle_root).expanduser()
    problems = []
    release, branch = "", 0
    if not root.is_dir():
        problems.append(Problem(str(root), 0, 0, "no such folder",
                                fix="--moodle-root is the folder of the Moodle code on this server "
                                    "(the one with config.php and version.php)"))
    else:
        missing = [name for name in ("version.php", "config.php") if not (root / name).is_file()]
        if missing:
            problems.append(Problem(str(root), 0, 0, f"not a Moodle: no {' and no '.join(missing)} here",
                                    fix="--moodle-root is the folder of an installed Moodle's code "
                                        "(config.php is written by Moodle's installer)"))
        if "version.php" not in missing:
            release, branch, problem = _read_version(root / "version.php")
            if problem:
                problems.append(problem)
    exe = shutil.which(php)
    if exe is None:
        problems.append(Problem(php, 0, 0, "PHP not found" + ("" if "/" in php else " on PATH"),
                                fix="install PHP's command-line interpreter (Debian: apt-get install php-cli, "
                                    "with the extensions Moodle needs), or pass --php /path/to/php"))
    if problems:
        raise InputError(problems)
    return Site(root.resolve(), exe, release, branch)


def _read_version(path: Path) -> tuple[str, int, Problem | None]:
    text = path.read_text("utf-8", errors="replace")
    found = re.search(r"^\s*\$release\s*=\s*['\"]([^'\"]*)['\"]", text, re.M)
    release = found.group(1) if found else ""
    found = re.search(r"^\s*\$branch\s*=\s*['\"]?(\d+)", text, re.M)
    if not found:
        return release, 0, Problem(str(path), 0, 0, f"no $branch in Moodle's version.php{_release(release)}: "
                                   "this Moodle is older than 4.5, or this is not Moodle's version.php",
                                   fix="use Moodle 4.5 LTS or later")
    branch = int(found.group(1))
    if branch < MIN_BRANCH:
        return release, branch, Problem(str(path), 0, 0, f"Moodle{_release(release)} (branch {branch}) is older "
                                        "than 4.5: the course backups need Moodle 4.5 LTS or later",
                                        fix="upgrade this site to Moodle 4.5 or later")
    return release, branch, None


def _release(release: str) -> str:
    return f" {release}" if release else ""


def run_php(site: Site, script: str, request: dict, about: str | None = None) -> dict:
    """Run one of the moodle_php scripts; return its answer, or raise
    InputError with Moodle's message (about: the file the problem is shown on)."""
    command = site.command(script)
    where = about or str(site.root)
    try:
        proc = subprocess.run(command, input=json.dumps(request), capture_output=True, text=True,
                              encoding="utf-8", errors="replace", cwd=site.root)
    except OSError as exc:
        raise InputError(Problem(site.php, 0, 0, f"cannot run PHP: {exc.strerror or exc}",
                                 fix="pass a working PHP command-line interpreter with --php")) from None
    answer = None
    for line in proc.stdout.splitlines():
        if line.startswith(MARKER):
            try:
                answer = json.loads(line[len(MARKER):])
            except ValueError:
                answer = None
    if not isinstance(answer, dict):
        said = _tail(proc.stdout + "\n" + proc.stderr)
        raise InputError(Problem(where, 0, 0, f"Moodle stopped before answering (php exit {proc.returncode})"
                                 + (f": {said}" if said else ""),
                                 fix=f"run it by hand to see Moodle's message: {site.shown(script)} "
                                     f"(the request: {_short_json(request)})"))
    if not answer.get("ok"):
        said = _tail(answer.get("output") or "")
        raise InputError(Problem(where, 0, 0, f"Moodle says: {answer.get('error') or 'failure'}"
                                 + (f" (Moodle printed: {said})" if said else "")))
    return answer


def _tail(text: str, lines: int = 6) -> str:
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(kept[-lines:])


def _short_json(request: dict) -> str:
    text = json.dumps(request, ensure_ascii=False)
    return text if len(text) <= 300 else text[:297] + "..."


# ---------------------------------------------------------------------------
# The built archives

@dataclass(frozen=True)
class Archive:
    lang: str          # the edition (its build folder)
    path: Path
    shortname: str
    fullname: str
    course_lang: str   # the course's forced language in the archive


def find_archives(build_dir, langs=()) -> list[Archive]:
    build = Path(build_dir)
    if not build.is_dir():
        raise InputError(Problem(str(build), 0, 0, "no such build folder",
                                 fix="run `resolution-pack build` first, or pass --build DIR"))
    if langs:
        folders = [build / lang for lang in dict.fromkeys(langs)]
    else:
        folders = sorted(p for p in build.iterdir()
                         if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.mbz")))
    problems, archives = [], []
    if not folders:
        problems.append(Problem(str(build), 0, 0, "no edition built here (no <lang>/<shortname>.mbz)",
                                fix="run `resolution-pack build` first"))
    for folder in folders:
        found = sorted(folder.glob("*.mbz")) if folder.is_dir() else []
        if not found:
            problems.append(Problem(str(folder), 0, 0, "no course backup (.mbz) for this edition",
                                    fix=f"run `resolution-pack build --lang {folder.name}`"))
            continue
        if len(found) > 1:
            problems.append(Problem(str(folder), 0, 0, "more than one course backup: "
                                    + ", ".join(p.name for p in found),
                                    fix="rebuild the edition into a clean build folder"))
            continue
        try:
            archives.append(read_archive(found[0], folder.name))
        except InputError as exc:
            problems.extend(exc.problems)
    seen: dict[str, Archive] = {}
    for archive in archives:
        if archive.shortname in seen:
            problems.append(Problem(str(archive.path), 0, 0, f"shortname {archive.shortname} is also the one of "
                                    f"{seen[archive.shortname].path}", fix="give every edition its own shortname"))
        seen[archive.shortname] = archive
    if problems:
        raise InputError(problems)
    return archives


def read_archive(path: Path, lang: str) -> Archive:
    """The course's names, read from course/course.xml inside the backup."""
    data = _member(Path(path), "course/course.xml")
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(Problem(str(path), 0, 0, f"course/course.xml is not well-formed XML: {exc}")) from None
    shortname = (root.findtext("shortname") or "").strip()
    fullname = (root.findtext("fullname") or "").strip()
    if not shortname or not fullname:
        raise InputError(Problem(str(path), 0, 0, "course/course.xml has no shortname or no fullname",
                                 fix="rebuild the edition"))
    return Archive(lang, Path(path).resolve(), shortname, fullname, (root.findtext("lang") or "").strip())


def _member(path: Path, name: str) -> bytes:
    """One member of a Moodle backup (gzip tar, or zip as Moodle also accepts)."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for candidate in (name, "./" + name):
                    if candidate in archive.namelist():
                        return archive.read(candidate)
        else:
            with tarfile.open(path, "r:*") as archive:
                for candidate in (name, "./" + name):
                    try:
                        member = archive.getmember(candidate)
                    except KeyError:
                        continue
                    handle = archive.extractfile(member)
                    if handle is not None:
                        return handle.read()
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise InputError(Problem(str(path), 0, 0, f"cannot read this course backup: {exc}",
                                 fix="rebuild the edition")) from None
    raise InputError(Problem(str(path), 0, 0, f"not a Moodle course backup: no {name} inside",
                             fix="rebuild the edition with `resolution-pack build`"))


# ---------------------------------------------------------------------------
# deploy

@dataclass
class DeployOptions:
    moodle_root: Path
    build: Path = Path("build")
    langs: tuple = ()
    category: int | None = None
    php: str = "php"
    replace: bool = False
    dry_run: bool = False


@dataclass
class Deployed:
    lang: str
    id: int
    shortname: str
    replaced: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return COURSE_URL.format(id=self.id)

    def line(self) -> str:
        text = f"{self.lang}: course {self.id} {self.shortname} {self.url}"
        if self.replaced:
            text += " (replaced course " + ", ".join(str(i) for i in self.replaced) + ")"
        return text


def deploy(options: DeployOptions, echo: Echo = print, warn: Echo = _quiet, progress: Echo = _quiet) -> list[Deployed]:
    site = open_site(options.moodle_root, options.php)
    archives = find_archives(options.build, options.langs)
    info = run_php(site, "site.php", {"shortnames": [a.shortname for a in archives],
                                      "categoryid": options.category})
    if options.category is not None and not info.get("category"):
        raise InputError(Problem(str(site.root), 0, 0, f"--category {options.category}: no such course category "
                                 "on this Moodle", fix="give the id of an existing category, or leave --category "
                                 f"out for the default one (id {info['default_category']['id']})"))
    default = info["default_category"]
    courses = info.get("courses") or {}
    languages = set(info.get("languages") or ())
    plans, refused = [], []
    for archive in archives:
        existing = [c["id"] for c in courses.get(archive.shortname) or []]
        if existing and not options.replace:
            refused.append(Problem(str(archive.path), 0, 0, f"the site already has a course {archive.shortname} ("
                                   + ", ".join(COURSE_URL.format(id=i) for i in existing) + "): not replaced",
                                   fix="run again with --replace to replace it (the new course gets a new id; "
                                       "the old one is deleted with its learners' data)"))
        if options.category is not None:
            category = options.category
        elif existing:
            category = (courses[archive.shortname][0])["category"]
        else:
            category = default["id"]
        plans.append((archive, existing if options.replace else [], category))
        if archive.course_lang and languages and archive.course_lang not in languages:
            warn(f"{archive.lang}: the language pack '{archive.course_lang}' is not installed on this Moodle: "
                 f"the course's language will be left blank (install it, then deploy again)")

    if options.dry_run:
        echo(f"dry run: nothing is changed; Moodle {info.get('release') or site.release} at {site.root}")
        for archive, replace, category in plans:
            where = f"in category {category}"
            if replace:
                echo(f"{archive.lang}: would restore {archive.path} as {archive.shortname} \"{archive.fullname}\" "
                     f"{where}, then delete the course it replaces ("
                     + ", ".join(COURSE_URL.format(id=i) for i in replace) + ")")
            else:
                echo(f"{archive.lang}: would restore {archive.path} as a new course {archive.shortname} "
                     f"\"{archive.fullname}\" {where}")
        for problem in refused:
            echo(f"would refuse: {problem.message}")
        echo(f"each restore runs: {site.shown('restore.php')}")
        if refused:
            raise InputError(refused)
        return []

    if refused:
        raise InputError(refused)
    done = []
    for archive, replace, category in plans:
        progress(f"{archive.lang}: restoring {archive.path} ...")
        answer = run_php(site, "restore.php", {"file": str(archive.path), "shortname": archive.shortname,
                                               "fullname": archive.fullname, "categoryid": category,
                                               "replace": replace}, about=str(archive.path))
        for message in answer.get("warnings") or ():
            warn(f"{archive.lang}: {message}")
        result = Deployed(archive.lang, int(answer["id"]), answer["shortname"], list(answer.get("replaced") or []))
        echo(result.line())
        done.append(result)
    return done


# ---------------------------------------------------------------------------
# What the sources expect of one edition in Moodle

@dataclass
class Expected:
    lang: str
    shortname: str
    fullname: str
    sections: list = field(default_factory=list)        # per section number: [module idnumber]
    roles: list = field(default_factory=list)           # per section number: the section's role
    modules: dict = field(default_factory=dict)         # idnumber -> modname
    graded: dict = field(default_factory=dict)          # quiz idnumber -> pass percent
    ungraded: list = field(default_factory=list)        # quiz idnumbers
    quiz_questions: dict = field(default_factory=dict)  # quiz idnumber -> [(question idnumber, qtype)]
    files: dict = field(default_factory=dict)           # (owner, component, filearea, filepath, filename) -> sha1|None
    tracks: dict = field(default_factory=dict)          # video idnumber -> subtitle file name
    projects: dict = field(default_factory=dict)        # project page idnumber -> project id
    figures: dict = field(default_factory=dict)
    enrolments: dict = field(default_factory=lambda: dict(ENROLMENTS))

    def summary(self) -> str:
        by_type = Counter(self.modules.values())
        questions = Counter(qtype for slots in self.quiz_questions.values() for _qid, qtype in slots)
        passes = sorted(set(self.graded.values()))
        return (f"{_n(len(self.sections), 'section')}, {_n(len(self.modules), 'module')} ({_counter(by_type)}), "
                f"{_n(len(self.graded), 'graded quiz', 'graded quizzes')}"
                f" (pass at {', '.join(f'{p}%' for p in passes) or '-'}), {len(self.ungraded)} ungraded, "
                f"{_n(sum(questions.values()), 'question')} ({_counter(questions)}), {_n(len(self.files), 'file')}, "
                f"{_n(len(self.tracks), 'subtitle track')}, enrolment {_enrolments(self.enrolments)}, "
                f"language {self.lang}")


def expect(course: m.Course, lang: str) -> Expected:
    edition = course.editions[lang]
    exp = Expected(lang, edition.shortname, edition.fullname)
    sections = list(course.sections)
    if not sections or sections[0].role != "home":
        exp.sections.append([])
        exp.roles.append("")
    root = Path(course.root or ".")
    digests: dict[str, str | None] = {}

    def sha1(ref: m.MediaRef) -> str | None:
        if ref.generated:
            return None
        if ref.path not in digests:
            try:
                digests[ref.path] = sha1_file(root / ref.path)[0]
            except OSError:
                digests[ref.path] = None
        return digests[ref.path]

    def add(owner: str, component: str, filearea: str, ref: m.MediaRef, filepath: str = "/",
            name: str | None = None) -> None:
        exp.files[(owner, component, filearea, filepath, name or ref.name)] = sha1(ref)

    for section in sections:
        exp.roles.append(section.role)
        exp.sections.append([item.id for item in section.items])
        for item in section.items:
            modname = MODNAMES.get(type(item))
            if modname is None:
                raise TypeError(f"{item.id}: no Moodle mapping for a {type(item).__name__}")
            exp.modules[item.id] = modname
            owner = f"module {item.id}"
            if isinstance(item, m.Page):
                for part in item.parts:
                    if part.image is not None:
                        add(owner, "mod_page", "content", part.image.file)
            elif isinstance(item, m.Video):
                for ref in (item.file, item.poster):
                    if ref is not None:
                        add(owner, "mod_page", "content", ref)
                if item.subtitles:
                    name = item.subtitle_name(lang)
                    exp.files[(owner, "mod_page", "content", "/", name)] = None
                    exp.tracks[item.id] = name
            elif isinstance(item, m.ProjectOverview):
                exp.projects[item.id] = item.project.id
                for kind, present in (("mindmap", item.project.mindmap is not None),
                                      ("timeline", bool(item.project.timeline)),
                                      ("orgchart", bool(item.project.actors))):
                    if present:
                        exp.files[(owner, "mod_page", "content", "/", f"{item.project.id}-{kind}.{lang}.svg")] = None
            elif isinstance(item, m.ProjectSheet):
                exp.projects[item.id] = item.project.id
            elif isinstance(item, m.Resource) and item.file is not None:
                add(owner, "mod_resource", "content", item.file)
            elif isinstance(item, m.Folder):
                for entry in item.files:
                    add(owner, "mod_folder", "content", entry.file, filepath=_folder_path(entry.folder))
            elif isinstance(item, (m.Activities, m.Evaluation)):
                if isinstance(item, m.Evaluation):
                    exp.graded[item.id] = item.pass_percent
                else:
                    exp.ungraded.append(item.id)
                exp.quiz_questions[item.id] = [(q.id, QTYPES[q.type]) for q in item.questions]
                for q in item.questions:
                    if q.image is not None:
                        add(f"question {q.id}", "question", "questiontext", q.image.file)
    exp.figures = counts.per_edition(course)
    return exp


def _folder_path(folder: str) -> str:
    parts = [p for p in PurePosixPath(folder or "").parts if p not in ("/", ".", "")]
    return "/" + "".join(p + "/" for p in parts)


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _counter(counter: Counter) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(counter.items())) or "none"


def _enrolments(methods: dict) -> str:
    return ", ".join(name if status == "enabled" else f"{name} ({status})" for name, status in sorted(methods.items()))


# ---------------------------------------------------------------------------
# What Moodle holds, compared

class _Media(HTMLParser):
    """The <video> elements of a page and their <track> children."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.videos = 0
        self.tracks: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "video":
            self.videos += 1
        elif tag == "track":
            self.tracks.append({k: (v or "") for k, v in attrs})

    handle_startendtag = handle_starttag


def _media(content: str) -> _Media:
    parser = _Media()
    parser.feed(content or "")
    parser.close()
    return parser


def _plugin_file(src: str) -> str | None:
    prefix = "@@PLUGINFILE@@/"
    return unquote(src[len(prefix):]) if src.startswith(prefix) else None


def compare(exp: Expected, found: dict | None, languages=()) -> tuple[list[str], dict]:
    """(differences, figures counted from what Moodle holds)."""
    if found is None:
        return [f"no course with the shortname {exp.shortname} on this Moodle (run `resolution-pack deploy`)"], {}
    diffs: list[str] = []
    if len(found.get("same_shortname") or ()) > 1:
        diffs.append(f"{len(found['same_shortname'])} courses have the shortname {exp.shortname} "
                     f"(ids {', '.join(map(str, found['same_shortname']))}); this check read the first")
    if found["fullname"] != exp.fullname:
        diffs.append(f"fullname: expected {exp.fullname!r}, found {found['fullname']!r}")
    if found["lang"] != exp.lang:
        hint = ""
        if not found["lang"] and languages and exp.lang not in languages:
            hint = f" (the language pack '{exp.lang}' is not installed on this Moodle: install it, then deploy again)"
        diffs.append(f"course language: expected {exp.lang!r}, found {repr(found['lang']) if found['lang'] else 'none'}"
                     f"{hint}")
    if not found.get("visible"):
        diffs.append("the course is hidden from learners")

    # sections and modules
    sections = found.get("sections") or []
    if len(sections) != len(exp.sections):
        diffs.append(f"sections: expected {len(exp.sections)}, found {len(sections)}")
    for number, (wanted, section) in enumerate(zip(exp.sections, sections)):
        have = section.get("modules") or []
        if have != wanted:
            if sorted(have) == sorted(wanted):
                diffs.append(f"section {number}: its {len(wanted)} modules are in another order")
            else:
                diffs.append(f"section {number}: expected {len(wanted)} modules, found {len(have)}"
                             + _delta(wanted, have))
    modules = {}
    unnamed = Counter()
    for mod in found.get("modules") or []:
        if mod["idnumber"]:
            modules[mod["idnumber"]] = mod["modname"]
        else:
            unnamed[mod["modname"]] += 1
    by_type_expected, by_type_found = Counter(exp.modules.values()), Counter(modules.values()) + unnamed
    if by_type_expected != by_type_found:
        diffs.append(f"modules by type: expected {_counter(by_type_expected)}; found {_counter(by_type_found)}")
    missing = [key for key in exp.modules if key not in modules]
    if missing:
        diffs.append(f"{len(missing)} module(s) missing: {_listing(missing)}")
    extra = [key for key in modules if key not in exp.modules] + [f"a {name} without idnumber" for name in unnamed]
    if extra:
        diffs.append(f"{len(extra)} module(s) the sources do not have: {_listing(extra)}")
    wrong = [f"{key} is a {modules[key]}, not a {exp.modules[key]}" for key in exp.modules
             if key in modules and modules[key] != exp.modules[key]]
    if wrong:
        diffs.append(f"module type: {_listing(wrong)}")

    # quizzes, pass marks, questions
    quizzes = {q["idnumber"]: q for q in found.get("quizzes") or [] if q.get("idnumber")}
    for key, percent in exp.graded.items():
        quiz = quizzes.get(key)
        if quiz is None:
            continue          # reported as a missing module
        item = quiz.get("gradeitem")
        if not quiz.get("grade") or not item or not item.get("grademax"):
            diffs.append(f"quiz {key}: expected graded with a pass mark of {percent}%, found ungraded")
            continue
        found_percent = 100.0 * item["gradepass"] / item["grademax"]
        if abs(found_percent - percent) > 0.01:
            diffs.append(f"quiz {key}: pass mark expected {percent}%, found {found_percent:g}% "
                         f"({item['gradepass']:g} of {item['grademax']:g})")
    for key in exp.ungraded:
        quiz = quizzes.get(key)
        if quiz is not None and (quiz.get("grade") or 0) > 0:
            diffs.append(f"quiz {key}: expected ungraded (formative), found graded out of {quiz['grade']:g}")
    question_types: dict[str, str] = {}
    for key, wanted in exp.quiz_questions.items():
        quiz = quizzes.get(key)
        if quiz is None:
            continue
        have = [(s.get("idnumber") or f"slot {s['slot']} ({s['qtype']})", s["qtype"]) for s in quiz["slots"]]
        for qid, qtype in have:
            question_types[qid] = qtype
        if have != wanted:
            wanted_ids, have_ids = [q for q, _t in wanted], [q for q, _t in have]
            text = f"quiz {key}: expected {len(wanted)} questions, found {len(have)}"
            if wanted_ids == have_ids:
                text = f"quiz {key}: question types differ: " + _listing(
                    [f"{q} is a {t}, not a {dict(wanted)[q]}" for q, t in have if dict(wanted)[q] != t])
            elif sorted(wanted_ids) == sorted(have_ids):
                text = f"quiz {key}: its questions are in another order"
            else:
                text += _delta(wanted_ids, have_ids)
            diffs.append(text)
    for quiz in found.get("quizzes") or []:
        if quiz.get("idnumber") not in exp.quiz_questions:
            for s in quiz["slots"]:
                question_types[s.get("idnumber") or f"{quiz['cmid']}:{s['slot']}"] = s["qtype"]
    q_expected = Counter({qid: qtype for slots in exp.quiz_questions.values() for qid, qtype in slots}.values())
    q_found = Counter(question_types.values())
    if q_expected != q_found:
        diffs.append(f"questions by type: expected {_counter(q_expected)}; found {_counter(q_found)}")

    # files
    files: dict[tuple, dict] = {}
    for f in found.get("files") or []:
        if f.get("module"):
            owner = f"module {f['module']}"
        elif f.get("question"):
            owner = f"question {f['question']}"
        else:
            owner = "course"
        files[(owner, f["component"], f["filearea"], f["filepath"], f["filename"])] = f
    missing = [key for key in exp.files if key not in files]
    if missing:
        diffs.append(f"{len(missing)} file(s) missing: {_listing([_file(k) for k in missing])}")
    extra = [key for key in files if key not in exp.files]
    if extra:
        diffs.append(f"{len(extra)} file(s) the sources do not have: {_listing([_file(k) for k in extra])}")
    unreadable = [key for key, f in files.items() if not f.get("readable")]
    if unreadable:
        diffs.append(f"{len(unreadable)} file(s) whose content is not in Moodle's file store: "
                     f"{_listing([_file(k) for k in unreadable])}")
    changed = [key for key, sha1 in exp.files.items()
               if sha1 and key in files and files[key].get("contenthash") != sha1]
    if changed:
        diffs.append(f"{len(changed)} file(s) whose bytes differ from the sources: "
                     f"{_listing([_file(k) for k in changed])}")

    # subtitle tracks
    pages = {p["idnumber"]: p.get("content") or "" for p in found.get("pages") or [] if p.get("idnumber")}
    track_ok: set[str] = set()
    for key, name in exp.tracks.items():
        if key not in pages:
            continue
        tracks = _media(pages[key]).tracks
        mine = [t for t in tracks if _plugin_file(t.get("src", "")) == name]
        if not mine:
            diffs.append(f"subtitle track of {key}: no <track> pointing at {name}"
                         + (f" (found {', '.join(t.get('src', '?') for t in tracks)})" if tracks else ""))
            continue
        track = mine[0]
        problems = []
        if track.get("kind", "subtitles") not in ("subtitles", "captions"):
            problems.append(f"kind {track.get('kind')!r}")
        if track.get("srclang") != exp.lang:
            problems.append(f"srclang {track.get('srclang')!r}, not {exp.lang!r}")
        stored = files.get((f"module {key}", "mod_page", "content", "/", name))
        if stored is None or not stored.get("readable") or not stored.get("filesize"):
            problems.append("its file is missing or empty")
        if problems:
            diffs.append(f"subtitle track of {key}: {'; '.join(problems)}")
        else:
            track_ok.add(key)

    # enrolment methods
    have = {}
    for enrol in found.get("enrolments") or []:
        have.setdefault(enrol["enrol"], enrol)
    for name, status in exp.enrolments.items():
        if name not in have:
            diffs.append(f"enrolment: no {name} enrolment method (expected {status})")
        elif have[name]["status"] != status:
            diffs.append(f"enrolment: {name} is {have[name]['status']}, expected {status}")
        elif status == "enabled" and not have[name].get("enabled_on_site", True):
            diffs.append(f"enrolment: the {name} enrolment plugin is disabled on this site "
                         "(Site administration > Plugins > Enrolments > Manage enrol plugins)")
    extra = sorted(set(have) - set(exp.enrolments))
    if extra:
        diffs.append(f"enrolment methods the sources do not have: {', '.join(extra)}")

    # the platform's figures, counted from what Moodle holds
    figures = _figures(exp, found, modules, pages, track_ok)
    for figure, value in exp.figures.items():
        if figures.get(figure) != value:
            diffs.append(f"figure {figure}: the sources give {value}, Moodle holds {figures.get(figure)}")
    return diffs, figures


def _figures(exp: Expected, found: dict, modules: dict, pages: dict, track_ok: set) -> dict:
    section_of = {mod["idnumber"]: mod["section"] for mod in found.get("modules") or [] if mod["idnumber"]}

    def role(idnumber: str) -> str:
        number = section_of.get(idnumber, -1)
        return exp.roles[number] if 0 <= number < len(exp.roles) else ""

    videos = {key for key, content in pages.items() if _media(content).videos}
    tutorial = {key for key in videos if role(key) == "tutorials"}
    graded = [q for q in found.get("quizzes") or [] if (q.get("grade") or 0) > 0 and q.get("gradeitem")]
    ungraded = [q for q in found.get("quizzes") or [] if q not in graded]
    return {
        "projects": len({exp.projects[key] for key in modules if key in exp.projects}),
        "tutorial_videos": len(tutorial),
        "subtitle_files": len(tutorial & track_ok),
        "mooc_videos": len({key for key in videos if role(key) == "mooc-part"}),
        "evaluation_phases": len(graded),
        "exercises": sum(len(q["slots"]) for q in graded),
        "formative_activities": sum(len(q["slots"]) for q in ungraded),
    }


def _file(key: tuple) -> str:
    owner, component, filearea, filepath, filename = key
    return f"{owner}: {component}/{filearea}{filepath}{filename}"


def _delta(wanted: list, have: list) -> str:
    missing = [x for x in wanted if x not in set(have)]
    extra = [x for x in have if x not in set(wanted)]
    parts = []
    if missing:
        parts.append(f"missing {_listing(missing)}")
    if extra:
        parts.append(f"not in the sources {_listing(extra)}")
    return ": " + "; ".join(parts) if parts else ""


def _listing(items: list, limit: int = LIST_LIMIT) -> str:
    items = list(items)
    shown = ", ".join(str(x) for x in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# ---------------------------------------------------------------------------
# verify

@dataclass
class VerifyOptions:
    moodle_root: Path
    sources: Path = Path("sources")
    langs: tuple = ()
    php: str = "php"
    dry_run: bool = False


def verify(options: VerifyOptions, echo: Echo = print) -> int:
    """0 when every edition is as the sources expect, 1 otherwise."""
    from .load import load
    site = open_site(options.moodle_root, options.php)
    course = load(options.sources)
    langs = list(dict.fromkeys(options.langs)) or list(course.languages)
    unknown = [lang for lang in langs if lang not in course.editions]
    if unknown:
        raise InputError([Problem(str(Path(options.sources) / "course.yaml"), 0, 0,
                                  f"--lang {lang}: the course has no such edition",
                                  fix=f"use one of {', '.join(course.editions)}") for lang in unknown])
    expected = {lang: expect(course, lang) for lang in langs}
    if options.dry_run:
        echo(f"dry run: would read {len(langs)} course(s) from the Moodle at {site.root} "
             f"(Moodle {site.release or '?'}), reading only, through: {site.shown('inspect.php')}")
        for lang, exp in expected.items():
            echo(f"{lang}: {exp.shortname}: would expect {exp.summary()}")
            echo(f"    figures: {_figures_text(exp.figures)}")
        return 0

    answer = run_php(site, "inspect.php", {"shortnames": [exp.shortname for exp in expected.values()]})
    found_courses = answer.get("courses") or {}
    languages = set(answer.get("languages") or ())
    failed = 0
    all_figures = []
    for lang, exp in expected.items():
        found = found_courses.get(exp.shortname)
        diffs, figures = compare(exp, found, languages)
        if found is not None:
            head = f"{lang}: {exp.shortname} (course {found['id']}, {COURSE_URL.format(id=found['id'])})"
        else:
            head = f"{lang}: {exp.shortname}"
        if diffs:
            failed += 1
            echo(f"{head}: {len(diffs)} difference(s) with the sources")
            for diff in diffs:
                echo(f"  - {diff}")
        else:
            echo(f"{head}: as the sources expect")
            echo(f"    {exp.summary()}")
            echo(f"    figures: {_figures_text(figures)}")
        all_figures.append(figures)
    # the figures of all the editions together, when every edition was verified
    totals = (course.expected or {}).get("total") or {}
    if set(langs) == set(course.languages) and totals and all(all_figures):
        for figure, value in totals.items():
            total = sum(f.get(figure, 0) for f in all_figures)
            if total != value:
                failed += 1
                echo(f"all {len(langs)} editions: {figure}: course.yaml expects {value}, Moodle holds {total}")
    n = len(langs)
    if failed:
        echo(f"{n} edition(s) read; differences found")
        return 1
    echo(f"{n} edition(s) read: all as the sources expect")
    return 0


def _figures_text(figures: dict) -> str:
    return ", ".join(f"{key} {value}" for key, value in figures.items())

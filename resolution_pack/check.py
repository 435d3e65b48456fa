"""`resolution-pack check`: counts and integrity read back from the archives.

Everything is derived from the archives' own bytes, with code of its own: it
never imports a target or the loader, so that a bug shared with the writers
cannot pass unseen. Only the expected figures come from course.yaml.
"""
from __future__ import annotations

import hashlib
import json
import re
import tarfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import yaml
from lxml import etree
from lxml import html as lxml_html

FIGURES = ("projects", "tutorial_videos", "subtitle_files", "mooc_videos",
           "evaluation_phases", "exercises", "formative_activities")
JUNK = re.compile(r"(^|/)(\.DS_Store|__MACOSX|Thumbs\.db|desktop\.ini|\.git|\.svn)(/|$)|(~|\.swp|\.bak|\.orig)$")
PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>?#]+)")
EMPTY_SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
TIMING = re.compile(r"^(\d{2,}:)?\d{2}:\d{2}\.\d{3} --> (\d{2,}:)?\d{2}:\d{2}\.\d{3}( .*)?$")
EDITION_DIR = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
SMALL_BLOB = 256 * 1024  # small blobs (subtitles) are kept to be parsed after files.xml
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass
class Problem:
    edition: str
    archive: str
    rule: str
    message: str

    def as_dict(self) -> dict:
        return {"edition": self.edition, "archive": self.archive, "rule": self.rule, "message": self.message}


@dataclass
class EditionReport:
    lang: str
    figures: dict = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    activities_by_type: Counter = field(default_factory=Counter)
    files: int = 0
    files_size: int = 0
    subtitle_languages: Counter = field(default_factory=Counter)
    mbz_questions: dict = field(default_factory=lambda: {"exercise": set(), "formative": set()})
    scorm_questions: dict = field(default_factory=lambda: {"exercise": set(), "formative": set()})
    scorm_packages: int = 0
    course_lang: str = ""
    titles: list = field(default_factory=list)

    def as_dict(self) -> dict:
        d = dict(self.figures)
        d.update({"activities_by_type": dict(sorted(self.activities_by_type.items())),
                  "files": self.files, "files_size": self.files_size,
                  "subtitle_languages": dict(sorted(self.subtitle_languages.items())),
                  "scorm_packages": self.scorm_packages, "course_lang": self.course_lang})
        return d


# ---------------------------------------------------------------------------
# reading archives

def _check_name(name: str, report, lang: str, archive: str, problems: list) -> None:
    bad = (name.startswith("/") or "\\" in name or ".." in PurePosixPath(name).parts
           or re.match(r"^[A-Za-z]:", name) or "\x00" in name)
    if bad:
        problems.append(Problem(lang, archive, "entry-name", f"unsafe entry name {name!r}"))
    elif JUNK.search(name.rstrip("/")):
        problems.append(Problem(lang, archive, "entry-name", f"junk entry {name!r}"))


def _xml(data: bytes, name: str, lang: str, archive: str, problems: list):
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        problems.append(Problem(lang, archive, "well-formed", f"{name}: {exc}"))
        return None


def _text(node, path: str, default: str = "") -> str:
    found = node.find(path) if node is not None else None
    return found.text if found is not None and found.text is not None else default


def read_mbz(path: Path, lang: str, problems: list):
    """Return (xml documents by name, blobs {sha1: (actual sha1, size, small bytes)}, file names)."""
    docs, blobs, names, files_present = {}, {}, set(), set()
    archive = path.name
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                names.add(member.name)
                _check_name(member.name, None, lang, archive, problems)
                if not member.isfile():
                    continue
                files_present.add(member.name)
                fh = tar.extractfile(member)
                if member.name.startswith("files/"):
                    h, size = hashlib.sha1(), 0
                    small = member.size <= SMALL_BLOB
                    kept = []
                    while chunk := fh.read(1 << 20):
                        h.update(chunk)
                        size += len(chunk)
                        if small:
                            kept.append(chunk)
                    blobs[PurePosixPath(member.name).name] = (h.hexdigest(), size, b"".join(kept) if small else None)
                elif member.name.endswith(".xml"):
                    data = fh.read()
                    doc = _xml(data, member.name, lang, archive, problems)
                    if doc is not None:
                        docs[member.name] = doc
    except (tarfile.TarError, OSError, EOFError) as exc:
        problems.append(Problem(lang, archive, "archive", f"cannot read the archive: {exc}"))
    return docs, blobs, files_present


def check_mbz(path: Path, lang: str, report: EditionReport, problems: list) -> None:
    archive = path.name
    docs, blobs, names = read_mbz(path, lang, problems)

    def problem(rule, message):
        problems.append(Problem(lang, archive, rule, message))

    backup = docs.get("moodle_backup.xml")
    if backup is None:
        problem("structure", "moodle_backup.xml is missing")
        return
    course = docs.get("course/course.xml")
    report.course_lang = _text(course, "lang")
    if report.course_lang != lang:
        problem("language", f"course lang is {report.course_lang!r}, expected {lang!r}")

    # sections and activities listed vs present
    listed_sections = {_text(s, "sectionid"): _text(s, "directory")
                       for s in backup.iterfind("information/contents/sections/section")}
    listed_acts = {}
    for a in backup.iterfind("information/contents/activities/activity"):
        listed_acts[_text(a, "moduleid")] = (_text(a, "modulename"), _text(a, "directory"), _text(a, "sectionid"))
    present_sections = {n.split("/")[1] for n in names if n.startswith("sections/") and n.count("/") >= 2}
    present_acts = {n.split("/")[1] for n in names if n.startswith("activities/") and n.count("/") >= 2}
    listed_section_dirs = {d.split("/")[-1] for d in listed_sections.values()}
    listed_act_dirs = {d.split("/")[-1] for _m, d, _s in listed_acts.values()}
    for d in sorted(present_sections - listed_section_dirs):
        problem("listing", f"sections/{d} is in the archive but not in moodle_backup.xml")
    for d in sorted(listed_section_dirs - present_sections):
        problem("listing", f"moodle_backup.xml lists sections/{d}, which is missing")
    for d in sorted(present_acts - listed_act_dirs):
        problem("listing", f"activities/{d} is in the archive but not in moodle_backup.xml")
    for d in sorted(listed_act_dirs - present_acts):
        problem("listing", f"moodle_backup.xml lists activities/{d}, which is missing")

    # files.xml against the blobs
    files = docs.get("files.xml")
    records = {}
    if files is None:
        problem("structure", "files.xml is missing")
    else:
        for f in files.iterfind("file"):
            fid = f.get("id")
            rec = {k: _text(f, k) for k in ("contenthash", "contextid", "component", "filearea", "itemid",
                                           "filepath", "filename", "filesize", "mimetype")}
            records[fid] = rec
            if rec["filename"] == ".":
                continue
            blob = blobs.get(rec["contenthash"])
            if blob is None:
                problem("files", f"files.xml record {fid} ({rec['filename']}) has no blob files/"
                                 f"{rec['contenthash'][:2]}/{rec['contenthash']}")
                continue
            actual, size, _name = blob
            if actual != rec["contenthash"]:
                problem("files", f"blob {rec['contenthash']} has sha1 {actual} ({rec['filename']})")
            if str(size) != rec["filesize"]:
                problem("files", f"files.xml says {rec['filename']} has {rec['filesize']} bytes, the blob has {size}")
        used = {r["contenthash"] for r in records.values()}
        for sha in sorted(set(blobs) - used):
            problem("files", f"blob {sha} is listed by no files.xml record")
    real = {r["contenthash"]: int(r["filesize"] or 0) for r in records.values() if r["filename"] != "."}
    report.files += len(real)
    report.files_size += sum(real.values())

    # questions
    questions = docs.get("questions.xml")
    categories, entries, entry_category = {}, {}, {}
    if questions is not None:
        for cat in questions.iterfind("question_category"):
            categories[cat.get("id")] = _text(cat, "contextid")
            for entry in cat.iterfind("question_bank_entries/question_bank_entry"):
                qtypes = [q.text for q in entry.iterfind(".//questions/question/qtype")]
                qids = [q.get("id") for q in entry.iterfind(".//questions/question")]
                entries[entry.get("id")] = (_text(entry, "idnumber"), qtypes, qids)
                entry_category[entry.get("id")] = cat.get("id")

    # each activity
    section_of_module, graded_sections = {}, set()
    videos_by_module = {}
    for moduleid, (modname, directory, sectionid) in sorted(listed_acts.items()):
        base = directory.rstrip("/")
        module = docs.get(f"{base}/module.xml")
        main = docs.get(f"{base}/{modname}.xml")
        if module is None or main is None:
            problem("structure", f"{base} lacks module.xml or {modname}.xml")
            continue
        report.activities_by_type[modname] += 1
        idnumber = _text(module, "idnumber")
        if _text(module, "sectionid") not in listed_sections:
            problem("reference", f"{base}/module.xml: section {_text(module, 'sectionid')} does not exist")
        section_of_module[moduleid] = (_text(module, "sectionid"), idnumber)
        activity = main
        contextid = activity.get("contextid")
        report.titles.append(_text(activity, f"{modname}/name"))
        html_text = " ".join(t for t in activity.itertext() if "<" in t or "@@PLUGINFILE@@" in t)
        # plugin file references resolve to a file of this context
        names_here = {(r["filepath"] + r["filename"]) for r in records.values() if r["contextid"] == contextid}
        for ref in PLUGINFILE.findall(html_text):
            target = "/" + unquote(ref).lstrip("/")
            if target not in names_here and not any(n.endswith(target) for n in names_here):
                problem("pluginfile", f"{base}: @@PLUGINFILE@@/{ref} matches no file of its context")
        # inforef
        inforef = docs.get(f"{base}/inforef.xml")
        grades = docs.get(f"{base}/grades.xml")
        grade_items = {g.get("id"): g for g in grades.iterfind(".//grade_item")} if grades is not None else {}
        if inforef is not None:
            for fid in inforef.iterfind("fileref/file/id"):
                if fid.text not in records:
                    problem("reference", f"{base}/inforef.xml: file {fid.text} is not in files.xml")
            for gid in inforef.iterfind("grade_itemref/grade_item/id"):
                if gid.text not in grade_items:
                    problem("reference", f"{base}/inforef.xml: grade item {gid.text} is not in grades.xml")
            for cid in inforef.iterfind("question_categoryref/question_category/id"):
                if cid.text not in categories:
                    problem("reference", f"{base}/inforef.xml: question category {cid.text} is not in questions.xml")
        # videos, subtitles
        videos = _html_videos(html_text)
        videos_by_module[moduleid] = videos
        for track_lang, track_src in (t for v in videos for t in v):
            report.subtitle_languages[track_lang] += 1
            if track_lang != lang:
                problem("language", f"{base}: subtitle track in {track_lang!r}, expected {lang!r}")
        # quizzes
        if modname == "quiz":
            grade = float(_text(activity, "quiz/grade", "0") or 0)
            gradepass = max((float(_text(g, "gradepass", "0") or 0) for g in grade_items.values()), default=0.0)
            kind = "exercise" if grade > 0 else "formative"
            if kind == "exercise":
                report.figures["evaluation_phases"] += 1
                graded_sections.add(_text(module, "sectionid"))
                if gradepass <= 0:
                    problem("grades", f"{base}: graded quiz without a grade to pass")
            slots = 0
            for inst in activity.iterfind("quiz/question_instances/question_instance"):
                slots += 1
                entry_id = _text(inst, "question_reference/questionbankentryid")
                if entry_id not in entries:
                    problem("reference", f"{base}: slot {_text(inst, 'slot')} points at question bank entry "
                                         f"{entry_id}, which is not in questions.xml")
                    continue
                report.mbz_questions[kind].add(entries[entry_id][0])
            report.figures["exercises" if kind == "exercise" else "formative_activities"] += slots

    # figures from the structure
    projects = set()
    for moduleid, (sectionid, idnumber) in section_of_module.items():
        m = re.match(r"^toolbox\.([^.]+)\.sheet$", idnumber or "")
        if m:
            projects.add(m.group(1))
        n_videos = len(videos_by_module.get(moduleid, []))
        if (idnumber or "").startswith("tutorial."):
            report.figures["tutorial_videos"] += n_videos
            report.figures["subtitle_files"] += sum(len(v) for v in videos_by_module.get(moduleid, []))
        elif sectionid in graded_sections:
            report.figures["mooc_videos"] += n_videos
    report.figures["projects"] = len(projects)

    # subtitle files parse as WebVTT
    for rec in records.values():
        if rec["filename"].endswith(".vtt"):
            blob = blobs.get(rec["contenthash"])
            if blob:
                if blob[2] is None:
                    problems.append(Problem(lang, archive, "webvtt", f"{rec['filename']}: too large for a subtitle file"))
                    continue
                problems.extend(Problem(lang, archive, "webvtt", f"{rec['filename']}: {m}") for m in vtt_problems(blob[2]))


def _html_videos(html_text: str) -> list[list[tuple[str, str]]]:
    """Each <video> of some HTML, as its list of (srclang, src) subtitle tracks."""
    if "<video" not in html_text:
        return []
    doc = lxml_html.fragment_fromstring(html_text, create_parent="div")
    return [[(t.get("srclang", ""), t.get("src", "")) for t in v.iter("track")
             if t.get("kind", "subtitles") in ("subtitles", "captions")] for v in doc.iter("video")]


def vtt_problems(data: bytes) -> list[str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return ["not UTF-8"]
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not (lines[0] == "WEBVTT" or lines[0].startswith(("WEBVTT ", "WEBVTT\t"))):
        return ["does not start with WEBVTT"]
    cues = [line for line in lines if "-->" in line]
    found = [f"bad cue timing {line!r}" for line in cues if not TIMING.match(line.strip())]
    if not cues:
        found.append("has no cue")
    return found


def check_scorm(path: Path, lang: str, report: EditionReport, problems: list, schemas: Path | None) -> None:
    archive = f"scorm/{path.name}"

    def problem(rule, message):
        problems.append(Problem(lang, archive, rule, message))

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        problem("archive", f"cannot read the archive: {exc}")
        return
    with zf:
        names = set()
        for info in zf.infolist():
            names.add(info.filename)
            _check_name(info.filename, None, lang, archive, problems)
        if "imsmanifest.xml" not in names:
            problem("structure", "imsmanifest.xml is missing at the package root")
            return
        manifest = _xml(zf.read("imsmanifest.xml"), "imsmanifest.xml", lang, archive, problems)
        if manifest is None:
            return
        report.scorm_packages += 1
        _validate_manifest(manifest, schemas, lang, archive, problems)
        for href in manifest.iter("{*}file"):
            target = href.get("href", "")
            if unquote(target) not in names:
                problem("files", f"imsmanifest.xml lists {target}, which is not in the package")
        for name in sorted(names):
            if name.endswith(".xml") and name != "imsmanifest.xml":
                _xml(zf.read(name), name, lang, archive, problems)
            elif name.endswith((".html", ".htm")):
                doc = lxml_html.fromstring(zf.read(name))
                for el in doc.iter():
                    qid = el.get("data-question-id") if isinstance(el.tag, str) else None
                    if qid:
                        kind = el.get("data-kind", "")
                        if kind not in ("exercise", "formative"):
                            problem("structure", f"{name}: question {qid} has data-kind {kind!r}")
                            continue
                        report.scorm_questions[kind].add(qid)
            elif name.endswith(".vtt"):
                problems.extend(Problem(lang, archive, "webvtt", f"{name}: {m}") for m in vtt_problems(zf.read(name)))


def _validate_manifest(manifest, schemas: Path | None, lang, archive, problems) -> None:
    """Validate against ADL's XSDs for the manifest's SCORM version."""
    if schemas is None:
        return
    from .scorm_xsd import load_schema
    version = (manifest.findtext(".//{*}schemaversion") or "").strip()
    key = "1.2" if version == "1.2" else "2004"
    try:
        schema = load_schema(key, Path(schemas))
    except (OSError, etree.XMLSchemaParseError) as exc:
        problems.append(Problem(lang, archive, "manifest", f"cannot load the SCORM {key} XSDs: {exc}"))
        return
    if not schema.validate(manifest):
        for error in list(schema.error_log)[:5]:
            problems.append(Problem(lang, archive, "manifest", f"imsmanifest.xml:{error.line}: {error.message}"))


# ---------------------------------------------------------------------------

def analyse(build_dir: Path, schemas: Path | None = None) -> tuple[dict, list]:
    build_dir = Path(build_dir)
    reports, problems = {}, []
    # an edition is a folder named by its language code; anything else is not ours
    for folder in sorted(p for p in build_dir.iterdir() if p.is_dir() and EDITION_DIR.match(p.name)) \
            if build_dir.is_dir() else []:
        lang = folder.name
        report = EditionReport(lang)
        mbzs = sorted(folder.glob("*.mbz"))
        if not mbzs:
            problems.append(Problem(lang, "", "structure", "no .mbz archive"))
        for mbz in mbzs:
            check_mbz(mbz, lang, report, problems)
        for package in sorted((folder / "scorm").glob("*.zip")):
            check_scorm(package, lang, report, problems, schemas)
        if report.scorm_packages:
            for kind in ("exercise", "formative"):
                only_mbz = report.mbz_questions[kind] - report.scorm_questions[kind]
                only_scorm = report.scorm_questions[kind] - report.mbz_questions[kind]
                if only_mbz:
                    problems.append(Problem(lang, "scorm", "drift", f"{len(only_mbz)} {kind} question(s) in the .mbz "
                                            f"but in no SCORM package: {', '.join(sorted(only_mbz)[:5])}"))
                if only_scorm:
                    problems.append(Problem(lang, "scorm", "drift", f"{len(only_scorm)} {kind} question(s) in SCORM "
                                            f"but not in the .mbz: {', '.join(sorted(only_scorm)[:5])}"))
        reports[lang] = report
    _untranslated(reports, problems)
    return reports, problems


def _untranslated(reports: dict, problems: list, source: str = "fr", threshold: float = 0.1) -> None:
    """An edition whose activity titles are mostly the source edition's was
    not translated (a few proper names may stay the same)."""
    if source not in reports:
        return
    base = Counter(t for t in reports[source].titles if t)
    for lang, report in reports.items():
        if lang == source or not report.titles:
            continue
        same = sum(1 for t in report.titles if t and base[t])
        if same / len(report.titles) > threshold:
            problems.append(Problem(lang, "", "language", f"{same} of {len(report.titles)} activity titles are "
                                    f"the same as in the {source} edition: untranslated?"))


def expectations(sources: Path) -> dict:
    path = Path(sources) / "course.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    return data.get("expected") or {}


def run(build_dir: Path, sources: Path, as_json: bool = False, xsd: Path | None = None) -> int:
    from .scorm_xsd import default_folder
    xsd = xsd or default_folder()
    reports, problems = analyse(build_dir, xsd)
    expected = expectations(sources)
    total = dict.fromkeys(FIGURES, 0)
    for report in reports.values():
        for k in FIGURES:
            total[k] += report.figures[k]
    if not reports:
        problems.append(Problem("", str(build_dir), "structure", "no edition found (run resolution-pack build first)"))
    for lang, report in reports.items():
        for figure, value in (expected.get("per_edition") or {}).items():
            if report.figures.get(figure) != value:
                problems.append(Problem(lang, "", "count", f"{figure}: expected {value}, found {report.figures.get(figure)}"))
    if expected.get("total") and reports:
        for figure, value in expected["total"].items():
            if total.get(figure) != value:
                problems.append(Problem("all", "", "count", f"{figure}: expected {value}, found {total.get(figure)}"))
    if as_json:
        out = {"editions": {lang: r.as_dict() for lang, r in reports.items()}, "total": total,
               "expected": expected, "problems": [p.as_dict() for p in problems],
               "scorm_xsd_validated": xsd is not None}
        print(json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        print(_table(reports, total, expected))
        if xsd is None:
            print("note: SCORM manifests were not validated against ADL's XSDs (not found; "
                  "pass --scorm-xsd DIR or run tests/install-test-deps.sh)")
        for p in problems:
            where = "/".join(x for x in (p.edition, p.archive) if x)
            print(f"{where}: [{p.rule}] {p.message}")
        print("check: ok" if not problems else f"check: {len(problems)} problem(s)")
    return 1 if problems else 0


def _table(reports: dict, total: dict, expected: dict) -> str:
    langs = list(reports)
    head = f"{'figure':<22}" + "".join(f"{lang:>8}" for lang in langs) + f"{'total':>8}{'expected':>14}"
    rows = [head, "-" * len(head)]
    per = expected.get("per_edition") or {}
    tot = expected.get("total") or {}
    for k in FIGURES:
        exp = f"{per.get(k, '')}/{tot.get(k, '')}".strip("/")
        rows.append(f"{k:<22}" + "".join(f"{reports[lang].figures[k]:>8}" for lang in langs) + f"{total[k]:>8}{exp:>14}")
    for k in ("files", "files_size", "scorm_packages"):
        rows.append(f"{k:<22}" + "".join(f"{getattr(reports[lang], k):>8}" for lang in langs))
    types = sorted({t for r in reports.values() for t in r.activities_by_type})
    for t in types:
        rows.append(f"{'mod_' + t:<22}" + "".join(f"{reports[lang].activities_by_type[t]:>8}" for lang in langs))
    return "\n".join(rows)

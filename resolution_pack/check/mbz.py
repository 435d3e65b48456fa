"""A Moodle course backup (.mbz) read back: its listing, files, references,
questions and quizzes, and the figures counted from them."""
from __future__ import annotations

import hashlib
import re
import tarfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from lxml import html as lxml_html

from .findings import EditionReport, check_name, finding
from .moodle_layout import bank_modules, layout_problems
from .learner import problems as learner_problems
from .webvtt import vtt_problems
from .xmldoc import parse, text

PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>?#]+)")
SMALL_BLOB = 256 * 1024  # small blobs (subtitles) are kept to be parsed after files.xml


def read_mbz(path: Path, lang: str, problems: list):
    """Return (xml documents by name, blobs {sha1: (actual sha1, size, small bytes)}, file names)."""
    docs, blobs, names, files_present = {}, {}, set(), set()
    archive = path.name
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                names.add(member.name)
                check_name(member.name, lang, archive, problems)
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
                    doc = parse(data, member.name, lang, archive, problems)
                    if doc is not None:
                        docs[member.name] = doc
    except (tarfile.TarError, OSError, EOFError) as exc:
        problems.append(finding(lang, archive, "archive", f"cannot read the archive: {exc}"))
    return docs, blobs, files_present


def check(path: Path, lang: str, report: EditionReport, problems: list, options=None) -> None:
    """Integrity and figures of one Moodle course backup. An edition built for
    several Moodle releases (<shortname>.mbz, <shortname>-moodle5N.mbz) is
    counted once: each later backup is read on its own and must hold the same."""
    if not report.activities_by_type:
        check_one(path, lang, report, problems, options)
        return
    flavour = EditionReport(lang)
    check_one(path, lang, flavour, problems, options)
    if (flavour.figures, flavour.activities_by_type) != (report.figures, report.activities_by_type):
        problems.append(finding(lang, path.name, "drift", f"{path.name} does not hold what the edition's other "
                                f"backup holds: {flavour.figures} {dict(flavour.activities_by_type)}"))


def check_one(path: Path, lang: str, report: EditionReport, problems: list, options=None) -> None:
    archive = path.name
    docs, blobs, names = read_mbz(path, lang, problems)

    def problem(rule, message):
        problems.append(finding(lang, archive, rule, message))

    backup = docs.get("moodle_backup.xml")
    if backup is None:
        problem("structure", "moodle_backup.xml is missing")
        return
    for rule, message in layout_problems(docs, archive):      # 4.5 or 5.x: where the questions live
        problem(rule, message)
    banks = bank_modules(docs)
    for rule, message in learner_problems(docs):      # filters, names: what a learner would meet
        problem(rule, message)
    course = docs.get("course/course.xml")
    report.course_lang = text(course, "lang")
    if report.course_lang != lang:
        problem("language", f"course lang is {report.course_lang!r}, expected {lang!r}")

    # sections and activities listed vs present
    listed_sections = {text(s, "sectionid"): text(s, "directory")
                       for s in backup.iterfind("information/contents/sections/section")}
    listed_acts = {}
    for a in backup.iterfind("information/contents/activities/activity"):
        listed_acts[text(a, "moduleid")] = (text(a, "modulename"), text(a, "directory"), text(a, "sectionid"))
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
            rec = {k: text(f, k) for k in ("contenthash", "contextid", "component", "filearea", "itemid",
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
            categories[cat.get("id")] = text(cat, "contextid")
            for entry in cat.iterfind("question_bank_entries/question_bank_entry"):
                qtypes = [q.text for q in entry.iterfind(".//questions/question/qtype")]
                qids = [q.get("id") for q in entry.iterfind(".//questions/question")]
                entries[entry.get("id")] = (text(entry, "idnumber"), qtypes, qids)
                entry_category[entry.get("id")] = cat.get("id")

    # each activity
    section_of_module, graded_sections = {}, set()
    videos_by_module = {}
    for moduleid, (modname, directory, sectionid) in sorted(listed_acts.items()):
        if moduleid in banks:
            continue                  # a 5.x question bank module: where the questions live, not content
        base = directory.rstrip("/")
        module = docs.get(f"{base}/module.xml")
        main = docs.get(f"{base}/{modname}.xml")
        if module is None or main is None:
            problem("structure", f"{base} lacks module.xml or {modname}.xml")
            continue
        report.activities_by_type[modname] += 1
        idnumber = text(module, "idnumber")
        if text(module, "sectionid") not in listed_sections:
            problem("reference", f"{base}/module.xml: section {text(module, 'sectionid')} does not exist")
        section_of_module[moduleid] = (text(module, "sectionid"), idnumber)
        activity = main
        contextid = activity.get("contextid")
        report.titles.append(text(activity, f"{modname}/name"))
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
            grade = float(text(activity, "quiz/grade", "0") or 0)
            gradepass = max((float(text(g, "gradepass", "0") or 0) for g in grade_items.values()), default=0.0)
            kind = "exercise" if grade > 0 else "formative"
            if kind == "exercise":
                report.figures["evaluation_phases"] += 1
                graded_sections.add(text(module, "sectionid"))
                if gradepass <= 0:
                    problem("grades", f"{base}: graded quiz without a grade to pass")
            slots = 0
            for inst in activity.iterfind("quiz/question_instances/question_instance"):
                slots += 1
                entry_id = text(inst, "question_reference/questionbankentryid")
                if entry_id not in entries:
                    problem("reference", f"{base}: slot {text(inst, 'slot')} points at question bank entry "
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
                    problems.append(finding(lang, archive, "webvtt", f"{rec['filename']}: too large for a subtitle file"))
                    continue
                problems.extend(finding(lang, archive, "webvtt", f"{rec['filename']}: {m}") for m in vtt_problems(blob[2]))


def _html_videos(html_text: str) -> list[list[tuple[str, str]]]:
    """Each <video> of some HTML, as its list of (srclang, src) subtitle tracks."""
    if "<video" not in html_text:
        return []
    doc = lxml_html.fragment_fromstring(html_text, create_parent="div")
    return [[(t.get("srclang", ""), t.get("src", "")) for t in v.iter("track")
             if t.get("kind", "subtitles") in ("subtitles", "captions")] for v in doc.iter("video")]

"""Read a Moodle course backup (4.x or 5.x, as extracted by archive.py) into
the course model: the pipeline backwards.

Modules map onto the generic kinds: page (a page holding a <video> becomes a
video), label, url, resource, folder, book, forum, quiz (with a grade to pass:
an evaluation; without: formative activities); a 4.5+ subsection's modules
are taken into its parent section in place. Everything else (lesson, scorm,
assign, h5pactivity..., blocks, badges, custom fields) becomes a finding.

Only course content is read. users.xml, enrolments, attempts, grades, logs,
forum discussions and posts are never opened or walked: the readers look up
the settings they need by path.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .. import model as m
from . import html as h
from . import formats, pages
from .archive import Backup
from .findings import NOTE, SIMPLIFIED, UNSUPPORTED, Findings, place
from .ids import Names, is_local_id, slug, split_idnumber
from .media import FileIndex, MediaPlan
from .questions import read_bank

OUR_WWWROOT = "https://resolution-pack.invalid"
NULL = "$@NULL@$"
MODULES = ("page", "label", "url", "resource", "folder", "book", "forum", "quiz")
CONTAINERS = ("qbank", "subsection")
FORUM_TYPES = ("news", "general")


@dataclass
class Origin:
    """Where a model object came from, for the aligner and the report."""
    modname: str = ""
    idnumber: str = ""
    html: str = ""                       # a page's content, for recognising project blocks
    hashes: tuple = ()                   # the sha1 of the files it uses
    where: str = ""
    number: int = 0                      # a section's number in Moodle
    category: str = ""                   # a question's category name
    pass_mark: str | None = None         # a graded quiz's pass-mark sentence, '{percent}' in it


@dataclass
class Edition:
    """One backup, read: its course model and what came along."""
    lang: str
    course: m.Course
    backup: Backup
    media: MediaPlan
    findings: Findings
    ui: dict                             # key -> Counter of texts our templates put in the HTML
    origin: dict = field(default_factory=dict)   # id(model object) -> Origin
    ours: bool = False                   # written by resolution-pack (not restored in a Moodle)
    backup_date: int = 0


def _text(node, path: str, default: str = "") -> str:
    value = node.findtext(path) if node is not None else None
    return default if value is None or value == NULL else value


def _int(value: str, default: int = 0) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return default


class Reader:
    def __init__(self, backup: Backup, media: MediaPlan, lang: str = ""):
        self.b = backup
        self.media = media
        self.files = FileIndex(backup)
        self.findings = Findings()
        self.ui: dict = defaultdict(Counter)
        self.origin: dict = {}
        self.lang = lang
        self.vtt_cache: dict = {}

    # -- the course ------------------------------------------------------------
    def read(self) -> Edition:
        mb = self.b.xml("moodle_backup.xml")
        kind = _text(mb, "information/details/detail/type")
        if kind and kind != "course":
            from ..errors import InputError
            raise InputError(self.b.problem("moodle_backup.xml", f"is a backup of one {kind}, not of a course",
                                            "back up the whole course (Course administration > Backup)"))
        course_xml = self.b.xml("course/course.xml").getroottree().getroot()
        self.lang = _text(course_xml, "lang") or self.lang
        ours = _text(mb, "information/original_wwwroot") == OUR_WWWROOT
        shortname = _text(course_xml, "shortname") or "COURSE"
        fullname = h.plain(_text(course_xml, "fullname")) or shortname
        title = h.plain(_text(course_xml, "category/name")) if ours else fullname
        summary = h.rich(_text(course_xml, "summary"), _int(_text(course_xml, "summaryformat"), 1), h.Losses())
        course = m.Course(
            id=course_id(shortname, self.lang), source_language=self.lang, languages=[self.lang],
            startdate=_date(_text(course_xml, "startdate")),
            editions={self.lang: m.Edition(self.lang, shortname, fullname)}, sections=[], projects=[],
            expected={}, ui={}, ctx="course", title=title or shortname, summary=summary or fullname)
        fmt = _text(course_xml, "format") or "topics"
        if fmt not in ("topics", "weeks"):
            self.findings.add(SIMPLIFIED, f"course format {fmt} becomes topics", self.lang)
        course.notes = {}
        self.bank = read_bank(self.b.xml("questions.xml", required=False), self._question_image)
        self.listed = [{k: _text(a, k) for k in ("moduleid", "sectionid", "modulename", "title", "directory")}
                       for a in mb.iterfind("information/contents/activities/activity")]
        self._sections(mb, course)
        self._extras(course_xml)
        return Edition(self.lang, course, self.b, self.media, self.findings, self.ui, self.origin, ours,
                       _int(_text(mb, "information/backup_date")))

    def _sections(self, mb, course: m.Course) -> None:
        raw = []
        for s in mb.iterfind("information/contents/sections/section"):
            doc = self.b.xml(f"{_text(s, 'directory')}/section.xml")
            raw.append({"id": doc.get("id"), "number": _int(_text(doc, "number")), "name": h.plain(_text(doc, "name")),
                        "summary": _text(doc, "summary"), "format": _int(_text(doc, "summaryformat"), 1),
                        "sequence": [x for x in _text(doc, "sequence").split(",") if x],
                        "component": _text(doc, "component"), "itemid": _text(doc, "itemid")})
        raw.sort(key=lambda s: s["number"])
        self.delegated = {s["itemid"]: s for s in raw if s["component"] == "mod_subsection"}
        by_module = {a["moduleid"]: a for a in self.listed}
        placed = {cm for s in raw for cm in s["sequence"]}
        names = Names()
        for s in raw:
            if s["component"]:
                continue
            listed = s["sequence"] + [a["moduleid"] for a in self.listed
                                      if a["sectionid"] == s["id"] and a["moduleid"] not in placed]
            acts = [by_module[cm] for cm in listed if cm in by_module]
            if s["number"] == 0 and not acts and h.is_empty(s["summary"]):
                continue                       # Moodle's empty top section: every target makes one
            section = self._section(s, acts, names)
            course.sections.append(section)

    def _section(self, s: dict, acts: list, names: Names) -> m.Section:
        title = s["name"]
        if not title:
            title = "General" if s["number"] == 0 else f"Section {s['number']}"
            self.findings.add(NOTE, f"section without a name, called «{title}»", self.lang, place(s["number"]))
        losses = h.Losses()
        summary = h.rich(s["summary"], s["format"], losses)
        self._losses(losses, place(s["number"], title))
        section = m.Section(id="", role="home" if s["number"] == 0 else "", title=title, summary=summary)
        self.origin[id(section)] = Origin(where=place(s["number"], title), number=s["number"])
        items = []
        for position, act in enumerate(acts, 1):
            items.extend(self._module(act, s, position, title))
        section.items = items
        # (a tutorial project's heading label, `tutorial.<p>`, belongs to the project, not the section)
        prefixes = {split[0] for split in (split_idnumber(self.origin[id(i)].idnumber) for i in items)
                    if split and is_local_id(split[0]) and split[0] != "tutorial"}
        section.id = names.claim(prefixes.pop() if len(prefixes) == 1 else slug(title, "section"))
        return section

    # -- modules ---------------------------------------------------------------
    def _module(self, act: dict, s: dict, position: int, section_title: str) -> list:
        modname, directory = act["modulename"], act["directory"]
        where = place(s["number"], section_title, position, h.plain(act["title"]))
        if modname == "subsection":
            return self._subsection(act, s, position, section_title, where)
        if modname == "qbank":
            self.findings.add(NOTE, "question bank module: its questions were read into the quizzes that use them",
                              self.lang, where)
            return []
        if modname not in MODULES:
            self.findings.add(UNSUPPORTED, f"activity {modname}", self.lang, where)
            return []
        module = self.b.xml(f"{directory}/module.xml")
        main = self.b.xml(f"{directory}/{modname}.xml")
        node = main.find(modname)
        idnumber = _text(module, "idnumber")
        ctx = {"contextid": main.get("contextid"), "where": where, "losses": h.Losses(), "directory": directory}
        item = getattr(self, f"_{modname}")(node, ctx)
        if item is None:
            return []
        if _text(module, "visible", "1") == "0":
            self.findings.add(NOTE, f"{modname} hidden in Moodle, imported as visible", self.lang, where)
        self._losses(ctx["losses"], where)
        origin = self.origin.setdefault(id(item), Origin())
        origin.modname, origin.idnumber, origin.where = modname, "" if idnumber == NULL else idnumber, where
        return [item]

    def _subsection(self, act, s, position, section_title, where) -> list:
        main = self.b.xml(f"{act['directory']}/subsection.xml", required=False)
        instance = main.find("subsection").get("id") if main is not None and main.find("subsection") is not None \
            else ""
        inner = self.delegated.get(instance)
        self.findings.add(SIMPLIFIED, "subsection: its activities are placed in the section itself", self.lang,
                          where)
        if inner is None:
            return []
        by_module = {a["moduleid"]: a for a in self.listed}
        out = []
        for n, cm in enumerate(inner["sequence"], 1):
            if cm in by_module:
                out.extend(self._module(by_module[cm], s, position, section_title))
        return out

    def _resolver(self, contextid, component: str, filearea: str, itemid="0"):
        def resolve(url: str):
            return self.media.ref(self.b, self.files.resolve(url, contextid, component, filearea, itemid))
        return resolve

    def _vtt(self, ref: m.MediaRef) -> str | None:
        source = self.media.sources.get(ref.path)
        if source is None:
            return None
        backup, member = source
        try:
            return backup.path(member).read_bytes()[:8 * 1024 * 1024].decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _rich(self, node, name: str, ctx) -> str | None:
        return h.rich(_text(node, name), _int(_text(node, f"{name}format"), 1), ctx["losses"])

    def _page(self, node, ctx):
        content = _text(node, "content")
        title = h.plain(_text(node, "name")) or "-"
        pctx = pages.Context(self.lang, self._resolver(ctx["contextid"], "mod_page", "content"), ctx["losses"],
                             self.ui, self._vtt)
        intro = self._rich(node, "intro", ctx)
        if pages.has_video(content):
            fields = pages.video(content, pctx, self.lang)
            if fields["file"] is None and fields["url"] is None:
                ctx["losses"].add("video without its file")
            elif not fields["subtitles"]:
                ctx["losses"].add("video without subtitles: a placeholder cue was written")
                fields["subtitles"] = [m.Cue(start="00:00.000", end="00:01.000", text=title)]
            else:
                if intro:
                    fields["description"] = "\n\n".join(x for x in (intro, fields["description"]) if x)
                item = m.Video(id="", title=title, **fields)
                self.origin[id(item)] = Origin(html=content)
                return item
        special = formats.read(content, title, pctx)        # a photo-story or a recipe of ours
        if special is not None:
            self.origin[id(special)] = Origin(html=content)
            return special
        parts = pages.parts(content, pctx)
        if not parts:
            parts = [m.Part(heading=title)]
        item = m.Page(id="", title=title, intro=intro, parts=parts)
        self.origin[id(item)] = Origin(html=content)
        return item

    def _label(self, node, ctx):
        text = self._rich(node, "intro", ctx)
        if not text:
            self.findings.add(SIMPLIFIED, "empty label left out", self.lang, ctx["where"])
            return None
        return m.Label(id="", text=text)

    def _url(self, node, ctx):
        url = _text(node, "externalurl").strip()
        if not re.match(r"^https?://[^\s<>\"]+$", url):
            self.findings.add(UNSUPPORTED, f"url to «{url[:80]}» (only http and https addresses)", self.lang,
                              ctx["where"])
            return None
        return m.Url(id="", url=url, title=h.plain(_text(node, "name")) or url,
                     description=self._rich(node, "intro", ctx))

    def _resource(self, node, ctx):
        files = self.files.area(ctx["contextid"], "mod_resource", "content")
        if not files:
            self.findings.add(UNSUPPORTED, "resource without its file", self.lang, ctx["where"])
            return None
        if len(files) > 1:
            ctx["losses"].add("further files of a resource", len(files) - 1)
        ref = self.media.ref(self.b, files[0])
        if ref is None:
            self.findings.add(UNSUPPORTED, f"resource whose file {files[0].filename} is missing", self.lang,
                              ctx["where"])
            return None
        item = m.Resource(id="", file=ref, title=h.plain(_text(node, "name")) or ref.name,
                          description=self._rich(node, "intro", ctx))
        self.origin[id(item)] = Origin(hashes=(files[0].contenthash,))
        return item

    def _folder(self, node, ctx):
        entries = []
        for rec in self.files.area(ctx["contextid"], "mod_folder", "content"):
            ref = self.media.ref(self.b, rec)
            if ref is None:
                ctx["losses"].add("folder file missing or not what its extension says")
                continue
            folder = "-".join(re.sub(r"[^A-Za-z0-9 _-]", "-", p) for p in rec.filepath.strip("/").split("/") if p)
            if folder != rec.filepath.strip("/"):
                ctx["losses"].add("sub-folder name simplified")
            entries.append(m.FolderFile(ref, folder))
        if not entries:
            self.findings.add(UNSUPPORTED, "empty folder", self.lang, ctx["where"])
            return None
        return m.Folder(id="", files=entries, title=h.plain(_text(node, "name")) or "-",
                        description=self._rich(node, "intro", ctx))

    def _book(self, node, ctx):
        chapters, names = [], Names()
        pctx = pages.Context(self.lang, self._resolver(ctx["contextid"], "mod_book", "chapter"), ctx["losses"],
                             self.ui, self._vtt)
        for ch in sorted(node.iterfind("chapters/chapter"), key=lambda c: _int(_text(c, "pagenum"))):
            if _text(ch, "subchapter") == "1":
                ctx["losses"].add("subchapter made a chapter")
            title = h.plain(_text(ch, "title")) or "-"
            body, links = pages.chapter(_text(ch, "content"), pctx)
            chapters.append(m.Chapter(id=names.claim(slug(title, "chapter")), links=links, title=title, body=body))
        if not chapters:
            self.findings.add(UNSUPPORTED, "book without chapters", self.lang, ctx["where"])
            return None
        return m.Book(id="", chapters=chapters, title=h.plain(_text(node, "name")) or "-",
                      intro=self._rich(node, "intro", ctx))

    def _forum(self, node, ctx):
        kind = _text(node, "type") or "general"
        if kind not in FORUM_TYPES:
            ctx["losses"].add(f"forum type {kind} made general")
            kind = "general"
        return m.Forum(id="", type=kind, title=h.plain(_text(node, "name")) or "-",
                       intro=self._rich(node, "intro", ctx))

    def _quiz(self, node, ctx):
        from .quizzes import quiz
        return quiz(self, node, ctx)

    def _question_image(self, question_id, url):
        return self.media.ref(self.b, self.files.resolve_item(url, "question", "questiontext", question_id))

    def _losses(self, losses: h.Losses, where: str) -> None:
        if losses:
            self.findings.add(SIMPLIFIED, losses.describe(), self.lang, where)

    # -- what the format has no place for --------------------------------------
    def _extras(self, course_xml) -> None:
        counts = Counter()
        for name in sorted(self.b.names):
            found = re.search(r"(?:^|/)blocks/([a-z0-9_]+?)_[0-9]+/block\.xml$", name)
            if found:
                counts[f"block {found.group(1)}"] += 1
        badges = self.b.xml("badges.xml", required=False)
        counts["badge"] += len(badges.findall("badge")) if badges is not None else 0
        counts["custom course field"] += len(course_xml.findall("customfields/customfield"))
        groups = self.b.xml("groups.xml", required=False)
        counts["group"] += len(groups.findall("group")) if groups is not None else 0
        counts["grouping"] += len(groups.findall("groupings/grouping")) if groups is not None else 0
        competencies = self.b.xml("course/competencies.xml", required=False)
        counts["competency"] += len(competencies.findall(".//competency")) if competencies is not None else 0
        completion = self.b.xml("completion.xml", required=False)
        counts["course completion criterion"] += len(completion.findall(".//course_completion_criteria")) \
            if completion is not None else 0
        events = self.b.xml("course/calendar.xml", required=False)
        counts["calendar event"] += len(events.findall("event")) if events is not None else 0
        for what, n in sorted(counts.items()):
            if n:
                self.findings.add(UNSUPPORTED, f"{what} ×{n}" if n > 1 else what, self.lang, "course")


def course_id(shortname: str, lang: str) -> str:
    """'RESOLUTION-FR' in fr -> 'resolution': the shortname without its language."""
    base = re.sub(rf"[-_ .]{re.escape(lang)}$", "", shortname, flags=re.I) if lang else shortname
    return slug(base, "course")


def _date(value: str) -> str:
    """A Moodle timestamp as the day it starts (nearest midnight UTC: sites
    east or west of Greenwich store the day's local midnight)."""
    seconds = _int(value)
    if seconds <= 0:
        return "2022-01-01"
    day = (seconds + 43200) // 86400
    return (_dt.date(1970, 1, 1) + _dt.timedelta(days=day)).isoformat()

"""Moodle course backup target: one `<shortname>.mbz` per edition.

The archive is a `moodle2` course backup laid out as Moodle 4.5's own backup
writes it (see docs and ../shared/reference): moodle_backup.xml, course/,
sections/section_<id>/, activities/<mod>_<cmid>/, questions.xml, files.xml
and the content-addressed files/ folder, in a gzip-compressed tar whose first
member is Moodle's .ARCHIVE_INDEX.

How the course model becomes Moodle:

- sections, in the order of the sources; a first section with role `home`
  becomes section 0 (Moodle's top section, where the announcements forum
  lives), otherwise section 0 is left empty;
- Page, Video, ProjectOverview, ProjectSheet -> page; Label -> label;
  Url -> url; Resource -> resource; Folder -> folder; Book -> book;
  Forum -> forum; Activities -> ungraded quiz (interactive behaviour);
  Evaluation -> graded quiz (grade 10, grade to pass from pass_percent,
  completion on pass);
- every course module carries its stable id as idnumber, every question its
  stable id as question bank entry idnumber;
- ids are hashes of the stable ids (moodle_ids), timestamps come from
  SOURCE_DATE_EPOCH: the same sources give the same bytes.

XML and HTML are written by the Jinja2 templates in templates/moodle_backup/
(autoescaped); no user text is pasted into markup by string operations here.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import model as m
from ..archive import ArchiveBuilder, source_date_epoch
from ..edition import Edition, diagram_ref, subtitle_ref
from ..languages import own_name
from ..layout import mbz_name
from ..text import inline, paragraphs, plain, to_text
from .moodle_files import FileRecord, Files, clean_folder, plugin_url
from .moodle_ids import Ids, stable_hex
from .moodle_questions import QuestionBank
from .moodle_templates import render_html, render_xml

NAME = "moodle"

INDEX = ".ARCHIVE_INDEX"
INDEX_HEADER = "Moodle archive file index. Count: "
DIR_MTIME = 1356998400            # 2013-01-01: what Moodle's tgz_packer gives the index and directories

MOODLE_VERSION = "2024090300"     # the oldest 4.5 build: restore warns when a backup is newer than the site
MOODLE_RELEASE = "4.5"
BACKUP_VERSION = "2024042200"
BACKUP_RELEASE = "4.5"

MODULE_VERSIONS = {               # mod/<name>/version.php of Moodle 4.5, as module.xml carries them
    "page": "2024042200", "label": "2024042200", "url": "2024042200", "resource": "2024042200",
    "folder": "2024042200", "book": "2024042200", "forum": "2024082100", "quiz": "2024072500",
}

# The files Moodle's backup writes in every activity folder (forum adds grading.xml).
ACTIVITY_FILES = ("calendar", "comments", "competencies", "completion", "filters", "grade_history",
                  "grades", "inforef", "module", "roles", "xapistate")
EXTRA_ACTIVITY_FILES = {"forum": ("grading",)}

ROOT_SETTINGS = (("imscc11", 0), ("users", 1), ("anonymize", 0), ("role_assignments", 1), ("activities", 1),
                 ("blocks", 1), ("files", 1), ("filters", 1), ("comments", 1), ("badges", 1),
                 ("calendarevents", 1), ("userscompletion", 1), ("logs", 0), ("grade_histories", 0),
                 ("questionbank", 1), ("groups", 1), ("competencies", 1), ("customfield", 1),
                 ("contentbankcontent", 1), ("xapistate", 1), ("legacyfiles", 1))

STUDENT_ROLE = 5
ADMIN_USER = 2


def outputs(edition: Edition) -> list[str]:
    return [mbz_name(edition.course.edition.shortname)]


def render(edition: Edition, out_dir: Path) -> list[Path]:
    target = Path(out_dir) / outputs(edition)[0]
    archive = MoodleBackup(edition).archive()
    archive.write_tgz(target, first=(INDEX,), dir_mtime=DIR_MTIME)
    return [target]


# ---------------------------------------------------------------------------

@dataclass
class SectionView:
    key: str
    id: int
    number: int
    name: str | None
    summary: str
    modules: list = field(default_factory=list)

    @property
    def directory(self) -> str:
        return f"sections/section_{self.id}"

    @property
    def sequence(self) -> str:
        return ",".join(str(mod.cmid) for mod in self.modules)


@dataclass
class ModuleView:
    key: str                  # the stable id: the course module's idnumber
    modname: str
    cmid: int
    instance: int
    contextid: int
    section: SectionView
    name: str
    data: dict = field(default_factory=dict)      # the <modname>.xml template's own values
    completion: int = 0
    completionview: int = 0
    completiongradeitemnumber: int | None = None
    completionpassgrade: int = 0
    showdescription: int = 0
    grade_item: dict | None = None
    question_categories: list = field(default_factory=list)

    @property
    def directory(self) -> str:
        return f"activities/{self.modname}_{self.cmid}"

    @property
    def setting_prefix(self) -> str:
        return f"{self.modname}_{self.cmid}"


class MoodleBackup:
    """The view of one edition as a Moodle backup, then its archive."""

    def __init__(self, edition: Edition):
        self.edition = edition
        self.course: m.Course = edition.course
        self.lang = edition.lang or self.course.source_language
        self.media = edition.media
        self.now = source_date_epoch()
        self.ids = Ids()
        self.files = Files(self.ids)
        self.courseid = self.ids("course", self.course.id)
        self.contextid = self.ids("context", "course")
        self.qbank = QuestionBank(self)
        self.sections: list[SectionView] = []
        self.modules: list[ModuleView] = []
        self._plan()

    # -- helpers -------------------------------------------------------------
    def ui(self, key: str, **values) -> str:
        return self.course.text(key, **values)

    def add_file(self, owner: str, ref: m.MediaRef, contextid: int, component: str, filearea: str,
                 itemid: int = 0, filepath: str = "/", sortorder: int = 0) -> FileRecord:
        return self.files.add(self.media.get(ref), owner=owner, contextid=contextid, component=component,
                              filearea=filearea, itemid=itemid, filepath=filepath, sortorder=sortorder)

    # -- the plan: sections and modules ---------------------------------------
    def _plan(self) -> None:
        sections = list(self.course.sections)
        if not sections or sections[0].role != "home":
            self.sections.append(SectionView("", self.ids("section", "\x00section-0"), 0, None, ""))
        for section in sections:
            number = len(self.sections)
            self.sections.append(SectionView(section.id, self.ids("section", section.id), number,
                                             plain(section.title), str(paragraphs(section.summary))))
        by_key = {s.key: s for s in self.sections}
        for section in sections:
            view = by_key[section.id]
            for item in section.items:
                module = self._module(section, view, item)
                view.modules.append(module)
                self.modules.append(module)
        categories = [c["id"] for c in self.qbank.categories]
        for module in self.modules:
            if module.modname == "quiz":      # as Moodle's backup annotates them: every category, each quiz
                module.question_categories = categories
        self._grades()

    def _new(self, view: SectionView, item: m.Item, modname: str, name: str, **kw) -> ModuleView:
        return ModuleView(key=item.id, modname=modname, cmid=self.ids("cm", item.id),
                          instance=self.ids(f"instance:{modname}", item.id),
                          contextid=self.ids("context", item.id), section=view, name=_name(name), **kw)

    # the model's item kinds and the method that maps each to a Moodle module
    RENDERERS = {"page": "_page", "video": "_video", "project-overview": "_overview", "project-sheet": "_sheet",
                 "label": "_label", "url": "_url", "resource": "_resource", "folder": "_folder",
                 "book": "_book", "forum": "_forum"}

    def _module(self, section: m.Section, view: SectionView, item) -> ModuleView:
        if isinstance(item, (m.Activities, m.Evaluation)):
            return self._quiz(section, view, item)
        method = self.RENDERERS.get(item.kind)
        if method is None:
            raise TypeError(f"{item.id}: no Moodle mapping for a {type(item).__name__}")
        return getattr(self, method)(view, item)

    # pages ---------------------------------------------------------------
    def _page_module(self, view, item, name: str, content: str, intro: str = "") -> ModuleView:
        mod = self._new(view, item, "page", name, completion=2, completionview=1)
        mod.data = {"intro": intro, "content": content, "printintro": 1 if intro else 0}
        return mod

    def _page(self, view, item: m.Page) -> ModuleView:
        mod = self._page_module(view, item, plain(item.title), "", str(paragraphs(item.intro)))
        parts = []
        for part in item.parts:
            parts.append({"heading": plain(part.heading), "body": paragraphs(part.body),
                          "bullets": [plain(b.text) for b in part.bullets],
                          "image": self._image(mod, part.image, "mod_page", "content")})
        mod.data["content"] = render_html("page", parts=parts)
        return mod

    def _image(self, mod: ModuleView, image: m.Image | None, component: str, filearea: str) -> dict | None:
        if image is None:
            return None
        record = self.add_file(mod.key, image.file, mod.contextid, component, filearea)
        return {"src": plugin_url(record.filename), "alt": plain(image.alt)}

    def _video(self, view, item: m.Video) -> ModuleView:
        mod = self._page_module(view, item, plain(item.title), "")
        owner, ctx = mod.key, mod.contextid
        if item.file is not None:
            record = self.add_file(owner, item.file, ctx, "mod_page", "content")
            src, mimetype = plugin_url(record.filename), record.mimetype
        else:
            src, mimetype = item.url, None
        poster = None
        if item.poster is not None:
            poster = plugin_url(self.add_file(owner, item.poster, ctx, "mod_page", "content").filename)
        track = None
        if item.subtitles:
            record = self.add_file(owner, subtitle_ref(item, self.lang), ctx, "mod_page", "content")
            track = {"src": plugin_url(record.filename), "lang": self.lang,
                     "label": own_name(self.lang) or self.ui("subtitles_label")}
        transcript = [plain(cue.text) for cue in item.subtitles] if "transcript" in self.course.ui else []
        mod.data["content"] = render_html(
            "video", description=paragraphs(item.description), src=src, mimetype=mimetype, poster=poster,
            track=track, fallback=self.ui("video_fallback"), download=self.ui("download_video"),
            transcript=transcript, transcript_label=self.ui("transcript"))
        return mod

    def _overview(self, view, item: m.ProjectOverview) -> ModuleView:
        project = item.project
        mod = self._page_module(view, item, plain(project.title), "")
        diagrams = []
        for kind in ("mindmap", "timeline", "orgchart"):
            if not _has_content(project, kind):
                continue
            ref = diagram_ref(project, kind, self.lang)
            record = self.add_file(mod.key, ref, mod.contextid, "mod_page", "content")
            heading = self.ui(kind)
            diagrams.append({"heading": heading, "src": plugin_url(record.filename),
                             "alt": _diagram_title(self.course, project, kind, heading),
                             "outline": _outline(project, kind, self.lang)})
        testimonials = [{"quote": paragraphs(t.quote), "name": plain(t.name), "role": plain(t.role),
                         "beneficiary": t.beneficiary} for t in project.testimonials]
        mod.data["content"] = render_html(
            "project_overview", summary=paragraphs(project.summary), diagrams=diagrams,
            testimonials_heading=self.ui("testimonials"), testimonials=testimonials,
            beneficiary=self.ui("beneficiary"))
        return mod

    def _sheet(self, view, item: m.ProjectSheet) -> ModuleView:
        project = item.project
        mod = self._page_module(view, item, plain(project.title), "")
        facts = []
        if project.organisation:
            facts.append((self.ui("partner"), plain(project.organisation)))
        if project.country:
            key = f"country_{project.country.lower()}"
            facts.append((self.ui("country"), self.ui(key) if key in self.course.ui else project.country))
        if project.city:
            facts.append((self.ui("city"), plain(project.city)))
        if project.audience:
            facts.append((self.ui("audience"), plain(project.audience)))
        pdf = None
        pdf_id = f"toolbox.{project.id}.pdf"
        if any(i.id == pdf_id for i in _section_items(self.course, view.key)):
            pdf = {"href": f"$@RESOURCEVIEWBYID*{self.ids('cm', pdf_id)}@$", "label": self.ui("download_pdf")}
        notice = self.ui("reconstructed_notice") if project.reconstructed and \
            "reconstructed_notice" in self.course.ui else ""
        mod.data["content"] = render_html(
            "project_sheet", notice=notice, summary=paragraphs(project.summary), facts=facts,
            description_heading=self.ui("description"), description=paragraphs(project.description),
            implementation_heading=self.ui("implementation"), implementation=paragraphs(project.implementation),
            figures_heading=self.ui("key_figures"),
            figures=[(plain(f.label), plain(f.value)) for f in project.key_figures],
            contacts_heading=self.ui("contacts"),
            contacts=[{"label": plain(c.label), "url": c.url} for c in project.contacts], pdf=pdf)
        return mod

    # other resources -----------------------------------------------------------
    def _label(self, view, item: m.Label) -> ModuleView:
        text = to_text(item.text)
        name = text if len(text) <= 50 else text[:50] + "..."
        mod = self._new(view, item, "label", name or "label", showdescription=1)
        mod.data = {"intro": str(paragraphs(item.text))}
        return mod

    def _url(self, view, item: m.Url) -> ModuleView:
        mod = self._new(view, item, "url", plain(item.title), completion=2, completionview=1)
        intro = str(paragraphs(item.description))
        mod.data = {"intro": intro, "externalurl": item.url, "printintro": 1 if intro else 0}
        return mod

    def _resource(self, view, item: m.Resource) -> ModuleView:
        mod = self._new(view, item, "resource", plain(item.title), completion=2, completionview=1)
        self.add_file(mod.key, item.file, mod.contextid, "mod_resource", "content", sortorder=1)
        intro = str(paragraphs(item.description))
        mod.data = {"intro": intro, "printintro": 1 if intro else 0}
        return mod

    def _folder(self, view, item: m.Folder) -> ModuleView:
        mod = self._new(view, item, "folder", plain(item.title), completion=2, completionview=1)
        for entry in item.files:
            self.add_file(mod.key, entry.file, mod.contextid, "mod_folder", "content",
                          filepath=clean_folder(entry.folder))
        mod.data = {"intro": str(paragraphs(item.description))}
        return mod

    def _book(self, view, item: m.Book) -> ModuleView:
        mod = self._new(view, item, "book", plain(item.title), completion=2, completionview=1)
        chapters = []
        for n, chapter in enumerate(item.chapters, 1):
            links = [{"url": link.url, "title": plain(link.title), "description": inline(link.description)}
                     for link in chapter.links]
            chapters.append({"id": self.ids("book_chapter", chapter.id), "pagenum": n,
                             "title": plain(chapter.title),
                             "content": render_html("chapter", body=paragraphs(chapter.body), links=links)})
        mod.data = {"intro": str(paragraphs(item.intro)), "chapters": chapters}
        return mod

    def _forum(self, view, item: m.Forum) -> ModuleView:
        mod = self._new(view, item, "forum", plain(item.title))
        mod.data = {"type": item.type or "news", "intro": str(paragraphs(item.intro))}
        return mod

    # quizzes -----------------------------------------------------------------
    def _quiz(self, section: m.Section, view, item) -> ModuleView:
        graded = isinstance(item, m.Evaluation)
        if graded:
            mod = self._new(view, item, "quiz", plain(item.title), completion=2, completiongradeitemnumber=0,
                            completionpassgrade=1)
        else:
            mod = self._new(view, item, "quiz", plain(item.title), completion=2, completionview=1)
        slots = self.qbank.add_quiz(section, item, mod)
        intro = render_html("quiz_intro", intro=paragraphs(item.intro),
                            pass_mark=self.ui("pass_mark", percent=item.pass_percent)
                            if graded and "pass_mark" in self.course.ui else "")
        mod.data = {
            "intro": intro, "graded": graded,
            "preferredbehaviour": item.behaviour or ("deferredfeedback" if graded else "interactive"),
            "grade": "10.00000" if graded else "0.00000",
            "sumgrades": f"{sum(s['maxmark'] for s in slots):.5f}",
            "slots": [dict(s, maxmark=f"{s['maxmark']:.7f}") for s in slots],
            "section_id": self.ids("quiz_section", item.id),
            "pass_percent": getattr(item, "pass_percent", None),
        }
        return mod

    def _grades(self) -> None:
        """Grade items of the graded quizzes, with natural-aggregation weights."""
        graded = [mod for mod in self.modules if mod.modname == "quiz" and mod.data["graded"]]
        total = 10.0 * len(graded)
        self.grade_category = self.ids("grade_category", "course")
        self.course_grade_item = {"id": self.ids("grade_item", "\x00course"),
                                  "grademax": f"{total if total else 100:.5f}"}
        for n, mod in enumerate(graded, 2):
            gradepass = 10.0 * mod.data["pass_percent"] / 100
            mod.grade_item = {
                "id": self.ids("grade_item", mod.key), "categoryid": self.grade_category,
                "itemname": mod.name, "iteminstance": mod.instance, "idnumber": mod.key,
                "grademax": "10.00000", "gradepass": f"{gradepass:.5f}",
                "aggregationcoef2": f"{10.0 / total:.5f}", "sortorder": n}

    # -- the archive -----------------------------------------------------------
    def archive(self) -> ArchiveBuilder:
        out = ArchiveBuilder()
        xml = {}
        common = {"now": self.now, "backup": self}

        def add(path: str, template: str, **context):
            xml[path] = render_xml(template, **common, **context)

        edition = self.course.edition
        add("moodle_backup.xml", "moodle_backup", name=outputs(self.edition)[0], edition=edition,
            backup_id=stable_hex(f"{self.course.id}\x00{self.lang}\x00backup"),
            site_hash=stable_hex(f"resolution-pack\x00{self.course.id}"),
            startdate=self.startdate, root_settings=ROOT_SETTINGS,
            moodle_version=MOODLE_VERSION, moodle_release=MOODLE_RELEASE,
            backup_version=BACKUP_VERSION, backup_release=BACKUP_RELEASE)
        xml["moodle_backup.log"] = ""         # Moodle's own backup log, empty as in Moodle's archives
        # root files
        add("files.xml", "files", records=self.files.records)
        add("questions.xml", "questions", categories=self.qbank.categories)
        add("gradebook.xml", "gradebook", grade_category=self.grade_category,
            course_item=self.course_grade_item)
        add("roles.xml", "roles_definition", role=STUDENT_ROLE)
        for name in ("users", "groups", "scales", "outcomes", "badges", "grade_history"):
            add(f"{name}.xml", name)
        add("completion.xml", "course_completion")
        # course
        add("course/course.xml", "course", edition=edition, startdate=self.startdate,
            summary=str(paragraphs(self.course.summary)), category_name=plain(self.course.title))
        add("course/enrolments.xml", "enrolments", enrols=[
            {"id": self.ids("enrol", name), "plugin": name} for name in ("manual", "guest", "self")])
        add("course/inforef.xml", "inforef", roles=[STUDENT_ROLE], files=[], grade_items=[],
            question_categories=[c["id"] for c in self.qbank.categories])
        add("course/roles.xml", "roles")
        add("course/competencies.xml", "course_competencies")
        for name in ("completiondefaults", "filters", "comments", "contentbank", "calendar"):
            add(f"course/{name}.xml", name)
        # sections
        for section in self.sections:
            add(f"{section.directory}/section.xml", "section", section=section)
            add(f"{section.directory}/inforef.xml", "inforef", roles=[], files=[], grade_items=[],
                question_categories=[])
        # activities
        for mod in self.modules:
            d = mod.directory
            add(f"{d}/module.xml", "module", mod=mod, version=MODULE_VERSIONS[mod.modname])
            add(f"{d}/{mod.modname}.xml", mod.modname, mod=mod, **mod.data)
            add(f"{d}/inforef.xml", "inforef", roles=[],
                files=[r.id for r in self.files.in_context(mod.contextid)],
                grade_items=[mod.grade_item["id"]] if mod.grade_item else [],
                question_categories=mod.question_categories)
            add(f"{d}/grades.xml", "grades", mod=mod, grade_items=[mod.grade_item] if mod.grade_item else [])
            add(f"{d}/roles.xml", "roles")
            add(f"{d}/competencies.xml", "competencies")
            for name in ("calendar", "comments", "completion", "filters", "grade_history", "xapistate"):
                add(f"{d}/{name}.xml", name)
            for name in EXTRA_ACTIVITY_FILES.get(mod.modname, ()):
                add(f"{d}/{name}.xml", name)

        for path in sorted(xml):
            out.add_bytes(path, xml[path])
            parts = path.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                out.add_dir("/".join(parts[:depth]))
        out.add_dir("files")
        for sha1, path in sorted(self.files.blobs.items()):
            out.add_dir(f"files/{sha1[:2]}")
            out.add_file(f"files/{sha1[:2]}/{sha1}", path)
        out.add_bytes(INDEX, _index(out, self.now))
        return out

    @property
    def startdate(self) -> int:
        value = str(self.course.startdate)
        try:
            day = _dt.date.fromisoformat(value[:10])
        except ValueError:
            return self.now
        return int(_dt.datetime(day.year, day.month, day.day, tzinfo=_dt.timezone.utc).timestamp())


# ---------------------------------------------------------------------------

def _index(archive: ArchiveBuilder, mtime: int) -> str:
    entries = [e for e in archive.ordered() if e.name != INDEX]
    lines = [f"{INDEX_HEADER}{len(entries)}"]
    for entry in entries:
        if entry.is_dir:
            lines.append(f"{entry.name}\td\t0\t?")
        else:
            lines.append(f"{entry.name}\tf\t{entry.size}\t{mtime}")
    return "\n".join(lines) + "\n"


def _name(text: str) -> str:
    """Moodle activity names are at most 1333 characters and never empty."""
    text = text.strip() or "-"
    return text if len(text) <= 1333 else text[:1332] + "…"


def _section_items(course: m.Course, section_id: str):
    for section in course.sections:
        if section.id == section_id:
            return section.items
    return []


def _diagram_title(course: m.Course, project: m.Project, kind: str, heading: str) -> str:
    """The accessible name of a diagram: the one its SVG carries, when the
    diagrams module says it."""
    try:
        from ..assets.diagrams import diagram_title
        return plain(diagram_title(course, project, kind))
    except (ImportError, AttributeError, TypeError, KeyError):
        return f"{heading} – {plain(project.title)}"


def _has_content(project: m.Project, kind: str) -> bool:
    if kind == "mindmap":
        return project.mindmap is not None
    if kind == "timeline":
        return bool(project.timeline)
    return bool(project.actors)


def _outline(project: m.Project, kind: str, lang: str) -> list[dict]:
    """The text equivalent of a diagram, as nested {label, children}: the
    diagrams module's own outline when it offers one (so the text says what
    the picture shows), else built from the model."""
    try:
        from ..assets.diagrams import diagram_outline
    except ImportError:
        diagram_outline = None
    if diagram_outline is not None:
        try:
            nodes = diagram_outline(project, kind, lang)
        except TypeError:           # an older signature, without the language
            nodes = diagram_outline(project, kind)
        return [_outline_node(node) for node in nodes]
    if kind == "mindmap":
        def walk(node):
            return {"label": plain(node.label), "children": [walk(c) for c in node.children]}
        return [walk(project.mindmap)] if project.mindmap else []
    if kind == "timeline":
        return [{"label": " – ".join(x for x in (plain(s.shown_date), plain(s.label), plain(s.text)) if x),
                 "children": []} for s in project.timeline]
    children: dict = {}
    for actor in project.actors:
        children.setdefault(actor.parent, []).append(actor)

    def actor_node(actor):
        label = plain(actor.name) + (f" ({plain(actor.role)})" if actor.role else "")
        return {"label": label, "children": [actor_node(a) for a in children.get(actor.id, [])]}
    known = {a.id for a in project.actors}
    return [actor_node(a) for a in project.actors if not a.parent or a.parent not in known]


def _outline_node(node) -> dict:
    if isinstance(node, dict):
        label, kids = node.get("text", node.get("label", "")), node.get("children", [])
    else:
        label, kids = getattr(node, "text", getattr(node, "label", "")), getattr(node, "children", [])
    return {"label": plain(str(label)), "children": [_outline_node(k) for k in kids or []]}

"""Moodle course backup target: one `<shortname>.mbz` per edition, and one
`<shortname>-moodle5N.mbz` per 5.x release asked for (`build --moodle`).

The archive is a `moodle2` course backup laid out as Moodle's own backup
writes it for that release (see moodle_releases for what differs, and
../shared/reference): moodle_backup.xml, course/, sections/section_<id>/,
activities/<mod>_<cmid>/, questions.xml, files.xml and the content-addressed
files/ folder, in a gzip-compressed tar whose first member is Moodle's
.ARCHIVE_INDEX (moodle_archive).

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
- questions: in the course's question bank (4.5) or, for 5.x, in a hidden
  qbank module first in section 0 (moodle_releases says why there);
- ids are hashes of the stable ids (moodle_ids), timestamps come from
  SOURCE_DATE_EPOCH: the same sources give the same bytes.

XML and HTML are written by the Jinja2 templates in templates/moodle_backup/
(autoescaped); no user text is pasted into markup by string operations here.
"""
from __future__ import annotations

import datetime as _dt
from collections import Counter
from pathlib import Path

from .. import model as m
from ..archive import source_date_epoch
from ..edition import Edition
from ..text import paragraphs, plain, to_text
from . import html
from .moodle_archive import DIR_MTIME, INDEX, build_archive
from .moodle_files import FileRecord, Files, clean_folder, plugin_url
from .moodle_ids import Ids
from .moodle_questions import QuestionBank
from .moodle_releases import DEFAULT, Release, archive_name, release
from .moodle_views import ModuleView, SectionView, activity_name as _name

NAME = "moodle"
OPTIONS: dict = {}
QBANK_KEY = "\x00qbank"
CONTEXT_COURSE, CONTEXT_MODULE = 50, 70



def releases(edition: Edition) -> list[str]:
    """The Moodle releases to write a backup for (`build --moodle`), 4.5 alone by default."""
    return list(edition.options.get("moodle") or (DEFAULT,))


def outputs(edition: Edition) -> list[str]:
    return [archive_name(edition.course.edition.shortname, name) for name in releases(edition)]


def render(edition: Edition, out_dir: Path) -> list[Path]:
    written = []
    Path(out_dir).mkdir(parents=True, exist_ok=True)   # the XML is spooled there until the archive is written
    for name, filename in zip(releases(edition), outputs(edition)):
        target = Path(out_dir) / filename
        archive = build_archive(MoodleBackup(edition, release(name)), filename, spool_folder=out_dir)
        archive.write_tgz(target, first=(INDEX,), dir_mtime=DIR_MTIME)
        archive.close()
        written.append(target)
    return written


# ---------------------------------------------------------------------------

class MoodleBackup:
    """The view of one edition as a Moodle backup, then its archive."""

    def __init__(self, edition: Edition, release: Release = release(DEFAULT)):
        self.edition = edition
        self.release = release
        self.course: m.Course = edition.course
        self.lang = edition.lang or self.course.source_language
        self.media = edition.media
        self.now = source_date_epoch()
        self.ids = Ids()
        self.files = Files(self.ids)
        self.courseid = self.ids("course", self.course.id)
        self.contextid = self.ids("context", "course")
        # where the question categories live: the course (4.5), or a qbank module of the course (5.x)
        self.bank_module = None
        if release.qbank:
            self.question_context = (self.ids("context", QBANK_KEY), self.ids("cm", QBANK_KEY), CONTEXT_MODULE)
        else:
            self.question_context = (self.contextid, self.courseid, CONTEXT_COURSE)
        self.qbank = QuestionBank(self)
        self.sections: list[SectionView] = []
        self.modules: list[ModuleView] = []
        self._groups: dict[int, str] = {}         # cmid -> the subsection it belongs to, when flattened
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
            self._place(section, by_key[section.id], section.items)
        categories = [c["id"] for c in self.qbank.categories]
        if self.release.qbank:
            self._bank_module(categories)
        else:
            for module in self.modules:
                if module.modname == "quiz":      # as Moodle 4.5 annotates them: every category, each quiz
                    module.question_categories = categories
        self._grades()

    def _bank_module(self, categories: list) -> None:
        """5.x: the qbank module holding every category, first in section 0 (see moodle_releases)."""
        contextid, cmid, _level = self.question_context
        mod = ModuleView(key="", modname="qbank", cmid=cmid, instance=self.ids("instance:qbank", QBANK_KEY),
                         contextid=contextid, section=self.sections[0], name=_name(self.ui("question_bank")),
                         visible=0, question_categories=categories, data={"type": "standard"})
        self.bank_module = mod
        self.sections[0].modules.insert(0, mod)
        self.modules.insert(0, mod)

    def _place(self, section: m.Section, view: SectionView, items: list, group: str | None = None) -> None:
        """Modules in order; a subsection's items go to its delegated section,
        numbered after the course's own sections as Moodle numbers them.
        Without subsections, a heading label stands for it and its items
        follow in the same section."""
        for item in items:
            if isinstance(item, m.Subsection) and not self.release.subsections:
                self._add(view, self._heading(view, item))
                self._place(section, view, item.items, group=plain(item.name))
                continue
            module = self._subsection(view, item) if isinstance(item, m.Subsection) else \
                self._module(section, view, item)
            self._add(view, module, group)
            if isinstance(item, m.Subsection):
                inner = SectionView(item.id, self.ids("section", item.id), len(self.sections), module.name, "",
                                    parent=module)
                self.sections.append(inner)
                self._place(section, inner, item.items)
        if group is None:
            self._own_names(view)

    def _add(self, view: SectionView, module: ModuleView, group: str | None = None) -> None:
        view.modules.append(module)
        self.modules.append(module)
        if group:
            self._groups[module.cmid] = group

    def _own_names(self, view: SectionView) -> None:
        """No two activities of a section share a name: a grouped one whose
        name is taken says which group (project) it belongs to."""
        taken = Counter(mod.name.casefold() for mod in view.modules if mod.modname != "label")
        for mod in view.modules:
            if mod.cmid in self._groups and taken[mod.name.casefold()] > 1:
                mod.name = _name(self.ui("name_in_group", name=mod.name, group=self._groups[mod.cmid]))

    def _subsection(self, view: SectionView, item: m.Subsection) -> ModuleView:
        return self._new(view, item, "subsection", plain(item.name))

    def _heading(self, view: SectionView, item: m.Subsection) -> ModuleView:
        mod = self._new(view, item, "label", plain(item.name), showdescription=1)
        mod.data = {"intro": html.render("heading", text=plain(item.name))}
        return mod

    def settings_order(self):
        """Sections and modules in the order Moodle's backup plan lists their
        settings: a section, its modules, a subsection's section right after it."""
        inside: dict[int, list[SectionView]] = {}       # a subsection module's id -> its sections
        for view in self.sections:
            if view.parent is not None:
                inside.setdefault(id(view.parent), []).append(view)

        def walk(view):
            yield "section", view
            for mod in view.modules:
                yield "activity", mod
                yield from (x for inner in inside.get(id(mod), ()) for x in walk(inner))
        for view in self.sections:
            if view.parent is None:
                yield from walk(view)

    def _new(self, view: SectionView, item: m.Item, modname: str, name: str, **kw) -> ModuleView:
        return ModuleView(key=item.id, modname=modname, cmid=self.ids("cm", item.id),
                          instance=self.ids(f"instance:{modname}", item.id),
                          contextid=self.ids("context", item.id), section=view, name=_name(name), **kw)

    # the model's item kinds and the method that maps each to a Moodle module
    RENDERERS = {"page": "_page", "video": "_video", "project-overview": "_overview", "project-sheet": "_sheet",
                 "photo-story": "_photo_story", "recipe": "_recipe",
                 "label": "_label", "url": "_url", "resource": "_resource", "project-pdf": "_resource",
                 "folder": "_folder",
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

    def _link(self, mod: ModuleView, component: str, filearea: str):
        """The URL of a file of this module's content, added to files.xml."""
        def link(ref: m.MediaRef) -> str:
            return plugin_url(self.add_file(mod.key, ref, mod.contextid, component, filearea).filename)
        return link

    def _page(self, view, item: m.Page) -> ModuleView:
        mod = self._page_module(view, item, plain(item.title), "", str(paragraphs(item.intro)))
        mod.data["content"] = html.page_parts(item, self._link(mod, "mod_page", "content"))
        return mod

    def _photo_story(self, view, item: m.PhotoStory) -> ModuleView:
        mod = self._page_module(view, item, plain(item.title), "")
        mod.data["content"] = html.photo_story(item, self._link(mod, "mod_page", "content"), self.ui)
        return mod

    def _recipe(self, view, item: m.Recipe) -> ModuleView:
        mod = self._page_module(view, item, plain(item.title), "")
        mod.data["content"] = html.recipe(item, self.ui)
        return mod

    def _video(self, view, item: m.Video) -> ModuleView:
        mod = self._page_module(view, item, plain(item.title), "")
        mod.data["content"] = html.video(self.course, item, self._link(mod, "mod_page", "content"), self.ui)
        return mod

    def _overview(self, view, item: m.ProjectOverview) -> ModuleView:
        mod = self._page_module(view, item, self.ui("project_overview"), "")   # in its project's group
        mod.data["content"] = html.project_overview(self.course, item.project,
                                                    self._link(mod, "mod_page", "content"), self.ui)
        return mod

    def _sheet(self, view, item: m.ProjectSheet) -> ModuleView:
        project = item.project
        mod = self._page_module(view, item, plain(project.title), "")
        pdf_id = f"toolbox.{project.id}.pdf"
        pdf = None
        if any(i.id == pdf_id for i in _section_items(self.course, view.key)):
            pdf = f"$@RESOURCEVIEWBYID*{self.ids('cm', pdf_id)}@$"
        mod.data["content"] = html.project_sheet(self.course, project, pdf, self.ui)
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
        name = self.ui("sheet_pdf", title=plain(item.title)) if isinstance(item, m.ProjectPdf) else plain(item.title)
        mod = self._new(view, item, "resource", name, completion=2, completionview=1)
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
            chapters.append({"id": self.ids("book_chapter", chapter.id), "pagenum": n,
                             "title": plain(chapter.title), "content": html.chapter(chapter)})
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
        intro = html.render("quiz_intro", intro=paragraphs(item.intro),
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
            "feedbacks": self._overall_feedback(section, item) if graded else [],
        }
        return mod

    def _overall_feedback(self, section: m.Section, item: m.Evaluation) -> list[dict]:
        """Two grade bands, as Moodle's quiz form saves them: [pass mark, grade + 1)
        and [0, pass mark); the second lists the part's videos to review."""
        gradepass = 10.0 * item.pass_percent / 100
        review = [{"href": f"$@PAGEVIEWBYID*{self.ids('cm', v.id)}@$", "title": plain(v.title)}
                  for v in m.flat(section.items) if isinstance(v, m.Video)]
        passed = paragraphs(item.feedback_pass) or paragraphs(self.ui("feedback_passed"))
        not_yet = paragraphs(item.feedback_not_yet) or \
            paragraphs(self.ui("feedback_not_yet", percent=item.pass_percent))
        return [{"id": self.ids("quiz_feedback", f"{item.id}\x00pass"), "mingrade": f"{gradepass:.5f}",
                 "maxgrade": "11.00000", "text": html.render("quiz_feedback", message=passed, review=[])},
                {"id": self.ids("quiz_feedback", f"{item.id}\x00not-yet"), "mingrade": "0.00000",
                 "maxgrade": f"{gradepass:.5f}", "text": html.render("quiz_feedback", message=not_yet, review=review)}]

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

    @property
    def startdate(self) -> int:
        value = str(self.course.startdate)
        try:
            day = _dt.date.fromisoformat(value[:10])
        except ValueError:
            return self.now
        return int(_dt.datetime(day.year, day.month, day.day, tzinfo=_dt.timezone.utc).timestamp())


# ---------------------------------------------------------------------------

def _section_items(course: m.Course, section_id: str):
    for section in course.sections:
        if section.id == section_id:
            return list(m.flat(section.items))
    return []

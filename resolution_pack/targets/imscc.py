"""IMS Common Cartridge target: one `<shortname>.imscc` per edition.

Common Cartridge 1.1 by default (what Moodle's own importer reads, through
backup/converter/imscc11, and every major LMS), 1.3 with
edition.options["cc_version"] == "1.3". How the course model becomes a
cartridge (docs/ims-and-moodle-xml.md has the table and what Moodle keeps):

- the organization is the sections, in order, each holding its items;
- Page, Video, ProjectOverview, ProjectSheet -> a web content HTML page
  (pages/<id>.html) whose images, videos, posters, subtitle tracks and PDFs
  are files of the cartridge (web_resources/<path>, one resource each, that
  the page depends on);
- Book -> a folder of the organization, one HTML page per chapter;
  Folder -> a folder with one item per file; Resource -> its file;
  Url -> a web link; Forum -> a discussion topic; Label -> an item with a
  title only (a text header);
- Activities and Evaluation -> an assessment in the QTI 1.2.1 profile
  (imscc_qti.py maps the question types); a graded test states its pass mark.

Identifiers derive from the stable ids; the zip is written by
resolution_pack.archive, so the same sources give the same bytes.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment
from markupsafe import Markup

from .. import model as m
from ..archive import ArchiveBuilder
from ..edition import Edition, StoredFile
from ..errors import InputError, Problem
from ..layout import imscc_name
from ..text import paragraphs, plain, to_text
from . import html
from .imscc_qti import assessment_items
from .templating import environment

NAME = "imscc"
OPTIONS = {"cc_version": ("1.1", "1.3")}
MANIFEST = "imsmanifest.xml"
CATALOG = "resolution-pack"
QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
# The pass mark of a graded test: the CC profile removed QTI's cut value and
# outcomes processing, so it is stated in the test's rubric and, for tools
# that read it, in this assessment metadata field (not part of the profile).
PASS_FIELD = "x-resolution-pack-pass-percent"


def _version(n: str) -> dict:
    """Namespaces, schema locations and resource types of CC 1.<n> (1.1 and
    1.3 differ only by these; the QTI profile keeps its namespace)."""
    p = f"ccv1p{n}"
    base = f"http://www.imsglobal.org/profile/cc/{p}"
    return {
        "schemaversion": f"1.{n}.0",
        "cp": f"http://www.imsglobal.org/xsd/imscc{p[2:]}/imscp_v1p1", "cp_xsd": f"{base}/{p}_imscp_v1p2_v1p0.xsd",
        "lom_manifest": f"http://ltsc.ieee.org/xsd/imscc{p[2:]}/LOM/manifest",
        "lom_manifest_xsd": f"{base}/LOM/{p}_lommanifest_v1p0.xsd",
        "lom_resource": f"http://ltsc.ieee.org/xsd/imscc{p[2:]}/LOM/resource",
        "lom_resource_xsd": f"{base}/LOM/{p}_lomresource_v1p0.xsd",
        "wl": f"http://www.imsglobal.org/xsd/imscc{p[2:]}/imswl_v1p{n}", "wl_xsd": f"{base}/{p}_imswl_v1p{n}.xsd",
        "dt": f"http://www.imsglobal.org/xsd/imscc{p[2:]}/imsdt_v1p{n}", "dt_xsd": f"{base}/{p}_imsdt_v1p{n}.xsd",
        "qti_xsd": f"{base}/{p}_qtiasiv1p2p1_v1p0.xsd",
        "weblink": f"imswl_xmlv1p{n}", "topic": f"imsdt_xmlv1p{n}",
        "assessment": f"imsqti_xmlv1p2/imscc_xmlv1p{n}/assessment",
    }


VERSIONS = {"1.1": _version("1"), "1.3": _version("3")}


def outputs(edition: Edition) -> list[str]:
    return [imscc_name(edition.course.edition.shortname)]


def render(edition: Edition, out_dir: Path) -> list[Path]:
    cartridge = Cartridge(edition, version_of(edition))
    edition.notes.extend(f"{outputs(edition)[0]}: {qid + ': ' if qid else ''}{what} left out"
                         for qid, what in cartridge.left_out)
    target = Path(out_dir) / outputs(edition)[0]
    return [cartridge.archive().write_zip(target, first=(MANIFEST,))]


def version_of(edition: Edition) -> str:
    version = str(edition.options.get("cc_version") or "1.1")
    if version not in VERSIONS:
        raise InputError(Problem("--cc", 0, 0, f"unknown Common Cartridge version {version!r}",
                                 fix=f"use one of {', '.join(VERSIONS)}"))
    return version


@dataclass
class Resource:
    id: str
    type: str
    href: str | None = None
    files: list = field(default_factory=list)
    dependencies: list = field(default_factory=list)


@dataclass
class Node:
    """An item of the organization: a section, a folder, or a link to a resource."""
    id: str
    title: str
    ref: str | None = None
    children: list = field(default_factory=list)


class Cartridge:
    def __init__(self, edition: Edition, version: str = "1.1"):
        self.course: m.Course = edition.course
        self.lang = edition.lang or self.course.source_language
        self.media = edition.media
        self.ns = VERSIONS[version]
        self.env = _environment()
        self.out = ArchiveBuilder()            # the XML and HTML texts, spooled as they are made
        self.doc_paths: list[str] = []
        self.files: dict[str, StoredFile] = {}  # cartridge path -> its bytes
        self.resources: dict[str, Resource] = {}
        self.left_out: list = []
        self.organization = [self._section(s) for s in self.course.sections]

    @property
    def docs(self) -> dict[str, str]:
        """Every page and XML document made so far, by cartridge path, read
        back from the spool (to inspect them; the archive does not need it)."""
        return {path: self.out.entries[path].content().decode("utf-8") for path in self.doc_paths}

    def ui(self, key: str, **values) -> str:
        return self.course.text(key, **values)

    # -- files ---------------------------------------------------------------
    def file(self, ref: m.MediaRef) -> str:
        """The cartridge path of a media file, added once with its own resource."""
        path = "web_resources/" + ref.path
        stored = self.media.get(ref)
        known = self.files.get(path)
        if known is not None and known.origin != stored.origin:
            raise InputError(Problem(str(ref.path), 0, 0, f"two different files would be stored as {path!r}",
                                     fix="rename one of them"))
        if known is None:
            self.files[path] = stored
            rid = "F_" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:16]
            self.resources[path] = Resource(rid, "webcontent", href=path, files=[path])
        return path

    def _linker(self, used: list):
        """A `link` for the HTML helpers: files relative to pages/."""
        def link(ref: m.MediaRef) -> str:
            path = self.file(ref)
            used.append(self.resources[path].id)
            return "../" + quote(path, safe="/")
        return link

    # -- resources -------------------------------------------------------------
    def _add(self, key: str, resource: Resource, text: str | None = None) -> str:
        self.resources[key] = resource
        if text is not None:
            path = resource.href or resource.files[0]
            self.out.add_bytes(path, text)
            self.doc_paths.append(path)
        return resource.id

    def _page(self, key: str, title: str, body) -> str:
        """A web content page; `body(link)` gives its HTML."""
        path = f"pages/{key}.html"
        used: list = []
        content = body(self._linker(used))
        text = self.env.get_template("page.html.j2").render(lang=self.lang, title=title, body=Markup(content))
        deps = list(dict.fromkeys(used))
        return self._add(path, Resource("R_" + ncname(key), "webcontent", href=path, files=[path], dependencies=deps),
                         text)

    # -- the organization ------------------------------------------------------
    def _section(self, section: m.Section) -> Node:
        node = Node("S_" + ncname(section.id), plain(section.title) or section.id)
        for item in section.items:
            child = self._item(section, item)
            if child is not None:
                node.children.append(child)
        return node

    def _item(self, section: m.Section, item) -> Node | None:
        iid = "I_" + ncname(item.id)
        kind = item.kind
        if kind in ("activities", "evaluation"):
            return Node(iid, plain(item.title), self._assessment(item))
        if kind == "page":
            return Node(iid, plain(item.title), self._page(item.id, plain(item.title), lambda link: str(
                paragraphs(item.intro)) + html.page_parts(item, link)))
        if kind == "video":
            return Node(iid, plain(item.title), self._page(item.id, plain(item.title), lambda link: html.video(
                self.course, item, link, self.ui)))
        if kind == "subsection":          # a project's block: a nested item of the organization
            children = [c for c in (self._item(section, i) for i in item.items) if c is not None]
            return Node(iid, plain(item.name), children=children)
        if kind == "photo-story":
            return Node(iid, plain(item.title), self._page(item.id, plain(item.title), lambda link: html.photo_story(
                item, link, self.ui)))
        if kind == "recipe":
            return Node(iid, plain(item.title), self._page(item.id, plain(item.title), lambda link: html.recipe(
                item, self.ui)))
        if kind == "project-overview":
            title = self.ui("project_overview")
            return Node(iid, title, self._page(item.id, title, lambda link: html.project_overview(
                self.course, item.project, link, self.ui)))
        if kind == "project-sheet":
            title = plain(item.project.title)
            return Node(iid, title, self._page(item.id, title, lambda link: html.project_sheet(
                self.course, item.project, self._sheet_pdf(section, item, link), self.ui)))
        if kind == "label":
            text = to_text(item.text) or item.local_id
            return Node(iid, text if len(text) <= 255 else text[:254] + "…")
        if kind == "url":
            return Node(iid, plain(item.title), self._weblink(item))
        if kind == "resource":
            return Node(iid, plain(item.title), self.resources[self.file(item.file)].id)
        if kind == "project-pdf":         # named apart from its sheet, as in the Moodle course
            return Node(iid, self.ui("sheet_pdf", title=plain(item.title)), self.resources[self.file(item.file)].id)
        if kind == "folder":
            files = [Node(f"{iid}.{n}", (f.folder + "/" if f.folder else "") + f.file.name,
                          self.resources[self.file(f.file)].id) for n, f in enumerate(item.files, 1)]
            return Node(iid, plain(item.title), children=files)
        if kind == "book":
            return Node(iid, plain(item.title), children=[self._chapter(item, n, ch)
                                                          for n, ch in enumerate(item.chapters)])
        if kind == "forum":
            return Node(iid, plain(item.title), self._topic(item))
        self.left_out.append((item.id, f"a {type(item).__name__} (no Common Cartridge resource for it)"))
        return None

    def _sheet_pdf(self, section: m.Section, item: m.ProjectSheet, link) -> str | None:
        pdf_id = f"toolbox.{item.project.id}.pdf"
        for other in m.flat(section.items):
            if other.id == pdf_id and isinstance(other, m.Resource) and other.file is not None:
                return link(other.file)
        return None

    def _chapter(self, book: m.Book, n: int, ch: m.Chapter) -> Node:
        key = ch.id or f"{book.id}.{n + 1}"
        intro = str(paragraphs(book.intro)) if n == 0 else ""
        return Node("I_" + ncname(key), plain(ch.title), self._page(key, plain(ch.title),
                                                                    lambda link: intro + html.chapter(ch)))

    def _weblink(self, item: m.Url) -> str:
        path = f"links/{item.id}.xml"
        text = self.env.get_template("weblink.xml.j2").render(ns=self.ns, title=plain(item.title), url=item.url)
        return self._add(path, Resource("R_" + ncname(item.id), self.ns["weblink"], files=[path]), text)

    def _topic(self, item: m.Forum) -> str:
        path = f"topics/{item.id}.xml"
        text = self.env.get_template("topic.xml.j2").render(ns=self.ns, title=plain(item.title),
                                                            text=str(paragraphs(item.intro)))
        return self._add(path, Resource("R_" + ncname(item.id), self.ns["topic"], files=[path]), text)

    def _assessment(self, item) -> str:
        path = f"assessments/{item.id}.xml"
        used: list = []
        mapped = assessment_items(item.questions, self.course, self._linker(used))
        self.left_out.extend(mapped.left_out)
        graded = isinstance(item, m.Evaluation)
        rubric = html.render("quiz_intro", intro=paragraphs(item.intro),
                             pass_mark=self.ui("pass_mark", percent=item.pass_percent) if graded else "")
        text = self.env.get_template("assessment.xml.j2").render(
            schema_location=self.ns["qti_xsd"], ident="A_" + ncname(item.id), title=plain(item.title),
            items=mapped.items, rubric=rubric, pass_field=PASS_FIELD,
            pass_percent=item.pass_percent if graded else None)
        # the question images are referenced from the QTI file, one folder down
        deps = list(dict.fromkeys(used))
        return self._add(path, Resource("R_" + ncname(item.id), self.ns["assessment"], files=[path],
                                        dependencies=deps), text)

    # -- the archive -------------------------------------------------------------
    def manifest(self) -> str:
        edition = self.course.edition
        resources = sorted(self.resources.values(), key=lambda r: r.id)
        return self.env.get_template("imsmanifest.xml.j2").render(
            identifier="M_" + ncname(f"{self.course.id}.{self.lang}"), ns=self.ns, catalog=CATALOG,
            entry=f"{self.course.id}.{self.lang}", lang=self.lang, title=plain(edition.fullname or self.course.title),
            description=to_text(self.course.summary), organization=self.organization, resources=resources)

    def archive(self) -> ArchiveBuilder:
        out = self.out          # written in name order, the manifest first
        out.add_bytes(MANIFEST, self.manifest())
        for path, stored in sorted(self.files.items()):
            out.add_stored(path, stored)
        return out


def ncname(value: str) -> str:
    """An xs:ID from a stable id (letters, digits, '.', '-', '_'; a letter or '_' first)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", value)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else "_" + cleaned


def _environment() -> Environment:
    return environment("imscc")


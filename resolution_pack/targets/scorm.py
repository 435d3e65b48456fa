"""SCORM target: one package per MOOC part and edition.

    build/<lang>/scorm/<section-id>-<lang>.zip

SCORM 2004 4th Edition by default (edition.options["scorm_version"] ==
"2004"), or SCORM 1.2 ("1.2"). A package is one SCO: the part's lesson
(objectives, videos with the edition's WebVTT track, formative activities with
their feedback) and its validation test, graded in the browser against the
pass mark of the Evaluation item. Everything it needs is inside the zip: no
CDN, no network.

Layout of a package:

    imsmanifest.xml          (first entry)
    index.html               the launch page, rendered per edition
    runtime/player.js, runtime/player.css
    <media paths>            the sources' media under their own path,
                             generated files (subtitles) under generated/...

The ADL/IMS XML schemas are not shipped in the packages: their licence
headers do not allow redistribution (see schemas/scorm/README.md).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import model as m
from ..archive import ArchiveBuilder
from ..edition import Edition, subtitle_ref
from ..layout import scorm_name
from ..media import mimetype
from ..resources import templates_dir
from ..text import inline, paragraphs, plain, to_text
from .scorm_content import (Part, ScormInputError, build_part, json_for_script, runtime_data,
                            scorm_identifier, xml_id)
from .templating import compiled

NAME = "scorm"
VERSIONS = ("2004", "1.2")
OPTIONS = {"scorm_version": VERSIONS}
LAUNCH = "index.html"
RUNTIME_FILES = ("runtime/player.js", "runtime/player.css")
MANIFEST_TEMPLATE = {"2004": "imsmanifest-2004.xml.j2", "1.2": "imsmanifest-1.2.xml.j2"}
CATALOG = "resolution-pack"

# Interface strings the player script needs at run time (sources/ui.yaml).
SCRIPT_STRINGS = ("correct", "incorrect", "partially_correct", "your_score", "passed", "failed",
                  "pass_mark", "page_of", "question_of", "no_lms", "move_up", "move_down", "pass_kept",
                  "not_recorded")


__all__ = ["NAME", "OPTIONS", "outputs", "render", "VERSIONS", "ScormInputError", "parts"]


def version_of(edition: Edition) -> str:
    version = str(edition.options.get("scorm_version", "2004") or "2004")
    if version not in VERSIONS:
        raise ScormInputError(f"unknown SCORM version {version!r}", "--scorm", 0,
                              f"use one of {', '.join(VERSIONS)}")
    return version


def parts(course: m.Course) -> list[m.Section]:
    """The sections that become SCORM packages: the MOOC parts."""
    return [s for s in course.sections if s.role == "mooc-part"]


def package_name(section: m.Section, lang: str) -> str:
    return scorm_name(section.id, lang)


def outputs(edition: Edition) -> list[str]:
    return [package_name(s, edition.lang) for s in parts(edition.course)]


def render(edition: Edition, out_dir: Path) -> list[Path]:
    version = version_of(edition)
    written = []
    env = _environment()
    for section in parts(edition.course):
        part = build_part(edition, section, version)
        builder = package(edition, part, env)
        target = Path(out_dir) / package_name(section, edition.lang)
        written.append(builder.write_zip(target, first=("imsmanifest.xml",)))
    return written


def package(edition: Edition, part: Part, env: Environment | None = None) -> ArchiveBuilder:
    """Every entry of one package, ready to be written."""
    env = env or _environment()
    course = edition.course
    builder = ArchiveBuilder()
    html = render_launch_page(env, course, part)
    builder.add_bytes(LAUNCH, html)
    runtime = templates_dir() / "scorm"
    for name in RUNTIME_FILES:
        builder.add_file(name, runtime / name)
    for name, stored in sorted(part.files.items()):
        builder.add_stored(name, stored)   # compression decided by extension
    listed = sorted([LAUNCH, *RUNTIME_FILES, *part.files])
    builder.add_bytes("imsmanifest.xml", render_manifest(env, course, part, listed))
    return builder


# ---- rendering --------------------------------------------------------------

@lru_cache(maxsize=None)
def _environment() -> Environment:
    # one per process: a new environment compiles its templates again (a
    # third of the target's time when each package made its own)
    env = Environment(loader=FileSystemLoader(str(templates_dir() / "scorm")),
                      autoescape=True, undefined=StrictUndefined,
                      trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)
    env.globals.update(inline=inline, paragraphs=paragraphs, plain=plain, to_text=to_text,
                       href=href, mimetype=lambda ref: mimetype(ref.name))
    return compiled(env, "scorm")


def xml_text(text: str) -> Markup:
    """Text for the manifest with named entities only: Moodle's SCORM parser
    (mod/scorm/datamodels/scormlib.php scorm_parse_scorm) turns every '&' not
    followed by 2-6 word characters and ';' into '&amp;', so a numeric
    reference such as &#39; would reach its titles literally."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return Markup(text)


def href(ref: m.MediaRef | str) -> str:
    path = ref if isinstance(ref, str) else ref.path
    return quote(path, safe="/")


def ui_function(course: m.Course):
    def ui(key: str, **values) -> str:
        return course.text(key, **values)
    return ui


def render_launch_page(env: Environment, course: m.Course, part: Part) -> str:
    template = env.get_template("index.html.j2")
    ui = ui_function(course)
    data = runtime_data(part, {k: ui(k) for k in SCRIPT_STRINGS})
    return template.render(
        lang=part.lang,
        course_title=plain(course.edition.fullname or course.title),
        section_title=plain(part.section.title),
        screens=part.screens,
        review=part.review,
        ui=ui,
        subtitles=lambda video: subtitle_ref(video, part.lang),
        data=json_for_script(data),
    )


def manifest_ids(course: m.Course, part: Part) -> dict:
    sid = part.section.id
    base = f"{course.id}.{sid}"
    ids = {
        "manifest": xml_id(f"{base}.{part.lang}"),
        "entry": f"{base}.{part.lang}",
        "organization": xml_id(f"org.{sid}"),
        "item": xml_id(f"item.{sid}"),
        "resource": xml_id(f"res.{sid}"),
        "objective": scorm_identifier(part.evaluation.id if part.evaluation else f"{sid}.objective"),
    }
    return ids


def render_manifest(env: Environment, course: m.Course, part: Part, files: list[str]) -> str:
    template = env.get_template(MANIFEST_TEMPLATE[part.version])
    percent = part.pass_percent
    measure = f"{percent / 100:.4f}".rstrip("0").rstrip(".") if percent else ""
    if measure in ("", "0"):
        measure = "0.0"
    title = xml_text(plain(part.section.title))
    return template.render(
        lang=part.lang,
        ids=manifest_ids(course, part),
        catalog=CATALOG,
        title=title,
        organization_title=xml_text(plain(course.edition.fullname or course.title)),
        description=xml_text(to_text(part.section.summary)),
        pass_percent=percent,
        min_measure=measure,
        launch=LAUNCH,
        files=[href(f) for f in files],
    )

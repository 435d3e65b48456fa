"""The HTML every target shows on a page of its own: pages with parts,
video pages with their subtitle track, photo-stories and recipes, the
tutorial overview and the toolbox sheet of a project, book chapters and
question texts.

Targets differ only in how a file is addressed (Moodle's @@PLUGINFILE@@, a
path inside a cartridge...), so each call takes `link`, a function that
registers a MediaRef with the target and returns its URL. Interface strings
come from `ui(key, **values)`, the target's own lookup.

The fragments are rendered by the autoescaping templates of templates/html/;
rich text arrives as Markup from resolution_pack.text (sanitised).
"""
from __future__ import annotations

from typing import Callable


from .. import model as m
from ..assets.diagrams import KINDS as DIAGRAM_KINDS
from ..assets.diagrams import diagram_outline, diagram_title
from ..edition import diagram_ref, subtitle_ref
from ..languages import own_name
from ..text import inline, paragraphs, plain
from .templating import environment

Link = Callable[[m.MediaRef], str]
Ui = Callable[..., str]


def render(template: str, **context) -> str:
    """A fragment of templates/html/, one line per block, as a plain str."""
    html = environment("html").get_template(f"{template}.html.j2").render(**context)
    return " ".join(line.strip() for line in html.splitlines() if line.strip())


def page_parts(item: m.Page, link: Link) -> str:
    """A page's parts (its intro is the target's to place)."""
    parts = [{"heading": plain(part.heading), "body": paragraphs(part.body),
              "bullets": [plain(b.text) for b in part.bullets], "image": image(part.image, link)}
             for part in item.parts]
    return render("page", parts=parts)


def photo_story(item: m.PhotoStory, link: Link, ui: Ui) -> str:
    """Captioned panels in order, each with its scene (the picture, or its
    description where there is none yet) and the characters' lines."""
    panels = [{"src": link(p.file) if p.file else None, "scene": plain(p.scene), "caption": inline(p.caption),
               "lines": [{"speaker": ui("speaker_says", speaker=plain(line.speaker)), "text": plain(line.text)}
                         for line in p.lines]} for p in item.panels]
    return render("photo_story", intro=paragraphs(item.intro), panels=panels)


def recipe(item: m.Recipe, ui: Ui) -> str:
    """The 'cooking recipe' page: ingredients, steps, tips."""
    return render("recipe", intro=paragraphs(item.intro),
                  ingredients_heading=ui("ingredients"), ingredients=[plain(i.text) for i in item.ingredients],
                  steps_heading=ui("steps"), steps=[inline(i.text) for i in item.steps],
                  tips_heading=ui("tips"), tips=[inline(i.text) for i in item.tips])


def image(img: m.Image | None, link: Link) -> dict | None:
    return None if img is None else {"src": link(img.file), "alt": plain(img.alt)}


def video(course: m.Course, item: m.Video, link: Link, ui: Ui) -> str:
    """The player of a video page: the file (or its URL), the poster, the
    edition's subtitle track shown by default, and the transcript when the
    course has a label for it."""
    lang = course.lang or course.source_language
    if item.file is not None:
        src, mimetype = link(item.file), _mimetype(item.file)
    else:
        src, mimetype = item.url, None
    poster = link(item.poster) if item.poster is not None else None
    track = None
    if item.subtitles:
        track = {"src": link(subtitle_ref(item, lang)), "lang": lang,
                 "label": own_name(lang) or ui("subtitles_label")}
    transcript = [plain(cue.text) for cue in item.subtitles] if "transcript" in course.ui else []
    # Moodle's player takes its name from the title, else from the file name.
    return render("video", title=plain(item.title), description=paragraphs(item.description), src=src,
                  mimetype=mimetype, poster=poster, track=track, fallback=ui("video_fallback"),
                  download=ui("download_video"),
                  transcript=transcript, transcript_label=ui("transcript"))


def project_overview(course: m.Course, project: m.Project, link: Link, ui: Ui) -> str:
    """The tutorial page of a project: its diagrams with their text
    equivalent, then its testimonials."""
    lang = course.lang or course.source_language
    diagrams = []
    for kind in DIAGRAM_KINDS:
        if not has_diagram(project, kind):
            continue
        diagrams.append({"heading": ui(kind), "src": link(diagram_ref(project, kind, lang)),
                         "alt": plain(diagram_title(course, project, kind)),
                         "outline": _outline(diagram_outline(project, kind, lang))})
    testimonials = [{"quote": paragraphs(t.quote), "name": plain(t.name), "role": plain(t.role),
                     "beneficiary": t.beneficiary} for t in project.testimonials]
    return render("project_overview", summary=paragraphs(project.summary), diagrams=diagrams,
                  testimonials_heading=ui("testimonials"), testimonials=testimonials,
                  beneficiary=ui("beneficiary"))


def project_sheet(course: m.Course, project: m.Project, pdf_href: str | None, ui: Ui) -> str:
    """The toolbox sheet of a project: facts, description, implementation,
    key figures, contacts and the link to its PDF (when it has one)."""
    facts = []
    if project.organisation:
        facts.append((ui("partner"), plain(project.organisation)))
    if project.country:
        key = f"country_{project.country.lower()}"
        facts.append((ui("country"), ui(key) if key in course.ui else project.country))
    if project.city:
        facts.append((ui("city"), plain(project.city)))
    if project.audience:
        facts.append((ui("audience"), plain(project.audience)))
    pdf = {"href": pdf_href, "label": ui("download_pdf")} if pdf_href else None
    notice = ui("reconstructed_notice") if project.reconstructed and "reconstructed_notice" in course.ui else ""
    return render(
        "project_sheet", notice=notice, summary=paragraphs(project.summary), facts=facts,
        description_heading=ui("description"), description=paragraphs(project.description),
        implementation_heading=ui("implementation"), implementation=paragraphs(project.implementation),
        figures_heading=ui("key_figures"), figures=[(plain(f.label), plain(f.value)) for f in project.key_figures],
        contacts_heading=ui("contacts"), contacts=[{"label": plain(c.label), "url": c.url} for c in project.contacts],
        pdf=pdf)


def chapter(ch: m.Chapter) -> str:
    """A book chapter: its text, then its links."""
    links = [{"url": link.url, "title": plain(link.title), "description": inline(link.description)}
             for link in ch.links]
    return render("chapter", body=paragraphs(ch.body), links=links)


def question_text(q: m.Question, link: Link) -> str:
    """A question's text with its image, in its presentation's frame (photo story...)."""
    return render("question", presentation=q.presentation or "plain", image=image(q.image, link),
                  text=paragraphs(q.text))


def has_diagram(project: m.Project, kind: str) -> bool:
    if kind == "mindmap":
        return project.mindmap is not None
    if kind == "timeline":
        return bool(project.timeline)
    return bool(project.actors)


def _outline(nodes) -> list[dict]:
    # the texts are plain already: folding them again lost the no-break spaces of "≈ 2019" and of the French colon
    return [{"label": str(n["text"]), "children": _outline(n.get("children") or [])} for n in nodes]


def _mimetype(ref: m.MediaRef) -> str:
    from ..media import mimetype
    return mimetype(ref.name)

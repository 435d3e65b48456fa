"""Recognise the project blocks this tool writes and read them back into
projects (the inverse of the project_overview and project_sheet templates).

A course built by resolution-pack has, per project, a tutorial page (mind
map, timeline and org chart with their text outlines, testimonials) and its
three videos in the tutorials section, and a sheet page (facts, description,
implementation, key figures, contacts) with its PDF in the toolbox section.
They are recognised by their idnumbers (`tutorial.<p>.overview`,
`toolbox.<p>.sheet`...) or, without idnumbers, by our template's markup (the
`resolution-facts` list, the `*-mindmap.<lang>.svg` picture, the
`resolution-testimonial` quotes). Hand-made project pages have neither: they
stay generic pages. A page that looks like ours but does not read as one is
left generic too, with a note.
"""
from __future__ import annotations

import re

from .. import model as m
from . import html as h
from .findings import NOTE, SIMPLIFIED
from ..text import to_text
from .ids import Names, slug

# The country names our ui.yaml gives, in the six languages of the shipped
# course, for the codes the format knows.
COUNTRIES = {
    "BE": ("Belgique", "Belgium", "Bélgica", "Bèlgica", "Belgio"),
    "FR": ("France", "Francia", "França", "Franciaország"),
    "ES": ("Espagne", "Spain", "España", "Espanya", "Spagna", "Spanyolország"),
    "IT": ("Italie", "Italy", "Italia", "Itàlia", "Olaszország"),
    "HU": ("Hongrie", "Hungary", "Hungría", "Hongria", "Ungheria", "Magyarország"),
}
FACTS = ("partner", "country", "city", "audience")
DIAGRAMS = ("mindmap", "timeline", "orgchart")
_ID = re.compile(r"^(tutorial|toolbox)\.([a-z0-9][a-z0-9-]*)\.([a-z0-9][a-z0-9-]*)$")


class NotOurs(Exception):
    """The page does not read as one of our project pages."""


def recognise(edition) -> None:
    course = edition.course
    found = {role: [(section, _blocks(edition, section, role)) for section in course.sections]
             for role in ("tutorials", "toolbox")}
    tutorials = [(s, b) for s, b in found["tutorials"] if b]
    toolbox = [(s, b) for s, b in found["toolbox"] if b]
    if not tutorials and not toolbox:
        return
    if len(tutorials) != 1 or len(toolbox) != 1:
        edition.findings.add(NOTE, "project pages found, but not one tutorials and one toolbox section: "
                                   "they stay pages", edition.lang)
        return
    (tsection, overviews), (bsection, sheets) = tutorials[0], toolbox[0]
    if [t for t, *_ in overviews] != [t for t, *_ in sheets]:
        edition.findings.add(NOTE, "the tutorials and the toolbox do not list the same projects in the same "
                                   "order: their pages stay pages", edition.lang)
        return
    try:
        projects = [_project(edition, o, s) for o, s in zip(overviews, sheets)]
    except NotOurs as exc:
        edition.findings.add(NOTE, f"project pages not read as projects ({exc}): they stay pages", edition.lang)
        return
    names = Names()
    for (_title, page, _videos), project in zip(overviews, projects):
        project.id = _pid(edition, page, names)
        _project_contexts(project)
    # the generic reading of these pages found markup it could not keep; read as projects, all is kept
    places = {edition.origin[id(page)].where for blocks in (overviews, sheets) for _t, page, _f in blocks}
    places |= {edition.origin[id(i)].where for i in tsection.items if isinstance(i, m.Label) and _is_heading(edition, i)}
    edition.findings.items = [f for f in edition.findings.items
                              if not (f.kind == SIMPLIFIED and f.where in places)]
    _place(edition, tsection, overviews, projects, "tutorials")
    _place(edition, bsection, sheets, projects, "toolbox")
    course.projects = projects


def _blocks(edition, section, role: str) -> list:
    """[(title, page, [videos] | pdf)] of the project blocks at the end of a section.
    A tutorial block may open with its heading label (idnumber `tutorial.<p>`),
    which gives the project's title; a repeated video name carries ' – <title>'."""
    items = section.items
    out = []
    n = 0
    while n < len(items):
        item = items[n]
        heading = None
        if role == "tutorials" and isinstance(item, m.Label) and n + 1 < len(items) and _is_heading(edition, item):
            heading, n, item = to_text(item.text), n + 1, items[n + 1]
        if isinstance(item, m.Page) and _is(edition, item, role):
            title = heading or item.title
            follow = []
            n += 1
            while n < len(items) and (role == "tutorials" and isinstance(items[n], m.Video)
                                      and not _is(edition, items[n], "tutorials-own")
                                      or role == "toolbox" and not follow and isinstance(items[n], m.Resource)
                                      and (items[n].title == item.title or _is(edition, items[n], "pdf"))):
                follow.append(items[n])
                n += 1
            if heading:
                for video in follow:
                    for dash in (" – ", " - "):
                        if video.title.endswith(dash + heading):
                            video.title = video.title[: -len(dash + heading)]
            out.append((title, item, follow))
        elif out:
            return []           # an item of the section's own after the blocks: not our layout
        else:
            n += 1
    return out


def _is_heading(edition, item) -> bool:
    origin = edition.origin.get(id(item))
    return bool(re.match(r"^tutorial\.[a-z0-9][a-z0-9-]*$", (origin.idnumber if origin else "") or ""))


def _is(edition, item, role: str) -> bool:
    origin = edition.origin.get(id(item))
    idnumber = origin.idnumber if origin else ""
    match = _ID.match(idnumber or "")
    if role == "tutorials-own":
        return bool(idnumber) and not (match and match.group(1) == "tutorial")
    if match:
        return (match.group(1), match.group(3)) == {"tutorials": ("tutorial", "overview"), "pdf": ("toolbox", "pdf")}.get(
            role, ("toolbox", "sheet"))
    if idnumber:
        return False
    page = origin.html if origin else ""
    if role == "tutorials":
        return "resolution-testimonial" in page or bool(re.search(r"-mindmap\.[a-z]{2,3}\.svg", page))
    return "resolution-facts" in page or "resolution-pdf" in page


def _pid(edition, page, names: Names) -> str:
    match = _ID.match(edition.origin[id(page)].idnumber or "")
    return names.claim(match.group(2) if match else slug(page.title, "project"))


# ---- reading the pages ----------------------------------------------------------

def _sections_of(value: str):
    """The top-level elements, split at each <h3>: (head, [(heading, elements)])."""
    root = h.fragment(value)
    head, blocks = [], []
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "h3":
            blocks.append((h.text_of(child), []))
        elif blocks:
            blocks[-1][1].append(child)
        else:
            head.append(child)
    return head, blocks


def _paragraphs(elements, edition) -> str | None:
    losses = h.Losses()
    texts = [h.inline(h.inner(e), losses) for e in elements if e.tag == "p"]
    if losses or any(e.tag != "p" for e in elements):
        raise NotOurs("unexpected markup in a text")
    return "\n\n".join(t for t in texts if t) or None


def _project(edition, overview_block, sheet_block) -> m.Project:
    title, overview, videos = overview_block
    _t, sheet, pdf = sheet_block
    project = m.Project(id="", title=title)
    _sheet(edition, project, edition.origin[id(sheet)].html)
    _overview(edition, project, edition.origin[id(overview)].html)
    project.videos = videos
    return project


def _sheet(edition, project: m.Project, value: str) -> None:
    head, blocks = _sections_of(value)
    notice = [e for e in head if "resolution-notice" in (e.get("class") or "")]
    if notice:
        project.reconstructed = True
        edition.ui["reconstructed_notice"][h.text_of(notice[0])] += 1
    facts = [e for e in head if e.tag == "dl"]
    project.summary = _paragraphs([e for e in head if e not in notice and e not in facts], edition) or "-"
    pairs = [(h.text_of(dt), h.text_of(dd)) for dt, dd in zip(facts[0].iterfind("dt"), facts[0].iterfind("dd"))] \
        if facts else []
    _facts(edition, project, pairs)
    if len(blocks) < 2:
        raise NotOurs("a sheet without description and implementation")
    pdf_links = [e for _h, els in blocks for e in els if "resolution-pdf" in (e.get("class") or "")]
    for link in pdf_links:
        edition.ui["download_pdf"][h.text_of(link)] += 1
    (dh, de), (ih, ie), *rest = blocks
    edition.ui["description"][dh] += 1
    edition.ui["implementation"][ih] += 1
    project.description = _paragraphs(de, edition) or "-"
    project.implementation = _paragraphs([e for e in ie if e not in pdf_links], edition) or "-"
    for heading, elements in rest:
        elements = [e for e in elements if e not in pdf_links]
        if elements and elements[0].tag == "dl":
            edition.ui["key_figures"][heading] += 1
            project.key_figures = [m.KeyFigure(label=h.text_of(dt), value=h.text_of(dd))
                                   for dt, dd in zip(elements[0].iterfind("dt"), elements[0].iterfind("dd"))]
        elif elements and elements[0].tag == "ul":
            edition.ui["contacts"][heading] += 1
            for li in elements[0].iterfind("li"):
                a = li.find("a")
                project.contacts.append(m.Contact(url=a.get("href") if a is not None else None, label=h.text_of(li)))
        else:
            raise NotOurs(f"a sheet with an unknown part «{heading}»")


def _facts(edition, project: m.Project, pairs: list) -> None:
    """Partner, country, city and audience, each shown only when set, in
    that order: the labels tell which is which once a sheet has them all."""
    keys = FACTS if len(pairs) == 4 else _fact_keys(pairs)
    for key, (label, value) in zip(keys, pairs):
        edition.ui[key][label] += 1
        if key == "partner":
            project.organisation = value
        elif key == "country":
            project.country = _country(edition, value)
        elif key == "city":
            project.city = value
        else:
            project.audience = value
    if not project.organisation or not project.country:
        raise NotOurs("a sheet without partner or country")


def _fact_keys(pairs: list) -> tuple:
    keys = []
    for label, value in pairs:
        if not keys:
            keys.append("partner")
        elif any(value in names or value == code for code, names in COUNTRIES.items()) and "country" not in keys:
            keys.append("country")
        elif "city" not in keys and "audience" not in keys and len(value) < 60:
            keys.append("city")
        else:
            keys.append("audience")
    return tuple(keys)


def _country(edition, value: str) -> str:
    for code, names in COUNTRIES.items():
        if value == code or value in names:
            if value != code:
                edition.ui[f"country_{code.lower()}"][value] += 1
            return code
    raise NotOurs(f"a country the format does not know («{value}»)")


def _overview(edition, project: m.Project, value: str) -> None:
    head, blocks = _sections_of(value)
    summary = _paragraphs(head, edition)
    if summary and summary != project.summary:
        raise NotOurs("the tutorial and the sheet give two summaries")
    diagrams = [(hd, els) for hd, els in blocks if els and els[0].tag == "p" and els[0].find(".//img") is not None]
    if len(diagrams) != 3:
        raise NotOurs("a tutorial page without its three diagrams")
    for kind, (heading, elements) in zip(DIAGRAMS, diagrams):
        edition.ui[kind][heading] += 1
        outline = elements[1] if len(elements) > 1 and elements[1].tag == "ul" else None
        if outline is None:
            raise NotOurs(f"a {kind} without its text outline")
        globals()[f"_{kind}"](edition, project, outline)
    for heading, elements in blocks:
        quotes = [e for e in elements if e.tag == "blockquote"]
        if quotes:
            edition.ui["testimonials"][heading] += 1
            project.testimonials = [_testimonial(edition, q, n) for n, q in enumerate(quotes, 1)]


def _own_text(li) -> str:
    """An outline item's text, without its nested list."""
    parts = [li.text or ""]
    for child in li:
        if child.tag in ("ul", "ol"):
            break
        parts.append(h.text_of(child) + (child.tail or ""))
    return " ".join("".join(parts).split())


def _mindmap(edition, project: m.Project, ul) -> None:
    def node(li):
        nested = li.find("ul")
        return m.Node(label=_own_text(li),
                      children=[node(c) for c in nested.iterfind("li")] if nested is not None else [])
    roots = list(ul.iterfind("li"))
    if len(roots) != 1:
        raise NotOurs("a mind map without one centre")
    project.mindmap = node(roots[0])


def _timeline(edition, project: m.Project, ul) -> None:
    for li in ul.iterfind("li"):
        date, sep, rest = _own_text(li).partition(" — ")
        indicative = date.startswith("\u2248")     # "≈ 2019": an estimated date (Step.shown_date)
        date = date.lstrip("\u2248").strip()
        if not sep or not re.match(r"^[0-9]{4}(-[0-9]{2})?$", date):
            raise NotOurs("a timeline step without its date")
        label, _sep, text = rest.partition(": ")     # the French colon's no-break space is folded
        project.timeline.append(m.Step(date=date, indicative=indicative, label=label.strip(),
                                       text=text.strip() or None))


def _orgchart(edition, project: m.Project, ul) -> None:
    names = Names()
    by_name: dict[str, str] = {}

    def actor(li, parent):
        name, _sep, role = _own_text(li).partition(" — ")
        actor_id = names.claim(slug(name, "actor"))
        by_name.setdefault(name, actor_id)
        project.actors.append(m.Actor(id=actor_id, parent=parent, name=name, role=role or None))
        nested = li.find("ul")
        for child in nested.iterfind("li") if nested is not None else []:
            actor(child, actor_id)

    relations = []
    for li in ul.iterfind("li"):
        if " → " in _own_text(li) and li.find("ul") is None:
            relations.append(_own_text(li))
        else:
            actor(li, None)
    for text in relations:
        ends, _sep, label = text.partition(": ")
        source, _arrow, target = ends.strip().partition(" → ")
        if source not in by_name or target not in by_name:
            raise NotOurs("a relation between unknown actors")
        project.relations.append(m.Relation(source=by_name[source], target=by_name[target], label=label.strip()))


def _testimonial(edition, quote, n: int) -> m.Testimonial:
    paragraphs = [p for p in quote if p.tag == "p"]
    if len(paragraphs) < 2:
        raise NotOurs("a testimonial without its author")
    signature = paragraphs[-1]
    badge = signature.find("span")
    beneficiary = badge is not None
    if beneficiary:
        edition.ui["beneficiary"][h.text_of(badge)] += 1
        h._drop_keep_tail(badge)
    name, _sep, role = h.text_of(signature).lstrip("— ").partition(", ")
    return m.Testimonial(id=f"t{n}", name=name.strip(), beneficiary=beneficiary, role=role.strip() or "-",
                         quote=_paragraphs(paragraphs[:-1], edition) or "-")


# ---- putting the projects in place ---------------------------------------------------

def _place(edition, section: m.Section, blocks: list, projects: list, role: str) -> None:
    """Replace the section's block pages by the model's project items, with
    the ids the loader gives them."""
    first = section.items.index(blocks[0][1])
    if first and isinstance(section.items[first - 1], m.Label) and _is_heading(edition, section.items[first - 1]):
        first -= 1                                # the first project's heading label goes with it
    own = section.items[:first]
    items = list(own)
    for (_title, page, follow), project in zip(blocks, projects):
        if role == "tutorials":
            items.append(m.ProjectOverview(id=f"tutorial.{project.id}.overview", ctx=f"tutorial.{project.id}.overview",
                                           project=project))
            names = Names()
            for n, video in enumerate(follow, 1):
                match = _ID.match(edition.origin.get(id(video)).idnumber or "")
                local = names.claim(match.group(3) if match else f"video-{n}")
                video.id = f"tutorial.{project.id}.{local}"
                _video_contexts(video)
                items.append(video)
        else:
            items.append(m.ProjectSheet(id=f"toolbox.{project.id}.sheet", ctx=f"toolbox.{project.id}.sheet",
                                        project=project))
            items.append(m.Resource(id=f"toolbox.{project.id}.pdf", ctx=f"toolbox.{project.id}.pdf",
                                    file=m.MediaRef(f"generated/{project.id}.pdf", generated=True),
                                    title=project.title, description=project.summary))
    section.items = items
    section.role = role


def _video_contexts(video: m.Video) -> None:
    video.ctx = video.id
    for cue in video.subtitles:
        cue.ctx = video.id


def _project_contexts(p: m.Project) -> None:
    p.ctx = p.id
    for x in p.key_figures + p.contacts:
        x.ctx = p.id
    stack = [p.mindmap] if p.mindmap else []
    while stack:
        node = stack.pop()
        node.ctx = f"{p.id}.mindmap"
        stack.extend(node.children)
    for step in p.timeline:
        step.ctx = f"{p.id}.timeline"
    for x in p.actors + p.relations:
        x.ctx = f"{p.id}.orgchart"
    for t in p.testimonials:
        t.ctx = f"{p.id}.{t.id}"

"""Page-like HTML back into the model: a page's parts, a video page, a book
chapter's body and links.

This inverts templates/moodle_backup/html/ (page, video, chapter) exactly for
a course this tool built, and reads any other HTML as well as the format
allows: headings start parts, paragraphs make their body, a list their
bullets, a picture their image; a page with a <video> becomes a video with
its subtitle track read back into cues. Interface strings our templates put
into the HTML (the video's fallback text...) are collected as candidates for
ui.yaml, not kept as course text.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .. import model as m
from . import html as h

_TIMING = re.compile(r"^((?:\d+:)?\d{2}:\d{2}\.\d{3})\s+-->\s+((?:\d+:)?\d{2}:\d{2}\.\d{3})")


@dataclass
class Context:
    """What reading one module needs: where its files are, where to report."""
    lang: str
    resolve: object                   # url -> m.MediaRef | None (the module's own file area)
    losses: h.Losses = field(default_factory=h.Losses)
    ui: dict = field(default_factory=lambda: defaultdict(Counter))   # key -> Counter of texts seen
    vtt: object = None                # MediaRef -> text of the subtitle file


@dataclass
class _Part:
    heading: str | None = None
    body: list = field(default_factory=list)
    bullets: list = field(default_factory=list)
    image: m.Image | None = None

    def empty(self) -> bool:
        return not (self.heading or self.body or self.bullets or self.image)


def parts(value: str | None, ctx: Context) -> list[m.Part]:
    """A page's content as parts."""
    found: list[_Part] = []
    _collect(h.fragment(value), ctx, found)
    return [m.Part(image=p.image, bullets=[m.Bullet(text=b) for b in p.bullets], heading=p.heading,
                   body="\n\n".join(p.body) or None) for p in found if not p.empty()]


def _current(found: list[_Part], *, fresh_if: str = "") -> _Part:
    """The part to add to; a new one when the last already has what comes
    next (our template writes heading, body, bullets, image in that order)."""
    last = found[-1] if found else None
    order = {"body": ("bullets", "image"), "bullets": ("bullets", "image"), "image": ("image",)}
    if last is None or any(getattr(last, a) for a in order.get(fresh_if, ())):
        last = _Part()
        found.append(last)
    return last


def _collect(root, ctx: Context, found: list[_Part]) -> None:
    loose = [h.escape(root.text or "")]

    def flush():
        text = "".join(loose).strip()
        loose.clear()
        if h.text_of(h.fragment(text)):
            _current(found, fresh_if="body").body.append(h.inline(text, ctx.losses))

    for child in root:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag not in h.BLOCKS and tag != "img":
            loose.append(h.lxml_html.tostring(child, encoding=str, with_tail=True))
            continue
        flush()
        _block(child, tag, ctx, found)
        loose.append(h.escape(child.tail or ""))
    flush()


def _block(child, tag: str, ctx: Context, found: list[_Part]) -> None:
    if tag in h.HEADINGS:
        found.append(_Part(heading=h.text_of(child) or None))
    elif tag in ("p", "img"):
        images = [child] if tag == "img" else list(child.iter("img"))
        if images and not h.text_of(child):
            _image(images, ctx, found)
            return
        if images:
            ctx.losses.add("<img> in a text removed", len(images))
        _current(found, fresh_if="body").body.append(h.inline(h.inner(child), ctx.losses))
    elif tag in ("ul", "ol"):
        items = [h.text_of(li) for li in child.iterfind("li") if h.text_of(li)]
        if any(li.find(".//ul") is not None or li.find(".//ol") is not None for li in child.iterfind("li")):
            ctx.losses.add("nested list flattened")
        if tag == "ol":
            ctx.losses.add("<ol> kept as bullets")
        if items:
            _current(found, fresh_if="bullets").bullets.extend(items)
    elif tag in ("div", "section", "article", "figure"):
        _collect(child, ctx, found)
    else:
        for text in h.block_texts(child, ctx.losses):
            _current(found, fresh_if="body").body.append(h.inline(text, ctx.losses))


def _image(images, ctx: Context, found: list[_Part]) -> None:
    for n, img in enumerate(images):
        ref = ctx.resolve(img.get("src", ""))
        if ref is None:
            ctx.losses.add("picture not in the backup removed")
            continue
        alt = " ".join((img.get("alt") or "").split()) or ref.name
        _current(found, fresh_if="image").image = m.Image(file=ref, alt=alt)


# ---- video pages -------------------------------------------------------------

def has_video(value: str | None) -> bool:
    return bool(value) and "<video" in value


def video(value: str, ctx: Context, course_lang: str) -> dict:
    """The fields of a Video item from a page holding a <video>."""
    root = h.fragment(value)
    players = list(root.iter("video"))
    player = players[0]
    if len(players) > 1:
        ctx.losses.add("further <video> removed (one video per page)", len(players) - 1)
    sources = [s.get("src", "") for s in player.iter("source")] or [player.get("src", "")]
    file_ref = ctx.resolve(sources[0]) if sources[0] else None
    url = sources[0] if file_ref is None and sources[0].startswith(("http://", "https://")) else None
    poster = ctx.resolve(player.get("poster", "")) if player.get("poster") else None
    cues = _track_cues(player, ctx, course_lang)
    _fallback_strings(player, ctx)
    transcript = None
    for details in list(root.iter("details")):
        if "resolution-transcript" in (details.get("class") or ""):
            ctx.ui["transcript"][h.text_of(details.find("summary"))] += 1
            transcript = details
    container = player
    while container.getparent() is not None and container.getparent() is not root:
        container = container.getparent()
    for node in (container, transcript):
        if node is not None and node.getparent() is not None:
            h._drop_keep_tail(node)
    description_parts = parts(h.lxml_html.tostring(root, encoding=str), ctx)
    description = []
    for part in description_parts:
        if part.heading:
            description.append(part.heading)
        if part.body:
            description.append(part.body)
        if part.bullets or part.image:
            ctx.losses.add("list or picture on a video page removed")
    return {"file": file_ref, "url": url, "poster": poster, "subtitles": cues,
            "description": "\n\n".join(description) or None}


def _track_cues(player, ctx: Context, course_lang: str) -> list[m.Cue]:
    tracks = [t for t in player.iter("track") if t.get("kind", "subtitles") in ("subtitles", "captions")]
    if not tracks:
        return []
    chosen = next((t for t in tracks if t.get("srclang") == course_lang), None)
    if chosen is None:
        chosen = next((t for t in tracks if t.get("default") is not None), tracks[0])
    if len(tracks) > 1:
        ctx.losses.add("further subtitle tracks removed (the other languages come from their own backups)",
                       len(tracks) - 1)
    ref = ctx.resolve(chosen.get("src", ""))
    text = ctx.vtt(ref) if ref is not None and ctx.vtt else None
    if text is None:
        ctx.losses.add("subtitle file not in the backup")
        return []
    return cues(text, ctx.losses)


def _fallback_strings(player, ctx: Context) -> None:
    """Our video template's fallback: '<ui video_fallback> <a>ui download_video</a>'
    (the HTML parser may put it inside <track>, which it does not know as void)."""
    link = next(iter(player.iter("a")), None)
    label = h.text_of(link) if link is not None else ""
    fallback = h.text_of(player)
    if label and fallback.endswith(label):
        fallback = fallback[: -len(label)].strip()
    if fallback and "@@PLUGINFILE@@" not in fallback:
        ctx.ui["video_fallback"][fallback] += 1
    if label:
        ctx.ui["download_video"][label] += 1


def cues(text: str, losses: h.Losses | None = None) -> list[m.Cue]:
    """The cues of a WebVTT file (settings, ids, NOTE blocks and cue tags dropped)."""
    out = []
    blocks = re.split(r"\r?\n\s*\r?\n", text.lstrip("\ufeff"))
    for block in blocks:
        lines = [line for line in block.splitlines() if line.strip()]
        for n, line in enumerate(lines):
            match = _TIMING.match(line.strip())
            if match:
                body = " ".join(lines[n + 1:])
                plain_text = h.plain(body) if "<" in body or "&" in body else " ".join(body.split())
                if plain_text != " ".join(body.split()) and losses is not None:
                    losses.add("cue markup removed")
                if plain_text:
                    out.append(m.Cue(start=_timecode(match.group(1)), end=_timecode(match.group(2)),
                                     text=plain_text))
                break
    return out


def _timecode(code: str) -> str:
    """'00:00:04.000' -> '00:04.000', as the sources write times under an hour."""
    parts = code.split(":")
    if len(parts) == 3:
        hours = int(parts[0])
        return f"{parts[1]}:{parts[2]}" if hours == 0 else f"{hours:02d}:{parts[1]}:{parts[2]}"
    return code


# ---- book chapters -------------------------------------------------------------

def chapter(value: str | None, ctx: Context) -> tuple[str | None, list[m.Link]]:
    """A chapter's body and its trailing list of links (our chapter template
    writes `<ul><li><a href>title</a> – description</li>...</ul>`)."""
    root = h.fragment(value)
    children = [c for c in root if isinstance(c.tag, str)]
    links: list[m.Link] = []
    if children and children[-1].tag == "ul" and _is_link_list(children[-1]):
        for li in children[-1].iterfind("li"):
            a = li.find("a")
            rest = h.inner(li).split("</a>", 1)[1] if "</a>" in h.inner(li) else ""
            description = h.inline(re.sub(r"^\s*[–-]\s*", "", rest), ctx.losses) or None
            links.append(m.Link(url=a.get("href"), title=h.text_of(a), description=description))
        h._drop_keep_tail(children[-1])
    body = h.rich(h.lxml_html.tostring(root, encoding=str), h.FORMAT_HTML, ctx.losses)
    return body, links


def _is_link_list(ul) -> bool:
    items = list(ul.iterfind("li"))
    return bool(items) and all(
        (li.find("a") is not None and li.index(li.find("a")) == 0 and not (li.text or "").strip()
         and re.match(r"^https?://[^\s<>\"]+$", li.find("a").get("href") or "")) for li in items)

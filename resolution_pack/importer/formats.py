"""The two original formats back into the model: a photo-story page and a
recipe page, as templates/moodle_backup/html/photo_story.html.j2 and
recipe.html.j2 write them (recognised by their classes; any other page is
left to pages.parts). The interface strings they carry (the speaker's
punctuation, the recipe's headings) are collected as ui.yaml candidates.
"""
from __future__ import annotations

from .. import model as m
from . import html as h


def read(value: str | None, title: str, ctx) -> m.Item | None:
    root = h.fragment(value)
    story = root.find(".//ol[@class]")
    if story is not None and "resolution-photo-story" in story.get("class", "").split():
        return _photo_story(root, story, title, ctx)
    if root.find(".//ul[@class='resolution-ingredients']") is not None:
        return _recipe(root, title, ctx)
    return None


def _intro(root, stop, ctx) -> str | None:
    texts = []
    for child in root:
        if child is stop or child.tag == "h3":
            break
        if child.tag == "p":
            texts.append(h.inline(h.inner(child), ctx.losses))
    return "\n\n".join(t for t in texts if t) or None


def _photo_story(root, story, title: str, ctx) -> m.PhotoStory:
    panels = []
    for li in story.iterfind("li"):
        img = li.find(".//figure//img")
        scene_box = li.find(".//figure//div")
        caption = li.find(".//figcaption")
        file = ctx.resolve(img.get("src", "")) if img is not None else None
        scene = " ".join((img.get("alt") or "").split()) if img is not None else h.text_of(scene_box)
        lines = []
        for p in li.iterfind("p"):
            strong = p.find("strong")
            said = h.text_of(strong) if strong is not None else ""
            speaker = said.rstrip(":").rstrip()
            if speaker != said:
                ctx.ui["speaker_says"][said.replace(speaker, "{speaker}", 1)] += 1
            text = h.text_of(p)[len(said):].strip()
            lines.append(m.Line(speaker=speaker or "-", text=text or "-"))
        panels.append(m.Panel(file=file, lines=lines, scene=scene or "-",
                              caption=h.inline(h.inner(caption), ctx.losses) if caption is not None else None))
    return m.PhotoStory(id="", title=title, intro=_intro(root, story, ctx), panels=panels)


def _recipe(root, title: str, ctx) -> m.Recipe:
    lists = {}
    for heading in root.iterfind("h3"):
        following = heading.getnext()
        if following is not None and following.tag in ("ul", "ol"):
            kind = (following.get("class") or "").replace("resolution-", "")
            lists[kind] = following
            key = {"ingredients": "ingredients", "steps": "steps", "tips": "tips"}.get(kind)
            if key:
                ctx.ui[key][h.text_of(heading)] += 1

    def items(kind, cls, rich):
        found = lists.get(kind)
        texts = [h.inline(h.inner(li), ctx.losses) if rich else h.text_of(li)
                 for li in (found.iterfind("li") if found is not None else [])]
        return [cls(text=t) for t in texts if t]
    return m.Recipe(id="", title=title, intro=_intro(root, None, ctx),
                    ingredients=items("ingredients", m.Ingredient, False), steps=items("steps", m.Instruction, True),
                    tips=items("tips", m.Tip, True))

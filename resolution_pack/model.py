"""The course model: plain dataclasses, the same shape before and after
localisation.

Translatable fields are marked with `tr("name")` (plain text) or
`tr("name", rich=True)` (inline HTML allowed). Each object that has such
fields carries `ctx`, the stable id of the object that owns the text, so that
the gettext context of a string is `<ctx>:<name>`. `src` remembers the file
and the line of each field, for `#:` references and error messages.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


def tr(name: str, rich: bool = False, default=None):
    return field(default=default, metadata={"i18n": name, "rich": rich})


@dataclass(frozen=True)
class Src:
    file: str = ""
    lines: tuple = ()  # ((field, line), ...)

    def line(self, name: str = "") -> int:
        for key, line in self.lines:
            if key == name:
                return line
        return self.lines[0][1] if self.lines else 0


@dataclass
class MediaRef:
    """A file the course uses: `path` relative to the sources folder, or a
    file generated during the build (`generated` true, path under generated/)."""
    path: str
    generated: bool = False

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass
class Image:
    file: MediaRef
    ctx: str = ""
    src: Src = field(default_factory=Src)
    alt: str = tr("alt")


@dataclass
class Cue:
    start: str
    end: str
    ctx: str = ""
    src: Src = field(default_factory=Src)
    text: str = tr("subtitle")


@dataclass
class Notes:
    by_field: dict = field(default_factory=dict)


# ---- questions -------------------------------------------------------------

@dataclass
class Choice:
    correct: bool = False
    group: int = 1
    fraction: Optional[float] = None   # percent of the mark; None: the target's scheme from `correct`
    ctx: str = ""
    src: Src = field(default_factory=Src)
    text: str = tr("choice", rich=True)
    feedback: Optional[str] = tr("choice-feedback", rich=True)


@dataclass
class Pair:
    ctx: str = ""
    src: Src = field(default_factory=Src)
    question: str = tr("match-question", rich=True)
    answer: str = tr("match-answer")


@dataclass
class OrderItem:
    ctx: str = ""
    src: Src = field(default_factory=Src)
    text: str = tr("ordering-item")


@dataclass
class ShortAnswer:
    fraction: float = 100
    ctx: str = ""
    src: Src = field(default_factory=Src)
    text: str = tr("accepted-answer")
    feedback: Optional[str] = tr("answer-feedback", rich=True)


@dataclass
class Hint:
    """A hint of the interactive behaviour: each hint gives one more try."""
    clear_wrong: bool = False
    show_num_correct: bool = True
    ctx: str = ""
    src: Src = field(default_factory=Src)
    text: str = tr("hint", rich=True)


QUESTION_TYPES = ("single", "multiple", "truefalse", "match", "ordering",
                  "shortanswer", "gapselect", "ddwtos")


@dataclass
class Question:
    id: str
    type: str
    presentation: str = "plain"
    image: Optional[Image] = None
    choices: list = field(default_factory=list)      # single, multiple, gapselect, ddwtos
    answer: Optional[bool] = None                     # truefalse
    pairs: list = field(default_factory=list)         # match
    items: list = field(default_factory=list)         # ordering, correct order
    answers: list = field(default_factory=list)       # shortanswer
    hints: Optional[list] = None                      # of Hint; None: the course's default hint
    case_sensitive: bool = False
    shuffle: bool = True
    graded: bool = False
    notes: dict = field(default_factory=dict)
    ctx: str = ""
    src: Src = field(default_factory=Src)
    name: Optional[str] = tr("name")
    text: str = tr("text", rich=True)
    general_feedback: Optional[str] = tr("general-feedback", rich=True)
    correct_feedback: Optional[str] = tr("correct-feedback", rich=True)
    incorrect_feedback: Optional[str] = tr("incorrect-feedback", rich=True)
    partially_correct_feedback: Optional[str] = tr("partially-correct-feedback", rich=True)
    feedback_true: Optional[str] = tr("feedback-true", rich=True)
    feedback_false: Optional[str] = tr("feedback-false", rich=True)

    @property
    def local_id(self) -> str:
        return self.id.rsplit(".", 1)[-1]


# ---- section items ---------------------------------------------------------

@dataclass
class Item:
    id: str
    notes: dict = field(default_factory=dict)
    ctx: str = ""
    src: Src = field(default_factory=Src)

    kind = "item"

    @property
    def local_id(self) -> str:
        return self.id.rsplit(".", 1)[-1]


@dataclass
class Part:
    image: Optional[Image] = None
    bullets: list = field(default_factory=list)       # of Bullet
    ctx: str = ""
    src: Src = field(default_factory=Src)
    heading: Optional[str] = tr("heading")
    body: Optional[str] = tr("body", rich=True)


@dataclass
class Bullet:
    ctx: str = ""
    src: Src = field(default_factory=Src)
    text: str = tr("bullet")


@dataclass
class Page(Item):
    parts: list = field(default_factory=list)
    title: str = tr("title")
    intro: Optional[str] = tr("intro", rich=True)
    kind = "page"


@dataclass
class Label(Item):
    text: str = tr("text", rich=True)
    kind = "label"


@dataclass
class Url(Item):
    url: str = tr("url")
    title: str = tr("title")
    description: Optional[str] = tr("description", rich=True)
    kind = "url"


@dataclass
class Resource(Item):
    file: Optional[MediaRef] = None
    title: str = tr("title")
    description: Optional[str] = tr("description", rich=True)
    kind = "resource"


@dataclass
class FolderFile:
    file: MediaRef
    folder: str = ""


@dataclass
class Folder(Item):
    files: list = field(default_factory=list)
    title: str = tr("title")
    description: Optional[str] = tr("description", rich=True)
    kind = "folder"


@dataclass
class Link:
    ctx: str = ""
    src: Src = field(default_factory=Src)
    title: str = tr("link-title")
    url: str = tr("link-url")
    description: Optional[str] = tr("link-description", rich=True)


@dataclass
class Chapter:
    id: str = ""
    links: list = field(default_factory=list)
    ctx: str = ""
    src: Src = field(default_factory=Src)
    title: str = tr("title")
    body: Optional[str] = tr("body", rich=True)


@dataclass
class Book(Item):
    chapters: list = field(default_factory=list)
    title: str = tr("title")
    intro: Optional[str] = tr("intro", rich=True)
    kind = "book"


@dataclass
class Forum(Item):
    type: str = "news"
    title: str = tr("title")
    intro: Optional[str] = tr("intro", rich=True)
    kind = "forum"


@dataclass
class Video(Item):
    file: Optional[MediaRef] = None
    url: Optional[str] = tr("video-url")
    poster: Optional[MediaRef] = None
    duration: Optional[str] = None
    subtitles: list = field(default_factory=list)     # of Cue
    title: str = tr("title")
    description: Optional[str] = tr("description", rich=True)
    kind = "video"

    def subtitle_name(self, lang: str) -> str:
        return f"{self.id}.{lang}.vtt"


@dataclass
class Line:
    """What a character says in a photo-story panel."""
    ctx: str = ""
    src: Src = field(default_factory=Src)
    speaker: str = tr("speaker")
    text: str = tr("dialogue")


@dataclass
class Panel:
    """One picture of a photo-story. `scene` says what the picture shows: the
    photo's alt text, or, without a photo, the text shown in its frame."""
    file: Optional[MediaRef] = None
    lines: list = field(default_factory=list)         # of Line
    ctx: str = ""
    src: Src = field(default_factory=Src)
    scene: str = tr("scene")
    caption: Optional[str] = tr("caption", rich=True)


@dataclass
class PhotoStory(Item):
    panels: list = field(default_factory=list)
    title: str = tr("title")
    intro: Optional[str] = tr("intro", rich=True)
    kind = "photo-story"


@dataclass
class Ingredient:
    ctx: str = ""
    src: Src = field(default_factory=Src)
    text: str = tr("ingredient")


@dataclass
class Instruction:
    ctx: str = ""
    src: Src = field(default_factory=Src)
    text: str = tr("step", rich=True)


@dataclass
class Tip:
    ctx: str = ""
    src: Src = field(default_factory=Src)
    text: str = tr("tip", rich=True)


@dataclass
class Recipe(Item):
    """A 'cooking recipe' page: ingredients, steps in order, tips."""
    ingredients: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    tips: list = field(default_factory=list)
    title: str = tr("title")
    intro: Optional[str] = tr("intro", rich=True)
    kind = "recipe"


@dataclass
class Activities(Item):
    """Formative activities: ungraded questions with immediate feedback."""
    after: Optional[str] = None
    behaviour: Optional[str] = None   # Moodle's question behaviour; None: interactive
    questions: list = field(default_factory=list)
    title: str = tr("title")
    intro: Optional[str] = tr("intro", rich=True)
    kind = "activities"


@dataclass
class Evaluation(Item):
    """A graded validation test. Its overall feedback: one message at or
    above the pass mark, one below it (followed by what to review)."""
    pass_percent: int = 70
    behaviour: Optional[str] = None   # Moodle's question behaviour; None: deferredfeedback
    questions: list = field(default_factory=list)
    title: str = tr("title")
    intro: Optional[str] = tr("intro", rich=True)
    feedback_pass: Optional[str] = tr("feedback-pass", rich=True)
    feedback_not_yet: Optional[str] = tr("feedback-not-yet", rich=True)
    kind = "evaluation"


# ---- projects ---------------------------------------------------------------

@dataclass
class KeyFigure:
    ctx: str = ""
    src: Src = field(default_factory=Src)
    label: str = tr("figure-label")
    value: str = tr("figure-value")


@dataclass
class Contact:
    ctx: str = ""
    src: Src = field(default_factory=Src)
    label: str = tr("contact")
    url: Optional[str] = tr("contact-url")


@dataclass
class Node:
    children: list = field(default_factory=list)
    ctx: str = ""
    src: Src = field(default_factory=Src)
    label: str = tr("mindmap-node")


@dataclass
class Step:
    date: str = ""
    indicative: bool = False        # an estimated date, not a sourced one
    ctx: str = ""
    src: Src = field(default_factory=Src)
    label: str = tr("timeline-label")
    text: Optional[str] = tr("timeline-text")

    @property
    def shown_date(self) -> str:
        """The date as the learner reads it: an estimated one is marked "≈"."""
        return f"\u2248\u00a0{self.date}" if self.indicative else self.date


@dataclass
class Actor:
    id: str = ""
    parent: Optional[str] = None
    ctx: str = ""
    src: Src = field(default_factory=Src)
    name: str = tr("actor-name")
    role: Optional[str] = tr("actor-role")


@dataclass
class Relation:
    source: str = ""
    target: str = ""
    ctx: str = ""
    src: Src = field(default_factory=Src)
    label: str = tr("relation")


@dataclass
class Testimonial:
    id: str = ""
    name: str = ""
    beneficiary: bool = False
    ctx: str = ""
    src: Src = field(default_factory=Src)
    role: str = tr("role")
    quote: str = tr("quote", rich=True)


@dataclass
class Project:
    id: str
    organisation: str = ""
    country: str = ""
    city: str = ""
    reconstructed: bool = False
    key_figures: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    mindmap: Optional[Node] = None
    timeline: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    relations: list = field(default_factory=list)
    testimonials: list = field(default_factory=list)
    videos: list = field(default_factory=list)        # of Video, ids tutorial.<p>.<video>
    notes: dict = field(default_factory=dict)
    ctx: str = ""
    src: Src = field(default_factory=Src)
    title: str = tr("title")
    summary: str = tr("summary", rich=True)
    description: str = tr("description", rich=True)
    implementation: str = tr("implementation", rich=True)
    audience: Optional[str] = tr("audience")


# Blocks the tutorials and toolbox sections get for each project.

@dataclass
class ProjectPdf(Resource):
    """The toolbox's PDF sheet of a project (named apart from the sheet page)."""
    project: Optional[Project] = None
    kind = "project-pdf"


@dataclass
class ProjectOverview(Item):
    """The tutorial page of a project: mind map, timeline, actors, testimonials."""
    project: Optional[Project] = None
    kind = "project-overview"


@dataclass
class ProjectSheet(Item):
    """The toolbox sheet of a project: description and implementation."""
    project: Optional[Project] = None
    kind = "project-sheet"


@dataclass
class Subsection(Item):
    """Items shown together as one block inside their section (a Moodle
    subsection, mod_subsection). A project's block is titled by the project."""
    items: list = field(default_factory=list)
    project: Optional[Project] = None
    title: Optional[str] = tr("title")
    kind = "subsection"

    @property
    def name(self) -> str:
        return self.title or (self.project.title if self.project else self.local_id)


def flat(items: list):
    """Items in order, the contents of each subsection right after it."""
    for item in items:
        yield item
        if isinstance(item, Subsection):
            yield from flat(item.items)


# ---- course -----------------------------------------------------------------

@dataclass
class Section:
    id: str
    role: str = ""
    items: list = field(default_factory=list)
    notes: dict = field(default_factory=dict)
    ctx: str = ""
    src: Src = field(default_factory=Src)
    title: str = tr("title")
    summary: Optional[str] = tr("summary", rich=True)


@dataclass
class Edition:
    lang: str
    shortname: str
    fullname: str


@dataclass
class UiString:
    key: str
    note: str = ""
    ctx: str = ""
    src: Src = field(default_factory=Src)
    text: str = tr("ui")


@dataclass
class Course:
    id: str
    source_language: str
    languages: list
    startdate: str
    editions: dict              # lang -> Edition
    sections: list              # of Section
    projects: list              # of Project
    expected: dict
    ui: dict                    # key -> UiString
    root: str = ""              # the sources folder, for media
    placeholder_video: Optional[MediaRef] = None   # the still clip whose videos get clips as long as their cues
    lang: str = ""              # set by localise(); "" for the source model
    notes: dict = field(default_factory=dict)
    ctx: str = ""
    src: Src = field(default_factory=Src)
    title: str = tr("title")
    summary: str = tr("summary", rich=True)

    # -- conveniences for the targets --
    def items(self):
        for section in self.sections:
            yield from ((section, item) for item in flat(section.items))

    def text(self, key: str, **values) -> str:
        """An interface string of this edition, with {placeholders} filled;
        when ui.yaml lacks the key, the one default of every target
        (ui_strings.py), else the key itself."""
        from .ui_strings import DEFAULTS
        s = self.ui[key].text if key in self.ui else DEFAULTS.get(key, key)
        for name, value in values.items():
            s = s.replace("{" + name + "}", str(value))
        return s

    @property
    def edition(self) -> Edition:
        return self.editions[self.lang or self.source_language]

    def videos(self):
        for section, item in self.items():
            if isinstance(item, Video):
                yield section, item

    def questions(self):
        for section, item in self.items():
            if isinstance(item, (Activities, Evaluation)):
                for q in item.questions:
                    yield section, item, q

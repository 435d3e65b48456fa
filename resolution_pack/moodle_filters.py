"""What Moodle's default text filters would change in HTML we generate.

Moodle 4.5 switches these filters on for a new site (filter_active of the
system context): activitynames, displayh5p, emoticon, mathjaxloader,
mediaplugin, urltolink. They run on every HTML text shown with format_text
(page content, section and course summaries, quiz intros and feedback,
question texts), not on names (format_string, with filterall off). The rules
below restate each filter's own code (filter/*/classes/text_filter.php,
lib/filterlib.php filter_phrases, core\\emoticon_manager::default_emoticons),
so that the targets can avoid the triggers and `check` can flag them. This
module reads strings only: it imports no target.
"""
from __future__ import annotations

import re

# core\emoticon_manager::default_emoticons() in Moodle 4.5, replaced by
# str_replace anywhere in the HTML (attribute values included), outside
# <script>, <pre> and <span class="nolink...">.
EMOTICONS = (":-)", ":)", ":-D", ";-)", ":-/", "V-.", ":-P", ":-p", "B-)", "^-)", "8-)", ":o)", ":-(", ":(",
             "8-.", ":-I", ":-X", "8-o", "P-|", "8-[", "(grr)", "xx-P", "|-.", "}-]", "(h)", "(heart)", "(y)",
             "(n)", "(martin)", "( )")

# Filters a course of generated content switches off (course/filters.xml):
# activity-name auto-linking and emoticons.
COURSE_OFF = ("activitynames", "emoticon")

# core_media_manager's embeddable markers for the players enabled by default
# (videojs, youtube, vimeo, html5 audio/video): a link to one becomes a player.
MEDIA_LINK = re.compile(r"\.(mp4|m4v|webm|ogv|mov|mp3|ogg|oga|aac|m4a|wav|flac|mpd|m3u8)(\?|#|$)|youtube\.com/|"
                        r"youtu\.be/|vimeo\.com/", re.I)
# filter_urltolink: http(s):// or www. followed by a domain, in text outside <a>.
URL_IN_TEXT = re.compile(r"(?:https?://|(?<!://)\bwww\.)[\w-]+(?:\.[\w-]+)+", re.I)
# filter_mathjaxloader: TeX delimiters $$, \( or \[ anywhere in the text.
TEX = re.compile(r"\$\$|\\[(\[]")
# filter_displayh5p: an http(s) URL ending in .h5p or an H5P embed URL.
H5P = re.compile(r"https?://[^\s\"'<>]*(\.h5p\b|h5p\.(com|org)/)", re.I)


def emoticons_in(text: str) -> list[str]:
    """The emoticon triggers found in a string (a file name, an attribute, HTML)."""
    return [e for e in EMOTICONS if e in (text or "")]


def defuse(name: str) -> str:
    """A file name the emoticon filter leaves alone: each trigger in it loses
    its hyphen (or brackets) for an underscore. Names without a trigger are
    returned unchanged."""
    for trigger in EMOTICONS:
        while trigger in name:
            safe = trigger.replace("-", "_") if "-" in trigger else trigger.replace("(", "_").replace(")", "_")
            name = name.replace(trigger, safe)
    return name


# filter_phrases (activitynames) leaves out what these pairs enclose, then
# every other tag; urltolink leaves out links and nolink spans.
_PHRASE_IGNORE = [(r"<head>", r"</head>"), (r"<nolink>", r"</nolink>"),
                  (r'<span(\s[^>]*?)?class="nolink"(\s[^>]*?)?>', r"</span>"), (r"<script(\s[^>]*?)?>", r"</script>"),
                  (r"<textarea(\s[^>]*?)?>", r"</textarea>"), (r"<select(\s[^>]*?)?>", r"</select>"),
                  (r"<a(\s[^>]*?)?>", r"</a>")]
_URL_IGNORE = [(r"<a\s[^>]+?>", r"</a>"), (r'<span[^>]+?class="nolink"[^>]*?>', r"</span>")]
_TAG = re.compile(r"<[^#%*].*?>", re.S)
_LINK = re.compile(r"<a\s[^>]*href=\"([^\"]*)\"[^>]*>", re.I)
_MEDIA_TAG = re.compile(r"<(video|audio)\b.*?</\1>", re.I | re.S)


def _without(html: str, pairs) -> str:
    for open_tag, close_tag in pairs:
        html = re.sub(open_tag + ".*?" + close_tag, " ", html, flags=re.I | re.S)
    return html


def phrase_text(html: str) -> str:
    """The text filter_phrases searches: the raw HTML (entities as written)
    without its ignored regions and tags."""
    return _TAG.sub(" ", _without(html or "", _PHRASE_IGNORE))


def name_regexp(name: str) -> re.Pattern | None:
    """How filter_phrases matches an activity name: case-insensitive, whole
    words where the name starts or ends with a word character; integers
    under 1000 are never linked."""
    phrase = re.sub(r"<[^>]*>", "", (name or "").strip())
    if not phrase or (phrase.isdigit() and int(phrase) < 1000):
        return None
    body = re.escape(phrase)
    if re.match(r"\w", phrase):
        body = r"\b" + body
    if re.search(r"\w$", phrase):
        body += r"\b"
    return re.compile(body, re.I)


def alterations(html: str, names: dict | None = None, off: tuple = ()) -> list[str]:
    """What the default filters would change in one HTML text, in words.

    names: {activity name: compiled pattern} the activitynames filter would
    link (the caller leaves out the activity that owns the text, labels and
    subsections); off: filters the course switches off."""
    found = []
    html = html or ""
    if "emoticon" not in off:
        for e in emoticons_in(html):
            found.append(f"emoticon filter: {e!r} becomes a smiley")
    for chunk in re.split(r"<[^<|>]*>", _without(html, _URL_IGNORE)):
        for match in URL_IN_TEXT.finditer(chunk):
            found.append(f"urltolink filter: {match.group(0)!r} in the text becomes a link")
    if "activitynames" not in off and names:
        text = phrase_text(html)
        for name, pattern in names.items():
            if pattern is not None and pattern.search(text):
                found.append(f"activitynames filter: {name!r} in the text becomes a link to that activity")
    for href in _LINK.findall(_MEDIA_TAG.sub(" ", html)):
        if MEDIA_LINK.search(href):
            found.append(f"mediaplugin filter: the link to {href!r} becomes a media player")
    if TEX.search(html):
        found.append("mathjaxloader filter: TeX delimiters ($$, \\( or \\[) start MathJax")
    if H5P.search(html):
        found.append("displayh5p filter: an H5P address becomes an embedded H5P player")
    return found

"""The translators' glossary: one PO file per language in locale/glossary/
(msgid the French term, msgstr the term of that language; Weblate and Poedit
read it as it is), and the check that a translation of a text holding a
glossary term uses that language's term.

A glossary entry may admit other forms in its last extracted comment,
`#. Also accepted: form one | form two` (it may wrap over several `#.`
lines); its source goes in the `#.` lines before. Matching is word by word, case- and accent-insensitive, and tolerant
of inflection: each word of a term matches a word that starts with its stem
(the word less a final vowel) and is at most a few letters longer (more in
Hungarian, which adds suffixes). It is a warning, never an error: a
translator may have a reason.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import Problem
from ..text import file_lines
from . import catalog, urls

ALSO = re.compile(r"^\s*also accepted\s*:(.*)", re.I | re.M | re.S)
WORD = re.compile(r"\w+(?:·\w+)*", re.U)             # l·l stays one word
HYPHENATED = re.compile(r"\w+(?:[-·]\w+)*", re.U)      # for terms written with a hyphen
TAG = re.compile(r"<[^>]*>")
VOWELS = set("aeiouy")
SLACK = {"hu": 9}          # letters a word may add to a term's stem (Hungarian stacks suffixes)
DEFAULT_SLACK = 4
HU_CUT = 3                 # Hungarian: suffixes also change the end of the stem (-ák, -ait)


@dataclass
class Term:
    source: str
    target: str
    also: list = field(default_factory=list)
    line: int = 0

    @property
    def forms(self) -> list[str]:
        return [self.target] + self.also


@dataclass
class Glossary:
    lang: str
    label: str
    terms: list = field(default_factory=list)


def glossary_dir(root: Path) -> Path:
    return Path(root) / "locale" / "glossary"


def load(root: Path) -> dict[str, Glossary]:
    """Every glossary file under locale/glossary/ (InputError on a bad one)."""
    result = {}
    folder = glossary_dir(root)
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        label = catalog.shown(root, path)
        po = catalog.read_po(path, label)
        lines = file_lines(path.read_text("utf-8"))
        g = Glossary(path.stem, label)
        for e in po:
            if e.obsolete or not e.msgid or not e.msgstr:
                continue
            m = ALSO.search(e.comment or "")
            also = [x.strip() for x in " ".join(m.group(1).split()).split("|") if x.strip()] if m else []
            g.terms.append(Term(e.msgid, e.msgstr, also, _msgid_line(lines, e.linenum)))
        result[g.lang] = g
    return result


def _msgid_line(lines: list[str], first: int) -> int:
    """The line of an entry's msgid (polib gives the entry's first comment line)."""
    for n in range(max(first - 1, 0), len(lines)):
        if lines[n].startswith("msgid"):
            return n + 1
    return first


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=None)
def plain(text: str) -> str:
    """A text with tags and entities removed, folded."""
    return _fold(html.unescape(TAG.sub(" ", text)))


@lru_cache(maxsize=None)
def words(text: str, hyphenated: bool = False) -> tuple:
    return tuple((HYPHENATED if hyphenated else WORD).findall(plain(text)))


def _stem(word: str, lang: str) -> str:
    if lang == "hu" and len(word) > 6:
        return word[:max(5, len(word) - HU_CUT)]
    return word[:-1] if len(word) > 4 and word[-1] in VOWELS else word


def _match_word(term_word: str, word: str, lang: str) -> bool:
    if len(term_word) <= 3:
        return word == term_word
    stem = _stem(term_word, lang)
    return word.startswith(stem) and len(word) - len(stem) <= SLACK.get(lang, DEFAULT_SLACK)


def contains(text: str, term: str, lang: str = "fr") -> bool:
    """Whether `text` holds `term` (word by word, inflections allowed). A
    term written with a hyphen ("aller-vers") wants the hyphen; other terms
    match inside hyphenated words ("NEET" in "NEET-fiatalok")."""
    hyphenated = "-" in term
    want = words(term, hyphenated)
    if not want or _stem(want[0], lang) not in plain(text):
        return False                        # the common case, decided without splitting the text
    have = words(text, hyphenated)
    n = len(want)
    for i in range(len(have) - n + 1) if want else ():
        if all(_match_word(w, have[i + k], lang) for k, w in enumerate(want)):
            return True
    return False


def check(glossaries: dict, translations: dict) -> list[Problem]:
    """Warnings: a translated entry whose source holds a glossary term but
    whose translation uses none of that term's accepted forms."""
    found = []
    held: dict[str, frozenset] = {}     # source text -> the French terms it holds, for every language
    all_terms = {term.source for g in glossaries.values() for term in g.terms}
    for lang, t in sorted(translations.items()):
        g = glossaries.get(lang)
        if g is None:
            continue
        for (ctx, msgid), msgstr in t.strings.items():
            if urls.is_url_field(ctx or ""):
                continue
            if msgid not in held:
                held[msgid] = frozenset(x for x in all_terms if contains(msgid, x))
            for term in g.terms:
                if term.source not in held[msgid] or any(contains(msgstr, f, lang) for f in term.forms):
                    continue
                forms = " | ".join(term.forms)
                found.append(Problem(t.label, t.lines.get((ctx, msgid), 0), 0,
                                     f"glossary: the source says «{term.source}», the {lang} glossary "
                                     f"({g.label}:{term.line}) says «{forms}»; the translation uses none of them",
                                     ctx or "", "use the glossary's term, or add the form used here to "
                                     "the entry's 'Also accepted' line if it is right"))
    plain.cache_clear()
    words.cache_clear()
    return found

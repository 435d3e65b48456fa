"""Web addresses are translatable: each edition may link to the page in its
own language.

This module holds the translator note of URL fields, the check that a
translated address is still a plain web address, and the language schemes of
the EU sites the course links to, learnt from the sites' own public pages:

- EUR-Lex: `/legal-content/FR/TXT/?uri=CELEX:...` (upper-case code in the
  path; `from=FR` and `locale=fr` in the query), 24 official languages
  (eur-lex.europa.eu/content/help/data-reuse/linking.html);
- the Commission's employment portal: `ec.europa.eu/social/main.jsp?...&langId=fr`;
- Eurostat's pages: `ec.europa.eu/eurostat/fr/...`, in English, French and
  German only (Statistics Explained articles are English: no scheme);
- the europa.eu sites of the Commission's web presence (commission.europa.eu,
  eures.europa.eu, older ec.europa.eu pages): a `_fr` suffix on the last path
  segment (`eures.europa.eu/index_fr`, `.../help-and-support_fr`);
  the JRC's site uses the same suffix but publishes in English only;
- EPALE (`epale.ec.europa.eu/fr/...`), Europass (`europa.eu/europass/fr/...`)
  and Kohesio (`kohesio.ec.europa.eu/fr/...`): the code as first segment;
- SEPE (`sepe.es/HomeSepe/ca/...`; no code is the Spanish page).

Nothing here goes to the network.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..errors import Problem

URL_FIELDS = frozenset({"url", "link-url", "contact-url", "video-url"})
NOTE = ("Web address: give the address of this page in your language if the site has one, "
        "or keep the address as it is.")
WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"]+$")

EU = frozenset("bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv".split())
EUROPASS = EU | {"is", "no", "mk", "sr", "tr"}
# Languages no EU site has: the edition links to this language's pages instead.
FALLBACK = {"ca": "es"}


@dataclass(frozen=True)
class Site:
    name: str
    languages: frozenset
    get: Callable[[object], Optional[str]]        # the language of a split URL, or None
    put: Callable[[object, str], object]          # the split URL in another language


def _query_param(name: str, upper: bool = False):
    def get(u):
        for key, value in parse_qsl(u.query, keep_blank_values=True):
            if key == name:
                return value.lower()
        return None

    def put(u, lang):
        code = lang.upper() if upper else lang
        pairs = [(k, code if k == name else v) for k, v in parse_qsl(u.query, keep_blank_values=True)]
        return u._replace(query=urlencode(pairs, safe=":()/,"))
    return get, put


def _segment(index: int, upper: bool = False, pattern: str = r"[a-z]{2}"):
    """The language as the index-th path segment (0 = first)."""
    def get(u):
        parts = u.path.split("/")[1:]
        if len(parts) > index and re.fullmatch(pattern, parts[index], re.I):
            return parts[index].lower()
        return None

    def put(u, lang):
        parts = u.path.split("/")
        parts[index + 1] = lang.upper() if upper else lang
        return u._replace(path="/".join(parts))
    return get, put


_SUFFIX = re.compile(r"_([a-z]{2})(\.html?)?$")


def _suffix_get(u):
    m = _SUFFIX.search(u.path)
    return m.group(1) if m and m.group(1) in EU else None


def _suffix_put(u, lang):
    return u._replace(path=_SUFFIX.sub(lambda m: f"_{lang}{m.group(2) or ''}", u.path))


def _eurlex_put(u, lang):
    u = _segment(1, upper=True)[1](u, lang)
    for name, upper in (("from", True), ("locale", False)):
        get, put = _query_param(name, upper)
        if get(u):
            u = put(u, lang)
    return u


def _sepe_get(u):
    parts = u.path.split("/")
    if len(parts) > 2 and parts[1] == "HomeSepe":
        return parts[2] if parts[2] in ("ca", "gl", "eu", "va", "en") else "es"
    return None


def _sepe_put(u, lang):
    parts = u.path.split("/")
    if _sepe_get(u) != "es":
        del parts[2]
    if lang != "es":
        parts.insert(2, lang)
    return u._replace(path="/".join(parts))


def site_of(url: str) -> Optional[Site]:
    """The language scheme of `url`'s site, if this module knows it."""
    u = urlsplit(url)
    host, path = (u.hostname or "").lower(), u.path
    if host in ("eur-lex.europa.eu", "eurlex.europa.eu") and path.startswith("/legal-content/"):
        return Site("EUR-Lex", EU, _segment(1, upper=True)[0], _eurlex_put)
    if host == "ec.europa.eu" and path.startswith("/social/"):
        return Site("the Commission's employment portal", EU, *_query_param("langId"))
    if host == "ec.europa.eu" and re.match(r"^/eurostat/[a-z]{2}/", path):
        get, put = _segment(1)
        return Site("Eurostat", frozenset({"en", "fr", "de"}), get, put)
    if host == "epale.ec.europa.eu":
        return Site("EPALE", EU, *_segment(0))
    if host == "kohesio.ec.europa.eu":
        return Site("Kohesio", EU, *_segment(0))
    if host == "europa.eu" and path.startswith("/europass/"):
        return Site("Europass", EUROPASS, *_segment(1))
    if host == "europass.europa.eu":
        return Site("Europass", EUROPASS, *_segment(0))
    if host in ("sepe.es", "www.sepe.es"):
        return Site("SEPE", frozenset({"es", "ca", "gl", "eu", "en"}), _sepe_get, _sepe_put)
    if host.endswith("europa.eu") and _suffix_get(u):
        only_en = host == "joint-research-centre.ec.europa.eu"
        return Site(host, frozenset({"en"}) if only_en else EU, _suffix_get, _suffix_put)
    return None


def language_of(url: str) -> Optional[str]:
    site = site_of(url)
    return site.get(urlsplit(url)) if site else None


def wanted_language(site: Site, lang: str) -> Optional[str]:
    """The language the edition in `lang` should link to on `site`, if any."""
    if lang in site.languages:
        return lang
    fallback = FALLBACK.get(lang)
    return fallback if fallback in site.languages else None


def localise_url(url: str, lang: str) -> str:
    """`url` in the edition's language where the site's scheme allows it, else `url`."""
    site = site_of(url)
    if site is None or site.get(urlsplit(url)) is None:
        return url
    wanted = wanted_language(site, lang)
    return urlunsplit(site.put(urlsplit(url), wanted)) if wanted else url


def language_problem(url: str, lang: str) -> Optional[tuple[str, str]]:
    """(message, fix) when the edition in `lang` links to another language's page."""
    site = site_of(url)
    if site is None:
        return None
    found = site.get(urlsplit(url))
    wanted = wanted_language(site, lang)
    if found is None or wanted is None or found == wanted:
        return None
    better = urlunsplit(site.put(urlsplit(url), wanted))
    return (f"the {lang} edition links to the {found} page of {site.name}: {url}",
            f"use {better}")


def is_url_field(context: str) -> bool:
    return context.rsplit(":", 1)[-1] in URL_FIELDS


def translation_problems(po, label: str, lines: list[str]) -> list[Problem]:
    """A translated address must stay a plain http(s) address (errors)."""
    from .catalog import msgstr_line
    found = []
    for entry in po:
        if entry.obsolete or not entry.msgstr or not is_url_field(entry.msgctxt or ""):
            continue
        if not WEB_ADDRESS.match(entry.msgstr):
            found.append(Problem(label, msgstr_line(lines, entry), 0,
                                 f"translation refused: {entry.msgstr[:60]!r} is not a web address",
                                 entry.msgctxt or "",
                                 "write a full address starting with https:// (or keep the source address)"))
    return found


def edition_warnings(course, translations: dict) -> list[Problem]:
    """Every URL an edition would open that points at another language's page."""
    from .walk import fields
    found = []
    urls = [f for f in fields(course) if is_url_field(f.context)]
    for lang in course.languages:
        t = translations.get(lang)
        for f in urls:
            url, where, line = f.value, getattr(f.obj, "src", None), 0
            label = where.file if where else ""
            line = where.line(f.name) if where else 0
            if lang != course.source_language:
                if t is None or (f.context, f.value) not in t.strings:
                    continue        # untranslated: reported by the build
                url = t.strings[(f.context, f.value)]
                label, line = t.label, t.lines.get((f.context, f.value), 0)
            problem = language_problem(url, lang)
            if problem:
                found.append(Problem(label, line, 0, problem[0], f.context, problem[1]))
    return found


def prefill(po, lang: str) -> int:
    """Fill untranslated or fuzzy URL entries with the rule-based address for
    `lang` (the same address where no scheme applies); returns how many."""
    filled = 0
    for entry in po:
        if entry.obsolete or not is_url_field(entry.msgctxt or ""):
            continue
        if entry.msgstr and "fuzzy" not in entry.flags:
            continue
        entry.msgstr = localise_url(entry.msgid, lang)
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = None
        filled += 1
    return filled

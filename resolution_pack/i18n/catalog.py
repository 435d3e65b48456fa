"""PO files: read them safely, merge a template into them, count them."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib

from .. import atomic
from ..errors import InputError, Problem
from ..languages import english_name, plural_forms
from ..text import file_lines
from . import markup

# gettext's template values and empty ones: not a translator's
PLACEHOLDERS = {"", "YEAR-MO-DA HO:MI+ZONE", "FULL NAME <EMAIL@ADDRESS>", "LANGUAGE <LL@li.org>", "none"}
MAX_PO_BYTES = 256 * 1024 * 1024  # a 100x course has 50 MB catalogues


def po_path(root: Path, lang: str) -> Path:
    return Path(root) / "locale" / f"{lang}.po"


def shown(root: Path, path: Path) -> str:
    try:
        return str(Path(path).relative_to(Path(root).parent))
    except ValueError:
        return str(path)


def read_po(path: Path, label: str) -> polib.POFile:
    """Parse a PO file, or raise InputError naming the file and line."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(Problem(label, 0, 0, f"cannot read the file: {exc.strerror}")) from None
    if size > MAX_PO_BYTES:
        raise InputError(Problem(label, 0, 0, f"file is too large ({size:,} bytes)"))
    raw = path.read_bytes()
    head = raw[:4096].decode("ascii", "replace")
    match = re.search(r"charset=([A-Za-z0-9_.:-]+)", head)
    if match and match.group(1).lower().replace("-", "") not in ("utf8",):
        line = head[: match.start()].count("\n") + 1
        raise InputError(Problem(label, line, 0, f"the charset header says '{match.group(1)}'; PO files must be UTF-8",
                                 fix='convert the file to UTF-8 and write "Content-Type: text/plain; charset=UTF-8\\n"'))
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Problem(label, line, 0, "the file is not valid UTF-8", fix="save it as UTF-8")) from None
    text = raw.decode("utf-8")
    bad = _unterminated_string(text)
    if bad:
        raise InputError(Problem(label, bad, 0, "PO syntax error: a string is not closed (or has text after its closing quote)",
                                 fix='close the string with " (a quote inside it is written \\")'))
    try:
        # polib splits a string argument with str.splitlines(), which also breaks lines at \x1c-\x1e,
        # \x85, U+2028 and U+2029 (then a control character is lost, not refused): give it the file
        return polib.pofile(str(path), encoding="utf-8", wrapwidth=78)
    except (OSError, ValueError) as exc:
        text = str(exc)
        m = re.search(r"line (\d+)", text)
        line = int(m.group(1)) if m else 0
        text = re.sub(r"\s*\(line \d+\)", "", text).replace("in po file", "").replace(str(path), "").strip()
        raise InputError(Problem(label, line, 0, f"PO syntax error: {text}",
                                 fix="check the quotes and keywords (msgctxt, msgid, msgstr) around that line")) from None


_KEYWORD = re.compile(r"(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+(.*)")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
# the shape of nearly every line with a quote: certainly closed, and found
# by one match instead of the steps below (a fifth of reading the file)
_CLOSED = re.compile(r'[ \t]*(?:#[~|][ \t]*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?'
                     r'"[^"\\]*(?:\\.[^"\\]*)*"[ \t]*')


def _unterminated_string(text: str) -> int:
    """The first line whose quoted string is not closed (polib would cut
    its last character off and read on), or 0."""
    for number, line in enumerate(file_lines(text), 1):
        if '"' in line and not _CLOSED.fullmatch(line) and not_closed(line):
            return number
    return 0


def not_closed(line: str) -> bool:
    """A line of a PO file whose quoted string is not closed, or has text after it."""
    s = line.strip()
    if s.startswith(("#~", "#|")):
        s = s[2:].strip()
    elif s.startswith("#") or not s:
        return False
    keyword = _KEYWORD.fullmatch(s)
    rest = keyword.group(3) if keyword else s
    return rest.startswith('"') and not _STRING.fullmatch(rest.rstrip())


def msgstr_line(lines: list[str], entry: polib.POEntry) -> int:
    """The line of an entry's msgstr (polib gives the entry's first line)."""
    start = max(entry.linenum - 1, 0)
    for n in range(start, min(start + 200, len(lines))):
        if lines[n].startswith(("msgstr", "#~ msgstr")):
            return n + 1
    return entry.linenum


def check_catalog(po: polib.POFile, label: str, rich_contexts: set[str] | None,
                  lines: list[str]) -> list[Problem]:
    """Markup and plural checks on every translated entry of a PO file
    (`lines`: the file's own lines; polib's re-written text has others)."""
    found = []
    for entry in po:
        if entry.obsolete or not entry.msgstr and not entry.msgstr_plural:
            continue
        if entry.msgid_plural:
            found.append(Problem(label, entry.linenum, 0, "plural entries are not used by course sources",
                                 entry.msgctxt or "", "remove the entry (msgid_plural)"))
            continue
        rich = rich_contexts is None or (entry.msgctxt, entry.msgid) in rich_contexts
        for problem in markup.problems(entry.msgid, entry.msgstr, rich):
            found.append(Problem(label, msgstr_line(lines, entry), 0, f"translation refused: {problem}",
                                 entry.msgctxt or "", _fix(problem)))
    return found


def _fix(problem: str) -> str:
    if problem.startswith("control characters"):
        return "remove the control characters (an editor shows them as boxes or ^ signs)"
    if "marker of Moodle backups" in problem:
        return "write the address or text without the $@...@$ or @@...@@ marker"
    return "keep exactly the markup and placeholders of the source string"


# ---------------------------------------------------------------------------

def merge(pot: polib.POFile, old: polib.POFile | None, lang: str) -> polib.POFile:
    """Like msgmerge: keep translations, mark changed strings fuzzy, keep
    removed ones as obsolete."""
    new = polib.POFile(wrapwidth=78)
    new.header = old.header if old is not None and old.header else f"{english_name(lang)} translation of the course."
    metadata = dict(pot.metadata)
    # a translator's tool writes these: kept; until then, real values (msgfmt --check warns on placeholders)
    metadata["PO-Revision-Date"] = metadata.get("POT-Creation-Date", "")
    metadata["Language-Team"] = english_name(lang)
    if old is not None:
        for key in ("PO-Revision-Date", "Last-Translator", "Language-Team"):
            if old.metadata.get(key, "").strip() not in PLACEHOLDERS:
                metadata[key] = old.metadata[key]
    metadata["Language"] = lang
    metadata["Plural-Forms"] = (old.metadata.get("Plural-Forms") if old is not None else None) \
        or plural_forms(lang)
    new.metadata = metadata
    exact, by_ctx, by_id = {}, {}, {}
    if old is not None:
        for e in (e for e in old if not e.obsolete):
            exact.setdefault((e.msgctxt, e.msgid), e)
            if e.msgstr:  # only a translation can seed a fuzzy match
                by_ctx.setdefault(e.msgctxt, []).append(e)
                by_id.setdefault(e.msgid, e)
    used = set()
    for t in pot:
        entry = polib.POEntry(msgctxt=t.msgctxt, msgid=t.msgid, msgstr="", occurrences=list(t.occurrences),
                              comment=t.comment, flags=[])
        match = exact.get((t.msgctxt, t.msgid))
        if match is not None:
            entry.msgstr = match.msgstr
            entry.flags = [f for f in match.flags if f == "fuzzy"]
            entry.tcomment = match.tcomment
            if "fuzzy" in entry.flags:
                entry.previous_msgid = match.previous_msgid
            used.add(id(match))
        else:
            candidate = _similar(by_ctx.get(t.msgctxt, []), t.msgid) or by_id.get(t.msgid)
            if candidate is not None:
                entry.msgstr = candidate.msgstr
                entry.flags = ["fuzzy"]
                entry.previous_msgid = candidate.msgid
                entry.tcomment = candidate.tcomment
                if candidate.msgctxt == t.msgctxt:
                    used.add(id(candidate))
        new.append(entry)
    if old is not None:
        current = {(t.msgctxt, t.msgid) for t in pot}
        for e in old:
            if id(e) in used or (e.msgctxt, e.msgid) in current:
                continue
            if not e.msgstr:
                continue
            gone = polib.POEntry(msgctxt=e.msgctxt, msgid=e.msgid, msgstr=e.msgstr, obsolete=True,
                                 tcomment=e.tcomment)
            new.append(gone)
    return new


def _similar(candidates, msgid: str):
    """The old entry of the same context most like the new text, if any."""
    import difflib
    best, best_ratio = None, 0.0
    for c in candidates:
        ratio = difflib.SequenceMatcher(None, c.msgid, msgid).ratio()
        if ratio > best_ratio:
            best, best_ratio = c, ratio
    return best if best_ratio >= 0.5 else None


def write_po(po: polib.POFile, path: Path) -> bool:
    return atomic.write_text_if_changed(path, str(po) + "\n")


@dataclass
class Stats:
    lang: str
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def stats(po: polib.POFile, lang: str, wanted: set | None = None) -> Stats:
    """Count a PO file against the template's entries (`wanted` keys)."""
    translated = fuzzy = untranslated = obsolete = 0
    seen = set()
    for e in po:
        if e.obsolete:
            obsolete += 1
            continue
        key = (e.msgctxt, e.msgid)
        if wanted is not None and key not in wanted:
            continue
        seen.add(key)
        if "fuzzy" in e.flags:
            fuzzy += 1
        elif e.msgstr:
            translated += 1
        else:
            untranslated += 1
    if wanted is not None:
        untranslated += len(wanted - seen)
    return Stats(lang, translated, fuzzy, untranslated, obsolete)

"""PO files, table-driven: each refusal as the whole Problem (file, line,
column, message, path, fix), the line of a msgstr, the catalogue checks,
and merging and counting details that test_merge.py leaves open."""
import polib
from hypothesis import given, settings, strategies as st
import pytest

from resolution_pack.errors import InputError, Problem
from resolution_pack.i18n import catalog

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
LABEL = "locale/en.po"
NOT_CLOSED = "PO syntax error: a string is not closed (or has text after its closing quote)"
CLOSE_IT = 'close the string with " (a quote inside it is written \\")'
SYNTAX_FIX = "check the quotes and keywords (msgctxt, msgid, msgstr) around that line"


def write(tmp_path, text: str | bytes):
    path = tmp_path / "en.po"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def refusal(tmp_path, text):
    with pytest.raises(InputError) as info:
        catalog.read_po(write(tmp_path, text), LABEL)
    return info.value.problems


@pytest.mark.parametrize("text, problem", [
    (HEADER.replace("UTF-8", "latin1") + 'msgid "a"\nmsgstr "b"\n',
     Problem(LABEL, 3, 0, "the charset header says 'latin1'; PO files must be UTF-8",
             fix='convert the file to UTF-8 and write "Content-Type: text/plain; charset=UTF-8\\n"')),
    (HEADER.encode() + b'msgid "a"\nmsgstr "caf\xe9"\n',
     Problem(LABEL, 7, 0, "the file is not valid UTF-8", fix="save it as UTF-8")),
    (HEADER + 'msgid "a"\nmsgstr "open\n', Problem(LABEL, 7, 0, NOT_CLOSED, fix=CLOSE_IT)),
    (HEADER + 'msgid "a"\nmsgstr "b"\n\n#| msgid "previous\nmsgid "c"\nmsgstr "d"\n',
     Problem(LABEL, 9, 0, NOT_CLOSED, fix=CLOSE_IT)),
    (HEADER + '#~msgid "old\n', Problem(LABEL, 6, 0, NOT_CLOSED, fix=CLOSE_IT)),
    (HEADER + 'msgid "a"\nmsgstr "b"\nmsgfoo "c"\n', Problem(LABEL, 8, 0, "PO syntax error: Syntax error", fix=SYNTAX_FIX)),
    (HEADER + 'garbage\n', Problem(LABEL, 6, 0, "PO syntax error: Syntax error", fix=SYNTAX_FIX)),
], ids=["charset", "utf-8", "msgstr open", "previous msgid open", "obsolete without space", "unknown keyword",
        "no keyword"])
def test_read_po_refusals_whole(tmp_path, text, problem):
    assert refusal(tmp_path, text) == [problem]


def test_read_po_missing_and_too_large_whole(tmp_path, monkeypatch):
    with pytest.raises(InputError) as info:
        catalog.read_po(tmp_path / "none.po", LABEL)
    assert info.value.problems == [Problem(LABEL, 0, 0, "cannot read the file: No such file or directory")]
    path = write(tmp_path, HEADER + 'msgid "a"\nmsgstr "b"\n')
    size = path.stat().st_size
    monkeypatch.setattr(catalog, "MAX_PO_BYTES", size)
    assert [(e.msgid, e.msgstr) for e in catalog.read_po(path, LABEL)] == [("a", "b")]   # the limit itself is allowed
    monkeypatch.setattr(catalog, "MAX_PO_BYTES", size - 1)
    with pytest.raises(InputError) as info:
        catalog.read_po(path, LABEL)
    assert info.value.problems == [Problem(LABEL, 0, 0, f"file is too large ({size:,} bytes)")]


def test_read_po_accepts_trailing_white_space_after_a_string(tmp_path):
    po = catalog.read_po(write(tmp_path, HEADER + 'msgid "a"   \nmsgstr "b"\t\n'), LABEL)
    assert [(e.msgid, e.msgstr) for e in po] == [("a", "b")]


def test_a_catalogue_read_is_written_back_wrapped_at_78_columns(tmp_path):
    words = "a" * 67 + " bb"   # 'msgstr "' + 70 + '"' is 79 columns: wrapped
    po = catalog.read_po(write(tmp_path, HEADER + f'msgid "k"\nmsgstr "{words}"\n'), LABEL)
    assert str(po).splitlines()[-2:] == ['msgstr ""', f'"{words}"']
    short = "w" * 69   # 78 columns: one line
    po = catalog.read_po(write(tmp_path, HEADER + f'msgid "k"\nmsgstr "{short}"\n'), LABEL)
    assert str(po).splitlines()[-1] == f'msgstr "{short}"'


class Entry:
    def __init__(self, linenum):
        self.linenum = linenum


@pytest.mark.parametrize("lines, linenum, expected", [
    (['msgid "a"', 'msgstr "b"'], 1, 2),
    (['msgctxt "c"', 'msgid "a"', 'msgstr ""', '"b"'], 1, 3),
    (['msgstr "before"', 'msgid "a"', 'msgstr "b"'], 2, 3),
    (['#~ msgid "a"', '#~ msgstr "b"'], 1, 2),
    (['msgstr ""'], 0, 1),
    (['msgid "a"'] + ['"..."'] * 198 + ['msgstr "b"'], 1, 200),
    (['msgid "a"'] + ['"..."'] * 199 + ['msgstr "b"'], 1, 1),
    (['msgid "a"', '"b"'], 1, 1),
], ids=["next line", "after a context and msgid", "not the one before", "obsolete", "line 0",
        "200 lines on", "201 lines on: the entry's line", "none: the entry's line"])
def test_msgstr_line(lines, linenum, expected):
    assert catalog.msgstr_line(lines, Entry(linenum)) == expected


KEEP = "keep exactly the markup and placeholders of the source string"


def test_check_catalog_every_entry_whole_problems(tmp_path):
    text = HEADER + ('msgctxt "a:t"\nmsgid "x"\nmsgstr ""\n\n'
                     '#~ msgctxt "o:t"\n#~ msgid "o"\n#~ msgstr "<b>o</b>"\n\n'
                     'msgctxt "c:n"\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "des"\n\n'
                     'msgctxt "b:text"\nmsgid "Un <em>mot</em>"\nmsgstr "A <em>word</em>"\n\n'
                     'msgid "no context"\nmsgstr "<i>none</i>"\n\n'
                     'msgctxt "d:t"\nmsgid "plain"\nmsgstr "<b>bold</b>"\n')
    po = catalog.read_po(write(tmp_path, text), LABEL)
    found = catalog.check_catalog(po, LABEL, {("b:text", "Un <em>mot</em>")}, text.splitlines())
    assert found == [
        Problem(LABEL, 14, 0, "plural entries are not used by course sources", "c:n", "remove the entry (msgid_plural)"),
        Problem(LABEL, 25, 0, "translation refused: markup in a plain-text string", "", KEEP),
        Problem(LABEL, 25, 0, "translation refused: tags added: <i>", "", KEEP),
        Problem(LABEL, 29, 0, "translation refused: markup in a plain-text string", "d:t", KEEP),
        Problem(LABEL, 29, 0, "translation refused: tags added: <b>", "d:t", KEEP),
    ]


def test_check_catalog_rich_contexts_none_means_every_entry_is_rich(tmp_path):
    text = HEADER + ('msgctxt "a:t"\nmsgid "Un <em>mot</em>"\nmsgstr "A <em>word</em>"\n\n'
                     'msgctxt "b:t"\nmsgid "plain"\nmsgstr "<b>bold</b>"\n')
    po = catalog.read_po(write(tmp_path, text), LABEL)
    assert catalog.check_catalog(po, LABEL, None, text.splitlines()) == [
        Problem(LABEL, 12, 0, "translation refused: tags added: <b>", "b:t", KEEP)]
    assert catalog.check_catalog(po, LABEL, set(), text.splitlines()) == [
        Problem(LABEL, 12, 0, "translation refused: markup in a plain-text string", "b:t", KEEP),
        Problem(LABEL, 12, 0, "translation refused: tags added: <b>", "b:t", KEEP)]
    assert catalog.check_catalog(po, LABEL, {("b:t", "plain")}, text.splitlines()) == [
        Problem(LABEL, 12, 0, "translation refused: tags added: <b>", "b:t", KEEP)]


# -- merging: what test_merge.py's table does not pin ------------------------

def pot(*entries, metadata=None):
    po = polib.POFile()
    po.metadata = metadata if metadata is not None else {"POT-Creation-Date": "2026-01-01 00:00+0000"}
    for ctx, msgid, *rest in entries:
        po.append(polib.POEntry(msgctxt=ctx, msgid=msgid, msgstr="", occurrences=[("s.yaml", "3"), ("t.yaml", "4")],
                                comment=rest[0] if rest else ""))
    return po


def old_po(*entries, header=""):
    po = polib.POFile()
    po.header = header
    for ctx, msgid, msgstr, flags, tcomment, previous in entries:
        po.append(polib.POEntry(msgctxt=ctx, msgid=msgid, msgstr=msgstr, flags=list(flags), tcomment=tcomment,
                                previous_msgid=previous))
    return po


def full(po):
    return [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.previous_msgid, e.tcomment, e.comment, e.occurrences,
             e.obsolete) for e in po]


PLACES = [("s.yaml", "3"), ("t.yaml", "4")]

MERGE_CASES = [
    ("template comments and places are copied; the translator's comment is kept",
     pot(("a:t", "Bonjour", "HTML: keep the tags.")),
     old_po(("a:t", "Bonjour", "Hello", [], "checked by Ana", None)),
     [("a:t", "Bonjour", "Hello", [], None, "checked by Ana", "HTML: keep the tags.", PLACES, False)]),
    ("an exact fuzzy match keeps its previous text; a translated one loses a stale one",
     pot(("a:t", "Bonjour"), ("b:t", "Salut")),
     old_po(("a:t", "Bonjour", "Hello", ["fuzzy"], "", "Bonjour!"), ("b:t", "Salut", "Hi", [], "", "Salut!")),
     [("a:t", "Bonjour", "Hello", ["fuzzy"], "Bonjour!", "", "", PLACES, False),
      ("b:t", "Salut", "Hi", [], None, "", "", PLACES, False)]),
    ("other flags are dropped, fuzzy is kept",
     pot(("a:t", "Bonjour")), old_po(("a:t", "Bonjour", "Hello", ["python-format", "fuzzy"], "", None)),
     [("a:t", "Bonjour", "Hello", ["fuzzy"], None, "", "", PLACES, False)]),
    ("a fuzzy match brings the translator's comment",
     pot(("a:t", "Bonjour à tous")), old_po(("a:t", "Bonjour à toi", "Hello you", [], "note", None)),
     [("a:t", "Bonjour à tous", "Hello you", ["fuzzy"], "Bonjour à toi", "note", "", PLACES, False)]),
    ("obsolete entries keep the translator's comment; an untranslated one before them stops nothing",
     pot(("a:t", "Bonjour")),
     old_po(("a:t", "Bonjour", "Hello", [], "", None), ("c:t", "Rien", "", [], "", None),
            ("b:t", "Au revoir", "Bye", [], "old note", None), ("d:t", "Merci", "Thanks", [], "", None)),
     [("a:t", "Bonjour", "Hello", [], None, "", "", PLACES, False),
      ("b:t", "Au revoir", "Bye", [], None, "old note", "", [], True),
      ("d:t", "Merci", "Thanks", [], None, "", "", [], True)]),
    ("of equally similar old texts the first wins",
     pot(("a:t", "abcd")), old_po(("a:t", "abcx", "first", [], "", None), ("a:t", "abcy", "second", [], "", None)),
     [("a:t", "abcd", "first", ["fuzzy"], "abcx", "", "", PLACES, False),
      ("a:t", "abcy", "second", [], None, "", "", [], True)]),
    ("half alike (ratio 0.5) is still a fuzzy match",
     pot(("a:t", "abcd")), old_po(("a:t", "abxy", "half", [], "", None)),
     [("a:t", "abcd", "half", ["fuzzy"], "abxy", "", "", PLACES, False)]),
    ("less than half alike is none",
     pot(("a:t", "abcde")), old_po(("a:t", "abxyz", "less", [], "", None)),
     [("a:t", "abcde", "", [], None, "", "", PLACES, False), ("a:t", "abxyz", "less", [], None, "", "", [], True)]),
    ("no old catalogue",
     pot(("a:t", "Bonjour")), None,
     [("a:t", "Bonjour", "", [], None, "", "", PLACES, False)]),
]


@pytest.mark.parametrize("name, template, previous, expected", MERGE_CASES, ids=[c[0] for c in MERGE_CASES])
def test_merge_whole_entries(name, template, previous, expected):
    assert full(catalog.merge(template, previous, "en")) == expected


def test_merge_ignores_obsolete_old_entries():
    previous = old_po(("a:t", "Bonjour", "Hello", [], "", None))
    previous[0].obsolete = True
    assert full(catalog.merge(pot(("a:t", "Bonjour")), previous, "en")) == [
        ("a:t", "Bonjour", "", [], None, "", "", PLACES, False)]


def test_merge_header_and_dates():
    assert catalog.merge(pot(), old_po(header="Traduction de Ana."), "en").header == "Traduction de Ana."
    assert catalog.merge(pot(), old_po(header=""), "hu").header == "Hungarian translation of the course."
    new = catalog.merge(pot(), None, "en")
    assert new.metadata == {"POT-Creation-Date": "2026-01-01 00:00+0000", "PO-Revision-Date": "2026-01-01 00:00+0000",
                            "Language-Team": "English", "Language": "en", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    assert catalog.merge(pot(metadata={}), None, "en").metadata["PO-Revision-Date"] == ""


def test_merged_file_text_wraps_at_78_columns():
    long = "x" * 35 + " " + "y" * 35   # 'msgid "' + 71 + '"' is 79: wrapped
    text = str(catalog.merge(pot(("a:t", long)), None, "en"))
    assert text.splitlines()[-4:] == ['msgctxt "a:t"', 'msgid ""', f'"{long}"', 'msgstr ""']


@pytest.mark.parametrize("entries, wanted, expected", [
    ([("a", "x", "X"), ("b", "y", "Y"), ("c", "z", "Z")], None, (3, 0, 0, 0)),
    ([("a", "x", "X", "fuzzy"), ("b", "y", "Y", "fuzzy"), ("c", "z", "")], None, (0, 2, 1, 0)),
    ([("a", "x", ""), ("b", "y", "")], None, (0, 0, 2, 0)),
    ([("o1", "x", "X", "obsolete"), ("o2", "y", "Y", "obsolete"), ("o3", "z", "Z", "obsolete"), ("a", "w", "W")],
     None, (1, 0, 0, 3)),
    ([("gone", "g", "G"), ("a", "x", "X"), ("b", "y", "Y")], {("a", "x"), ("b", "y")}, (2, 0, 0, 0)),
    ([("a", "x", "")], {("a", "x"), ("b", "y"), ("c", "z")}, (0, 0, 3, 0)),
    ([("a", "x", "", "fuzzy")], None, (0, 1, 0, 0)),
])
def test_stats_counts_exactly(entries, wanted, expected):
    po = polib.POFile()
    for ctx, msgid, msgstr, *flags in entries:
        entry = polib.POEntry(msgctxt=ctx, msgid=msgid, msgstr=msgstr, flags=[f for f in flags if f == "fuzzy"])
        entry.obsolete = "obsolete" in flags
        po.append(entry)
    s = catalog.stats(po, "en", wanted)
    assert (s.lang, s.translated, s.fuzzy, s.untranslated, s.obsolete) == ("en",) + expected
    assert s.total == sum(expected[:3])


@pytest.mark.parametrize("counts, percent", [((3, 1, 0), 75.0), ((0, 0, 0), 100.0), ((1, 0, 2), 100 / 3),
                                             ((0, 2, 2), 0.0)])
def test_stats_percent(counts, percent):
    assert catalog.Stats("en", *counts, 5).percent == pytest.approx(percent)


def test_po_path_and_shown(tmp_path):
    assert catalog.po_path(tmp_path / "sources", "hu") == tmp_path / "sources" / "locale" / "hu.po"
    assert catalog.shown(tmp_path / "sources", tmp_path / "sources" / "locale" / "hu.po") == "sources/locale/hu.po"
    assert catalog.shown(tmp_path / "sources", "/elsewhere/hu.po") == "/elsewhere/hu.po"


def test_write_po_writes_only_a_change(tmp_path):
    po = pot(("a:t", "Bonjour"))
    path = tmp_path / "en.po"
    assert catalog.write_po(po, path) is True
    assert path.read_text("utf-8") == str(po) + "\n"
    assert catalog.write_po(po, path) is False


def test_a_plural_entry_without_context(tmp_path):
    text = HEADER + 'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "des"\n'
    po = catalog.read_po(write(tmp_path, text), LABEL)
    assert catalog.check_catalog(po, LABEL, None, text.splitlines()) == [
        Problem(LABEL, 6, 0, "plural entries are not used by course sources", "", "remove the entry (msgid_plural)")]


@pytest.mark.parametrize("char, name", [("\x1e", "U+001E"), ("\x1c", "U+001C"), ("\x85", "U+0085")])
def test_a_character_str_splitlines_breaks_at_is_refused_at_its_line(tmp_path, char, name):
    """str.splitlines() (and polib, given a string) break lines there: the
    msgstr looked unclosed ('a string is not closed'), lines after it shifted."""
    text = HEADER + f'msgctxt "a:t"\nmsgid "x"\nmsgstr "y{char}z"\n\nmsgctxt "b:t"\nmsgid "<b>p</b>"\nmsgstr "q"\n'
    po = catalog.read_po(write(tmp_path, text), LABEL)
    assert [(e.msgctxt, e.msgstr) for e in po] == [("a:t", f"y{char}z"), ("b:t", "q")]
    lines = catalog.file_lines(text)
    assert catalog.check_catalog(po, LABEL, None, lines) == [
        Problem(LABEL, 8, 0, f"translation refused: control characters {name}", "a:t",
                "remove the control characters (an editor shows them as boxes or ^ signs)"),
        Problem(LABEL, 12, 0, "translation refused: tags dropped: <b>", "b:t", KEEP)]


def test_a_line_separator_in_a_translation_is_kept():
    assert catalog.file_lines("a\u2028b\r\nc\rd\ne") == ["a\u2028b", "c", "d", "e"]


# ---- the fast test of a closed string --------------------------------------------------

_PIECES = ['"', '\\', '\\"', ' ', '\t', '\xa0', '\u2028', '#', '#~', '#|', '#.', 'msgid', 'msgid_plural',
           'msgstr', 'msgstr[0]', 'msgctxt', 'a', 'é', '[', '1', ']']


@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
@settings(max_examples=3000, deadline=None)
def test_the_fast_shape_never_hides_an_unclosed_line(line):
    """A line passes the one-match shape only where the step-by-step reading
    finds its string closed."""
    assert catalog._unterminated_string(line) == (1 if catalog.not_closed(line) else 0)


@pytest.mark.parametrize("line, closed", [
    ('msgid "a \\" b"', True), ('  #~ msgstr[1]\t"x"  ', True), ('"a" "b"', False), ('msgid "a\\"', False),
    ('msgid\xa0"a', False), ('#. "a', True), ('msgstr "a" # note', False), ('#|msgid "a\\\\"', True)])
def test_a_line_s_string_closed_or_not(line, closed):
    assert catalog._unterminated_string(f'msgid ""\n{line}\n') == (0 if closed else 2)


def test_lines_split_at_every_newline_of_a_file_and_only_there():
    from resolution_pack.text import file_lines
    assert file_lines("a\nb\r\nc\rd\x85e\u2028f\n") == ["a", "b", "c", "d\x85e\u2028f"]
    assert file_lines("a\nb") == ["a", "b"] and file_lines("") == [] and file_lines("\n\n") == ["", ""]

"""PO merging (like msgmerge), table-driven: template + old catalogue ->
exactly which entries, translations, flags and obsolete entries."""
import polib
import pytest

from resolution_pack.i18n import catalog


def pot(*entries, date="2026-01-01 00:00+0000"):
    po = polib.POFile()
    po.metadata = {"Project-Id-Version": "c 1.0", "POT-Creation-Date": date, "Language-Team": "none",
                   "Last-Translator": "Automatically generated", "PO-Revision-Date": date}
    for ctx, msgid in entries:
        po.append(polib.POEntry(msgctxt=ctx, msgid=msgid, msgstr="", occurrences=[("s.yaml", "1")]))
    return po


def old(*entries, metadata=None):
    po = polib.POFile()
    po.metadata = metadata or {}
    for ctx, msgid, msgstr, *flags in entries:
        po.append(polib.POEntry(msgctxt=ctx, msgid=msgid, msgstr=msgstr, flags=list(flags)))
    return po


def summary(po):
    return [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.previous_msgid, e.obsolete) for e in po]


CASES = [
    ("a new catalogue: every entry untranslated",
     pot(("a:title", "Bonjour")), None,
     [("a:title", "Bonjour", "", [], None, False)]),
    ("same context and text: the translation is kept",
     pot(("a:title", "Bonjour")), old(("a:title", "Bonjour", "Hello")),
     [("a:title", "Bonjour", "Hello", [], None, False)]),
    ("a fuzzy translation stays fuzzy",
     pot(("a:title", "Bonjour")), old(("a:title", "Bonjour", "Hello", "fuzzy")),
     [("a:title", "Bonjour", "Hello", ["fuzzy"], None, False)]),
    ("the text changed a little: the old translation, fuzzy, with the previous text",
     pot(("a:title", "Bonjour à tous")), old(("a:title", "Bonjour à toi", "Hello you")),
     [("a:title", "Bonjour à tous", "Hello you", ["fuzzy"], "Bonjour à toi", False)]),
    ("the text changed completely: untranslated, and the old one obsolete",
     pot(("a:title", "Nouvelles")), old(("a:title", "Annonces", "News")),
     [("a:title", "Nouvelles", "", [], None, False), ("a:title", "Annonces", "News", [], None, True)]),
    ("same text, other context: the translation is offered, fuzzy",
     pot(("b:title", "Bonjour")), old(("a:title", "Bonjour", "Hello")),
     [("b:title", "Bonjour", "Hello", ["fuzzy"], "Bonjour", False), ("a:title", "Bonjour", "Hello", [], None, True)]),
    ("a removed string is kept as obsolete; an untranslated one is dropped",
     pot(("a:title", "Bonjour")), old(("a:title", "Bonjour", "Hello"), ("b:title", "Au revoir", "Bye"),
                                      ("c:title", "Rien", "")),
     [("a:title", "Bonjour", "Hello", [], None, False), ("b:title", "Au revoir", "Bye", [], None, True)]),
    ("an untranslated old entry seeds nothing",
     pot(("a:title", "Bonjour à tous")), old(("a:title", "Bonjour à toi", "")),
     [("a:title", "Bonjour à tous", "", [], None, False)]),
    ("the most similar old text of the context wins",
     pot(("a:item", "trois pommes rouges")), old(("a:item", "trois pommes vertes", "three green apples"),
                                                 ("a:item", "deux poires", "two pears")),
     [("a:item", "trois pommes rouges", "three green apples", ["fuzzy"], "trois pommes vertes", False),
      ("a:item", "deux poires", "two pears", [], None, True)]),
]


@pytest.mark.parametrize("name, template, previous, expected", CASES, ids=[c[0] for c in CASES])
def test_merge(name, template, previous, expected):
    assert summary(catalog.merge(template, previous, "en")) == expected


def test_merge_headers():
    new = catalog.merge(pot(("a:t", "x")), None, "hu")
    assert {k: new.metadata[k] for k in ("Language", "Language-Team", "Last-Translator", "PO-Revision-Date",
                                         "Plural-Forms", "POT-Creation-Date")} == {
        "Language": "hu", "Language-Team": "Hungarian", "Last-Translator": "Automatically generated",
        "PO-Revision-Date": "2026-01-01 00:00+0000", "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "POT-Creation-Date": "2026-01-01 00:00+0000"}
    assert new.header == "Hungarian translation of the course."
    kept = catalog.merge(pot(("a:t", "x"), date="2026-02-02 00:00+0000"), old(metadata={
        "Language-Team": "Magyar <hu@example.org>", "Last-Translator": "Ana <ana@example.org>",
        "PO-Revision-Date": "2025-05-05 10:00+0200", "Plural-Forms": "nplurals=1; plural=0;"}), "hu")
    assert {k: kept.metadata[k] for k in ("Language-Team", "Last-Translator", "PO-Revision-Date", "Plural-Forms",
                                          "POT-Creation-Date")} == {
        "Language-Team": "Magyar <hu@example.org>", "Last-Translator": "Ana <ana@example.org>",
        "PO-Revision-Date": "2025-05-05 10:00+0200", "Plural-Forms": "nplurals=1; plural=0;",
        "POT-Creation-Date": "2026-02-02 00:00+0000"}
    placeholders = catalog.merge(pot(("a:t", "x")), old(metadata={
        "Language-Team": "LANGUAGE <LL@li.org>", "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE"}), "fr")
    assert (placeholders.metadata["Language-Team"], placeholders.metadata["Last-Translator"],
            placeholders.metadata["PO-Revision-Date"], placeholders.metadata["Plural-Forms"]) == \
        ("French", "Automatically generated", "2026-01-01 00:00+0000", "nplurals=2; plural=(n > 1);")


@pytest.mark.parametrize("entries, wanted, expected", [
    ([("a", "x", "X"), ("b", "y", ""), ("c", "z", "Z", "fuzzy")], None, (1, 1, 1, 0)),
    ([("a", "x", "X"), ("b", "y", "")], {("a", "x"), ("b", "y"), ("d", "w")}, (1, 0, 2, 0)),
    ([("a", "x", "X"), ("gone", "g", "G")], {("a", "x")}, (1, 0, 0, 0)),
])
def test_stats(entries, wanted, expected):
    s = catalog.stats(old(*entries), "en", wanted)
    assert (s.translated, s.fuzzy, s.untranslated, s.obsolete) == expected


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'


def read(tmp_path, body: bytes | str, header: str = HEADER):
    path = tmp_path / "en.po"
    path.write_bytes((header.encode() if isinstance(body, bytes) else header.encode()) +
                     (body if isinstance(body, bytes) else body.encode()))
    return catalog.read_po(path, "locale/en.po")


@pytest.mark.parametrize("header, body, problem", [
    (HEADER.replace("UTF-8", "ISO-8859-1"), 'msgid "a"\nmsgstr "b"\n',
     ("locale/en.po", 3, "the charset header says 'ISO-8859-1'; PO files must be UTF-8",
      'convert the file to UTF-8 and write "Content-Type: text/plain; charset=UTF-8\\n"')),
    (HEADER.replace("UTF-8", "latin1"), 'msgid "a"\nmsgstr "b"\n',
     ("locale/en.po", 3, "the charset header says 'latin1'; PO files must be UTF-8",
      'convert the file to UTF-8 and write "Content-Type: text/plain; charset=UTF-8\\n"')),
    (HEADER, b'msgid "a"\nmsgstr "caf\xe9"\n',
     ("locale/en.po", 7, "the file is not valid UTF-8", "save it as UTF-8")),
    (HEADER, 'msgid "a"\nmsgstr "unclosed\n',
     ("locale/en.po", 7, "PO syntax error: a string is not closed (or has text after its closing quote)",
      'close the string with " (a quote inside it is written \\")')),
    (HEADER, 'msgid "a"\nmsgstr "b" trailing\n',
     ("locale/en.po", 7, "PO syntax error: a string is not closed (or has text after its closing quote)",
      'close the string with " (a quote inside it is written \\")')),
    (HEADER, '#~ msgid "old"\n#~ msgstr "unclosed\n',
     ("locale/en.po", 7, "PO syntax error: a string is not closed (or has text after its closing quote)",
      'close the string with " (a quote inside it is written \\")')),
])
def test_read_po_refuses_with_file_line_and_fix(tmp_path, header, body, problem):
    from resolution_pack.errors import InputError
    with pytest.raises(InputError) as info:
        read(tmp_path, body, header)
    [p] = info.value.problems
    assert (p.file, p.line, p.message, p.fix) == problem


def test_read_po_accepts_escapes_comments_and_charset_spellings(tmp_path):
    body = ('# a comment with "quotes\n#. note\n#| msgid "prev"\nmsgctxt "c"\nmsgid "a \\"b\\" \\\\"\n'
            'msgstr ""\n"two "\n"lines"\n')
    po = read(tmp_path, body, HEADER.replace("UTF-8", "utf8"))
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in po] == [("c", 'a "b" \\', "two lines")]


def test_read_po_missing_and_too_large(tmp_path, monkeypatch):
    from resolution_pack.errors import InputError
    with pytest.raises(InputError) as info:
        catalog.read_po(tmp_path / "none.po", "locale/none.po")
    assert str(info.value) == "locale/none.po: cannot read the file: No such file or directory"
    monkeypatch.setattr(catalog, "MAX_PO_BYTES", 10)
    with pytest.raises(InputError) as info:
        read(tmp_path, 'msgid "a"\nmsgstr "b"\n')
    assert str(info.value) == f"locale/en.po: file is too large ({(tmp_path / 'en.po').stat().st_size:,} bytes)"


def test_check_catalog_refuses_plurals_and_markup_at_the_msgstr_line(tmp_path):
    text = HEADER + ('msgctxt "a:title"\nmsgid "Bonjour"\nmsgstr "<b>Hello</b>"\n\n'
                     'msgctxt "b:text"\nmsgid "Un <em>mot</em>"\nmsgstr ""\n"A "\n"word"\n\n'
                     'msgctxt "c:n"\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "des"\n\n'
                     'msgctxt "d:t"\nmsgid "x"\nmsgstr ""\n\n'
                     '#~ msgctxt "e:t"\n#~ msgid "y"\n#~ msgstr "<script>"\n')
    (tmp_path / "en.po").write_text(text)
    po = catalog.read_po(tmp_path / "en.po", "locale/en.po")
    found = catalog.check_catalog(po, "locale/en.po", {("b:text", "Un <em>mot</em>")}, text.splitlines())
    assert [(p.line, p.message, p.path, p.fix) for p in found] == [
        (8, "translation refused: markup in a plain-text string", "a:title",
         "keep exactly the markup and placeholders of the source string"),
        (8, "translation refused: tags added: <b>", "a:title",
         "keep exactly the markup and placeholders of the source string"),
        (12, "translation refused: tags dropped: <em>", "b:text",
         "keep exactly the markup and placeholders of the source string"),
        (16, "plural entries are not used by course sources", "c:n", "remove the entry (msgid_plural)"),
    ]


def test_a_control_character_or_a_backup_marker_says_what_to_remove(tmp_path):
    """\x1e is a line break for str.splitlines() (and for polib given a string):
    the entry keeps its line, and the character is refused, not lost."""
    text = HEADER + ('msgctxt "a:title"\nmsgid "Bonjour"\nmsgstr "Hel\x1elo"\n\n'
                     'msgctxt "b:title"\nmsgid "Page"\nmsgstr "See $@PAGEVIEWBYID*3@$"\n')
    (tmp_path / "en.po").write_text(text)
    po = catalog.read_po(tmp_path / "en.po", "locale/en.po")
    assert [e.msgstr for e in po] == ["Hel\x1elo", "See $@PAGEVIEWBYID*3@$"]
    found = catalog.check_catalog(po, "locale/en.po", set(), text.split("\n"))
    assert [(p.line, p.message, p.fix) for p in found] == [
        (8, "translation refused: control characters U+001E",
         "remove the control characters (an editor shows them as boxes or ^ signs)"),
        (12, "translation refused: $@PAGEVIEWBYID*3@$ is a marker of Moodle backups (the restore would turn it "
             "into a link)", "write the address or text without the $@...@$ or @@...@@ marker"),
    ]

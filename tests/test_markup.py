"""The markup checks on translations: each case and its exact verdicts."""
import pytest

from resolution_pack.i18n.markup import problems, tags

LINK = '<a href="https://example.org/">aide</a>'

CASES = [
    # (msgid, msgstr, rich, verdicts)
    ("Bonjour", "Hello", False, []),
    ("Bonjour", "Hello\x07", False, ["control characters U+0007"]),
    ("Bonjour", "Hello @@PLUGINFILE@@/x", False,
     ["@@PLUGINFILE@@ is a marker of Moodle backups (the restore would turn it into a link)"]),
    ("Bonjour", "$@PAGEVIEWBYID*3@$ and @@PLUGINFILE@@", False,
     ["$@PAGEVIEWBYID*3@$, @@PLUGINFILE@@ is a marker of Moodle backups (the restore would turn it into a link)"]),
    ("Score {score}", "Score", False, ["placeholders dropped: {score}"]),
    ("Score", "Score {score}", False, ["placeholders added: {score}"]),
    ("Le [[1]] et [[2]]", "The [[2]] and [[1]]", False, []),
    ("Le [[1]] et [[2]]", "The [[1]] and [[1]]", False, ["placeholders dropped: [[2]]", "placeholders added: [[1]]"]),
    ("{a} {a}", "{a}", False, ["placeholders dropped: {a}"]),
    ("Titre", "<b>Title</b>", False, ["markup in a plain-text string", "tags added: <b>"]),
    ("Un <em>mot</em>", "A <em>word</em>", True, []),
    ("Un <em>mot</em>", "A word", True, ["tags dropped: <em>"]),
    ("Un <em>mot</em>", "A <em>word</em> <strong>!</strong>", True, ["tags added: <strong>"]),
    ("Un <em>mot</em> <em>x</em>", "A <em>word</em>", True, ["tags dropped: <em>"]),
    ("Un <em>mot</em>", "A <strong>word</strong>", True, ["tags dropped: <em>", "tags added: <strong>"]),
    ("Un <em>mot</em>", "A <em>word</em><script>x</script>", True,
     ["forbidden element <script>", "tags added: <script>"]),
    ("Un <em>mot</em>", '<em onclick="x()">word</em>', True, ["forbidden event attribute onclick= on <em>"]),
    ("Voir " + LINK, 'See <a href="javascript:alert(1)">help</a>', True, ["forbidden URL scheme in href= on <a>"]),
    ("Voir " + LINK, 'See <a href=" java\tscript:x">help</a>', True, ["forbidden URL scheme in href= on <a>"]),
    ("Voir " + LINK, 'See <a href="DATA:text/html,x">help</a>', True, ["forbidden URL scheme in href= on <a>"]),
    ("Voir " + LINK, 'See <a href="https://example.org/">help</a>', True, []),
    ("Voir " + LINK, 'See <a href="https://evil.example/">help</a>', True,
     ["link targets changed (href must stay as in the source)"]),
    ("Voir " + LINK, 'See <a href="https://example.org/" title="t">help</a>', True, []),
    ("Un <em>mot</em>", 'A <em class="x">word</em>', True, []),
    ("Un <abbr>mot</abbr>", "A <abbr>word</abbr>", True, []),
    ("Un <u>mot</u>", "A <u>word</u>", True, ["markup the sanitiser removes: <u>"]),
    ("Un <em>mot</em> {n}", "A <em>word</em>", True, ["placeholders dropped: {n}"]),
    ("Texte", "Text <iframe></iframe>", True, ["forbidden element <iframe>", "tags added: <iframe>"]),
    *[("Texte", f"Text <{tag}>x</{tag}>", True, [f"forbidden element <{tag}>", f"tags added: <{tag}>"])
      for tag in ("object", "embed", "style", "form", "svg", "math")],
    ('Voir <img src="a.png" alt="">', '<img alt="" src="javascript:x">', True, ["forbidden URL scheme in src= on <img>"]),
    ("<button>ok</button>", '<button formaction="javascript:x">ok</button>', True,
     ["forbidden URL scheme in formaction= on <button>"]),
    ("<button>ok</button>", '<button formaction="https://example.org/">ok</button>', True,
     ["markup the sanitiser removes: <button>"]),
    ("Voir " + LINK, 'See <a href="VBScript:x">help</a>', True, ["forbidden URL scheme in href= on <a>"]),
    ("Texte", 'Text <form action="javascript:x">x</form>', True,
     ["forbidden element <form>", "forbidden URL scheme in action= on <form>", "tags added: <form>"]),
    ("Bonjour", "Hello\x07\x08", False, ["control characters U+0007, U+0008"]),
    ("<em>a</em> <strong>b</strong>", "a b", True, ["tags dropped: <em>, <strong>"]),
    ("a b", "<em>a</em> <strong>b</strong>", True, ["tags added: <em>, <strong>"]),
]


@pytest.mark.parametrize("msgid, msgstr, rich, verdicts", CASES, ids=[f"{n}" for n in range(len(CASES))])
def test_problems(msgid, msgstr, rich, verdicts):
    assert problems(msgid, msgstr, rich) == verdicts


def test_tags_read_start_tags_with_sorted_attributes():
    assert tags('a <a title="a" href="z">x</a><br/> <em>y</em>') == \
        [("a", (("href", "z"), ("title", "a"))), ("br", ()), ("em", ())]       # by name, not by value
    assert tags("no markup & < text") == []

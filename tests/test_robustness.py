"""Property-based: whatever text the sources or the PO files carry, validate
and build either succeed with well-formed archives or fail with a clean
message, never a crash."""
import tarfile
import zipfile

import polib
import yaml
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from lxml import etree, html

from resolution_pack.build import BuildOptions, build
from resolution_pack.errors import InputError

HOSTILE = st.sampled_from(["]]>", "<", "&", "&amp;", "<script>alert(1)</script>", "\"'", "{score}", "[[1]]",
                           "<!--", "-->", "\u202e", "ő ű l·l ñ œ", "\t", "\\", "%s", "@@PLUGIN", "$@", "@$"])
# text that every check accepts: no control character (those are refused, see below)
ACCEPTED_CHARS = st.characters(blacklist_categories=("Cc", "Cs"))
TEXT = st.lists(st.one_of(HOSTILE, st.text(alphabet=ACCEPTED_CHARS, max_size=12)),
                min_size=1, max_size=5).map(lambda parts: "x" + "".join(parts))   # never blank
CONTROL = st.characters(whitelist_categories=("Cc",), blacklist_characters="\t\n\r")
# hostile but acceptable in a translation: no tag, no placeholder, no control character
SAFE_IN_PO = st.lists(st.one_of(st.sampled_from(["]]>", "&", "&amp;", "\"'", "-->", "\u202e", "ő ű l·l ñ œ",
                                                  "\\", "%s", "@@PLUGIN", "$@", "@$"]),
                                st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"),
                                                               blacklist_characters="<>{}[]"), max_size=12)),
                      min_size=1, max_size=5).map("".join)


def _set_yaml(path, dotted, value):
    data = yaml.safe_load(path.read_text("utf-8"))
    node = data
    keys = dotted.split(".")
    for k in keys[:-1]:
        node = node[int(k)] if k.isdigit() else node[k]
    node[keys[-1]] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def _assert_well_formed(out):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    archives = list(out.rglob("*.mbz")) + list(out.rglob("*.zip"))
    assert archives
    for path in archives:
        if path.suffix == ".mbz":
            with tarfile.open(path) as tar:
                for m in tar:
                    if m.isfile() and m.name.endswith(".xml"):
                        etree.fromstring(tar.extractfile(m).read(), parser)
        else:
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    if name.endswith(".xml"):
                        etree.fromstring(zf.read(name), parser)
                    elif name.endswith(".html"):
                        doc = html.fromstring(zf.read(name))
                        assert not doc.xpath("//script[contains(., 'alert(1)')]")


SOURCE_FIELDS = (("sections/home.yaml", "items.0.title"), ("sections/home.yaml", "items.0.parts.0.body"),
                 ("sections/part-1.yaml", "items.2.questions.0.choices.1.text"),
                 ("sections/part-1.yaml", "items.0.subtitles.0.text"))


def _copy(mini, tmp_path_factory):
    import shutil
    root = tmp_path_factory.mktemp("src") / "sources"
    shutil.copytree(mini, root)
    return root


def _build_and_check(root, out):
    """The build succeeds, every XML file parses, no script reaches a page,
    and check finds nothing wrong in the archives."""
    from resolution_pack.check import analyse
    build(BuildOptions(sources=root, out=out, jobs=1, allow_incomplete=True))
    _assert_well_formed(out)
    _reports, problems = analyse(out)
    assert [str(p) for p in problems] == []


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.tuples(TEXT, TEXT, TEXT, TEXT))
def test_random_source_texts_build_into_well_formed_archives(mini, tmp_path_factory, texts):
    """Hostile texts without control characters in a title, a rich body, a
    choice and a subtitle cue: always built, escaped, and check passes."""
    root = _copy(mini, tmp_path_factory)
    for (rel, dotted), text in zip(SOURCE_FIELDS, texts):
        _set_yaml(root / rel, dotted, text)
    _build_and_check(root, tmp_path_factory.mktemp("out") / "build")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(SOURCE_FIELDS), text=TEXT, control=CONTROL, at=st.integers(0, 20))
@example(field=SOURCE_FIELDS[0], text="x]]>", control="\x85", at=0)     # YAML reads U+0085 as a line break
def test_a_control_character_in_any_source_text_is_refused_with_file_and_line(mini, tmp_path_factory, field, text,
                                                                                  control, at):
    root = _copy(mini, tmp_path_factory)
    rel, dotted = field
    _set_yaml(root / rel, dotted, text[:at] + control + text[at:])
    with pytest.raises(InputError) as info:
        build(BuildOptions(sources=root, out=tmp_path_factory.mktemp("out") / "build", jobs=1, allow_incomplete=True))
    [problem] = info.value.problems
    assert problem.file == f"sources/{rel}" and problem.line > 0
    assert problem.message == f"control character U+{ord(control):04X} in the text"


PO_CONTEXTS = ("home.welcome:title", "home.welcome:body", "part-1.video-1:subtitle", "part-1.evaluation.q07:text")


def _translate(root, change):
    po_path = root / "locale" / "en.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgctxt in PO_CONTEXTS:
            entry.msgstr = change(entry.msgstr)
    po.save(str(po_path))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(translation=SAFE_IN_PO)
def test_random_translations_build_into_well_formed_archives(mini, tmp_path_factory, translation):
    """Hostile text in a title, a rich body with a link, subtitle cues and a
    gap question, around the markup and placeholders the translation must
    keep: always built, escaped, and check passes."""
    root = _copy(mini, tmp_path_factory)
    _translate(root, lambda old: f"{translation} {old} {translation}")
    _build_and_check(root, tmp_path_factory.mktemp("out") / "build")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(translation=SAFE_IN_PO, bad=st.one_of(CONTROL, st.sampled_from(["<script>x</script>", "<b>", "{score}",
                                                                        "[[9]]", '<a href="javascript:x">y</a>',
                                                                        "@@PLUGINFILE@@/x", "$@PAGEVIEWBYID*3@$"])))
def test_a_translation_with_a_control_character_or_new_markup_is_refused_with_its_po_line(mini, tmp_path_factory,
                                                                                        translation, bad):
    root = _copy(mini, tmp_path_factory)
    _translate(root, lambda old: f"{translation}{bad} {old}")
    with pytest.raises(InputError) as info:
        build(BuildOptions(sources=root, out=tmp_path_factory.mktemp("out") / "build", jobs=1))
    problems = info.value.problems
    lines = (root / "locale" / "en.po").read_text("utf-8").split("\n")     # not splitlines(): \x1e is a "line break" there
    assert len(problems) == len(PO_CONTEXTS) + (1 if bad == "[[9]]" else 0) or len(problems) >= len(PO_CONTEXTS)
    for p in problems:
        assert p.file == "sources/locale/en.po" and lines[p.line - 1].startswith("msgstr")
        assert p.message.startswith("translation refused: ")


def test_media_names_with_spaces_accents_and_non_latin_are_kept_and_safe(mini, tmp_path):
    from resolution_pack.check import analyse
    name = "photo été 東京 (1).png"
    (mini / "media" / "placeholder-photo.png").rename(mini / "media" / name)
    for rel in ("sections/home.yaml", "sections/part-1.yaml", "locale/en.po"):
        path = mini / rel
        path.write_text(path.read_text("utf-8").replace("media/placeholder-photo.png", f'"media/{name}"'
                                                         if rel.endswith("yaml") else f"media/{name}"), "utf-8")
    out = tmp_path / "build"
    build(BuildOptions(sources=mini, out=out, jobs=1))
    mbz = next((out / "fr").glob("*.mbz"))
    with tarfile.open(mbz) as tar:
        files_xml = tar.extractfile("files.xml").read().decode("utf-8")
        names = tar.getnames()
    assert f"<filename>{name}</filename>" in files_xml
    assert all(n.isascii() for n in names)  # blobs are stored by hash
    reports, problems = analyse(out)
    assert problems == []
    for package in (out / "fr" / "scorm").glob("*.zip"):
        with zipfile.ZipFile(package) as zf:
            for entry in zf.namelist():
                assert not entry.startswith("/") and ".." not in entry.split("/") and "\\" not in entry

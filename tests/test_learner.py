"""What a learner meets: the original formats (photo-story, recipe) as
Moodle pages and SCORM screens.

The mini course is built through the real pipeline; the archives are read
back with tarfile, zipfile and lxml. Expected values come from the sources
(the YAML read here with PyYAML, not through the loader).
"""
from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import lxml.html
import pytest
import yaml
from lxml import etree

from resolution_pack.build import BuildOptions, build

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"


def _part_item(kind_id: str) -> dict:
    doc = yaml.safe_load((MINI / "sections" / "part-1.yaml").read_text("utf-8"))
    return next(i for i in doc["items"] if i["id"] == kind_id)


class Mbz:
    def __init__(self, path: Path):
        self.data = {}
        with tarfile.open(fileobj=io.BytesIO(path.read_bytes()), mode="r:gz") as tar:
            for info in tar:
                if info.isfile():
                    self.data[info.name] = tar.extractfile(info).read()

    def xml(self, name):
        return etree.fromstring(self.data[name])

    def activities(self):
        for a in self.xml("moodle_backup.xml").iterfind("information/contents/activities/activity"):
            d = a.findtext("directory")
            yield {"directory": d, "modulename": a.findtext("modulename"), "sectionid": a.findtext("sectionid"),
                   "insubsection": a.findtext("insubsection"), "moduleid": a.findtext("moduleid"),
                   "idnumber": self.xml(f"{d}/module.xml").findtext("idnumber"),
                   "name": self.xml(f"{d}/{a.findtext('modulename')}.xml")[0].findtext("name")}

    def page_html(self, idnumber: str):
        a = next(a for a in self.activities() if a["idnumber"] == idnumber)
        content = self.xml(f"{a['directory']}/page.xml").findtext("page/content")
        return lxml.html.fragment_fromstring(content, create_parent="div")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("learner") / "build"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        build(BuildOptions(sources=MINI, out=out, langs=("fr",), jobs=1, allow_incomplete=True))
    return out


@pytest.fixture(scope="module")
def mbz(built):
    return Mbz(built / "fr" / "MINI-FR.mbz")


@pytest.fixture(scope="module")
def scorm_page(built):
    with zipfile.ZipFile(built / "fr" / "scorm" / "part-1-fr.zip") as zf:
        return lxml.html.document_fromstring(zf.read("index.html")), set(zf.namelist())


def _text(el) -> str:
    return " ".join(el.text_content().split())


# ---- photo-story -------------------------------------------------------------

def _check_story(panels_el, source: dict, img_src) -> None:
    panels = source["panels"]
    assert len(panels_el) == len(panels)
    for li, panel in zip(panels_el, panels):
        figure = li.find(".//figure")
        imgs = figure.findall(".//img")
        if "file" in panel:               # a photo: the scene is its alt text
            assert [i.get("alt") for i in imgs] == [panel["scene"]]
            assert img_src(imgs[0].get("src"), panel["file"])
        else:                             # no photo: no image that pretends, the scene in the frame
            assert imgs == [] and panel["scene"] in _text(figure)
        caption = figure.find(".//figcaption")
        if "caption" in panel:
            assert _text(caption) == " ".join(lxml.html.fragment_fromstring(
                panel["caption"], create_parent="p").text_content().split())
        else:
            assert caption is None
        lines = [_text(p) for p in li.findall("p")]
        assert lines == [f"{d['speaker']} : {d['line']}" for d in panel.get("dialogue", [])]


def test_photo_story_is_a_page_of_captioned_pictures_with_dialogue(mbz):
    html = mbz.page_html("part-1.story")
    story = _part_item("story")
    ol = html.find(".//ol")
    _check_story(ol.findall("li"), story, lambda src, file: src == "@@PLUGINFILE@@/" + file.rsplit("/", 1)[-1])
    assert story["intro"] in _text(html)


def test_photo_story_screen_in_scorm(scorm_page):
    doc, names = scorm_page
    screen = doc.get_element_by_id("s-story")
    assert screen.get("class") == "screen screen-photo-story"
    _check_story(screen.find(".//ol").findall("li"), _part_item("story"),
                 lambda src, file: src == file and file in names)


# ---- recipe ------------------------------------------------------------------------

def _check_recipe(root, source: dict) -> None:
    headings = [_text(h) for h in root.iter("h3")]
    assert headings == ["Ingrédients", "Étapes", "Astuces"]
    lists = [el for el in root.iter("ul", "ol")]
    assert [el.tag for el in lists] == ["ul", "ol", "ul"]
    as_text = [[_text(li) for li in el.findall("li")] for el in lists]
    plain_steps = [" ".join(lxml.html.fragment_fromstring(s, create_parent="p").text_content().split())
                   for s in source["steps"]]
    assert as_text == [source["ingredients"], plain_steps, source["tips"]]
    assert lists[1].find(".//em") is not None            # inline markup of a step survives


def test_recipe_page_has_ingredients_steps_and_tips(mbz):
    _check_recipe(mbz.page_html("part-1.recipe"), _part_item("recipe"))


def test_recipe_screen_in_scorm(scorm_page):
    doc, _names = scorm_page
    _check_recipe(doc.get_element_by_id("s-recipe"), _part_item("recipe"))


# ---- overall feedback of the validation test ---------------------------------------

def _band(feedbacks: list, grade: float):
    """Moodle's quiz_feedback_record_for_grade: mingrade <= grade < maxgrade."""
    found = [f for f in feedbacks if f["min"] <= max(grade, 0) < f["max"]]
    assert len(found) <= 1
    return found[0] if found else None


def test_graded_quiz_has_one_band_each_side_of_the_pass_mark(mbz):
    part = yaml.safe_load((MINI / "sections" / "part-1.yaml").read_text("utf-8"))
    evaluation = next(i for i in part["items"] if i["kind"] == "evaluation")
    videos = [i["title"] for i in part["items"] if i["kind"] == "video"]
    quiz = next(a for a in mbz.activities() if a["idnumber"] == "part-1.evaluation")
    root = mbz.xml(f"{quiz['directory']}/quiz.xml")
    grade = float(root.findtext("quiz/grade"))
    gradepass = grade * evaluation["pass_percent"] / 100
    feedbacks = [{"min": float(f.findtext("mingrade")), "max": float(f.findtext("maxgrade")),
                  "html": lxml.html.fragment_fromstring(f.findtext("feedbacktext"), create_parent="div"),
                  "format": f.findtext("feedbacktextformat")} for f in root.iterfind("quiz/feedbacks/feedback")]
    assert len(feedbacks) == 2 and {f["format"] for f in feedbacks} == {"1"}
    ids = {f.get("id") for f in root.iterfind("quiz/feedbacks/feedback")}
    assert len(ids) == 2
    passed, not_yet = _band(feedbacks, gradepass), _band(feedbacks, gradepass - 0.01)
    assert passed is not not_yet
    assert _band(feedbacks, grade) is passed and _band(feedbacks, 0) is not_yet
    assert _band(feedbacks, grade + 0.5) is passed            # Moodle's top boundary is grade + 1
    assert "Bravo" in _text(passed["html"]) and passed["html"].findall(".//a") == []
    links = not_yet["html"].findall(".//a")
    assert [_text(a) for a in links] == videos
    by_id = {a["idnumber"]: a for a in mbz.activities()}
    video_ids = [f"part-1.{i['id']}" for i in part["items"] if i["kind"] == "video"]
    assert [a.get("href") for a in links] == [f"$@PAGEVIEWBYID*{by_id[v]['moduleid']}@$" for v in video_ids]
    assert "70" in _text(not_yet["html"])
    # the formative quiz has no overall feedback
    formative = next(a for a in mbz.activities() if a["idnumber"] == "part-1.activities-1")
    assert mbz.xml(f"{formative['directory']}/quiz.xml").find("quiz/feedbacks/feedback") is None


# ---- Moodle's default filters ------------------------------------------------------

from resolution_pack import moodle_filters  # noqa: E402
from resolution_pack.check import learner as check_learner  # noqa: E402
from resolution_pack.edition import StoredFile  # noqa: E402
from resolution_pack.targets.moodle_files import Files  # noqa: E402
from resolution_pack.targets.moodle_ids import Ids  # noqa: E402


def test_generated_file_names_carry_no_emoticon():
    # p08-orgchart.fr.svg held "8-o": the emoticon filter put a smiley inside the img src
    assert moodle_filters.emoticons_in("p08-orgchart.fr.svg") == ["8-o"]
    files = Files(Ids())
    for name in ("p08-orgchart.fr.svg", "8-)plan.pdf", "notes(y).txt", "p01-mindmap.fr.svg"):
        record = files.add(StoredFile(name, Path("/dev/null"), "0" * 40, 0, "text/plain"), owner="x",
                           contextid=1, component="mod_page", filearea="content")
        assert moodle_filters.emoticons_in(record.filename) == [], record.filename
    names = [r.filename for r in files.records if r.filename != "."]
    assert names == ["p08_orgchart.fr.svg", "8_)plan.pdf", "notes_y_.txt", "p01-mindmap.fr.svg"]


def test_the_course_switches_activity_links_and_emoticons_off(mbz):
    root = mbz.xml("course/filters.xml")
    actives = {f.findtext("filter"): f.findtext("active") for f in root.iterfind("filter_actives/filter_active")}
    assert actives == {"activitynames": "-1", "emoticon": "-1"}       # TEXTFILTER_OFF
    for a in mbz.activities():                                        # activities inherit the course's
        assert mbz.xml(f"{a['directory']}/filters.xml").find("filter_actives/filter_active") is None


def test_each_default_filter_rule():
    names = {"Le bus de l'orientation": moodle_filters.name_regexp("Le bus de l'orientation"),
             "Coup de Boost": moodle_filters.name_regexp("Coup de Boost"), "42": moodle_filters.name_regexp("42")}
    html = ('<p>Le bus de l\'orientation passe. Le <a href="x">Coup de Boost</a> aussi, <b>coup de boost</b>. '
            'Voir www.example.org ou <a href="https://e.org">https://e.org</a>. Page 42. Prix $$x$$.</p>'
            '<p><a href="media/clip.webm">clip</a></p><video><source src="v.webm"><a href="v.webm">v</a></video>'
            '<img src="p08-orgchart.svg" alt="x">')
    found = moodle_filters.alterations(html, names)
    assert found == [
        "emoticon filter: '8-o' becomes a smiley",
        "urltolink filter: 'www.example.org' in the text becomes a link",
        "activitynames filter: \"Le bus de l'orientation\" in the text becomes a link to that activity",
        "activitynames filter: 'Coup de Boost' in the text becomes a link to that activity",   # the <b> one
        "mediaplugin filter: the link to 'media/clip.webm' becomes a media player",
        "mathjaxloader filter: TeX delimiters ($$, \\( or \\[) start MathJax",
    ]
    # an entity is not the character for filter_phrases (its entity variant is &#039;, not &#39;)
    assert moodle_filters.alterations("<p>Le bus de l&#39;orientation</p>", names) == []
    # what the course switches off is not reported
    assert moodle_filters.alterations(html, names, off=("activitynames", "emoticon"))[0].startswith("urltolink")


def test_check_reports_filter_triggers_and_duplicate_names(mbz):
    docs = {name: mbz.xml(name) for name in mbz.data if name.endswith(".xml")}
    assert check_learner.problems(docs) == []
    # a page says "voir www.example.org", its image is named p08-orgchart.svg, the course filters are gone
    page = next(a for a in mbz.activities() if a["idnumber"] == "part-1.story")
    content = docs[f"{page['directory']}/page.xml"].find("page/content")
    content.text += '<p>voir www.example.org</p><p><img src="@@PLUGINFILE@@/p08-orgchart.svg" alt=""></p>'
    docs["course/filters.xml"] = etree.fromstring("<filters><filter_actives/><filter_configs/></filters>")
    found = check_learner.problems(docs)
    assert ("filters", "course/filters.xml does not switch the activitynames filter off") in found
    assert ("filters", "course/filters.xml does not switch the emoticon filter off") in found
    assert any(r == "filters" and "urltolink filter: 'www.example.org'" in m for r, m in found)
    assert any(r == "filters" and "'8-o'" in m and "attribute" in m for r, m in found)


def test_no_two_activities_of_a_section_share_a_name(mbz):
    acts = list(mbz.activities())
    assert check_learner.duplicate_names([{"sectionid": a["sectionid"], "name": a["name"], "modname": a["modulename"]}
                                          for a in acts]) == []
    twice = [{"sectionid": "7", "name": "Les étapes clés", "modname": "page"},
             {"sectionid": "7", "name": "Les étapes clés ", "modname": "page"},
             {"sectionid": "8", "name": "Les étapes clés", "modname": "page"},
             {"sectionid": "7", "name": "Bienvenue", "modname": "label"},
             {"sectionid": "7", "name": "Bienvenue", "modname": "label"}]
    assert check_learner.duplicate_names(twice) == [("names", "section 7: 2 activities are named 'Les étapes clés'")]


def test_tutorials_group_each_project_and_the_pdf_is_named_apart(mbz):
    """Moodle 4.5: a heading label per project, its items after it (see
    moodle_releases for why not mod_subsection)."""
    acts = list(mbz.activities())
    by_id = {a["idnumber"]: a for a in acts}
    project = yaml.safe_load((MINI / "projects" / "p01.yaml").read_text("utf-8"))
    heading = by_id["tutorial.p01"]
    assert heading["modulename"] == "label" and heading["insubsection"] == ""
    html = lxml.html.fragment_fromstring(mbz.xml(f"{heading['directory']}/label.xml").findtext("label/intro"),
                                         create_parent="div")
    assert [(h.tag, _text(h)) for h in html] == [("h4", project["title"])]
    order = [a["idnumber"] for a in acts if a["sectionid"] == heading["sectionid"]]
    start = order.index("tutorial.p01")
    assert order[start:start + 5] == ["tutorial.p01", "tutorial.p01.overview"] + \
        [f"tutorial.p01.{v['id']}" for v in project["videos"]]
    assert by_id["toolbox.p01.pdf"]["name"] == f"{project['title']} (fiche PDF)"
    assert by_id["toolbox.p01.sheet"]["name"] == project["title"]


def test_with_subsections_each_project_is_one(tmp_path, monkeypatch):
    """The mod_subsection form (Moodle 5.x restores it), as Moodle 4.5 and
    later back a subsection up: its delegated section after the course's
    own, pointing back at the module; the items inside it."""
    import dataclasses
    from resolution_pack.targets import moodle_releases
    monkeypatch.setitem(moodle_releases.RELEASES, "4.5",
                        dataclasses.replace(moodle_releases.RELEASES["4.5"], subsections=True))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(BuildOptions(sources=MINI, out=tmp_path / "b", langs=("fr",), jobs=1, allow_incomplete=True,
                       targets=("moodle_backup",), use_cache=False))
    mbz = Mbz(tmp_path / "b" / "fr" / "MINI-FR.mbz")
    project = yaml.safe_load((MINI / "projects" / "p01.yaml").read_text("utf-8"))
    acts = list(mbz.activities())
    sub = next(a for a in acts if a["idnumber"] == "tutorial.p01")
    assert sub["modulename"] == "subsection" and sub["name"] == project["title"]
    assert mbz.xml(f"{sub['directory']}/subsection.xml").findtext("subsection/name") == project["title"]
    inside = [a["idnumber"] for a in acts if a["insubsection"] == "1"]
    assert inside == ["tutorial.p01.overview"] + [f"tutorial.p01.{v['id']}" for v in project["videos"]]
    sections = mbz.xml("moodle_backup.xml").findall("information/contents/sections/section")
    delegated = [s for s in sections if s.findtext("parentcmid")]
    assert [(s.findtext("parentcmid"), s.findtext("modname"), s.findtext("title")) for s in delegated] == \
        [(sub["moduleid"], "subsection", project["title"])]
    assert sections[-1] is delegated[0]
    section = mbz.xml(f"{delegated[0].findtext('directory')}/section.xml")
    assert int(section.findtext("number")) == len(sections) - 1
    assert (section.findtext("component"), section.findtext("itemid")) == \
        ("mod_subsection", mbz.xml(f"{sub['directory']}/subsection.xml")[0].get("id"))
    # settings in Moodle's plan order: the subsection, then its section, then what it holds
    names = [s.findtext("name") for s in mbz.xml("moodle_backup.xml").iterfind("information/settings/setting")
             if s.findtext("level") != "root"]
    at = names.index(f"subsection_{sub['moduleid']}_included")
    assert names[at + 2] == f"section_{section.get('id')}_included"
    overview = next(a for a in acts if a["idnumber"] == "tutorial.p01.overview")
    assert names[at + 4] == f"page_{overview['moduleid']}_included"


# ---- placeholder videos as long as their subtitles ----------------------------------

import math  # noqa: E402
import struct  # noqa: E402

from resolution_pack.assets import placeholder_video  # noqa: E402
from resolution_pack.errors import InputError  # noqa: E402
from resolution_pack.load import load  # noqa: E402


def _webm_duration(data: bytes) -> float:
    """Seconds, from the Segment Info Duration (float, in TimecodeScale units of 1 ms)."""
    at = data.index(b"\x44\x89")                  # Duration element id
    size = data[at + 2] & 0x7F
    value = data[at + 3:at + 3 + size]
    return (struct.unpack(">d", value)[0] if size == 8 else struct.unpack(">f", value)[0]) / 1000


def _cue_end(timecode: str) -> float:
    total = 0.0
    for part in timecode.split(":"):
        total = total * 60 + float(part)
    return total


def test_placeholder_videos_last_as_long_as_their_subtitles(mbz):
    part = yaml.safe_load((MINI / "sections" / "part-1.yaml").read_text("utf-8"))
    project = yaml.safe_load((MINI / "projects" / "p01.yaml").read_text("utf-8"))
    videos = {f"part-1.{v['id']}": v for v in part["items"] if v["kind"] == "video"}
    videos.update({f"tutorial.p01.{v['id']}": v for v in project["videos"]})
    by_sha = {}
    records = mbz.xml("files.xml")
    for idnumber, video in videos.items():
        html = mbz.page_html(idnumber)
        src = html.find(".//video/source").get("src").rsplit("/", 1)[-1]
        assert html.find(".//video").get("poster") is None     # the clip shows its picture itself
        a = next(a for a in mbz.activities() if a["idnumber"] == idnumber)
        ctx = mbz.xml(f"{a['directory']}/page.xml").get("contextid")
        rec = next(f for f in records.iterfind("file") if f.findtext("contextid") == ctx and f.findtext("filename") == src)
        sha = rec.findtext("contenthash")
        data = mbz.data[f"files/{sha[:2]}/{sha}"]
        seconds = math.ceil(max(_cue_end(c["end"]) for c in video["subtitles"]))
        assert _webm_duration(data) == seconds, idnumber
        assert src == f"still-{seconds}s.webm"
        by_sha.setdefault(seconds, set()).add(sha)
    assert all(len(shas) == 1 for shas in by_sha.values())         # one clip per length



def test_the_player_is_named_after_its_video_not_its_file(mbz):
    # Moodle's video.js player shows the <video> title as its tooltip and
    # description; without one it shows the file name ("still-111s.webm").
    part = yaml.safe_load((MINI / "sections" / "part-1.yaml").read_text("utf-8"))
    project = yaml.safe_load((MINI / "projects" / "p01.yaml").read_text("utf-8"))
    ids = [f"part-1.{v['id']}" for v in part["items"] if v["kind"] == "video"]
    ids += [f"tutorial.p01.{v['id']}" for v in project["videos"]]
    names = {a["idnumber"]: a["name"] for a in mbz.activities()}
    assert names["part-1.video-1"] == "Introduction"
    for idnumber in ids:
        player = mbz.page_html(idnumber).find(".//video")
        assert player.get("title") == names[idnumber], idnumber

def test_a_clip_is_tiny_reproducible_and_plays_to_its_end():
    still = placeholder_video.still_frames((MINI / "media" / "placeholder-video.webm").read_bytes())
    four_minutes = placeholder_video.clip(still, 240)
    assert four_minutes == placeholder_video.clip(still, 240)
    assert len(four_minutes) < 10_000 and _webm_duration(four_minutes) == 240
    assert placeholder_video.seconds_for(22.5) == 23 and placeholder_video.seconds_for(30.0) == 30
    assert placeholder_video.seconds_for(0.2) == 1
    pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("/usr/bin/chromium (Debian package chromium) is missing")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--headless", "--no-sandbox"])
        page = browser.new_page()
        for seconds in (1, 61):
            data = list(placeholder_video.clip(still, seconds))
            found = page.evaluate("""async ([bytes]) => {
              const v = document.createElement('video'); v.muted = true;
              v.src = URL.createObjectURL(new Blob([new Uint8Array(bytes)], {type: 'video/webm'}));
              document.body.appendChild(v);
              await new Promise((ok, ko) => { v.onloadedmetadata = ok; v.onerror = () => ko(String(v.error.code)); });
              v.currentTime = Math.max(0, v.duration - 1); await new Promise(ok => v.onseeked = ok);
              await v.play().catch(() => {});        // a one-second clip may end before play() settles
              for (let i = 0; i < 40 && !v.ended; i++) await new Promise(ok => setTimeout(ok, 100));
              return [v.duration, v.videoWidth, v.ended, v.currentTime]; }""", [data])
            assert found == [seconds, still.width, True, seconds]
        browser.close()


def test_a_placeholder_that_is_no_still_webm_is_refused(tmp_path):
    sources = tmp_path / "sources"
    import shutil
    shutil.copytree(MINI, sources)
    (sources / "media" / "placeholder-video.webm").write_bytes(b"not a video")
    with pytest.raises(InputError) as info:
        load(sources)
    (problem,) = [p for p in info.value.problems if "not an EBML (WebM) file" in p.message]
    assert problem.file.endswith("course.yaml") and problem.line > 0 and "VP8 or VP9" in problem.fix


# ---- contrast of our own CSS --------------------------------------------------------

import re as _re  # noqa: E402

CSS = ROOT / "templates" / "scorm" / "runtime" / "player.css"


def _luminance(colour: str) -> float:
    c = colour.lstrip("#")
    channels = [int(c[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_of_the_scorm_player_css():
    """Every text colour on the backgrounds it is used on reaches WCAG 2.1 AA
    (4.5:1), the focus ring 3:1 against the page around it."""
    css = CSS.read_text("utf-8")
    var = dict(_re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    text_on = {"ink": ["paper", "wash", "good-wash", "bad-wash", "partial-wash"], "muted": ["paper", "wash"],
               "accent": ["paper", "wash"], "accent-ink": ["accent"], "good": ["good-wash"], "bad": ["bad-wash"],
               "partial": ["partial-wash"]}
    for fg, backgrounds in text_on.items():
        for bg in backgrounds:
            assert contrast(var[fg], var[bg]) >= 4.5, (fg, bg, round(contrast(var[fg], var[bg]), 2))
    for literal in _re.findall(r"background:\s*(#[0-9a-fA-F]{6})", css):      # the recipe and photo-story cards
        assert contrast(var["ink"], literal) >= 4.5, literal
    for bg in ("paper", "wash"):
        assert contrast(var["focus"], var[bg]) >= 3, (bg, round(contrast(var["focus"], var[bg]), 2))
    assert round(contrast("#f2a900", "#ffffff"), 2) == 2.01          # the ring it replaced (WCAG's own formula)


def test_the_beneficiary_badge_is_readable_in_boost(mbz):
    """The badge uses Boost's primary blue with white text (5.4:1, Boost 4.5's
    $primary #0f6cbf), not bg-info, where Boost sets dark text on teal (1.8:1)."""
    page = mbz.page_html("tutorial.p01.overview")
    badges = [b for b in page.iter("span") if "badge" in (b.get("class") or "").split()]
    assert badges and all(b.get("class") == "badge bg-primary text-white" for b in badges)
    assert round(contrast("#ffffff", "#0f6cbf"), 1) == 5.4 and round(contrast("#1d2125", "#008196"), 1) < 4.5


# ---- axe-core on the HTML the Moodle backup carries ------------------------------------

AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"


def _html_fields(mbz):
    """(where, name, HTML) of every HTML text of the backup's activities."""
    for a in mbz.activities():
        root = mbz.xml(f"{a['directory']}/{a['modulename']}.xml")
        for el in root.iter():
            if el.text and "<" in el.text and ">" in el.text:
                yield f"{a['idnumber']} <{el.tag}>", a["name"], el.text


def test_moodle_html_passes_axe(mbz):
    """Each page, label, chapter, intro and feedback of the backup, in a bare
    page with the activity's name as its heading (Boost's own layout and
    colours are checked by hand on a restored course: docs/learner-walk.md)."""
    pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists() or not AXE.exists():
        pytest.skip("needs /usr/bin/chromium and tests/node's axe-core (run bash tests/install-test-deps.sh)")
    from markupsafe import escape
    from playwright.sync_api import sync_playwright
    fields = list(_html_fields(mbz))
    assert len(fields) > 20
    body = "".join(f'<article data-where="{escape(where)}"><h2>{escape(name)}</h2>{html}</article>'
                   for where, name, html in fields)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--headless", "--no-sandbox"])
        page = browser.new_page()
        page.route("**/*", lambda route: route.abort())           # @@PLUGINFILE@@ images: nothing fetched
        page.set_content(f'<!DOCTYPE html><html lang="fr"><head><title>mini</title></head>'
                         f'<body><main>{body}</main></body></html>')
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""() => axe.run(document, {resultTypes: ['violations'],
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
        browser.close()
    assert [(v["id"], [n["html"][:80] for n in v["nodes"]][:3]) for v in result["violations"]] == []

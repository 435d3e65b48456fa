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

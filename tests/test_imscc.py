"""The IMS Common Cartridge target: cartridges valid against the CC 1.1
XSDs that Moodle ships (../shared/xsd/imscc-1.1, skipped with a reason where
absent), whose organization is the course's sections and whose assessments
grade every question type the way the Moodle backup does.

Cartridges are built through the real pipeline and read back here with
zipfile and lxml; expected values come from the loaded model and
course.yaml, never from the code under test.
"""
from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from conftest import edit
from resolution_pack.check import imscc as check_imscc
from resolution_pack import model as m
from resolution_pack.build import BuildOptions, build, prepare
from resolution_pack.text import plain, to_text

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
SOURCES = ROOT / "sources"
XSD = ROOT.parent / "shared" / "xsd" / "imscc-1.1"
needs_xsd = pytest.mark.skipif(not (XSD / "cc11libxml2validator.xsd").is_file(),
                               reason=f"the IMS CC 1.1 XSDs are not at {XSD}")
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
GAP = re.compile(r"\[\[(\d+)\]\]")
PROFILE = {"single": "cc.multiple_choice.v0p1", "multiple": "cc.multiple_response.v0p1",
           "truefalse": "cc.true_false.v0p1", "shortanswer": "cc.fib.v0p1"}


def _build(sources: Path, out: Path, langs=("fr",), cc="1.1"):
    return build(BuildOptions(sources=sources, out=out, langs=langs, jobs=1, allow_incomplete=True,
                              targets=("imscc",), cc_version=cc))


@pytest.fixture(scope="module")
def mini_cartridge(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cc") / "build"
    result = _build(MINI, out)
    assert result.archives == ["fr/MINI-FR.imscc"]
    return out / result.archives[0]


@pytest.fixture(scope="module")
def mini_model() -> m.Course:
    _course, editions, _w = prepare(BuildOptions(sources=MINI, langs=("fr",), allow_incomplete=True))
    return editions["fr"]


def _xml(zf: zipfile.ZipFile, name: str):
    return etree.fromstring(zf.read(name))


def _manifest(path: Path):
    with zipfile.ZipFile(path) as zf:
        return _xml(zf, "imsmanifest.xml")


def _assessment_items(path: Path, item_id: str) -> list:
    with zipfile.ZipFile(path) as zf:
        doc = _xml(zf, f"assessments/{item_id}.xml")
    return doc.findall(f".//{QTI}item")


def _profile(item) -> str:
    return item.findtext(f"{QTI}itemmetadata/{QTI}qtimetadata/{QTI}qtimetadatafield/{QTI}fieldentry")


def _choices(item) -> list[tuple[str, str]]:
    return [(label.get("ident"), to_text(label.findtext(f".//{QTI}mattext")))
            for label in item.iter(f"{QTI}response_label")]


def _correct(item) -> set[str]:
    """The choices the item scores 100 for, read from its response processing."""
    found = set()
    for cond in item.iter(f"{QTI}respcondition"):
        if cond.findtext(f"{QTI}setvar") == "100":
            found |= {v.text for v in cond.iter(f"{QTI}varequal") if v.getparent().tag != f"{QTI}not"}
    return found


# ---- structure -------------------------------------------------------------------

def test_the_organization_is_the_sections_and_their_items(mini_cartridge, mini_model):
    manifest = _manifest(mini_cartridge)
    ns = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
    root = manifest.find(f"{ns}organizations/{ns}organization/{ns}item")
    sections = root.findall(f"{ns}item")
    assert [s.findtext(f"{ns}title") for s in sections] == [plain(s.title) for s in mini_model.sections]
    for element, section in zip(sections, mini_model.sections):
        ids = [i.get("identifier") for i in element.findall(f"{ns}item")]
        assert ids == [f"I_{item.id}" for item in section.items]
    assert manifest.findtext(".//{*}lom/{*}general/{*}language") == "fr"


@needs_xsd
def test_every_xml_file_is_valid_against_the_cc_11_xsds(mini_cartridge):
    schemas = {name: etree.XMLSchema(etree.parse(str(XSD / name))) for name in
               ("cc11libxml2validator.xsd", "ccv1p1_qtiasiv1p2p1_v1p0.xsd", "ccv1p1_imswl_v1p1.xsd",
                "ccv1p1_imsdt_v1p1.xsd")}
    which = {"imsmanifest.xml": "cc11libxml2validator.xsd", "assessments/": "ccv1p1_qtiasiv1p2p1_v1p0.xsd",
             "links/": "ccv1p1_imswl_v1p1.xsd", "topics/": "ccv1p1_imsdt_v1p1.xsd"}
    seen = Counter()
    with zipfile.ZipFile(mini_cartridge) as zf:
        for name in zf.namelist():
            if not name.endswith(".xml"):
                continue
            key = next(v for k, v in which.items() if name.startswith(k))
            schema = schemas[key]
            assert schema.validate(_xml(zf, name)), (name, [str(e) for e in schema.error_log][:3])
            seen[key] += 1
    assert seen == {"cc11libxml2validator.xsd": 1, "ccv1p1_qtiasiv1p2p1_v1p0.xsd": 2, "ccv1p1_imswl_v1p1.xsd": 1,
                    "ccv1p1_imsdt_v1p1.xsd": 1}


def test_check_reads_it_without_a_problem(mini_cartridge):
    problems = []
    facts = check_imscc.read(mini_cartridge, lambda rule, msg: problems.append((rule, msg)),
                             XSD if XSD.is_dir() else None)
    assert problems == []
    assert facts.version == "1.1" and facts.lang == "fr"


def test_pages_carry_their_media_and_the_editions_subtitles(mini_cartridge, mini_model):
    videos = [(s, i) for s, i in mini_model.items() if isinstance(i, m.Video) and i.file]
    with zipfile.ZipFile(mini_cartridge) as zf:
        for _section, video in videos:
            page = zf.read(f"pages/{video.id}.html").decode("utf-8")
            assert f'src="../web_resources/{video.file.path}"' in page
            if video.subtitles:
                track = f"web_resources/generated/subtitles/{video.id}.fr.vtt"
                assert f'srclang="fr"' in page and f'src="../{track}"' in page
                assert zf.read(track).startswith(b"WEBVTT")
        assert zf.read("web_resources/media/placeholder-photo.png") == (MINI / "media/placeholder-photo.png").read_bytes()


# ---- assessments -----------------------------------------------------------------------

def _expected_items(q: m.Question) -> int:
    if q.type == "match":
        return len(q.pairs)
    if q.type == "ordering":
        return len(q.items)
    if q.type in ("gapselect", "ddwtos"):
        return len(GAP.findall(q.text))
    return 1


def test_every_question_becomes_profile_items_that_grade_like_moodle(mini_cartridge, mini_model):
    quizzes = [i for _s, i in mini_model.items() if isinstance(i, (m.Activities, m.Evaluation))]
    types = set()
    for quiz in quizzes:
        items = _assessment_items(mini_cartridge, quiz.id)
        by_question = {}
        for item in items:
            by_question.setdefault(item.get("ident").split(":")[0], []).append(item)
        assert list(by_question) == [q.id for q in quiz.questions]
        for q in quiz.questions:
            types.add(q.type)
            parts = by_question[q.id]
            assert len(parts) == _expected_items(q), q.id
            assert {_profile(p) for p in parts} == {PROFILE.get(q.type, "cc.multiple_choice.v0p1")}
            _assert_scoring(q, parts)
        # every question keeps its weight: its parts' weights add up to the same total
        weights = Counter()
        for item in items:
            fields = {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
                      for f in item.iter(f"{QTI}qtimetadatafield")}
            weights[item.get("ident").split(":")[0]] += int(fields.get("cc_weighting", 1))
        assert len(set(weights.values())) == 1, weights
    assert types == set(m.QUESTION_TYPES)


def _assert_scoring(q: m.Question, parts: list) -> None:
    def text_of(item, ident):
        return dict(_choices(item))[ident]
    if q.type in ("single", "multiple"):
        assert {text_of(parts[0], i) for i in _correct(parts[0])} == {to_text(c.text) for c in q.choices if c.correct}
    elif q.type == "truefalse":
        assert _correct(parts[0]) == {"true" if q.answer else "false"}
    elif q.type == "shortanswer":
        assert _correct(parts[0]) == {plain(a.text) for a in q.answers if a.fraction == 100}
    elif q.type == "match":
        for item, pair in zip(parts, q.pairs):
            assert [text_of(item, i) for i in _correct(item)] == [plain(pair.answer)]
            assert to_text(pair.question) in to_text(item.findtext(f"{QTI}presentation/{QTI}material/{QTI}mattext"))
    elif q.type == "ordering":
        for item, expected in zip(parts, q.items):
            assert [text_of(item, i) for i in _correct(item)] == [plain(expected.text)]
    else:
        for item, gap in zip(parts, [int(n) for n in GAP.findall(q.text)]):
            assert [text_of(item, i) for i in _correct(item)] == [to_text(q.choices[gap - 1].text)]


def test_graded_tests_state_their_pass_mark_and_formative_ones_do_not(mini_cartridge, mini_model):
    with zipfile.ZipFile(mini_cartridge) as zf:
        for _s, item in mini_model.items():
            if not isinstance(item, (m.Activities, m.Evaluation)):
                continue
            doc = _xml(zf, f"assessments/{item.id}.xml")
            fields = {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
                      for f in doc.find(f"{QTI}assessment/{QTI}qtimetadata")}
            assert fields["cc_profile"] == "cc.exam.v0p1"
            if isinstance(item, m.Evaluation):
                assert fields[check_imscc.PASS_FIELD] == str(item.pass_percent)
                assert f"{item.pass_percent}" in doc.findtext(f".//{QTI}rubric//{QTI}mattext")
            else:
                assert check_imscc.PASS_FIELD not in fields


def test_partial_credit_answers_are_left_out_and_listed(mini, tmp_path):
    path = mini / "sections" / "part-1.yaml"
    line = "          - {text: Erasmus, fraction: 100}\n"
    edit(path, line, line + "          - {text: presque, fraction: 50}\n")
    result = _build(mini, tmp_path / "build")
    assert any("'presque' at 50 %" in note and "left out" in note for note in result.notes), result.notes


# ---- CC 1.3 ---------------------------------------------------------------------------------

CC13_TO_11 = (("imsccv1p3", "imsccv1p1"), ("ccv1p3", "ccv1p1"), ("imswl_v1p3", "imswl_v1p1"),
              ("imsdt_v1p3", "imsdt_v1p1"), ("xmlv1p3", "xmlv1p1"), ("<schemaversion>1.3.0<", "<schemaversion>1.1.0<"))


def test_cc_13_has_the_13_namespaces_and_types(tmp_path):
    result = _build(MINI, tmp_path / "build", cc="1.3")
    path = tmp_path / "build" / result.archives[0]
    manifest = _manifest(path)
    assert etree.QName(manifest).namespace == "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
    assert manifest.findtext("{*}metadata/{*}schemaversion") == "1.3.0"
    types = {r.get("type") for r in manifest.iter("{*}resource")}
    assert types == {"webcontent", "imswl_xmlv1p3", "imsdt_xmlv1p3", "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"}
    with zipfile.ZipFile(path) as zf:
        assert etree.QName(_xml(zf, "links/home.site.xml")).namespace == "http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3"
        assert etree.QName(_xml(zf, "topics/home.announcements.xml")).namespace == \
            "http://www.imsglobal.org/xsd/imsccv1p3/imsdt_v1p3"
    problems = []
    facts = check_imscc.read(path, lambda rule, msg: problems.append((rule, msg)))
    assert problems == [] and facts.version == "1.3"


@needs_xsd
def test_cc_13_is_structurally_valid(tmp_path):
    """Without the 1.3 XSDs: the same documents, with the 1.3 namespaces,
    schema locations and types mapped to 1.1, are valid against the 1.1 XSDs
    (the two profiles differ by those and by additions 1.3 makes that this
    target does not use)."""
    result = _build(MINI, tmp_path / "build", cc="1.3")
    schema = etree.XMLSchema(etree.parse(str(XSD / "cc11libxml2validator.xsd")))
    qti = etree.XMLSchema(etree.parse(str(XSD / "ccv1p1_qtiasiv1p2p1_v1p0.xsd")))
    with zipfile.ZipFile(tmp_path / "build" / result.archives[0]) as zf:
        text = zf.read("imsmanifest.xml").decode("utf-8")
        for old, new in CC13_TO_11:
            text = text.replace(old, new)
        assert schema.validate(etree.fromstring(text.encode())), [str(e) for e in schema.error_log][:3]
        for name in (n for n in zf.namelist() if n.startswith("assessments/")):
            assert qti.validate(_xml(zf, name)), name


# ---- the real course ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def fr_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real") / "build"
    build(BuildOptions(sources=SOURCES, out=out, langs=("fr",), jobs=1, targets=("imscc",)))
    return out


def test_check_counts_the_course_figures_from_the_cartridge_alone(fr_build):
    """A build of the cartridge only: `check` takes its figures as the edition's."""
    import yaml
    from resolution_pack.check import analyse
    expected = yaml.safe_load((SOURCES / "course.yaml").read_text("utf-8"))["expected"]["per_edition"]
    reports, problems = analyse(fr_build, None, cc_xsd=XSD if XSD.is_dir() else None)
    assert [str(p) for p in problems] == []
    assert reports["fr"].figures == expected


# ---- check on broken cartridges --------------------------------------------------------------

def _rewrite(source: Path, target: Path, change) -> Path:
    """A copy of a cartridge with `change(name, data) -> data or None (drop)` applied."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
    return target


def _problems(path: Path) -> list[tuple[str, str]]:
    found = []
    check_imscc.read(path, lambda rule, msg: found.append((rule, msg)), XSD if XSD.is_dir() else None)
    return found


@pytest.mark.parametrize("change, rule, words", [
    (lambda n, d: None if n == "web_resources/media/placeholder-photo.png" else d, "files", "not in the cartridge"),
    (lambda n, d: d.replace(b"../web_resources/media/placeholder-photo.png", b"../web_resources/nope.png")
     if n.startswith("pages/") else d, "links", "nope.png"),
    (lambda n, d: d.replace(b'type="imswl_xmlv1p1">', b'type="imswl_xmlv1p1" href="links/home.site.xml">')
     if n == "imsmanifest.xml" else d, "profile", "must have one file and no href"),
    (lambda n, d: d.replace(b"x-resolution-pack-pass-percent", b"something-else")
     if n == "assessments/part-1.evaluation.xml" else d, None, None),
])
def test_check_finds_what_is_broken(mini_cartridge, tmp_path, change, rule, words):
    broken = _rewrite(mini_cartridge, tmp_path / "broken.imscc", change)
    problems = _problems(broken)
    if rule is None:   # the graded test no longer states its pass mark: it counts as formative
        facts = check_imscc.read(broken, lambda *a: None)
        assert facts.figures["evaluation_phases"] == 0 and facts.figures["exercises"] == 0
        return
    assert any(r == rule and words in msg for r, msg in problems), problems


def test_check_finds_a_file_no_resource_lists(mini_cartridge, tmp_path):
    def add(name, data):
        return data
    broken = _rewrite(mini_cartridge, tmp_path / "extra.imscc", add)
    with zipfile.ZipFile(broken, "a") as zf:
        zf.writestr("stray.txt", b"left behind")
    assert ("files", "stray.txt is in the cartridge but no resource lists it") in _problems(broken)

"""A Common Cartridge read back: its manifest (against the CC 1.1 XSDs when
they are at hand), the files its resources list, its pages' videos and
subtitle tracks, its assessments' questions, and the course figures counted
from them. Code of its own: nothing here imports a target.

How figures are counted from a cartridge (the writer's conventions, read
from the files): an item's identifier is `I_` + the stable id; a graded
test is an assessment with a pass mark field; a question part's item ident
is `<question id>:<n>`.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from .drift import compare
from .findings import EditionReport, check_name, finding
from .webvtt import vtt_problems

CP_NAMESPACES = {"http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1": "1.1",
                 "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1": "1.3"}
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
PASS_FIELD = "x-resolution-pack-pass-percent"
RESOURCE_TYPES = {"webcontent", "imswl_xmlv1p{n}", "imsdt_xmlv1p{n}", "imsqti_xmlv1p2/imscc_xmlv1p{n}/assessment",
                  "imsqti_xmlv1p2/imscc_xmlv1p{n}/question-bank",
                  "associatedcontent/imscc_xmlv1p{n}/learning-application-resource", "imsbasiclti_xmlv1p0"}
PROFILES = {"cc.multiple_choice.v0p1", "cc.multiple_response.v0p1", "cc.true_false.v0p1", "cc.fib.v0p1",
            "cc.pattern_match.v0p1", "cc.essay.v0p1"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
SHEET = re.compile(r"^I_toolbox\.([^.]+)\.sheet$")


@dataclass
class Cartridge:
    """What a cartridge holds, as counted from its files."""
    version: str = ""
    lang: str = ""
    figures: dict = field(default_factory=dict)
    questions: dict = field(default_factory=lambda: {"exercise": set(), "formative": set()})
    items: int = 0
    resources_by_type: dict = field(default_factory=dict)
    pass_marks: list = field(default_factory=list)
    tracks: list = field(default_factory=list)      # (srclang, page)


def check(path: Path, lang: str, report: EditionReport, problems: list, options=None) -> None:
    """Integrity of one cartridge; its figures compared with the .mbz's (read
    first), or taken as the edition's when the build has no .mbz."""
    def problem(rule, message):
        problems.append(finding(lang, path.name, rule, message))
    facts = read(path, problem, getattr(options, "cc_xsd", None), lang)
    if facts is None:
        return
    compare(facts.figures, facts.questions, path.name, lang, report, problems)
    for track_lang, page in facts.tracks:
        if track_lang != lang:
            problem("language", f"{page}: subtitle track in {track_lang!r}, expected {lang!r}")


def read(path: Path, problem, xsd: Path | None = None, lang: str = "") -> Cartridge | None:
    """Read one cartridge; `problem(rule, message)` records what is wrong."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        problem("archive", f"cannot read the archive: {exc}")
        return None
    with zf:
        names = {info.filename for info in zf.infolist()}
        for name in sorted(names):
            check_name(name, lang, path.name, _Collect(problem))
        if "imsmanifest.xml" not in names:
            problem("structure", "imsmanifest.xml is missing at the cartridge root")
            return None
        manifest = _parse(zf.read("imsmanifest.xml"), "imsmanifest.xml", problem)
        if manifest is None:
            return None
        facts = Cartridge(version=CP_NAMESPACES.get(etree.QName(manifest).namespace, ""))
        if not facts.version:
            problem("manifest", f"not a Common Cartridge 1.1 or 1.3 manifest ({etree.QName(manifest).namespace})")
            return None
        if xsd is not None:
            validate(manifest, "imsmanifest.xml", xsd, problem)
        ns = "{" + etree.QName(manifest).namespace + "}"
        facts.lang = manifest.findtext(f".//{{*}}lom/{{*}}general/{{*}}language") or ""
        resources = _resources(manifest, ns, names, facts, problem)
        _profile_rules(manifest, ns, resources, problem)
        _figures(zf, manifest, ns, resources, facts, problem, xsd)
        _orphans(names, resources, problem)
        for name in sorted(n for n in names if n.endswith(".vtt")):
            for message in vtt_problems(zf.read(name)):
                problem("webvtt", f"{name}: {message}")
        return facts


class _Collect(list):
    """A problems list that hands each Problem to `problem(rule, message)`."""
    def __init__(self, problem):
        super().__init__()
        self.problem = problem

    def append(self, p) -> None:
        self.problem(p.rule, p.message)


def _parse(data: bytes, name: str, problem):
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        problem("well-formed", f"{name}: {exc}")
        return None


def _resources(manifest, ns: str, names: set, facts: Cartridge, problem) -> dict:
    """identifier -> (type, href, files), every listed file checked present."""
    n = "1" if facts.version == "1.1" else "3"
    allowed = {t.format(n=n) for t in RESOURCE_TYPES}
    found = {}
    for res in manifest.iter(f"{ns}resource"):
        rid, rtype = res.get("identifier", ""), res.get("type", "")
        if rtype not in allowed:
            problem("manifest", f"resource {rid} has type {rtype!r}, not a CC {facts.version} type")
        files = [unquote(f.get("href", "")) for f in res.iter(f"{ns}file")]
        for name in files:
            if name not in names:
                problem("files", f"imsmanifest.xml lists {name}, which is not in the cartridge")
        found[rid] = (rtype, unquote(res.get("href") or "") or None, files,
                      [d.get("identifierref") for d in res.iter(f"{ns}dependency")])
        facts.resources_by_type[rtype] = facts.resources_by_type.get(rtype, 0) + 1
    for rid, (_t, _h, _f, deps) in found.items():
        for dep in deps:
            if dep not in found:
                problem("manifest", f"resource {rid} depends on {dep}, which is not a resource")
    return found


def _profile_rules(manifest, ns: str, resources: dict, problem) -> None:
    """The CC profile's Schematron rules for resources and items (the same in
    CC 1.1 to 1.3; the XSDs do not check them): one file and no href for a
    topic, a web link or an assessment, no dependency of a web link, only
    web content as a dependency, an href listed among the resource's files,
    no file or dependency twice, no item under an item that links a resource."""
    for rid, (rtype, href, files, deps) in resources.items():
        single = rtype.startswith(("imsdt_", "imswl_")) or rtype.endswith("/assessment")
        if single and (len(files) != 1 or href):
            problem("profile", f"resource {rid} ({rtype}) must have one file and no href")
        if rtype.startswith("imswl_") and deps:
            problem("profile", f"web link {rid} must not have dependencies")
        for dep in deps:
            if dep in resources and resources[dep][0] != "webcontent":
                problem("profile", f"resource {rid} depends on {dep}, a {resources[dep][0]}")
            if dep == rid:
                problem("profile", f"resource {rid} depends on itself")
        if len(set(deps)) != len(deps) or len(set(files)) != len(files):
            problem("profile", f"resource {rid} lists a file or a dependency twice")
        if href and href not in files:
            problem("profile", f"resource {rid} has href {href} but no such file")
    for item in manifest.iter(f"{ns}item"):
        if item.get("identifierref") and item.find(f"{ns}item") is not None:
            problem("profile", f"item {item.get('identifier')} links a resource and holds items")


def _figures(zf, manifest, ns: str, resources: dict, facts: Cartridge, problem, xsd) -> None:
    figures = dict.fromkeys(("projects", "tutorial_videos", "subtitle_files", "mooc_videos",
                             "evaluation_phases", "exercises", "formative_activities"), 0)
    projects = set()
    for section in manifest.findall(f"{ns}organizations/{ns}organization/{ns}item/{ns}item"):
        videos, graded = [], False
        for item in section.iter(f"{ns}item"):
            if item is section:
                continue
            facts.items += 1
            iid, ref = item.get("identifier", ""), item.get("identifierref")
            if ref is None:
                continue
            if ref not in resources:
                problem("manifest", f"item {iid} refers to {ref}, which is not a resource")
                continue
            rtype, href, files, _deps = resources[ref]
            if (m := SHEET.match(iid)) and rtype == "webcontent":
                projects.add(m.group(1))
            if rtype == "webcontent" and href and href.endswith((".html", ".htm")) and href in files:
                for tracks in _page_videos(zf, href, problem):
                    videos.append((iid, tracks))
            elif rtype.endswith("/assessment") and files:
                graded |= _assessment(zf, files[0], facts, problem, xsd)
            elif rtype.startswith(("imswl_", "imsdt_")) and files:
                doc = _parse(zf.read(files[0]), files[0], problem)
                if doc is not None and xsd is not None:
                    validate(doc, files[0], xsd, problem)
        for iid, tracks in videos:
            if iid.startswith("I_tutorial."):
                figures["tutorial_videos"] += 1
                figures["subtitle_files"] += len(tracks)
            elif graded:
                figures["mooc_videos"] += 1
            facts.tracks.extend((lang, iid) for lang in tracks)
    figures["projects"] = len(projects)
    figures["evaluation_phases"] = len(facts.pass_marks)
    figures["exercises"] = len(facts.questions["exercise"])
    figures["formative_activities"] = len(facts.questions["formative"])
    facts.figures = figures


def _page_videos(zf, href: str, problem) -> list[list[str]]:
    """The subtitle languages of each <video> of a page; its local links checked."""
    doc = lxml_html.fromstring(zf.read(href))
    base = PurePosixPath(href).parent
    names = set(zf.namelist())
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("src", "href", "poster"):
            value = el.get(attr)
            if value and not urlsplit(value).scheme and not value.startswith(("#", "/")):
                target = _normalise(base / unquote(urlsplit(value).path))
                if target not in names:
                    problem("links", f"{href}: {attr}={value} is not in the cartridge")
    return [[t.get("srclang", "") for t in v.iter("track") if t.get("kind", "subtitles") in ("subtitles", "captions")]
            for v in doc.iter("video")]


def _normalise(path: PurePosixPath) -> str:
    parts = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _assessment(zf, name: str, facts: Cartridge, problem, xsd) -> bool:
    """Count an assessment's questions; True when it is a graded test."""
    doc = _parse(zf.read(name), name, problem)
    if doc is None:
        return False
    if xsd is not None:
        validate(doc, name, xsd, problem)
    assessment = doc.find(f"{QTI}assessment")
    if assessment is None:
        problem("qti", f"{name}: no assessment")
        return False
    fields = {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
              for f in assessment.findall(f"{QTI}qtimetadata/{QTI}qtimetadatafield")}
    graded = PASS_FIELD in fields
    if graded:
        facts.pass_marks.append(fields[PASS_FIELD])
    kind = "exercise" if graded else "formative"
    for item in assessment.iter(f"{QTI}item"):
        profile = item.findtext(f"{QTI}itemmetadata/{QTI}qtimetadata/{QTI}qtimetadatafield/{QTI}fieldentry")
        if profile not in PROFILES:
            problem("qti", f"{name}: item {item.get('ident')} has profile {profile!r}")
        facts.questions[kind].add(item.get("ident", "").split(":")[0])
    return graded


def _orphans(names: set, resources: dict, problem) -> None:
    listed = {"imsmanifest.xml"} | {f for _t, _h, files, _d in resources.values() for f in files}
    for name in sorted(n for n in names if not n.endswith("/") and n not in listed):
        problem("files", f"{name} is in the cartridge but no resource lists it")


# ---- XSD validation ----------------------------------------------------------------

def default_xsd(checkout: Path | None = None) -> Path | None:
    """The CC 1.1 XSDs beside a checkout (../shared/xsd/imscc-1.1), if there."""
    checkout = checkout or Path(__file__).resolve().parents[2]
    folder = checkout.parent / "shared" / "xsd" / "imscc-1.1"
    return folder if (folder / "cc11libxml2validator.xsd").is_file() else None


_SCHEMAS: dict = {}
SCHEMA_FILES = {"http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1": "cc11libxml2validator.xsd",
                "http://www.imsglobal.org/xsd/ims_qtiasiv1p2": "ccv1p1_qtiasiv1p2p1_v1p0.xsd",
                "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1": "ccv1p1_imswl_v1p1.xsd",
                "http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1": "ccv1p1_imsdt_v1p1.xsd"}


def validate(doc, name: str, xsd: Path, problem) -> bool:
    """Validate one document against the CC 1.1 XSD of its root namespace
    (CC 1.3 documents are not validated here: see docs/ims-and-moodle-xml.md)."""
    file = SCHEMA_FILES.get(etree.QName(doc).namespace)
    if file is None:
        return True
    key = (str(xsd), file)
    if key not in _SCHEMAS:
        try:
            _SCHEMAS[key] = etree.XMLSchema(etree.parse(str(Path(xsd) / file)))
        except (OSError, etree.XMLSchemaParseError) as exc:
            problem("xsd", f"cannot load {file} from {xsd}: {exc}")
            _SCHEMAS[key] = None
    schema = _SCHEMAS[key]
    if schema is None or schema.validate(doc):
        return True
    for error in list(schema.error_log)[:5]:
        problem("xsd", f"{name}:{error.line}: {error.message}")
    return False

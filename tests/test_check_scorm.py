"""check's reading of a SCORM package (a small hand-written zip), and the
rules check applies across an edition: SCORM drift, untranslated titles,
missing editions and archives, where the expected figures come from."""
import json
import zipfile

import pytest

from resolution_pack import check
from resolution_pack.check import scorm
from resolution_pack.check.expected import expected, read_manifest
from resolution_pack.check.findings import EditionReport
from resolution_pack.errors import InputError, Problem

MANIFEST = ('<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m"><metadata><schema>ADL SCORM'
            '</schema><schemaversion>2004 4th Edition</schemaversion></metadata><organizations/><resources>'
            '<resource identifier="r" type="webcontent" href="index.html"><file href="index.html"/>'
            '<file href="media/a%20b.vtt"/><file href="data.xml"/></resource></resources></manifest>')
PAGE = ('<html><body><div data-question-id="q1" data-kind="exercise"></div>'
        '<div data-question-id="q2" data-kind="formative"></div><!-- a comment --><p>x</p></body></html>')
VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n"


def package(tmp_path, **changes):
    files = {"imsmanifest.xml": MANIFEST, "index.html": PAGE, "media/a b.vtt": VTT, "data.xml": "<d/>"}
    files.update(changes)
    path = tmp_path / "part-1-en.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            if data is not None:
                zf.writestr(name, data)
    return path


def read(path, lang="en"):
    report, problems = EditionReport(lang), []
    scorm.check(path, lang, report, problems)
    return report, [(p.file, p.rule, p.message) for p in problems]


S = "en/scorm/part-1-en.zip"


def test_a_good_package(tmp_path):
    report, problems = read(package(tmp_path))
    assert problems == []
    assert (report.scorm_packages, report.scorm_questions) == (1, {"exercise": {"q1"}, "formative": {"q2"}})


@pytest.mark.parametrize("changes, findings, packages", [
    ({"imsmanifest.xml": None}, [(S, "structure", "imsmanifest.xml is missing at the package root")], 0),
    ({"imsmanifest.xml": "<manifest>"}, [(S, "well-formed", "imsmanifest.xml: Premature end of data in tag manifest "
                                                          "line 1, line 1, column 11 (<string>, line 1)")], 0),
    ({"data.xml": None}, [(S, "files", "imsmanifest.xml lists data.xml, which is not in the package")], 1),
    ({"media/a b.vtt": None}, [(S, "files", "imsmanifest.xml lists media/a%20b.vtt, which is not in the package")], 1),
    ({"data.xml": "<d>"}, [(S, "well-formed", "data.xml: Premature end of data in tag d line 1, line 1, column 4 "
                                           "(<string>, line 1)")],
     1),
    ({"media/a b.vtt": "WEBVTT\n\n0:00 --> 0:01\nx\n"},
     [(S, "webvtt", "media/a b.vtt: bad cue timing '0:00 --> 0:01'")], 1),
    ({"index.html": PAGE.replace('data-kind="formative"', 'data-kind="quiz"')},
     [(S, "structure", "index.html: question q2 has data-kind 'quiz'")], 1),
    ({"../up.txt": "x"}, [(S, "entry-name", "unsafe entry name '../up.txt'")], 1),
    ({"page.htm": '<p data-question-id="q3" data-kind="exercise">x</p>'}, [], 1),
    ({"index.html": PAGE.replace(' data-kind="exercise"', '')},
     [(S, "structure", "index.html: question q1 has data-kind ''")], 1),
    ({"imsmanifest.xml": MANIFEST.replace('<file href="data.xml"/>', '<file/>')},
     [(S, "files", "imsmanifest.xml lists , which is not in the package")], 1),
], ids=["no manifest", "manifest not well-formed", "listed file missing", "listed file, quoted, missing",
        "xml not well-formed", "bad webvtt", "bad data-kind", "unsafe name", "htm page", "no data-kind",
        "a file without href"])
def test_one_change_exactly_these_findings(tmp_path, changes, findings, packages):
    report, problems = read(package(tmp_path, **changes))
    assert problems == findings
    assert report.scorm_packages == packages


def test_a_bad_question_does_not_hide_the_next_one(tmp_path):
    page = PAGE.replace('data-kind="exercise"', 'data-kind="quiz"')
    report, problems = read(package(tmp_path, **{"index.html": page}))
    assert problems == [(S, "structure", "index.html: question q1 has data-kind 'quiz'")]
    assert report.scorm_questions == {"exercise": set(), "formative": {"q2"}}


def test_the_packages_of_an_edition_add_up(tmp_path):
    report, problems = EditionReport("en"), []
    path = package(tmp_path)
    scorm.check(path, "en", report, problems)
    scorm.check(path, "en", report, problems)
    assert (problems, report.scorm_packages) == ([], 2)


def test_the_questions_of_htm_pages_count_too(tmp_path):
    report, _ = read(package(tmp_path, **{"page.htm": '<p data-question-id="q3" data-kind="exercise">x</p>'}))
    assert report.scorm_questions == {"exercise": {"q1", "q3"}, "formative": {"q2"}}


def test_not_a_zip(tmp_path):
    path = tmp_path / "part-1-en.zip"
    path.write_bytes(b"not a zip")
    assert read(path)[1] == [(S, "archive", "cannot read the archive: File is not a zip file")]


def test_manifest_checked_against_the_xsds_when_given(tmp_path):
    from resolution_pack.scorm_xsd import default_folder
    folder = default_folder()
    if folder is None:
        pytest.skip("ADL's SCORM XSDs not found (tests/install-test-deps.sh installs them)")
    problems = []
    scorm.check(package(tmp_path), "en", EditionReport("en"), problems, check.Options(folder))
    assert problems == []
    bogus = MANIFEST.replace("<organizations/>", "<organizations/><bogus/>")
    scorm.check(package(tmp_path, **{"imsmanifest.xml": bogus}), "en", EditionReport("en"), problems,
                check.Options(folder))
    assert [(p.file, p.rule, p.message.split(":")[:2]) for p in problems] == [(S, "manifest", ["imsmanifest.xml", "1"])]
    many = MANIFEST.replace("</resources>", "".join(f'<resource identifier="x{n}" href="index.html"/>'
                                                    for n in range(7)) + "</resources>")   # 7 without type=
    problems = []
    scorm.check(package(tmp_path, **{"imsmanifest.xml": many}), "en", EditionReport("en"), problems,
                check.Options(folder))
    assert [p.message for p in problems] == ["imsmanifest.xml:1: Element '{http://www.imsglobal.org/xsd/imscp_v1p1}"
                                             "resource': The attribute 'type' is required but missing."] * 5
    scorm12 = MANIFEST.replace("2004 4th Edition", "1.2")
    problems = []
    scorm.check(package(tmp_path, **{"imsmanifest.xml": scorm12}), "en", EditionReport("en"), problems,
                check.Options(tmp_path / "none"))
    assert [(p.file, p.rule, p.message.split(" XSDs")[0]) for p in problems] == [
        (S, "manifest", "cannot load the SCORM 1.2")]
    problems = []
    scorm.check(package(tmp_path, **{"imsmanifest.xml": MANIFEST.replace("<schemaversion>2004 4th Edition"
                                                                         "</schemaversion>", "")}),
                "en", EditionReport("en"), problems, check.Options(tmp_path / "none"))
    assert [(p.file, p.rule, p.message.split(" XSDs")[0]) for p in problems] == [
        (S, "manifest", "cannot load the SCORM 2004")]


# -- across an edition -------------------------------------------------------

def report(lang, mbz=(), scorm_q=(), packages=1, titles=()):
    r = EditionReport(lang)
    r.mbz_questions = {"exercise": set(mbz), "formative": set()}
    r.scorm_questions = {"exercise": set(scorm_q), "formative": set()}
    r.scorm_packages = packages
    r.titles = list(titles)
    return r


@pytest.mark.parametrize("r, messages", [
    (report("en", {"a", "b"}, {"a", "b"}), []),
    (report("en", {"a", "b", "c"}, {"a"}),
     ["en/scorm: [drift] 2 exercise question(s) in the .mbz but in no SCORM package: b, c"]),
    (report("en", {"a"}, {"a", "z"}), ["en/scorm: [drift] 1 exercise question(s) in SCORM but not in the .mbz: z"]),
    (report("en", set("abcdefg"), set()),
     ["en/scorm: [drift] 7 exercise question(s) in the .mbz but in no SCORM package: a, b, c, d, e"]),
    (report("en", {"a"}, set(), packages=0), []),
])
def test_drift(r, messages):
    problems = []
    check._drift(r, problems)
    assert [str(p) for p in problems] == messages


def test_drift_of_formative_questions():
    r = report("en")
    r.mbz_questions["formative"] = {"f1"}
    r.scorm_questions["formative"] = {"f2"}
    problems = []
    check._drift(r, problems)
    assert [str(p) for p in problems] == [
        "en/scorm: [drift] 1 formative question(s) in the .mbz but in no SCORM package: f1",
        "en/scorm: [drift] 1 formative question(s) in SCORM but not in the .mbz: f2"]


FR = ["Accueil", "Annonces", "Partie 1", "Test", "Forum", "Documents", "Vidéo", "Quiz", "Bus", "Fiche", "Carte"]


@pytest.mark.parametrize("titles, source, messages", [
    (["Home", "News", "Part 1", "Test", "Forum", "Files", "Video", "Quizz", "Bus", "Sheet", "Map"], "fr",
     ["en: [language] 3 of 11 activity titles are the same as in the fr edition: untranslated?"]),
    (["Home", "News", "Part 1", "Test", "Forum", "Files", "Video", "Quizz", "Bus", "Sheet"], "fr",
     ["en: [language] 3 of 10 activity titles are the same as in the fr edition: untranslated?"]),
    (["Home", "News", "Part 1", "Exam", "Forum", "Files", "Video", "Quizz", "Coach", "Sheet"], "fr", []),  # 1 in 10
    (["Home", "News", "Part 1", "Test", "Forum", "Files", "Video", "Quizz", "Coach", "Sheet", "Map"], "fr",
     ["en: [language] 2 of 11 activity titles are the same as in the fr edition: untranslated?"]),
    (FR, "fr", ["en: [language] 11 of 11 activity titles are the same as in the fr edition: untranslated?"]),
    (FR, "", []),
    (FR, "de", []),
    ([], "fr", []),
    (["", "", "Accueil"], "fr", ["en: [language] 1 of 3 activity titles are the same as in the fr edition: "
                                 "untranslated?"]),
])
def test_untranslated(titles, source, messages):
    reports = {"fr": report("fr", titles=FR + [""]), "en": report("en", titles=titles)}
    problems = []
    check._untranslated(reports, problems, source)
    assert [str(p) for p in problems] == messages


def test_analyse_names_missing_editions_and_archives(tmp_path):
    (tmp_path / "fr").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "pt_BR").mkdir()
    reports, problems = check.analyse(tmp_path, None, None)
    assert list(reports) == ["en", "fr", "pt_BR"]
    assert [str(p) for p in problems] == ["en: [structure] no archive", "fr: [structure] no archive",
                                          "pt_BR: [structure] no archive"]
    reports, problems = check.analyse(tmp_path, None, ["fr", "hu"])
    assert (list(reports), [str(p) for p in problems]) == (
        ["fr"], ["fr: [structure] no archive", "hu: [structure] no folder for this edition of the course"])
    assert check.analyse(tmp_path / "none", None, None) == ({}, [])


def test_run_refuses_what_it_cannot_compare(tmp_path):
    with pytest.raises(InputError) as info:
        check.run(tmp_path / "none")
    assert info.value.problems == [Problem(str(tmp_path / "none"), 0, 0, "no such folder",
                                           fix="name the folder `resolution-pack build` wrote (default: build)")]
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError) as info:
        check.run(tmp_path / "file")
    assert info.value.problems[0].message == "is not a folder"
    build = tmp_path / "build"
    (build / ".resolution-pack").mkdir(parents=True)
    (build / ".resolution-pack" / "manifest.json").write_text(json.dumps(
        {"files": {}, "expected": {"per_edition": {"exercises": 1}, "languages": ["fr", "en"]}}))
    with pytest.raises(InputError) as info:
        check.run(build, langs=("hu",))
    assert info.value.problems == [Problem(str(build / ".resolution-pack" / "manifest.json"), 0, 0,
                                           "--lang hu: the course has no such edition", fix="use one of fr, en")]
    lines = []
    assert check.run(build, echo=lines.append, xsd=tmp_path) == 1
    assert lines[-3:] == ["fr: [structure] no folder for this edition of the course",
                          "en: [structure] no folder for this edition of the course", "check: 2 problem(s)"]


def test_read_manifest(tmp_path):
    assert read_manifest(tmp_path) is None
    (tmp_path / ".resolution-pack").mkdir()
    path = tmp_path / ".resolution-pack" / "manifest.json"
    path.write_text("[1, 2]")
    assert read_manifest(tmp_path) is None
    path.write_text('{"files": {}}')
    assert read_manifest(tmp_path) == {"files": {}}
    path.write_text("{broken")
    with pytest.raises(InputError) as info:
        read_manifest(tmp_path)
    [p] = info.value.problems
    assert (p.file, p.line, p.message.split(":")[0], p.fix) == (str(path), 0, "the build's manifest cannot be read",
                                                                "build again into this folder")


def test_expected_problems_whole(tmp_path):
    sources = tmp_path / "sources"
    with pytest.raises(InputError) as info:
        expected(tmp_path, sources, None)
    assert info.value.problems == [Problem(str(sources / "course.yaml"), 0, 0, "no such file",
                                           fix="give with --sources the folder that holds course.yaml")]
    sources.mkdir()
    (sources / "course.yaml").write_text("expected: {total: {exercises: 4}}\nlanguages: [fr, 3]\n")
    e = expected(tmp_path, sources, {"expected": {"per_edition": {"exercises": 9}}})
    assert (e.per_edition, e.total, e.languages, e.source_language, e.origin) == (
        {}, {"exercises": 4}, ["fr", "3"], "", str(sources / "course.yaml"))
    (sources / "course.yaml").write_text("expected: [1]\n")
    with pytest.raises(InputError) as info:
        expected(tmp_path, sources, None)
    assert info.value.problems == [Problem(str(sources / "course.yaml"), 0, 0,
                                           "no expected figures ('expected' is empty or missing)",
                                           fix="add 'expected: {per_edition: ..., total: ...}' to course.yaml")]
    (sources / "course.yaml").write_bytes(b"\xff\xfe")
    with pytest.raises(InputError) as info:
        expected(tmp_path, sources, None)
    assert info.value.problems[0].fix == "run resolution-pack validate on the sources"
    with pytest.raises(InputError) as info:
        expected(tmp_path, None, {"expected": "not a mapping"})
    assert info.value.problems == [Problem(
        str(tmp_path), 0, 0, "no expected figures: the folder holds no manifest of a build "
        "(.resolution-pack/manifest.json), so nothing can be compared",
        fix="name the folder `resolution-pack build` wrote, or give the sources with --sources DIR")]
    e = expected(tmp_path, None, {"expected": {"total": {"projects": 2}, "per_edition": None, "languages": None}})
    assert (e.per_edition, e.total, e.languages, e.source_language) == ({}, {"projects": 2}, [], "")


def test_expected_as_dict():
    from resolution_pack.check.expected import Expected
    assert Expected({"exercises": 2}, {"exercises": 4}, ["fr", "en"], "fr", "m.json").as_dict() == {
        "per_edition": {"exercises": 2}, "total": {"exercises": 4}, "languages": ["fr", "en"],
        "source_language": "fr", "from": "m.json"}


def test_manifest_problems_of_nested_archives_and_other_editions(tmp_path):
    from resolution_pack.check.expected import manifest_problems
    (tmp_path / "fr" / "scorm").mkdir(parents=True)
    (tmp_path / "fr" / "scorm" / "p-fr.zip").write_bytes(b"zip")
    files = {"de/A.mbz": {}, "en/A.mbz": {}, "fr/scorm/gone.zip": {}, "fr/scorm/p-fr.zip": "not a record"}
    assert [str(p) for p in manifest_problems(tmp_path, {"files": files}, ["fr", "en"])] == [
        "en/A.mbz: [manifest] written by the build but missing",
        "fr/scorm/gone.zip: [manifest] written by the build but missing"]
    assert [str(p) for p in manifest_problems(tmp_path, {"files": files}, ["de", "fr"])] == [
        "de/A.mbz: [manifest] written by the build but missing",
        "fr/scorm/gone.zip: [manifest] written by the build but missing"]


def test_unreadable_manifest_and_course_yaml_whole(tmp_path):
    (tmp_path / ".resolution-pack").mkdir()
    path = tmp_path / ".resolution-pack" / "manifest.json"
    path.write_text("{broken")
    with pytest.raises(InputError) as info:
        read_manifest(tmp_path)
    assert info.value.problems == [Problem(str(path), 0, 0, "the build's manifest cannot be read: Expecting property "
                                           "name enclosed in double quotes: line 1 column 2 (char 1)",
                                           fix="build again into this folder")]
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "course.yaml").write_bytes(b"a: [b\n")
    with pytest.raises(InputError) as info:
        expected(tmp_path, sources, None)
    [p] = info.value.problems
    assert (p.file, p.line, p.column, p.message.splitlines()[0], p.fix) == (
        str(sources / "course.yaml"), 0, 0, "cannot be read: while parsing a flow sequence",
        "run resolution-pack validate on the sources")

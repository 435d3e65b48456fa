"""check's reading of a Moodle backup, on a small hand-written .mbz: one
change at a time, and exactly the findings and figures it must give."""
import hashlib
import io
import tarfile

import pytest

from resolution_pack.check import mbz
from resolution_pack.check.findings import EditionReport

VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour\n"
PDF = b"%PDF-1.4 a sheet"
WEBM = b"\x1a\x45\xdf\xa3 a video"


def sha(data):
    return hashlib.sha1(data).hexdigest()


def file_record(fid, data, name, context, path="/"):
    return (f'<file id="{fid}"><contenthash>{sha(data)}</contenthash><contextid>{context}</contextid>'
            f'<component>mod_page</component><filearea>content</filearea><itemid>0</itemid>'
            f'<filepath>{path}</filepath><filename>{name}</filename><filesize>{len(data)}</filesize>'
            f'<mimetype>x</mimetype></file>')


def video_page(name="Vidéo", tracks='<track kind="subtitles" srclang="en" src="@@PLUGINFILE@@/a.vtt">'):
    html = (f'<p>Voir</p><video controls><source src="@@PLUGINFILE@@/v.webm">{tracks}</video>'
            f'<a href="@@PLUGINFILE@@/sheet%20one.pdf">pdf</a>')
    return (f'<activity id="1" moduleid="10" modulename="page" contextid="20"><page id="1"><name>{name}</name>'
            f'<content>{html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}</content>'
            f'</page></activity>')


def quiz(grade="10.00000", entry="7", slots=1):
    instances = "".join(f'<question_instance id="{n}"><slot>{n}</slot><question_reference id="{n}">'
                        f'<questionbankentryid>{entry}</questionbankentryid></question_reference>'
                        f'</question_instance>' for n in range(1, slots + 1))
    return (f'<activity id="2" moduleid="11" modulename="quiz" contextid="21"><quiz id="2"><name>Test</name>'
            f'<grade>{grade}</grade><question_instances>{instances}</question_instances></quiz></activity>')


def backup():
    """The files of a good backup: a section, a page with a video (tutorial), a graded quiz, a sheet (toolbox)."""
    files = {
        "moodle_backup.xml": (
            '<moodle_backup><information><backup_release>4.5</backup_release>'
            '<original_course_contextid>19</original_course_contextid><contents>'
            '<activities>'
            '<activity><moduleid>10</moduleid><sectionid>1</sectionid><modulename>page</modulename>'
            '<title>Vidéo</title><directory>activities/page_10</directory></activity>'
            '<activity><moduleid>11</moduleid><sectionid>2</sectionid><modulename>quiz</modulename>'
            '<title>Test</title><directory>activities/quiz_11</directory></activity>'
            '<activity><moduleid>12</moduleid><sectionid>2</sectionid><modulename>page</modulename>'
            '<title>Intro</title><directory>activities/page_12</directory></activity>'
            '<activity><moduleid>13</moduleid><sectionid>1</sectionid><modulename>page</modulename>'
            '<title>Fiche</title><directory>activities/page_13</directory></activity>'
            '</activities><sections>'
            '<section><sectionid>1</sectionid><directory>sections/section_1</directory></section>'
            '<section><sectionid>2</sectionid><directory>sections/section_2</directory></section>'
            '</sections></contents><settings><setting><level>root</level><name>questionbank</name>'
            '<value>1</value></setting></settings></information></moodle_backup>'),
        "course/course.xml": '<course id="1"><lang>en</lang></course>',
        # as the Moodle target writes it: the filters that would rewrite generated text, off
        "course/filters.xml": '<filters><filter_actives><filter_active><filter>activitynames</filter>'
                              '<active>-1</active></filter_active><filter_active><filter>emoticon</filter>'
                              '<active>-1</active></filter_active></filter_actives><filter_configs/></filters>',
        "sections/section_1/section.xml": '<section id="1"/>',
        "sections/section_2/section.xml": '<section id="2"/>',
        "activities/page_10/module.xml": '<module id="10"><sectionid>1</sectionid>'
                                         '<idnumber>tutorial.p01.video-1</idnumber></module>',
        "activities/page_10/page.xml": video_page(),
        "activities/page_10/inforef.xml": '<inforef><fileref><file><id>1</id></file><file><id>2</id></file>'
                                          '</fileref></inforef>',
        "activities/quiz_11/module.xml": '<module id="11"><sectionid>2</sectionid><idnumber>part-1.evaluation'
                                         '</idnumber></module>',
        "activities/quiz_11/quiz.xml": quiz(),
        "activities/quiz_11/grades.xml": '<activity_gradebook><grade_items><grade_item id="3">'
                                         '<gradepass>5.00000</gradepass></grade_item></grade_items>'
                                         '</activity_gradebook>',
        "activities/quiz_11/inforef.xml": '<inforef><grade_itemref><grade_item><id>3</id></grade_item>'
                                          '</grade_itemref><question_categoryref><question_category><id>5</id>'
                                          '</question_category></question_categoryref></inforef>',
        "activities/page_12/module.xml": '<module id="12"><sectionid>2</sectionid><idnumber>part-1.video-1'
                                         '</idnumber></module>',
        "activities/page_12/page.xml": video_page("Intro", tracks='<track kind="captions" srclang="en" src="x.vtt">'
                                                  '<track kind="chapters" srclang="en" src="c.vtt">')
                                       .replace('contextid="20"', 'contextid="22"')
                                       .replace("@@PLUGINFILE@@/sheet%20one.pdf", "https://example.org/")
                                       .replace("@@PLUGINFILE@@/v.webm", "https://example.org/v.webm"),
        "activities/page_13/module.xml": '<module id="13"><sectionid>1</sectionid>'
                                         '<idnumber>toolbox.p01.sheet</idnumber></module>',
        "activities/page_13/page.xml": '<activity contextid="23"><page><name>Fiche</name><content>x</content>'
                                       '</page></activity>',
        # as in a 4.5 backup: the categories in the course context, listed by course/inforef.xml
        "course/inforef.xml": '<inforef><question_categoryref><question_category><id>5</id></question_category>'
                              '</question_categoryref></inforef>',
        "questions.xml": ('<question_categories><question_category id="5"><contextid>19</contextid>'
                          '<contextlevel>50</contextlevel>'
                          '<question_bank_entries><question_bank_entry id="7"><idnumber>q01</idnumber>'
                          '<question_version><question_versions><questions><question id="9"><qtype>truefalse'
                          '</qtype></question></questions></question_versions></question_version>'
                          '</question_bank_entry></question_bank_entries></question_category>'
                          '</question_categories>'),
        "files.xml": ('<files>' + file_record(1, VTT, "a.vtt", 20) + file_record(2, PDF, "sheet one.pdf", 20)
                      + file_record(3, b"", ".", 20) + file_record(4, WEBM, "v.webm", 20) + '</files>'),
        f"files/{sha(VTT)[:2]}/{sha(VTT)}": VTT,
        f"files/{sha(PDF)[:2]}/{sha(PDF)}": PDF,
        f"files/{sha(WEBM)[:2]}/{sha(WEBM)}": WEBM,
    }
    return {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}


def write(tmp_path, files, dirs=()):
    path = tmp_path / "C.mbz"
    with tarfile.open(path, "w:gz") as tar:
        for name in dirs:
            info = tarfile.TarInfo(name)
            info.type = tarfile.DIRTYPE
            tar.addfile(info)
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def run(tmp_path, files, lang="en", dirs=()):
    report, problems = EditionReport(lang), []
    mbz.check(write(tmp_path, files, dirs), lang, report, problems)
    return report, [(p.file, p.rule, p.message) for p in problems]


GOOD_FIGURES = {"projects": 1, "tutorial_videos": 1, "subtitle_files": 1, "mooc_videos": 1, "evaluation_phases": 1,
                "exercises": 1, "formative_activities": 0}


def test_a_good_backup_passes_with_its_figures(tmp_path):
    report, problems = run(tmp_path, backup(), dirs=["activities/page_10/"])
    assert problems == []
    assert report.figures == GOOD_FIGURES
    assert (report.course_lang, dict(report.activities_by_type), report.files, report.files_size) == \
        ("en", {"page": 3, "quiz": 1}, 3, len(VTT) + len(PDF) + len(WEBM))
    assert dict(report.subtitle_languages) == {"en": 2}
    assert report.mbz_questions == {"exercise": {"q01"}, "formative": set()}
    assert report.titles == ["Vidéo", "Test", "Intro", "Fiche"]


def change(name, old, new):
    def apply(files):
        assert old.encode() in files[name], old
        files[name] = files[name].replace(old.encode(), new.encode(), 1)
    return apply


def drop(name):
    def apply(files):
        del files[name]
    return apply


def add(name, data):
    def apply(files):
        files[name] = data.encode() if isinstance(data, str) else data
    return apply


def replace_blob(files, old, new):
    """A blob with other bytes, and its record saying so (hash and size)."""
    del files[f"files/{sha(old)[:2]}/{sha(old)}"]
    files[f"files/{sha(new)[:2]}/{sha(new)}"] = new
    files["files.xml"] = files["files.xml"].replace(sha(old).encode(), sha(new).encode()).replace(
        f"<filesize>{len(old)}<".encode(), f"<filesize>{len(new)}<".encode())


VTT_BLOB = f"files/{sha(VTT)[:2]}/{sha(VTT)}"
PDF_BLOB = f"files/{sha(PDF)[:2]}/{sha(PDF)}"
A = "en/C.mbz"

CASES = [
    ("the course in another language", change("course/course.xml", "<lang>en", "<lang>fr"),
     [(A, "language", "course lang is 'fr', expected 'en'")], {}),
    ("a section folder not listed", add("sections/section_9/section.xml", "<section/>"),
     [(A, "listing", "sections/section_9 is in the archive but not in moodle_backup.xml")], {}),
    ("a listed section missing", drop("sections/section_2/section.xml"),
     [(A, "listing", "moodle_backup.xml lists sections/section_2, which is missing")], {}),
    ("an activity folder not listed", add("activities/label_99/label.xml", "<activity/>"),
     [(A, "listing", "activities/label_99 is in the archive but not in moodle_backup.xml")], {}),
    ("a listed activity missing", lambda f: [f.pop(k) for k in list(f) if k.startswith("activities/page_13/")],
     [(A, "listing", "moodle_backup.xml lists activities/page_13, which is missing"),
      (A, "structure", "activities/page_13 lacks module.xml or page.xml")], {"projects": 0}),
    ("an activity without its main file", drop("activities/page_13/page.xml"),
     [(A, "structure", "activities/page_13 lacks module.xml or page.xml")], {"projects": 0}),
    ("the first activity without its main file: the others are still read", drop("activities/page_10/page.xml"),
     [(A, "structure", "activities/page_10 lacks module.xml or page.xml")],
     {"tutorial_videos": 0, "subtitle_files": 0}),
    ("no moodle_backup.xml", drop("moodle_backup.xml"), [(A, "structure", "moodle_backup.xml is missing")],
     dict.fromkeys(GOOD_FIGURES, 0)),
    ("no files.xml", drop("files.xml"),
     [(A, "structure", "files.xml is missing"),
      (A, "pluginfile", "activities/page_10: @@PLUGINFILE@@/v.webm matches no file of its context"),
      (A, "pluginfile", "activities/page_10: @@PLUGINFILE@@/a.vtt matches no file of its context"),
      (A, "pluginfile", "activities/page_10: @@PLUGINFILE@@/sheet%20one.pdf matches no file of its context"),
      (A, "reference", "activities/page_10/inforef.xml: file 1 is not in files.xml"),
      (A, "reference", "activities/page_10/inforef.xml: file 2 is not in files.xml")], {}),
    ("a record without its blob", drop(VTT_BLOB),
     [(A, "files", f"files.xml record 1 (a.vtt) has no blob files/{sha(VTT)[:2]}/{sha(VTT)}")], {}),
    ("a blob whose bytes changed", lambda f: f.__setitem__(VTT_BLOB, VTT.replace(b"Bonjour", b"Bonsoir")),
     [(A, "files", f"blob {sha(VTT)} has sha1 {sha(VTT.replace(b'Bonjour', b'Bonsoir'))} (a.vtt)")], {}),
    ("a size that differs", change("files.xml", f"<filesize>{len(PDF)}<", f"<filesize>{len(PDF) + 1}<"),
     [(A, "files", f"files.xml says sheet one.pdf has {len(PDF) + 1} bytes, the blob has {len(PDF)}")], {}),
    ("a blob no record lists", add("files/00/00aa", b"stray"),
     [(A, "files", "blob 00aa is listed by no files.xml record")], {}),
    ("a plugin file reference to another context", change("files.xml", "<contextid>20</contextid><component>"
                                                          "mod_page</component><filearea>content</filearea><itemid>0"
                                                          "</itemid><filepath>/</filepath><filename>sheet",
                                                          "<contextid>99</contextid><component>mod_page</component>"
                                                          "<filearea>content</filearea><itemid>0</itemid><filepath>/"
                                                          "</filepath><filename>sheet"),
     [(A, "pluginfile", "activities/page_10: @@PLUGINFILE@@/sheet%20one.pdf matches no file of its context")], {}),
    ("a plugin file in a sub-folder is found by its end", change("files.xml", "<filepath>/</filepath><filename>a.vtt",
                                                                  "<filepath>/sub/</filepath><filename>a.vtt"),
     [], {}),
    ("inforef names a file not in files.xml", change("activities/page_10/inforef.xml", "<id>2</id>", "<id>8</id>"),
     [(A, "reference", "activities/page_10/inforef.xml: file 8 is not in files.xml")], {}),
    ("inforef names a grade item not in grades.xml", change("activities/quiz_11/inforef.xml", "<id>3</id>",
                                                            "<id>4</id>"),
     [(A, "reference", "activities/quiz_11/inforef.xml: grade item 4 is not in grades.xml")], {}),
    ("inforef names a category not in questions.xml", change("activities/quiz_11/inforef.xml", "<id>5</id>",
                                                             "<id>6</id>"),
     [(A, "reference", "activities/quiz_11/inforef.xml: question category 6 is not in questions.xml")], {}),
    ("a module in a section that does not exist", change("activities/page_13/module.xml", "<sectionid>1<",
                                                         "<sectionid>7<"),
     [(A, "reference", "activities/page_13/module.xml: section 7 does not exist")], {}),
    ("a subtitle track in another language", change("activities/page_10/page.xml", 'srclang="en',
                                                     'srclang="fr'),
     [(A, "language", "activities/page_10: subtitle track in 'fr', expected 'en'")], {}),
    ("a graded quiz with no grade to pass", change("activities/quiz_11/grades.xml", "<gradepass>5.00000",
                                                   "<gradepass>0.00000"),
     [(A, "grades", "activities/quiz_11: graded quiz without a grade to pass")], {}),
    ("a quiz without grades.xml", drop("activities/quiz_11/grades.xml"),
     [(A, "reference", "activities/quiz_11/inforef.xml: grade item 3 is not in grades.xml"),
      (A, "grades", "activities/quiz_11: graded quiz without a grade to pass")], {}),
    ("a slot pointing at no question", change("activities/quiz_11/quiz.xml", "<questionbankentryid>7<",
                                              "<questionbankentryid>8<"),
     [(A, "reference", "activities/quiz_11: slot 1 points at question bank entry 8, which is not in questions.xml")],
     {}),   # the slot is there: it still counts
    ("an ungraded quiz is formative", change("activities/quiz_11/quiz.xml", "<grade>10.00000", "<grade>0.00000"),
     [], {"evaluation_phases": 0, "exercises": 0, "formative_activities": 1, "mooc_videos": 0}),
    ("three slots", lambda f: f.__setitem__("activities/quiz_11/quiz.xml", quiz(slots=3).encode()),
     [], {"exercises": 3}),
    ("a malformed XML file", change("activities/page_13/page.xml", "</page>", "</pag>"),
     [(A, "well-formed", "activities/page_13/page.xml: Opening and ending tag mismatch: page line 1 and pag, "
                         "line 1, column 76 (<string>, line 1)"),
      (A, "structure", "activities/page_13 lacks module.xml or page.xml")], {"projects": 0}),
    ("a subtitle file that is not WebVTT", lambda f: replace_blob(f, VTT, b"NOTVTT\n"),
     [(A, "webvtt", "a.vtt: does not start with WEBVTT")], {}),
    ("an unsafe entry name", add("../evil.xml", "<x/>"), [(A, "entry-name", "unsafe entry name '../evil.xml'")], {}),
]


@pytest.mark.parametrize("name, edit, findings, figures", CASES, ids=[c[0] for c in CASES])
def test_one_change_exactly_these_findings(tmp_path, name, edit, findings, figures):
    files = backup()
    edit(files)
    report, problems = run(tmp_path, files)
    assert problems == findings
    assert report.figures == dict(GOOD_FIGURES, **figures)


def test_a_large_subtitle_file_is_refused_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(mbz, "SMALL_BLOB", len(VTT) - 1)
    assert run(tmp_path, backup())[1] == [(A, "webvtt", "a.vtt: too large for a subtitle file")]
    monkeypatch.setattr(mbz, "SMALL_BLOB", len(VTT))
    assert run(tmp_path, backup())[1] == []


def test_an_archive_that_cannot_be_read(tmp_path):
    path = tmp_path / "C.mbz"
    path.write_bytes(b"not a tar at all")
    report, problems = EditionReport("en"), []
    mbz.check(path, "en", report, problems)
    assert [(p.file, p.rule, p.message.split(":")[0]) for p in problems] == [
        (A, "archive", "cannot read the archive"), (A, "structure", "moodle_backup.xml is missing")]


def test_a_blob_larger_than_a_read_is_hashed_and_sized_whole(tmp_path):
    big = PDF + b"x" * (1 << 20)
    files = backup()
    replace_blob(files, PDF, big)
    report, problems = run(tmp_path, files)
    assert problems == []
    assert report.files_size == len(VTT) + len(big) + len(WEBM)


def test_the_backups_of_an_edition_for_several_releases_count_once_and_must_agree(tmp_path):
    """<shortname>.mbz and <shortname>-moodle51.mbz are one edition: its files
    and figures are counted once, and a second backup holding other figures
    is a drift."""
    report, problems = EditionReport("en"), []
    path = write(tmp_path, backup())
    mbz.check(path, "en", report, problems)
    mbz.check(path, "en", report, problems)
    assert (problems, report.files, report.files_size) == ([], 3, len(VTT) + len(PDF) + len(WEBM))
    report.figures["projects"] += 1          # as if the first backup had held another project
    mbz.check(path, "en", report, problems)
    assert [(p.rule, p.message.split(":")[0]) for p in problems] == \
        [("drift", "C.mbz does not hold what the edition's other backup holds")]


@pytest.mark.parametrize("html, videos", [
    ("<p>no video</p>", []),
    ('<video><track srclang="en" src="a.vtt"><track kind="captions" srclang="fr" src="b.vtt">'
     '<track kind="descriptions" srclang="de" src="c.vtt"></video><video></video>',
     [[("en", "a.vtt"), ("fr", "b.vtt")], []]),
    ('<video><track src="x.vtt"></video>', [[("", "x.vtt")]]),
    ('<video><track srclang="en"></video>', [[("en", "")]]),
])
def test_html_videos(html, videos):
    assert mbz._html_videos(html) == videos

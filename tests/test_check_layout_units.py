"""check's Moodle layout rules (check/moodle_layout.py) on hand-written XML:
the 4.5 layout and the 5.x one, one change, exactly its findings."""
import pytest
from lxml import etree

from resolution_pack.check.moodle_layout import bank_modules, layout_problems, release


def backup(rel, qbank=None, root_questionbank=True):
    activity = (f"<activity><moduleid>{qbank}</moduleid><modulename>qbank</modulename>"
                f"<directory>activities/qbank_{qbank}</directory></activity>") if qbank else ""
    setting = ("<setting><level>root</level><name>questionbank</name><value>1</value></setting>"
               if root_questionbank else "")
    return (f"<moodle_backup><information><backup_release>{rel}</backup_release>"
            "<original_course_contextid>16</original_course_contextid>"
            f"<contents><activities><activity><moduleid>3</moduleid><modulename>quiz</modulename>"
            f"<directory>activities/quiz_3</directory></activity>{activity}</activities></contents>"
            "<settings><setting><level>activity</level><name>questionbank</name></setting>"
            f"{setting}</settings></information></moodle_backup>")


def categories(level, contextid, instance=""):
    return "<question_categories>" + "".join(
        f'<question_category id="{n}"><contextid>{contextid}</contextid><contextlevel>{level}</contextlevel>'
        f"<contextinstanceid>{instance}</contextinstanceid></question_category>" for n in (11, 12)) + \
        "</question_categories>"


def inforef(*ids):
    return ("<inforef><question_categoryref>" + "".join(f"<question_category><id>{i}</id></question_category>"
                                                        for i in ids) + "</question_categoryref></inforef>")


def parsed(files):
    return {name: etree.fromstring(text) for name, text in files.items() if text is not None}


M45 = {"moodle_backup.xml": backup("4.5"), "questions.xml": categories(50, 16), "course/inforef.xml": inforef(11, 12)}
M51 = {"moodle_backup.xml": backup("5.1", qbank=9, root_questionbank=False), "questions.xml": categories(70, 90, 9),
       "course/inforef.xml": "<inforef/>", "activities/qbank_9/inforef.xml": inforef(11, 12),
       "activities/qbank_9/module.xml": "<module><visible>0</visible><sectionnumber>0</sectionnumber></module>",
       "activities/qbank_9/qbank.xml": '<activity contextid="90"><qbank/></activity>'}
B = "activities/qbank_9"

CASES = [
    ("4.5 as Moodle writes it", "C.mbz", M45, {}, []),
    ("5.1 as Moodle writes it", "C-moodle51.mbz", M51, {}, []),
    ("no release", "C.mbz", M45, {"moodle_backup.xml": backup("")},
     [("structure", "moodle_backup.xml names no backup_release")]),
    ("a 5.1 backup named as a 4.5 one", "C.mbz", M51, {},
     [("release", "the archive's name is the one of a Moodle 4.5 backup, its moodle_backup.xml says 5.1")]),
    ("a 4.5 backup named as a 5.0 one", "C-moodle50.mbz", M45, {},
     [("release", "the archive's name is the one of a Moodle 5.0 backup, its moodle_backup.xml says 4.5")]),
    ("4.5 with a qbank module", "C.mbz", M45, {"moodle_backup.xml": backup("4.5", qbank=9)},
     [("layout", "a Moodle 4.5 backup with 1 qbank module(s)")]),
    ("4.5: a category in another context", "C.mbz", M45, {"questions.xml": categories(50, 17)},
     [("layout", "2 question categories not in the course context: 11, 12")]),
    ("4.5: one category at module level", "C.mbz", M45, {"questions.xml": categories(50, 16).replace(
        "<contextlevel>50</contextlevel>", "<contextlevel>70</contextlevel>", 1)},
     [("layout", "1 question category not in the course context: 11")]),
    ("4.5: inforef missing a category", "C.mbz", M45, {"course/inforef.xml": inforef(11)},
     [("reference", "course/inforef.xml does not list every question category")]),
    ("4.5: no course inforef", "C.mbz", M45, {"course/inforef.xml": None},
     [("reference", "course/inforef.xml does not list every question category")]),
    ("4.5 without questions", "C.mbz", M45, {"questions.xml": None, "course/inforef.xml": None}, []),
    ("4.5 without the root setting", "C.mbz", M45, {"moodle_backup.xml": backup("4.5", root_questionbank=False)},
     [("layout", "no root setting questionbank in a Moodle 4.x backup")]),
    ("5.1 without a qbank module", "C-moodle51.mbz", M51, {"moodle_backup.xml": backup("5.1", root_questionbank=False)},
     [("layout", "a Moodle 5.1 backup needs one qbank module for its questions, it has 0")]),
    ("5.1 without the module's qbank.xml", "C-moodle51.mbz", M51, {f"{B}/qbank.xml": None},
     [("structure", f"{B} lacks module.xml or qbank.xml")]),
    ("5.1 without the module's module.xml", "C-moodle51.mbz", M51, {f"{B}/module.xml": None},
     [("structure", f"{B} lacks module.xml or qbank.xml")]),
    ("5.1: the bank visible", "C-moodle51.mbz", M51, {f"{B}/module.xml": M51[f"{B}/module.xml"].replace(
        "<visible>0", "<visible>1")}, [("layout", f"{B}: the question bank module is not hidden in section 0")]),
    ("5.1: the bank in section 2", "C-moodle51.mbz", M51, {f"{B}/module.xml": M51[f"{B}/module.xml"].replace(
        "<sectionnumber>0", "<sectionnumber>2")}, [("layout", f"{B}: the question bank module is not hidden in section 0")]),
    ("5.1: categories of another module", "C-moodle51.mbz", M51, {"questions.xml": categories(70, 90, 8)},
     [("layout", f"2 question categories not in the context of {B}: 11, 12")]),
    ("5.1: categories in the course", "C-moodle51.mbz", M51, {"questions.xml": categories(50, 90, 9)},
     [("layout", f"2 question categories not in the context of {B}: 11, 12")]),
    ("5.1: the bank's inforef short", "C-moodle51.mbz", M51, {f"{B}/inforef.xml": inforef(12)},
     [("reference", f"{B}/inforef.xml does not list every question category")]),
    ("5.1: the course's inforef lists categories", "C-moodle51.mbz", M51, {"course/inforef.xml": inforef(11, 12)},
     [("layout", "course/inforef.xml lists question categories in a Moodle 5.x backup")]),
    ("5.1 with the 4.x root setting", "C-moodle51.mbz", M51, {"moodle_backup.xml": backup("5.1", qbank=9)},
     [("layout", "root setting questionbank in a Moodle 5.x backup")]),
    ("5.0 named as 5.1, visible bank: both said", "C-moodle51.mbz", M51,
     {"moodle_backup.xml": backup("5.0", qbank=9, root_questionbank=False),
      f"{B}/module.xml": "<module><visible>1</visible><sectionnumber>0</sectionnumber></module>"},
     [("release", "the archive's name is the one of a Moodle 5.1 backup, its moodle_backup.xml says 5.0"),
      ("layout", f"{B}: the question bank module is not hidden in section 0")]),
]


@pytest.mark.parametrize("name, archive, base, changes, found", CASES, ids=[c[0] for c in CASES])
def test_one_change_exactly_these_findings(name, archive, base, changes, found):
    assert layout_problems(parsed({**base, **changes}), archive) == found


def test_release_and_the_bank_modules():
    assert (release(parsed(M51)), bank_modules(parsed(M51))) == ("5.1", {"9"})
    assert (release(parsed(M45)), bank_modules(parsed(M45))) == ("4.5", set())
    assert (release({}), bank_modules({})) == ("", set())

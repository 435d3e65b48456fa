"""The shipped course: the brief's figures, counted from the sources, and
complete translations in all six languages."""
import re

import polib
import pytest

from resolution_pack import counts
from resolution_pack import model as m
from resolution_pack.i18n.extract import build_pot, pot_text
from resolution_pack.i18n.localise import load_translations, localise
from resolution_pack.load import load

from conftest import SOURCES

# The figures of the brief (../shared/brief.md), per edition and for six.
BRIEF_PER_EDITION = {"projects": 16, "tutorial_videos": 48, "subtitle_files": 48, "mooc_videos": 15,
                     "evaluation_phases": 4, "exercises": 42, "formative_activities": 82}
BRIEF_TOTAL = {"projects": 96, "subtitle_files": 288, "exercises": 252, "formative_activities": 492}
LANGUAGES = ["fr", "en", "es", "ca", "it", "hu"]


@pytest.fixture(scope="module")
def course():
    return load(SOURCES)


def test_counts_from_the_sources_match_the_brief(course):
    found = counts.per_edition(course)
    assert found == BRIEF_PER_EDITION
    assert {k: found[k] * len(course.languages) for k in BRIEF_TOTAL} == BRIEF_TOTAL
    assert course.languages == LANGUAGES
    assert course.expected == {"per_edition": BRIEF_PER_EDITION, "total": BRIEF_TOTAL}


def test_structure_of_the_platform(course):
    roles = [s.role for s in course.sections]
    assert roles[0] == "home" and roles[-2:] == ["tutorials", "toolbox"]
    parts = [s for s in course.sections if s.role == "mooc-part"]
    assert len(parts) == 4
    for part in parts:
        evaluations = [i for i in part.items if isinstance(i, m.Evaluation)]
        assert len(evaluations) == 1 and evaluations[0].pass_percent == 70
        books = [i for i in part.items if isinstance(i, m.Book)]
        assert [c.id.rsplit(".", 1)[1] for c in books[0].chapters] == ["legislation", "services", "practices"]
        assert any(q.presentation == "recipe" for _s, _i, q in _questions(part))
        assert any(q.presentation == "photo-story" for _s, _i, q in _questions(part))
        # every graded test uses every question type
        assert {q.type for q in evaluations[0].questions} == set(m.QUESTION_TYPES)
    home = course.sections[0]
    assert any(isinstance(i, m.Forum) and i.type == "news" for i in home.items)
    countries = {p.country for p in course.projects}
    assert countries == {"BE", "FR", "ES", "IT", "HU"}
    for project in course.projects:
        assert project.reconstructed
        assert len(project.videos) == 3 and all(v.subtitles for v in project.videos)
        assert any(t.beneficiary for t in project.testimonials)


def _questions(section):
    for item in section.items:
        if isinstance(item, (m.Activities, m.Evaluation)):
            for q in item.questions:
                yield section, item, q


def test_the_template_is_current(course):
    """sources/locale/resolution.pot is what `i18n extract` gives today."""
    shipped = (SOURCES / "locale" / "resolution.pot").read_text("utf-8")
    assert pot_text(build_pot(course, shipped)) == shipped


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_every_language_is_complete_and_strict_builds(course, lang):
    translations = load_translations(course, SOURCES)
    edition, warnings = localise(course, lang, translations[lang])
    assert warnings == []
    po = polib.pofile(str(SOURCES / "locale" / f"{lang}.po"))
    assert po.percent_translated() == 100 and not po.fuzzy_entries()
    # titles really are in the language: most differ from the French
    titles = [(a.title, b.title) for (_s, a), (_t, b) in zip(course.items(), edition.items()) if getattr(a, "title", None)]
    same = [t for t, u in titles if t == u]
    assert len(same) < len(titles) * 0.1, same


@pytest.mark.parametrize("lang, letters", [("hu", "őű"), ("ca", "l·l"), ("es", "ñ"), ("fr", "œ")])
def test_diacritics(course, lang, letters):
    if lang == "fr":
        text = (SOURCES / "locale" / "resolution.pot").read_text("utf-8")
    else:
        text = "".join(e.msgstr for e in polib.pofile(str(SOURCES / "locale" / f"{lang}.po")))
    for letter in [letters] if "·" in letters else letters:
        assert letter in text
    if lang == "hu":
        assert "õ" not in text and "û" not in text  # the wrong accents for Hungarian


def _seconds(code: str) -> float:
    parts = [float(p) for p in code.split(":")]
    return sum(p * 60 ** i for i, p in enumerate(reversed(parts)))


def test_mooc_videos_have_scripts_of_two_to_four_minutes_that_can_be_read(course):
    """#19.5: each MOOC video's subtitles run 2 to 4 minutes; cues are 1 to 7 s,
    at most two lines of about 42 characters, read at under 17 characters a second."""
    videos = [(s, v) for s, v in course.videos() if s.role == "mooc-part"]
    assert len(videos) == 15
    for _section, video in videos:
        cues = video.subtitles
        end = _seconds(cues[-1].end)
        assert 120 <= end <= 240, (video.id, end)
        for before, cue in zip([None] + cues[:-1], cues):
            start, stop = _seconds(cue.start), _seconds(cue.end)
            assert before is None or _seconds(before.end) <= start, (video.id, cue.text)
            assert 1 <= stop - start <= 7, (video.id, cue.text)
            lines = cue.text.split("\n")
            assert len(lines) <= 2 and len(cue.text) <= 90 and all(len(line) <= 84 for line in lines), cue.text
            assert len(cue.text) / (stop - start) < 17, (video.id, cue.text)


BARE = re.compile(r"^(oui|non|exact|exactement|bravo|tout est juste|correct|si|bien vu|parfait)\W*$", re.I)


def test_questions_teach_rather_than_give_away(course):
    """#16.6: ordering items carry no years; each gap offers its own options;
    answers listed in Moodle's review carry no full stop; a graded question's
    feedback explains instead of saying only "Oui." or "Exact."."""
    for _section, item, q in course.questions():
        if q.type == "ordering":
            assert not any(re.search(r"\b(19|20)\d\d\b", i.text) for i in q.items), q.id
        if q.type in ("gapselect", "ddwtos"):
            gaps = len(re.findall(r"\[\[\d+\]\]", q.text))
            groups = [c.group for c in q.choices[:gaps]]
            assert len(set(groups)) == gaps, (q.id, groups)
            assert all(sum(c.group == g for c in q.choices) >= 2 for g in groups), q.id
        listed = [c.text for c in q.choices if q.type in ("single", "multiple")]
        listed += [p.answer for p in q.pairs] + [i.text for i in q.items]
        assert not any(t.rstrip().endswith(".") for t in listed), q.id
        if isinstance(item, m.Evaluation):
            texts = [q.general_feedback, q.correct_feedback, q.incorrect_feedback, q.feedback_true,
                     q.feedback_false] + [c.feedback for c in q.choices]
            assert not any(t and BARE.match(re.sub(r"<[^>]+>", "", t).strip()) for t in texts), q.id

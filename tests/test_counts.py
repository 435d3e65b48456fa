"""The figures counted from the course model: small models, exact figures."""
import pytest

from resolution_pack import counts
from resolution_pack import model as m

ZERO = dict.fromkeys(counts.FIGURES, 0)


def course(*sections, projects=0, expected=None, languages=("fr", "en")):
    return m.Course(id="c", source_language="fr", languages=list(languages), startdate="2022-01-01",
                    editions={}, sections=list(sections), projects=[m.Project(f"p{n}") for n in range(projects)],
                    expected=expected or {}, ui={})


def video(subtitled=True):
    return m.Video("v", subtitles=[m.Cue("00:00.000", "00:01.000", text="x")] if subtitled else [])


def questions(n):
    return [m.Question(f"q{i}", type="truefalse") for i in range(n)]


CASES = [
    ("nothing", course(), {}),
    ("projects", course(projects=3), {"projects": 3}),
    ("tutorial videos, one without subtitles",
     course(m.Section("t", role="tutorials", items=[video(), video(), video(False)])),
     {"tutorial_videos": 3, "subtitle_files": 2}),
    ("MOOC videos: subtitles are not subtitle files there",
     course(m.Section("p", role="mooc-part", items=[video(), video(False)])), {"mooc_videos": 2}),
    ("a video in a section of another role counts nowhere", course(m.Section("h", role="home", items=[video()])), {}),
    ("evaluations and their questions",
     course(m.Section("p", role="mooc-part", items=[m.Evaluation("e", questions=questions(4)),
                                                    m.Evaluation("f", questions=questions(0))])),
     {"evaluation_phases": 2, "exercises": 4}),
    ("formative activities count questions, not activities",
     course(m.Section("p", role="mooc-part", items=[m.Activities("a", questions=questions(3)),
                                                    m.Activities("b", questions=questions(2))])),
     {"formative_activities": 5}),
    ("sections add up",
     course(m.Section("p1", role="mooc-part", items=[video(), m.Evaluation("e", questions=questions(2))]),
            m.Section("p2", role="mooc-part", items=[video(), m.Evaluation("e", questions=questions(1))]),
            m.Section("t", role="tutorials", items=[video()]), projects=1),
     {"projects": 1, "tutorial_videos": 1, "subtitle_files": 1, "mooc_videos": 2, "evaluation_phases": 2,
      "exercises": 3}),
]


@pytest.mark.parametrize("name, model, figures", CASES, ids=[c[0] for c in CASES])
def test_per_edition(name, model, figures):
    assert counts.per_edition(model) == dict(ZERO, **figures)


@pytest.mark.parametrize("expected, found, editions, differences", [
    ({}, {"exercises": 3}, 2, []),
    ({"per_edition": {"exercises": 3}}, {"exercises": 3}, 2, []),
    ({"per_edition": {"exercises": 4}}, {"exercises": 3}, 2, [("per edition", "exercises", 4, 3)]),
    ({"per_edition": {"projects": 1}}, {}, 2, [("per edition", "projects", 1, None)]),
    ({"total": {"exercises": 6}}, {"exercises": 3}, 2, []),
    ({"total": {"exercises": 6}}, {"exercises": 3}, 3, [("all 3 editions", "exercises", 6, 9)]),
    ({"total": {"projects": 2}}, {}, 2, [("all 2 editions", "projects", 2, 0)]),
    ({"per_edition": {"exercises": 2, "projects": 1}, "total": {"exercises": 5, "projects": 2}},
     {"exercises": 3, "projects": 1}, 2,
     [("per edition", "exercises", 2, 3), ("all 2 editions", "exercises", 5, 6)]),
    ({"per_edition": None, "total": None}, {"exercises": 3}, 2, []),
])
def test_compare(expected, found, editions, differences):
    assert counts.compare(course(expected=expected), found, editions) == differences

"""What Moodle holds (inspect.php's answer for one course), compared with what
the sources expect: one check per aspect, each a list of differences."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

from .expected import Expected
from .listing import counter, delta, listing


@dataclass
class Held:
    """inspect.php's answer for one course, indexed once for the checks."""
    found: dict
    languages: set
    modules: dict        # idnumber -> modname
    unnamed: Counter     # modname -> modules without idnumber
    quizzes: dict        # idnumber -> quiz
    files: dict          # (owner, component, filearea, filepath, filename) -> file
    pages: dict          # idnumber -> content
    banks: set           # cmids of the question bank modules (Moodle 5.x): not course content

    @classmethod
    def read(cls, found: dict, languages=()) -> "Held":
        modules, unnamed = {}, Counter()
        banks = {b["cmid"] for b in found.get("question_banks") or []}
        for mod in found.get("modules") or []:
            if mod["cmid"] in banks:
                continue
            if mod["idnumber"]:
                modules[mod["idnumber"]] = mod["modname"]
            else:
                unnamed[mod["modname"]] += 1
        files = {}
        for f in found.get("files") or []:
            files[(_owner(f), f["component"], f["filearea"], f["filepath"], f["filename"])] = f
        return cls(found, set(languages), modules, unnamed,
                   {q["idnumber"]: q for q in found.get("quizzes") or [] if q.get("idnumber")}, files,
                   {p["idnumber"]: p.get("content") or "" for p in found.get("pages") or [] if p.get("idnumber")},
                   banks)

    def section_modules(self, section: dict) -> list[str]:
        """The idnumbers of a section's modules, question banks left out."""
        cmids = section.get("cmids") or [None] * len(section.get("modules") or [])
        return [idnumber for idnumber, cmid in zip(section.get("modules") or [], cmids) if cmid not in self.banks]


def _owner(f: dict) -> str:
    if f.get("module"):
        return f"module {f['module']}"
    if f.get("question"):
        return f"question {f['question']}"
    return "course"


def compare(exp: Expected, found: dict | None, languages=()) -> tuple[list[str], dict]:
    """(differences, figures counted from what Moodle holds)."""
    if found is None:
        return [f"no course with the shortname {exp.shortname} on this Moodle (run `resolution-pack deploy`)"], {}
    held = Held.read(found, languages)
    diffs = [diff for check in CHECKS for diff in check(exp, held)]
    figures = count_figures(exp, held)
    diffs += [f"figure {figure}: the sources give {value}, Moodle holds {figures.get(figure)}"
              for figure, value in exp.figures.items() if figures.get(figure) != value]
    return diffs, figures


def check_identity(exp: Expected, held: Held) -> list[str]:
    found, diffs = held.found, []
    same = found.get("same_shortname") or ()
    if len(same) > 1:
        diffs.append(f"{len(same)} courses have the shortname {exp.shortname} "
                     f"(ids {', '.join(map(str, same))}); this check read the first")
    if found["fullname"] != exp.fullname:
        diffs.append(f"fullname: expected {exp.fullname!r}, found {found['fullname']!r}")
    if found["lang"] != exp.lang:
        hint = ""
        if not found["lang"] and held.languages and exp.lang not in held.languages:
            hint = f" (the language pack '{exp.lang}' is not installed on this Moodle: install it, then deploy again)"
        diffs.append(f"course language: expected {exp.lang!r}, found {repr(found['lang']) if found['lang'] else 'none'}"
                     f"{hint}")
    if not found.get("visible"):
        diffs.append("the course is hidden from learners")
    return diffs


def check_sections(exp: Expected, held: Held) -> list[str]:
    sections = held.found.get("sections") or []
    diffs = []
    if len(sections) != len(exp.sections):
        diffs.append(f"sections: expected {len(exp.sections)}, found {len(sections)}")
    for number, (wanted, section) in enumerate(zip(exp.sections, sections)):
        have = held.section_modules(section)
        if have == wanted:
            continue
        if sorted(have) == sorted(wanted):
            diffs.append(f"section {number}: its {len(wanted)} modules are in another order")
        else:
            diffs.append(f"section {number}: expected {len(wanted)} modules, found {len(have)}" + delta(wanted, have))
    return diffs


def check_modules(exp: Expected, held: Held) -> list[str]:
    modules, diffs = held.modules, []
    by_type_expected, by_type_found = Counter(exp.modules.values()), Counter(modules.values()) + held.unnamed
    if by_type_expected != by_type_found:
        diffs.append(f"modules by type: expected {counter(by_type_expected)}; found {counter(by_type_found)}")
    missing = [key for key in exp.modules if key not in modules]
    if missing:
        diffs.append(f"{len(missing)} module(s) missing: {listing(missing)}")
    extra = [key for key in modules if key not in exp.modules] + [f"a {name} without idnumber" for name in held.unnamed]
    if extra:
        diffs.append(f"{len(extra)} module(s) the sources do not have: {listing(extra)}")
    wrong = [f"{key} is a {modules[key]}, not a {exp.modules[key]}" for key in exp.modules
             if key in modules and modules[key] != exp.modules[key]]
    if wrong:
        diffs.append(f"module type: {listing(wrong)}")
    return diffs


def check_pass_marks(exp: Expected, held: Held) -> list[str]:
    diffs = []
    for key, percent in exp.graded.items():
        quiz = held.quizzes.get(key)
        if quiz is None:
            continue          # reported as a missing module
        item = quiz.get("gradeitem")
        if not quiz.get("grade") or not item or not item.get("grademax"):
            diffs.append(f"quiz {key}: expected graded with a pass mark of {percent}%, found ungraded")
            continue
        found_percent = 100.0 * item["gradepass"] / item["grademax"]
        if abs(found_percent - percent) > 0.01:
            diffs.append(f"quiz {key}: pass mark expected {percent}%, found {found_percent:g}% "
                         f"({item['gradepass']:g} of {item['grademax']:g})")
    for key in exp.ungraded:
        quiz = held.quizzes.get(key)
        if quiz is not None and (quiz.get("grade") or 0) > 0:
            diffs.append(f"quiz {key}: expected ungraded (formative), found graded out of {quiz['grade']:g}")
    return diffs


def check_quiz_questions(exp: Expected, held: Held) -> list[str]:
    """Each quiz's questions, in order, by bank idnumber and type."""
    diffs = []
    for key, wanted in exp.quiz_questions.items():
        quiz = held.quizzes.get(key)
        if quiz is None:
            continue
        have = _slots(quiz)
        if have == wanted:
            continue
        wanted_ids, have_ids = [q for q, _t in wanted], [q for q, _t in have]
        if wanted_ids == have_ids:
            types = dict(wanted)
            text = f"quiz {key}: question types differ: " + listing(
                [f"{q} is a {t}, not a {types[q]}" for q, t in have if types[q] != t])
        elif sorted(wanted_ids) == sorted(have_ids):
            text = f"quiz {key}: its questions are in another order"
        else:
            text = f"quiz {key}: expected {len(wanted)} questions, found {len(have)}" + delta(wanted_ids, have_ids)
        diffs.append(text)
    return diffs


def _slots(quiz: dict) -> list[tuple[str, str]]:
    return [(s.get("idnumber") or f"slot {s['slot']} ({s['qtype']})", s["qtype"]) for s in quiz["slots"]]


def check_questions_by_type(exp: Expected, held: Held) -> list[str]:
    """All the course's quiz questions by type (a question used twice counts once)."""
    types: dict[str, str] = {}
    for quiz in held.found.get("quizzes") or []:
        known = quiz.get("idnumber") in exp.quiz_questions
        for s in quiz["slots"]:
            key = s.get("idnumber") or (f"slot {s['slot']} ({s['qtype']})" if known else f"{quiz['cmid']}:{s['slot']}")
            types[key] = s["qtype"]
    wanted = Counter({qid: qtype for slots in exp.quiz_questions.values() for qid, qtype in slots}.values())
    have = Counter(types.values())
    if wanted != have:
        return [f"questions by type: expected {counter(wanted)}; found {counter(have)}"]
    return []


def check_question_bank(exp: Expected, held: Held) -> list[str]:
    """All the quizzes' questions in one bank of this course: the course's own
    (Moodle 4.x) or one of its qbank modules (5.x)."""
    banks = Counter(s.get("bank") for q in held.found.get("quizzes") or [] for s in q["slots"] if "bank" in s)
    if not banks:
        return []                   # an inspect.php answer without banks (no slot says where)
    course = f"course:{held.found['id']}"
    ours = {f"module:{cmid}" for cmid in held.banks} | {course}
    diffs = []
    if len(banks) > 1:
        diffs.append(f"the questions are in {len(banks)} question banks: " + ", ".join(
            f"{_bank(b, held)} {n}" for b, n in sorted(banks.items(), key=lambda kv: str(kv[0]))))
    strays = sorted(str(b) for b in banks if b not in ours)
    if strays:
        diffs.append(f"questions outside this course's question banks: {', '.join(strays)}")
    return diffs


def bank_summary(held: Held) -> str:
    """Where the course's questions are, in words (verify's summary line)."""
    banks = {s.get("bank") for q in held.found.get("quizzes") or [] for s in q["slots"] if s.get("bank")}
    return ", ".join(_bank(b, held) for b in sorted(banks)) or "no question"


def _bank(bank: str, held: Held) -> str:
    if bank == f"course:{held.found['id']}":
        return "the course's question bank"
    for b in held.found.get("question_banks") or []:
        if bank == f"module:{b['cmid']}":
            return (f"question bank module {b['name']!r} ({b['type']}, {'visible' if b['visible'] else 'hidden'}, "
                    f"section {b['section']})")
    return str(bank)


def check_files(exp: Expected, held: Held) -> list[str]:
    files, diffs = held.files, []
    missing = [key for key in exp.files if key not in files]
    if missing:
        diffs.append(f"{len(missing)} file(s) missing: {listing(map(_file, missing))}")
    extra = [key for key in files if key not in exp.files]
    if extra:
        diffs.append(f"{len(extra)} file(s) the sources do not have: {listing(map(_file, extra))}")
    unreadable = [key for key, f in files.items() if not f.get("readable")]
    if unreadable:
        diffs.append(f"{len(unreadable)} file(s) whose content is not in Moodle's file store: "
                     f"{listing(map(_file, unreadable))}")
    changed = [key for key, sha1 in exp.files.items()
               if sha1 and key in files and files[key].get("contenthash") != sha1]
    if changed:
        diffs.append(f"{len(changed)} file(s) whose bytes differ from the sources: {listing(map(_file, changed))}")
    return diffs


def _file(key: tuple) -> str:
    owner, component, filearea, filepath, filename = key
    return f"{owner}: {component}/{filearea}{filepath}{filename}"


def check_tracks(exp: Expected, held: Held) -> list[str]:
    return [f"subtitle track of {key}: {problem}" for key in exp.tracks if key in held.pages
            for problem in [track_problem(exp, held, key)] if problem]


def track_problem(exp: Expected, held: Held, key: str) -> str:
    """Why the page's subtitle track is not right ("" when it is)."""
    name = exp.tracks[key]
    tracks = _media(held.pages[key]).tracks
    mine = [t for t in tracks if _plugin_file(t.get("src", "")) == name]
    if not mine:
        return f"no <track> pointing at {name}" + (
            f" (found {', '.join(t.get('src', '?') for t in tracks)})" if tracks else "")
    track, problems = mine[0], []
    if track.get("kind", "subtitles") not in ("subtitles", "captions"):
        problems.append(f"kind {track.get('kind')!r}")
    if track.get("srclang") != exp.lang:
        problems.append(f"srclang {track.get('srclang')!r}, not {exp.lang!r}")
    stored = held.files.get((f"module {key}", "mod_page", "content", "/", name))
    if stored is None or not stored.get("readable") or not stored.get("filesize"):
        problems.append("its file is missing or empty")
    return "; ".join(problems)


def check_enrolments(exp: Expected, held: Held) -> list[str]:
    have, diffs = {}, []
    for enrol in held.found.get("enrolments") or []:
        have.setdefault(enrol["enrol"], enrol)
    for name, status in exp.enrolments.items():
        if name not in have:
            diffs.append(f"enrolment: no {name} enrolment method (expected {status})")
        elif have[name]["status"] != status:
            diffs.append(f"enrolment: {name} is {have[name]['status']}, expected {status}")
        elif status == "enabled" and not have[name].get("enabled_on_site", True):
            diffs.append(f"enrolment: the {name} enrolment plugin is disabled on this site "
                         "(Site administration > Plugins > Enrolments > Manage enrol plugins)")
    extra = sorted(set(have) - set(exp.enrolments))
    if extra:
        diffs.append(f"enrolment methods the sources do not have: {', '.join(extra)}")
    return diffs


CHECKS = (check_identity, check_sections, check_modules, check_pass_marks, check_quiz_questions,
          check_questions_by_type, check_question_bank, check_files, check_tracks, check_enrolments)


def count_figures(exp: Expected, held: Held) -> dict:
    """The platform's figures (resolution_pack.counts), counted from what Moodle holds."""
    found = held.found
    section_of = {mod["idnumber"]: mod["section"] for mod in found.get("modules") or [] if mod["idnumber"]}

    def role(idnumber: str) -> str:
        number = section_of.get(idnumber, -1)
        return exp.roles[number] if 0 <= number < len(exp.roles) else ""

    videos = {key for key, content in held.pages.items() if _media(content).videos}
    tutorial = {key for key in videos if role(key) == "tutorials"}
    tracks_ok = {key for key in tutorial if key in exp.tracks and not track_problem(exp, held, key)}
    graded = [q for q in found.get("quizzes") or [] if (q.get("grade") or 0) > 0 and q.get("gradeitem")]
    ungraded = [q for q in found.get("quizzes") or [] if q not in graded]
    return {
        "projects": len({exp.projects[key] for key in held.modules if key in exp.projects}),
        "tutorial_videos": len(tutorial),
        "subtitle_files": len(tracks_ok),
        "mooc_videos": len({key for key in videos if role(key) == "mooc-part"}),
        "evaluation_phases": len(graded),
        "exercises": sum(len(q["slots"]) for q in graded),
        "formative_activities": sum(len(q["slots"]) for q in ungraded),
    }


class _Media(HTMLParser):
    """The <video> elements of a page and their <track> children."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.videos = 0
        self.tracks: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "video":
            self.videos += 1
        elif tag == "track":
            self.tracks.append({k: (v or "") for k, v in attrs})

    handle_startendtag = handle_starttag


def _media(content: str) -> _Media:
    parser = _Media()
    parser.feed(content or "")
    parser.close()
    return parser


def _plugin_file(src: str) -> str | None:
    prefix = "@@PLUGINFILE@@/"
    return unquote(src[len(prefix):]) if src.startswith(prefix) else None

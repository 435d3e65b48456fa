"""verify --attempts: the course works, not just restored.

moodle_php/attempts.php takes every quiz through Moodle's own quiz and
question engine with two throwaway learners who enrol themselves through the
course's self enrolment: one answers every question with the response the
question itself calls correct, the other answers every graded quiz wrongly.
Both are removed afterwards with everything they made. Here, what Moodle
answered is held against what the sources expect: every question graded
right, the right learner passing each graded quiz with its activity
completion, the wrong one below the pass mark. One line per quiz.
"""
from __future__ import annotations

from .expected import Expected

RIGHT = 1 - 1e-6          # stored fractions have 7 decimals: 3 x 0.3333333 is right
COMPLETION = {0: "incomplete", 1: "complete", 2: "passed", 3: "failed"}


def attempts_report(lang: str, exp: Expected, found: dict | None) -> tuple[list[str], int]:
    """(lines to print, number of differences) for one edition."""
    if found is None:
        return [f"{lang}: no course with the shortname {exp.shortname} to attempt"], 1
    lines, failed = [], 0
    if found.get("error"):
        lines.append(f"{lang}: the quizzes could not be taken: {found['error']}")
        failed += 1
    quizzes = {q["idnumber"]: q for q in found.get("quizzes") or []}
    for key in exp.quiz_questions:
        quiz = quizzes.get(key)
        if quiz is None:
            lines.append(f"{lang}: quiz {key}: not found in the course")
            failed += 1
            continue
        text, problems = quiz_line(quiz, exp.graded.get(key), len(exp.quiz_questions[key]))
        lines.append(f"{lang}: quiz {key}: {text}" + (f" -- DIFFERENT: {'; '.join(problems)}" if problems else ""))
        failed += bool(problems)
    for key in sorted(set(quizzes) - set(exp.quiz_questions)):
        lines.append(f"{lang}: quiz {key or '(no idnumber)'}: not in the sources (attempted, not judged)")
    text, problems = learners_line(found.get("learners") or {})
    lines.append(f"{lang}: {text}" + (f" -- DIFFERENT: {'; '.join(problems)}" if problems else ""))
    return lines, failed + bool(problems)


def quiz_line(quiz: dict, pass_percent, expected_questions: int) -> tuple[str, list[str]]:
    problems: list[str] = []
    right = quiz.get("right") or {}
    if right.get("error"):
        return f"the learner could not attempt it: {right['error']}", [right["error"]]
    questions = right.get("questions") or []
    wrong_ones = [q for q in questions if (q.get("fraction") or 0) < RIGHT or q.get("state") != "gradedright"]
    if wrong_ones:
        problems.append("graded not right: " + ", ".join(
            f"{q.get('idnumber') or 'slot ' + str(q['slot'])} ({q['qtype']}, {q.get('state')}, "
            f"fraction {q.get('fraction')})" for q in wrong_ones))
    if len(questions) != expected_questions:
        problems.append(f"{len(questions)} questions attempted, the sources have {expected_questions}")
    text = f"{len(questions) - len(wrong_ones)}/{len(questions)} questions graded right by Moodle's question engine"
    if pass_percent is None:
        if quiz.get("graded"):
            problems.append(f"graded out of {quiz.get('grademax'):g}, the sources say formative")
        return text + " (formative)", problems
    if not quiz.get("graded"):
        return text, problems + ["ungraded in Moodle, the sources give a pass mark"]
    gradepass, grademax = quiz["gradepass"], quiz["grademax"]
    text += f"; pass mark {gradepass:g}/{grademax:g}"
    text += "; " + _learner("right answers", right, gradepass, quiz, problems, should_pass=True)
    wrong = quiz.get("wrong") or {}
    if wrong.get("error"):
        problems.append(f"the second learner could not attempt it: {wrong['error']}")
    else:
        text += "; " + _learner("wrong answers", wrong, gradepass, quiz, problems, should_pass=False)
        if wrong.get("no_wrong_response"):
            text += f" (slots {', '.join(map(str, wrong['no_wrong_response']))} left unanswered: no wrong response found)"
    return text, problems


def _learner(who: str, attempt: dict, gradepass: float, quiz: dict, problems: list, should_pass: bool) -> str:
    grade = attempt.get("grade") or 0.0
    passed = grade + 1e-9 >= gradepass
    state = attempt.get("completionstate")
    words = f"{who} {grade:g}/{quiz['grademax']:g} {'passed' if passed else 'not passed'}"
    if state is not None:
        words += f", completion {COMPLETION.get(state, state)}"
    if passed != should_pass:
        problems.append(f"{who}: {grade:g} is {'not ' if not passed else ''}at the pass mark {gradepass:g}")
    if quiz.get("completionpassgrade"):
        wanted = 2 if should_pass else 3
        if state != wanted:
            problems.append(f"{who}: activity completion {COMPLETION.get(state, state)}, "
                            f"expected {COMPLETION[wanted]}")
    return words


def learners_line(learners: dict) -> tuple[str, list[str]]:
    problems = [f"learner {role} (user {l.get('userid')}) not deleted" for role, l in learners.items()
                if not l.get("deleted")]
    problems += [f"learner {role}: {l['rows_left']} row(s) of theirs left" for role, l in learners.items()
                 if l.get("rows_left")]
    if len(learners) < 2:
        problems.append("the throwaway learners were not reported")
    users = ", ".join(str(l.get("userid")) for l in learners.values())
    return f"throwaway learners (users {users}) removed with their attempts, grades and completion", problems

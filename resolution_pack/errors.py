"""Problems, reported as `file:line:column: message`: the one type for bad
input (the loader, translations, the build) and for what `check` finds in
the archives (the file is then the archive, and `rule` names the check)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int = 0
    column: int = 0
    message: str = ""
    path: str = ""
    fix: str = ""
    rule: str = ""      # what kind of check found it (check: files, count, manifest...)

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: [{self.rule}] {self.message}" if self.rule else f"{where}: {self.message}"
        if self.path:
            text += f" ({self.path})"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


class InputError(Exception):
    """Bad input: one or more problems, each naming file and line.

    The command line prints them and exits with status 2, never a traceback.
    """

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):
        # pickled with its problems, not its joined text: an error raised in
        # a build worker reaches the command line as file:line lines
        return (_rebuilt, (type(self), self.problems))


def _rebuilt(cls, problems):
    error = cls.__new__(cls)
    InputError.__init__(error, problems)
    return error


def _sort_key(p: Problem):
    return (p.file, p.line, p.column, p.message, p.path)


class Collector:
    """Gathers problems so that one run reports all of them."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, line: int = 0, column: int = 0, message: str = "",
            path: str = "", fix: str = "") -> None:
        self.problems.append(Problem(file, line, column, message, path, fix))

    def extend(self, problems) -> None:
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

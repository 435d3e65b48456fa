"""The Moodle site on this server, and the PHP that runs our scripts in it.

A Moodle code folder, 4.5 or later, in one of two layouts:

- 4.5 and 5.0: config.php and version.php side by side, admin/cli below;
- 5.1 and later: config.php, admin/cli and the Composer files at the root,
  the code served to browsers (version.php, lib/, mod/...) under public/
  (Moodle's $CFG->root and $CFG->dirroot).

The scripts in moodle_php/ are run with the site's PHP as
`php <script> <moodle root> < request.json`; each answers one line
"RESOLUTION-PACK-JSON: {...}" that run_php() reads.
"""
from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem

PHP_DIR = Path(__file__).resolve().parent.parent / "moodle_php"
MARKER = "RESOLUTION-PACK-JSON: "
MIN_BRANCH = 405                       # Moodle 4.5 LTS
COURSE_URL = "/course/view.php?id={id}"


@dataclass(frozen=True)
class Site:
    root: Path        # the folder with config.php
    php: str          # the php executable, resolved
    release: str
    branch: int       # 405, 500, 501...
    code: Path | None = None   # where version.php is: root, or root/public on 5.1+

    @property
    def moodle(self) -> str:
        """The release as `build --moodle` names it: 4.5, 5.0, 5.1..."""
        return f"{self.branch // 100}.{self.branch % 100}" if self.branch else ""

    def command(self, script: str) -> list[str]:
        return [self.php, str(PHP_DIR / script), str(self.root)]

    def shown(self, script: str, request: str = "request.json") -> str:
        return shlex.join(self.command(script)) + f" < {request}"


def code_folder(root: Path) -> Path | None:
    """Where this Moodle keeps version.php: the root (4.5, 5.0) or public/ (5.1+)."""
    for folder in (root, root / "public"):
        if (folder / "version.php").is_file():
            return folder
    return None


def open_site(moodle_root, php: str = "php") -> Site:
    """Check the Moodle folder and the php executable; every problem at once."""
    root = Path(moodle_root).expanduser()
    if root.name == "public" and (root.parent / "config.php").is_file() and (root / "version.php").is_file():
        root = root.parent           # 5.1+: the web root was given; config.php is one level up
    problems = []
    release, branch = "", 0
    code = None
    if not root.is_dir():
        problems.append(Problem(str(root), 0, 0, "no such folder",
                                fix="--moodle-root is the folder of the Moodle code on this server "
                                    "(the one with config.php)"))
    else:
        code = code_folder(root)
        missing = [name for name, present in (("version.php", code is not None),
                                              ("config.php", (root / "config.php").is_file())) if not present]
        if missing:
            problems.append(Problem(str(root), 0, 0, f"not a Moodle: no {' and no '.join(missing)} here"
                                    + (" (nor in public/)" if "version.php" in missing else ""),
                                    fix="--moodle-root is the folder of an installed Moodle's code, the one "
                                        "with config.php (written by Moodle's installer)"))
        if code is not None:
            release, branch, problem = read_version(code / "version.php")
            if problem:
                problems.append(problem)
    exe = shutil.which(php)
    if exe is None:
        problems.append(Problem(php, 0, 0, "PHP not found" + ("" if "/" in php else " on PATH"),
                                fix="install PHP's command-line interpreter (Debian: apt-get install php-cli, "
                                    "with the extensions Moodle needs), or pass --php /path/to/php"))
    if problems:
        raise InputError(problems)
    return Site(root.resolve(), exe, release, branch, code.resolve() if code else None)


def read_version(path: Path) -> tuple[str, int, Problem | None]:
    text = path.read_text("utf-8", errors="replace")
    found = re.search(r"^\s*\$release\s*=\s*['\"]([^'\"]*)['\"]", text, re.M)
    release = found.group(1) if found else ""
    found = re.search(r"^\s*\$branch\s*=\s*['\"]?(\d+)", text, re.M)
    if not found:
        return release, 0, Problem(str(path), 0, 0, f"no $branch in Moodle's version.php{_release(release)}: "
                                   "this Moodle is older than 4.5, or this is not Moodle's version.php",
                                   fix="use Moodle 4.5 LTS or later")
    branch = int(found.group(1))
    if branch < MIN_BRANCH:
        return release, branch, Problem(str(path), 0, 0, f"Moodle{_release(release)} (branch {branch}) is older "
                                        "than 4.5: the course backups need Moodle 4.5 LTS or later",
                                        fix="upgrade this site to Moodle 4.5 or later")
    return release, branch, None


def _release(release: str) -> str:
    return f" {release}" if release else ""


def run_php(site: Site, script: str, request: dict, about: str | None = None) -> dict:
    """Run one of the moodle_php scripts; return its answer, or raise
    InputError with Moodle's message (about: the file the problem is shown on)."""
    command = site.command(script)
    where = about or str(site.root)
    try:
        proc = subprocess.run(command, input=json.dumps(request), capture_output=True, text=True,
                              encoding="utf-8", errors="replace", cwd=site.root)
    except OSError as exc:
        raise InputError(Problem(site.php, 0, 0, f"cannot run PHP: {exc.strerror or exc}",
                                 fix="pass a working PHP command-line interpreter with --php")) from None
    answer = None
    for line in proc.stdout.splitlines():
        if line.startswith(MARKER):
            try:
                answer = json.loads(line[len(MARKER):])
            except ValueError:
                answer = None
    if not isinstance(answer, dict):
        said = _tail(proc.stdout + "\n" + proc.stderr)
        raise InputError(Problem(where, 0, 0, f"Moodle stopped before answering (php exit {proc.returncode})"
                                 + (f": {said}" if said else ""),
                                 fix=f"run it by hand to see Moodle's message: {site.shown(script)} "
                                     f"(the request: {_short_json(request)})"))
    if not answer.get("ok"):
        said = _tail(answer.get("output") or "")
        raise InputError(Problem(where, 0, 0, f"Moodle says: {answer.get('error') or 'failure'}"
                                 + (f" (Moodle printed: {said})" if said else "")))
    return answer


def _tail(text: str, lines: int = 6) -> str:
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(kept[-lines:])


def _short_json(request: dict) -> str:
    text = json.dumps(request, ensure_ascii=False)
    return text if len(text) <= 300 else text[:297] + "..."

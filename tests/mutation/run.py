#!/usr/bin/env python3
"""Mutation testing of one module with mutmut (not part of the test suite).

    python tests/mutation/run.py resolution_pack/counts.py tests/test_counts.py [more tests...]

Copies the checkout (its files but the ignored ones) into a scratch folder, tells mutmut
to mutate only MODULE and to run only the tests given, runs it at the
lowest CPU priority with one worker, and prints killed / survived /
the score (killed over killed plus survived; a mutant that no given test
runs counts as survived) and the survivors' names.
`mutmut` must be installed (pip install mutmut; it is not a test extra).
Results stay in the scratch folder: `cd` there and `mutmut show NAME`.
"""
from __future__ import annotations

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# mutmut runs on a mutant only the tests it saw call the mutated function,
# and credits a call to the test being set up: what a module-scoped fixture
# builds (an archive, a cartridge) counts for the first test using it alone,
# and the others never see the mutants of the writer. --every-test gives each
# mutant every test of the selection instead (slower, but nothing unseen).
EVERY_TEST = """
import mutmut.__main__ as main
collect = main.collect_or_load_stats
def every_test(runner, **kwargs):
    collect(runner, **kwargs)
    tests = main.state().tests_by_mangled_function_name
    everyone = set().union(*tests.values())
    for name in list(tests):
        tests[name] = set(everyone)
main.collect_or_load_stats = every_test
main.cli()
"""


def _not_killed(work: Path, env: dict) -> list[str]:
    """The mutants an earlier run in `work` did not kill."""
    if not (work / "mutants").is_dir():
        sys.exit(f"--again: no earlier run in {work}")
    results = subprocess.run(["mutmut", "results", "--all", "true"], cwd=work, env=env, capture_output=True,
                             text=True).stdout
    return [m.group(1) for m in re.finditer(r"^\s*(\S+): (?!killed)", results, re.M)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("module", help="the file to mutate, e.g. resolution_pack/counts.py")
    parser.add_argument("tests", nargs=argparse.REMAINDER, help="pytest selection (files, file::test, -k ...)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default /tmp/rp-mutation-NAME)")
    parser.add_argument("--children", type=int, default=1)
    parser.add_argument("--every-test", action="store_true",
                        help="run every given test on every mutant (see EVERY_TEST)")
    parser.add_argument("--again", action="store_true",
                        help="in the scratch folder of an earlier run, with the checkout's files of now (new "
                             "tests), run again only the mutants not killed then")
    parser.add_argument("--only", action="append", default=[], metavar="GLOB",
                        help="only the mutants whose name matches (fnmatch, e.g. '*_ZipWriter*'); repeatable")
    args = parser.parse_args()
    name = Path(args.module).stem
    work = args.work or Path(f"/tmp/rp-mutation-{name}")
    env = dict(os.environ, PYTHONPATH="")
    again = _not_killed(work, env) if args.again else []
    if args.only:
        again = [m for m in again if any(fnmatch.fnmatch(m, g) for g in args.only)] if args.again else args.only
    if args.again and not again:
        sys.exit("--again: every mutant asked for was killed already")
    if work.exists() and not args.again:
        shutil.rmtree(work)
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, files.decode().split("\0")):
        target = work / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / rel).is_file():
            shutil.copy2(ROOT / rel, target)
    shared = ROOT.parent / "shared"      # ../shared: the tests of the mutants look for it beside mutants/
    if shared.is_dir() and not (work / "shared").exists():
        (work / "shared").symlink_to(shared)
    node = ROOT / "tests" / "node" / "node_modules"
    if node.is_dir() and not (work / "tests" / "node" / "node_modules").exists():
        (work / "tests" / "node" / "node_modules").symlink_to(node)
    config = "\n".join([
        "", "[tool.mutmut]",
        'source_paths = ["resolution_pack"]',
        f"only_mutate = [{args.module!r}]",
        "also_copy = [\"templates\", \"schemas\", \"sources\"]",
        f"pytest_add_cli_args_test_selection = {args.tests!r}",
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]',
        "",
    ]).replace("'", '"')
    with open(work / "pyproject.toml", "a", encoding="utf-8") as fh:
        fh.write(config)
    command = [sys.executable, "-c", EVERY_TEST] if args.every_test else ["mutmut"]
    run = subprocess.run(["nice", "-n", "19", *command, "run", "--max-children", str(args.children), *again],
                         cwd=work, env=env)
    results = subprocess.run(["mutmut", "results", "--all", "true"], cwd=work, env=env, capture_output=True,
                             text=True).stdout
    counts: dict[str, list[str]] = {}
    for line in results.splitlines():
        m = re.match(r"\s*(\S+): (.+)$", line)
        if m:
            counts.setdefault(m.group(2).strip(), []).append(m.group(1))
    # a mutant no given test even runs ("no tests") survives the suite as surely as one the tests pass
    survivors = counts.get("survived", []) + counts.get("no tests", [])
    killed, survived = len(counts.get("killed", [])), len(survivors)
    others = {k: len(v) for k, v in counts.items() if k not in ("killed", "survived")}
    score = 100.0 * killed / (killed + survived) if killed + survived else float("nan")
    print(f"{args.module}: killed {killed}, survived {survived} (of which no test ran {len(counts.get('no tests', []))})"
          f", score {score:.1f}%, by status {others}")
    for mutant in counts.get("survived", []):
        print(f"  survived: {mutant}")
    for mutant in counts.get("no tests", []):
        print(f"  no test ran: {mutant}")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())

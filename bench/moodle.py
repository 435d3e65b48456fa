#!/usr/bin/env python3
"""Time Moodle's own backup of the restored editions against our cold build.

    python bench/moodle.py --moodle-root /opt/moodle45 --course 12 --course 13 ... [--runs 3]

Runs, interleaved, `php admin/cli/backup.php --courseid=N --destination=DIR`
for every course given (the six editions, restored from our archives), and a
cold `resolution-pack build` of the six editions (empty output folder and
asset cache; compiled modules kept, after one untimed build, as bench/run.py
measures), `--runs` times each; prints wall and CPU times (CPU of the
build and its workers, of the PHP processes) and the ratio of the medians.
It only runs Moodle's CLI on a site that exists; it installs nothing.
Nothing is asserted: the figures go into docs/performance.md by hand.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], env=None, cwd=None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def database_cpu() -> float:
    """CPU seconds of the PostgreSQL server's processes so far (their own and
    that of the backends they reaped: each backup's connection ends with it),
    0 where there is none or no /proc."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, fields = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()
        if name == "postgres":
            total += sum(int(value) for value in fields[11:15])     # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moodle-root", type=Path, required=True)
    parser.add_argument("--course", type=int, action="append", required=True, help="a restored edition's id")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--php", default="php")
    args = parser.parse_args()
    ours, theirs = [], []
    with tempfile.TemporaryDirectory(prefix="resolution-pack-moodle-bench-") as tmp:
        tmp = Path(tmp)
        path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
        build = [sys.executable, "-m", "resolution_pack.cli", "build", "--quiet", "--sources", str(ROOT / "sources"),
                 "--out", str(tmp / "out")]
        # as bench/run.py measures: compiled modules and templates kept, as a default Python keeps them
        base = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        timed(build, dict(base, XDG_CACHE_HOME=str(tmp / "warm-up-cache"), PYTHONPATH=path))   # untimed warm-up
        for run in range(args.runs):
            for folder in ("out", "cache", "moodle"):
                shutil.rmtree(tmp / folder, ignore_errors=True)
                (tmp / folder).mkdir()
            ours.append(timed(build, dict(base, XDG_CACHE_HOME=str(tmp / "cache"), PYTHONPATH=path)))
            wall = cpu = 0.0
            database = database_cpu()
            for course in args.course:
                w, c = timed([args.php, str(args.moodle_root / "admin" / "cli" / "backup.php"),
                              f"--courseid={course}", f"--destination={tmp / 'moodle'}"])
                wall, cpu = wall + w, cpu + c
            database = database_cpu() - database
            theirs.append((wall, cpu))
            print(f"run {run + 1}: resolution-pack {ours[-1][0]:.2f} s wall ({ours[-1][1]:.2f} s CPU); "
                  f"Moodle backup.php x{len(args.course)} {wall:.2f} s wall ({cpu:.2f} s CPU of PHP, "
                  f"{database:.2f} s of PostgreSQL); load {os.getloadavg()[0]:.1f}", flush=True)
    ow, oc = statistics.median(w for w, _ in ours), statistics.median(c for _, c in ours)
    tw, tc = statistics.median(w for w, _ in theirs), statistics.median(c for _, c in theirs)
    print(f"median: resolution-pack {ow:.2f} s wall / {oc:.2f} s CPU; Moodle {tw:.2f} s wall / {tc:.2f} s CPU; "
          f"Moodle takes {tw / ow:.1f}x the wall time and {tc / oc:.1f}x the CPU time")


if __name__ == "__main__":
    main()

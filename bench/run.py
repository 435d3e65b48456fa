#!/usr/bin/env python3
"""Measure build speed and memory; write docs/performance.md.

    python bench/run.py            # everything (needs ~10 GB of free disk)
    python bench/run.py --quick    # skip the 100x course and the 2 GB media build
    python bench/run.py --only full,fr,media   # some rows only

Measures wall time, CPU time (user + system, of the build and its worker
processes) and peak memory (the largest of the build's processes, as GNU time
reports it) of: a cold build of the real sources (empty output folder, empty
cache: XDG_CACHE_HOME points at an empty folder), one edition cold, a no-op
rebuild, a warm build (empty output folder, the asset cache kept), a
one-string rebuild, synthetic courses 10x and 100x the real one, and a build
whose media weigh about 2 GB, beside the time `cp` takes to copy the same
media bytes (the floor), both timed until their bytes are on disk (sync).
Each row runs `--repeat` times (median kept); the load average is written
beside the figures, since the machines are shared.
Results are written down, never asserted.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib
import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"


class Rows(list):
    """Results, printed as they come (a long run shows its progress)."""

    def append(self, row) -> None:
        super().append(row)
        name, m, extra = row
        print(f"{name}: {m.wall:.2f} s wall, {m.cpu:.2f} s CPU, {m.mem:.0f} MB, load {m.load:.1f} {extra}",
              flush=True)


class Measure:
    def __init__(self, wall: float, cpu: float, mem: float, load: float):
        self.wall, self.cpu, self.mem, self.load = wall, cpu, mem, load


def measure(cmd: list[str], env=None, before=None) -> Measure:
    """Wall seconds, CPU seconds (user + system) and peak RSS in MB of the
    build and its worker processes, and the 1-minute load average.

    GNU time reports the peak: a child forked from this (possibly large)
    process would count this process's pages until it execs, so wait4's
    figure here would be wrong. `before` runs first, untimed (to empty a
    folder, for one)."""
    if before:
        before()
    gnu_time = shutil.which("time", path="/usr/bin:/bin")
    with tempfile.NamedTemporaryFile("r") as report:
        full = [gnu_time, "-f", "%M %U %S", "-o", report.name, *cmd] if gnu_time else cmd
        start = time.perf_counter()
        proc = subprocess.run(full, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        load = os.getloadavg()[0]
        if proc.returncode != 0:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode()[-2000:]}")
        if gnu_time:
            mem, user, system = report.read().strip().splitlines()[-1].split()
            return Measure(elapsed, float(user) + float(system), int(mem) / 1024, load)
    return Measure(elapsed, float("nan"), float("nan"), load)


def repeated(times: int, cmd: list[str], env=None, before=None) -> Measure:
    """The run of median wall time among `times` runs."""
    runs = sorted((measure(cmd, env, before) for _ in range(times)), key=lambda m: m.wall)
    return runs[len(runs) // 2]


def empty(*folders: Path):
    def clear():
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
    return clear


def warm_up(env, tmp: Path) -> None:
    """One untimed build of the real course: the checkout's compiled modules
    and templates written (__pycache__), as `pip install` and a first run
    leave them on a user's machine. The asset cache it fills is emptied
    before each cold row."""
    subprocess.run(build_cmd(SOURCES, tmp / "warm-up"), env=env, check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(tmp / "warm-up")


def build_cmd(sources: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "resolution_pack.cli", "build", "--quiet",
            "--sources", str(sources), "--out", str(out), *extra]


def import_cmd(build: Path, target: Path) -> list[str]:
    """`resolution-pack import` of every edition's .mbz of a build (French
    first, the source language) back into sources and PO files."""
    archives = sorted(build.glob("*/*.mbz"), key=lambda p: (p.parent.name != "fr", p.parent.name))
    return [sys.executable, "-m", "resolution_pack.cli", "import", *map(str, archives),
            "--source-lang", "fr", "--out", str(target)]


# -- synthetic courses ---------------------------------------------------------

def _rename_ctx(ctx: str, mapping: list[tuple[str, str]]) -> str:
    for old, new in mapping:
        for sep in (".", ":"):
            if ctx.startswith(old + sep):
                return new + ctx[len(old):]
    return ctx


def scaled_course(factor: int, target: Path) -> Path:
    """The real course with its MOOC parts and projects repeated `factor` times."""
    shutil.copytree(SOURCES, target)
    course = yaml.safe_load((SOURCES / "course.yaml").read_text("utf-8"))
    parts = [s for s in course["sections"] if re.fullmatch(r"mooc-\d+", s)]
    projects = list(course["projects"])
    maps = []
    for k in range(1, factor):
        m = []
        for s in parts:
            new = f"{s}-k{k}"
            shutil.copy(SOURCES / "sections" / f"{s}.yaml", target / "sections" / f"{new}.yaml")
            m.append((s, new))
        for p in projects:
            new = f"{p}k{k}"
            shutil.copy(SOURCES / "projects" / f"{p}.yaml", target / "projects" / f"{new}.yaml")
            m += [(p, new), (f"tutorial.{p}", f"tutorial.{new}"), (f"toolbox.{p}", f"toolbox.{new}")]
        maps.append(m)
    course["sections"] = course["sections"][:1] + [s for s in parts] + \
        [f"{s}-k{k}" for k in range(1, factor) for s in parts] + course["sections"][1 + len(parts):]
    course["projects"] = projects + [f"{p}k{k}" for k in range(1, factor) for p in projects]
    course.pop("expected", None)
    course["expected"] = {}
    (target / "course.yaml").write_text(yaml.safe_dump(course, allow_unicode=True, sort_keys=False), "utf-8")
    for po_path in sorted((SOURCES / "locale").glob("*.po")):
        po = polib.pofile(str(po_path))
        extra = []
        for m in maps:
            for e in po:
                if e.obsolete:
                    continue
                ctx = _rename_ctx(e.msgctxt or "", m)
                if ctx != e.msgctxt:
                    extra.append(polib.POEntry(msgctxt=ctx, msgid=e.msgid, msgstr=e.msgstr))
        for e in extra:
            po.append(e)
        po.save(str(target / "locale" / po_path.name))
    return target


def large_media_course(target: Path, total_mb: int) -> tuple[Path, Path]:
    """The real course whose 15 MOOC videos are distinct files of total_mb in all."""
    shutil.copytree(SOURCES, target)
    media = target / "media" / "large"
    media.mkdir()
    files = []
    for n in range(15):
        path = media / f"video-{n:02d}.webm"
        with open(path, "wb") as fh:
            fh.write(b"\x1a\x45\xdf\xa3")
            block = os.urandom(1 << 20)
            for _ in range(total_mb // 15):
                fh.write(block)
        files.append(path)
    n = 0
    for part in sorted((target / "sections").glob("mooc-*.yaml")):
        text = part.read_text("utf-8")
        while "file: media/placeholder-video.webm" in text and n < len(files):
            text = text.replace("file: media/placeholder-video.webm", f"file: media/large/{files[n].name}", 1)
            n += 1
        part.write_text(text, "utf-8")
    return target, media


# -- the run ---------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100x course and the large-media build")
    parser.add_argument("--media-mb", type=int, default=2048)
    parser.add_argument("--skip-scaled", action="store_true", help="skip the 10x and 100x courses")
    parser.add_argument("--only", default="", help="comma-separated rows: full,import,fr,noop,warm,onestring,x10,x100,media")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each small row (the median is kept)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE if set: every process compiles the modules and templates")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    wanted = lambda name: not only or name in only  # noqa: E731
    rows = Rows()
    with tempfile.TemporaryDirectory(prefix="resolution-pack-bench-") as tmp:
        tmp = Path(tmp)
        out, cache = tmp / "build", tmp / "cache"
        # the checkout's code, whatever else is installed
        path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
        cold = dict(os.environ, XDG_CACHE_HOME=str(cache), PYTHONPATH=path)
        if not args.no_bytecode:
            # as a default Python, and as an install, keeps them: compiled modules and templates
            cold.pop("PYTHONDONTWRITEBYTECODE", None)
            warm_up(cold, tmp)
        full = None
        if wanted("full") or wanted("noop") or wanted("warm") or wanted("onestring") or wanted("import"):
            m = repeated(args.repeat, build_cmd(SOURCES, out), cold, empty(out, cache))
            full, full_cpu = m.wall, m.cpu
            rows.append(("real course, 6 editions, cold build", m, "empty output folder and asset cache"))
        if full and wanted("import"):
            m = repeated(args.repeat, import_cmd(out, tmp / "imported"), cold, empty(tmp / "imported"))
            rows.append(("import of those 6 .mbz into sources and 5 PO files", m,
                         f"{100 * m.wall / full:.0f}% of the cold build's wall time, {100 * m.cpu / full_cpu:.0f}% "
                         "of its CPU time"))
        if wanted("fr"):
            m = repeated(args.repeat, build_cmd(SOURCES, tmp / "fr", "--lang", "fr"), cold, empty(tmp / "fr", cache))
            rows.append(("one edition (fr), cold build", m, "empty output folder and asset cache"))
        if full and wanted("noop"):
            m = repeated(args.repeat, build_cmd(SOURCES, out), cold)
            rows.append(("no-op rebuild", m, f"{100 * m.wall / full:.1f}% of a cold build"))
        if full and wanted("warm"):
            m = repeated(args.repeat, build_cmd(SOURCES, tmp / "warm"), cold, empty(tmp / "warm"))
            rows.append(("warm build, 6 editions", m, "empty output folder, asset cache kept"))
        if full and wanted("onestring"):
            changed = tmp / "changed"
            shutil.copytree(SOURCES, changed)
            po = polib.pofile(str(changed / "locale" / "it.po"))
            entry = next(e for e in po if e.msgstr and not e.obsolete)
            entry.msgstr = entry.msgstr.strip() + "."
            po.save(str(changed / "locale" / "it.po"))
            shutil.copytree(out, tmp / "build2")
            m = measure(build_cmd(changed, tmp / "build2"), cold)
            rows.append(("one-string rebuild (it.po)", m, "only the it edition is rebuilt; asset cache warm"))
        for factor in (10, 100):
            if args.skip_scaled or not wanted(f"x{factor}") or (factor == 100 and args.quick):
                continue
            course = scaled_course(factor, tmp / f"x{factor}")
            m = measure(build_cmd(course, tmp / f"build-x{factor}"), cold, empty(cache))
            note = f"{m.wall / full:.1f}x the real course's time" if full else ""
            rows.append((f"{factor}x course ({16 * factor} projects, {42 * factor} graded questions), 6 editions",
                         m, note))
            shutil.rmtree(tmp / f"build-x{factor}")
            shutil.rmtree(course)
        if not args.quick and wanted("media"):
            course, media = large_media_course(tmp / "media-course", args.media_mb)
            size = sum(p.stat().st_size for p in media.iterdir())
            # cp and the build run interleaved, the page cache warm for both, each
            # timed until what it wrote is on disk: cp's 2 GB fit under the kernel's
            # dirty-page limit and the build's three copies do not, so without the
            # sync cp's figure was that of the page cache (229 to 1745 MiB/s here)
            cp_times, builds = [], []
            synced = ["sh", "-c", '"$@" && sync', "sh"]
            for _ in range(2):
                shutil.rmtree(tmp / "media-copy", ignore_errors=True)
                os.sync()
                start = time.perf_counter()
                subprocess.run([*synced, "cp", "-r", str(media), str(tmp / "media-copy")], check=True)
                cp_times.append(time.perf_counter() - start)
                shutil.rmtree(tmp / "media-copy")
                clear = empty(tmp / "build-media", cache)
                builds.append(measure([*synced, *build_cmd(course, tmp / "build-media", "--lang", "fr")], cold,
                                      lambda: (clear(), os.sync())))
            cp_time, m = min(cp_times), min(builds, key=lambda b: b.wall)
            written = sum(p.stat().st_size for p in (tmp / "build-media").rglob("*") if p.is_file())
            rows.append((f"large media ({size / 2**30:.2f} GiB of video), fr edition", m,
                         f"wrote {written / 2**30:.2f} GiB (synced) at {written / m.wall / 2**20:.0f} MiB/s; "
                         f"cp copies the media at {size / cp_time / 2**20:.0f} MiB/s "
                         f"({cp_time:.1f} s): {100 * (written / m.wall) / (size / cp_time):.0f}% of cp's throughput"))
    write_report(args.out, rows, args)


def write_report(path: Path, rows, args) -> None:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        "# Build performance",
        "",
        f"Measured by `{' '.join(['python', 'bench/run.py', *sys.argv[1:]])}`" +
        f" on {datetime.date.today().isoformat()}: "
        f"{os.cpu_count()} CPUs ({cpu}), {mem_gb:.0f} GiB of memory, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Wall time, CPU time (user + system of the build and its "
        "worker processes) and peak memory (resident set); small rows are the median of "
        f"{args.repeat} runs. The machine is shared: the load column is the 1-minute load average "
        "when the run ended (2 means both cores busy); CPU time is the steadier figure under load. "
        + ("Compiled modules and templates are kept, as a default Python keeps them (one untimed build "
           "first; PYTHONDONTWRITEBYTECODE unset for the builds)." if not args.no_bytecode else
           "PYTHONDONTWRITEBYTECODE as the environment sets it: "
           + ("every process compiles the modules and templates."
              if os.environ.get("PYTHONDONTWRITEBYTECODE") else "unset.")),
        "",
        "| build | wall time | CPU time | peak memory | load | notes |",
        "|---|---:|---:|---:|---:|---|",
    ]
    lines += [f"| {name} | {m.wall:.2f} s | {m.cpu:.2f} s | {m.mem:.0f} MB | {m.load:.1f} | {note} |"
              for name, m, note in rows]
    lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text("utf-8") if path.exists() else ""
    marker = "<!-- analysis -->"
    tail = existing[existing.index(marker):] if marker in existing else f"{marker}\n"
    path.write_text("\n".join(lines) + "\n" + tail, "utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Measure build speed and memory; write docs/performance.md.

    python bench/run.py            # everything (needs ~10 GB of free disk)
    python bench/run.py --quick    # skip the 100x course and the 2 GB media build

Measures wall time and peak memory (the largest of the build's processes,
as GNU time reports it) of: a full build of the real sources, a no-op rebuild,
a one-string rebuild, synthetic courses 10x and 100x the real one, and a
build whose media weigh about 2 GB, beside the time `cp` takes to copy the
same media bytes (the floor). Results are written down, never asserted.
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
        name, t, mem, extra = row
        print(f"{name}: {t:.2f} s, {mem:.0f} MB {extra}", flush=True)


def measure(cmd: list[str], env=None) -> tuple[float, float]:
    """(seconds, peak RSS in MB of the build and its worker processes).

    GNU time reports the peak: a child forked from this (possibly large)
    process would count this process's pages until it execs, so wait4's
    figure here would be wrong."""
    gnu_time = shutil.which("time", path="/usr/bin:/bin")
    with tempfile.NamedTemporaryFile("r") as report:
        full = [gnu_time, "-f", "%M", "-o", report.name, *cmd] if gnu_time else cmd
        start = time.perf_counter()
        proc = subprocess.run(full, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode()[-2000:]}")
        if gnu_time:
            return elapsed, int(report.read().strip().splitlines()[-1]) / 1024
    return elapsed, float("nan")


def build_cmd(sources: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "resolution_pack.cli", "build", "--quiet",
            "--sources", str(sources), "--out", str(out), *extra]


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
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    args = parser.parse_args()
    rows = Rows()
    with tempfile.TemporaryDirectory(prefix="resolution-pack-bench-") as tmp:
        tmp = Path(tmp)
        out = tmp / "build"
        t, mem = measure(build_cmd(SOURCES, out))
        full = t
        rows.append(("real course, 6 editions, full build", t, mem, ""))
        t, mem = measure(build_cmd(SOURCES, out))
        rows.append(("no-op rebuild", t, mem, f"{100 * t / full:.1f}% of a full build"))
        changed = tmp / "changed"
        shutil.copytree(SOURCES, changed)
        po = polib.pofile(str(changed / "locale" / "it.po"))
        entry = next(e for e in po if e.msgstr and not e.obsolete)
        entry.msgstr += " "
        entry.msgstr = entry.msgstr.strip() + "."
        po.save(str(changed / "locale" / "it.po"))
        shutil.copytree(out, tmp / "build2")
        (tmp / "build2" / ".resolution-pack-build.json").exists()
        t, mem = measure(build_cmd(changed, tmp / "build2"))
        rows.append(("one-string rebuild (it.po)", t, mem, "only the it edition is rebuilt"))
        for factor in () if args.skip_scaled else (10,) if args.quick else (10, 100):
            course = scaled_course(factor, tmp / f"x{factor}")
            t, mem = measure(build_cmd(course, tmp / f"build-x{factor}"))
            rows.append((f"{factor}x course ({16 * factor} projects, {42 * factor} graded questions), 6 editions",
                         t, mem, f"{t / full:.1f}x the real course's time"))
            shutil.rmtree(tmp / f"build-x{factor}")
            shutil.rmtree(course)
        if not args.quick:
            course, media = large_media_course(tmp / "media-course", args.media_mb)
            size = sum(p.stat().st_size for p in media.iterdir())
            start = time.perf_counter()
            subprocess.run(["cp", "-r", str(media), str(tmp / "media-copy")], check=True)
            cp_time = time.perf_counter() - start
            shutil.rmtree(tmp / "media-copy")
            t, mem = measure(build_cmd(course, tmp / "build-media", "--lang", "fr"))
            written = sum(p.stat().st_size for p in (tmp / "build-media").rglob("*") if p.is_file())
            rows.append((f"large media ({size / 2**30:.2f} GiB of video), fr edition", t, mem,
                         f"wrote {written / 2**30:.2f} GiB at {written / t / 2**20:.0f} MiB/s; "
                         f"cp copies the media at {size / cp_time / 2**20:.0f} MiB/s "
                         f"({cp_time:.1f} s): {100 * (written / t) / (size / cp_time):.0f}% of cp's throughput"))
    write_report(args.out, rows, args.quick)


def write_report(path: Path, rows, quick: bool) -> None:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        "# Build performance",
        "",
        f"Measured by `python bench/run.py{' --quick' if quick else ''}` on {datetime.date.today().isoformat()}: "
        f"{os.cpu_count()} CPUs ({cpu}), {mem_gb:.0f} GiB of memory, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Wall time and peak memory (resident set of the build and its "
        "worker processes). One run each: these machines are noisy, read the figures as orders of magnitude.",
        "",
        "| build | wall time | peak memory | notes |",
        "|---|---:|---:|---|",
    ]
    lines += [f"| {name} | {t:.2f} s | {mem:.0f} MB | {note} |" for name, t, mem, note in rows]
    lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text("utf-8") if path.exists() else ""
    marker = "<!-- analysis -->"
    tail = existing[existing.index(marker):] if marker in existing else f"{marker}\n"
    path.write_text("\n".join(lines) + "\n" + tail, "utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""check's report as a table for people."""
from __future__ import annotations

from .findings import FIGURES


def human(size: int) -> str:
    """A size in bytes as people read it: 512 B, 1.5 KiB, 7.9 MiB."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def table(reports: dict, total: dict, expected, with_total: bool = True) -> str:
    langs = list(reports)
    width = max([8] + [len(human(r.files_size)) + 2 for r in reports.values()])
    head = f"{'figure':<22}" + "".join(f"{lang:>{width}}" for lang in langs) + f"{'total':>{width}}" + \
        f"{'expected':>16}"
    rows = [f"Counted in each edition's archives, their total, and the expected figures "
            f"(per edition / all editions) from {expected.origin}:", head, "-" * len(head)]
    for k in FIGURES:
        per = expected.per_edition.get(k, "")
        tot = expected.total.get(k, "-") if with_total else "-"
        exp = f"{per if per != '' else '-'} / {tot}" if per != "" or tot != "-" else ""
        rows.append(f"{k:<22}" + "".join(f"{reports[lang].figures[k]:>{width}}" for lang in langs)
                    + f"{total.get(k, 0):>{width}}" + f"{exp:>16}")
    rows.append(f"{'files in the .mbz':<22}" + "".join(f"{reports[lang].files:>{width}}" for lang in langs))
    rows.append(f"{'their size':<22}" + "".join(f"{human(reports[lang].files_size):>{width}}" for lang in langs))
    rows.append(f"{'SCORM packages':<22}" + "".join(f"{reports[lang].scorm_packages:>{width}}" for lang in langs))
    types = sorted({t for r in reports.values() for t in r.activities_by_type})
    for t in types:
        rows.append(f"{'mod_' + t:<22}" + "".join(f"{reports[lang].activities_by_type[t]:>{width}}" for lang in langs))
    if not with_total:
        rows.append("(totals not compared: only some editions were built or checked: build --lang, check --lang)")
    return "\n".join(rows)

"""Small hand-built course models for the targets' unit tests (no YAML, no PO).

Each test builds exactly the model it needs, so that the expected output
can be written down from the format's specification."""
from __future__ import annotations

from pathlib import Path

from resolution_pack import model as m
from resolution_pack.edition import Edition, MediaStore


def course(sections=(), lang="fr", ui=None, title="Cours", fullname="Cours complet", cid="c") -> m.Course:
    ui_strings = {k: m.UiString(k, text=v) for k, v in (ui or {}).items()}
    return m.Course(cid, "fr", ["fr", "hu"], "2026-01-05", {lang: m.Edition(lang, f"C-{lang.upper()}", fullname)},
                    list(sections), [], {}, ui_strings, lang=lang, title=title, summary="")


def edition(model: m.Course, tmp_path: Path, files=(), options=None) -> Edition:
    """An edition whose media store holds `files` (paths, under sources/ or
    generated/ for generated ones), each with its path as its bytes."""
    sources, generated = tmp_path / "sources", tmp_path / "generated-root"
    for name in files:
        base, rel = (generated, name) if name.startswith("generated/") else (sources, name)
        target = base / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(name.encode())
    return Edition(model, MediaStore(sources, generated), dict(options or {}))


def section(sid="part-1", items=(), title="Partie 1", summary=None, role="mooc-part", src=None) -> m.Section:
    return m.Section(sid, role, list(items), title=title, summary=summary, src=src or m.Src())


def question(qid="c.part-1.act.q1", qtype="single", text="Question ?", **fields) -> m.Question:
    return m.Question(qid, qtype, text=text, **fields)


def choices(*specs) -> list[m.Choice]:
    """("text", correct) or ("text", correct, feedback) or ("text", correct, feedback, group) or a Choice."""
    made = []
    for spec in specs:
        if isinstance(spec, m.Choice):
            made.append(spec)
            continue
        text, correct, *rest = spec
        feedback = rest[0] if rest else None
        group = rest[1] if len(rest) > 1 else 1
        made.append(m.Choice(correct=correct, group=group, text=text, feedback=feedback))
    return made

"""Read a sources folder's YAML files and check each against its JSON Schema
(schemas/), with messages that name file, line, key and fix. The course
model is built from what passes (load.py)."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from .errors import Collector, InputError, Problem
from .resources import schemas_dir
from .yamlsource import Mapping, load_yaml, position

SCHEMA_FILES = {"course": "course.schema.json", "section": "section.schema.json",
                "project": "project.schema.json", "ui": "ui.schema.json"}


@lru_cache(maxsize=1)
def _schema_docs() -> dict:
    folder = schemas_dir()
    return {p.name: json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.schema.json"))}


@lru_cache(maxsize=1)
def _validators() -> dict:
    """jsonschema's validators: they say what is wrong, and where (imported
    only then: the package takes a tenth of a second to import)."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    docs = _schema_docs()
    registry = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc)) for doc in docs.values())
    return {kind: Draft202012Validator(docs[name], registry=registry)
            for kind, name in SCHEMA_FILES.items()}


@lru_cache(maxsize=1)
def _fast_validators() -> dict:
    """jsonschema-rs (compiled, ~300x faster) only tells valid or not: a
    valid file, the usual case, is never walked by jsonschema."""
    import jsonschema_rs
    docs = _schema_docs()
    registry = jsonschema_rs.Registry([(doc["$id"], doc) for doc in docs.values()])
    return {kind: jsonschema_rs.Draft202012Validator(docs[name], registry=registry)
            for kind, name in SCHEMA_FILES.items()}


_UNEXPECTED = re.compile(r"'([^']+)'")


def _schema_problems(kind: str, doc, shown: str) -> list[Problem]:
    if _fast_validators()[kind].is_valid(doc):
        return []
    problems = []
    for error in _validators()[kind].iter_errors(doc):
        problems.extend(_describe(error, doc, shown, kind))
    return problems


def _leaf_errors(error):
    """For oneOf/anyOf, report the most specific branch, not 'not valid under any'."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        deepest = max(len(e.absolute_path) for e in error.context)
        if deepest > len(error.absolute_path):
            return [e for e in error.context if len(e.absolute_path) == deepest]
    return [error]


def _describe(error, doc, shown: str, kind: str) -> list[Problem]:
    out = []
    for err in _leaf_errors(error):
        path = list(err.absolute_path)
        dotted = ".".join(str(p) for p in path)
        if err.validator in ("additionalProperties", "unevaluatedProperties"):
            if err.validator == "additionalProperties":
                allowed = set(err.schema.get("properties", {}))
                keys = [k for k in err.instance if k not in allowed]
            else:
                keys = _UNEXPECTED.findall(err.message.split("(")[-1])
            known = sorted(_known_keys(err.schema, err.instance, kind))
            # a key the schema knows was only "unevaluated" because a sibling
            # failed (reported on its own): not a typo
            keys = [k for k in keys if k not in known]
            for key in keys:
                line, col = position(doc, path + [key])
                fix = f"remove it, or use one of: {', '.join(known)}" if known else "remove it"
                out.append(Problem(shown, line, col, f"unknown key '{key}'",
                                   ".".join(str(p) for p in path + [key]), fix))
            continue
        line, col = position(doc, path)
        message, fix = err.message, ""
        if err.validator == "required":
            missing = _UNEXPECTED.findall(err.message)
            message = f"missing required key '{missing[0]}'" if missing else err.message
            fix = f"add '{missing[0]}:'" if missing else ""
        elif err.validator == "enum":
            message = f"{_short(err.instance)} is not one of {', '.join(map(str, err.validator_value))}"
        elif err.validator == "type":
            message = f"{_short(err.instance)} should be of type {err.validator_value}"
        elif err.validator == "pattern":
            message = f"{_short(err.instance)} does not have the expected form"
            fix = _pattern_hint(err.validator_value)
        elif err.validator in ("oneOf", "anyOf"):
            message, fix = _alternatives(err)
        elif err.validator in ("minItems", "maxItems"):
            message = f"expected {'at least' if err.validator == 'minItems' else 'at most'} {err.validator_value} items, found {len(err.instance)}"
        out.append(Problem(shown, line, col, message, dotted, fix))
    return out


def _alternatives(err) -> tuple[str, str]:
    """A oneOf/anyOf that no branch explains better: the keys it asks for
    when its branches each require one, else the value, shortened."""
    keys = [b.get("required") for b in err.validator_value if isinstance(b, dict)]
    if keys and all(isinstance(k, list) and len(k) == 1 for k in keys):
        names = [k[0] for k in keys]
        which = "exactly one" if err.validator == "oneOf" else "at least one"
        return (f"needs {which} of the keys {', '.join(names)}",
                f"give {' or '.join(repr(n + ':') for n in names)}{' (not both)' if which == 'exactly one' else ''}")
    return f"{_short(err.instance)} is not valid under any of the given schemas", ""


def _known_keys(schema, instance, kind: str) -> set:
    """The keys a schema accepts for this instance, following $ref and the
    if/then branches that apply (to suggest the right spelling)."""
    resolver = _validators()[kind]._resolver
    keys: set = set()

    def visit(sub, depth=0):
        if depth > 8 or not isinstance(sub, dict):
            return
        if "$ref" in sub:
            try:
                visit(resolver.lookup(sub["$ref"]).contents, depth + 1)
            except Exception:  # noqa: BLE001 - a suggestion only
                pass
        keys.update(sub.get("properties", {}))
        for part in sub.get("allOf", []):
            if "if" in part:
                from jsonschema import Draft202012Validator
                if Draft202012Validator(part["if"]).is_valid(instance):
                    visit(part.get("then", {}), depth + 1)
            else:
                visit(part, depth + 1)

    visit(schema)
    return keys


def _short(value) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def _pattern_hint(pattern: str) -> str:
    if "a-z0-9][a-z0-9-]" in pattern:
        return "ids use lower-case letters, digits and hyphens"
    if "[0-5][0-9]\\." in pattern:
        return "write times as MM:SS.mmm or HH:MM:SS.mmm"
    if "https?" in pattern:
        return "write a full http:// or https:// address"
    return f"it must match {pattern}"



class Sources:
    """The parsed, schema-checked documents of a sources folder."""

    def __init__(self):
        self.docs: dict[str, tuple[str, object]] = {}  # shown path -> (kind, doc)
        self.failed: set[tuple[str, str]] = set()        # (kind, stem) of files with problems


def _shown(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root.parent)) if root.name else str(path)
    except ValueError:
        return str(path)


def read_sources(root: Path, problems: Collector) -> Sources:
    root = Path(root)
    found = Sources()
    if not (root / "course.yaml").is_file():
        raise InputError(Problem(str(root / "course.yaml"), 0, 0, "no course.yaml in the sources folder",
                                 fix="run from the project folder or pass --sources DIR"))
    wanted = [("course", root / "course.yaml")]
    if (root / "ui.yaml").exists():
        wanted.append(("ui", root / "ui.yaml"))
    wanted += [("section", p) for p in sorted((root / "sections").glob("*.yaml"))]
    wanted += [("project", p) for p in sorted((root / "projects").glob("*.yaml"))]
    for kind, path in wanted:
        shown = _shown(root, path)
        try:
            doc = load_yaml(path, shown)
        except InputError as exc:
            problems.extend(exc.problems)
            found.failed.add((kind, path.stem))
            continue
        if not isinstance(doc, Mapping):
            problems.add(shown, 1, 1, "the file must hold a mapping (key: value lines) at top level")
            found.failed.add((kind, path.stem))
            continue
        schema_problems = _schema_problems(kind, doc, shown)
        problems.extend(schema_problems)
        if schema_problems:
            found.failed.add((kind, path.stem))
        else:
            found.docs[shown] = (kind, doc)
    return found

"""A SCORM package read back: its manifest (against ADL's XSDs when they are
at hand), the files the manifest lists, its pages' questions, its subtitles."""
from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import unquote

from lxml import etree
from lxml import html as lxml_html

from .findings import EditionReport, check_name, finding
from .webvtt import vtt_problems
from .xmldoc import parse


def check(path: Path, lang: str, report: EditionReport, problems: list, options=None) -> None:
    """Integrity of one SCORM package, and the questions it carries."""
    schemas = options.xsd if options else None
    archive = f"scorm/{path.name}"

    def problem(rule, message):
        problems.append(finding(lang, archive, rule, message))

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        problem("archive", f"cannot read the archive: {exc}")
        return
    with zf:
        names = set()
        for info in zf.infolist():
            names.add(info.filename)
            check_name(info.filename, lang, archive, problems)
        if "imsmanifest.xml" not in names:
            problem("structure", "imsmanifest.xml is missing at the package root")
            return
        manifest = parse(zf.read("imsmanifest.xml"), "imsmanifest.xml", lang, archive, problems)
        if manifest is None:
            return
        report.scorm_packages += 1
        _validate_manifest(manifest, schemas, lang, archive, problems)
        for href in manifest.iter("{*}file"):
            target = href.get("href", "")
            if unquote(target) not in names:
                problem("files", f"imsmanifest.xml lists {target}, which is not in the package")
        for name in sorted(names):
            if name.endswith(".xml") and name != "imsmanifest.xml":
                parse(zf.read(name), name, lang, archive, problems)
            elif name.endswith((".html", ".htm")):
                doc = lxml_html.fromstring(zf.read(name))
                for el in doc.iter():
                    qid = el.get("data-question-id") if isinstance(el.tag, str) else None
                    if qid:
                        kind = el.get("data-kind", "")
                        if kind not in ("exercise", "formative"):
                            problem("structure", f"{name}: question {qid} has data-kind {kind!r}")
                            continue
                        report.scorm_questions[kind].add(qid)
            elif name.endswith(".vtt"):
                problems.extend(finding(lang, archive, "webvtt", f"{name}: {m}") for m in vtt_problems(zf.read(name)))


def _validate_manifest(manifest, schemas: Path | None, lang, archive, problems) -> None:
    """Validate against ADL's XSDs for the manifest's SCORM version."""
    if schemas is None:
        return
    from ..scorm_xsd import load_schema
    version = (manifest.findtext(".//{*}schemaversion") or "").strip()
    key = "1.2" if version == "1.2" else "2004"
    try:
        schema = load_schema(key, Path(schemas))
    except (OSError, etree.XMLSchemaParseError) as exc:
        problems.append(finding(lang, archive, "manifest", f"cannot load the SCORM {key} XSDs: {exc}"))
        return
    if not schema.validate(manifest):
        for error in list(schema.error_log)[:5]:
            problems.append(finding(lang, archive, "manifest", f"imsmanifest.xml:{error.line}: {error.message}"))

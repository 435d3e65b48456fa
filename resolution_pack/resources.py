"""Where the shipped templates and schemas are, installed or in a checkout."""
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder `name` ("templates" or "schemas").

    An installed wheel carries a copy in resolution_pack/_data (see setup.py);
    a checkout or an editable install uses the repository's own folder.
    """
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def templates_dir() -> Path:
    return data_dir("templates")


def schemas_dir() -> Path:
    return data_dir("schemas")

"""The Jinja2 environment of the Moodle backup target.

One environment over templates/moodle_backup/ (targets/templating.py),
autoescaping, for the backup's XML files. Every value is escaped, HTML fields
included (Moodle stores them escaped: `&lt;p&gt;`); SQL NULL is written with
the `n` filter (`{{ value|n }}` gives `$@NULL@$` for None); characters XML
cannot hold are dropped; a None reaching the output without `|n` is a bug and
raises. The HTML of pages, chapters and questions comes from targets/html.py
(templates/html/), shared by the targets.
"""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment
from markupsafe import Markup

from ..text import without_control_characters
from . import templating

NULL = "$@NULL@$"


def _finalize(value):
    if value is None:
        raise ValueError("None reached a Moodle backup template; write it with |n (NULL) or give a value")
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and not isinstance(value, Markup):
        return without_control_characters(value)
    return value


def _null(value):
    return NULL if value is None else value


def environment() -> Environment:
    return templating.environment("moodle_backup", _finalize, n=_null)


@lru_cache(maxsize=None)
def _template(name: str):
    # looked up once per process: Jinja's own lookup checks the file's mtime
    # and the loader's path on every call, a third of the rendering time here
    return environment().get_template(name)


def render_xml(template: str, **context) -> str:
    return _template(f"{template}.xml.j2").render(**context)


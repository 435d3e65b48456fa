"""The Jinja2 environments of the Moodle backup target.

Two environments over templates/moodle_backup/, both autoescaping:
- `xml`: the backup's XML files. Every value is escaped, HTML fields
  included (Moodle stores them escaped: `&lt;p&gt;`); SQL NULL is written with
  the `n` filter (`{{ value|n }}` gives `$@NULL@$` for None); characters XML
  cannot hold are dropped; a None reaching the output without `|n` is a bug
  and raises.
- `html`: the HTML of pages, chapters and questions (templates under html/).
  Rich text arrives as Markup from resolution_pack.text (sanitised); every
  other value is escaped.
"""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..resources import templates_dir
from ..text import without_control_characters

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


def folder():
    return templates_dir() / "moodle_backup"


@lru_cache(maxsize=None)
def _environment(path: str) -> Environment:
    env = Environment(loader=FileSystemLoader(path), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=_finalize, auto_reload=False)
    env.filters["n"] = _null
    return env


def environment() -> Environment:
    return _environment(str(folder()))


@lru_cache(maxsize=None)
def _template(name: str):
    # looked up once per process: Jinja's own lookup checks the file's mtime
    # and the loader's path on every call, a third of the rendering time here
    return environment().get_template(name)


def render_xml(template: str, **context) -> str:
    return _template(f"{template}.xml.j2").render(**context)


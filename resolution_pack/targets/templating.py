"""The Jinja2 environment a target renders templates/<folder>/ with:
autoescaping, an undefined name an error, blocks trimmed, one environment per
process and folder (compiling the templates again cost a third of a target's
time). `finalize` sees every value before it is written: by default a None
is a bug and raises."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..resources import templates_dir


def refuse_none(value):
    if value is None:
        raise ValueError("None reached a template; give it a value")
    return value


@lru_cache(maxsize=None)
def environment(folder: str, finalize=refuse_none, **filters) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates_dir() / folder)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, finalize=finalize, auto_reload=False)
    env.filters.update(filters)
    return env

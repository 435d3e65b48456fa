"""The Jinja2 environment a target renders templates/<folder>/ with:
autoescaping, an undefined name an error, blocks trimmed, one environment per
process and folder (compiling the templates again cost a third of a target's
time). `finalize` sees every value before it is written: by default a None
is a bug and raises.

Compiled templates are kept between runs as Python keeps compiled modules
(`CompiledTemplates`): compiling the 66 templates takes about 0.4 s of every
build process, loading them 10 ms.
"""
from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined

from .. import atomic
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
    return compiled(env, folder)


def compiled(env: Environment, folder: str) -> Environment:
    """`env` (over templates/<folder>/) with its compiled templates kept."""
    env.bytecode_cache = CompiledTemplates(templates_dir() / folder, flavour(env))
    return env


def flavour(env: Environment) -> str:
    """What, besides a template's text, shapes its compiled code."""
    syntax = (env.block_start_string, env.block_end_string, env.variable_start_string,
              env.variable_end_string, env.comment_start_string, env.comment_end_string,
              env.line_statement_prefix, env.line_comment_prefix)
    return repr((jinja2.__version__, sys.version_info[:2], syntax, env.trim_blocks, env.lstrip_blocks,
                 env.keep_trailing_newline, env.newline_sequence, env.optimized, bool(env.is_async),
                 env.autoescape if isinstance(env.autoescape, bool) else env.autoescape.__qualname__,
                 getattr(env.finalize, "__qualname__", None), sorted(env.extensions)))


class CompiledTemplates(BytecodeCache):
    """Each template's compiled code, in a __pycache__ folder beside the
    templates, as Python keeps a module's (where that folder cannot be
    written, or Python is told not to write bytecode, under
    $XDG_CACHE_HOME/resolution-pack/templates). Jinja checks
    the template's text against the checksum stored with the code and
    compiles again when it differs; the key holds the folder, Jinja's and
    Python's versions and the environment's settings. What a template
    renders is the same either way: only the time to get there changes."""

    def __init__(self, folder: Path, flavour: str):
        self.folder = Path(folder)
        self.flavour = flavour
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        self.places = [self.folder / "__pycache__", Path(base) / "resolution-pack" / "templates"]
        self.beside = not sys.dont_write_bytecode      # PYTHONDONTWRITEBYTECODE: nothing written among the code

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256("\0".join((self.flavour, str(self.folder), name)).encode()).hexdigest()[:40]

    def load_bytecode(self, bucket) -> None:
        for place in self.places:
            try:
                with open(place / f"{bucket.key}.jinja", "rb") as f:
                    bucket.load_bytecode(f)
            except Exception:    # absent, unreadable or damaged: compiled again
                bucket.reset()
            if bucket.code is not None:
                return

    def dump_bytecode(self, bucket) -> None:
        data = bucket.bytecode_to_string()
        for place in self.places if self.beside else self.places[1:]:
            try:
                atomic.write_bytes(place / f"{bucket.key}.jinja", data)   # workers may race: same bytes
                return
            except OSError:
                continue

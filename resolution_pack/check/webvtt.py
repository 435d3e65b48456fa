"""WebVTT files read back: the header and every cue timing."""
from __future__ import annotations

import re

from ..text import file_lines

TIMING = re.compile(r"^(\d{2,}:)?\d{2}:\d{2}\.\d{3} --> (\d{2,}:)?\d{2}:\d{2}\.\d{3}( .*)?$")


def vtt_problems(data: bytes) -> list[str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return ["not UTF-8"]
    lines = file_lines(text.lstrip("\ufeff"))
    if not lines or not (lines[0] == "WEBVTT" or lines[0].startswith(("WEBVTT ", "WEBVTT\t"))):
        return ["does not start with WEBVTT"]
    cues = [line for line in lines if "-->" in line]
    found = [f"bad cue timing {line!r}" for line in cues if not TIMING.match(line.strip())]
    if not cues:
        found.append("has no cue")
    return found

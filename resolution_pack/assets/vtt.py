"""WebVTT subtitle tracks, one per video and edition."""
from __future__ import annotations

from .. import model as m


def _timestamp(code: str) -> str:
    parts = code.split(":")
    if len(parts) == 2:
        parts.insert(0, "00")
    return ":".join(parts)


def webvtt(video: m.Video, lang: str) -> str:
    lines = ["WEBVTT", "", f"NOTE {video.id} ({lang})", ""]
    for n, cue in enumerate(video.subtitles, 1):
        # a cue's text must not hold a blank line or "-->" (it would end the cue)
        text = "\n".join(line for line in cue.text.replace("-->", "→").splitlines() if line.strip())
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [str(n), f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}", text, ""]
    return "\n".join(lines)

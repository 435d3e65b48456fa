"""Placeholder videos as long as their subtitles.

The sources name one placeholder clip (course.yaml `placeholder_video`, a
WebM showing a still picture). A video that uses it gets, instead, a clip
of the same picture lasting as long as its subtitles (whole seconds, rounded
up): a learner's player then shows the cues over the full length of the
script, not over two seconds.

The clip is written here without an encoder: the placeholder's first video
keyframe and its most frequent following frame (for a still picture, a frame
that changes nothing) are repeated in a new WebM (Matroska) container, one
frame per second and one 40 ms before the end, a keyframe every CLUSTER
seconds, with cues for seeking.
No audio. The same picture and length give the same bytes, in every edition:
a 4-minute clip weighs about 9 KB.
"""
from __future__ import annotations

import math
import struct
from collections import Counter
from dataclasses import dataclass

CLUSTER = 30          # seconds per cluster; each starts with a keyframe (block timecodes are 16-bit)
LAST_FRAME_MS = 40    # the last frame, as a 25 fps clip's: a seek into the last second finds a frame

# Matroska element ids (as written, marker bits included)
EBML, DOCTYPE, DOCTYPE_VERSION, DOCTYPE_READ = 0x1A45DFA3, 0x4282, 0x4287, 0x4285
SEGMENT, INFO, TIMECODE_SCALE, DURATION, MUXING_APP, WRITING_APP = 0x18538067, 0x1549A966, 0x2AD7B1, 0x4489, 0x4D80, 0x5741
TRACKS, TRACK_ENTRY, TRACK_NUMBER, TRACK_UID, TRACK_TYPE, CODEC_ID, FLAG_LACING = \
    0x1654AE6B, 0xAE, 0xD7, 0x73C5, 0x83, 0x86, 0x9C
VIDEO, PIXEL_WIDTH, PIXEL_HEIGHT = 0xE0, 0xB0, 0xBA
CLUSTER_ID, TIMECODE, SIMPLE_BLOCK, BLOCK_GROUP, BLOCK = 0x1F43B675, 0xE7, 0xA3, 0xA0, 0xA1
CUES, CUE_POINT, CUE_TIME, CUE_TRACK_POSITIONS, CUE_TRACK, CUE_CLUSTER_POSITION = \
    0x1C53BB6B, 0xBB, 0xB3, 0xB7, 0xF7, 0xF1
_MASTERS = {EBML, SEGMENT, INFO, TRACKS, TRACK_ENTRY, VIDEO, CLUSTER_ID, BLOCK_GROUP, CUES, CUE_POINT,
            CUE_TRACK_POSITIONS}


class NotAStill(ValueError):
    """The placeholder is not a WebM with a video track this module can repeat."""


@dataclass(frozen=True)
class Still:
    codec: str            # V_VP8 or V_VP9
    width: int
    height: int
    keyframe: bytes
    repeat: bytes         # a frame that leaves the picture as it is


def seconds_for(cues_end: float) -> int:
    """The clip length for subtitles that end at `cues_end` seconds."""
    return max(1, math.ceil(cues_end - 1e-9))


# ---- reading the placeholder ---------------------------------------------------

def _vint(data: bytes, i: int, marker: bool = False) -> tuple[int, int]:
    first = data[i]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8:
        raise NotAStill("malformed EBML length")
    value = first if marker else first & (0xFF >> length)
    for k in range(1, length):
        value = (value << 8) | data[i + k]
    return value, length


def _elements(data: bytes, start: int, end: int):
    i = start
    while i < end:
        eid, n1 = _vint(data, i, marker=True)
        size, n2 = _vint(data, i + n1)
        body = i + n1 + n2
        if size == (1 << (7 * n2)) - 1:            # unknown size: to the end of the parent
            size = end - body
        yield eid, body, min(body + size, end)
        i = body + size


def _children(data: bytes, body: int, stop: int) -> dict:
    return {eid: (b, s) for eid, b, s in _elements(data, body, stop)}


def still_frames(data: bytes) -> Still:
    """The first video track of a WebM: its codec, size, first keyframe and
    the frame that follows it most often."""
    tracks, blocks = [], []

    def walk(start, end):
        for eid, body, stop in _elements(data, start, end):
            if eid == TRACK_ENTRY:
                tracks.append(_children(data, body, stop))
            elif eid in (SIMPLE_BLOCK, BLOCK):
                track, n = _vint(data, body)
                key = bool(data[body + n + 2] & 0x80) if eid == SIMPLE_BLOCK else False
                blocks.append((track, key, data[body + n + 3:stop]))
            elif eid in _MASTERS:
                walk(body, stop)

    def number(fields, eid, default=0):
        if eid not in fields:
            return default
        b, s = fields[eid]
        return int.from_bytes(data[b:s], "big")

    try:
        if data[:4] != EBML.to_bytes(4, "big"):
            raise NotAStill("not an EBML (WebM) file")
        walk(0, len(data))
        video = next((t for t in tracks if number(t, TRACK_TYPE) == 1), None)
        if video is None:
            raise NotAStill("no video track")
        codec = data[slice(*video[CODEC_ID])].decode("ascii", "replace") if CODEC_ID in video else ""
        dims = _children(data, *video[VIDEO]) if VIDEO in video else {}
    except IndexError as exc:
        raise NotAStill("truncated WebM") from exc
    if codec not in ("V_VP8", "V_VP9"):
        raise NotAStill(f"video codec {codec or 'none'}: the placeholder must be a VP8 or VP9 WebM")
    frames = [(key, frame) for track, key, frame in blocks if track == number(video, TRACK_NUMBER)]
    first = next((n for n, (key, _f) in enumerate(frames) if key), None)
    if first is None:
        raise NotAStill("no video keyframe")
    following = Counter(frame for key, frame in frames[first + 1:] if not key)
    repeat = following.most_common(1)[0][0] if following else frames[first][1]
    return Still(codec, number(dims, PIXEL_WIDTH), number(dims, PIXEL_HEIGHT), frames[first][1], repeat)


# ---- writing a clip ------------------------------------------------------------------

def _size(n: int) -> bytes:
    """An EBML data size in as few bytes as it needs (all ones is reserved)."""
    for length in range(1, 9):
        if n < (1 << (7 * length)) - 1:
            return ((1 << (7 * length)) | n).to_bytes(length, "big")
    raise ValueError("element too large")


def _el(eid: int, payload: bytes) -> bytes:
    return eid.to_bytes((eid.bit_length() + 7) // 8, "big") + _size(len(payload)) + payload


def _uint(eid: int, value: int, width: int = 0) -> bytes:
    width = width or max(1, (value.bit_length() + 7) // 8)
    return _el(eid, value.to_bytes(width, "big"))


def _block(timecode: int, key: bool, frame: bytes) -> bytes:
    return _el(SIMPLE_BLOCK, b"\x81" + struct.pack(">hB", timecode, 0x80 if key else 0) + frame)


def clip(still: Still, seconds: int) -> bytes:
    """A WebM of `seconds` seconds showing the still picture."""
    if seconds < 1:
        raise ValueError("a clip lasts at least one second")
    header = _el(EBML, _uint(0x4286, 1) + _uint(0x42F7, 1) + _uint(0x42F2, 4) + _uint(0x42F3, 8)
                 + _el(DOCTYPE, b"webm") + _uint(DOCTYPE_VERSION, 4) + _uint(DOCTYPE_READ, 2))
    info = _el(INFO, _uint(TIMECODE_SCALE, 1_000_000) + _el(DURATION, struct.pack(">d", seconds * 1000.0))
               + _el(MUXING_APP, b"resolution-pack") + _el(WRITING_APP, b"resolution-pack"))
    tracks = _el(TRACKS, _el(TRACK_ENTRY, _uint(TRACK_NUMBER, 1) + _uint(TRACK_UID, 1) + _uint(TRACK_TYPE, 1)
                                        + _uint(FLAG_LACING, 0) + _el(CODEC_ID, still.codec.encode("ascii"))
                                        + _el(VIDEO, _uint(PIXEL_WIDTH, still.width)
                                              + _uint(PIXEL_HEIGHT, still.height))))
    clusters = []
    for start in range(0, seconds, CLUSTER):
        span = min(CLUSTER, seconds - start)
        blocks = [_block(0, True, still.keyframe)]
        blocks += [_block(1000 * s, False, still.repeat) for s in range(1, span)]
        if start + span == seconds:      # a last frame 40 ms before the end: players seek up to it
            blocks.append(_block(1000 * span - LAST_FRAME_MS, False, still.repeat))
        clusters.append(_el(CLUSTER_ID, _uint(TIMECODE, 1000 * start, 4) + b"".join(blocks)))

    def cues(offset: int) -> bytes:          # positions as 8-byte integers: the size does not depend on them
        points, position = [], offset
        for n, cluster in enumerate(clusters):
            points.append(_el(CUE_POINT, _uint(CUE_TIME, 1000 * CLUSTER * n, 4) + _el(
                CUE_TRACK_POSITIONS, _uint(CUE_TRACK, 1) + _uint(CUE_CLUSTER_POSITION, position, 8))))
            position += len(cluster)
        return _el(CUES, b"".join(points))

    before = info + tracks
    first_cluster = len(before) + len(cues(0))
    body = before + cues(first_cluster) + b"".join(clusters)
    return header + _el(SEGMENT, body)

"""The WebVTT writer and check's WebVTT reader: exact text, table-driven."""
import pytest

from resolution_pack import model as m
from resolution_pack.assets.vtt import webvtt
from resolution_pack.check.webvtt import vtt_problems


def video(*cues):
    return m.Video("part-1.video-1", subtitles=[m.Cue(start, end, text=text) for start, end, text in cues])


@pytest.mark.parametrize("cues, expected", [
    ((), "WEBVTT\n\nNOTE part-1.video-1 (fr)\n"),
    ((("00:00.000", "00:01.500", "Bonjour."),),
     "WEBVTT\n\nNOTE part-1.video-1 (fr)\n\n1\n00:00:00.000 --> 00:00:01.500\nBonjour.\n"),
    ((("12:34.567", "59:00.000", "Minutes."),),
     "WEBVTT\n\nNOTE part-1.video-1 (fr)\n\n1\n00:12:34.567 --> 00:59:00.000\nMinutes.\n"),
    ((("01:02:03.004", "01:02:04.000", "Une heure."),),
     "WEBVTT\n\nNOTE part-1.video-1 (fr)\n\n1\n01:02:03.004 --> 01:02:04.000\nUne heure.\n"),
    ((("00:00.000", "00:01.000", "Un"), ("00:01.000", "00:02.000", "Deux")),
     "WEBVTT\n\nNOTE part-1.video-1 (fr)\n\n1\n00:00:00.000 --> 00:00:01.000\nUn\n\n"
     "2\n00:00:01.000 --> 00:00:02.000\nDeux\n"),
    # markup is text in a cue; a blank line or an arrow would end the cue
    ((("00:00.000", "00:01.000", "a < b & c > d"),),
     "WEBVTT\n\nNOTE part-1.video-1 (fr)\n\n1\n00:00:00.000 --> 00:00:01.000\na &lt; b &amp; c &gt; d\n"),
    ((("00:00.000", "00:01.000", "ligne un\n\n  \nligne deux"),),
     "WEBVTT\n\nNOTE part-1.video-1 (fr)\n\n1\n00:00:00.000 --> 00:00:01.000\nligne un\nligne deux\n"),
    ((("00:00.000", "00:01.000", "avant --> après"),),
     "WEBVTT\n\nNOTE part-1.video-1 (fr)\n\n1\n00:00:00.000 --> 00:00:01.000\navant → après\n"),
])
def test_webvtt_text(cues, expected):
    assert webvtt(video(*cues), "fr") == expected


def test_what_the_writer_writes_the_reader_accepts():
    text = webvtt(video(("00:00.000", "00:01.000", "a --> b <i>"), ("59:59.999", "01:00:00.000", "fin")), "hu")
    assert vtt_problems(text.encode()) == []


@pytest.mark.parametrize("data, problems", [
    (b"WEBVTT\n\n1\n00:00.000 --> 00:01.000\nHello\n", []),
    (b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello\n", []),
    (b"\xef\xbb\xbfWEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\nHi\r\n", []),
    (b"WEBVTT - a title\n\n00:00.000 --> 00:01.000 align:start\nHi\n", []),
    (b"WEBVTT\tx\n\n100:00:00.000 --> 100:00:01.000\nHi\n", []),
    (b"WEBVTTX\n\n00:00.000 --> 00:01.000\nHi\n", ["does not start with WEBVTT"]),
    (b"XWEBVTT\n\n00:00.000 --> 00:01.000\nHi\n", ["does not start with WEBVTT"]),
    (b"1\n00:00.000 --> 00:01.000\nHello\n", ["does not start with WEBVTT"]),
    (b"", ["does not start with WEBVTT"]),
    (b"WEBVTT\n", ["has no cue"]),
    (b"WEBVTT\n\nNOTE only a note\n", ["has no cue"]),
    (b"\xff\xfeW", ["not UTF-8"]),
    (b"WEBVTT\n\n00:00 --> 00:01\nHi\n", ["bad cue timing '00:00 --> 00:01'"]),
    (b"WEBVTT\n\n00:00.00 --> 00:01.000\nHi\n", ["bad cue timing '00:00.00 --> 00:01.000'"]),
    (b"WEBVTT\n\n00:00.000 -> 00:01.000\nHi\n", ["has no cue"]),
    (b"WEBVTT\n\n0:00:00.000 --> 00:01.000\nHi\n", ["bad cue timing '0:00:00.000 --> 00:01.000'"]),
    (b"WEBVTT\n\n00:00.000 --> 00:01.000\nok\n\n00:02.000-->00:03.000\nbad\n",
     ["bad cue timing '00:02.000-->00:03.000'"]),
    (b"WEBVTT\n\n00:00.000 --> 00:01.000x\nHi\n", ["bad cue timing '00:00.000 --> 00:01.000x'"]),
])
def test_vtt_problems(data, problems):
    assert vtt_problems(data) == problems

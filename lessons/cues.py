"""Inline robot cues in narration lines: `안녕하세요 [wave] 오늘은 [pause:1] 배워요 [point:screen]`.

A line is parsed into segments: words to speak, cues (a gesture or a point, placed at the
word where it should happen) and pauses. The kiosk speaks the words and turns pauses into
silence; the robot runner sends the cues at their place in the speech.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GESTURES = frozenset(
    {
        "wave",  # hello / goodbye
        "nod",  # yes, agreement
        "bow",  # polite greeting (인사)
        "clap",  # well done
        "cheer",  # arms up, celebration
        "think",  # hand to chin
        "shrug",  # "oh no" / uncertainty
        "thumbs-up",
        "open-arms",  # welcome, "let's begin"
        "listen",  # hand to ear
    }
)
POINT_TARGETS = frozenset({"screen", "learner", "kiosk", "left", "right", "up", "down", "self"})

DEFAULT_PAUSE_SECONDS = 0.7  # a short breath: long enough for a senior to notice the break
MAX_PAUSE_SECONDS = 5.0  # longer silences feel like the machine has stopped working

_CUE = re.compile(r"\[([^\[\]]*)\]")
_SPACES = re.compile(r"\s+")


class CueError(ValueError):
    """A cue in a narration line is not understood."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Words:
    text: str


@dataclass(frozen=True)
class Cue:
    """A gesture (`name`) or a point (`name == "point"`, `arg` is the target)."""

    name: str
    arg: str | None = None

    def __str__(self) -> str:
        return f"{self.name}:{self.arg}" if self.arg else self.name


@dataclass(frozen=True)
class Pause:
    seconds: float


Segment = Words | Cue | Pause


@dataclass(frozen=True)
class ParsedLine:
    segments: tuple[Segment, ...]

    @property
    def spoken_text(self) -> str:
        """The words alone, cues and pauses removed, spaces tidied."""
        return _tidy(" ".join(s.text for s in self.segments if isinstance(s, Words)))

    @property
    def cues(self) -> tuple[tuple[int, Cue], ...]:
        """Each cue with the character offset in `spoken_text` where it happens."""
        placed: list[tuple[int, Cue]] = []
        spoken = ""
        for segment in self.segments:
            if isinstance(segment, Words):
                spoken = _tidy(f"{spoken} {segment.text}")
            elif isinstance(segment, Cue):
                placed.append((len(spoken), segment))
        return tuple(placed)

    @property
    def pause_seconds(self) -> float:
        return sum(s.seconds for s in self.segments if isinstance(s, Pause))


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def parse_line(line: str) -> ParsedLine:
    """Split a narration line into words, cues and pauses; raise CueError on a bad cue."""
    segments: list[Segment] = []
    position = 0
    for match in _CUE.finditer(line):
        _add_words(segments, line[position : match.start()], position)
        segments.append(_parse_cue(match.group(1), match.start()))
        position = match.end()
    _add_words(segments, line[position:], position)
    return ParsedLine(tuple(segments))


def _add_words(segments: list[Segment], text: str, column: int) -> None:
    for bracket in "[]":
        if bracket in text:
            raise CueError(
                f"unmatched '{bracket}' (a cue looks like [wave])", column + text.index(bracket)
            )
    if text.strip():
        segments.append(Words(_tidy(text)))


def _parse_cue(body: str, column: int) -> Segment:
    name, _, arg = (part.strip() for part in body.partition(":"))
    if name == "pause":
        return Pause(_pause_seconds(arg, column))
    if name == "point":
        if arg not in POINT_TARGETS:
            raise CueError(
                f"unknown point target '{arg}' (known: {', '.join(sorted(POINT_TARGETS))})", column
            )
        return Cue("point", arg)
    if name in GESTURES:
        if arg:
            raise CueError(f"gesture '{name}' takes no argument", column)
        return Cue(name)
    raise CueError(
        f"unknown cue '[{body}]' "
        f"(known: {', '.join(sorted(GESTURES))}, point:TARGET, pause:SECONDS)",
        column,
    )


def _pause_seconds(arg: str, column: int) -> float:
    if not arg:
        return DEFAULT_PAUSE_SECONDS
    try:
        seconds = float(arg)
    except ValueError:
        raise CueError(f"pause length '{arg}' is not a number of seconds", column) from None
    if not 0 < seconds <= MAX_PAUSE_SECONDS:
        raise CueError(f"pause of {arg} s is outside 0–{MAX_PAUSE_SECONDS:g} s", column)
    return seconds

"""Inline robot cues in narration lines: `안녕하세요 [wave] 오늘은 [pause:1] 배워요 [point:screen]`.

A line is parsed into segments: words to speak, cues (a gesture or a point, placed at the
word where it should happen) and pauses. The kiosk speaks the words and turns pauses into
silence; the robot runner sends the cues at their place in the speech.

A bracket that is text, as Korean names a button (`[보내기]를 누르세요`), is written twice:
`[[보내기]]를 누르세요` is shown as `[보내기]를 누르세요` and said as `보내기를 누르세요`
(a speech engine or a robot never gets a bracket it could take for markup).
"""

from __future__ import annotations

import re
from collections.abc import Callable
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

_SPACES = re.compile(r"\s+")


class CueError(ValueError):
    """A cue in a narration line is not understood."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Words:
    """Words to say (`text`); `shown` is how they are written where they differ (with the
    brackets a writer doubled)."""

    text: str
    shown: str | None = None


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
    def shown_text(self) -> str:
        """The words as shown on the screen: cues and pauses removed, `[[x]]` as `[x]`."""
        words = (s.shown or s.text for s in self.segments if isinstance(s, Words))
        return _tidy(" ".join(words))

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

    def read_with(self, read: Callable[[str], str]) -> ParsedLine:
        """The same line with each run of words as `read` says it (cues stay where they
        are, so a robot's marks fall on the words as said)."""
        segments = tuple(
            Words(read(s.text), s.shown or s.text) if isinstance(s, Words) else s
            for s in self.segments
        )
        return ParsedLine(segments)

    @property
    def pause_seconds(self) -> float:
        return sum(s.seconds for s in self.segments if isinstance(s, Pause))


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def parse_line(line: str) -> ParsedLine:
    """Split a narration line into words, cues and pauses; raise CueError on a bad cue."""
    segments: list[Segment] = []
    shown = ""  # the text since the last cue, doubled brackets made single
    i = 0
    while i < len(line):
        pair = line[i : i + 2]
        if pair in ("[[", "]]"):
            shown += pair[0]
            i += 2
        elif line[i] == "]":
            raise CueError(_UNMATCHED.format(bracket="]"), i)
        elif line[i] == "[":
            end = line.find("]", i)
            if end < 0 or "[" in line[i + 1 : end]:
                raise CueError(_UNMATCHED.format(bracket="["), i)
            _add_words(segments, shown)
            shown = ""
            segments.append(_parse_cue(line[i + 1 : end], i))
            i = end + 1
        else:
            shown += line[i]
            i += 1
    _add_words(segments, shown)
    return ParsedLine(tuple(segments))


_UNMATCHED = (
    "unmatched '{bracket}' (a cue looks like [wave]; a bracket to show is written twice, "
    "as in [[보내기]])"
)


def _add_words(segments: list[Segment], shown: str) -> None:
    if not shown.strip():
        return
    said = _tidy(shown.replace("[", "").replace("]", ""))
    shown = _tidy(shown)
    segments.append(Words(said, shown if shown != said else None))


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
        f"(known: {', '.join(sorted(GESTURES))}, point:TARGET, pause:SECONDS; "
        f"a bracket to show is written twice: [[{body}]])",
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

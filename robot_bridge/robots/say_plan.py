"""A narration line as a robot `say`, and back: the runner turns a lesson line's cues and
pauses into marks at character offsets; the robot turns marks into the order of its acts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from lessons.cues import Cue, ParsedLine, Pause, Words
from robot_bridge.protocol.robot_messages import Mark, SayArgs


@dataclass(frozen=True)
class Act:
    """One thing a robot does while saying a line, in order."""

    kind: Literal["speak", "gesture", "point", "pause"]
    value: str = ""
    seconds: float = 0.0


def marks_of(line: ParsedLine, capabilities: Collection[str] | None = None) -> list[Mark]:
    """The line's cues and pauses as marks at their offsets in `line.spoken_text`.

    Cues the robot cannot do (not in `capabilities`, when given) are left out: it still
    speaks the whole line.
    """
    marks: list[Mark] = []
    words: list[str] = []
    for segment in line.segments:
        at = len(" ".join(words))
        if isinstance(segment, Words):
            words.append(segment.text)
        elif isinstance(segment, Pause):
            marks.append(Mark(at=at, pause=segment.seconds))
        elif isinstance(segment, Cue):
            mark = _cue_mark(segment, at)
            if capabilities is None or mark.capability in capabilities:
                marks.append(mark)
    return marks


def _cue_mark(cue: Cue, at: int) -> Mark:
    return Mark(at=at, point=cue.arg) if cue.name == "point" else Mark(at=at, gesture=cue.name)


def acts_of(args: SayArgs) -> list[Act]:
    """Speech cut at each mark, with the mark's act between the pieces."""
    acts: list[Act] = []
    spoken_to = 0
    for mark in args.marks:
        _speak(acts, args.text[spoken_to : mark.at])
        spoken_to = mark.at
        if mark.gesture:
            acts.append(Act("gesture", mark.gesture))
        elif mark.point:
            acts.append(Act("point", mark.point))
        elif mark.pause:
            acts.append(Act("pause", seconds=mark.pause))
    _speak(acts, args.text[spoken_to:])
    return acts


def _speak(acts: list[Act], text: str) -> None:
    if text.strip():
        acts.append(Act("speak", text.strip()))

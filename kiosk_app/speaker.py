"""Speech out, as the screens see it: say some lines, or stop.

Lines are handed over as the lesson wrote them, cues and pauses included, so that a speaker
that speaks can turn `[pause:1]` into a second of silence; what is shown or logged is the
line without cues (`plain`). `TextSpeaker` says nothing aloud: it is what the kiosk uses
when there is no voice (the `voice` extra missing) and it keeps a history tests read. The
speaker that speaks is `kiosk_app.voice.voice_speaker.VoiceSpeaker`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from lessons.cues import CueError, parse_line
from lessons.model import Lesson

log = logging.getLogger(__name__)


def plain(line: str) -> str:
    """`line` without robot cues and pauses (a line that is not a lesson line, as it is)."""
    try:
        return parse_line(line).spoken_text
    except CueError:
        return line


class Speaker(Protocol):
    def say(self, lines: Sequence[str], rate: float = 1.0) -> None:
        """Stop whatever is being said and say `lines`, at `rate` × a normal pace."""

    def stop(self) -> None:
        """Stop speaking now."""

    def busy(self) -> bool:
        """True while something is being said (or made ready to be said)."""
        ...

    def prefetch(self, lesson: Lesson, rate: float) -> object:
        """Get every line of `lesson` ready to say, in the background."""

    @property
    def status(self) -> str:
        """A message key for the instructor screen (words in `kiosk_app.voice.status`)."""
        ...

    volume: float  # 0 (silent) … 1, set in instructor mode

    def set_volume(self, volume: float) -> None:
        """Set the volume (clamped to 0 … 1); applies from the next line."""


class TextSpeaker:
    """Says nothing aloud: logs each line and remembers it."""

    def __init__(self, status: str = "voice.text_only") -> None:
        self.history: list[str] = []
        self._status = status
        self.volume = 1.0

    @property
    def status(self) -> str:
        return self._status

    def say(self, lines: Sequence[str], rate: float = 1.0) -> None:
        for line in map(plain, lines):
            log.info("say (rate %.2f): %s", rate, line)
            self.history.append(line)

    def stop(self) -> None:
        log.debug("stop speaking")

    def set_volume(self, volume: float) -> None:
        self.volume = max(0.0, min(1.0, volume))

    def busy(self) -> bool:
        return False

    def prefetch(self, lesson: Lesson, rate: float) -> object:
        return None

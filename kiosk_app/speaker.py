"""Speech out, as the screens see it: say some lines, or stop.

Only the text-only speaker exists so far: it logs what would be spoken and keeps a history
(tests read it). Issue 4 adds a pyttsx3/espeak-ng speaker behind this same interface, running
off the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

log = logging.getLogger(__name__)


class Speaker(Protocol):
    def say(self, lines: Sequence[str], rate: float = 1.0) -> None:
        """Stop whatever is being said and say `lines`, at `rate` × a normal pace."""

    def stop(self) -> None:
        """Stop speaking now."""


class TextSpeaker:
    """Says nothing aloud: logs each line and remembers it."""

    def __init__(self) -> None:
        self.history: list[str] = []

    def say(self, lines: Sequence[str], rate: float = 1.0) -> None:
        for line in lines:
            log.info("say (rate %.2f): %s", rate, line)
            self.history.append(line)

    def stop(self) -> None:
        log.debug("stop speaking")

"""A microphone that hears nothing at all: digital silence, or a level that never moves.

A real microphone in a quiet room still hisses (measured rooms sit 30+ dB above a
2-count wobble); a muted input, a switched-off USB microphone or a wrong device gives
zeros or a constant value. Pure: 16-bit mono PCM in, a verdict out.
"""

from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass

# Listening this long to nothing at all is enough to say so (and not to wait 6 s).
DEAD_INPUT_SECONDS = 1.0
# Samples that stay within this many counts of each other (about -78 dBFS) are no sound.
FLAT_COUNTS = 4


@dataclass
class DeadInputDetector:
    """`feed` chunks in order; `dead` once DEAD_INPUT_SECONDS were flat from the start,
    `heard_sound` once anything moved (after which it is never dead)."""

    sample_rate: int
    seconds: float = DEAD_INPUT_SECONDS
    low: int = 32767
    high: int = -32768
    samples: int = 0
    heard_sound: bool = False
    dead: bool = False

    def feed(self, pcm: bytes) -> bool:
        """Take 16-bit little-endian mono audio; True when the input is dead."""
        if self.heard_sound or self.dead:
            return self.dead
        samples = array("h", pcm[: len(pcm) - len(pcm) % 2])
        if sys.byteorder == "big":
            samples.byteswap()
        if not samples:
            return False
        self.low, self.high = min(self.low, min(samples)), max(self.high, max(samples))
        self.samples += len(samples)
        if self.high - self.low > FLAT_COUNTS:
            self.heard_sound = True
        else:
            self.dead = self.samples >= self.seconds * self.sample_rate
        return self.dead

"""Automatic gain: a quiet voice brought up to a level the recogniser hears, never past
full scale.

The gain is chosen once, from the first audio of the utterance (the moment before the
voice and its first syllables), and then held: measured on the bench, a gain that followed
the voice as it grew louder cost the recogniser a third of its right answers in a quiet
room (its feature normalisation adapts over the utterance; a moving level confuses it).
Only a voice whose first syllables are quieter than QUIET_DBFS is lifted, by up to 24 dB;
a chunk whose peak would pass full scale lowers the gain for the rest of the utterance,
so nothing clips. Pure: 16-bit mono PCM in, PCM out.
"""

from __future__ import annotations

import math
import sys
from array import array
from dataclasses import dataclass

from kiosk_app.voice.endpointer import rms

FRAME_SECONDS = 0.02
FULL_SCALE = 32768.0
# A voice whose loudest 20 ms frame at the start is below this is lifted (a normal voice
# into a kiosk microphone starts around -30 to -20 dBFS; a quiet one at -45 at -50..-40).
QUIET_DBFS = -35.0
# ... to about this level for that frame, where normal voices start.
TARGET_DBFS = -25.0
# At most +24 dB: lifts a voice at -45 dBFS to about -21; more would mostly lift the room.
MAX_GAIN = 10 ** (24 / 20)
CEILING = 32000  # the largest sample after gain: just under full scale, so no clipping


@dataclass
class AutoGain:
    """Bounded, non-clipping gain; `apply` each chunk in order, `gain` is the current one."""

    sample_rate: int
    max_gain: float = MAX_GAIN  # 1.0: no gain at all
    gain: float = 1.0
    _chosen: bool = False

    def apply(self, pcm: bytes) -> bytes:
        """The chunk at the utterance's gain (16-bit little-endian mono in and out)."""
        samples = array("h", pcm[: len(pcm) - len(pcm) % 2])
        if sys.byteorder == "big":
            samples.byteswap()
        if not samples:
            return pcm
        if not self._chosen:
            self.gain, self._chosen = self._choose(samples), True
        peak = max(max(samples), -min(samples), 1)
        if peak * self.gain > CEILING:  # lowered for good: the level stays steady
            self.gain = max(1.0, CEILING / peak)
        if self.gain == 1.0:
            return pcm
        out = array("h", (round(s * self.gain) for s in samples))
        if sys.byteorder == "big":
            out.byteswap()
        return out.tobytes()

    def _choose(self, samples: array[int]) -> float:
        frame = max(1, round(self.sample_rate * FRAME_SECONDS))
        loudest = max(rms(samples[i : i + frame]) for i in range(0, len(samples), frame))
        level = 20 * math.log10(loudest / FULL_SCALE) if loudest > 0 else -120.0
        if level >= QUIET_DBFS:
            return 1.0
        return min(self.max_gain, 10 ** ((TARGET_DBFS - level) / 20))

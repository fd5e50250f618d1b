"""Where an utterance ends, from the loudness of the audio: frames of RMS energy.

vosk's own end-of-utterance rule waits 0.5 s of trailing silence (the model's `model.conf`),
which alone breaks the 300 ms budget from end of speech to action. This end-pointer ends
the utterance after a short hangover of quiet once speech has been heard; the recogniser
then decodes what it has (`FinalResult`). Pure: 16-bit mono PCM in, decisions out.
"""

from __future__ import annotations

import math
import sys
from abc import ABC, abstractmethod
from array import array
from dataclasses import dataclass, field

FRAME_SECONDS = 0.02  # 20 ms frames: the usual unit of speech energy
# Quiet after speech before the utterance counts as ended. Long enough to bridge the gap
# between two words of a command ("첫 번째") and the closure of a stop consonant (~100 ms);
# short enough that end of speech → action stays under 300 ms (docs/voice.md).
HANGOVER_SECONDS = 0.18
# Loud frames in a row that make speech: a tap on the screen or a cough is shorter.
SPEECH_START_SECONDS = 0.06
# A frame is speech when it is this many times louder than the quietest frame so far
# (the room's noise floor) and above an absolute floor (a silent line-in is all zeros).
NOISE_RATIO = 3.0
MIN_SPEECH_RMS = 300.0  # of 32767: about -40 dBFS


def whole_frames(data: bytes, frame_bytes: int) -> tuple[list[bytes], bytes]:
    """`data` cut into whole frames, and what is left for the next chunk."""
    whole = len(data) - len(data) % frame_bytes
    return [data[i : i + frame_bytes] for i in range(0, whole, frame_bytes)], data[whole:]


class FrameByFrame(ABC):
    """`feed` for an end-pointer that decides frame by frame (`_frame`); the dataclass that
    inherits it has `ended`, `_pending` and `_frame_bytes`."""

    ended: bool
    _pending: bytes
    _frame_bytes: int

    def feed(self, pcm: bytes) -> bool:
        """Take 16-bit little-endian mono audio; True when the utterance has ended."""
        frames, self._pending = whole_frames(self._pending + pcm, self._frame_bytes)
        for frame in frames:
            if self.ended:
                break
            self._frame(frame)
        return self.ended

    @abstractmethod
    def _frame(self, raw: bytes) -> None:
        """Decide on one whole frame (sets `ended` when the utterance is over)."""


def rms(samples: array[int]) -> float:
    """Root mean square of 16-bit samples."""
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples))


@dataclass
class EnergyEndpointer(FrameByFrame):
    """Feed audio chunk by chunk; `feed` says True once speech has started and ended."""

    sample_rate: int
    hangover_seconds: float = HANGOVER_SECONDS
    noise_ratio: float = NOISE_RATIO
    min_speech_rms: float = MIN_SPEECH_RMS
    speech_started: bool = False
    ended: bool = False
    noise_floor: float = math.inf
    _pending: bytes = b""
    _loud_run: int = 0
    _quiet_run: int = 0
    _frame_bytes: int = field(init=False)
    _start_frames: int = field(init=False)
    _hangover_frames: int = field(init=False)

    def __post_init__(self) -> None:
        frame = max(1, round(self.sample_rate * FRAME_SECONDS))
        self._frame_bytes = 2 * frame
        self._start_frames = max(1, round(SPEECH_START_SECONDS / FRAME_SECONDS))
        self._hangover_frames = max(1, round(self.hangover_seconds / FRAME_SECONDS))

    @property
    def threshold(self) -> float:
        floor = 0.0 if math.isinf(self.noise_floor) else self.noise_floor
        return max(self.min_speech_rms, self.noise_ratio * floor)

    def _frame(self, raw: bytes) -> None:
        samples = array("h", raw)
        if sys.byteorder == "big":
            samples.byteswap()
        energy = rms(samples)
        loud = energy >= self.threshold
        # the floor follows the quietest frame, and is not raised by speech itself
        self.noise_floor = min(self.noise_floor, max(energy, 1.0))
        if not self.speech_started:
            self._loud_run = self._loud_run + 1 if loud else 0
            self.speech_started = self._loud_run >= self._start_frames
            return
        self._quiet_run = 0 if loud else self._quiet_run + 1
        self.ended = self._quiet_run >= self._hangover_frames

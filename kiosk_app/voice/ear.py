"""One utterance's audio on its way from the microphone to the recogniser.

Each chunk goes to the dead-input detector and the end-pointer as it is; the recogniser
gets it only once a voice has started (with the moment before it, so that the first
consonant is not lost), brought to level by the automatic gain. Pure: PCM in, PCM and
decisions out; `listener.listen` feeds it from a source and hands its audio to vosk.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Protocol

from kiosk_app.voice.dead_input import DeadInputDetector
from kiosk_app.voice.denoise import Denoiser
from kiosk_app.voice.endpointer import EnergyEndpointer
from kiosk_app.voice.gain import AutoGain
from kiosk_app.voice.vad_endpointer import VadEndpointer

if TYPE_CHECKING:
    from kiosk_app.voice.listener import Listening

# Audio kept from before the voice started: the start is found 80 ms into the voice, a
# soft first consonant (ㅎ of 홈, ㄷ of 다음) sits below the level rule before that, and the
# recogniser does better with some room before the voice (bench, clean room: 0.6 s gave
# 39 right and 1 wrong of 102, 0.3 s 38 and 5).
PREROLL_SECONDS = 0.6


class Endpointer(Protocol):
    speech_started: bool

    def feed(self, pcm: bytes) -> bool: ...


class Ear:
    """`hear` each chunk in order; `take` the audio the recogniser should decode now."""

    def __init__(self, sample_rate: int, listening: Listening) -> None:
        self.listening = listening
        self.endpointer: Endpointer = (
            VadEndpointer(sample_rate)
            if listening.endpointer == "vad"
            else EnergyEndpointer(sample_rate)
        )
        self.gain = AutoGain(sample_rate) if listening.gain else AutoGain(sample_rate, 1.0)
        self.dead_input = DeadInputDetector(sample_rate)
        self.denoiser = Denoiser(sample_rate) if listening.denoise else None
        self._held: deque[bytes] = deque()
        self._held_bytes = 0
        self._preroll_bytes = 2 * round(PREROLL_SECONDS * sample_rate)
        self._out: list[bytes] = []

    @property
    def dead(self) -> bool:
        return self.dead_input.dead

    @property
    def ready(self) -> bool:
        """Whether there is audio for the recogniser."""
        return bool(self._out)

    def hear(self, pcm: bytes) -> bool:
        """Take the next chunk; True when the utterance has ended."""
        self.dead_input.feed(pcm)
        ended = self.endpointer.feed(pcm)
        if self.denoiser is not None:  # the end-pointer hears the room as it is
            pcm = self.denoiser.apply(pcm)
        if self.listening.gate and not self.endpointer.speech_started:
            self._hold(pcm)
        else:
            self._out += [*self._held, pcm]
            self._held.clear()
        return ended

    def take(self) -> bytes:
        """The audio heard since the last take, at the current gain."""
        audio = self.gain.apply(b"".join(self._out))
        self._out.clear()
        return audio

    def _hold(self, pcm: bytes) -> None:
        self._held.append(pcm)
        self._held_bytes += len(pcm)
        while self._held_bytes - len(self._held[0]) >= self._preroll_bytes:
            self._held_bytes -= len(self._held.popleft())

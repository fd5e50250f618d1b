"""Where an utterance starts and ends in a real room: WebRTC's voice activity detector and
the loudness of the audio, frame by frame.

The energy end-pointer (`endpointer.py`) took any sound three times louder than the
quietest frame for speech. With a TV on, its pauses set that floor near zero, the TV's
next word "started" the utterance and its next pause ended it: measured, the microphone
closed before the learner spoke in 29 of 51 tries. Here a frame is speech only when the
VAD says it is a voice *and* it is clearly louder than the room has been while we waited
(a TV's talk is a voice, but the learner at the kiosk is much nearer). Pure: 16-bit mono
PCM in, decisions out; tests drive it with WAV files.
"""

from __future__ import annotations

import logging
import math
import sys
from array import array
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from kiosk_app.voice.endpointer import FrameByFrame, rms

log = logging.getLogger(__name__)

FRAME_SECONDS = 0.02  # WebRTC's VAD takes 10, 20 or 30 ms frames
VAD_RATES = (8000, 16000, 32000, 48000)  # the rates WebRTC's VAD takes
# 0..3, how readily the VAD calls a frame "not speech". 3 rejects the most noise; the
# level rule below keeps what it lets through from a TV or a neighbour.
VAD_MODE = 3
# Voiced frames in a row that start an utterance: a tap, a cough, a cup set down is shorter.
SPEECH_START_SECONDS = 0.08
# Quiet after speech before the utterance counts as ended. Bridges the gap of a stop
# consonant and between the two words of "첫 번째" (measured on the bench: shorter cut them);
# short enough for end of speech → action ≤ 200 ms median with one 32 ms chunk and the
# final decode (docs/voice.md).
HANGOVER_SECONDS = 0.15
# The room's level: this percentile of the frames heard while waiting, over this long.
# A TV's louder syllables set it, not its pauses (the quietest frame, as before, did).
ROOM_PERCENTILE = 0.9
ROOM_SECONDS = 1.5
# Listened to before a voice may start: the room's level needs a few frames, and WebRTC's
# VAD calls its first frames speech while it learns the noise. A learner answers a spoken
# prompt later than this (the microphone opens when the prompt has been said).
ROOM_WARMUP_SECONDS = 0.2
# How much louder than the room a voice must be to start an utterance, and to go on
# being the learner's. A TV across the room is ~20 dB below a learner at the kiosk.
START_MARGIN_DB = 6.0
KEEP_MARGIN_DB = 0.0
# Nor does a frame this far below the utterance's loudest go on being the learner's: a TV
# 20 dB below the learner's average is ~26 dB below her loudest syllable. Measured on the
# bench's TV room: 25 dB, p95 598 ms from end of speech to the endpoint; 22 dB, 394 ms.
BELOW_LOUDEST_DB = 22.0
# A frame this much louder than the room holds the utterance open whatever the VAD says.
ENERGY_MARGIN_DB = 10.0
# Whatever the room: quieter than this is never speech (a microphone's own hiss). Low
# enough for a quiet voice at -45 dBFS, whose louder syllables reach about -40.
MIN_SPEECH_DBFS = -58.0
# WebRTC's VAD misses a voice at -45 dBFS (measured: most frames "not speech"), so it hears
# the audio lifted until the room sits at this level, by at most MAX_VAD_GAIN_DB.
VAD_ROOM_DBFS = -55.0
MAX_VAD_GAIN_DB = 24.0
FULL_SCALE = 32768.0


def dbfs(energy: float) -> float:
    """An RMS level of 16-bit samples in dB below full scale (-120 for silence)."""
    return 20 * math.log10(energy / FULL_SCALE) if energy > 0 else -120.0


def voice_detector(sample_rate: int, mode: int | None = None) -> Any | None:
    """WebRTC's VAD (PyPI `webrtcvad-wheels`), or None where it is missing or cannot take
    this rate: then the level rule decides alone."""
    if sample_rate not in VAD_RATES:
        return None
    try:
        import webrtcvad  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        log.warning("webrtcvad is not installed: end of speech by loudness only")
        return None
    return webrtcvad.Vad(VAD_MODE if mode is None else mode)


@dataclass
class VadEndpointer(FrameByFrame):
    """Feed audio chunk by chunk; `feed` says True once speech has started and ended.

    `speech_started` turns True at the first frame of a voice clearly above the room;
    `started_at` says how many seconds into the audio that voice began."""

    sample_rate: int
    hangover_seconds: float = HANGOVER_SECONDS
    start_margin_db: float = START_MARGIN_DB
    keep_margin_db: float = KEEP_MARGIN_DB
    below_loudest_db: float = BELOW_LOUDEST_DB
    speech_started: bool = False
    ended: bool = False
    started_at: float = 0.0
    _vad: Any = None
    _pending: bytes = b""
    _frames: int = 0
    _run: int = 0
    _quiet_run: int = 0
    _room: deque[float] = field(init=False)
    _room_level: float = -120.0
    _loudest: float = -120.0
    _frame_bytes: int = field(init=False)
    _start_frames: int = field(init=False)
    _hangover_frames: int = field(init=False)

    def __post_init__(self) -> None:
        self._frame_bytes = 2 * max(1, round(self.sample_rate * FRAME_SECONDS))
        self._start_frames = max(1, round(SPEECH_START_SECONDS / FRAME_SECONDS))
        self._hangover_frames = max(1, round(self.hangover_seconds / FRAME_SECONDS))
        self._room = deque(maxlen=round(ROOM_SECONDS / FRAME_SECONDS))
        if self._vad is None:
            self._vad = voice_detector(self.sample_rate)

    @property
    def room_level(self) -> float:
        """The room's level while waiting (dBFS): what a voice must rise above."""
        return self._room_level

    def _frame(self, raw: bytes) -> None:
        self._frames += 1
        level = dbfs(rms(_samples(raw)))
        voiced = self._voiced(raw)
        if not self.speech_started:
            self._wait(level, voiced)
            return
        self._loudest = max(self._loudest, level)
        keep = max(
            MIN_SPEECH_DBFS,
            self._room_level + self.keep_margin_db,
            self._loudest - self.below_loudest_db,
        )
        # a soft consonant or a slow speaker's gap between words that the VAD calls "not
        # speech" still holds the utterance open while it is clearly above the room (the
        # energy rule): measured, without it slow speech (110 words a minute) was cut
        # after its first word ("네 번째" heard as 네)
        loud = level >= max(keep, MIN_SPEECH_DBFS, self._room_level) + ENERGY_MARGIN_DB
        speech = (voiced and level >= keep) or loud
        self._quiet_run = 0 if speech else self._quiet_run + 1
        self.ended = self._quiet_run >= self._hangover_frames

    def _voiced(self, raw: bytes) -> bool:
        if self._vad is None:
            return True
        lift = min(MAX_VAD_GAIN_DB, VAD_ROOM_DBFS - self._room_level)
        if lift >= 1.0:
            gain = 10 ** (lift / 20)
            lifted = array("h", (max(-32767, min(32767, round(s * gain))) for s in _samples(raw)))
            if sys.byteorder == "big":
                lifted.byteswap()
            raw = lifted.tobytes()
        return bool(self._vad.is_speech(raw, self.sample_rate))

    def _wait(self, level: float, voiced: bool) -> None:
        start = max(MIN_SPEECH_DBFS, self._room_level + self.start_margin_db)
        warm = self._frames * FRAME_SECONDS > ROOM_WARMUP_SECONDS
        if warm and voiced and level >= start:
            self._run += 1
        else:
            self._run = 0
            self._room.append(level)
            self._room_level = _percentile(self._room, ROOM_PERCENTILE)
        if self._run >= self._start_frames:
            self.speech_started = True
            self.started_at = (self._frames - self._run) * FRAME_SECONDS


def _samples(raw: bytes) -> array[int]:
    samples = array("h", raw)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def _percentile(levels: deque[float], fraction: float) -> float:
    ordered = sorted(levels)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

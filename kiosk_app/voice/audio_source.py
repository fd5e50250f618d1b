"""Where command audio comes from: the microphone, or a WAV file, through one interface.

Both give the same `capture()`: 16-bit mono chunks of CHUNK_FRAMES at 16 kHz, read by the
same listener; only the hardware differs, so tests that feed files exercise what the kiosk
does with its microphone. The microphone is read through PortAudio (`sounddevice`), which
has wheels and tells input devices from output ones; files through SpeechRecognition.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from kiosk_app.voice.errors import MicrophoneUnavailable

SAMPLE_RATE = 16000  # what the Korean model was trained on; vosk resamples anything else
# 32 ms at 16 kHz: a stop tap is acted on at once, and the end-pointer's decision waits
# at most one chunk (measured: 1024 frames added ~10 ms to the median end of speech).
CHUNK_FRAMES = 512


def speech_recognition() -> ModuleType:
    """Import SpeechRecognition, which imports `aifc` and `audioop` (deprecated in 3.11)."""
    with warnings.catch_warnings():
        # Its own imports; nothing we call uses those modules' deprecated parts.
        warnings.filterwarnings("ignore", "'(aifc|audioop)' is deprecated", DeprecationWarning)
        import speech_recognition as sr
    module: ModuleType = sr
    return module


@dataclass(frozen=True)
class Capture:
    """An open audio stream: 16-bit mono chunks at `sample_rate`, b"" when it ends."""

    sample_rate: int
    read: Callable[[], bytes]


class AudioSource(Protocol):
    def capture(self) -> Any:  # a context manager giving a Capture
        """Open the source for one utterance."""
        ...


@contextmanager
def _capture(source: Any, pace: bool) -> Iterator[Capture]:
    """Read a SpeechRecognition source chunk by chunk (optionally at real-time pace)."""
    with source as opened:
        if opened.SAMPLE_WIDTH != 2:
            raise ValueError(f"expected 16-bit audio, got {8 * opened.SAMPLE_WIDTH}-bit")
        chunk_seconds = CHUNK_FRAMES / opened.SAMPLE_RATE

        def read() -> bytes:
            data: bytes = opened.stream.read(CHUNK_FRAMES)
            if pace and data:
                time.sleep(chunk_seconds)
            return data

        yield Capture(opened.SAMPLE_RATE, read)


class MicrophoneSource:
    """The kiosk's microphone, read through PortAudio (`sounddevice`, Debian's libportaudio2:
    both installed by `make setup`). `device`: the config's `voice.microphone`, an input
    device's number or part of its name; None: the system's default input."""

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device

    def check(self) -> None:
        """Raise MicrophoneUnavailable, saying which, when there is no audio library, no
        input device (output-only devices do not count), no input named `device`, or one
        that cannot record mono 16-bit sound."""
        self._input()

    def _input(self) -> tuple[int | None, int]:
        """The input device's number (None: the default input) and the rate it records
        at: 16 kHz where it can (what the model was trained on), else its own (a USB
        microphone's 48 kHz; vosk resamples)."""
        sd = portaudio()
        devices = list(sd.query_devices())
        inputs = [(n, d) for n, d in enumerate(devices) if d["max_input_channels"] > 0]
        if not inputs:
            outputs = ", ".join(d["name"] for d in devices) or "none"
            raise MicrophoneUnavailable(f"no input device (sound devices here: {outputs})")
        chosen = self._chosen(sd, inputs)
        info = dict(inputs)[chosen] if chosen is not None else inputs[0][1]
        for rate in (SAMPLE_RATE, int(info.get("default_samplerate") or 0)):
            try:
                sd.check_input_settings(chosen, channels=1, dtype="int16", samplerate=rate)
                return chosen, rate
            except Exception:  # PortAudio's own error, or a rate of 0
                continue
        raise MicrophoneUnavailable(f"{info['name']} cannot record mono 16-bit sound")

    def _chosen(self, sd: Any, inputs: list[tuple[int, Any]]) -> int | None:
        if self.device is None:
            default = sd.default.device[0]
            if default is None or default < 0 or default not in dict(inputs):
                return inputs[0][0]
            return None
        wanted = str(self.device).lower()
        for number, device in inputs:
            if self.device == number or (
                isinstance(self.device, str) and wanted in device["name"].lower()
            ):
                return number
        names = ", ".join(f"{n}: {d['name']}" for n, d in inputs)
        raise MicrophoneUnavailable(f"no input device {self.device!r} (inputs: {names})")

    @contextmanager
    def capture(self) -> Iterator[Capture]:
        sd = portaudio()
        device, rate = self._input()
        try:
            stream = sd.RawInputStream(
                samplerate=rate, blocksize=CHUNK_FRAMES, device=device, channels=1, dtype="int16"
            )
        except Exception as exc:  # PortAudio's error: the device went away, or is busy
            raise MicrophoneUnavailable(f"the microphone cannot be opened: {exc}") from None

        def read() -> bytes:  # the hardware sets the pace
            data, _overflowed = stream.read(CHUNK_FRAMES)
            return bytes(data)

        with stream:
            yield Capture(rate, read)


def portaudio() -> ModuleType:
    """Import sounddevice; MicrophoneUnavailable (kind "library") where it or PortAudio is
    missing."""
    try:
        import sounddevice  # type: ignore[import-untyped]
    except ImportError:
        raise MicrophoneUnavailable(
            "the 'voice' extra is not installed (no sounddevice)", "library"
        ) from None
    except OSError:  # the module is there, the C library is not
        raise MicrophoneUnavailable(
            "PortAudio is not installed (Debian: libportaudio2)", "library"
        ) from None
    except Exception as exc:  # PortAudio is there and would not start (its own error)
        raise MicrophoneUnavailable(f"PortAudio did not start: {exc}", "library") from None
    module: ModuleType = sounddevice
    return module


class WavFileSource:
    """A WAV file played in as if spoken into the microphone (tests and benchmarks)."""

    def __init__(self, path: Path, realtime: bool = False) -> None:
        self.path = path
        self.realtime = realtime

    def capture(self) -> Any:
        return _capture(speech_recognition().AudioFile(str(self.path)), pace=self.realtime)

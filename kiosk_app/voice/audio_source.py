"""Where command audio comes from: the microphone, or a WAV file, through one code path.

Both are SpeechRecognition audio sources (`Microphone`, `AudioFile`) read chunk by chunk by
the same `capture()`; only the hardware differs, so tests that feed files exercise exactly
what the kiosk does with its microphone.
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
    """The kiosk's microphone (needs PyAudio, see docs/voice.md)."""

    def __init__(self, device_index: int | None = None) -> None:
        self.device_index = device_index

    def check(self) -> None:
        """Raise MicrophoneUnavailable when there is no microphone to listen with."""
        try:
            sr = speech_recognition()
            names = sr.Microphone.list_microphone_names()
        except (ImportError, AttributeError, OSError) as exc:  # AttributeError: no PyAudio
            raise MicrophoneUnavailable(str(exc)) from None
        if not names:
            raise MicrophoneUnavailable("no input device")

    def capture(self) -> Any:
        sr = speech_recognition()
        try:
            mic = sr.Microphone(self.device_index, SAMPLE_RATE, CHUNK_FRAMES)
        except (AttributeError, OSError) as exc:
            raise MicrophoneUnavailable(str(exc)) from None
        return _capture(mic, pace=False)  # the hardware sets the pace


class WavFileSource:
    """A WAV file played in as if spoken into the microphone (tests and benchmarks)."""

    def __init__(self, path: Path, realtime: bool = False) -> None:
        self.path = path
        self.realtime = realtime

    def capture(self) -> Any:
        return _capture(speech_recognition().AudioFile(str(self.path)), pace=self.realtime)

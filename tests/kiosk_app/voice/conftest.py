"""Voice tests: real espeak-ng through pyttsx3, real Kivy audio on SDL's `disk` driver.

SDL reads its audio driver when Kivy first opens audio, so it is chosen here, at collection
time: `disk` writes what would be played to a file, which the playback tests read.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk_app.voice.narration import Narrator
from kiosk_app.voice.recognizer import BACKEND_ENV
from kiosk_app.voice.speech_cache import SpeechCache
from kiosk_app.voice.synth import Pyttsx3Synth

AUDIO_SCRATCH = Path(tempfile.mkdtemp(prefix="sarangbang-voice-"))
DISK_AUDIO_FILE = AUDIO_SCRATCH / "sdl-disk-audio.raw"
os.environ["SDL_AUDIODRIVER"] = "disk"
os.environ["SDL_DISKAUDIOFILE"] = str(DISK_AUDIO_FILE)
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_HOME", str(AUDIO_SCRATCH / "kivy-home"))


@pytest.fixture(scope="session", autouse=True)
def _remove_audio_scratch() -> Iterator[None]:
    yield
    shutil.rmtree(AUDIO_SCRATCH, ignore_errors=True)


@pytest.fixture(autouse=True)
def _the_default_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests hear with the kiosk's default backend, whatever the shell exported (a
    test that wants another sets it itself)."""
    monkeypatch.delenv(BACKEND_ENV, raising=False)


@pytest.fixture(scope="session")
def synth() -> Iterator[Pyttsx3Synth]:
    """One engine for the whole run, as in the kiosk (espeak-ng starts in ~0.1 s anyway)."""
    engine = Pyttsx3Synth()
    yield engine
    engine.close()


@pytest.fixture
def cache(tmp_path: Path, synth: Pyttsx3Synth) -> SpeechCache:
    return SpeechCache(tmp_path / "speech", synth)


@pytest.fixture
def narrator(cache: SpeechCache) -> Narrator:
    return Narrator(cache)

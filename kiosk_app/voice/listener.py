"""One push of the speak button: capture an utterance, recognise it, say what it was.

`listen` is the whole path from audio source to command and is what tests and benchmarks
drive with WAV files. `VoiceCommands` is the kiosk's service around it: model loading in
the background, a status for the instructor screen, listening off the UI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk_app.voice.audio_source import AudioSource, MicrophoneSource
from kiosk_app.voice.commands import HeardWord, Interpretation, interpret
from kiosk_app.voice.endpointer import EnergyEndpointer
from kiosk_app.voice.errors import MicrophoneUnavailable
from kiosk_app.voice.recognizer import CommandRecognizer, ModelLoader, default_model_path

log = logging.getLogger(__name__)

# A command is a word or two; after this long the learner is not giving one, so stop and
# decide on what was heard (and ask again if it was nothing).
MAX_LISTEN_SECONDS = 6.0


@dataclass
class Heard:
    """What one listen produced, with timings for the latency benchmark."""

    interpretation: Interpretation
    words: list[HeardWord] = field(default_factory=list)
    started_at: float = 0.0  # monotonic, when the first chunk arrived
    ended_at: float = 0.0  # monotonic, when listening stopped (endpoint, tap, end of file)
    decided_at: float = 0.0  # monotonic, when the command was known


def listen(
    recognizer: CommandRecognizer,
    source: AudioSource,
    stop: threading.Event | None = None,
    max_seconds: float = MAX_LISTEN_SECONDS,
) -> Heard:
    """Capture one utterance from `source` and interpret it."""
    stop = stop or threading.Event()
    heard = Heard(Interpretation(None, "nothing"))
    with source.capture() as capture:
        session = recognizer.session(capture.sample_rate)
        endpointer = EnergyEndpointer(capture.sample_rate)
        heard.started_at = time.monotonic()
        while not stop.is_set() and time.monotonic() - heard.started_at < max_seconds:
            frames = capture.read()
            # vosk's own endpoint (0.5 s of silence) stays as a backstop to ours (~0.18 s)
            if not frames or session.feed(frames) or endpointer.feed(frames):
                break
    heard.ended_at = time.monotonic()
    heard.words = session.finish()
    heard.interpretation = interpret(heard.words)
    heard.decided_at = time.monotonic()
    return heard


OnHeard = Callable[[Heard], None]


class VoiceCommands:
    """The speak button's service: ready only with a model and a microphone."""

    def __init__(
        self,
        source: AudioSource | None = None,
        loader: ModelLoader | None = None,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.source = source or MicrophoneSource()
        self._on_change = on_change
        self.microphone_kind = "device"
        self.microphone_error = self._check_microphone()
        self.loader = loader or ModelLoader(default_model_path())
        self.loader.on_change = on_change
        self._stop = threading.Event()
        self.listening = False

    def start(self) -> VoiceCommands:
        """Start loading the model (unless there is no microphone to use it with)."""
        if self.microphone_error is None:
            self.loader.start()
        return self

    def _check_microphone(self) -> str | None:
        check = getattr(self.source, "check", None)
        if check is None:
            return None
        try:
            check()
        except MicrophoneUnavailable as exc:
            log.warning("voice commands are off: %s", exc)
            self.microphone_kind = exc.kind
            return str(exc)
        return None

    @property
    def ready(self) -> bool:
        return self.microphone_error is None and self.loader.state == "ready"

    @property
    def status(self) -> str:
        """A message key for the instructor screen (see `kiosk_app.voice.status`)."""
        if self.microphone_error is not None:
            return (
                "voice.no_audio_library"
                if self.microphone_kind == "library"
                else "voice.no_microphone"
            )
        if self.loader.state == "loading":
            return "voice.commands_loading"
        if self.loader.state == "failed":
            return "voice.no_model" if self.loader.model_path is None else "voice.model_failed"
        return "voice.commands_ready"

    def listen(self, on_heard: OnHeard) -> None:
        """Listen for one command on a worker thread; `on_heard` gets the result there."""
        recognizer = self.loader.recognizer
        if not self.ready or recognizer is None or self.listening:
            return
        self._stop.clear()
        self.listening = True
        threading.Thread(
            target=self._listen, args=(recognizer, on_heard), name="voice-listen", daemon=True
        ).start()

    def stop(self) -> None:
        """Stop listening now (the second tap on the speak button) and decide."""
        self._stop.set()

    def _listen(self, recognizer: CommandRecognizer, on_heard: OnHeard) -> None:
        try:
            heard = listen(recognizer, self.source, self._stop)
        except Exception as exc:  # a microphone hiccup: log, ask again, carry on
            log.warning("listening failed: %s", exc)
            heard = Heard(Interpretation(None, "nothing"))
        finally:
            self.listening = False
        try:
            on_heard(heard)
        except Exception:
            log.exception("handling a voice command failed")

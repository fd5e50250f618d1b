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
from kiosk_app.voice.ear import Ear
from kiosk_app.voice.errors import MicrophoneUnavailable
from kiosk_app.voice.recognizer import ModelLoader, Recognizer, StepPhrases, default_model_path

log = logging.getLogger(__name__)

# A command is a word or two; after this long the learner is not giving one, so stop and
# decide on what was heard (and ask again if it was nothing).
MAX_LISTEN_SECONDS = 6.0


@dataclass(frozen=True)
class Listening:
    """How one listen hears: which end-pointer, and what the recogniser is given.

    The default is the kiosk's. `before()` is how it listened until the VAD came, kept so
    that `bench/voice.py` measures both on the same audio."""

    endpointer: str = "vad"  # "vad": voice activity + level; "energy": loudness alone
    gain: bool = True  # bring a quiet voice up (bounded, never clipping)
    # the recogniser hears from PREROLL_SECONDS before the voice starts, not the room
    # (a TV) before it: what it decodes is the learner's
    gate: bool = True
    denoise: bool = False  # noise suppression: measured, it did not help (docs/voice.md)

    @classmethod
    def before(cls) -> Listening:
        return cls(endpointer="energy", gain=False, gate=False)


@dataclass
class Heard:
    """What one listen produced, with timings for the latency benchmark."""

    interpretation: Interpretation
    words: list[HeardWord] = field(default_factory=list)
    started_at: float = 0.0  # monotonic, when the first chunk arrived
    ended_at: float = 0.0  # monotonic, when listening stopped (endpoint, tap, end of file)
    decided_at: float = 0.0  # monotonic, when the command was known
    dead_input: bool = False  # the microphone gave only digital silence or a flat level
    gain: float = 1.0  # the gain the voice was heard at


def listen(
    recognizer: Recognizer,
    source: AudioSource,
    stop: threading.Event | None = None,
    max_seconds: float = MAX_LISTEN_SECONDS,
    listening: Listening | None = None,
    phrases: StepPhrases | None = None,
) -> Heard:
    """Capture one utterance from `source` and interpret it (`phrases`: the step's own, as
    `Recognizer.session` takes them)."""
    stop = stop or threading.Event()
    heard = Heard(Interpretation(None, "nothing"))
    with source.capture() as capture:
        session = recognizer.session(capture.sample_rate, phrases)
        ear = Ear(capture.sample_rate, listening or Listening())
        heard.started_at = time.monotonic()
        while not stop.is_set() and time.monotonic() - heard.started_at < max_seconds:
            frames = capture.read()
            if not frames:
                break
            ended = ear.hear(frames)
            # vosk's own endpoint (0.5 s of silence) stays as a backstop to ours
            if (ear.ready and session.feed(ear.take())) or ended or ear.dead:
                break
    heard.ended_at = time.monotonic()
    heard.dead_input, heard.gain = ear.dead, ear.gain.gain
    heard.words = session.finish()
    heard.interpretation = interpret(heard.words)
    if heard.dead_input:
        heard.interpretation = Interpretation(None, "silent_input")
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
        # the last listen heard only digital silence or a flat level: the instructor is
        # told (`voice.silent_microphone`) until a listen hears sound again
        self.silent_input = False

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
        if self.silent_input:
            return "voice.silent_microphone"
        return "voice.commands_ready"

    def listen(
        self,
        on_heard: OnHeard,
        max_seconds: float = MAX_LISTEN_SECONDS,
        phrases: StepPhrases | None = None,
    ) -> None:
        """Listen for one command (at most `max_seconds`; besides the commands, the step's
        own `phrases`) on a worker thread; `on_heard` gets the result there."""
        recognizer = self.loader.recognizer
        if not self.ready or recognizer is None or self.listening:
            return
        self._stop.clear()
        self.listening = True
        threading.Thread(
            target=self._listen,
            args=(recognizer, on_heard, max_seconds, phrases),
            name="voice-listen",
            daemon=True,
        ).start()

    def stop(self) -> None:
        """Stop listening now (the second tap on the speak button) and decide."""
        self._stop.set()

    def _listen(
        self,
        recognizer: Recognizer,
        on_heard: OnHeard,
        seconds: float,
        phrases: StepPhrases | None,
    ) -> None:
        try:
            heard = listen(recognizer, self.source, self._stop, seconds, phrases=phrases)
            self._heard_input(heard.dead_input)
        except Exception as exc:  # a microphone hiccup: log, ask again, carry on
            log.warning("listening failed: %s", exc)
            heard = Heard(Interpretation(None, "nothing"))
        finally:
            self.listening = False
        try:
            on_heard(heard)
        except Exception:
            log.exception("handling a voice command failed")

    def _heard_input(self, dead: bool) -> None:
        """Keep `silent_input` (and so the status) true to what the last listen heard."""
        if dead == self.silent_input:
            return
        self.silent_input = dead
        if dead:
            log.warning("the microphone gives only silence (or a flat level): is it on?")
        self._on_change()

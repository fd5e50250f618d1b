"""The kiosk's `Speaker` that speaks aloud: cached synthesis, Kivy playback, text fallback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path

from kiosk_app.speaker import plain
from kiosk_app.voice.audio_out import AudioOutput
from kiosk_app.voice.narration import Narrator
from kiosk_app.voice.prefetch import prefetch_lesson
from lessons.model import Language, Lesson

log = logging.getLogger(__name__)

CallSoon = Callable[[Callable[[], None]], None]
DEFAULT_VOLUME = 0.9  # loud enough for a hard-of-hearing learner, with headroom to go up


def kivy_call_soon(action: Callable[[], None]) -> None:
    """Run `action` on the Kivy UI thread at the next frame."""
    from kivy.clock import Clock

    Clock.schedule_once(lambda _dt: action(), 0)


class VoiceSpeaker:
    """Says lines aloud; moving on stops the current speech; no device → text only.

    `say` and `stop` are called from the UI thread; synthesis runs on the engine's worker
    and playback hops back to the UI thread through `call_soon`.
    """

    def __init__(
        self,
        narrator: Narrator,
        output: AudioOutput,
        language: Language = "ko",
        call_soon: CallSoon = kivy_call_soon,
    ) -> None:
        self.narrator = narrator
        self.output = output
        self.language = language
        self.volume = DEFAULT_VOLUME
        self._call_soon = call_soon
        self._generation = 0
        self._engine_failed = False
        self._rendering = -1  # the generation whose audio is being made, if any
        self.history: list[str] = []  # what was said, as text (shown on screen anyway)

    @property
    def status(self) -> str:
        """A message key for the instructor screen (see `kiosk_app.voice.status`)."""
        if not self.output.available():
            return "voice.no_sound_device"
        return "voice.no_speech_engine" if self._engine_failed else "voice.speaking_ready"

    def set_volume(self, volume: float) -> None:
        """Volume from 0 (silent) to 1, set in instructor mode; applies from the next line."""
        self.volume = max(0.0, min(1.0, volume))

    def say(self, lines: Sequence[str], rate: float = 1.0) -> None:
        """Say `lines` as written (cues dropped, pauses as silence), stopping what was said."""
        self.stop()
        self.history.extend(map(plain, lines))
        if not lines or not self.output.available():
            return
        generation = self._generation
        self._rendering = generation
        future = self.narrator.render(lines, self.language, rate, urgent=True)
        future.add_done_callback(lambda done: self._call_soon(lambda: self._play(generation, done)))

    def busy(self) -> bool:
        """True while the current lines are being made ready or played."""
        return self._rendering == self._generation or (
            self.output.available() and self.output.playing()
        )

    def stop(self) -> None:
        self._generation += 1
        if self.output.available():
            self.output.stop()

    def prefetch(self, lesson: Lesson, rate: float) -> list[Future[Path]]:
        """Synthesise every line of `lesson` in the background (call when it opens)."""
        if not self.output.available():
            return []
        return prefetch_lesson(self.narrator, lesson, self.language, rate)

    def _play(self, generation: int, rendered: Future[Path]) -> None:
        if generation != self._generation:
            return  # the learner has moved on
        self._rendering = -1
        try:
            path = rendered.result()
        except Exception as exc:  # speech failed: the text is on screen, carry on
            if not self._engine_failed:
                log.error("speech synthesis failed, teaching with text only: %s", exc)
            self._engine_failed = True
            return
        self._engine_failed = False
        try:
            self.output.play(path, self.volume)
        except Exception:
            log.exception("playback of %s failed", path)

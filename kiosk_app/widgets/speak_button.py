"""The big 말하기 button: push to talk, a spoken prompt, a listening indicator, and the
command handed to the screen. Shown only when voice commands are ready (`app.voice_ready`).

Tap → "다음, 다시, 이전, 도와줘 중에서 말씀하세요." is spoken (a quiz: "첫 번째, 두 번째 …"; the
words the grammar takes, `voice_actions.words_for`) → the microphone opens once the prompt
has been said (so it does not hear the kiosk) → the button shows 듣고 있어요 until the
utterance ends (or a second tap ends it) → the screen gets the command. Not a command,
unsure, or a command that does not fit the screen: "다시 말씀해 주세요. … 중에서요." and
nothing happens.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import StringProperty

from kiosk_app.look.ui_text import tr
from kiosk_app.voice.commands import VoiceCommand
from kiosk_app.voice.listener import Heard
from kiosk_app.widgets.base import BigButton
from lessons import Language

log = logging.getLogger(__name__)

LABELS = {"": "speak.button", "prompt": "speak.now", "listening": "speak.listening"}  # ui_text
PROMPT_POLL_SECONDS = 0.05
# The prompt with its words takes ~3 s at the slowest rate; if the speaker never says it is
# done (a stuck device), listen anyway after this long rather than leave the learner waiting.
PROMPT_MAX_SECONDS = 8.0

OnCommand = Callable[[VoiceCommand], bool]  # True when the screen acted on it


class SpeakButton(BigButton):
    phase = StringProperty("")  # "", "prompt" or "listening"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_command: OnCommand = lambda command: False
        # the words that work on the screen now (voice_actions.words_for), said in the
        # prompt and when asking again: the learner is told what to say
        self.words: Callable[[], list[str]] = lambda: []
        self._waiting: Any = None
        self.last_heard: Heard | None = None  # for the instructor and for tests
        self.fbind("phase", self._show_phase)
        self.app.fbind("language", self._show_phase)
        self._show_phase()

    def labels(self, language: Language) -> list[str]:
        """Every label the button shows, in `language` (it is as wide as the longest)."""
        return [tr(key, language) for key in LABELS.values()]

    def _show_phase(self, *args: Any) -> None:
        self.text = tr(LABELS[self.phase], self.app.language)
        # listening gets a colour no other button has; 다음 stays the one primary action
        self.kind = "learner.purple" if self.phase == "listening" else "button"
        self.selected = bool(self.phase)

    @property
    def app(self) -> Any:
        return App.get_running_app()

    def on_release(self) -> None:
        commands = self.app.voice_commands
        if self.phase == "listening":
            commands.stop()  # the second tap: "I have finished speaking"
            return
        if self.phase or commands is None or not commands.ready:
            return
        self.phase = "prompt"
        self._say_words("speak.prompt", "speak.prompt_words")
        started = time.monotonic()
        self._waiting = Clock.schedule_interval(
            lambda dt: self._open_microphone(started), PROMPT_POLL_SECONDS
        )

    def cancel(self) -> None:
        """Stop listening without acting (the screen is left)."""
        if self._waiting is not None:
            self._waiting.cancel()
        if self.phase == "listening":
            self.app.voice_commands.stop()
        self.phase = ""

    def _open_microphone(self, started: float) -> bool:
        busy = self.app.speaker.busy()
        if busy and time.monotonic() - started < PROMPT_MAX_SECONDS:
            return True  # keep waiting for the prompt to end
        self.phase = "listening"
        commands = self.app.voice_commands
        commands.listen(lambda heard: Clock.schedule_once(lambda dt: self._heard(heard)))
        if not commands.listening:  # the service went away meanwhile: ask again
            self.phase = ""
            self._say_words("speak.ask_again", "speak.ask_again_words")
        return False

    def _heard(self, heard: Heard) -> None:
        if self.phase != "listening":
            return  # the learner left the screen meanwhile
        self.phase = ""
        self.last_heard = heard
        command = heard.interpretation.command
        log.info("heard %s → %s", [w.word for w in heard.words], command or heard.interpretation)
        if command is None or not self.on_command(command):
            self._say_words("speak.ask_again", "speak.ask_again_words")

    def _say_words(self, key: str, with_words: str) -> None:
        """Say `key`'s line, or `with_words`'s naming the words that work here."""
        words, language = self.words(), self.app.language
        line = tr(with_words, language, words=", ".join(words)) if words else tr(key, language)
        self.app.kiosk.say([line])

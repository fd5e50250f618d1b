"""The big 말하기 button: push to talk, a spoken prompt, a listening indicator, and the
command handed to the screen. Shown only when voice commands are ready (`app.voice_ready`).

Tap → "다음, 다시 듣기, 이전, 도와주세요, 처음으로 중에서 말씀하세요." is spoken and the same
words are shown (`hint`; a quiz: "첫 번째, 두 번째 …"; the words the grammar takes,
`voice_actions.words_for`) → the microphone opens once the prompt has been said (so it does
not hear the kiosk) → the button shows 듣고 있어요 until the utterance ends (or a second tap
ends it) → the screen gets the command. Not a command, unsure, or a command that does not
fit the screen: "다시 말씀해 주세요. … 중에서요." and nothing happens. A screen can also ask
a question and hear its answer the same way (`ask`: 「처음으로 갈까요?」).
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
from kiosk_app.voice.commands import Interpretation, VoiceCommand
from kiosk_app.voice.listener import MAX_LISTEN_SECONDS, Heard
from kiosk_app.voice.recognizer import StepPhrases
from kiosk_app.widgets.base import BigButton
from lessons import Language

log = logging.getLogger(__name__)

LABELS = {"": "speak.button", "prompt": "speak.now", "listening": "speak.listening"}  # ui_text
PROMPT_POLL_SECONDS = 0.05
# The prompt with its words takes ~3 s at the slowest rate; if the speaker never says it is
# done (a stuck device), listen anyway after this long rather than leave the learner waiting.
PROMPT_MAX_SECONDS = 8.0

OnCommand = Callable[[VoiceCommand], bool]  # True when the screen acted on it
OnHeard = Callable[[Heard], None]


class SpeakButton(BigButton):
    phase = StringProperty("")  # "", "prompt" or "listening"
    # the words that work now, shown while the prompt is said and while listening
    hint = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_command: OnCommand = lambda command: False
        # the words that work on the screen now (voice_actions.words_for), said in the
        # prompt and when asking again: the learner is told what to say
        self.words: Callable[[], list[str]] = lambda: []
        # what else may be said there: a quiz's choices as written (voice_actions.phrases_for)
        self.phrases: Callable[[], StepPhrases] = lambda: {}
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
        self.hint = self._shown(self.words())
        line = self._words_line("speak.prompt", "speak.prompt_words")
        self._listen_after(line, self._command, phrases=self.phrases())

    def ask(self, line: str, answer: OnHeard, seconds: float = MAX_LISTEN_SECONDS) -> None:
        """Say `line` (a question), then listen up to `seconds` and hand what was heard to
        `answer` (on the UI thread); the screen shows the question itself."""
        self.cancel()
        self.hint = ""
        self._listen_after(line, answer, seconds)

    def cancel(self) -> None:
        """Stop listening without acting (the screen is left)."""
        if self._waiting is not None:
            self._waiting.cancel()
        if self.phase == "listening":
            self.app.voice_commands.stop()
        self.phase = ""

    def _listen_after(
        self,
        line: str,
        then: OnHeard,
        seconds: float = MAX_LISTEN_SECONDS,
        phrases: StepPhrases | None = None,
    ) -> None:
        self.phase = "prompt"
        self.app.kiosk.say([line])
        started = time.monotonic()
        self._waiting = Clock.schedule_interval(
            lambda dt: self._open_microphone(started, then, seconds, phrases), PROMPT_POLL_SECONDS
        )

    def _open_microphone(
        self, started: float, then: OnHeard, seconds: float, phrases: StepPhrases | None
    ) -> bool:
        busy = self.app.speaker.busy()
        if busy and time.monotonic() - started < PROMPT_MAX_SECONDS:
            return True  # keep waiting for the prompt to end
        self.phase = "listening"
        commands = self.app.voice_commands
        commands.listen(
            lambda heard: Clock.schedule_once(lambda dt: self._heard(heard, then)),
            seconds,
            phrases,
        )
        if not commands.listening:  # the service went away meanwhile
            self._heard(Heard(Interpretation(None, "nothing")), then)
        return False

    def _heard(self, heard: Heard, then: OnHeard) -> None:
        if self.phase != "listening":
            return  # the learner left the screen meanwhile
        self.phase = ""
        self.last_heard = heard
        log.info("heard %s → %s", [w.word for w in heard.words], heard.interpretation)
        then(heard)

    def _command(self, heard: Heard) -> None:
        command = heard.interpretation.command
        if command is None or not self.on_command(command):
            self._say_words("speak.ask_again", "speak.ask_again_words")

    def _shown(self, words: list[str]) -> str:
        return tr("speak.words_shown", self.app.language, words=", ".join(words)) if words else ""

    def _words_line(self, key: str, with_words: str) -> str:
        """`key`'s line, or `with_words`'s naming the words that work here."""
        words, language = self.words(), self.app.language
        return tr(with_words, language, words=", ".join(words)) if words else tr(key, language)

    def _say_words(self, key: str, with_words: str) -> None:
        self.app.kiosk.say([self._words_line(key, with_words)])

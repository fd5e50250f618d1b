"""The lesson player: the step large and centred, "3 / 8 단계" ("Step 3 of 8"), the simulated
screen or the quiz choices, and the always-present bar (이전, 다시 듣기, 다음, 도와주세요,
처음으로). While the 말하기 button listens, the words that work are shown under it; a
spoken 처음으로 asks 「처음으로 갈까요?」 on screen and aloud (`HomeQuestion`), and only 네
(said or tapped) leaves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.uix.floatlayout import FloatLayout

from kiosk_app.look.ui_text import tr
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.teaching.lesson_run import LessonRun
from kiosk_app.teaching.voice_actions import (
    Action,
    HomeAnswer,
    home_answer,
    lesson_action,
    phrases_for,
    words_for,
)
from kiosk_app.voice.commands import VoiceCommand
from kiosk_app.voice.listener import Heard
from kiosk_app.widgets.control_bar import ControlBar  # noqa: F401  (used in lesson.kv)
from kiosk_app.widgets.mock_device import MockDevice
from kiosk_app.widgets.progress_label import ProgressLabel  # noqa: F401  (used in lesson.kv)
from kiosk_app.widgets.speak_button import SpeakButton  # noqa: F401  (used in lesson.kv)
from kiosk_app.widgets.step_body import StepBody  # noqa: F401  (used in lesson.kv)

# How long the question 「처음으로 갈까요?」 waits for an answer once it has been said: time
# for a senior to decide and speak, after which silence means "stay" (issue 17: ~8 s).
HOME_ANSWER_SECONDS = 8.0


class HomeQuestion(FloatLayout):
    """「처음으로 갈까요?」 over the lesson, with 네 and 아니요; takes every touch while shown."""

    def __init__(self, answer: Callable[[bool], None], **kwargs: Any) -> None:
        self.answer = answer
        super().__init__(**kwargs)

    def on_touch_down(self, touch: Any) -> bool:
        super().on_touch_down(touch)
        return True  # the lesson under the question is not touched


class LessonScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        run = self.kiosk.run
        assert run is not None, "start a lesson first"
        self.run: LessonRun = run
        if getattr(self, "_bound", None) is not run:
            run.on_change(self.refresh)
            self._bound = run
        speak = self.ids.speak
        speak.on_command = self.voice_command
        speak.words = lambda: words_for(self.run.view)
        speak.phrases = lambda: phrases_for(self.run.view)
        if not getattr(self, "_hint_bound", False):
            speak.fbind("phase", self.place_hint)
            self._hint_bound = True
        # on a tablet a practice takes the whole height, its progress line and controls
        # beside it
        self.ids.body.stage.borrow(self.ids.head, self.ids.bar)
        self.show_step()

    def on_leave(self, *args: Any) -> None:
        self.ids.speak.cancel()
        self._close_question()

    def voice_command(self, command: VoiceCommand) -> bool:
        """Do what a spoken command asks, as its button would; False when it does not fit."""
        found = lesson_action(command, self.run.view)
        if found is None:
            return False
        do: dict[Action, Callable[[], None]] = {
            Action.NEXT: self.run.next,
            Action.REPEAT: self.run.repeat,
            Action.BACK: self.run.back,
            Action.HOME: self.ask_home,
            Action.HELP: self.help,
            Action.ANSWER: lambda: self.run.answer(found.choice or 0),
        }
        do[found.action]()
        return True

    def place_hint(self, *args: Any) -> None:
        """The words that work over the progress line, from its left to the 말하기 button
        (the head may sit inside a practice's stage: window coordinates)."""
        head, speak, panel = self.ids.head, self.ids.speak, self.ids.hint_panel
        left, top = self.to_widget(*head.to_window(head.x, head.top), relative=True)
        right, _ = self.to_widget(*speak.to_window(speak.x, speak.y), relative=True)
        panel.width = max(right - left - self.app.gap, head.width / 2)
        panel.x, panel.top = left, top

    @property
    def practice(self) -> MockDevice:
        """The simulated screen of practice steps."""
        return self.ids.body.practice

    def refresh(self) -> None:
        """After any input: show the step, if this screen is the one on show."""
        if self.manager is not None and self.manager.current == self.name:
            self.show_step()

    def show_step(self) -> None:
        view = self.run.view
        if view.finished:
            self.app.go("complete")
            return
        language = self.app.language
        title = self.run.session.lesson.title.get(language)
        steps = tr("lesson.steps", language, step=view.index + 1, total=view.total)
        progress = self.ids.progress
        progress.full = tr("lesson.progress", language, title=title, steps=steps)
        progress.short = steps
        self.ids.back.disabled = view.index == 0
        self.ids.body.show(self.run, self.kiosk.library, self.run.tap, self.run.answer)

    def help(self) -> None:
        self.run.help()
        self.app.go("help")

    def leave(self) -> None:
        """처음으로: back to the learner's home; the place in the lesson is kept."""
        self.kiosk.speaker.stop()
        self.app.go("home")

    @property
    def question(self) -> HomeQuestion | None:
        """「처음으로 갈까요?」 while it is asked."""
        return getattr(self, "_question", None)

    def ask_home(self) -> None:
        """A spoken 처음으로: ask first, aloud and on screen; only 네 leaves."""
        if self.question is None:
            self._question: HomeQuestion | None = HomeQuestion(self._answered)
            self.add_widget(self._question)
        self._asked = 0
        self._ask("lesson.home_question")

    def _ask(self, first: str) -> None:
        self._asked += 1
        language = self.app.language
        line = f"{tr(first, language)} {tr('lesson.home_say', language)}"
        self.ids.speak.ask(line, self._heard_answer, HOME_ANSWER_SECONDS)

    def _heard_answer(self, heard: Heard) -> None:
        if self.question is None:
            return  # answered by a tap meanwhile
        decided = home_answer(heard.interpretation, self._asked)
        if decided is HomeAnswer.ASK_AGAIN:
            self._ask("speak.ask_again")
        else:
            self._answered(decided is HomeAnswer.LEAVE)

    def _answered(self, leave: bool) -> None:
        """네 (said or tapped) leaves; 아니요 or no answer stays, and says so."""
        self.ids.speak.cancel()
        self._close_question()
        if leave:
            self.leave()
        else:
            self.kiosk.say([tr("lesson.home_stay", self.app.language)])

    def _close_question(self) -> None:
        if self.question is not None:
            self.remove_widget(self.question)
            self._question = None


load_kv(__file__)

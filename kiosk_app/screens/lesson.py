"""The lesson player: the step large and centred, "3 / 8 단계" ("Step 3 of 8"), the simulated
screen or the quiz choices, and the always-present bar (이전, 다시 듣기, 다음, 도와주세요,
처음으로)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk_app.look.ui_text import tr
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.teaching.lesson_run import LessonRun
from kiosk_app.teaching.voice_actions import Action, lesson_action, words_for
from kiosk_app.voice.commands import VoiceCommand
from kiosk_app.widgets.control_bar import ControlBar  # noqa: F401  (used in lesson.kv)
from kiosk_app.widgets.mock_device import MockDevice
from kiosk_app.widgets.progress_label import ProgressLabel  # noqa: F401  (used in lesson.kv)
from kiosk_app.widgets.speak_button import SpeakButton  # noqa: F401  (used in lesson.kv)
from kiosk_app.widgets.step_body import StepBody  # noqa: F401  (used in lesson.kv)


class LessonScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        run = self.kiosk.run
        assert run is not None, "start a lesson first"
        self.run: LessonRun = run
        if getattr(self, "_bound", None) is not run:
            run.on_change(self.refresh)
            self._bound = run
        self.ids.speak.on_command = self.voice_command
        self.ids.speak.words = lambda: words_for(self.run.view)
        # on a tablet a practice takes the whole height, its progress line and controls
        # beside it
        self.ids.body.stage.borrow(self.ids.head, self.ids.bar)
        self.show_step()

    def on_leave(self, *args: Any) -> None:
        self.ids.speak.cancel()

    def voice_command(self, command: VoiceCommand) -> bool:
        """Do what a spoken command asks, as its button would; False when it does not fit."""
        found = lesson_action(command, self.run.view)
        if found is None:
            return False
        do: dict[Action, Callable[[], None]] = {
            Action.NEXT: self.run.next,
            Action.REPEAT: self.run.repeat,
            Action.BACK: self.run.back,
            Action.HOME: self.leave,
            Action.HELP: self.help,
            Action.ANSWER: lambda: self.run.answer(found.choice or 0),
        }
        do[found.action]()
        return True

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


load_kv(__file__)

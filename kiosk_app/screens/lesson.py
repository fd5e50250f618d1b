"""The lesson player: the step large and centred, "3 / 8 단계", the simulated screen or the
quiz choices, and the always-present bar (이전, 다시 듣기, 다음, 도와주세요, 처음으로)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk_app.lesson_run import LessonRun
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.voice.commands import VoiceCommand
from kiosk_app.voice_actions import Action, lesson_action
from kiosk_app.widgets.base import BigButton, Panel, TextLabel
from kiosk_app.widgets.practice_screen import PracticeScreen
from kiosk_app.widgets.speak_button import SpeakButton  # noqa: F401  (used in lesson.kv)
from lessons.model import Step


class FeedbackStrip(Panel):
    """A hint, a quiz explanation or praise, on its own coloured strip."""


class LessonScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        run = self.kiosk.run
        assert run is not None, "start a lesson first"
        self.run: LessonRun = run
        if getattr(self, "_bound", None) is not run:
            run.on_change(self.refresh)
            self._bound = run
        self.practice = PracticeScreen()
        self.practice.on_tap = self.run.tap
        self.ids.speak.on_command = self.voice_command
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

    def refresh(self) -> None:
        """After any input: show the step, if this screen is the one on show."""
        if self.manager is not None and self.manager.current == self.name:
            self.show_step()

    def show_step(self) -> None:
        view = self.run.view
        if view.finished:
            self.app.go("complete")
            return
        title = self.run.session.lesson.title.get("ko")
        self.ids.progress.text = f"{title}  ·  {view.index + 1} / {view.total} 단계"
        self.ids.back.disabled = view.index == 0
        body = self.ids.body
        body.clear_widgets()
        step = view.step
        if step.practice is not None:
            self._practice(step)
        elif step.quiz is not None:
            self._quiz(step)
        else:
            self._narration(step)

    def _narration(self, step: Step) -> None:
        body = self.ids.body
        body.add_widget(Widget())
        assert step.say is not None
        if step.show and step.show.text:
            body.add_widget(TextLabel(text=step.show.text.get("ko"), role="title"))
        body.add_widget(TextLabel(text=step.say.spoken("ko"), role="title"))
        body.add_widget(Widget())

    def _practice(self, step: Step) -> None:
        assert step.practice is not None
        body, view = self.ids.body, self.run.view
        body.add_widget(TextLabel(text=step.practice.instruction.spoken("ko")))
        self._feedback()
        screen = self.kiosk.library.screens[step.practice.screen]
        if self.practice.parent is not None:
            self.practice.parent.remove_widget(self.practice)
        body.add_widget(self.practice)
        self.practice.show(screen, view.highlight, view.demonstrate)

    def _quiz(self, step: Step) -> None:
        quiz = step.quiz
        assert quiz is not None
        body, view = self.ids.body, self.run.view
        body.add_widget(TextLabel(text=quiz.question.spoken("ko"), role="button"))
        choices = GridLayout(cols=2 if len(quiz.choices) > 2 else 1, size_hint_y=None)
        choices.spacing = self.app.gap
        choices.bind(minimum_height=choices.setter("height"))
        body.add_widget(choices)
        for number, choice in enumerate(quiz.choices, 1):
            kind = "card"
            if view.quiz_choice == number:
                kind = "right" if view.quiz_correct else "wrong"
            button = BigButton(text=f"{number}.  {choice.get('ko')}", kind=kind)
            button.bind(on_release=lambda w, n=number: self.run.answer(n))
            choices.add_widget(button)
        self._feedback()

    def _feedback(self) -> None:
        run = self.run
        if not run.feedback:
            return
        kind = run.feedback_kind if run.feedback_kind in ("right", "wrong") else "card"
        strip = FeedbackStrip(kind=kind)
        strip.add_widget(TextLabel(text=run.feedback, kind=kind))
        self.ids.body.add_widget(strip)

    def help(self) -> None:
        self.run.help()
        self.app.go("help")

    def leave(self) -> None:
        """처음으로: back to the learner's home; the place in the lesson is kept."""
        self.kiosk.speaker.stop()
        self.app.go("home")


load_kv(__file__)

"""A lesson step, large and centred: the narration, the practice on its simulated screen
(with the hint strip), or the quiz's big choices. The lesson player and class mode both
show their step through it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk_app.lesson_run import LessonRun
from kiosk_app.widgets.base import BigButton, Panel, TextLabel
from kiosk_app.widgets.practice_screen import PracticeScreen
from lessons.model import Screen, Step

# Quiz choices are the step's only targets: on a screen with room (a 24-inch kiosk) they
# are this much taller than a standard button; where room is short (a 10-inch tablet, with
# the question and the explanation strip) they keep the standard height.
QUIZ_CHOICE_TALL = 1.5
QUIZ_ROOM_BUTTONS = 4  # button heights kept free for the question and the explanation


class FeedbackStrip(Panel):
    """A hint, a quiz explanation or praise, on its own coloured strip."""


class StepBody(BoxLayout):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.practice = PracticeScreen()
        self.answer: Callable[[int], None] = lambda choice: None

    def show(
        self,
        run: LessonRun,
        screens: Mapping[str, Screen],
        tap: Callable[[str], None],
        answer: Callable[[int], None],
    ) -> None:
        """Show `run`'s step; taps on the practice screen go to `tap`, choices to `answer`."""
        self.clear_widgets()
        self.practice.on_tap, self.answer = tap, answer
        step = run.view.step
        if step.practice is not None:
            self._practice(run, step, screens)
        elif step.quiz is not None:
            self._quiz(run, step)
        else:
            self._narration(step)

    def _narration(self, step: Step) -> None:
        assert step.say is not None
        self.add_widget(Widget())
        if step.show and step.show.text:
            self.add_widget(TextLabel(text=step.show.text.get("ko"), role="title"))
        self.add_widget(TextLabel(text=step.say.spoken("ko"), role="title"))
        self.add_widget(Widget())

    def _practice(self, run: LessonRun, step: Step, screens: Mapping[str, Screen]) -> None:
        assert step.practice is not None
        view = run.view
        self.add_widget(TextLabel(text=step.practice.instruction.spoken("ko")))
        self._feedback(run)
        if self.practice.parent is not None:
            self.practice.parent.remove_widget(self.practice)
        self.add_widget(self.practice)
        self.practice.show(screens[step.practice.screen], view.highlight, view.demonstrate)

    def _quiz(self, run: LessonRun, step: Step) -> None:
        quiz = step.quiz
        assert quiz is not None
        view = run.view
        self.add_widget(Widget())
        self.add_widget(TextLabel(text=quiz.question.spoken("ko"), role="button"))
        app = App.get_running_app()
        columns = 2 if len(quiz.choices) > 2 else 1
        rows = -(-len(quiz.choices) // columns)
        room = app.button_height * (rows * QUIZ_CHOICE_TALL + QUIZ_ROOM_BUTTONS)
        tall = QUIZ_CHOICE_TALL if self.height >= room else 1.0
        choices = GridLayout(cols=columns, size_hint_y=None, spacing=app.gap)
        choices.bind(minimum_height=choices.setter("height"))
        self.add_widget(choices)
        for number, choice in enumerate(quiz.choices, 1):
            kind = "card"
            if view.quiz_choice == number:
                kind = "right" if view.quiz_correct else "wrong"
            text = f"{number}.  {choice.get('ko')}"
            button = BigButton(text=text, kind=kind, tall=tall)
            button.bind(on_release=lambda w, n=number: self.answer(n))
            choices.add_widget(button)
        self._feedback(run)
        self.add_widget(Widget())

    def _feedback(self, run: LessonRun) -> None:
        if not run.feedback:
            return
        kind = run.feedback_kind if run.feedback_kind in ("right", "wrong") else "card"
        strip = FeedbackStrip(kind=kind)
        strip.add_widget(TextLabel(text=run.feedback, kind=kind))
        self.add_widget(strip)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))

"""A lesson step, large and centred: the narration, the practice on its simulated screen
(with the hint strip), or the quiz's big choices. The lesson player and class mode both
show their step through it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk_app.layout import picture_side
from kiosk_app.lesson_run import LessonRun
from kiosk_app.widgets.base import BigButton, Panel, TextLabel
from kiosk_app.widgets.picture import Picture
from kiosk_app.widgets.practice_screen import PracticeScreen
from lessons.library import Library
from lessons.model import Language, Step

# Quiz choices are the step's only targets: on a screen with room (a 24-inch kiosk) they
# are this much taller than a standard button; where room is short (a 10-inch tablet, with
# the question and the explanation strip) they keep the standard height.
QUIZ_CHOICE_TALL = 1.5
QUIZ_ROOM_BUTTONS = 4  # button heights kept free for the question and the explanation
# A step's picture (above its text) takes only the room the text leaves, up to this size;
# below the smaller size it could not be made out from a chair's distance and is left out.
STEP_PICTURE_MM = 50.0
STEP_PICTURE_MIN_MM = 18.0


class FeedbackStrip(Panel):
    """A hint, a quiz explanation or praise, on its own coloured strip."""


class StepBody(BoxLayout):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.practice = PracticeScreen()
        self.picture = Picture(size_hint_y=None, height=0)
        self._with_picture = False  # the step shows a picture, when there is room for it
        self.language: Language = "ko"  # of the lesson run shown
        self.answer: Callable[[int], None] = lambda choice: None
        self._question: TextLabel | None = None
        self._fit = Clock.create_trigger(lambda dt: self.fit(), -1)
        self.bind(size=self._fit)

    def show(
        self,
        run: LessonRun,
        library: Library,
        tap: Callable[[str], None],
        answer: Callable[[int], None],
    ) -> None:
        """Show `run`'s step; taps on the practice screen go to `tap`, choices to `answer`."""
        self._start()
        self.practice.on_tap, self.answer = tap, answer
        self.language = self.practice.language = run.language
        step = run.view.step
        name = run.session.lesson.picture_for(step)
        self.picture.source = str(library.picture(name)) if name else ""
        if step.practice is not None:
            self._practice(run, step, library)
        elif step.quiz is not None:
            self._quiz(run, step)
        else:
            self._narration(step)
        self._fit_children()

    def show_text(self, text: str) -> None:
        """Show `text` alone, large and centred (what a class is saying, without its step)."""
        self._start()
        self.add_widget(TextLabel(text=text, role="title"))
        self._fit_children()

    def _start(self) -> None:
        self.clear_widgets()
        self._with_picture, self._question = False, None
        self.spacing = App.get_running_app().gap

    def _fit_children(self) -> None:
        for child in self.children:
            if child is not self.picture and child is not self.practice:  # those two stay
                child.fbind("height", self._fit)  # a label's height comes with its texture
        self.fit()

    def fit(self, *args: Any) -> None:
        """Centre a narration or a quiz in its room. Where the room is short, the picture
        gives way first, then (long English on a tablet) a quiz question drops from the
        button size to the body size (still above the floor), then the space between the
        parts halves (the choices keep their own gaps)."""
        if self.practice.parent is self:
            self.padding = [0, 0, 0, 0]  # the simulated screen takes the room that is left
            return
        self._fit_picture()
        children = self.children
        content = sum(child.height for child in children) + self.spacing * (len(children) - 1)
        if content > self.height and self._tighten():
            return  # the new heights come back here
        room = max(0.0, (self.height - content) / 2)
        self.padding = [0, room, 0, room]

    def _fit_picture(self) -> None:
        """Give the picture the height the other parts leave; take it out (gap and all)
        while that is too little to make it out, and put it back above the text when there
        is room again (after the labels got their real heights)."""
        picture = self.picture
        if not self._with_picture:
            return
        others = [c for c in self.children if c is not picture]
        fixed = sum(c.height for c in others)
        gaps = self.spacing * len(others)  # as if the picture were in: one gap more
        px_mm = App.get_running_app().px_mm
        room = self.height - gaps - fixed
        picture.height = picture_side(room, STEP_PICTURE_MM * px_mm, STEP_PICTURE_MIN_MM * px_mm)
        shown = picture.parent is self
        if picture.height and not shown:
            self.add_widget(picture, index=len(self.children))
        elif not picture.height and shown:
            self.remove_widget(picture)

    def _tighten(self) -> bool:
        """Take one step towards fitting a step that is too tall; False when none is left."""
        question, gap = self._question, App.get_running_app().gap
        if question is not None and question.role == "button":
            question.role = "body"
            return True
        if self.spacing > gap / 2:
            self.spacing = gap / 2
            return True
        return False

    def _add_picture(self) -> None:
        """The step's picture, if it has one, above the text."""
        self._with_picture = bool(self.picture.source)
        if self._with_picture:
            self.add_widget(self.picture)

    def _narration(self, step: Step) -> None:
        assert step.say is not None
        self._add_picture()
        if step.show and step.show.text:
            self.add_widget(TextLabel(text=step.show.text.get(self.language), role="title"))
        self.add_widget(TextLabel(text=step.say.spoken(self.language), role="title"))

    def _practice(self, run: LessonRun, step: Step, library: Library) -> None:
        assert step.practice is not None
        view = run.view
        self.add_widget(TextLabel(text=step.practice.instruction.spoken(self.language)))
        self._feedback(run)
        if self.practice.parent is not None:
            self.practice.parent.remove_widget(self.practice)
        self.add_widget(self.practice)
        self.practice.show(library.screens[step.practice.screen], view.highlight, view.demonstrate)

    def _quiz(self, run: LessonRun, step: Step) -> None:
        quiz = step.quiz
        assert quiz is not None
        view = run.view
        self._add_picture()
        self._question = TextLabel(text=quiz.question.spoken(self.language), role="button")
        self.add_widget(self._question)
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
            text = f"{number}.  {choice.get(self.language)}"
            button = BigButton(text=text, kind=kind, tall=tall)
            button.bind(on_release=lambda w, n=number: self.answer(n))
            choices.add_widget(button)
        self._feedback(run)

    def _feedback(self, run: LessonRun) -> None:
        if not run.feedback:
            return
        kind = run.feedback_kind if run.feedback_kind in ("right", "wrong") else "card"
        strip = FeedbackStrip(kind=kind)
        strip.add_widget(TextLabel(text=run.feedback, kind=kind))
        self.add_widget(strip)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))

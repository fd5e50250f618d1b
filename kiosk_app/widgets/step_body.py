"""A lesson step, large and centred: the narration, the practice on its simulated screen
(with the hint strip), or the quiz's big choices. The lesson player and class mode both
show their step through it.

A step is fitted to its room (`fit`): it takes the most generous `layout.StepLayout` whose
parts, measured as Kivy lays out their text (each label's texture at the size tried),
fit the room; then its picture takes what is left, and the whole is centred. Where even
the tightest layout does not fit, `overflow` says by how much (the step's content is too
long for this screen: tests name it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label

from kiosk_app.look.label_width import widest_word
from kiosk_app.look.layout import (
    BODY_GLYPH_MM,
    BUTTON_GLYPH_MM,
    TITLE_GLYPH_MM,
    Shrink,
    Sizes,
    StepLayout,
    first_fit,
    glyph_boost,
    glyph_steps,
    grid_height,
    picture_side,
    step_layouts,
)
from kiosk_app.teaching.lesson_run import LessonRun
from kiosk_app.teaching.settings import TEXT_SIZES
from kiosk_app.widgets.base import BigButton, TextLabel
from kiosk_app.widgets.mock_device import MockDevice
from kiosk_app.widgets.picture import Picture
from kiosk_app.widgets.practice_stage import FeedbackStrip, PracticeStage
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
STRIP_PADDING = 0.6  # a feedback strip's padding around its text, in gaps (step_body.kv)
UNFIT = float("inf")  # a word wider than its line at the size tried

# How far each text of a step may shrink where the step does not fit (glyph mm, before the
# learner's text scale; the smallest of each is its size at 보통). Narration (and what a
# class is saying) from the title size, the quiz question from the button size, both down
# to the body size; choices are buttons and keep the button size; the rest is body text.
SAY = (TITLE_GLYPH_MM, BODY_GLYPH_MM)
QUESTION = (BUTTON_GLYPH_MM, BODY_GLYPH_MM)
CHOICE = (BUTTON_GLYPH_MM, BUTTON_GLYPH_MM)
BODY = (BODY_GLYPH_MM, BODY_GLYPH_MM)


class StepBody(BoxLayout):
    # px the step is taller than its room in its tightest layout (0 when it fits)
    overflow = NumericProperty(0.0)
    # an answered quiz shows its explanation in place of its question (no room for both)
    question_hidden = BooleanProperty(False)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.stage = PracticeStage()
        self.picture = Picture(size_hint_y=None, height=0)
        self._with_picture = False  # the step shows a picture, when there is room for it
        self.language: Language = "ko"  # of the lesson run shown
        self.answer: Callable[[int], None] = lambda choice: None
        self._texts: list[tuple[TextLabel, tuple[float, float]]] = []  # in the body itself
        self._strip: TextLabel | None = None  # the text of the feedback strip
        self._choices: GridLayout | None = None
        self._question: TextLabel | None = None
        self._columns = 1  # the quiz's choices in a generous layout
        self._laid: StepLayout | None = None
        self._fit = Clock.create_trigger(lambda dt: self.fit(), -1)
        self._centre = Clock.create_trigger(lambda dt: self.centre(), -1)
        self.bind(size=self._fit)
        self.stage.bind(overflow=self._fit)
        app = App.get_running_app()
        if app is not None:  # a new screen or text size changes every size
            app.bind(px_mm=self._fit, text_scale=self._fit)

    def show(
        self,
        run: LessonRun,
        library: Library,
        tap: Callable[[str], None],
        answer: Callable[[int], None],
    ) -> None:
        """Show `run`'s step; the practice's inputs go to `run`, choices to `answer`. The
        same practice step again (after an input) only redraws what the input changed."""
        step = run.view.step
        same = self.stage.step is step and self.stage.run is run  # (a resumed run is new)
        if step.practice is not None and self.stage.parent is self and same:
            self.stage.update(run)
            return
        self._clear()
        self.answer = answer
        self.language = run.language
        name = run.session.lesson.picture_for(step)
        self.picture.source = str(library.picture(name)) if name else ""
        if step.practice is not None:
            self._practice(run, step, library, tap)
        elif step.quiz is not None:
            self._quiz(run, step)
        else:
            self._narration(step)
        self._done()

    def show_text(self, text: str) -> None:
        """Show `text` alone, large and centred (what a class is saying, without its step)."""
        self._clear()
        self._add_text(text, "title", SAY)
        self._done()

    @property
    def practice(self) -> MockDevice:
        """The simulated device of a practice step."""
        return self.stage.device

    def _clear(self) -> None:
        self.stage.give_back()  # the screen's head and controls, if a practice had them
        self.clear_widgets()
        self.stage.step = None
        self._texts, self._strip, self._choices, self._laid = [], None, None, None
        self._question, self.question_hidden = None, False
        self._with_picture = False

    def _done(self) -> None:
        for child in self.children:  # a label's height comes with its texture
            child.fbind("height", self._centre)
        self.fit()

    # ---- fitting ----------------------------------------------------------------------------

    def fit(self, *args: Any) -> None:
        """Lay the step out in the most generous way that fits its room, give the picture
        what is left, and centre it all. An answered quiz that does not fit even at the
        smallest sizes shows its explanation in place of its question (said again by
        다시 듣기): on a small screen at a large text size, the two do not fit together."""
        if self.stage.parent is self:  # a practice lays itself out across the room
            self.padding = [0, 0, 0, 0]
            self.overflow = self.stage.overflow
            return
        if not self._texts or self.width < 10 or self.height < 10:
            return
        if self.picture.parent is self:
            self.remove_widget(self.picture)
        self._ask(True)
        over = self._first_fit(tall=self._may_be_tall())
        if over > 0 and self._strip is not None:
            self._ask(False)
            self._first_fit(tall=False)
        self.centre()
        self._fit.cancel()  # what trying the layouts changed (the practice's least height)

    def _first_fit(self, tall: bool) -> float:
        """Lay the step out in the first of its layouts that fits; how much it overflows."""
        app = App.get_running_app()
        steps = glyph_steps(app.text_scale, [scale for scale, _ in TEXT_SIZES])
        layouts = step_layouts(steps, tall=tall)
        index, over = first_fit(len(layouts), lambda i: self._lay_out(layouts[i]) - self.height)
        if self._laid != layouts[index]:
            self._lay_out(layouts[index])
        return over

    def _ask(self, shown: bool) -> None:
        """Show the quiz's question (on top), or take it out."""
        question = self._question
        self.question_hidden = question is not None and not shown
        if question is None or (question.parent is self) == shown:
            return
        if shown:
            self.add_widget(question, index=len(self.children))
        else:
            self.remove_widget(question)

    def centre(self, *args: Any) -> None:
        """Give the picture the room the other parts leave (as they are now laid out), or
        take it out while that is too little to make it out; centre the whole."""
        picture, app = self.picture, App.get_running_app()
        if self.stage.parent is self:
            return
        others = [c for c in self.children if c is not picture]
        heights = [c.height for c in others]
        content = sum(heights) + self.spacing * (len(others) - 1)
        self.overflow = max(0.0, content - self.height)
        px_mm = app.px_mm
        side = 0.0
        if self._with_picture:
            room = self.height - content - self.spacing
            side = picture_side(room, STEP_PICTURE_MM * px_mm, STEP_PICTURE_MIN_MM * px_mm)
        picture.height = side
        if side and picture.parent is not self:
            self.add_widget(picture, index=len(self.children))  # on top
        elif not side and picture.parent is self:
            self.remove_widget(picture)
        if side:
            content += self.spacing + side
        room = max(0.0, (self.height - content) / 2)
        self.padding = [0, room, 0, room]

    def _may_be_tall(self) -> bool:
        """Quiz choices may be tall where the room clearly has space for them."""
        if self._choices is None:
            return False
        rows = -(-len(self._choices.children) // self._columns)
        room = App.get_running_app().button_height * (rows * QUIZ_CHOICE_TALL + QUIZ_ROOM_BUTTONS)
        return self.height >= room

    def _lay_out(self, layout: StepLayout) -> float:
        """Size every part of the step for `layout`; the height they take together."""
        self._laid = layout
        gap = App.get_running_app().gap
        self.spacing = gap / 2 if layout.tight else gap
        heights = []
        for label, shrink in self._texts:
            if label.parent is not self:  # a question that gave way to its explanation
                continue
            self._size(label, shrink, layout)
            heights.append(self._measure(label, self.width))
        if self._choices is not None:
            heights.append(self._lay_out_choices(self._choices, layout))
        if self._strip is not None:
            padding = 2 * STRIP_PADDING * gap
            self._size(self._strip, BODY, layout)
            text = self._measure(self._strip, self.width - padding)
            heights.append(text + padding)
        return sum(heights) + self.spacing * (len(heights) - 1)

    def _lay_out_choices(self, grid: GridLayout, layout: StepLayout) -> float:
        """Size the choice buttons; in a tight layout, in one or two columns, whichever is
        lower (no word broken); the grid's height."""
        gap = App.get_running_app().gap
        buttons = list(reversed(grid.children))
        options = [self._columns]
        if layout.tight and len(buttons) > 1:
            options.append(3 - self._columns)  # the other of one and two
        best: tuple[float, int] | None = None
        for columns in options:
            width = (self.width - gap * (columns - 1)) / columns
            heights = [self._measure_button(b, layout, width) for b in buttons]
            height = grid_height(heights, columns, gap)
            if height < UNFIT and (best is None or height < best[0]):
                best = (height, columns)
        if best is None:
            return UNFIT
        if best[1] != options[-1]:  # the buttons were last measured at the other width
            width = (self.width - gap * (best[1] - 1)) / best[1]
            for button in buttons:
                self._measure_button(button, layout, width)
        grid.cols, grid.height, grid.spacing = best[1], best[0], gap
        return best[0]

    def _measure_button(self, button: BigButton, layout: StepLayout, width: float) -> float:
        """Set a choice at its size for `layout` and `width`; its height (UNFIT when a word
        is wider than its line)."""
        app = App.get_running_app()
        font = self._size(button, CHOICE, layout)
        button.tall = QUIZ_CHOICE_TALL if layout.tall else 1.0
        # a smaller label needs a less tall button (still the whole target)
        button.least_height = Sizes(app.px_mm).button_height_for(font) if button.scale < 1 else 0
        if self._measure(button, width) == UNFIT:
            return UNFIT
        return float(button.height)

    def _measure(self, label: Label, width: float) -> float:
        """`label`'s height at `width`, as Kivy lays out its text (UNFIT when a word is
        wider than its line)."""
        label.width = width
        label.texture_update()
        line = label.text_size[0]
        font = label.font_size / glyph_boost(label.text)
        if line and widest_word(label.text, font, label.bold) > line + 1:
            return UNFIT
        return float(label.texture_size[1])

    def _size(self, label: Label, shrink: tuple[float, float], layout: StepLayout) -> float:
        """Give `label` its size in `layout` (within `shrink`, at the learner's text scale);
        its font size in px."""
        app = App.get_running_app()
        largest, smallest = shrink
        glyph = Shrink(largest * app.text_scale, smallest).at(layout.glyph_mm)
        role_font = {"title": app.title_font, "button": app.button_font}.get(
            label.role, app.body_font
        )
        font = min(role_font, Sizes(app.px_mm).font_for_glyph(glyph))
        label.scale = font / role_font
        return font

    # ---- the kinds of step ----------------------------------------------------------------

    def _add_text(self, text: str, role: str, shrink: tuple[float, float]) -> TextLabel:
        label = TextLabel(text=text, role=role)
        self._texts.append((label, shrink))
        self.add_widget(label)
        return label

    def _narration(self, step: Step) -> None:
        assert step.say is not None
        self._with_picture = bool(self.picture.source)
        if step.show and step.show.text:
            self._add_text(step.show.text.get(self.language), "title", SAY)
        self._add_text(step.say.shown(self.language), "title", SAY)

    def _practice(
        self, run: LessonRun, step: Step, library: Library, tap: Callable[[str], None]
    ) -> None:
        self.add_widget(self.stage)
        self.stage.keyboard_layout = App.get_running_app().kiosk_config.keyboard
        self.stage.show(run, library.screens, step, tap)

    def _quiz(self, run: LessonRun, step: Step) -> None:
        quiz = step.quiz
        assert quiz is not None
        view = run.view
        self._with_picture = bool(self.picture.source)
        question = quiz.question.shown(self.language)
        self._question = self._add_text(question, "button", QUESTION)
        app = App.get_running_app()
        self._columns = 2 if len(quiz.choices) > 2 else 1
        choices = GridLayout(cols=self._columns, size_hint_y=None, spacing=app.gap)
        choices.bind(minimum_height=choices.setter("height"))
        self._choices = choices
        self.add_widget(choices)
        for number, choice in enumerate(quiz.choices, 1):
            kind = "card"
            if view.quiz_choice == number:
                kind = "right" if view.quiz_correct else "wrong"
            text = f"{number}.  {choice.get(self.language)}"
            button = BigButton(text=text, kind=kind)
            button.bind(on_release=lambda w, n=number: self.answer(n))
            choices.add_widget(button)
        self._feedback(run)

    def _feedback(self, run: LessonRun) -> None:
        if not run.feedback:
            return
        kind = run.feedback_kind if run.feedback_kind in ("right", "wrong") else "card"
        strip = FeedbackStrip(kind=kind)
        self._strip = TextLabel(text=run.feedback, kind=kind)
        strip.add_widget(self._strip)
        self.add_widget(strip)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))

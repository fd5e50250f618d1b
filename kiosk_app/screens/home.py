"""Learner home: 이어서 하기, the lessons as big cards with how far this learner got, 설정."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kivy.core.window import Window
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk_app.kiosk import LessonCard
from kiosk_app.layout import CardRoom, card_picture_side
from kiosk_app.paging import Pager
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.ui_text import tr
from kiosk_app.widgets.base import CardButton, TextLabel
from kiosk_app.widgets.picture import Picture  # noqa: F401  (used in home.kv)

CARD_MM = (85.0, 48.0)  # smallest card: a two-line title and a progress line
# The lesson's picture on its card: the smallest still known at a glance from a chair, and
# the largest worth the room. Between the two it takes what the page's titles leave.
CARD_PICTURE_MM = (25.0, 45.0)
CARD_GROW = 1.8  # on a big screen with few cards, cards grow up to this much taller


class LessonCardButton(CardButton):
    lesson_id = StringProperty("")
    title = StringProperty("")
    progress = StringProperty("")  # how far this learner got
    picture = StringProperty("")  # the lesson picture's path; "" for none
    picture_side = NumericProperty(0)  # 0: no picture (the text needs the room)
    wide = BooleanProperty(False)  # one card per row: the picture goes left of the title
    card_height = NumericProperty(0)  # at least this tall; taller when a long title wraps


class HomeScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        learner, language = self.kiosk.learner, self.app.language
        assert learner is not None
        self.ids.hello.text = tr("home.hello", language, name=learner.name)
        resume = self.kiosk.resume_card()
        self.resume = resume
        button = self.ids.resume
        title = resume.lesson.title.get(language) if resume else ""
        button.text = tr("home.resume", language, title=title) if resume else ""
        button.opacity, button.disabled = (1, False) if resume else (0, True)
        cards = self.kiosk.lesson_cards()
        self.pager: Pager[LessonCard] = Pager(cards, self._per_page(len(cards)))
        self.refresh()
        self.say(tr("home.spoken", language, name=learner.name))

    def _per_page(self, count: int) -> int:
        app = self.app
        window_w, window_h = Window.size
        width = window_w - 2 * (app.margin + app.target * 1.2 + app.gap)
        taken = 3 * app.button_height + app.title_font * 1.3 + 2 * app.margin + 4 * app.gap
        height = window_h - taken
        card_w, card_h = (mm * app.px_mm * app.kiosk.settings.text_scale for mm in CARD_MM)
        columns = max(1, int((width + app.gap) // (card_w + app.gap)))
        self.wide = columns == 1
        if not self.wide:  # the picture goes above the title
            card_h += CARD_PICTURE_MM[0] * app.px_mm + app.gap
        rows = max(1, int((height + app.gap) // (card_h + app.gap)))
        self.ids.grid.cols = columns
        shown = min(rows, -(-count // columns))  # rows the cards need; the grid is centred
        self.card_height = min((height - app.gap * (shown - 1)) / shown, card_h * CARD_GROW)
        # what a card really has: the grid's row of the screen (under the greeting and
        # 이어서 하기), shared by the rows shown; inside the card's padding
        grid_h = window_h - 2 * (app.margin + app.button_height + app.gap)
        self.room = CardRoom(
            width=(width - app.gap * (columns - 1)) / columns - 2 * app.gap,
            height=(grid_h - app.gap * (shown - 1)) / shown - 2 * app.gap,
            gap=app.gap,
        )
        return columns * rows

    def turn(self, delta: int) -> None:
        self.pager.next() if delta > 0 else self.pager.previous()
        self.refresh()

    def refresh(self) -> None:
        grid = self.ids.grid
        grid.clear_widgets()
        language = self.app.language
        library = self.kiosk.library
        side = self._picture_side(self.pager.visible)
        for card in self.pager.visible:
            lesson = card.lesson
            button = LessonCardButton(
                lesson_id=lesson.id,
                title=lesson.title.get(language),
                progress=card.progress_text(language),
                picture=str(library.picture(lesson.picture)) if lesson.picture else "",
                picture_side=side,
                wide=self.wide,
                kind="right" if card.state and card.state.mastered else "card",
                card_height=self.card_height,
            )
            button.bind(on_release=lambda w, c=card: self.open(c, resume=c.in_progress))
            grid.add_widget(button)
        self.ids.previous.disabled = not self.pager.has_previous
        self.ids.next.disabled = not self.pager.has_next

    def _picture_side(self, cards: Sequence[LessonCard]) -> float:
        """One picture size for the page's cards: what their titles leave (0: none)."""
        if not cards:
            return 0.0
        app = self.app
        smallest, largest = CARD_PICTURE_MM
        sizes = (smallest * app.px_mm, largest * app.px_mm * app.kiosk.settings.text_scale)

        def tallest_text(width: float) -> float:
            return max(self._text_height(card, width) for card in cards)

        return card_picture_side(self.room, self.wide, tallest_text, sizes)

    def _text_height(self, card: LessonCard, width: float) -> float:
        """Height of a card's title and progress lines wrapped at `width` (see home.kv)."""
        language = self.app.language
        title = TextLabel(text=card.lesson.title.get(language), role="title", width=width)
        progress = TextLabel(text=card.progress_text(language), width=width)
        for label in (title, progress):
            label.texture_update()
        return float(title.texture_size[1] + progress.texture_size[1] + self.app.gap * 0.5)

    def open(self, card: LessonCard, resume: bool) -> None:
        self.kiosk.start_lesson(card.lesson.id, resume=resume)
        self.app.go("lesson")

    def continue_lesson(self) -> None:
        if self.resume is not None:
            self.open(self.resume, resume=True)


load_kv(__file__)

"""Learner home: 이어서 하기, the lessons as big cards with their pictures and how far this
learner got, 설정."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk_app.kiosk import LessonCard
from kiosk_app.label_width import widest_word
from kiosk_app.layout import GAP_MM, CardRoom, card_picture_side
from kiosk_app.paging import GridShape
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.settings import TEXT_SIZES
from kiosk_app.ui_text import tr
from kiosk_app.widgets.base import TextLabel
from kiosk_app.widgets.paged_grid import GridTile
from kiosk_app.widgets.picture import Picture  # noqa: F401  (used in home.kv)

CARD_MM = (85.0, 48.0)  # smallest card: a two-line title and a progress line
# The lesson's picture on its card: the smallest still known at a glance from a chair, and
# the largest worth the room. Between the two it takes what the page's titles leave.
CARD_PICTURE_MM = (25.0, 45.0)
# With several cards to a row the picture goes above the title, so the smallest card is
# taller by the smallest picture; alone in its row (a 10-inch tablet) the picture goes
# beside the title, within CARD_MM.
CARD_ABOVE_MM = (CARD_MM[0], CARD_MM[1] + CARD_PICTURE_MM[0] + GAP_MM)
CARD_GROW = 1.8  # on a big screen with few cards, cards grow up to this much bigger


class LessonCardButton(GridTile):
    """A lesson's card: at least the grid's tile height; taller when a long title wraps."""

    lesson_id = StringProperty("")
    title = StringProperty("")
    progress = StringProperty("")  # how far this learner got
    picture = StringProperty("")  # the lesson picture's path; "" for none
    picture_side = NumericProperty(0)  # 0: no picture (the text needs the room)
    wide = BooleanProperty(False)  # one card per row: the picture goes left of the title
    text_scale = NumericProperty(1.0)  # of its texts' sizes: smaller where a tile is short


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
        beside, above = self._least_cards(cards)
        self.ids.grid.show(cards, self._card, above, CARD_GROW, one_column_mm=beside)
        self.say(tr("home.spoken", language, name=learner.name))

    def _least_cards(
        self, cards: list[LessonCard]
    ) -> tuple[tuple[float, float], tuple[float, float]]:
        """The least card (mm, as the grid scales it), with the picture beside the text and
        above it: CARD_MM, or wider for the widest word of a title and taller for the
        tallest title and progress line at that width (long English titles at a large
        text size), so that no card is taller than its tile or breaks a word."""
        app, language = self.app, self.app.language
        px = app.px_mm * app.text_scale  # as the grid scales its tiles
        # a big screen's room makes the cards' text bigger, not the cards fewer: their
        # least size is the learner's (ten on a page on the 24-inch kiosk)
        room = app.text_scale / self.kiosk.settings.text_scale
        least = (CARD_MM[0] / room, CARD_MM[1] / room)
        texts = [(card.lesson.title.get(language), card.progress_text(language)) for card in cards]
        word = max((widest_word(title, app.button_font) for title, _ in texts), default=0.0)
        width = max(least[0], (word + 2 * app.gap) / px)
        inner = width * px - 2 * app.gap
        tallest = max((self._text_height(t, p, inner) for t, p in texts), default=0.0)
        height = max(least[1], (tallest + 2 * app.gap) / px)
        return (width, height), (width, height + (CARD_ABOVE_MM[1] - CARD_MM[1]) / room)

    def _card(self, card: LessonCard) -> LessonCardButton:
        lesson, library, language = card.lesson, self.kiosk.library, self.app.language
        button = LessonCardButton(
            lesson_id=lesson.id,
            title=lesson.title.get(language),
            progress=card.progress_text(language),
            picture=str(library.picture(lesson.picture)) if lesson.picture else "",
            kind="right" if card.state and card.state.mastered else "card",
        )
        button.bind(on_release=lambda w: self.open(card, resume=card.in_progress))
        return button

    def fit_pictures(self, shape: GridShape) -> None:
        """One picture size for the page's cards, from the tile the grid gave them: what
        their tallest text leaves (0: none); beside the text when the page has one column."""
        cards: list[LessonCardButton] = list(self.ids.grid.tiles)
        if not cards:
            return
        app = self.app
        room = CardRoom(
            width=shape.tile_width - 2 * app.gap,  # inside the card's padding
            # the tile, within the grid's box (a least tile may be taller than the box)
            height=min(shape.tile_height, self.ids.grid.height) - 2 * app.gap,
            gap=app.gap,
        )
        smallest, largest = CARD_PICTURE_MM
        sizes = (smallest * app.px_mm, largest * app.px_mm * self.kiosk.settings.text_scale)
        # the cards' texts at the learner's size where the tallest fits its tile, else at
        # the largest smaller text size that does (보통's at the least)
        learner = self.kiosk.settings.text_scale
        scales = [1.0] + [s / learner for s, _ in reversed(TEXT_SIZES) if s < learner]
        scale = next(
            (s for s in scales if self._tallest(cards, room.width, s) <= room.height), scales[-1]
        )

        def tallest_text(width: float) -> float:
            return self._tallest(cards, width, scale)

        beside = shape.columns == 1
        side = card_picture_side(room, beside, tallest_text, sizes)
        for card in cards:
            card.picture_side, card.wide, card.text_scale = side, beside, scale

    def _tallest(self, cards: list[LessonCardButton], width: float, scale: float) -> float:
        return max(self._text_height(c.title, c.progress, width, scale) for c in cards)

    def _text_height(
        self, title_text: str, progress_text: str, width: float, scale: float = 1.0
    ) -> float:
        """Height of a card's title and progress lines wrapped at `width` (see home.kv)."""
        title = TextLabel(text=title_text, role="button", width=width, scale=scale)
        progress = TextLabel(text=progress_text, width=width, scale=scale)
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

"""Learner home: 다음 수업 (the learning path's next lesson) first and biggest with its
picture, 이어서 하기 and a 복습 when one is due beside it, then the other lessons as big cards,
track by track (each card names its track), with their pictures and how far this learner
got; 설정."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk_app.look.label_width import fit_width, widest_word
from kiosk_app.look.layout import GAP_MM, CardRoom, card_picture_side
from kiosk_app.look.paging import GridShape
from kiosk_app.look.ui_text import tr
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.teaching.kiosk import LessonCard
from kiosk_app.teaching.settings import TEXT_SIZES
from kiosk_app.widgets.base import CardButton, TextLabel
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
# 다음 수업 as it gives way on a short screen: with its progress line and the title at the
# title size, then at the button size, then without the progress line (and the picture)
# (with the progress line, the title's size, room for the picture)
FULL_ROLES = (
    (True, "title", True),
    (True, "button", True),
    (False, "button", True),
    (False, "button", False),
)
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


class NextLessonCard(CardButton):
    """다음 수업: the learning path's next lesson, the biggest thing on home, its picture
    left of its title (sized in home.kv from the card's least height)."""

    lesson_id = StringProperty("")
    heading = StringProperty("")  # 다음 수업
    title = StringProperty("")
    progress = StringProperty("")  # its track and how far this learner got
    picture = StringProperty("")


class HomeScreen(KioskScreen):
    # of the learner's text size, for 다음 수업 and the buttons beside it: smaller (never
    # below 보통's) where they would leave the lesson cards less than a least card's height
    top_scale = NumericProperty(1.0)
    top_least = NumericProperty(0)  # 다음 수업's least height: the buttons beside it
    top_full = BooleanProperty(True)  # 다음 수업 shows its progress line
    top_title_role = StringProperty("title")  # 다음 수업's title: 'title' or 'button' size

    def on_size(self, *args: Any) -> None:
        if hasattr(self, "review"):  # entered once: the cards are filled in
            self.fit_top()

    def enter(self, **kwargs: Any) -> None:
        learner, language = self.kiosk.learner, self.app.language
        assert learner is not None
        self.ids.hello.text = tr("home.hello", language, name=learner.name)
        home = self.kiosk.home_cards()
        self.next_lesson, self.review = home.next, home.review
        resume = self.kiosk.resume_card()
        if resume and home.next and resume.lesson.id == home.next.lesson.id:
            resume = None  # 다음 수업 continues it (its card says how far): not twice
        self.resume = resume
        self._side_button(self.ids.resume, "home.resume", resume)
        self._side_button(self.ids.review, "home.review", home.review)
        self._show_next(home.next)
        self.fit_top()
        Clock.schedule_once(lambda dt: self.fit_top(), 0)  # with the greeting laid out
        cards = home.rest
        beside, above = self._least_cards(cards)
        self.ids.grid.show(cards, self._card, above, CARD_GROW, one_column_mm=beside)
        spoken = tr("home.spoken", language, name=learner.name)
        if home.next is not None:
            title = home.next.lesson.title.get(language)
            spoken += " " + tr("home.next_spoken", language, title=title)
        self.say(spoken)

    def _side_button(self, button: Any, key: str, card: LessonCard | None) -> None:
        """이어서 하기 / 복습 beside 다음 수업: shown (and tappable) only when there is one."""
        language = self.app.language
        title = card.lesson.title.get(language) if card else ""
        button.text = tr(key, language, title=title) if card else ""
        button.opacity, button.disabled = (1, False) if card else (0, True)
        button.size_hint_y = None
        button.shown = card is not None

    def _show_next(self, card: LessonCard | None) -> None:
        language, library, widget = self.app.language, self.kiosk.library, self.ids.next_card
        if card is None:
            widget.lesson_id, widget.title, widget.picture = "", "", ""
            widget.heading = tr("home.all_learned", language)
            widget.progress, widget.disabled = "", True
            return
        lesson = card.lesson
        widget.lesson_id, widget.disabled = lesson.id, False
        widget.heading = tr("home.next", language)
        widget.title = lesson.title.get(language)
        widget.progress = card.track_text(language)
        widget.picture = str(library.picture(lesson.picture)) if lesson.picture else ""

    def fit_top(self) -> None:
        """The largest `top_scale` (the learner's, else a smaller text size's, 보통's at the
        least) at which 다음 수업 and the buttons beside it leave the lesson grid a least
        card's height (CARD_MM at 보통's size: the grid's cards step down from there)."""
        app, ids = self.app, self.ids
        learner = self.kiosk.settings.text_scale
        scales = [1.0] + [s / learner for s, _ in reversed(TEXT_SIZES) if s < learner]
        room = app.text_scale / learner  # a big screen's room
        # the grid's row: a least card (its texts step down from there) and the ◀ ▶ arrows
        grid_least = max(CARD_MM[1] * app.px_mm * room, 2 * app.button_height)
        # the greeting's row (home.kv): its text beside 설정 and 처음으로, as wide as their labels
        language = app.language
        buttons_width = sum(
            fit_width([tr(key, language)], app.button_font, app.gap * 2) + app.gap
            for key in ("home.settings", "home.finish")
        )
        hello_width = Window.width - 2 * app.margin - buttons_width
        hello = max(app.button_height, self._line(ids.hello.text, "title", hello_width, 1.0))
        # the window's size: a screen not yet shown has not been laid out
        available = Window.height - 2 * app.margin - hello - 2 * app.gap - grid_least
        width = Window.width - 2 * app.margin
        side = [b.text for b in (ids.resume, ids.review) if b.shown]
        card_width = (width - app.gap) * 2 / 3 if side else width
        side_width = (width - app.gap) / 3
        card = ids.next_card
        # the learner's size and smaller; then the same without the card's progress line
        # (a 10-inch tablet at the larger sizes, where the greeting takes two lines)
        # the title at the title size, else at the button size (as the cards' titles)
        tries = [(s, full, r, tall) for full, r, tall in FULL_ROLES for s in scales]
        for scale, full, role, tall in tries:
            texts = [(card.heading, "body"), (card.title, role)]
            texts += [(card.progress, "body")] if full else []
            texts = [(t, role) for t, role in texts if t]
            button = app.button_height_at(scale, app.button_font)
            # two buttons tall, room for the picture; compact: as tall as the side buttons
            rows = 2 if tall else max(1, len(side))
            least = rows * button + app.gap * (rows - 1)
            picture = min(app.px_mm * 45 * app.text_scale * scale, least - 2 * app.gap)
            shown = card.picture and picture >= app.px_mm * 18
            inner = card_width - 2 * app.gap - (picture + app.gap if shown else 0)
            column = sum(self._line(t, role, inner, scale) for t, role in texts)
            column += app.gap * 0.5 * (len(texts) - 1)
            buttons = [
                max(button, self._line(t, "button", side_width - app.gap, scale) + app.gap / 2)
                for t in side
            ]
            needed = max(least, column + 2 * app.gap, sum(buttons) + app.gap * (len(side) - 1))
            if needed <= available:
                break
        self.top_full, self.top_title_role = full, role
        self.top_scale, self.top_least = scale, least

    @staticmethod
    def _line(text: str, role: str, width: float, scale: float) -> float:
        label = TextLabel(text=text, role=role, width=max(1.0, width), scale=scale)
        label.texture_update()
        return float(label.texture_size[1])

    def open_next(self) -> None:
        if self.next_lesson is not None:
            self.open(self.next_lesson, resume=self.next_lesson.in_progress)

    def open_review(self) -> None:
        if self.review is not None:
            self.kiosk.start_review(self.review.lesson.id)
            self.app.go("lesson")

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
        texts = [(card.lesson.title.get(language), card.track_text(language)) for card in cards]
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
            progress=card.track_text(language),
            picture=str(library.picture(lesson.picture)) if lesson.picture else "",
            kind="right" if card.mastered else "card",
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

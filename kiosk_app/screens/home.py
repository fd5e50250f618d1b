"""Learner home: 이어서 하기, the lessons as big cards with how far this learner got, 설정."""

from __future__ import annotations

from typing import Any

from kivy.core.window import Window
from kivy.properties import NumericProperty

from kiosk_app.kiosk import LessonCard
from kiosk_app.paging import Pager
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.widgets.base import CardButton, TextLabel

CARD_MM = (85.0, 48.0)  # smallest card: a two-line title and a progress line
CARD_GROW = 1.8  # on a big screen with few cards, cards grow up to this much taller


class LessonCardButton(CardButton):
    card_height = NumericProperty(0)  # at least this tall; taller when a long title wraps


class HomeScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        learner = self.kiosk.learner
        assert learner is not None
        self.ids.hello.text = f"{learner.name} 님, 안녕하세요."
        resume = self.kiosk.resume_card()
        self.resume = resume
        button = self.ids.resume
        button.text = f"이어서 하기: {resume.lesson.title.get('ko')}" if resume else ""
        button.opacity, button.disabled = (1, False) if resume else (0, True)
        cards = self.kiosk.lesson_cards()
        self.pager: Pager[LessonCard] = Pager(cards, self._per_page(len(cards)))
        self.refresh()
        self.say(f"{learner.name} 님, 안녕하세요. 배우고 싶은 수업을 눌러 주세요.")

    def _per_page(self, count: int) -> int:
        app = self.app
        window_w, window_h = Window.size
        width = window_w - 2 * (app.margin + app.target * 1.2 + app.gap)
        taken = 3 * app.button_height + app.title_font * 1.3 + 2 * app.margin + 4 * app.gap
        height = window_h - taken
        card_w, card_h = (mm * app.px_mm * app.kiosk.settings.text_scale for mm in CARD_MM)
        columns = max(1, int((width + app.gap) // (card_w + app.gap)))
        rows = max(1, int((height + app.gap) // (card_h + app.gap)))
        self.ids.grid.cols = columns
        shown = min(rows, -(-count // columns))  # rows the cards need; the grid is centred
        self.card_height = min((height - app.gap * (shown - 1)) / shown, card_h * CARD_GROW)
        return columns * rows

    def turn(self, delta: int) -> None:
        self.pager.next() if delta > 0 else self.pager.previous()
        self.refresh()

    def refresh(self) -> None:
        grid = self.ids.grid
        grid.clear_widgets()
        for card in self.pager.visible:
            kind = "right" if card.state and card.state.mastered else "card"
            button = LessonCardButton(kind=kind, card_height=self.card_height)
            button.add_widget(TextLabel(text=card.lesson.title.get("ko"), role="title", kind=kind))
            button.add_widget(TextLabel(text=card.progress_text, kind=kind))
            button.bind(on_release=lambda w, c=card: self.open(c, resume=c.in_progress))
            grid.add_widget(button)
        self.ids.previous.disabled = not self.pager.has_previous
        self.ids.next.disabled = not self.pager.has_next

    def open(self, card: LessonCard, resume: bool) -> None:
        self.kiosk.start_lesson(card.lesson.id, resume=resume)
        self.app.go("lesson")

    def continue_lesson(self) -> None:
        if self.resume is not None:
            self.open(self.resume, resume=True)


load_kv(__file__)

"""Learner home: 이어서 하기, the lessons as big cards with how far this learner got, 설정."""

from __future__ import annotations

from typing import Any

from kiosk_app.kiosk import LessonCard
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.widgets.base import TextLabel
from kiosk_app.widgets.paged_grid import GridTile

CARD_MM = (85.0, 48.0)  # smallest card: a two-line title and a progress line
CARD_GROW = 1.8  # on a big screen with few cards, cards grow up to this much bigger


class LessonCardButton(GridTile):
    """A lesson's card: at least the grid's tile height; taller when a long title wraps."""


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
        self.ids.grid.show(self.kiosk.lesson_cards(), self._card, CARD_MM, CARD_GROW)
        self.say(f"{learner.name} 님, 안녕하세요. 배우고 싶은 수업을 눌러 주세요.")

    def _card(self, card: LessonCard) -> LessonCardButton:
        kind = "right" if card.state and card.state.mastered else "card"
        button = LessonCardButton(kind=kind)
        button.add_widget(TextLabel(text=card.lesson.title.get("ko"), role="title", kind=kind))
        button.add_widget(TextLabel(text=card.progress_text, kind=kind))
        button.bind(on_release=lambda w: self.open(card, resume=card.in_progress))
        return button

    def open(self, card: LessonCard, resume: bool) -> None:
        self.kiosk.start_lesson(card.lesson.id, resume=resume)
        self.app.go("lesson")

    def continue_lesson(self) -> None:
        if self.resume is not None:
            self.open(self.resume, resume=True)


load_kv(__file__)

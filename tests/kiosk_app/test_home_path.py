"""The learner's home follows the learning path (lessons/learning_path.py): 다음 수업 first
and biggest with its picture, 복습 beside it when one is due, the other lessons by track;
measured against the accessibility floors at 24″ and 10″, every text size, both themes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from kiosk_app.teaching.settings import TEXT_SIZES, LearnerSettings
from lessons.events import EventKind, ProgressEvent
from lessons.learning_path import REVIEW_AFTER
from tests.kiosk_app.measure import Measures
from tests.kiosk_app.test_screen_room import KIOSK_24, TABLET_10, on_screen
from tests.kiosk_app.test_window import sign_in

NAME = "정옥자"  # a learner the other window tests leave alone
DAY = 24 * 3600.0


def finished(learner_id: str, lesson_id: str, at: float, n: int) -> ProgressEvent:
    return ProgressEvent(
        id=f"home-path-{lesson_id}-{n}",
        kind=EventKind.LESSON_COMPLETED,
        session_id=f"home-path-{n}",
        learner_id=learner_id,
        lesson_id=lesson_id,
        lesson_version=1,
        at=at,
        detail={"mastered": True, "seconds": 600.0, "skipped": 0, "max_hint_level": 1},
    )


@contextmanager
def a_learner_with_history(kiosk: Any) -> Iterator[str]:
    """NAME mastered phone-basics two weeks ago (a review is due) and ran phone-call once
    yesterday; taken out again afterwards."""
    app = kiosk.app
    reader, now = app.kiosk.reader, app.kiosk.clock()
    (learner,) = [x for x in app.kiosk.roster() if x.name == NAME]
    ago = now - REVIEW_AFTER - 7 * DAY
    reader.record(
        [
            finished(learner.id, "phone-basics", ago, 1),
            finished(learner.id, "phone-basics", ago + DAY, 2),
            finished(learner.id, "phone-call", now - DAY, 3),
        ]
    )
    try:
        yield learner.id
    finally:
        reader.db.execute("DELETE FROM completions WHERE learner_id = ?", [learner.id])
        reader.db.execute("DELETE FROM outbox WHERE event_id LIKE 'home-path-%'")
        reader.db.conn.commit()
        reader.save_settings(learner.id, LearnerSettings())


def box(widget: Any) -> tuple[float, float, float, float]:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


@pytest.mark.parametrize("theme", ["normal", "high_contrast"])
@pytest.mark.parametrize("size", [KIOSK_24, TABLET_10], ids=["24in", "10in"])
def test_home_shows_the_next_lesson_first_and_biggest_and_a_review(
    kiosk: Any, size: Any, theme: str
) -> None:
    measures = Measures()
    with on_screen(kiosk, size, theme) as app, a_learner_with_history(kiosk) as learner_id:
        for text_size in range(len(TEXT_SIZES)):
            settings = LearnerSettings(text_size=text_size, high_contrast=theme != "normal")
            app.kiosk.reader.save_settings(learner_id, settings)
            sign_in(kiosk, NAME)
            kiosk.frames(3)
            ids = kiosk.screen.ids
            card, grid = ids.next_card, ids.grid
            # phone-basics is mastered (two days): the next basics lesson whose
            # prerequisites are mastered is phone-call, which needs its second day
            assert card.lesson_id == "phone-call" and not card.disabled
            assert ids.review.shown and ids.review.opacity == 1
            if size == KIOSK_24 or text_size == 0:  # a tablet's larger sizes: text first
                assert card.ids.picture.opacity == 1, "다음 수업 shows its picture"
            tiles = grid.tiles
            assert tiles and all(t.lesson_id not in ("phone-call", "phone-basics") for t in tiles)
            biggest = max(t.width * t.height for t in tiles)
            if size == KIOSK_24:  # a tablet's one card a page spans the grid's width
                assert card.width * card.height > biggest, "다음 수업 is the biggest card"
            assert card.kind == "primary"
            assert box(card)[3] > box(grid)[3], "다음 수업 comes first"
            assert "기초" in tiles[0].progress  # each card names its track
            where = f"home {size[2]:g}in {theme} size {text_size}"
            measures.check(where, kiosk.screen, app.px_mm)
            kiosk.screenshot(f"home-path-{size[2]:g}in-{theme}-{text_size}")
    assert not measures.problems, "\n".join(measures.problems)


def test_tapping_the_review_opens_the_lesson_at_its_first_practice(kiosk: Any) -> None:
    with on_screen(kiosk, KIOSK_24) as app, a_learner_with_history(kiosk):
        sign_in(kiosk, NAME)
        kiosk.frames(3)
        review = kiosk.screen.ids.review
        assert review.shown and review.opacity == 1
        kiosk.tap(review)
        kiosk.frames(2)
        run = app.kiosk.run
        assert kiosk.screen.name == "lesson" and run.session.lesson.id == "phone-basics"
        assert run.view.step.practice is not None

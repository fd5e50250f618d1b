"""The kiosk in a real (offscreen) Kivy window, driven by real touch events."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from kiosk_app.teaching.lesson_run import LessonRun
from lessons.session import LessonSession
from tests.kiosk_app.practice_driver import play_step, tap_element
from tests.lessons.conftest import wrong_element

LESSON = "phone-call"


def sign_in(kiosk: Any, name: str) -> None:
    kiosk.app.sign_out()
    kiosk.frames(2)
    kiosk.press_key("welcome.start")
    choose_learner(kiosk, name)
    assert kiosk.screen.name == "home"


def choose_learner(kiosk: Any, name: str) -> None:
    """Tap `name`'s tile on the who screen, turning its pages until it shows."""
    while True:
        tiles = [w for w in kiosk.screen.ids.grid.tiles if w.children[0].text == name]
        if tiles:
            kiosk.tap(tiles[0])
            return
        kiosk.tap(kiosk.screen.ids.next)


def open_lesson(kiosk: Any, lesson_id: str) -> None:
    """Tap the lesson's card: 다음 수업 at the top, or a card of the grid's pages."""
    if kiosk.screen.ids.next_card.lesson_id == lesson_id:
        kiosk.tap(kiosk.screen.ids.next_card)
        return
    while True:
        cards = [w for w in kiosk.screen.ids.grid.tiles if w.lesson_id == lesson_id]
        if cards:
            kiosk.tap(cards[0])
            return
        kiosk.tap(kiosk.screen.ids.next)


def walk_lesson(kiosk: Any, run: LessonRun, wrong_first: bool = True) -> None:
    """Finish the lesson by touch: a wrong tap first on each practice (the hint strip
    shows), then what the practice expects, on the drawn widgets (practice_driver)."""
    while kiosk.screen.name == "lesson":
        view = run.view
        step = view.step
        kiosk.clock.advance(4)
        if step.practice and not view.practice_done:
            if wrong_first and view.taps_done == 0 and view.hint_level == 0:
                tap_element(kiosk, wrong_element(run.session))
                assert kiosk.screen.ids.body.children  # the hint strip is shown
            play_step(kiosk, run)
        elif step.quiz and not view.quiz_correct:
            right = min(step.quiz.answers)
            wrong = next(c for c in range(1, 5) if c not in step.quiz.answers)
            for choice in (wrong, right):
                kiosk.tap(kiosk.button(f"{choice}.  {step.quiz.choices[choice - 1].ko}"))
        else:
            kiosk.press("다음")


def test_whole_lesson_by_touch_stores_every_progress_event(
    kiosk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    emitted: list[Any] = []
    take = LessonSession.take_events

    def recorded(session: LessonSession) -> list[Any]:  # every event handed over, in order
        events = take(session)
        emitted.extend(events)
        return events

    monkeypatch.setattr(LessonSession, "take_events", recorded)
    sign_in(kiosk, "이순자")
    open_lesson(kiosk, LESSON)
    run = kiosk.app.kiosk.run
    assert kiosk.screen.name == "lesson" and run.view.index == 0
    assert kiosk.screen.ids.progress.text.endswith("1 / 9 단계")
    walk_lesson(kiosk, run)
    assert kiosk.screen.name == "complete"
    kiosk.settle()
    learner = kiosk.app.kiosk.learner.id
    expected = [e for e in emitted if e.learner_id == learner]
    assert sum(e.kind.value == "practice_attempt" for e in expected) >= 2
    db = sqlite3.connect(kiosk.app.kiosk_config.store_path)
    rows = db.execute(
        "SELECT seq, event_id, kind, payload FROM outbox WHERE learner_id = ? ORDER BY seq",
        [learner],
    ).fetchall()
    assert [r[2] for r in rows] == [e.kind.value for e in expected]
    stored = [json.loads(r[3]) for r in rows]
    assert [(s["step_index"], _stable(s["detail"])) for s in stored] == [
        (e.step_index, _stable(e.detail)) for e in expected
    ]
    seqs = [r[0] for r in rows]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # gap-free
    assert len({r[1] for r in rows}) == len(rows)
    assert stored[-1]["kind"] == "lesson_completed"
    state = db.execute(
        "SELECT in_progress, finished FROM lesson_state WHERE learner_id = ? AND lesson_id = ?",
        [learner, LESSON],
    ).fetchone()
    assert state == (0, 1)
    kiosk.screenshot("flow-complete")


def _stable(detail: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in detail.items() if k != "seconds"}


def test_hint_ladder_highlights_then_demonstrates_the_target(kiosk: Any) -> None:
    sign_in(kiosk, "박말순")
    open_lesson(kiosk, LESSON)
    run = kiosk.app.kiosk.run
    kiosk.press("다음")
    kiosk.press("다음")
    assert run.view.step.practice is not None
    for level in (1, 2, 3):
        tap_element(kiosk, "messages")
        assert run.view.hint_level == level
        assert run.feedback_kind == "hint" and run.feedback
    kiosk.frames(20)
    practice = kiosk.screen.practice
    assert practice.element_widget("phone").glow > 0  # the target glows (animated)
    assert practice.pointer[2] > 0  # the pointer shows the tap
    kiosk.screenshot("hint-level-3")
    tap_element(kiosk, "phone")
    assert run.view.practice_done and run.feedback_kind == "right"


def test_help_records_an_event_and_says_help_is_coming(kiosk: Any) -> None:
    sign_in(kiosk, "최복례")
    open_lesson(kiosk, LESSON)
    kiosk.press("도와주세요")
    assert kiosk.screen.name == "help"
    assert "선생님" in kiosk.app.speaker.history[-1]
    kiosk.settle()
    kinds = [r.event.kind.value for r in kiosk.app.kiosk.reader.unsynced(10_000)]
    assert kinds[-1] == "help_requested"
    kiosk.press("수업으로 돌아가기")
    assert kiosk.screen.name == "lesson"


def test_idle_asks_then_signs_out_keeping_the_place(kiosk: Any) -> None:
    sign_in(kiosk, "정옥자")
    open_lesson(kiosk, LESSON)
    kiosk.press("다음")
    kiosk.press("다음")
    app = kiosk.app
    kiosk.clock.advance(app.kiosk_config.idle_seconds - 1)
    app.check_idle()
    assert kiosk.screen.name == "lesson"  # no time limit inside a lesson before 5 min
    kiosk.clock.advance(2)
    app.check_idle()
    assert kiosk.screen.name == "idle"
    assert "아직 계세요" in app.speaker.history[-1]
    kiosk.press("계속하기")
    assert kiosk.screen.name == "lesson"
    kiosk.clock.advance(app.kiosk_config.idle_seconds + 5)
    app.check_idle()
    assert kiosk.screen.name == "idle"
    assert "55초" in kiosk.screen.ids.left.text
    kiosk.clock.advance(app.kiosk_config.answer_seconds)
    app.check_idle()
    assert kiosk.screen.name == "welcome" and app.kiosk.learner is None
    kiosk.settle()
    sign_in(kiosk, "정옥자")
    card = app.kiosk.resume_card()
    assert card is not None and card.state.step_index == 2
    kiosk.press(f"이어서 하기: {card.lesson.title.ko}")
    assert app.kiosk.run.view.index == 2

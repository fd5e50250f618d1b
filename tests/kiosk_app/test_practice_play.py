"""Every practice step of every lesson, played by touch in the real kiosk window, on a
24-inch screen and a 10-inch tablet, in Korean and in English, at the default and the
largest text size: each input made on the drawn widgets (tests/kiosk_app/practice_driver.py),
each state it leads to drawn, and a screenshot of every distinct state written to
artifacts/practice/. A second test plays what the library does not use yet (typing on the
on-screen keyboard, a long press, a swipe, the back key) on screens of its own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest

from kiosk_app.look.device_frame import PHONE_WIDTH_MM
from kiosk_app.teaching.settings import TEXT_SIZES, LearnerSettings
from lessons import BUNDLED_LIBRARY
from lessons.model import Device, Lesson, Screen
from tests.kiosk_app.practice_driver import play_step, save_window, stage_of
from tests.kiosk_app.test_accessibility import SCREENS, Combo, use

SIZES = (0, len(TEXT_SIZES) - 1)  # 보통 and 아주 크게
# The whole matrix (2 screens × 2 languages × 2 sizes × 36 lessons) takes ~30 min of
# software drawing on 2 cores: `make test` plays every lesson once (24-inch, Korean, 보통),
# `make practice-matrix` (SARANGBANG_PRACTICE_MATRIX=full) plays all of it.
FULL = os.environ.get("SARANGBANG_PRACTICE_MATRIX") == "full"
# a screenshot of every distinct state (the gallery's, ~0.2 s each to read back from
# software GL): `make gallery` and the full matrix take them; `make test` only on a failure
SHOTS = FULL or os.environ.get("SARANGBANG_GALLERY") == "1"
MATRIX = [
    (screen, language)
    for screen in SCREENS
    for language in ("ko", "en")
    if FULL or (screen.startswith("24in") and language == "ko")
]
# every lesson of the library, by its file's name (its id: `lessons check` holds them equal)
LESSONS = sorted(path.stem for path in (BUNDLED_LIBRARY / "lessons").glob("*.yaml"))
# Lessons whose practice cannot yet be played through by touch here (a defect each, listed
# in the closing note; the list only shrinks: a lesson that plays must leave it).
KNOWN_UNPLAYABLE: dict[tuple[str, str], set[str]] = {
    # (emptied 2026-12-04: the five were a pop-up that left the header and the back key
    # disabled for the next screens, and a search field that grew past the device's edge)
}


@contextmanager
def signed_in(kiosk: Any, language: str) -> Iterator[Any]:
    app = kiosk.app
    kiosk.use_language(language)
    app.kiosk.sign_in(app.kiosk.roster()[-2].id)
    try:
        yield app
    finally:
        app.kiosk.save_settings(LearnerSettings())
        use(kiosk, Combo("24in-1920x1080", 0, "normal"))
        kiosk.use_language("ko")
        app.sign_out()


def play_lesson(
    kiosk: Any, lesson_id: str, name: str, seen: set[Any], failed: dict[str, str]
) -> list[float]:
    """Play every practice step of the lesson by touch; each step's phone magnification
    (its screen's width over a real phone's; 0 for a kiosk). A step that cannot be played
    by touch goes into `failed` (lesson id → why) and the lesson goes on."""
    app = kiosk.app
    run = app.kiosk.start_lesson(lesson_id, resume=False)
    app.go("lesson")
    played = []
    while not run.view.finished:
        if run.view.step.practice is not None:
            kiosk.frames(2)
            device = stage_of(kiosk).device

            def shot(device: Any = device) -> None:
                kiosk.frames(1)
                state = run.view.mock
                assert device._state.key() == state.key(), "the device is a state behind"
                if state.key() not in seen:  # each distinct state once per screen and language
                    seen.add(state.key())
                    if SHOTS:
                        save_window(kiosk, f"{name}-{lesson_id}-{run.view.index + 1}-{len(seen)}")

            try:
                play_step(kiosk, run, shot)
                shot()
            except AssertionError as exc:
                failed.setdefault(lesson_id, f"step {run.view.index + 1}: {str(exc)[:160]}")
                save_window(kiosk, f"{name}-{lesson_id}-{run.view.index + 1}-failed")
            phone = device.device == Device.PHONE.value
            width = device.screen_box[2] / (PHONE_WIDTH_MM * app.px_mm)
            played.append(width if phone else 0.0)
        run.next()
    return played


@pytest.mark.parametrize("lesson_id", LESSONS)
@pytest.mark.parametrize(("screen", "language"), MATRIX)
def test_every_practice_step_plays_by_touch(
    kiosk: Any, screen: str, language: str, lesson_id: str
) -> None:
    """One lesson's practice steps on one screen in one language (a test each, so the
    suite's workers share them)."""
    seen: set[Any] = set()
    magnification: dict[int, float] = {}
    failed: dict[str, str] = {}
    with signed_in(kiosk, language) as app:
        for size in SIZES if FULL else SIZES[:1]:
            app.kiosk.save_settings(LearnerSettings(text_size=size))
            use(kiosk, Combo(screen, size, "normal"))
            name = f"{screen}-{language}-{size}"
            played = play_lesson(kiosk, lesson_id, name, seen, failed)
            phones = [m for m in played if m]
            if phones:
                magnification[size] = round(min(phones), 2)
    print(f"\n{lesson_id} {screen} {language}: phone at {magnification} of life size")
    known = lesson_id in KNOWN_UNPLAYABLE.get((screen, language), set())
    if failed and known:
        pytest.xfail(f"known defect (KNOWN_UNPLAYABLE): {failed[lesson_id]}")
    assert not failed, f"cannot play {lesson_id} by touch: {failed[lesson_id]}"
    if known:  # listed from a run at two sizes: said, not failed on
        print(f"  {lesson_id} plays now at this size: remove it from KNOWN_UNPLAYABLE")
    least = 2.0 if screen.startswith("24in") else 1.5
    assert all(m >= least - 0.01 for m in magnification.values()), magnification


GESTURES_SCREENS = [
    {
        "id": "test-chat",
        "title": {"ko": "딸", "en": "Daughter"},
        "app": "kakaotalk",
        "columns": 2,
        "fields": {"chat": [{"by": "them", "ko": "점심 드셨어요?", "en": "Lunch?"}], "text": ""},
        "elements": [
            {"id": "back", "kind": "button", "label": "←", "area": "header", "on_tap": "back"},
            {"id": "chat", "kind": "chat", "label": "대화", "shows": "chat", "span": 2},
            *[
                {
                    "id": f"photo-{n}",
                    "kind": "photo",
                    "label": f"사진 {n}",
                    "on_hold": {"go": "menu"},
                }
                for n in range(1, 9)
            ],
            {
                "id": "box",
                "kind": "text_field",
                "label": {"ko": "메시지", "en": "Message"},
                "shows": "text",
                "area": "bottom",
            },
            {
                "id": "send",
                "kind": "button",
                "label": {"ko": "전송", "en": "Send"},
                "role": "accent",
                "area": "bottom",
                "on_tap": {"send": "text", "into": "chat"},
            },
        ],
    },
    {
        "id": "menu",
        "title": {"ko": "전달", "en": "Forward"},
        "app": "kakaotalk",
        "elements": [{"id": "copy", "kind": "list_row", "label": {"ko": "복사", "en": "Copy"}}],
    },
]
GESTURES_LESSON = {
    "id": "test-gestures",
    "version": 1,
    "title": {"ko": "손짓", "en": "Gestures"},
    "summary": {"ko": "손짓", "en": "Gestures"},
    "level": 1,
    "minutes": 5,
    "steps": [
        {
            "id": "all",
            "practice": {
                "screen": "test-chat",
                "instruction": {"ko": "해 보세요.", "en": "Try it."},
                "do": [
                    {"type": "네 고마워요", "into": "text"},
                    {"tap": "send"},
                    {"swipe": "up"},
                    {"hold": "photo-8"},
                    "back",
                ],
            },
        }
    ],
}


@pytest.mark.parametrize(
    ("screen", "language"), [("24in-1920x1080", "ko"), ("24in-1920x1080", "en")]
)
def test_typing_swiping_holding_and_back_by_touch(kiosk: Any, screen: str, language: str) -> None:
    library = kiosk.app.kiosk.library
    screens = [Screen.model_validate(s) for s in GESTURES_SCREENS]
    assert not {s.id for s in screens} & set(library.screens)
    library.screens.update({s.id: s for s in screens})
    library.lessons["test-gestures"] = Lesson.model_validate(GESTURES_LESSON)
    try:
        with signed_in(kiosk, language) as app:
            use(kiosk, Combo(screen, 0, "normal"))
            app.kiosk_config = replace(app.kiosk_config, keyboard="cheonjiin")
            seen: set[Any] = set()
            failed: dict[str, str] = {}
            name = f"gestures-{screen}-{language}"
            assert play_lesson(kiosk, "test-gestures", name, seen, failed)
            assert not failed, failed
            assert len(seen) >= 4  # typed, sent, held (another screen), back
    finally:
        for s in screens:
            del library.screens[s.id]
        del library.lessons["test-gestures"]

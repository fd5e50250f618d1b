"""On a 10-inch tablet a practice takes the whole height: the lesson's controls and
progress line are lent to the column beside the phone, work there by touch, and go back
to the side bar when the step is not a practice (docs/kiosk.md "On a tablet")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kiosk_app.device_frame import PHONE_LEAST, PHONE_WIDTH_MM
from kiosk_app.settings import LearnerSettings
from kiosk_app.ui_text import tr
from tests.kiosk_app.practice_driver import stage_of


@pytest.fixture
def tablet(kiosk: Any) -> Iterator[Any]:
    app = kiosk.app
    kiosk.use_screen(1280, 800, 10.1)
    app.kiosk.sign_in(app.kiosk.roster()[-1].id)
    app.kiosk.save_settings(LearnerSettings(text_size=2))  # 아주 크게
    app.apply_learner_settings()
    try:
        yield kiosk
    finally:
        app.kiosk.save_settings(LearnerSettings())
        app.sign_out()
        kiosk.use_screen(1920, 1080, 24.0)


def to_practice(kiosk: Any, run: Any) -> None:
    while run.view.step.practice is None:
        run.next()
    kiosk.frames(4)


def test_the_controls_are_lent_to_a_practice_and_given_back(tablet: Any) -> None:
    kiosk, app = tablet, tablet.app
    run = app.kiosk.start_lesson("phone-call", resume=False)
    app.go("lesson")
    lesson = kiosk.screen
    bar, head, home = lesson.ids.bar, lesson.ids.head, lesson.ids.bar.parent
    to_practice(kiosk, run)
    stage = stage_of(kiosk)
    assert bar.parent is stage and head.parent is stage and bar.pad
    px_mm = app.px_mm
    device = stage.device
    assert device.height / px_mm > 120  # the window's height, margins aside (136 mm)
    assert device.screen_box[2] / (PHONE_WIDTH_MM * px_mm) >= PHONE_LEAST - 0.01
    assert bar.right <= device.x  # the column beside the phone, never over it
    # at the kiosk's design size beside it, whatever the learner's text size
    assert all(abs(button.scale * app.text_scale - 1.0) < 0.01 for button in bar.buttons)

    # help and back, in the middle of the practice: still lent, still in place
    kiosk.tap(kiosk.button(tr("lesson.help", app.language)))
    kiosk.frames(3)
    app.go("lesson")
    kiosk.frames(4)
    assert bar.parent is stage and bar.pad

    # 다음, tapped where it is now, goes on; past the practices the bar is the side bar again
    index = run.view.index
    kiosk.tap(kiosk.button(tr("lesson.next", app.language)))
    kiosk.frames(4)
    assert run.view.index == index + 1
    while run.view.step.practice is not None:
        kiosk.tap(kiosk.button(tr("lesson.next", app.language)))
        kiosk.frames(4)
    assert bar.parent is home and head.parent is not stage and not bar.pad
    assert bar.width == app.bar_width
    assert all(button.scale == app.bar_scale for button in bar.buttons)
    assert bar.x > lesson.ids.body.right  # at the right edge, beside the step

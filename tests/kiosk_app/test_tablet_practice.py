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
from tests.kiosk_app.practice_driver import do_input, play_step, stage_of


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


@pytest.mark.parametrize(
    ("lesson_id", "area"),
    [("kakaotalk-message", "bottom"), ("bus-map", "header"), ("gov-certificate", "content")],
)
def test_typing_on_a_tablet_docks_the_keyboard_in_the_phone(
    tablet: Any, lesson_id: str, area: str
) -> None:
    """As on a real phone: the keyboard at the bottom of the phone's screen, the field typed
    into in view above it (in the app's bar, its input bar or its content), the controls
    still beside the phone; every key a target of the simulated device (≥ 16 mm)."""
    kiosk, app = tablet, tablet.app
    run = app.kiosk.start_lesson(lesson_id, resume=False)
    app.go("lesson")
    while run.view.step.practice is None or not any(
        i.type is not None for i in run.view.step.practice.inputs
    ):
        run.next()
    kiosk.frames(4)
    stage = stage_of(kiosk)
    for _ in range(6):  # what the practice asks before the typing (tap the field)
        if stage.keyboard is not None:
            break
        do_input(kiosk, run, run.session.practice_run().expected)
        kiosk.frames(3)
    keyboard, device, px_mm = stage.keyboard, stage.device, app.px_mm
    assert keyboard is not None and keyboard.docked and stage.compact
    x, y, w, h = device.screen_box
    assert keyboard.x >= x - 1 and keyboard.right <= x + w + 1 and keyboard.y >= y - 1
    assert device.keyboard_room == keyboard.height
    for key in keyboard.keys:
        assert key.width / px_mm >= 16.0 and key.height / px_mm >= 16.0, key.text
    field = device.element_widget(device.typing_field)
    assert field is not None, f"the field ({area}) is not shown over the keyboard"
    assert field.y >= keyboard.top - 1 and field.top <= y + h + 1
    assert stage.lent.bar.parent is stage and stage.lent.bar.right <= device.x

    play_step(kiosk, run)  # the rest by touch: the keys, then 전송 / 검색
    kiosk.frames(3)
    assert run.view.practice_done

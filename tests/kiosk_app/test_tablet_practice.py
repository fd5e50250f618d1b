"""On a 10-inch tablet a practice takes the whole height: the lesson's controls and
progress line are lent to the column beside the phone, work there by touch, and go back
to the side bar when the step is not a practice (docs/kiosk.md "On a tablet")."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from kiosk_app.look.device_frame import PHONE_LEAST, PHONE_WIDTH_MM
from kiosk_app.look.layout import BUTTON_GLYPH_FLOOR_MM, HANGUL_INK_RATIO, glyph_boost
from kiosk_app.look.ui_text import tr
from kiosk_app.teaching.settings import LearnerSettings
from kiosk_app.widgets.keyboard import is_letter_label
from lessons.keyboard import ENTER, LANGUAGE
from tests.kiosk_app.practice_driver import do_input, play_step, stage_of, tap_element
from tests.kiosk_app.test_keyboard_window import ink_side


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
    [
        ("kakaotalk-message", "bottom"),
        ("bus-map", "header"),
        ("gov-certificate", "content"),
        ("kakao-add-friend", "content"),  # its element (name-field) shows friend-name
    ],
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
    letters = []
    for key in keyboard.keys:
        assert key.width / px_mm >= 16.0 and key.height / px_mm >= 16.0, key.text
        key.texture_update()
        assert key.texture_size[0] <= key.width and key.texture_size[1] <= key.height, key.text
        if is_letter_label(key.text) and "ㆍ" not in key.text:
            # two jamo share a key's line at no less than the button labels' own font
            syllable = key.font_size / glyph_boost(key.text) * HANGUL_INK_RATIO / px_mm
            assert syllable >= BUTTON_GLYPH_FLOOR_MM, (key.text, syllable)
            letters.append(min(ink_side(ch, key.font_size) for ch in key.text) / px_mm)
    print(f"\n{lesson_id}: docked keys' smallest letter (ink's longer side) {min(letters):.1f} mm")
    field = device.element_widget(device.typing_field)
    assert field is not None, f"the field ({area}) is not shown over the keyboard"
    assert field.y >= keyboard.top - 1 and field.top <= y + h + 1
    assert stage.lent.bar.parent is stage and stage.lent.bar.right <= device.x

    # 완료 puts it away (the phone's whole screen again); a tap on the field brings it back
    kiosk.tap(keyboard.key_widget(ENTER))
    kiosk.frames(3)
    assert stage.open_keyboard is None and device.keyboard_room == 0 and keyboard.parent is None
    assert device.nav_box[3] > 0  # the navigation bar is back under the app
    tap_element(kiosk, device.typing_field)
    kiosk.frames(3)
    assert stage.open_keyboard is keyboard and keyboard.parent is stage

    play_step(kiosk, run)  # the rest by touch: the keys, then 전송 / 검색
    kiosk.frames(3)
    assert run.view.practice_done


@pytest.mark.parametrize(
    ("lesson_id", "layout"), [("kakaotalk-message", "qwerty"), ("public-wifi", "cheonjiin")]
)
def test_a_qwerty_keyboard_on_a_tablet_goes_edge_to_edge(
    tablet: Any, lesson_id: str, layout: str
) -> None:
    """Ten columns of 16 mm keys need the window's width (두벌식, 천지인's English page for
    a Wi-Fi password): the keyboard across the bottom, the phone standing on it with its
    field in view, 다음 and 도와주세요 beside it; 완료 gives the screen back."""
    kiosk, app = tablet, tablet.app
    config = app.kiosk_config
    app.kiosk_config = replace(config, keyboard=layout)
    try:
        run = app.kiosk.start_lesson(lesson_id, resume=False)
        app.go("lesson")
        stage = stage_of(kiosk)
        while True:  # to the typing of a password (public-wifi: 천지인's English page)
            while run.view.step.practice is None or not any(
                i.type is not None and i.type.isascii() == (lesson_id == "public-wifi")
                for i in run.view.step.practice.inputs
            ):
                run.next()
            kiosk.frames(4)
            for _ in range(6):
                if stage.open_keyboard is not None:
                    break
                do_input(kiosk, run, run.session.practice_run().expected)
                kiosk.frames(3)
            keyboard = stage.open_keyboard
            if keyboard is not None and keyboard.docked_width(app.px_mm) > 150 * app.px_mm:
                break
            if keyboard is not None:  # 천지인's Hangul page: to its English one (한/영)
                kiosk.tap(keyboard.key_widget(LANGUAGE))
                kiosk.frames(3)
                break
            run.next()
        keyboard, device, bar, px_mm = stage.open_keyboard, stage.device, stage.lent.bar, app.px_mm
        assert keyboard is not None and keyboard.docked and stage.compact
        assert abs(keyboard.width - stage.width) < 1 and abs(keyboard.y - stage.y) < 1
        for key in keyboard.keys:
            assert key.width / px_mm >= 16.0 and key.height / px_mm >= 16.0, key.text
        assert device.y >= keyboard.top - 1 and device.keyboard_room == 0 and device.typing_view
        field = device.element_widget(device.typing_field)
        assert field is not None and field.y >= keyboard.top - 1
        assert [b.kind for b in bar.buttons] == ["primary", "help"]
        assert bar.parent is stage and bar.y >= keyboard.top and bar.right <= device.x
        kiosk.tap(keyboard.key_widget(ENTER))
        kiosk.frames(4)
        assert stage.open_keyboard is None and len(bar.buttons) == 5 and device.nav_box[3] > 0
    finally:
        app.kiosk_config = config

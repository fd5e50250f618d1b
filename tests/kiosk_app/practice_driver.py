"""Play a practice by touch in the real kiosk window: what the practice expects next
(`lessons.autoplay` is the model), done on the drawn widgets: a tap on the element (its
content scrolled there with the big arrows first), typing on the on-screen keyboard or the
app's own keys, a long press held down, a swipe dragged across the device, the back key."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from kivy.tests.common import UnitTestTouch

from kiosk_app.look.gestures import LONG_PRESS_S
from lessons.keyboard import ENTER, keys_for
from lessons.mock_model import Input
from tests.kiosk_app.driver import png, visible, walk

ARTIFACTS = Path(__file__).parents[2] / "artifacts" / "practice"
SWIPE_MM = 40.0


def stage_of(kiosk: Any) -> Any:
    return kiosk.screen.ids.body.stage


def play_step(kiosk: Any, run: Any, shot: Any = None, limit: int = 80) -> int:
    """Do what the practice on screen expects until it is done; the inputs made."""
    made = 0
    while not run.view.practice_done:
        assert made < limit, f"the practice did not finish: {run.view}"
        if shot is not None:
            shot()
        practice = run.session.practice_run()
        expected = practice.expected
        if expected.type is not None and _reads_right(run, expected):
            expected = practice.practice.inputs[practice.position + 1]
        do_input(kiosk, run, expected)
        made += 1
    return made


def _reads_right(run: Any, expected: Input) -> bool:
    from lessons.typed_answer import typed_answer_matches

    value = run.view.mock.fields.get(expected.into)
    return isinstance(value, str) and typed_answer_matches(expected.type or "", value)


def do_input(kiosk: Any, run: Any, expected: Input) -> None:
    device = stage_of(kiosk).device
    if expected.type is not None:
        keyboard = stage_of(kiosk).keyboard
        if keyboard is not None:
            type_on(kiosk, keyboard, expected.type)
        else:  # the app's own keys (a dialer): the one that types the next letter
            tap_element(kiosk, run.view.target)
    elif expected.tap is not None:
        tap_element(kiosk, expected.tap)
    elif expected.hold is not None:
        hold(kiosk, show_element(kiosk, expected.hold))
    elif expected.swipe is not None:
        swipe(kiosk, device, expected.swipe.value)
    else:
        kiosk.tap(device.back_key)


def type_on(kiosk: Any, keyboard: Any, text: str) -> None:
    """Type `text` on the on-screen keyboard, key by key, by touch."""
    if keyboard.layout == "numbers":  # the number pad writes a phone number's hyphens itself
        text = text.replace("-", "")
    keys = keys_for(text, keyboard.layout)
    assert keys is not None, f"'{text}' cannot be typed on {keyboard.layout}"
    for key_id in keys:
        key = keyboard.key_widget(key_id)
        assert key is not None, f"no key {key_id} on the keyboard's page {keyboard.page}"
        kiosk.tap(key)


def show_element(kiosk: Any, element_id: str) -> Any:
    """The element's widget, scrolled into view with the big arrows (the keyboard put
    away with 완료 first where it docks over it, as on a phone)."""
    kiosk.frames(2)  # the screen as the last input left it (a keyboard that went down)
    stage = stage_of(kiosk)
    device = stage.device
    keyboard = stage.open_keyboard
    if device.element_widget(element_id) is None and keyboard is not None and keyboard.docked:
        kiosk.tap(keyboard.key_widget(ENTER))
    going_up = True  # to the top first, then down row by row until it shows
    for _ in range(24):
        widget = device.element_widget(element_id)
        if widget is not None:
            return widget
        if going_up and not device.first_row:
            going_up = False
        if not going_up and not device.more_below:
            break
        way = "▲" if going_up else "▼"
        arrows = [
            w for w in walk(stage.arrows) if getattr(w, "text", "").startswith(way) and visible(w)
        ]
        assert arrows, f"{element_id} is not shown and there is no {way} to scroll to it"
        kiosk.tap(arrows[0])
    raise AssertionError(f"no element {element_id} on the device")


def tap_element(kiosk: Any, element_id: str) -> None:
    """A tap on the element where it shows: the middle of its part on the device's screen
    and above any bar drawn over it (a row taller than the room runs on under the screen's
    edge and the bottom bar; a person taps what they see)."""
    widget = show_element(kiosk, element_id)
    kiosk.frames(2)  # laid out as the last input left it, before aiming
    assert visible(widget), f"{element_id} is not visible"
    device = stage_of(kiosk).device
    sx, sy, sw, sh = device.screen_box
    x0, x1 = max(widget.x, sx), min(widget.right, sx + sw)
    y0, y1 = max(widget.y, sy), min(widget.top, sy + sh)
    if widget.parent is device:  # the tallest stretch not under a bar drawn over it
        above = device.children[: device.children.index(widget)]
        covers = sorted(
            (max(o.y, y0), min(o.top, y1))
            for o in above
            if o.x < x1 and o.right > x0 and o.y < y1 and o.top > y0
        )
        gaps, low = [], y0
        for bottom, top in covers:
            gaps.append((low, bottom))
            low = max(low, top)
        gaps.append((low, y1))
        y0, y1 = max(gaps, key=lambda gap: gap[1] - gap[0])
    assert x0 < x1 and y0 < y1, f"{element_id} is not on the device's screen"
    kiosk.tap_at(*widget.to_window((x0 + x1) / 2, (y0 + y1) / 2))


def hold(kiosk: Any, widget: Any) -> None:
    """A long press: the finger held still until the device says it was one."""
    kiosk.frames(2)
    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    deadline = time.monotonic() + LONG_PRESS_S + 0.3
    while time.monotonic() < deadline:
        kiosk.frames(1)
        time.sleep(0.03)
    touch.touch_up()
    kiosk.frames(2)


def swipe(kiosk: Any, device: Any, direction: str) -> None:
    """Drag a finger across the device's screen the way `direction` says."""
    kiosk.frames(2)
    distance = SWIPE_MM * kiosk.app.px_mm
    dx, dy = {"up": (0, 1), "down": (0, -1), "left": (-1, 0), "right": (1, 0)}[direction]
    x, y = device.to_window(*device.center)
    x -= dx * distance / 2
    y -= dy * distance / 2
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    for step in range(1, 9):
        touch.touch_move(x + dx * distance * step / 8, y + dy * distance * step / 8)
        kiosk.frames(1)
    touch.touch_up()
    kiosk.frames(2)


def save_window(kiosk: Any, name: str) -> Path:
    """The window as drawn now, as artifacts/practice/{name}.png."""
    from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kiosk.window.dispatch("on_draw")
    width, height = (int(v) for v in kiosk.window.size)
    data = bytes(glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE))
    path = ARTIFACTS / f"{name}.png"
    path.write_bytes(png(width, height, data))
    return path

"""A practice laid out on a 10-inch tablet (compact: the lesson's progress line and controls
lent to its column, the phone's content scrolled with ▼ to reach its lower rows), left for
another screen, the window then made a 24-inch one, and the practice shown again: it is
laid out as on the 24-inch screen from the start. Layout state made for one window size
(here the content's scroll, which the tablet needed and the 24-inch screen does not) is
made again for the other, whichever screen was on show when the window changed size."""

from __future__ import annotations

from typing import Any

from kivy.base import EventLoop

from kiosk_app.widgets.base import BigButton
from tests.kiosk_app.driver import off_window
from tests.kiosk_app.practice_driver import stage_of
from tests.kiosk_app.test_window import sign_in

LESSON = "phone-call"  # its first practice: tap the Phone app on the phone's home screen


def to_practice(kiosk: Any) -> None:
    """The lesson player at the lesson's first practice step (the lesson from its start)."""
    app = kiosk.app
    run = app.kiosk.start_lesson(LESSON, resume=False)
    app.go("lesson")
    while run.view.step.practice is None:
        run.next()
    kiosk.frames(4)


def layout(kiosk: Any) -> dict[str, Any]:
    """What a practice's layout comes to: its parts' sizes, the rows the phone shows, the
    arrows beside it (and whether any is off the window)."""
    stage = stage_of(kiosk)
    screen = kiosk.screen
    arrows = [a for a in stage.arrows.children if isinstance(a, BigButton)]
    return {
        "compact": stage.compact,
        "controls at home": screen.ids.bar.parent is not stage,
        "stage": (round(stage.width), round(stage.height)),
        "instruction width": round(stage.instruction.width),
        "device": (round(stage.device.width), round(stage.device.height)),
        "first row": stage.device.first_row,
        "rows below": stage.device.more_below,
        "arrows": sorted(a.text for a in arrows if a.parent is stage.arrows),
        "arrows off the window": [a.text for a in arrows if off_window(a)],
    }


def test_a_practice_scrolled_on_a_tablet_is_laid_out_again_on_a_24_inch_screen(
    kiosk: Any,
) -> None:
    app = kiosk.app
    assert tuple(EventLoop.window.size) == (1920, 1080) and app.language == "ko"
    try:
        sign_in(kiosk, "김영희")
        to_practice(kiosk)
        wide = layout(kiosk)  # as the 24-inch screen lays the practice out
        assert not wide["compact"] and wide["controls at home"]
        assert wide["first row"] == 0 and not wide["arrows off the window"]

        kiosk.use_screen(1280, 800, 10.1)
        stage = stage_of(kiosk)
        assert stage.compact and stage.device.more_below  # the home screen's rows scroll
        kiosk.tap(stage.arrows.children[0])  # ▼: the lower rows, as a learner looks for one
        kiosk.frames(3)
        assert stage.device.first_row > 0

        app.go("home")  # the lesson is not on show while the window changes size
        kiosk.frames(2)
        kiosk.use_screen(1920, 1080, 24.0)
        app.go("lesson")  # the same step of the same run again
        kiosk.frames(4)
        assert layout(kiosk) == wide
    finally:
        app.sign_out()
        if tuple(EventLoop.window.size) != (1920, 1080):
            kiosk.use_screen(1920, 1080, 24.0)
        kiosk.frames(2)


def test_a_step_shown_again_starts_from_the_top_of_its_screen(kiosk: Any) -> None:
    """On the tablet, the phone's content scrolled with ▼, the learner steps back and on
    again: the step starts as its start state is, from the top (the scroll was kept into
    any step showing the same screen: a class could open already scrolled)."""
    app = kiosk.app
    try:
        sign_in(kiosk, "김영희")
        kiosk.use_screen(1280, 800, 10.1)
        to_practice(kiosk)
        stage = stage_of(kiosk)
        assert stage.compact and stage.device.more_below
        kiosk.tap(stage.arrows.children[0])  # ▼
        kiosk.frames(3)
        assert stage.device.first_row > 0
        run = app.kiosk.run
        run.back()
        kiosk.frames(2)
        run.next()
        kiosk.frames(4)
        assert stage_of(kiosk).device.first_row == 0
    finally:
        app.sign_out()
        kiosk.use_screen(1920, 1080, 24.0)
        kiosk.frames(2)

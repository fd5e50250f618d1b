"""The kiosk uses the room of the screen it is on, measured on the rendered window: big
learner tiles and a full simulated screen on a 24-inch kiosk, a page of eight learners and
three roster rows on a 10-inch tablet, and a name field whose edge can be seen."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest

from kiosk_app.look.contrast import contrast_ratio
from kiosk_app.storage.store import COLOURS, Learner
from kiosk_app.teaching.settings import LearnerSettings
from kiosk_app.widgets.mock_parts import MockElement
from tests.kiosk_app.driver import ink_height, walk
from tests.kiosk_app.measure import Measures
from tests.kiosk_app.test_window import sign_in

KIOSK_24 = (1920, 1080, 24.0)
TABLET_10 = (1280, 800, 10.1)
# enough learners for two pages even on the 24-inch kiosk (fifty a page there)
NAMES = [
    s + g for g in ("영희", "순자", "말순", "복례", "옥자", "춘자") for s in "김이박최정강조윤장임"
]


@contextmanager
def on_screen(kiosk: Any, size: tuple[int, int, float], theme: str = "normal") -> Iterator[Any]:
    """The kiosk on a `size` screen in `theme` (learners' settings too), then as it was."""
    width, height, inches = size
    app = kiosk.app
    kiosk.use_screen(width, height, inches)
    app.kiosk_config = replace(app.kiosk_config, theme=theme)
    learners = app.kiosk.roster()
    for learner in learners:
        app.kiosk.reader.save_settings(learner.id, LearnerSettings(high_contrast=theme != "normal"))
    app.sign_out()
    try:
        yield app
    finally:
        app.kiosk_config = replace(app.kiosk_config, theme="normal")
        for learner in learners:
            app.kiosk.reader.save_settings(learner.id, LearnerSettings())
        app.sign_out()
        kiosk.use_screen(1920, 1080, 24.0)


def box_mm(widget: Any, px_mm: float) -> tuple[float, float, float, float]:
    """A widget's window box in millimetres: left, bottom, right, top."""
    x, y = widget.to_window(widget.x, widget.y)
    return x / px_mm, y / px_mm, (x + widget.width) / px_mm, (y + widget.height) / px_mm


def test_who_tiles_grow_to_fill_a_24_inch_kiosk(kiosk: Any) -> None:
    with on_screen(kiosk, KIOSK_24) as app:
        kiosk.press("시작하기")
        kiosk.frames(3)
        grid = kiosk.screen.ids.grid
        tiles = grid.tiles
        assert len(tiles) == len(app.kiosk.roster()) == 8 and grid.label == ""
        sizes = [(t.width / app.px_mm, t.height / app.px_mm) for t in tiles]
        # was: 62 × 42 mm tiles, seven in a row and one below, in the top third
        assert min(w for w, h in sizes) >= 100 and min(h for w, h in sizes) >= 80
        left, bottom, right, top = box_mm(grid.grid, app.px_mm)
        g_left, g_bottom, g_right, g_top = box_mm(grid, app.px_mm)
        assert abs((left - g_left) - (g_right - right)) < 1  # centred
        assert (right - left) * (top - bottom) >= 0.7 * (g_right - g_left) * (g_top - g_bottom)
        names = [t.children[0] for t in tiles]
        assert min(ink_height(n) / app.px_mm for n in names) >= 15  # a title is 11 mm
        kiosk.screenshot("room-24in-who")


def test_who_shows_eight_learners_a_page_on_a_10_inch_tablet(kiosk: Any) -> None:
    with on_screen(kiosk, TABLET_10) as app:
        kiosk.press("시작하기")
        kiosk.frames(3)
        grid = kiosk.screen.ids.grid
        # was: two a page (four pages for eight learners)
        assert grid.pager.per_page >= 8 and len(grid.tiles) == 8 and grid.label == ""
        assert kiosk.screen.ids.next.opacity == 0
        for tile in grid.tiles:
            assert min(tile.width, tile.height) / app.px_mm >= 38
            name = tile.children[0]
            assert name.texture_size[1] < tile.height  # a name on one line, inside its tile


@pytest.mark.parametrize("theme", ["normal", "high_contrast"])
@pytest.mark.parametrize("size", [KIOSK_24, TABLET_10], ids=["24in", "10in"])
def test_who_pages_a_big_roster_with_arrows_that_meet_the_numbers(
    kiosk: Any, monkeypatch: pytest.MonkeyPatch, size: Any, theme: str
) -> None:
    big = [Learner(f"l{i}", name, COLOURS[i % len(COLOURS)]) for i, name in enumerate(NAMES)]
    with on_screen(kiosk, size, theme) as app:
        monkeypatch.setattr(app.kiosk, "roster", lambda include_hidden=False: big)
        kiosk.press("시작하기")
        kiosk.frames(3)
        grid, measures, seen = kiosk.screen.ids.grid, Measures(), []
        while True:
            measures.check(f"who page {grid.label}", kiosk.screen, app.px_mm)
            kiosk.screenshot(f"room-{size[2]:g}in-{theme}-who-{grid.pager.page + 1}")
            seen += [t.name for t in grid.tiles]
            if not grid.has_next:
                break
            kiosk.tap(kiosk.screen.ids.next)
        assert seen == NAMES and grid.pager.page_count >= 2
        assert not measures.problems, "\n".join(measures.problems)
        kiosk.tap(kiosk.screen.ids.previous)
        assert grid.pager.page == grid.pager.page_count - 2


@pytest.mark.parametrize("size", [KIOSK_24, TABLET_10], ids=["24in", "10in"])
def test_practice_screen_rows_fill_the_simulated_screen(kiosk: Any, size: Any) -> None:
    """The phone's home screen spreads its icons over the phone's screen where it has the
    room (24 inch); where it has not (10 inch), what is below scrolls, and the big arrows
    beside the phone are there to scroll it."""
    with on_screen(kiosk, size) as app:
        sign_in(kiosk, "윤정희")  # a learner no other test moves through this lesson
        app.kiosk.start_lesson("phone-call", resume=False)  # from step 1 whatever was left
        app.go("lesson")
        kiosk.press("다음")
        kiosk.press("다음")
        kiosk.frames(3)
        assert app.kiosk.run.view.step.practice.screen == "phone-home"
        practice = kiosk.screen.practice
        elements = [
            w
            for w in practice.children
            if isinstance(w, MockElement) and w is not practice.back_key
        ]
        assert elements
        _, under_bar, _, _ = box_mm(practice.status, app.px_mm)
        _, _, _, top = box_mm(practice.back_key, app.px_mm)
        lowest = min(box_mm(e, app.px_mm)[1] for e in elements)
        covered = (under_bar - lowest) / (under_bar - top)
        kiosk.screenshot(f"room-{size[2]:g}in-practice")
        # was at 24 inch: 4 rows of 18 mm in the 235 mm under the title, 39 % of it
        arrows = [w for w in walk(kiosk.screen) if getattr(w, "text", "").startswith("▼")]
        if size == KIOSK_24:  # the whole home screen at once, in big buttons
            assert covered >= 0.8, f"rows cover {covered:.0%} of the simulated screen"
            assert not arrows and min(e.height for e in elements) / app.px_mm >= 30
        else:  # what does not show scrolls, by a swipe or the arrows
            assert practice.more_below == 0 or arrows


def test_instructor_roster_shows_three_learners_a_page_on_a_10_inch_tablet(kiosk: Any) -> None:
    with on_screen(kiosk, TABLET_10) as app:
        open_instructor(kiosk, app)
        rows = [r for r in kiosk.screen.ids.rows.children if r.children]
        assert len(rows) == 3  # was 1: eight pages for the eight demo learners
        pages = -(-len(app.kiosk.roster(include_hidden=True)) // 3)
        assert kiosk.screen.ids.page.text == f"1 / {pages}"
        for _ in range(pages - 1):
            kiosk.press("▶")
        assert kiosk.screen.ids.page.text == f"{pages} / {pages}"
        assert kiosk.screen.ids.next.disabled and not kiosk.screen.ids.previous.disabled


@pytest.mark.parametrize("theme", ["high_contrast", "normal"])
@pytest.mark.parametrize("size", [KIOSK_24, TABLET_10], ids=["24in", "10in"])
def test_name_field_edge_is_drawn_at_7_to_1(kiosk: Any, size: Any, theme: str) -> None:
    """Read the pixels across the field's left edge: the border must stand out 7:1 from the
    screen outside and from the field's fill inside, and be at least 0.5 mm thick."""
    with on_screen(kiosk, size, theme) as app:
        open_instructor(kiosk, app)
        field = kiosk.screen.ids.name
        x, y = (int(v) for v in field.to_window(field.x, field.center_y))
        reach = int(app.gap)
        strip = kiosk.pixels(x - reach, y, 2 * reach)
        outside, inside = strip[0], strip[-1]
        border = max(strip, key=lambda c: _contrast(c, outside))
        assert _contrast(border, outside) >= 7.0 and _contrast(border, inside) >= 7.0
        thick = sum(1 for c in strip if c == border) / app.px_mm
        assert thick >= 0.5, f"border {thick:.2f} mm"
        kiosk.screenshot(f"room-{size[2]:g}in-{theme}-name-field")


def open_instructor(kiosk: Any, app: Any) -> None:
    kiosk.press("선생님")
    for digit in app.kiosk_config.instructor_pin:
        kiosk.press(digit)
    kiosk.press("확인")
    kiosk.frames(3)
    assert kiosk.screen.name == "instructor"


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    return contrast_ratio(
        (a[0] / 255, a[1] / 255, a[2] / 255), (b[0] / 255, b[1] / 255, b[2] / 255)
    )

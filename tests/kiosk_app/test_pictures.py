"""Lesson pictures are really drawn: on the home screen's cards and above a step's text, from
the library's PNGs (texture, size on screen, the pixels in the window), and only in the
room the text leaves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from kivy.core.image import Image as CoreImage

from kiosk_app.teaching.settings import TEXT_SIZES, LearnerSettings
from kiosk_app.widgets.step_body import STEP_PICTURE_MM
from lessons.png import png_size
from tests.kiosk_app.driver import labels, visible
from tests.kiosk_app.test_accessibility import SCREENS
from tests.kiosk_app.test_window import open_lesson, sign_in

PLATE_SPOT = (0.08, 0.5)  # inside a picture's plate, beside its emoji: one flat colour


@contextmanager
def on_screen(kiosk: Any, name: str) -> Iterator[None]:
    width, height, inches = SCREENS[name]
    kiosk.use_screen(width, height, inches)
    try:
        yield
    finally:
        kiosk.app.sign_out()
        kiosk.use_screen(1920, 1080, 24.0)


@contextmanager
def text_size(kiosk: Any, name: str, size: int) -> Iterator[None]:
    """`name`'s text size setting (0–2) while inside, then back to the default."""
    reader = kiosk.app.kiosk.reader
    (learner,) = [learner for learner in kiosk.app.kiosk.roster() if learner.name == name]
    reader.save_settings(learner.id, LearnerSettings(text_size=size))
    try:
        yield
    finally:
        reader.save_settings(learner.id, LearnerSettings())


def go_to_step(kiosk: Any, lesson_id: str, step_id: str) -> Any:
    """Open the lesson at `step_id` (from its first step); the step body."""
    open_lesson(kiosk, lesson_id)
    run = kiosk.app.kiosk.run
    while run.view.index > 0:
        kiosk.press("이전")
    while run.view.step.id != step_id:
        kiosk.press("다음")
    kiosk.frames(3)
    return kiosk.screen.ids.body


def window_box(widget: Any) -> tuple[float, float, float, float]:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


def drawn_pixel(kiosk: Any, picture: Any, spot: tuple[float, float]) -> list[float]:
    """The window's colour at `spot` (fractions across and up) of the drawn image."""
    path = kiosk.screenshot("pictures-probe")
    shot = CoreImage(str(path), keep_data=True, nocache=True)
    path.unlink()  # not one of the screens to look at
    width, height = picture.norm_image_size
    x = picture.center_x - width / 2 + width * spot[0]
    y = picture.center_y - height / 2 + height * spot[1]
    wx, wy = picture.to_window(x, y)
    return [round(c, 2) for c in shot.read_pixel(wx, shot.height - 1 - wy)]


def file_pixel(path: str, spot: tuple[float, float]) -> list[float]:
    image = CoreImage(path, keep_data=True, nocache=True)
    x, y = image.width * spot[0], image.height * (1 - spot[1])  # rows run top down
    return [round(c, 2) for c in image.read_pixel(x, y)]


def assert_drawn(picture: Any, side: float) -> None:
    """A loaded library PNG shown `side` pixels square, visible."""
    path = Path(picture.source)
    assert picture.texture is not None, f"{path.name} did not load"
    assert tuple(picture.texture.size) == png_size(path) == (256, 256)
    assert tuple(picture.norm_image_size) == pytest.approx((side, side), abs=1)
    assert visible(picture) and picture.opacity == 1


def test_every_lesson_card_draws_its_lessons_picture_above_its_title(kiosk: Any) -> None:
    sign_in(kiosk, "김영희")
    kiosk.frames(3)
    library, px_mm = kiosk.app.kiosk.library, kiosk.app.px_mm
    cards = kiosk.screen.ids.grid.tiles
    # 24″: a full page of cards (다음 수업 above them; 36 lessons page with ▶)
    grid = kiosk.screen.ids.grid
    assert len(cards) == min(grid.pager.per_page, len(library.lessons) - 1) >= 5
    for card in cards:
        picture, title = card.ids.picture, card.ids.title
        assert picture.source == str(library.picture(library.lessons[card.lesson_id].picture))
        assert_drawn(picture, card.picture_side)
        assert card.picture_side >= 25 * px_mm
        left, bottom, right, top = window_box(card)
        p_left, p_bottom, p_right, p_top = window_box(picture)
        assert left < p_left and p_right < right and bottom < p_bottom and p_top < top
        assert p_bottom > window_box(title)[3], "the picture sits above the title"
    first = cards[0].ids.picture
    assert drawn_pixel(kiosk, first, PLATE_SPOT) == file_pixel(first.source, PLATE_SPOT)


def test_a_one_column_card_draws_its_picture_beside_the_title(kiosk: Any) -> None:
    with on_screen(kiosk, "10in-1280x800"):
        sign_in(kiosk, "김영희")
        kiosk.frames(3)
        (card,) = kiosk.screen.ids.grid.tiles
        picture = card.ids.picture
        assert card.wide
        assert_drawn(picture, card.picture_side)
        assert window_box(picture)[2] < window_box(card.ids.title)[0]
        assert drawn_pixel(kiosk, picture, PLATE_SPOT) == file_pixel(picture.source, PLATE_SPOT)


# on a 10″ tablet a card's picture fits beside its title since titles are drawn at the
# button size (a card's title is its button's label); it was left out at the title size.
# Which lessons the grid offers depends on the learner's progress (earlier tests in the
# same kiosk move it on), and a long title may still take the picture's room: each card
# either draws its picture at a size in bounds or has given way wholly; on 24″ some card
# draws. (On 10″ one card shows at this size; after other tests it can be a lesson whose
# title takes the whole card: seen in full runs, not yet pinned down to a lesson.)
@pytest.mark.parametrize("screen", ["24in-1920x1080", "10in-1280x800"])
def test_at_the_largest_text_cards_keep_to_their_tiles_and_the_picture_gives_way(
    kiosk: Any, screen: str
) -> None:
    """The picture is sized from the tile the grid gives a card: at the largest text it
    shrinks, or is left out where the title leaves no room for it, and the card stays its
    tile's size, inside the grid's box, its title inside the card."""
    largest = len(TEXT_SIZES) - 1
    with on_screen(kiosk, screen), text_size(kiosk, "김영희", largest):
        sign_in(kiosk, "김영희")
        kiosk.frames(3)
        grid, px_mm = kiosk.screen.ids.grid, kiosk.app.px_mm
        g_left, g_bottom, g_right, g_top = window_box(grid)
        most = 45 * TEXT_SIZES[largest][0] * px_mm + 1e-6  # float rounding
        for card in grid.tiles:
            assert card.height == pytest.approx(card.tile_height)
            left, bottom, right, top = window_box(card)
            assert g_left - 1 < left and right < g_right + 1  # a pixel for rounding
            assert g_bottom - 1 < bottom and top < g_top + 1
            t_left, t_bottom, t_right, t_top = window_box(card.ids.title)
            assert left < t_left and t_right < right and bottom < t_bottom and t_top < top
            if card.picture_side:
                assert 25 * px_mm <= card.picture_side <= most, card.ids.title.text
                assert_drawn(card.ids.picture, card.picture_side)
            else:  # given way: no picture drawn, the title has the card's width
                assert card.wide and card.ids.picture.opacity == 0, card.ids.title.text
        if screen.startswith("24in"):  # room enough there whatever the titles
            assert any(card.picture_side for card in grid.tiles), "no card drew its picture"


def test_a_narration_step_draws_its_own_picture_above_its_text(kiosk: Any) -> None:
    sign_in(kiosk, "김영희")
    body = go_to_step(kiosk, "bus-map", "at-the-stop")
    picture = body.picture
    assert picture in body.children and Path(picture.source).name == "bus-stop.png"
    assert 0 < picture.height <= STEP_PICTURE_MM * kiosk.app.px_mm + 1
    assert_drawn(picture, picture.height)
    texts = [label for label in labels(body)]
    assert texts and all(window_box(picture)[1] > window_box(t)[3] for t in texts)
    assert drawn_pixel(kiosk, picture, PLATE_SPOT) == file_pixel(picture.source, PLATE_SPOT)


def test_narration_without_a_picture_of_its_own_shows_the_lessons(kiosk: Any) -> None:
    sign_in(kiosk, "김영희")
    body = go_to_step(kiosk, "bus-map", "welcome")
    assert body.picture in body.children and Path(body.picture.source).name == "bus.png"
    assert_drawn(body.picture, body.picture.height)


def test_a_practice_step_draws_no_picture(kiosk: Any) -> None:
    sign_in(kiosk, "김영희")
    body = go_to_step(kiosk, "bus-map", "open-map")
    assert body.picture.parent is None and body.stage in body.children


@pytest.mark.parametrize(("screen", "drawn"), [("24in-1920x1080", True), ("10in-1280x800", False)])
def test_a_quiz_picture_takes_only_the_room_its_text_leaves(
    kiosk: Any, screen: str, drawn: bool
) -> None:
    with on_screen(kiosk, screen):
        sign_in(kiosk, "김영희")
        body = go_to_step(kiosk, "bus-map", "quiz-arrival-time")
        assert (body.picture in body.children) is drawn
        if drawn:
            assert_drawn(body.picture, body.picture.height)
        top = window_box(body)[3]
        assert all(window_box(label)[3] <= top + 1 for label in labels(body))

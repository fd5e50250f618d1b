from hypothesis import given
from hypothesis import strategies as st

from kiosk_app.look.device_frame import (
    COLUMN_LEAST_MM,
    COMPACT_COLUMN_LEAST_MM,
    PHONE_LEAST,
    PHONE_ROOMY,
    compact_stage,
    is_compact,
    least_width,
    stage,
)
from kiosk_app.widgets.device_bars import header_widths
from lessons.model import Device

TABLET_PX_MM = 5.88  # 10.1-inch 1280×800
KIOSK_PX_MM = 3.61  # 24-inch 1920×1080


def test_phone_is_1_5_times_life_on_a_tablet_and_2_times_on_a_24_inch_screen() -> None:
    tablet = stage(150 * TABLET_PX_MM, 800, TABLET_PX_MM, 30, Device.PHONE)
    assert tablet.magnification(TABLET_PX_MM) >= PHONE_LEAST - 1e-6
    kiosk = stage(420 * KIOSK_PX_MM, 1080, KIOSK_PX_MM, 18, Device.PHONE)
    assert kiosk.magnification(KIOSK_PX_MM) >= PHONE_ROOMY - 1e-6
    assert kiosk.column / KIOSK_PX_MM >= COLUMN_LEAST_MM


def test_phone_keeps_its_width_where_the_column_is_short() -> None:
    """A wide side bar (English, 아주 크게) takes the column's room, not the phone's: the
    instruction goes across the top instead."""
    narrow = stage(112 * TABLET_PX_MM, 800, TABLET_PX_MM, 30, Device.PHONE)
    assert narrow.stacked and narrow.magnification(TABLET_PX_MM) >= PHONE_LEAST - 1e-6


def test_keyboard_takes_its_width_beside_the_phone_while_typing() -> None:
    keyboard = 90 * TABLET_PX_MM
    typing = stage(141 * TABLET_PX_MM, 800, TABLET_PX_MM, 30, Device.PHONE, keyboard)
    assert typing.stacked and typing.side == keyboard
    assert typing.device + typing.gap + typing.side <= 141 * TABLET_PX_MM + 1e-6


@given(st.floats(200, 3000), st.floats(300, 2200), st.floats(2, 8), st.sampled_from(list(Device)))
def test_the_parts_never_overlap(width: float, height: float, px_mm: float, device: Device) -> None:
    found = stage(width, height, px_mm, 10, device)
    assert found.column >= 0 and found.device > 0
    if not found.stacked:
        assert abs(found.column + found.gap + found.device - width) < 1e-6
    else:
        assert found.device <= width + 1e-6 and found.side >= 0


def test_a_header_with_a_search_field_stays_inside_the_device() -> None:
    """The store's header at a large text size: ← (80 px), the title, a field that grew
    with what was typed (600 px), the magnifier (80 px), in 700 px of room."""
    widths, title = header_widths([80.0, 600.0, 80.0], [1], 200.0, 700.0, 60.0)
    assert sum(widths) + title <= 700.0 + 1e-6
    assert widths[0] == widths[2] == 80.0  # the buttons keep their width
    assert widths[1] >= 60.0 and title >= 0.3 * 700.0 - 1e-6


def test_a_header_too_wide_for_the_device_is_drawn_narrower_alike() -> None:
    widths, title = header_widths([300.0, 300.0], [], 100.0, 500.0, 60.0)
    assert abs(sum(widths) + title - 500.0) < 1e-6
    assert widths[0] == widths[1]


def test_a_roomy_header_gives_the_title_the_rest() -> None:
    widths, title = header_widths([80.0], [], 100.0, 700.0, 60.0)
    assert widths == [80.0] and title == 620.0


def test_a_tablet_gives_the_practice_its_whole_height_and_a_24_inch_screen_does_not() -> None:
    assert is_compact(800, TABLET_PX_MM)  # 136 mm tall
    assert not is_compact(1080, KIOSK_PX_MM)  # 299 mm


@given(
    width=st.floats(180, 400),
    words=st.floats(0, 300),
    device=st.sampled_from(list(Device)),
)
def test_a_full_height_device_keeps_1_5_times_life_and_leaves_the_column(
    width: float, words: float, device: Device
) -> None:
    """On a tablet the device is at least 1.5x life; it grows towards its words only
    while the column keeps its least width; device, gap and column add up."""
    room = width * TABLET_PX_MM
    found = compact_stage(room, 800, TABLET_PX_MM, 30, device, words * TABLET_PX_MM)
    assert found.magnification(TABLET_PX_MM) >= PHONE_LEAST - 1e-6 or found.device == room
    assert abs(found.column + found.gap + found.device - room) < 1e-6 or not found.column
    least = least_width(800, TABLET_PX_MM, device)
    if found.device > least + 1e-6:  # grown: never into the column's least width
        assert found.column >= COMPACT_COLUMN_LEAST_MM * TABLET_PX_MM - 1e-6

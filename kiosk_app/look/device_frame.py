"""How big a practice's simulated device is drawn, and where: pure arithmetic in pixels
(tests/kiosk_app/test_device_frame.py).

A practice is a magnifier, not a photo: the phone is drawn wider than life (issue 12: at
least 1.5 times a real phone's width on a 10-inch tablet, 2 times on a 24-inch screen) so
that its real targets become big, and beside the step's instruction (a landscape screen
has width to spare and no height). The phone keeps its least width whatever the language
and text size: where room is short, the instruction's column gives way, never the phone
(a phone squeezed to a quarter of life size teaches nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from lessons.model import Device

PHONE_WIDTH_MM = 71.0  # a 6.5-inch 20:9 phone's screen (Galaxy A class), the common size
# the least magnification of a phone's width: on a short screen (a 10-inch tablet) and on a
# tall one (a 24-inch kiosk, from ROOMY_HEIGHT_MM up)
PHONE_LEAST = 1.5
PHONE_ROOMY = 2.0
PHONE_MOST = 2.4  # wider than this, a phone stops reading as a phone
ROOMY_HEIGHT_MM = 250.0
# a kiosk is big in real life: it takes this share of the step's width (a portrait kiosk)
# or nearly all of it beside a narrow instruction (a landscape one)
KIOSK_SHARE = {Device.KIOSK: 0.58, Device.KIOSK_WIDE: 0.66}
COLUMN_LEAST_MM = 48.0  # the instruction's column: a few words a line at 7 mm
# A window shorter than this (a 10-inch tablet, 136 mm) gives a practice its whole height:
# a whole dialer at 1.5x needs ~121 mm of rows, so nothing can sit above the device; the
# lesson's controls and progress line go into the column beside it (`compact_stage`).
COMPACT_WINDOW_MM = 170.0
# the column beside a full-height device: the controls in three rows (이전 다시 듣기 /
# 다음 도와주세요 / 처음으로 ▲ ▼ at 보통 in Korean: 89 mm) and the instruction's lines
COMPACT_COLUMN_LEAST_MM = 90.0
BEZEL_MM = 2.5  # the device's body around its screen


@dataclass(frozen=True)
class Stage:
    """Where a practice's parts go across the step's room (pixels). Beside: the
    instruction's column (`column` wide, the keyboard in it) then the device (its outer
    width, bezel included). Stacked, where the column would be too narrow to read (a
    10-inch tablet): the instruction across the top, and under it the device with `side`
    px beside it for the big arrows or the keyboard."""

    column: float
    device: float
    gap: float
    stacked: bool = False
    side: float = 0.0

    def magnification(self, px_mm: float) -> float:
        """The device's screen width over a real phone's."""
        screen = self.device - 2 * BEZEL_MM * px_mm
        return screen / (PHONE_WIDTH_MM * px_mm)


def phone_least(height_mm: float) -> float:
    """The least magnification of a phone on a window `height_mm` tall."""
    return PHONE_ROOMY if height_mm >= ROOMY_HEIGHT_MM else PHONE_LEAST


def least_width(window_height: float, px_mm: float, device: Device) -> float:
    """The narrowest the device is drawn (px, bezel included)."""
    bezel = 2 * BEZEL_MM * px_mm
    if device is Device.PHONE:
        return phone_least(window_height / px_mm) * PHONE_WIDTH_MM * px_mm + bezel
    return PHONE_LEAST * PHONE_WIDTH_MM * px_mm + bezel


def stage(
    width: float,
    window_height: float,
    px_mm: float,
    gap: float,
    device: Device,
    keyboard: float = 0.0,
    words: float = 0.0,
) -> Stage:
    """Split `width` px between the instruction and the device; `keyboard`: the least
    width of the on-screen keyboard while typing is asked for (0: none); `words`: the
    device width at which every label's longest word fits its cell at the floors' size
    (English app names): the device grows towards it, past PHONE_MOST, as far as the
    column's least width allows."""
    least = least_width(window_height, px_mm, device)
    column_least = max(COLUMN_LEAST_MM * px_mm, keyboard)
    if device is Device.PHONE:
        most = PHONE_MOST * PHONE_WIDTH_MM * px_mm + 2 * BEZEL_MM * px_mm
        wanted = min(most, max(least, width * 0.5))
    else:
        wanted = max(least, width * KIOSK_SHARE[device])
    room = width - gap - column_least
    wanted = max(wanted, min(words, room))
    if room >= least:
        size = min(wanted, room)
        return Stage(column=width - gap - size, device=size, gap=gap)
    if keyboard:  # the keyboard beside the device: the device gives way (typing only)
        size = max(width - gap - keyboard, 1.0)
        return Stage(column=width, device=size, gap=gap, stacked=True, side=keyboard)
    size = min(max(least, words), width)
    return Stage(
        column=width, device=size, gap=gap, stacked=True, side=max(0.0, width - gap - size)
    )


def is_compact(window_height: float, px_mm: float) -> bool:
    """Whether a practice on this window takes its whole height (a 10-inch tablet)."""
    return window_height < COMPACT_WINDOW_MM * px_mm


def compact_stage(
    width: float, window_height: float, px_mm: float, gap: float, device: Device, words: float = 0.0
) -> Stage:
    """On a short window: the device at the whole height on the right, at its least width
    (growing towards `words` while the column keeps COMPACT_COLUMN_LEAST_MM), and the
    column on the left with everything else."""
    least = least_width(window_height, px_mm, device)
    room = width - gap - COMPACT_COLUMN_LEAST_MM * px_mm
    size = min(max(least, min(words, room)), width)
    return Stage(column=max(0.0, width - gap - size), device=size, gap=gap)

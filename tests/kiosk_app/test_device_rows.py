"""The simulated device's rows: how many fit a room (pure arithmetic of device_rows)."""

from __future__ import annotations

from kiosk_app.widgets.device_rows import fitting


def test_rows_fit_whole_or_not_at_all() -> None:
    assert fitting([10, 10, 10], room=31.9, gap=1) == 2
    assert fitting([10, 10, 10], room=32.0, gap=1) == 3
    assert fitting([10, 10, 10], room=21, gap=1) == 2
    assert fitting([10, 10, 10], room=20.9, gap=1) == 1


def test_a_row_taller_than_the_room_fits_none() -> None:
    assert fitting([50, 10], room=40, gap=2) == 0
    assert fitting([], room=40, gap=2) == 0

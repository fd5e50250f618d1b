"""The rows of a simulated device's screen (`MockDevice.arrange`): the tabs' row, the
screen's grid of elements (its `columns` and `span`s), the content that scrolls by whole
rows, the bottom bar, a pop-up over the screen. Functions of the device, as
`device_bars` draws its bars."""

from __future__ import annotations

from typing import Any

from kiosk_app.widgets import mock_parts
from lessons.model import Element, ElementKind

ROW_GROW = 1.8  # the most a content row grows where the device has room to spare
Rows = list[list[tuple[Any, float]]]


def row_of(device: Any, elements: list[Element], x: float, top: float, w: float) -> float:
    """`elements` side by side in one row of equal cells (the tabs) from `top`."""
    if not elements:
        return top
    gap = device.gap_px
    width = (w - gap * (len(elements) + 1)) / len(elements)
    widgets = [device.shown[e.id] for e in elements]
    height = max(device.target_px, *(device.height_of(wd, width) for wd in widgets))
    for index, widget in enumerate(widgets):
        widget.size = (width, height)
        widget.pos = (x + gap + index * (width + gap), top - height)
        device.add_widget(widget)
    return top - height - gap


def grid(device: Any, elements: list[Element], columns: int, w: float) -> Rows:
    """The elements in the screen's rows, each with its width (its span of the cells)."""
    gap = device.gap_px
    cell = (w - gap * (columns + 1)) / columns
    rows: Rows = [[]]
    used = 0
    for element in elements:
        full = element.kind in mock_parts.ROWS and element.kind is not ElementKind.TEXT_FIELD
        span = columns if full or element.kind is ElementKind.CHAT else min(element.span, columns)
        if used + span > columns:
            rows.append([])
            used = 0
        widget = device.shown[element.id]
        widget.switch_room = device.target_px * 1.3 if element.kind is ElementKind.TOGGLE else 0
        rows[-1].append((widget, cell * span + gap * (span - 1)))
        used += span
    return [row for row in rows if row]


def place_rows(device: Any, rows: Rows, x: float, top: float, grow: float = 1.0) -> float:
    """Place `rows` from `top` down (each `grow` times its height); where they end."""
    gap = device.gap_px
    for row in rows:
        height = max(device.target_px, *(device.height_of(wd, width) for wd, width in row))
        height *= grow
        cursor = x + gap
        for widget, width in row:
            widget.size = (width, height)
            mock_parts.give_way(widget, height, device.scale)  # its picture whole
            widget.pos = (cursor, top - height)
            cursor += width + gap
            device.add_widget(widget)
            if isinstance(widget, mock_parts.ChatView):
                mock_parts.place_chat(widget, device.scale)
        top -= height + gap
    return top


def bottom_rows(
    device: Any, elements: list[Element], columns: int, x: float, bottom: float, w: float
) -> float:
    """The bottom bar's rows, up from `bottom`; where they end."""
    if not elements:
        return bottom
    rows = grid(device, elements, columns, w)
    heights = _heights(device, rows)
    total = sum(heights) + device.gap_px * len(rows)
    place_rows(device, rows, x, bottom + total)
    return bottom + total


def content(
    device: Any,
    elements: list[Element],
    columns: int,
    x: float,
    bottom: float,
    top: float,
    w: float,
) -> None:
    """The content between the bars: the rows that fit from `first_row` (from the field
    typed into, over a docked keyboard), grown where all fit with room to spare."""
    rows = grid(device, elements, columns, w)
    heights = _heights(device, rows)
    gap = device.gap_px
    room = top - bottom - 1.5 * gap  # a whole gap clear of the bar below
    device.overflow = max(0.0, sum(heights) + gap * max(0, len(heights) - 1) - room)
    first = 0 if device.popup_open else scrolled_to(device, heights, room, gap)
    docked = device.typing_view
    focus = row_of_field(device, rows) if docked else None
    if focus is not None and not first <= focus < first + fitting(heights[first:], room, gap):
        first = focus  # the field typed into stays in view
    used, shown = 0.0, list[int]()
    for index in range(first, len(rows)):
        extra = heights[index] + (gap if shown else 0)
        alone = index == focus or not docked or shows_chat(device, rows[index], room)
        if used + extra > room and (shown or not alone):
            # a row shows whole or not at all; one taller than the whole room still
            # shows (its element stays reachable), but over a keyboard only the field's
            # own row or a chat (which shows its last bubbles in whatever room it has)
            break
        used += extra
        shown.append(index)
    if not device.popup_open:  # else the pop-up's rows are what scrolls (`popup`)
        device.first_row, device.rows_shown = first, len(shown)
        device.more_below = len(rows) - (shown[-1] + 1 if shown else 0)
    # where the whole content shows with room to spare (a 24-inch screen), its rows
    # grow to fill it, as a phone's home screen spreads its icons
    grow = 1.0
    if shown and not device.more_below and not first and used < room:
        grow = min(ROW_GROW, room / used)
    place_rows(device, [rows[i] for i in shown], x, top - gap * 0.5, grow)
    if shown and used > room:
        _squeeze(device, rows[shown[0]], top - gap * 0.5, room)


def _heights(device: Any, rows: Rows) -> list[float]:
    """Each row's height: its tallest element's, at least a target."""
    return [max(device.target_px, *(device.height_of(wd, wi) for wd, wi in row)) for row in rows]


def _squeeze(device: Any, row: list[tuple[Any, float]], top: float, room: float) -> None:
    """One row taller than the room (a photo with its name on a tablet; a chat over the
    keyboard) drawn into it: a chat as tall as the room, showing its last bubbles; a
    picture giving way to its words; words never cut."""
    needs = [device.height_of(widget, width) for widget, width in row]
    words = [
        0.0 if isinstance(w, mock_parts.ChatView) else n - mock_parts.picture_px(w, device.scale)
        for (w, _), n in zip(row, needs, strict=True)
    ]
    height = max(device.target_px, room, *words)
    for (widget, _width), needed in zip(row, needs, strict=True):
        widget.height = height
        widget.top = top
        mock_parts.give_way(widget, needed, device.scale)
        if isinstance(widget, mock_parts.ChatView):
            mock_parts.place_chat(widget, device.scale)


def row_of_field(device: Any, rows: Rows) -> int | None:
    """The content row holding the field being typed into, if it is there."""
    field = device.shown.get(device.typing_field)
    return next((i for i, row in enumerate(rows) if any(w is field for w, _ in row)), None)


def popup(
    device: Any, elements: list[Element], columns: int, x: float, y: float, w: float, h: float
) -> None:
    """A pop-up's card over the dimmed screen, centred; what it covers is hidden, the rest
    dimmed and untouchable. Taller than the screen, it scrolls by rows from `first_row`."""
    device.dim = 0.55 if elements else 0.0
    if not elements:
        return
    covered = [
        c
        for c in device.children
        if isinstance(c, (mock_parts.MockElement, mock_parts.MockLabel, mock_parts.ChatView))
        and c is not device.back_key
    ]
    inner = w - 2 * device.gap_px
    rows = grid(device, elements, columns, inner)
    heights = _heights(device, rows)
    # taller than the screen (an options pop-up on a tablet): it scrolls by whole rows,
    # as the content does, from `first_row`
    room = h - 2 * device.gap_px
    first = scrolled_to(device, heights, room, device.gap_px)
    focus = row_of_field(device, rows) if device.typing_view else None
    if focus is not None and not first <= focus < first + fitting(
        heights[first:], room, device.gap_px
    ):
        first = focus  # the field typed into stays in view (a password over the keyboard)
    count = max(1, fitting(heights[first:], room, device.gap_px))
    device.first_row, device.rows_shown = first, count
    device.more_below = len(rows) - first - count
    rows, heights = rows[first : first + count], heights[first : first + count]
    total = sum(heights) + device.gap_px * (len(rows) + 1)
    top = y + h / 2 + total / 2
    for widget in covered:
        widget.disabled = True  # behind a dialog: seen dimmed, never tapped
        if widget.y < top and widget.top > top - total:
            widget.opacity = 0
    device.popup_box = [x + device.gap_px * 0.5, top - total, w - device.gap_px, total]
    device.scrim.size, device.scrim.pos = (w, h), (x, y)
    device.add_widget(device.scrim)
    place_rows(device, rows, x + device.gap_px, top - device.gap_px)


def scrolled_to(device: Any, heights: list[float], room: float, gap: float) -> int:
    """The first row to show of rows `heights` tall in `room`: where the content was
    scrolled to (`first_row`), or the top where every row fits. A scroll is made for the
    room it was made in: one made on a short window (a tablet's phone, whose lower rows the
    learner scrolled to) is not kept on a taller one where the whole content shows (a
    24-inch screen, the window resized while another screen was on show): it would hide
    the top rows and keep the ▲ ▼ beside a content that does not scroll."""
    if fitting(heights, room, gap) == len(heights):
        return 0
    return int(min(device.first_row, max(0, len(heights) - 1)))


def fitting(heights: list[float], room: float, gap: float) -> int:
    """How many of the rows (`heights`, from the first shown) fit `room` whole."""
    used = 0.0
    for count, height in enumerate(heights):
        used += height + (gap if count else 0)
        if used > room:
            return count
    return len(heights)


def shows_chat(device: Any, row: list[tuple[Any, float]], room: float) -> bool:
    """A chat that can show a bubble or two in `room` (over a docked keyboard)."""
    chat = any(isinstance(w, mock_parts.ChatView) for w, _ in row)
    return chat and room >= device.target_px

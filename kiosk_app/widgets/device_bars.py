"""The bars of a simulated device and its hints, drawn for `MockDevice` (mock_device.py):
the phone's status bar (the time; on a short phone the title and the app's header buttons
join its line), its navigation bar with the back key, the app's header, and the hint's
glow (level 2) and pointer (level 3)."""

from __future__ import annotations

from typing import Any

from kivy.animation import Animation

from kiosk_app.look.label_width import text_width, widest_word
from kiosk_app.look.layout import glyph_boost
from kiosk_app.widgets import mock_parts
from lessons.model import Element, ElementKind

STATUS_TIME = "10:30"


def status(device: Any, x: float, top: float, w: float, header: list[Element]) -> float:
    """The status bar (the time, the battery) from `top`; on a short device (`compact`)
    the app's header (`header`) shares its line. Where the header has an element that
    takes the line's width (a search box, 「내 위치 → 서울역」), it takes the time's and the
    battery's place too: what the learner uses comes before what only looks real."""
    label, gap = device.status, device.gap_px
    stretch = [
        i for i, e in enumerate(header) if e.kind in (ElementKind.TEXT_FIELD, ElementKind.LABEL)
    ]
    mock_parts.sized(label, w * 0.6, device.scale)
    drawn = _header_drawn(device, header)
    clock = not (device.compact and (stretch or _title_squeezed(device, drawn, w, bool(header))))
    device.battery = 1 if clock else 0
    height = label.height + gap * 0.3 if clock else 0.0
    if header:  # the app's own header buttons (a back arrow) join the line
        height = max(height, device.target_px + gap * 0.3)
    cursor = x + gap
    if clock:
        label.pos = (x + gap, top - height + gap * 0.15)
        device.add_widget(label)
    if device.compact and clock:  # the time as wide as it is, the title beside it
        label.width = text_width(STATUS_TIME, label.font_size, bold=False) + 2
        label.sized_for = None
        cursor = label.right + gap
    if device.compact:
        # the header's elements as in its own bar (`header_widths`): buttons as wide as
        # their labels, what stretches taking the rest and standing for the title, as a
        # search screen shows its box where other screens show their name
        title = device.title
        title.kind = "mock.bar"
        battery = gap * 3 if clock else 0.0
        room = x + w - cursor - gap * len(header) - battery
        widths, title_width = header_widths(
            drawn,
            stretch,
            _drawn(title) + gap if not stretch else 0.0,
            room,
            device.target_px,
            title_least=0.0 if stretch else 0.3,
        )
        heights = [
            max(device.target_px, device.height_of(device.shown[e.id], wd))
            for e, wd in zip(header, widths, strict=True)
        ]
        if not stretch:  # the title as tall as its lines (an English title may take two)
            mock_parts.sized(title, max(1.0, title_width), device.scale)
            heights.append(title.height)
        height = max([height, *(h + gap * 0.3 for h in heights)])
        for element, width, tall in zip(header, widths, heights, strict=False):
            widget = device.shown[element.id]
            widget.size = (width, tall)
            widget.pos = (cursor, top - height + (height - tall) / 2)
            device.add_widget(widget)
            cursor = widget.right + gap
        if not stretch:
            title.pos = (cursor, top - height + (height - title.height) / 2)
            device.add_widget(title)
        if clock:
            label.y = top - height + (height - label.height) / 2
    device.status_box = [x, top - height, w, height]
    return top - height


def nav(device: Any, x: float, bottom: float, w: float) -> float:
    key = device.back_key
    width = max(device.target_px * 1.6, w / 3 - device.gap_px)
    height = max(device.target_px, device.height_of(key, width))
    key.size = (width, height)
    pad = device.gap_px * (0.15 if device.compact else 0.5)
    key.pos = (x + device.gap_px, bottom + pad)
    device.add_widget(key)
    full = height + 2 * pad
    device.nav_box = [x, bottom, device.screen_box[2], full]
    return bottom + full


def header(
    device: Any, elements: list[Element], x: float, top: float, w: float, kiosk: bool
) -> float:
    gap = device.gap_px
    device.header_box = [0, 0, 0, 0]
    if device.compact and not kiosk:
        return top - gap * 0.5  # the title (and header buttons) on the status bar's line
    widths = _header_drawn(device, elements)
    label = device.title
    label.kind = "primary" if kiosk else "role.text"
    device.header_rgba = list(label.bg)
    fields = [i for i, e in enumerate(elements) if e.kind is ElementKind.TEXT_FIELD]
    word = widest_word(label.text, label.font_size / glyph_boost(label.text), label.bold)
    least = [device.target_px if i in fields else wd for i, wd in enumerate(widths)]
    if label.text and elements and sum(least) + word + gap * (len(widths) + 3) > w:
        return _header_in_two_rows(device, elements, widths, fields, x, top, w)
    widths, title_width = header_widths(
        widths, fields, _drawn(label) + gap, w - gap * (len(widths) + 2), device.target_px
    )
    mock_parts.sized(label, title_width, device.scale)
    heights = [
        device.height_of(device.shown[e.id], wd) for e, wd in zip(elements, widths, strict=True)
    ]
    height = max([label.height + gap, device.target_px, *heights])
    cursor = x + gap
    back_first = bool(elements) and elements[0].label.get("ko") in ("←", "<", "‹", "◁")
    parts: list[tuple[Any, float]] = [
        (device.shown[e.id], wd) for e, wd in zip(elements, widths, strict=True)
    ]
    title = (label, label.width)
    order = [*parts[:1], title, *parts[1:]] if back_first else [title, *parts]
    for widget, width in order:
        widget.size = (width, label.height if widget is label else height)
        widget.pos = (cursor, top - height - gap * 0.5 + (height - widget.height) / 2)
        cursor += width + gap
        device.add_widget(widget)
    device.header_box = [x, top - height - gap, w, height + gap]
    return top - height - gap


def _header_in_two_rows(
    device: Any,
    elements: list[Element],
    widths: list[float],
    fields: list[int],
    x: float,
    top: float,
    w: float,
) -> float:
    """The header where its buttons would leave the title less than its longest word
    (English on a tablet: 「Outpatient reception」 beside two buttons): the title across
    the top, the buttons in a row under it in their order, each as wide as its label (a
    search field taking what they leave; all narrower alike where they are too wide)."""
    gap = device.gap_px
    label = device.title
    mock_parts.sized(label, w - 2 * gap, device.scale)
    room = w - gap * (len(widths) + 1)
    widths, _ = header_widths(widths, fields, 0.0, room, device.target_px, 0.0)
    heights = [
        device.height_of(device.shown[e.id], wd) for e, wd in zip(elements, widths, strict=True)
    ]
    row = max([device.target_px, *heights])
    label.pos = (x + gap, top - gap * 0.5 - label.height)
    device.add_widget(label)
    cursor, y = x + gap, label.y - gap - row
    for element, width in zip(elements, widths, strict=True):
        widget = device.shown[element.id]
        widget.size, widget.pos = (width, row), (cursor, y)
        device.add_widget(widget)
        cursor += width + gap
    device.header_box = [x, y - gap * 0.5, w, top - y + gap * 0.5]
    return y - gap * 0.5


def _title_squeezed(device: Any, drawn: list[float], w: float, header: bool) -> bool:
    """Whether, beside the time, the battery and the header's elements (`drawn`), the
    title would have too little room on one line of `w` px: less than it takes drawn whole
    where the header has elements (they crowd the line), less than its longest word
    (English on a tablet: 「Directions」), or less than half of it (two lines at most:
    「Who are you sending to?」)."""
    title = device.title
    gap = device.gap_px
    time = text_width(STATUS_TIME, device.status.font_size, bold=False)
    room = w - time - sum(drawn) - gap * (len(drawn) + 5)
    font = title.font_size / glyph_boost(title.text)
    whole = _drawn(title)
    crowded = header and whole + gap > room
    return crowded or widest_word(title.text, font, title.bold) > room or whole > 2 * room


def _header_drawn(device: Any, elements: list[Element]) -> list[float]:
    """Each header element's width as drawn whole: its label and a gap each side (an icon:
    a square), never less than a target."""
    widths = []
    for element in elements:
        shown = device.shown[element.id]
        drawn = 0.0 if element.icon_only else _drawn(shown.title) + 2 * device.gap_px
        widths.append(max(device.target_px, drawn))
    return widths


def header_widths(
    widths: list[float],
    fields: list[int],
    title: float,
    room: float,
    least: float,
    title_least: float = 0.3,
) -> tuple[list[float], float]:
    """The header's elements' widths and the title's, all within `room` px: buttons as
    wide as their labels, a search field (`fields`: their indexes) taking what the title
    leaves, the title at least `title_least` of the room; where even so they are too wide
    (a large text size), all drawn narrower alike, so nothing reaches past the device's
    edge."""
    widths = list(widths)
    fixed = sum(width for i, width in enumerate(widths) if i not in fields)
    if fields:
        title = max(room * title_least, min(title, room - fixed - least * len(fields)))
        each = max(least, (room - fixed - title) / len(fields))
        for i in fields:
            widths[i] = each
    else:
        title = max(room - fixed, room * title_least)
    total = sum(widths) + title
    if total > room:
        shrink = room / total
        widths, title = [width * shrink for width in widths], title * shrink
    return widths, title


def _drawn(label: Any) -> float:
    return text_width(label.text, label.font_size / glyph_boost(label.text), label.bold)


def animate(device: Any) -> None:
    """Start the glow on the hinted element and the pointer on the demonstrated one."""
    target = device.element_widget(device.highlight or "")
    if target is not None:
        glow = Animation(glow=1.0, d=0.6) + Animation(glow=0.25, d=0.6)
        glow.repeat = True
        glow.start(target)
    shown = device.element_widget(device.demonstrate or "")
    if shown is not None:
        cx, cy = shown.center
        radius = min(shown.height, shown.width) * 0.35
        device.pointer = [device.right, device.y, radius]
        move = Animation(pointer=[cx, cy, radius], d=0.8, t="out_quad")
        press = Animation(pointer=[cx, cy, radius * 0.6], d=0.3) + Animation(
            pointer=[cx, cy, radius], d=0.3
        )
        press.repeat = True
        (move + press).start(device)


def stop_animations(device: Any) -> None:
    """End the glow and the pointer (a new state is laid out)."""
    Animation.cancel_all(device, "pointer")
    device.pointer = [0, 0, 0]
    for widget in [device.back_key, *device.shown.values()]:
        Animation.cancel_all(widget, "glow")
        widget.glow = 0.0

"""The bars of a simulated device and its hints, drawn for `MockDevice` (mock_device.py):
the phone's status bar (the time; on a short phone the title and the app's header buttons
join its line), its navigation bar with the back key, the app's header, and the hint's
glow (level 2) and pointer (level 3)."""

from __future__ import annotations

from typing import Any

from kivy.animation import Animation

from kiosk_app.label_width import text_width
from kiosk_app.layout import glyph_boost
from kiosk_app.widgets import mock_parts
from lessons.model import Element, ElementKind

STATUS_TIME = "10:30"


def status(device: Any, x: float, top: float, w: float, header: list[Element]) -> float:
    label = device.status
    mock_parts.sized(label, w * 0.6, device.scale)
    height = label.height + device.gap_px * 0.3
    if header:  # the app's own header buttons (a back arrow) join the line
        height = max(height, device.target_px + device.gap_px * 0.3)
    device.status_box = [x, top - height, w, height]
    label.pos = (x + device.gap_px, top - height + device.gap_px * 0.15)
    device.add_widget(label)
    if device.compact:  # the title beside the time
        label.width = text_width(STATUS_TIME, label.font_size, bold=False) + 2
        label.sized_for = None
        title = device.title
        title.kind = "mock.bar"
        cursor = label.right + device.gap_px
        for element in header:
            widget = device.shown[element.id]
            widget.size = (device.target_px * 1.2, device.target_px)
            device.height_of(widget, widget.width)
            widget.pos = (cursor, top - height + (height - widget.height) / 2)
            device.add_widget(widget)
            cursor = widget.right + device.gap_px
        room = x + w - cursor - device.gap_px * 3
        mock_parts.sized(title, room, device.scale)
        title.pos = (cursor, top - height + (height - title.height) / 2)
        device.add_widget(title)
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
    widths = []
    for element in elements:
        shown = device.shown[element.id]
        drawn = 0.0 if element.icon_only else _drawn(shown.title) + 2 * gap  # an icon: a square
        widths.append(max(device.target_px, drawn))
    label = device.title
    label.kind = "primary" if kiosk else "role.text"
    device.header_rgba = list(label.bg)
    fields = [i for i, e in enumerate(elements) if e.kind is ElementKind.TEXT_FIELD]
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


def header_widths(
    widths: list[float], fields: list[int], title: float, room: float, least: float
) -> tuple[list[float], float]:
    """The header's elements' widths and the title's, all within `room` px: buttons as
    wide as their labels, a search field (`fields`: their indexes) taking what the title
    leaves, the title at least 30% of the room; where even so they are too wide (a large
    text size), all drawn narrower alike, so nothing reaches past the device's edge."""
    widths = list(widths)
    fixed = sum(width for i, width in enumerate(widths) if i not in fields)
    if fields:
        title = max(room * 0.3, min(title, room - fixed - least * len(fields)))
        each = max(least, (room - fixed - title) / len(fields))
        for i in fields:
            widths[i] = each
    else:
        title = max(room - fixed, room * 0.3)
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

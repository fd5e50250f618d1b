"""A practice's simulated device, drawn from the mock's state (`lessons.mock_engine`): a
portrait phone (status bar, the app's header, tabs, content, bottom bar, the navigation
bar with its back key, a pop-up as a dialog over the screen) or a kiosk (its header,
category tabs, menu cards, the cart bar with the pay button).

The content keeps the screen's own grid (`columns`, `span`) in every language and text
size, so that a hint such as 「맨 아래 왼쪽」 stays true: text wraps inside its cell. Where
the content is taller than the device, it scrolls by whole rows (a swipe, or the big
arrows beside it): a row is shown whole or not at all, never cut by an edge.

A state change redraws only what changed: each screen's widgets are built once per
device and kept; a tap that types a digit re-measures the one label whose text changed.
The device takes the touches itself (`GestureArea`): a tap, a long press, a swipe and a
swipe in from the edge (back) are told to the step (`on_tap`, `on_hold`, `on_swipe`,
`on_back`), which passes them to the lesson session."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk_app.device_frame import BEZEL_MM
from kiosk_app.label_width import widest_word
from kiosk_app.layout import glyph_boost
from kiosk_app.theme import NORMAL, rgba
from kiosk_app.widgets import device_bars, mock_parts
from kiosk_app.widgets.base import TextLabel
from kiosk_app.widgets.device_bars import STATUS_TIME
from kiosk_app.widgets.gesture_area import GestureArea
from lessons import Language
from lessons.mock_engine import Mock, MockState
from lessons.model import Area, Device, Element, ElementKind, Screen
from lessons.practice_run import BACK_KEY

PICTURES = Path(__file__).parents[2] / "lessons" / "library" / "pictures"
# inside the device: targets and gaps just over the floors (16 mm, 4 mm), so that rounding
# to pixels never takes one below; the whole of a dialer needs every millimetre on a tablet
TARGET_MM = 16.5
GAP_MM = 4.3

ROW_GROW = 1.8  # the most a content row grows where the device has room to spare
COMPACT_MM = 170.0  # a device screen shorter than this draws its bars compact


class MockDevice(GestureArea):
    device = StringProperty("phone")  # lessons.model.Device
    screen_box = ListProperty([0, 0, 0, 0])  # the device's screen (inside the bezel)
    status_box = ListProperty([0, 0, 0, 0])
    nav_box = ListProperty([0, 0, 0, 0])
    dim = NumericProperty(0.0)  # a pop-up is open: the screen behind it is dimmed
    pointer = ListProperty([0, 0, 0])  # x, y, radius of the level-3 pointer (0: hidden)
    scale = NumericProperty(1.0)  # the texts' size as a share of their roles' sizes
    first_row = NumericProperty(0)  # the content's first row shown (it scrolls by rows)
    more_below = NumericProperty(0)  # rows of content below the last one shown
    # px the content needs beyond the device's room at the scale drawn (0: it all shows)
    overflow = NumericProperty(0.0)
    popup_box = ListProperty([0, 0, 0, 0])
    bezel_rgba = ListProperty([0.1, 0.1, 0.1, 1])
    bar_rgba = ListProperty([0.95, 0.95, 0.95, 1])
    header_box = ListProperty([0, 0, 0, 0])  # the app's header bar, in its title's pair
    header_rgba = ListProperty([1, 1, 1, 1])
    # px at the bottom of the screen the on-screen keyboard takes, docked in the device as
    # on a real phone (a tablet; 0: no keyboard here), and the field it types into
    keyboard_room = NumericProperty(0.0)
    typing_field = StringProperty("")
    battery = NumericProperty(1)  # the status bar draws its battery (device_bars.status)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.language: Language = "ko"
        self.on_tap: Callable[[str], None] = lambda element_id: None
        self.on_hold: Callable[[str], None] = lambda element_id: None
        self.on_swipe: Callable[[str], None] = lambda direction: None
        self.on_back: Callable[[], None] = lambda: None
        self.highlight: str | None = None
        self.demonstrate: str | None = None
        self._mock: Mock | None = None
        self._state: MockState | None = None
        self._built: dict[tuple[str, Language], dict[str, Any]] = {}
        self.shown: dict[str, Any] = {}  # element id: widget, on the screen shown
        # id(widget): the width, scale and font it was measured at, and its height then
        self._heights: dict[int, tuple[float, float, float, float]] = {}
        self._where: dict[Any, tuple[float, float]] = {}
        self._down: tuple[float, float] = (0.0, 0.0)
        self.status = TextLabel(text=STATUS_TIME, kind="mock.bar", role="body", halign="left")
        self.title = TextLabel(kind="role.text", role="body", halign="left")
        self.back_key = mock_parts.MockElement(element_id=BACK_KEY, kind="mock.bar")
        self.back_key.title = TextLabel(text="◁", kind="mock.bar", role="button")
        self.back_key.detail = self.back_key.picture = None
        self.back_key.add_widget(self.back_key.title)
        self.scrim = Scrim()
        self._rows_shown = 0
        self._popup_open = False  # a pop-up is open: the rows that scroll are the pop-up's
        self._animate_soon = Clock.create_trigger(lambda dt: device_bars.animate(self), 0)
        self._arrange = Clock.create_trigger(lambda dt: self.arrange(), -1)
        self.bind(size=self._arrange, pos=self._arrange, keyboard_room=self._arrange)
        self.repaint()

    def repaint(self) -> None:
        """The theme's colours for the device's body and bars (the app calls it)."""
        app = App.get_running_app()
        theme = app.theme if app is not None else NORMAL
        self.bezel_rgba = list(rgba(theme.pair("mock.bezel").bg))
        self.bar_rgba = list(rgba(theme.pair("mock.bar").bg))

    # ---- what the step calls --------------------------------------------------------------

    def show(
        self,
        state: MockState,
        screens: Mapping[str, Screen],
        language: Language,
        highlight: str | None = None,
        demonstrate: str | None = None,
    ) -> None:
        """Draw `state`; only what changed since the last state is measured again."""
        if self._mock is None or self._mock.screens is not screens:
            self._mock, self._built = Mock(screens), {}
        popup = any(e.area is Area.POPUP for e in self._mock.visible(state))
        if self._state is None or state.screen != self._state.screen or popup != self._popup_open:
            self.first_row = 0  # a new screen, or a pop-up opened or closed: from its top
        self._popup_open = popup
        self._state, self.language = state, language
        self.highlight, self.demonstrate = highlight, demonstrate
        screen = self._mock.screen(state)
        self.device = screen.frame.value
        built = self._widgets(screen, language)
        self.shown = {}
        for element in self._mock.visible(state):
            widget = built[element.id]
            if mock_parts.show(widget, element, state, language):
                self._heights.pop(id(widget), None)
            self.shown[element.id] = widget
        self.title.text = screen.title.get(language)
        self.arrange()

    def element_widget(self, element_id: str) -> Any:
        """The element's widget, if it is on the screen and not scrolled away."""
        widget = self.back_key if element_id == BACK_KEY else self.shown.get(element_id)
        if widget is None or widget.parent is not self or widget.opacity == 0:
            return None
        return widget

    def scroll(self, rows: int) -> bool:
        """Scroll the content by `rows` (down the list for > 0); whether it moved."""
        before = self.first_row
        self.first_row = max(0, min(self.first_row + rows, self.first_row + self.more_below))
        if self.first_row != before:
            self.arrange()
        return self.first_row != before

    def words_width(self, scale: float) -> float:
        """The device's outer width (px) at which the longest word of every element shown
        fits its cell with its text at `scale` (its grid kept: the cells grow instead)."""
        app = App.get_running_app()
        screen = self.screen
        if screen is None:
            return 0.0
        px_mm = app.px_mm
        gap, pad = math.ceil(GAP_MM * px_mm), 2 * mock_parts.PADDING * app.gap
        cells = []
        for element in self._mock.visible(self._state) if self._mock and self._state else []:
            widget = self.shown.get(element.id)
            if widget is None or element.area.value == "header":
                continue
            span = screen.columns if element.kind in mock_parts.ROWS else element.span
            span = min(span, screen.columns)
            for label in (getattr(widget, "title", None), getattr(widget, "detail", None)):
                if label is None or not label.text:
                    continue
                font = label.font_size / (label.scale or 1.0) * scale / glyph_boost(label.text)
                word = widest_word(label.text, font, label.bold) / 0.96 + pad
                word += getattr(widget, "switch_room", 0)
                cells.append((word - gap * (span - 1)) / span)
        if not cells:
            return 0.0
        columns = screen.columns
        return max(cells) * columns + gap * (columns + 1) + 2 * BEZEL_MM * px_mm

    @property
    def screen(self) -> Screen | None:
        if self._mock is None or self._state is None:
            return None
        return self._mock.screens.get(self._state.screen)  # None: its library changed

    # ---- touches ----------------------------------------------------------------------------

    def on_touch_down(self, touch: Any) -> bool:
        if self.collide_point(*touch.pos):
            self._where[touch.uid] = self._down = (touch.x, touch.y)
        return super().on_touch_down(touch)

    def on_touch_up(self, touch: Any) -> bool:
        self._down = self._where.pop(touch.uid, self._down)
        return super().on_touch_up(touch)

    def on_gesture(self, gesture: Any) -> None:
        if gesture.kind in ("tap", "long_press"):
            widget = self._widget_at(*self._down)
            if widget is None:
                return
            if widget is self.back_key:
                self.on_back()
            elif gesture.kind == "tap":
                self.on_tap(widget.element_id)
            else:
                self.on_hold(widget.element_id)
        elif gesture.kind == "back" and self.device == Device.PHONE.value:
            self.on_back()
        elif gesture.kind == "swipe" and gesture.direction is not None:
            if gesture.direction in ("up", "down"):
                self.scroll(self._page() if gesture.direction == "up" else -self._page())
            self.on_swipe(gesture.direction)

    def _widget_at(self, x: float, y: float) -> Any:
        for widget in [self.back_key, *self.shown.values()]:
            if (
                isinstance(widget, mock_parts.MockElement)
                and widget.parent is self
                and widget.opacity
                and not widget.disabled
                and widget.collide_point(x, y)
            ):
                return widget
        return None

    def _page(self) -> int:
        return max(1, self._rows_shown - 1)

    # ---- building and measuring -------------------------------------------------------------

    def _widgets(self, screen: Screen, language: Language) -> dict[str, Any]:
        key = (screen.id, language)
        if key not in self._built:
            self._built[key] = {
                e.id: mock_parts.make(e, language, self.scale, PICTURES) for e in screen.elements
            }
        return self._built[key]

    def height_of(self, widget: Any, width: float) -> float:
        font = App.get_running_app().button_font  # follows the screen and the text size
        known = self._heights.get(id(widget))
        if known is not None and known[:3] == (width, self.scale, font):
            return known[3]
        height = mock_parts.measure(widget, width, self.scale)
        self._heights[id(widget)] = (width, self.scale, font, height)
        return height

    # ---- laying out -------------------------------------------------------------------------

    def arrange(self) -> None:
        """Place the frame's bars and the elements shown; hide what does not fit."""
        app = App.get_running_app()
        screen = self.screen
        if screen is None or app is None or self.width < 10:
            return
        device_bars.stop_animations(self)
        px_mm = app.px_mm
        self.gap_px, self.target_px = math.ceil(GAP_MM * px_mm), math.ceil(TARGET_MM * px_mm)
        bezel = BEZEL_MM * px_mm
        x, y, w, h = self.x + bezel, self.y + bezel, self.width - 2 * bezel, self.height - 2 * bezel
        self.screen_box = [x, y, w, h]
        top, bottom = y + h, y
        for widget in list(self.children):
            self.remove_widget(widget)
        # as the state says now: a pop-up that dimmed and hid what was behind it is gone
        # (it dims them again below if it is still open)
        for widget in [self.back_key, *self.shown.values()]:
            widget.opacity, widget.disabled = 1, False
        phone = self.device == Device.PHONE.value
        # a short device (a 10-inch tablet) gives its content every millimetre: the app's
        # title shares the status bar's line, as a phone's large-title apps do when scrolled
        areas = self._areas(screen)
        self.compact = h < COMPACT_MM * px_mm
        docked = self.keyboard_room > 0
        self.status_box = self.nav_box = [0, 0, 0, 0]
        bottom += self.keyboard_room
        if docked and phone:
            # the keyboard where the navigation bar was, and above it what a phone shows
            # over its keyboard: the status line only where the field typed into is in it
            # (a search box), else the room goes to the field's own row
            if self.typing_field in {e.id for e in areas[Area.HEADER]}:
                top = device_bars.status(self, x, top, w, areas[Area.HEADER])
            areas[Area.HEADER] = []
            if self.typing_field not in {e.id for e in areas[Area.BOTTOM]}:
                areas[Area.BOTTOM] = []  # the app's bottom tabs are behind the keyboard
        elif phone:
            top = device_bars.status(self, x, top, w, areas[Area.HEADER] if self.compact else [])
            bottom = device_bars.nav(self, x, bottom, w)
        top = device_bars.header(self, areas[Area.HEADER], x, top, w, kiosk=not phone)
        top = self._row_of(areas[Area.TABS], x, top, w)
        bottom = self._bottom(areas[Area.BOTTOM], screen.columns, x, bottom, w)
        self._content(areas[Area.CONTENT], screen.columns, x, bottom, top, w)
        self._popup(areas[Area.POPUP], screen.columns, x, y, w, h)
        self._animate_soon()

    def _areas(self, screen: Screen) -> dict[Area, list[Element]]:
        areas: dict[Area, list[Element]] = {area: [] for area in Area}
        for element in screen.elements:
            if element.id in self.shown:
                areas[element.area].append(element)
        return areas

    def _row_of(self, elements: list[Element], x: float, top: float, w: float) -> float:
        if not elements:
            return top
        gap = self.gap_px
        width = (w - gap * (len(elements) + 1)) / len(elements)
        widgets = [self.shown[e.id] for e in elements]
        height = max(self.target_px, *(self.height_of(wd, width) for wd in widgets))
        for index, widget in enumerate(widgets):
            widget.size = (width, height)
            widget.pos = (x + gap + index * (width + gap), top - height)
            self.add_widget(widget)
        return top - height - gap

    def _grid(
        self, elements: list[Element], columns: int, w: float
    ) -> list[list[tuple[Any, float]]]:
        """The elements in the screen's rows, each with its width (its span of the cells)."""
        gap = self.gap_px
        cell = (w - gap * (columns + 1)) / columns
        rows: list[list[tuple[Any, float]]] = [[]]
        used = 0
        for element in elements:
            full = element.kind in mock_parts.ROWS and element.kind is not ElementKind.TEXT_FIELD
            span = (
                columns if full or element.kind is ElementKind.CHAT else min(element.span, columns)
            )
            if used + span > columns:
                rows.append([])
                used = 0
            widget = self.shown[element.id]
            widget.switch_room = self.target_px * 1.3 if element.kind is ElementKind.TOGGLE else 0
            rows[-1].append((widget, cell * span + gap * (span - 1)))
            used += span
        return [row for row in rows if row]

    def _place_rows(
        self, rows: list[list[tuple[Any, float]]], x: float, top: float, grow: float = 1.0
    ) -> float:
        gap = self.gap_px
        for row in rows:
            height = max(self.target_px, *(self.height_of(wd, width) for wd, width in row))
            height *= grow
            cursor = x + gap
            for widget, width in row:
                widget.size = (width, height)
                mock_parts.give_way(widget, height, self.scale)  # its picture whole
                widget.pos = (cursor, top - height)
                cursor += width + gap
                self.add_widget(widget)
                if isinstance(widget, mock_parts.ChatView):
                    mock_parts.place_chat(widget, self.scale)
            top -= height + gap
        return top

    def _bottom(
        self, elements: list[Element], columns: int, x: float, bottom: float, w: float
    ) -> float:
        if not elements:
            return bottom
        rows = self._grid(elements, columns, w)
        heights = [max(self.target_px, *(self.height_of(wd, wi) for wd, wi in row)) for row in rows]
        total = sum(heights) + self.gap_px * len(rows)
        self._place_rows(rows, x, bottom + total)
        return bottom + total

    def _content(
        self, elements: list[Element], columns: int, x: float, bottom: float, top: float, w: float
    ) -> None:
        rows = self._grid(elements, columns, w)
        heights = [max(self.target_px, *(self.height_of(wd, wi) for wd, wi in row)) for row in rows]
        room = top - bottom - 1.5 * self.gap_px  # a whole gap clear of the bar below
        need = sum(heights) + self.gap_px * max(0, len(heights) - 1)
        self.overflow = max(0.0, need - room)
        first = 0 if self._popup_open else min(self.first_row, max(0, len(rows) - 1))
        docked = self.keyboard_room > 0
        focus = self._row_of_field(rows)
        if (
            docked
            and focus is not None
            and not first <= focus < first + _fitting(heights[first:], room, self.gap_px)
        ):
            first = focus  # the field typed into stays in view
        used, shown = 0.0, list[int]()
        for index in range(first, len(rows)):
            extra = heights[index] + (self.gap_px if shown else 0)
            if used + extra > room and (shown or (docked and not _chat(rows[index], room))):
                # a row shows whole or not at all; one taller than the whole room still
                # shows (its element stays reachable), but over a docked keyboard only a
                # chat, which shows its last bubbles in whatever room it is given
                break
            used += extra
            shown.append(index)
        if not self._popup_open:  # else the pop-up's rows are what scrolls (`_popup`)
            self.first_row, self._rows_shown = first, len(shown)
            self.more_below = len(rows) - (shown[-1] + 1 if shown else 0)
        # where the whole content shows with room to spare (a 24-inch screen), its rows
        # grow to fill it, as a phone's home screen spreads its icons
        grow = 1.0
        if shown and not self.more_below and not first and used < room:
            grow = min(ROW_GROW, room / used)
        self._place_rows([rows[i] for i in shown], x, top - self.gap_px * 0.5, grow)
        if shown and used > room:
            # one row taller than the room (a photo with its name on a tablet; a chat over
            # the keyboard): a chat is drawn as tall as the room and shows its last
            # bubbles; a picture gives way to its words; words are never cut
            row = rows[shown[0]]
            needs = [self.height_of(widget, width) for widget, width in row]
            words = [
                0.0
                if isinstance(w, mock_parts.ChatView)
                else n - mock_parts.picture_px(w, self.scale)
                for (w, _), n in zip(row, needs, strict=True)
            ]
            height = max(self.target_px, room, *words)
            for (widget, _width), needed in zip(row, needs, strict=True):
                widget.height = height
                widget.top = top - self.gap_px * 0.5
                mock_parts.give_way(widget, needed, self.scale)
                if isinstance(widget, mock_parts.ChatView):
                    mock_parts.place_chat(widget, self.scale)

    def _row_of_field(self, rows: list[list[tuple[Any, float]]]) -> int | None:
        """The content row holding the field being typed into, if it is there."""
        field = self.shown.get(self.typing_field)
        return next((i for i, row in enumerate(rows) if any(w is field for w, _ in row)), None)

    def _popup(
        self, elements: list[Element], columns: int, x: float, y: float, w: float, h: float
    ) -> None:
        self.dim = 0.55 if elements else 0.0
        if not elements:
            return
        covered = [
            c
            for c in self.children
            if isinstance(c, (mock_parts.MockElement, mock_parts.MockLabel, mock_parts.ChatView))
            and c is not self.back_key
        ]
        inner = w - 2 * self.gap_px
        rows = self._grid(elements, columns, inner)
        heights = [max(self.target_px, *(self.height_of(wd, wi) for wd, wi in row)) for row in rows]
        # taller than the screen (an options pop-up on a tablet): it scrolls by whole rows,
        # as the content does, from `first_row`
        first = min(self.first_row, max(0, len(rows) - 1))
        count = max(1, _fitting(heights[first:], h - 2 * self.gap_px, self.gap_px))
        self.first_row, self._rows_shown = first, count
        self.more_below = len(rows) - first - count
        rows, heights = rows[first : first + count], heights[first : first + count]
        total = sum(heights) + self.gap_px * (len(rows) + 1)
        top = y + h / 2 + total / 2
        for widget in covered:
            widget.disabled = True  # behind a dialog: seen dimmed, never tapped
            if widget.y < top and widget.top > top - total:
                widget.opacity = 0
        self.popup_box = [x + self.gap_px * 0.5, top - total, w - self.gap_px, total]
        self.scrim.size, self.scrim.pos = (w, h), (x, y)
        self.add_widget(self.scrim)
        self._place_rows(rows, x + self.gap_px, top - self.gap_px)

    # ---- hints ------------------------------------------------------------------------------


def _fitting(heights: list[float], room: float, gap: float) -> int:
    """How many of the rows (`heights`, from the first shown) fit `room` whole."""
    used = 0.0
    for count, height in enumerate(heights):
        used += height + (gap if count else 0)
        if used > room:
            return count
    return len(heights)


def _chat(row: list[tuple[Any, float]], room: float) -> bool:
    """A chat that can show a bubble or two in `room` (over a docked keyboard)."""
    target = App.get_running_app().target
    return room >= target and any(isinstance(w, mock_parts.ChatView) for w, _ in row)


class Scrim(Widget):
    """Dims the screen behind a pop-up, and draws the pop-up's card (mock_device.kv)."""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))

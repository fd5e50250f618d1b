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
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk_app.look.device_frame import BEZEL_MM
from kiosk_app.look.label_width import widest_word
from kiosk_app.look.layout import glyph_boost
from kiosk_app.look.theme import NORMAL, rgba
from kiosk_app.widgets import device_bars, device_rows, mock_parts
from kiosk_app.widgets.base import TextLabel
from kiosk_app.widgets.device_bars import STATUS_TIME
from kiosk_app.widgets.gesture_area import GestureArea
from lessons import Language
from lessons.mock_engine import Mock, MockState
from lessons.model import Area, Device, Element, Screen
from lessons.practice_run import BACK_KEY

PICTURES = Path(__file__).parents[2] / "lessons" / "library" / "pictures"
# inside the device: targets and gaps just over the floors (16 mm, 4 mm), so that rounding
# to pixels never takes one below; the whole of a dialer needs every millimetre on a tablet
TARGET_MM = 16.5
GAP_MM = 4.3

COMPACT_MM = 170.0  # a device screen shorter than this draws its bars compact
# A bar (the header, the bottom bar) taller than this share of the screen gives its
# elements to the content, which scrolls: English words at the floors' size in a tablet's
# 1.5× phone can make a header label six lines tall and leave the content no room
BAR_MOST_SHARE = 0.3


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
    _spilt: set[Area]  # the bars whose elements went into the content (`arrange`)
    bezel_rgba = ListProperty([0.1, 0.1, 0.1, 1])
    bar_rgba = ListProperty([0.95, 0.95, 0.95, 1])
    header_box = ListProperty([0, 0, 0, 0])  # the app's header bar, in its title's pair
    header_rgba = ListProperty([1, 1, 1, 1])
    # px at the bottom of the screen the on-screen keyboard takes, docked in the device as
    # on a real phone (a tablet; 0: no keyboard here), and the field it types into
    keyboard_room = NumericProperty(0.0)
    typing_field = StringProperty("")
    # a keyboard is up, in the device or under it (a tablet): the device shows what a phone
    # shows over its keyboard (the field typed into) and no navigation bar
    typing_view = BooleanProperty(False)
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
        self.scrim = Scrim(size_hint=(None, None))  # a FloatLayout would stretch it
        self.rows_shown = 0
        self.popup_open = False  # a pop-up is open: the rows that scroll are the pop-up's
        self._animate_soon = Clock.create_trigger(lambda dt: device_bars.animate(self), 0)
        self._arrange = Clock.create_trigger(lambda dt: self.arrange(), -1)
        self.bind(
            size=self._arrange,
            pos=self._arrange,
            keyboard_room=self._arrange,
            typing_view=self._arrange,
        )
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
        visible = self._mock.visible(state)
        popup = any(e.area is Area.POPUP for e in visible)
        if self._state is None or state.screen != self._state.screen or popup != self.popup_open:
            self.first_row = 0  # a new screen, or a pop-up opened or closed: from its top
        self.popup_open = popup
        self._state, self.language = state, language
        self.highlight, self.demonstrate = highlight, demonstrate
        screen = self._mock.screen(state)
        self.device = screen.frame.value
        built = self._widgets(screen, language)
        self.shown = {}
        for element in visible:
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
        """The element drawn at (x, y) on the screen: the topmost, as the eye sees it (a
        bar over a row that runs on under it); nothing off the screen's glass."""
        sx, sy, sw, sh = self.screen_box
        if not (sx <= x <= sx + sw and sy <= y <= sy + sh):
            return None
        for widget in self.children:  # the last added, drawn on top, first
            if (
                isinstance(widget, mock_parts.MockElement)
                and widget.opacity
                and not widget.disabled
                and widget.collide_point(x, y)
            ):
                return widget
        return None

    def _page(self) -> int:
        return max(1, self.rows_shown - 1)

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
        """Place the frame's bars and the elements shown; hide what does not fit. A bar
        that would take more than BAR_MOST_SHARE of the screen is laid out again with its
        elements at the content's start (header) or end (bottom bar)."""
        self._spilt = set()
        while (grown := self._lay_out()) is not None:
            self._spilt.add(grown)

    def _lay_out(self) -> Area | None:
        """One layout; the bar that grew past its share (and is not spilt yet), if any."""
        app = App.get_running_app()
        screen = self.screen
        if screen is None or app is None or self.width < 10:
            return None
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
        for area, at_start in ((Area.HEADER, True), (Area.BOTTOM, False)):
            if area in self._spilt:
                spilt, areas[area] = areas[area], []
                content = areas[Area.CONTENT]
                areas[Area.CONTENT] = [*spilt, *content] if at_start else [*content, *spilt]
        most = h * BAR_MOST_SHARE
        self.compact = h < COMPACT_MM * px_mm
        docked = self.typing_view
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
        if areas[Area.HEADER] and y + h - top > most and Area.HEADER not in self._spilt:
            return Area.HEADER
        top = device_rows.row_of(self, areas[Area.TABS], x, top, w)
        bar_bottom = bottom
        bottom = device_rows.bottom_rows(self, areas[Area.BOTTOM], screen.columns, x, bottom, w)
        if areas[Area.BOTTOM] and bottom - bar_bottom > most and Area.BOTTOM not in self._spilt:
            return Area.BOTTOM
        device_rows.content(self, areas[Area.CONTENT], screen.columns, x, bottom, top, w)
        # the bottom bar and the back key over the content: a row taller than the room
        # runs on under them, as an app's list under its bar, never over them
        for element in areas[Area.BOTTOM]:
            self._raise(self.shown[element.id])
        self._raise(self.back_key)
        device_rows.popup(self, areas[Area.POPUP], screen.columns, x, y, w, h)
        self._animate_soon()
        return None

    def _raise(self, widget: Widget) -> None:
        """Draw `widget` (a child) over its siblings, and give it touches first."""
        if widget.parent is self:
            self.remove_widget(widget)
            self.add_widget(widget)

    def _areas(self, screen: Screen) -> dict[Area, list[Element]]:
        areas: dict[Area, list[Element]] = {area: [] for area in Area}
        for element in screen.elements:
            if element.id in self.shown:
                areas[element.area].append(element)
        return areas

    # ---- hints ------------------------------------------------------------------------------


class Scrim(Widget):
    """Dims the screen behind a pop-up, and draws the pop-up's card (mock_device.kv)."""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))

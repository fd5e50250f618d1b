"""The on-screen keyboard of a practice (`PracticeStage`): which one (the number pad for
digits, else the learner's 천지인 or 두벌식), where it goes, and 완료.

On a wide screen it sits in the instruction's column. On a tablet (a compact stage) it is
docked as a phone's is (docs/kiosk.md "Typing on a tablet"):

- **in the phone** (`"phone"`): a page of four columns (천지인, the number pad) at the
  bottom of the phone's screen, as wide as it; the phone keeps the room above it;
- **edge to edge** (`"wide"`): a page of ten columns (두벌식, 천지인's English page) across
  the window's bottom, as a phone turned on its side shows it; above it the phone shows
  its field, and the column 다음 and 도와주세요 (the instruction was said aloud);
- 완료 puts a docked keyboard away, and a tap on the field brings it back with its text.

A mixin of the stage, which owns the widgets."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from kivy.app import App
from kivy.uix.widget import Widget

from kiosk_app.look.device_frame import BEZEL_MM, Stage, compact_stage
from kiosk_app.widgets.keyboard import Keyboard
from lessons.keyboard import Layout
from lessons.mock_engine import MockState
from lessons.model import Device, ElementKind, Screen
from lessons.typed_answer import typed_answer_matches

DIGITS_ONLY = re.compile(r"[0-9\- ]+")
Dock = Literal["phone", "wide"]


class StageKeyboard:
    """What `PracticeStage` gives: `device`, `run`, `screens`, `lent`, `_typing`, `_tap`,
    `width`, `x`, `y`, `top`, `right`, its widget methods and its fitting."""

    device: Any
    run: Any
    screens: Any
    lent: Any
    keyboard: Keyboard | None
    keyboard_layout: Layout
    keyboard_open: bool
    overflow: float
    device_stage: Any
    width: float
    x: float
    y: float
    top: float
    right: float
    _typing: tuple[str, str] | None
    _tap: Callable[[str], None]
    _fit: Callable[..., None]
    fit: Callable[[], None]
    add_widget: Callable[..., None]
    remove_widget: Callable[..., None]
    clear_widgets: Callable[..., None]
    _device_scale: Callable[[], float]
    _place_texts: Callable[..., float]

    @property
    def open_keyboard(self) -> Keyboard | None:
        """The keyboard, while it is shown."""
        return self.keyboard if self.keyboard_open else None

    def _needs_keyboard(self, state: MockState) -> bool:
        """Typing is asked for and the app has no keys of its own that type it (a dialer)."""
        if self._typing is None:
            return False
        field = self._typing[0]
        screen: Screen = self.screens[state.screen]
        return not any(
            action.into == field and action.type is not None
            for element in screen.elements
            for action in element.on_tap
        )

    def _set_keyboard(self, typing: tuple[str, str] | None, screen: Screen | None = None) -> None:
        """A keyboard for `typing` (the field, the text asked for) on `screen`, or none."""
        if self.keyboard is not None:
            self.remove_widget(self.keyboard)
            self.keyboard = None
        self.device.keyboard_room = 0
        self.device.typing_view = False
        self.device.typing_field = _field_element(screen, typing[0]) if typing else ""
        if typing is None:
            return
        field, text = typing
        digits = bool(DIGITS_ONLY.fullmatch(text))
        layout: Layout = "numbers" if digits else self.keyboard_layout
        keyboard = Keyboard(layout=layout, phone_number=digits and "-" in text)
        keyboard.bind(text=lambda kb, typed: self._typed(field, typed))
        keyboard.bind(on_submit=self._submitted, page=lambda kb, page: self._fit())
        self.keyboard, self.keyboard_open = keyboard, True

    def _typed(self, field: str, text: str) -> None:
        if self.run is None:
            return
        self.run.typed(field, text)
        keyboard = self.open_keyboard
        wanted = self._typing[1] if self._typing is not None else None
        done = wanted is not None and typed_answer_matches(wanted, text)
        if keyboard is not None and keyboard.docked and done:
            # typed as asked: a docked keyboard goes down by itself, so that what comes
            # next (다음, 전송, the next field), which it may cover, shows
            self._submitted(keyboard, text)

    def _submitted(self, keyboard: Keyboard, text: str) -> None:
        """완료: a docked keyboard goes down and gives the phone its room back."""
        if keyboard.docked:
            self.keyboard_open = False
            self.remove_widget(keyboard)
            self.fit()

    def _tapped(self, element_id: str) -> None:
        field = element_id == self.device.typing_field
        if self.keyboard is not None and field and not self.keyboard_open:
            self.keyboard_open = True
            self.fit()
        self._tap(element_id)

    # ---- docking ----------------------------------------------------------------------------

    def _dock(self, device: Device, words: float) -> Dock | Literal["closed"] | None:
        """How the open keyboard docks on a compact stage: in the phone, edge to edge, or
        not at all (None: no room, the stage is laid out as on a wide screen); "closed":
        no keyboard is open."""
        keyboard = self.open_keyboard
        if keyboard is None:
            return "closed"
        from kivy.core.window import Window

        app = App.get_running_app()
        room = Window.width - 2 * app.margin  # the compact stage's (the side bar lent to it)
        found = compact_stage(room, Window.height, app.px_mm, app.gap, device, words)
        need = keyboard.docked_width(app.px_mm)
        if device is Device.PHONE and need <= found.device - 2 * BEZEL_MM * app.px_mm:
            return "phone"
        return "wide" if need <= room else None

    def _dock_to(self, dock: Dock | Literal["closed"] | None) -> None:
        """The keyboard's and the device's state for `dock` (None: not docked)."""
        docked = dock in ("phone", "wide")
        if self.keyboard is not None:
            self.keyboard.docked = docked or dock == "closed"
        self.device.typing_view = docked
        if dock != "phone":
            self.device.keyboard_room = 0

    def _dock_in_phone(self, x: float, width: float) -> None:
        """The keyboard at the bottom of the device's screen (the device's outer `x` and
        `width`), its keys at the device's own sizes; the device keeps the room above it."""
        keyboard = self.open_keyboard
        if keyboard is None:
            self.device.keyboard_room = 0
            return
        bezel = BEZEL_MM * App.get_running_app().px_mm
        keyboard.place(x + bezel, width - 2 * bezel, bottom=self.y + bezel)
        self.device.keyboard_room = keyboard.height

    def _fit_wide_typing(self, found: Stage) -> None:
        """Ten columns of keys need the window's width: the keyboard across the bottom;
        above it the phone (its field in view) at the right, and in the column 다음 and
        도와주세요, with the instruction's end where a line is left."""
        app = App.get_running_app()
        keyboard = self.open_keyboard
        assert keyboard is not None and self.lent is not None
        gap = app.gap
        self.clear_widgets()
        self.lent.move_to(self)
        self.remove_widget(self.lent.head)  # no room for the progress line
        keyboard.place(self.x, self.width, bottom=self.y)
        above = keyboard.top + gap
        device: Widget = self.device
        device.size_hint = (None, None)
        # the phone stands on the keyboard, as its own keyboard would join it
        device.pos = (self.right - found.device, keyboard.top)
        device.size = (found.device, max(1.0, self.top - keyboard.top))
        self.add_widget(device)
        self._device_scale()
        bar = self.lent.bar
        bar.keep_only(_wide_keeps(bar.buttons))
        bar.size_hint = (None, None)
        bar.last_row_reserve = 0.0
        bar.size = (found.column, bar.pad_height(found.column))
        bar.pos = (self.x, above)
        end = self._place_texts(self.x, self.top, found.column, room=self.top - bar.top - gap)
        self.overflow = max(0.0, bar.top + gap - end)
        self.add_widget(keyboard)
        self.device_stage = found


def _wide_keeps(buttons: list[Any]) -> list[Any]:
    """The controls above an edge-to-edge keyboard: go on (다음) and ask for help; in a
    class, which has no 다음, its first button (다시 듣기) and help."""
    helps = [b for b in buttons if b.kind == "help"]
    going = [b for b in buttons if b.kind == "primary"] or buttons[:1]
    return [b for b in buttons if b in going or b in helps]


def _field_element(screen: Screen | None, field: str) -> str:
    """The id of the element that shows `field` (a text field's `shows`; its own id where
    none does): what the phone keeps in view over the keyboard, and a tap on which brings
    the keyboard back."""
    if screen is not None:
        for element in screen.elements:
            if element.shows == field and element.kind is ElementKind.TEXT_FIELD:
                return element.id
    return field

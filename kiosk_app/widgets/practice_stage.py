"""A practice step laid out across its room: on the left a column with the instruction, the
hint strip, the big ▲ ▼ arrows (the other way to scroll) and, while typing is asked for,
the on-screen keyboard; on the right the simulated device (`MockDevice`), as wide as
`device_frame.stage` says, whatever the language and the text size.

Every input the learner makes here goes to the lesson run (tap, long press, back key,
swipe, typing); the run's change comes back as `update`, which redraws the device's new
state and the strip, and leaves the instruction and the keyboard as they are."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import NumericProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk_app.look.device_frame import Stage, compact_stage, stage
from kiosk_app.look.label_width import text_width
from kiosk_app.look.ui_text import tr
from kiosk_app.teaching.lesson_run import LessonRun
from kiosk_app.widgets.base import BigButton, Panel, TextLabel
from kiosk_app.widgets.control_bar import ControlBar
from kiosk_app.widgets.keyboard import Keyboard
from kiosk_app.widgets.mock_device import MockDevice
from kiosk_app.widgets.practice_column import Lent, compact_fits, one_line
from kiosk_app.widgets.stage_keyboard import StageKeyboard
from kiosk_app.widgets.stage_texts import StageTexts
from lessons.keyboard import Layout
from lessons.mock_engine import Mock, MockState
from lessons.model import Device, Language, Screen, Step

# the arrows' swipes: ▼ shows what is further down, as a finger moving up does
ARROWS = (("practice.up", "down", -1), ("practice.down", "up", 1))
SIDEWAYS = (("◀", "right"), ("▶", "left"))
DEVICE_LEAST_SHARE = 0.5  # of the height, the device keeps at least this much


class FeedbackStrip(Panel):
    """A hint, a quiz explanation or praise, on its own coloured strip."""


class PracticeStage(StageKeyboard, StageTexts, Widget):
    # px the instruction's column is taller than its room at its smallest (0: it fits)
    overflow = NumericProperty(0.0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.device = MockDevice(size_hint_x=None)
        self.instruction = TextLabel(role="body", halign="left")
        self.strip = FeedbackStrip()
        self.strip_text = TextLabel()
        self.strip.add_widget(self.strip_text)
        self.arrows = BoxLayout(size_hint_y=None)
        self.keyboard: Keyboard | None = None
        # docked in the phone (a tablet), 완료 puts the keyboard away, as on a phone, and a
        # tap on the field brings it back with what was typed
        self.keyboard_open = True
        self._tap: Callable[[str], None] = lambda element_id: None
        self.keyboard_layout: Layout = "cheonjiin"
        self.run: LessonRun | None = None
        self.step: Step | None = None
        self._typing: tuple[str, str] | None = None
        self.device_stage: Any = None
        self._texts_for: tuple[Any, ...] = ()
        self.device_stage_stacked = False
        self._texts_shown = 2
        self._texts_drawn = ("", "")  # the instruction and the strip as last fitted
        self.lent: Lent | None = None
        self.compact = False  # the device takes the window's whole height (a tablet)
        self._fit = Clock.create_trigger(lambda dt: self.fit(), -1)
        self.bind(size=self._fit, pos=self._fit)
        app = App.get_running_app()
        if app is not None:
            app.bind(px_mm=self._fit, text_scale=self._fit)

    # ---- what the step body calls -----------------------------------------------------------

    def borrow(self, head: Widget, bar: ControlBar) -> None:
        """The screen's head and controls, for a practice on a short window to place in its
        column (they go back when the practice ends or the window is tall)."""
        if self.lent is None or self.lent.head is not head:
            self.lent = Lent(head, bar)
            head.fbind("height", self._fit)

    def give_back(self) -> None:
        """Put the borrowed head and controls back in their screen (the step is over)."""
        if self.lent is not None:
            self.lent.go_home()
        self.compact = False

    def show(
        self,
        run: LessonRun,
        screens: Mapping[str, Screen],
        step: Step,
        tap: Callable[[str], None] | None = None,
    ) -> None:
        """A new practice step: its instruction, and the device in its state. Taps go to
        `tap` (a class reports them too), the other inputs to `run`."""
        assert step.practice is not None
        self.run, self.step, self.screens = run, step, screens
        language = run.language
        self.instruction.text = step.practice.instruction.shown(language)
        device = self.device
        self._tap = tap or run.tap
        device.on_tap, device.on_hold = self._tapped, run.hold
        device.on_back, device.on_swipe = run.back_key, run.swipe
        self._typing = None
        self._set_keyboard(None)
        # a new step starts from the top of its screen, as its start state is: a scroll the
        # learner made on the last step (the same screen, on a short tablet) is not kept
        device.first_row = 0
        self.update(run)

    def update(self, run: LessonRun) -> None:
        """The run took an input: draw the device's new state and the strip."""
        view = run.view
        self.run = run
        state = view.mock or self._start_state()
        if state is None:
            return
        self.device.show(state, self.screens, run.language, view.highlight, view.demonstrate)
        self._feedback(run)
        if view.typing != self._typing:
            self._typing = view.typing
            screen = self.screens.get(state.screen)
            self._set_keyboard(view.typing if self._needs_keyboard(state) else None, screen)
        self.fit()

    def _start_state(self) -> MockState | None:
        """A class's step has no practice run (its session follows a robot): its start."""
        practice = self.step.practice if self.step else None
        if practice is None or practice.screen not in self.screens:
            return None
        return Mock(self.screens).start(practice.screen, practice.start.fields)

    # ---- the column -------------------------------------------------------------------------

    def _feedback(self, run: LessonRun) -> None:
        shown = bool(run.feedback)
        kind = run.feedback_kind if run.feedback_kind in ("right", "wrong") else "card"
        self.strip.kind = self.strip_text.kind = kind
        self.strip_text.text = run.feedback
        self.strip.opacity = 1 if shown else 0

    def _set_arrows(self, swipe: str | None) -> None:
        """▲ ▼ while the content scrolls or a swipe is asked for; ◀ ▶ for a sideways one."""
        wanted = (swipe, bool(self.device.first_row or self.device.more_below))
        if wanted == getattr(self, "_arrows_for", None) and self.arrows.children:
            return
        self._arrows_for = wanted
        self.arrows.clear_widgets()
        language: Language = self.run.language if self.run else "ko"
        device = self.device
        buttons: list[tuple[str, str, int]] = []
        if device.first_row or device.more_below or swipe in ("up", "down"):
            buttons = [(tr(key, language), way, rows) for key, way, rows in ARROWS]
        elif swipe in ("left", "right"):
            buttons = [(text, way, 0) for text, way in SIDEWAYS]
        for text, way, rows in buttons:
            arrow = BigButton(text=text)
            arrow.bind(on_release=lambda b, w=way, r=rows: self._arrow(w, r))
            self.arrows.add_widget(arrow)

    def _arrow(self, way: str, rows: int) -> None:
        if rows:
            self.device.scroll(rows * max(1, self.device._page()))
        if self.run is not None:
            self.run.swipe(way)
        self.fit()

    # ---- fitting ----------------------------------------------------------------------------

    def fit(self) -> None:
        """Split the room between the instruction and the device (`device_frame.stage`),
        then place every part."""
        app = App.get_running_app()
        if app is None or self.width < 10 or self.height < 10 or self.step is None:
            return
        from kivy.core.window import Window

        screen = self.device.screen
        device = screen.frame if screen is not None else Device.PHONE
        keyboard = 0.0
        if self.open_keyboard is not None:
            keyboard = Keyboard.least_width(self.open_keyboard.layout, app.px_mm)
        words = self.device.words_width(1.0 / max(1.0, app.text_scale))
        dock = self._dock(device, words)
        if self.lent is not None:  # measured whole (an edge-to-edge keyboard keeps two)
            self.lent.bar.keep_only(None)
        self.compact = dock is not None and compact_fits(self.lent, device, words)
        self._dock_to(dock if self.compact else None)
        if self.compact:
            self.device_stage_stacked = False
            found = compact_stage(self.width, Window.height, app.px_mm, app.gap, device, words)
            if dock == "wide":
                self._fit_wide_typing(found)
            else:
                self._fit_compact(found)
            return
        self.give_back()
        for arrow in self.arrows.children:  # at their own size (a compact column sets it)
            arrow.scale, arrow.least_height = 1.0, 0
        found = stage(self.width, Window.height, app.px_mm, app.gap, device, keyboard, words)
        self.device_stage_stacked = found.stacked
        self.clear_widgets()
        if found.stacked and found.side < app.target:
            # no room beside the device (English on a tablet): the arrows at the top right,
            # beside the instruction
            arrows = 2 * app.target + app.gap
            top = self._place_texts(self.x, self.top, self.width, self.width - arrows - app.gap)
            top = min(top, self.top - app.button_height) - app.gap
            self.overflow = max(0.0, self.y - top)
            self._place_device(self.x, found.device, top)
            self._place_side(self.right - arrows, arrows, self.top)
        elif found.stacked:
            top = self._place_texts(self.x, self.top, self.width) - app.gap
            self.overflow = max(0.0, self.y - top)
            self._place_device(self.x, found.device, top)
            self._place_side(self.x + found.device + app.gap, found.side, top)
        else:
            bottom = self._place_texts(self.x, self.top, found.column)
            self._place_device(self.right - found.device, found.device, self.top)
            bottom = self._place_side(self.x, found.column, bottom - app.gap)
            self.overflow = max(0.0, self.y - bottom)
        self.device_stage = found

    def _fit_compact(self, found: Stage) -> None:
        """The device at the whole height on the right; the column on the left: the
        progress line on top, the controls in rows at the bottom, the arrows over them and
        the instruction and the strip between (the instruction folded to its last
        sentences where it does not fit whole: it was said aloud, 다시 듣기 says it again)."""
        app = App.get_running_app()
        assert self.lent is not None
        self.clear_widgets()
        self.lent.move_to(self)
        head, bar, gap = self.lent.head, self.lent.bar, app.gap
        self._dock_in_phone(self.right - found.device, found.device)
        self._place_device(self.right - found.device, found.device, self.top)
        if self.open_keyboard is not None:
            self.add_widget(self.open_keyboard)  # over the device's lower part, as a phone's
        head.size_hint = (None, None)
        head.width, head.pos = found.column, (self.x, self.top - head.height)
        bar.size_hint = (None, None)
        bar.size, bar.pos = (found.column, bar.pad_height(found.column)), (self.x, self.y)
        bottom, top = bar.top + gap, head.y - gap
        bar.last_row_reserve, bar.reserve_rows = 0.0, 1
        if self.arrows.children:
            bottom, top = self._place_compact_arrows(found.column, bottom, top)
        short = top - bottom < one_line(app.body_font / max(1.0, app.text_scale))
        if short and head.width == found.column and self.lent.progress_only():
            self.remove_widget(head)  # a line of the instruction's end before the progress
            top = self.top
        end = self._place_texts(self.x, top, found.column, room=top - bottom)
        self.overflow = max(0.0, bottom - end)
        self.device_stage = found

    def _place_compact_arrows(
        self, column: float, bottom: float, top: float
    ) -> tuple[float, float]:
        """▲ ▼ in a compact column: beside the controls' last row, else one above the other
        beside the last two rows (English), else beside the progress line, else over the
        controls; the room left between the controls and the progress line."""
        app = App.get_running_app()
        assert self.lent is not None
        bar, head, gap, target = self.lent.bar, self.lent.head, app.gap, app.target
        last = bar.pad_rows(column)[-1]
        for arrow in self.arrows.children:  # as tall as the controls
            arrow.scale, arrow.least_height = last[0].scale, last[0].least_height
        row = last[0].height
        arrows = 2 * target + gap
        if bar.spare_in_last_rows(column) >= arrows + gap:
            bar.last_row_reserve = arrows + gap
            self._place_side(self.x + column - arrows, arrows, self.y + row, row)
        elif bar.spare_in_last_rows(column, 2) >= target + gap:
            bar.last_row_reserve, bar.reserve_rows = target + gap, 2
            self._place_side(
                self.x + column - target, target, self.y + 2 * row + gap, 2 * row + gap
            )
        elif column - arrows - gap >= target:  # the progress line shortens
            head.width = column - arrows - gap
            self._place_side(self.x + head.width + gap, arrows, self.top, row)
            head.y = self.top - max(row, head.height) / 2 - head.height / 2
            top = self.top - max(row, head.height) - gap
        else:
            self._place_side(self.x, column, bottom + row, row)
            bottom += row + gap
        return bottom, top

    def _place_device(self, x: float, width: float, top: float) -> None:
        device = self.device
        least = self.y + self.height * DEVICE_LEAST_SHARE
        if top < least:  # the texts run on behind the device: too long for this screen
            self.overflow = max(self.overflow, least - top)
            top = least
        device.size_hint = (None, None)
        device.pos, device.size = (x, self.y), (width, max(1.0, top - self.y))
        self.add_widget(device)
        self._device_scale()

    def _device_scale(self) -> float:
        """The device's texts at the learner's size where the content shows whole; else at
        the kiosk's design size (its floors), so that as much as can shows at once."""
        app = App.get_running_app()
        self.device.scale = 1.0
        self.device.arrange()
        if self.device.overflow > 0 and app.text_scale > 1:
            self.device.scale = 1.0 / app.text_scale
            self.device.arrange()
        self._set_arrows(self.run.view.swipe if self.run else None)
        return float(self.device.scale)

    def _place_side(self, x: float, width: float, top: float, height: float = 0.0) -> float:
        """The arrows (`height` tall, if given) and the keyboard, from `top` down in
        `width`; where they end."""
        app = App.get_running_app()
        if width < app.target:
            return top
        arrows = list(reversed(self.arrows.children))
        if arrows:
            words = all(
                text_width(a.text, app.button_font, True) + 2 * app.gap
                <= (width - app.gap) / len(arrows)
                for a in arrows
            )
            for arrow, symbol in zip(arrows, ("▲", "▼"), strict=False):
                if not words and arrow.text[:1] in "▲▼":
                    arrow.text = symbol
            tall = width < 2 * app.target + app.gap  # a narrow side: one above the other
            self.arrows.orientation = "vertical" if tall else "horizontal"
            height = height or app.button_height * (2 if tall else 1) + (app.gap if tall else 0)
            self.arrows.size_hint = (None, None)
            self.arrows.spacing = app.gap
            self.arrows.size = (width, height)
            self.arrows.pos = (x, top - height)
            self.add_widget(self.arrows)
            top -= height + app.gap
        keyboard = self.open_keyboard
        if keyboard is not None and not keyboard.docked:
            keyboard.place(x, width, top=top)
            self.add_widget(keyboard)
            top -= keyboard.height + app.gap
        return top + app.gap


Builder.load_file(str(Path(__file__).with_suffix(".kv")))

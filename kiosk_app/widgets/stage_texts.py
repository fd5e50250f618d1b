"""The texts of a practice's column (`PracticeStage`): the instruction and the hint strip,
fitted to the room they are given: at the learner's text size, else at the floors', and
in a tablet's compact column folded to their last sentences (they were said aloud, and
다시 듣기 says them again). A mixin of the stage, which owns the widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.app import App
from kivy.uix.widget import Widget

from kiosk_app.widgets.base import TextLabel
from kiosk_app.widgets.mock_parts import sized
from kiosk_app.widgets.practice_column import sentence_tails

# stacked above the device (a 10-inch tablet), the instruction is drawn at the floors' size
# where at the learner's size it would take more than this share of the height
STACKED_TEXT_SHARE = 0.3


class StageTexts:
    """What `PracticeStage` gives: `instruction`, `strip`, `strip_text`, `step`, `run`,
    `compact`, `device_stage_stacked`, and the fitted texts' cache."""

    instruction: TextLabel
    strip: Widget
    strip_text: TextLabel
    step: Any
    run: Any
    compact: bool
    device_stage_stacked: bool
    height: float
    _texts_for: tuple[Any, ...]
    _texts_shown: int
    _texts_drawn: tuple[str, str]
    add_widget: Callable[..., None]  # the stage's own (a Widget)

    def _place_texts(
        self, x: float, top: float, width: float, first: float = 0.0, room: float = 0.0
    ) -> float:
        """The instruction (`first` px wide, if given) and the strip (`width`) from `top`
        down, within `room` px if given; where they end. Stacked above the device, they
        leave it at least DEVICE_LEAST_SHARE of the height (what does not fit is
        `overflow`)."""
        app = App.get_running_app()
        parts: list[Widget] = [self.instruction]
        if self.strip_text.text:
            parts.append(self.strip)
        room = room or self.height * (STACKED_TEXT_SHARE if self.device_stage_stacked else 1.0)
        widths = [first or width, width]
        full = self._instruction()
        key = (full, self.strip_text.text, *widths, room, app.body_font)
        if key == self._texts_for:  # as last laid out (an input changed only the device)
            # the texts as fitted (folded, where they were): the run gave them whole again
            self.instruction.text, self.strip_text.text = self._texts_drawn
            heights = [part.height for part in parts]
        else:
            heights = self._fit_texts(parts, widths, room, full)
            self._texts_for = key
            self._texts_shown = len(heights)
            self._texts_drawn = (self.instruction.text, self.strip_text.text)
        parts = parts[: self._texts_shown]
        for part, height, part_width in zip(parts, heights, widths, strict=False):
            part.size_hint = (None, None)
            part.size, part.pos = (part_width, height), (x, top - height)
            self.add_widget(part)
            top -= height + app.gap
        return top + app.gap

    def _instruction(self) -> str:
        """The step's whole instruction in the run's language ("" before a step)."""
        practice = self.step.practice if self.step is not None else None
        if practice is None or self.run is None:
            return ""
        return practice.instruction.shown(self.run.language)

    def _fit_texts(
        self, parts: list[Widget], widths: list[float], room: float, full: str
    ) -> list[float]:
        """Size the texts to fit `room`: at the learner's size, else at the floors'; in a
        compact column the instruction then keeps only its last sentences, in a stacked one
        the strip is left out (it was said aloud, and 다시 듣기 says it again). The heights
        of the parts shown."""
        app = App.get_running_app()
        if full:
            self.instruction.text = full

        def heights_at(scale: float) -> list[float]:
            self.instruction.scale = self.strip_text.scale = scale
            return [self._measure(p, w) for p, w in zip(parts, widths, strict=False)]

        def fits(heights: list[float]) -> bool:
            return sum(heights) + app.gap * (len(heights) - 1) <= room

        for scale in (1.0, 1.0 / max(1.0, app.text_scale)):
            heights = heights_at(scale)
            if fits(heights):
                return heights
        if self.compact and full:
            # the instruction's last sentences; beside a hint, then none (the hint says
            # what to do now) and the hint's own last sentences
            for text in sentence_tails(full)[1:]:
                self.instruction.text = text
                heights = heights_at(self.instruction.scale)
                if fits(heights):
                    return heights
            if len(parts) > 1:
                self.instruction.text = ""
                hint = self.strip_text.text
                for text in sentence_tails(hint):
                    self.strip_text.text = text
                    heights = heights_at(self.instruction.scale)
                    if fits(heights):
                        return heights
                self.instruction.text = sentence_tails(full)[-1]  # the strip left out
                heights = heights_at(self.instruction.scale)[:1]
            # never over the controls: what does not fit is left out (said aloud already)
            return heights if fits(heights) else []
        if self.device_stage_stacked and len(parts) > 1:
            return heights[:1]
        return heights

    def _measure(self, part: Widget, width: float) -> float:
        gap = App.get_running_app().gap
        if isinstance(part, TextLabel):
            return sized(part, width, part.scale)
        return sized(self.strip_text, width - 1.2 * gap, self.strip_text.scale) + 1.2 * gap

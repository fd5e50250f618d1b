"""The column beside a practice that takes a tablet's whole height (PracticeStage's compact
layout, docs/kiosk.md "On a tablet"): the screen's progress line and controls lent to it
(`Lent`), whether they fit (`compact_fits`), and an instruction folded to its end where the
column is short (`sentence_tails`, pure)."""

from __future__ import annotations

import re

from kivy.app import App
from kivy.uix.widget import Widget

from kiosk_app.look.device_frame import compact_stage, is_compact
from kiosk_app.look.label_width import line_height
from kiosk_app.widgets.base import BigButton, TextLabel
from kiosk_app.widgets.control_bar import ControlBar
from kiosk_app.widgets.progress_label import ProgressLabel
from lessons.model import Device

SENTENCE_END = re.compile(r"(?<=[.?!。])\s+")
FOLDED = "… "  # before an instruction shown from a later sentence (it was said whole)
TAIL_WORDS = 2  # a folded instruction keeps at least its last two words (「'통화'를 누르세요.」)


def sentence_tails(text: str) -> list[str]:
    """`text`, then shorter and shorter versions of it that keep its end (the instruction's
    action is there: 「…보내 봐요. '전송'을 누르세요.」): its last sentences, then the last
    sentence's last words (at least TAIL_WORDS), each marked as folded."""
    sentences = SENTENCE_END.split(text.strip())
    tails = [FOLDED + " ".join(sentences[i:]) for i in range(1, len(sentences))]
    words = sentences[-1].split()
    tails += [FOLDED + " ".join(words[i:]) for i in range(1, len(words) - TAIL_WORDS + 1)]
    return [text, *tails]


class Lent:
    """A screen's head (its progress line) and its controls, lent to the practice stage
    while a practice takes a short window's whole height, and put back where they were."""

    def __init__(self, head: Widget, bar: ControlBar) -> None:
        self.head, self.bar = head, bar
        self.homes = [(part, part.parent, part.parent.children.index(part)) for part in (head, bar)]

    def move_to(self, stage: Widget) -> None:
        for part, _, _ in self.homes:
            if part.parent is not stage:
                if part.parent is not None:
                    part.parent.remove_widget(part)
                stage.add_widget(part)
        self.bar.pad = True
        # the progress line (and 말하기, a class's notice) at the kiosk's design size, as
        # the controls: at a large text size they would take the instruction's lines
        self._scale_head(1.0 / max(1.0, App.get_running_app().text_scale))

    def _scale_head(self, scale: float) -> None:
        app = App.get_running_app()
        for widget in self.head.walk(restrict=True):
            if isinstance(widget, BigButton):  # 0: the standard height, as its kv rule has it
                least = app.button_height_at(scale, app.button_font)
                widget.least_height = least if scale < 1 else 0
            if isinstance(widget, BigButton | TextLabel):
                widget.scale = scale

    def progress_only(self) -> bool:
        """Whether the head shows nothing but the progress line (no 말하기, no class
        notice): only then may it give way to the instruction."""
        return all(
            isinstance(part, ProgressLabel) or part.width < 1 or part.height < 1 or not part.opacity
            for part in self.head.children
        )

    def go_home(self) -> None:
        self.bar.keep_only(None)
        for part, home, index in self.homes:
            if part.parent is home:
                continue
            if part.parent is not None:
                part.parent.remove_widget(part)
            part.size_hint = (1, None) if part is self.head else (None, 1)
            if part is self.bar:  # as the screen's rule has it (lesson.kv)
                part.width = App.get_running_app().bar_width
                self.bar.use_scale(App.get_running_app().bar_scale)
            home.add_widget(part, index=min(index, len(home.children)))
        self.bar.pad = False
        self._scale_head(1.0)


def one_line(font: float) -> float:
    """The height of a line of the instruction's folded end at `font`."""
    return line_height(FOLDED + "Ag", font, bold=False)


def compact_fits(lent: Lent | None, device: Device, words: float) -> bool:
    """A short window (a tablet) and a column beside the full-height device that holds, at
    the kiosk's design size, the controls' rows and at least a line of the instruction's
    end (Korean: three rows, the progress line and five lines; English: four rows, the ▲ ▼
    beside the last two, and two lines where the progress line gives way)."""
    from kivy.core.window import Window

    app = App.get_running_app()
    if lent is None or not is_compact(Window.height, app.px_mm):
        return False
    room = Window.width - 2 * app.margin, Window.height - 2 * app.margin
    found = compact_stage(room[0], Window.height, app.px_mm, app.gap, device, words)
    lent.bar.use_scale(1.0 / max(1.0, app.text_scale))
    if (
        lent.bar.pad_height(found.column)
        + app.gap
        + one_line(app.body_font / max(1.0, app.text_scale))
        <= room[1]
    ):
        return True
    lent.bar.use_scale(app.bar_scale)
    return False

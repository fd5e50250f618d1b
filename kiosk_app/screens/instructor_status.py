"""Instructor mode, second page: what the kiosk is doing (store, sync, broker, voice) and
the volume. Refreshed every few seconds while it is shown; when the lines do not all fit
(a tablet, English, a problem or two), they show a page at a time with ◀ ▶, never cut."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk_app.look.layout import rows_per_page
from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.teaching.status_report import StatusInputs, status_lines, stepped_volume
from kiosk_app.voice.commands import COMMANDS_LANGUAGE
from kiosk_app.widgets.base import BigButton, TextLabel

REFRESH_SECONDS = 2.0  # the sync agent drains a backlog in seconds: show it moving


class InstructorStatusScreen(KioskScreen):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page = 0
        self.lines: list[str] = []
        self.kind = "card"
        self._show = Clock.create_trigger(lambda dt: self.show(), -1)
        self.ids.status.bind(size=self._show)

    def enter(self, **kwargs: Any) -> None:
        self.page = 0
        self.refresh()
        self._ticker = Clock.schedule_interval(self.refresh, REFRESH_SECONDS)

    def on_leave(self, *args: Any) -> None:
        ticker = getattr(self, "_ticker", None)
        if ticker is not None:
            ticker.cancel()

    def refresh(self, *args: Any) -> None:
        app, kiosk = self.app, self.kiosk
        status = kiosk.status()
        commands = app.voice_commands
        voice = commands.status if commands is not None else "voice.no_model"
        if app.language != COMMANDS_LANGUAGE:
            voice = "voice.korean_only"
        inputs = StatusInputs(
            center_id=kiosk.config.center_id,
            kiosk_id=kiosk.config.kiosk_id,
            store=status.store,
            waiting_writes=status.waiting_writes,
            problem_key=status.problem.key if status.problem else None,
            broker=str(app.site.broker),
            broker_connected=app.site.connected,
            speaker_status=kiosk.speaker.status,
            voice_status=voice,
            voice_ready=app.voice_ready,
            volume=kiosk.speaker.volume,
            now=app.clock(),
        )
        self.lines = status_lines(inputs, app.language)
        self.kind = "wrong" if status.problem else "card"
        self.show()

    def show(self) -> None:
        """The lines that fit the panel, from the page turned to."""
        app, panel = self.app, self.ids.status
        panel.clear_widgets()
        panel.kind = self.kind
        if not self.lines:
            return  # laid out before the first refresh
        labels = [self._line(text, panel.width - 2 * app.gap) for text in self.lines]
        heights = [label.height for label in labels]
        room = panel.height - 2 * app.gap
        pages = rows_per_page(heights, room, 0)
        if len(pages) > 1:  # a row of arrows takes room from the lines
            pages = rows_per_page(heights, room - app.button_height - app.gap, 0)
        self.page = min(self.page, len(pages) - 1)
        for index in pages[self.page]:
            panel.add_widget(labels[index])
        panel.add_widget(Widget())  # the lines stay at the top
        if len(pages) > 1:
            panel.add_widget(self._arrows(len(pages)))

    def _line(self, text: str, width: float) -> TextLabel:
        label = TextLabel(text=text, halign="left", kind=self.kind, width=max(1, width))
        label.texture_update()
        label.height = label.texture_size[1]
        return label

    def _arrows(self, count: int) -> BoxLayout:
        app = self.app
        row = BoxLayout(size_hint_y=None, height=app.button_height, spacing=app.gap)
        row.add_widget(TextLabel(text=f"{self.page + 1} / {count}", kind=self.kind))
        for text, delta, enabled in (("◀", -1, self.page > 0), ("▶", 1, self.page < count - 1)):
            arrow = BigButton(text=text, size_hint_x=None, width=app.target * 1.2)
            arrow.disabled, arrow.opacity = not enabled, 1 if enabled else 0
            arrow.bind(on_release=lambda w, d=delta: self.turn(d))
            row.add_widget(arrow)
        return row

    def turn(self, delta: int) -> None:
        self.page = max(0, self.page + delta)
        self.show()

    def louder(self, steps: int) -> None:
        self.kiosk.set_volume(stepped_volume(self.kiosk.speaker.volume, steps))
        self.refresh()

    def retry(self) -> None:
        self.kiosk.writer.retry()
        self.refresh()


load_kv(__file__)

"""Instructor mode, second page: what the kiosk is doing (store, sync, broker, voice) and
the volume. Refreshed every few seconds while it is shown."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock

from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.status_report import StatusInputs, status_lines, stepped_volume
from kiosk_app.voice.commands import COMMANDS_LANGUAGE

REFRESH_SECONDS = 2.0  # the sync agent drains a backlog in seconds: show it moving


class InstructorStatusScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
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
        self.ids.status.text = "\n".join(status_lines(inputs, app.language))
        self.ids.status.kind = "wrong" if status.problem else "card"

    def louder(self, steps: int) -> None:
        self.kiosk.set_volume(stepped_volume(self.kiosk.speaker.volume, steps))
        self.refresh()

    def retry(self) -> None:
        self.kiosk.writer.retry()
        self.refresh()


load_kv(__file__)

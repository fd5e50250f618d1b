"""Help is coming: the help event is recorded, a help call goes to the center (the class
runner sends a robot and tells the instructor), and the learner is told someone will come."""

from __future__ import annotations

from typing import Any

from kiosk_app.screens.base import KioskScreen, load_kv


class HelpScreen(KioskScreen):
    def enter(self, back_to: str = "lesson", **kwargs: Any) -> None:
        """`back_to`: the screen 수업으로 돌아가기 returns to."""
        self.back_to = back_to
        learner = self.kiosk.learner
        self.app.site.help(learner.name if learner else None)


load_kv(__file__)

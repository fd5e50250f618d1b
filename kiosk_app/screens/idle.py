"""Are you still there?: asked aloud and on screen, with a huge 계속하기."""

from __future__ import annotations

from typing import Any

from kiosk_app.screens.base import KioskScreen, load_kv


class IdleScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        self.back_to = kwargs.get("back_to", "home")
        self.say("아직 계세요? 계속하시려면 화면의 계속하기를 눌러 주세요.")

    def count_down(self, seconds: int) -> None:
        self.ids.left.text = (
            f"{seconds}초 뒤에 처음 화면으로 돌아가요.\n배운 것은 모두 저장되어 있어요."
        )

    def keep_going(self) -> None:
        self.app.idle.touch(self.app.clock())
        self.app.go(self.back_to)


load_kv(__file__)

"""The warm end of a lesson."""

from __future__ import annotations

from typing import Any

from kiosk_app.screens.base import KioskScreen, load_kv


class CompleteScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        run = self.kiosk.run
        assert run is not None
        title = run.session.lesson.title.get("ko")
        mastered = bool(run.view.mastered)
        self.ids.headline.text = "정말 잘하셨어요!" if mastered else "수고하셨어요!"
        self.ids.message.text = (
            f"'{title}' 수업을 모두 마쳤어요.\n배운 것은 모두 저장되었어요."
            if mastered
            else f"'{title}' 수업을 끝까지 마쳤어요.\n다음에 한 번 더 연습해 봐요."
        )
        self.ids.headline.kind = "right" if mastered else "screen"


load_kv(__file__)

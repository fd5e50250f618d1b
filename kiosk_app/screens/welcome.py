"""Welcome: nobody is signed in. One big 시작하기, today's class from the center's schedule,
and, while a robot-led class is running, a huge 수업 참여하기."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kivy.clock import Clock

from kiosk_app.look.ui_text import tr
from kiosk_app.screens.base import KioskScreen, load_kv

if TYPE_CHECKING:  # the first frame shows this screen before the services are imported
    from kiosk_app.site_link import SiteEvent

START_TALL = 1.5
JOIN_TALL = 1.5  # where the screen has room; standard height where it has not


class WelcomeScreen(KioskScreen):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fit = Clock.create_trigger(lambda dt: self.fit(), -1)
        self.ids.column.bind(minimum_height=self._fit, height=self._fit)

    def enter(self, **kwargs: Any) -> None:
        self.refresh()

    def fit(self) -> None:
        """On a small screen (a tablet, long English lines) the join button gives up its
        extra height, then the class lines drop to the body size (still above the floor),
        before anything is pushed off the screen."""
        column, ids = self.ids.column, self.ids
        if column.minimum_height <= column.height:
            return
        if ids.join.tall > 1:
            ids.join.tall = 1.0
        else:
            ids.today.role = ids.now.role = "body"

    def site_event(self, event: SiteEvent) -> None:
        if event.running or event.schedule is not None:
            self.refresh()

    def refresh(self) -> None:
        # The first frame comes before the services are up: greeting and 시작하기 only (a
        # touch then waits for them); the app refreshes this screen once they are.
        ready, language = self.app.ready, self.app.language
        starting = tr("welcome.starting", language)
        self.ids.today.text = self.kiosk.today_line(self.app.site.schedule) if ready else starting
        self.joinable = self.app.site.joinable() if ready else None
        join, start = self.ids.join, self.ids.start
        join.opacity, join.disabled = (1, False) if self.joinable else (0, True)
        join.tall, self.ids.today.role, self.ids.now.role = JOIN_TALL, "button", "button"
        start.kind = "button" if self.joinable else "primary"  # one primary action
        start.tall = 1.0 if self.joinable else START_TALL
        # on a tablet the class needs the greeting's room
        self.ids.greeting.text = "" if self.joinable else tr("welcome.greeting", language)
        self.ids.intro.text = "" if self.joinable else tr("welcome.intro", language)
        lesson = self.kiosk.library.lessons.get(self.joinable.lesson_id) if self.joinable else None
        title = lesson.title.get(language) if lesson else ""
        self.ids.now.text = tr("welcome.class_now", language, title=title) if lesson else ""

    def join(self) -> None:
        if self.joinable is not None:
            self.app.go("who", joining=self.joinable.class_id)


load_kv(__file__)

"""Class mode: the learner follows a robot-led class. The class's current step in the lesson
player's look; practice and quizzes are done here and reported to the class runner; the
bar is 다시 듣기 · 도와주세요 · 수업 나가기 (the class sets the pace, so no 이전/다음)."""

from __future__ import annotations

from typing import Any

from kiosk_app.screens.base import KioskScreen, load_kv
from kiosk_app.site_link import SiteEvent
from kiosk_app.teaching.class_mode import ClassRun
from kiosk_app.widgets.control_bar import ControlBar  # noqa: F401  (used in classroom.kv)
from kiosk_app.widgets.mock_device import MockDevice
from kiosk_app.widgets.progress_label import ProgressLabel  # noqa: F401  (in classroom.kv)
from kiosk_app.widgets.step_body import StepBody  # noqa: F401  (used in classroom.kv)


class ClassroomScreen(KioskScreen):
    def enter(self, class_id: str | None = None, **kwargs: Any) -> None:
        """With `class_id`: join that class (else: back from the help screen)."""
        if class_id is not None:
            run = self.kiosk.join_class()
            self.app.site.join(class_id)
            state = self.app.site.running.get(class_id)
            if state is not None:
                run.follow(state)  # a late joiner lands on the current step
            self._tell_status()
        self.show()

    @property
    def class_run(self) -> ClassRun:
        run = self.kiosk.class_run
        assert run is not None, "join a class first"
        return run

    @property
    def practice(self) -> MockDevice:
        return self.ids.body.practice

    def site_event(self, event: SiteEvent) -> None:
        if event.update is not None and self.kiosk.class_run is not None:
            self.app.idle.touch(self.kiosk.clock())  # a class moving on is not an idle kiosk
            self.show()

    def show(self) -> None:
        view = self.class_run.view()
        self.ids.body.stage.borrow(self.ids.head, self.ids.bar)  # see LessonScreen.enter
        self.ids.progress.full, self.ids.progress.short = view.progress, view.steps
        self.ids.notice.text = view.notice
        body = self.ids.body
        run = self.class_run.run
        if view.step is not None and run is not None:
            body.show(run, self.kiosk.library, self.tap, self.answer)
            return
        body.show_text("\n".join(view.lines))

    def tap(self, element_id: str) -> None:
        self.class_run.tap(element_id)
        self._after_input()

    def answer(self, choice: int) -> None:
        self.class_run.answer(choice)
        self._after_input()

    def repeat(self) -> None:
        self.class_run.repeat()

    def _after_input(self) -> None:
        if self.class_run.report_due():
            self.app.site.practice_done()
        self._tell_status()
        self.show()

    def _tell_status(self) -> None:
        """Who is here and how the step goes, for the instructor's console (when changed)."""
        learner = self.kiosk.learner
        self.app.site.status(self.class_run.desk(learner.name if learner else None))

    def help(self) -> None:
        self.class_run.help()
        self.app.go("help", back_to=self.name)

    def leave(self) -> None:
        """수업 나가기: out of the class and back to the welcome screen (progress is stored)."""
        self.app.site.leave()
        self.app.sign_out()


load_kv(__file__)

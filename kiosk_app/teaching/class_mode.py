"""A learner at this kiosk in a robot-led class, pure: the lesson run follows the class state
(joining late lands on the current step), the learner practises on the kiosk with the same
session machine and hint ladder, and the kiosk reports each practice or quiz done once.

The robot (or, when it dropped out, the kiosk through `ClassUpdate.speak`) says each step's
opening lines, so moving with the class is silent here; what the learner's own inputs bring
(hints, "잘했어요", quiz feedback, 다시 듣기) is spoken as in a self-paced lesson. Progress
events are recorded exactly as for a self-paced lesson.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kiosk_app.look.ui_text import tr
from kiosk_app.teaching.lesson_run import LessonRun, Record, Speak
from lessons.graphemes import fits
from lessons.library import Library
from lessons.model import Language
from lessons.session import Clock, LessonSession, StepView
from robot_bridge.protocol.class_messages import ClassState, ClassStatus, Desk
from robot_bridge.protocol.wire import MAX_NAME_CHARS

ENDED = (ClassStatus.FINISHED, ClassStatus.STOPPED)
NOTICES = {  # the notice strip for a class that is not simply running (kiosk_app.look.ui_text keys)
    ClassStatus.FINISHED: "class.finished",
    ClassStatus.STOPPED: "class.stopped",
    ClassStatus.PAUSED: "class.paused",
}


@dataclass(frozen=True)
class ClassView:
    """What the class screen shows for the class state and the learner's run."""

    progress: str  # "전화 걸고 받기 · 수업 3 / 9 단계" ("Phone calls · Class step 3 of 9")
    notice: str  # paused, ended, waiting for the others, or ""
    step: StepView | None  # the lesson player's view; None when this kiosk lacks the lesson
    lines: tuple[str, ...]  # what is being said now (shown when there is no step view)
    practising: bool  # practice or quiz inputs are taken
    ended: bool
    steps: str = ""  # "수업 3 / 9 단계": the progress without the title, for a narrow screen


@dataclass
class ClassRun:
    library: Library
    language: Language
    learner_id: str
    speak: Speak
    record: Record
    clock: Clock
    state: ClassState | None = None
    run: LessonRun | None = None
    _quiet: bool = False
    _reported: set[int] = field(default_factory=set)

    # ---- the class moves ------------------------------------------------------------------

    def follow(self, state: ClassState, speak: Sequence[str] = ()) -> None:
        """A class state arrived: move the run to its step; say `speak` (the kiosk's turn)."""
        self.state = state
        lesson = self.library.lessons.get(state.lesson_id)
        if lesson is None:
            self.run = None
        else:
            self._quiet = True
            try:
                self._move(state)
            finally:
                self._quiet = False
        if speak:
            self.speak(list(speak))

    def _move(self, state: ClassState) -> None:
        run = self.run
        if run is None or run.lesson_id != state.lesson_id:
            lesson = self.library.lessons[state.lesson_id]
            session = LessonSession(
                lesson, clock=self.clock, learner_id=self.learner_id, screens=self.library.screens
            )
            run = LessonRun(session, self.language, self._speak_own, self.record, self.clock)
            self.run = run
            run.start(min(state.step_index, len(lesson.steps) - 1))
        target = min(state.step_index, run.view.total - 1)
        while not run.view.finished and run.view.index < target:
            run.next()
        while not run.view.finished and run.view.index > target:
            run.back()
        if state.status == ClassStatus.FINISHED and not run.view.finished:
            run.next()  # the class walked past its last step: the lesson is completed

    def _speak_own(self, lines: list[str]) -> None:
        if not self._quiet:
            self.speak(lines)

    # ---- the learner ----------------------------------------------------------------------

    def tap(self, element_id: str) -> None:
        if self.view().practising and self.run:
            self.run.tap(element_id)

    def answer(self, choice: int) -> None:
        if self.view().practising and self.run:
            self.run.answer(choice)

    def repeat(self) -> None:
        """다시 듣기: the step's own lines, or what the class is saying now."""
        if self.run is not None and not self.run.view.finished:
            self.run.repeat()
        elif self.state is not None and self.state.lines:
            self.speak(list(self.state.lines))

    def help(self) -> None:
        if self.run is not None:
            self.run.help()

    def tick(self) -> None:
        if self.view().practising and self.run:
            self.run.tick()

    def desk(self, learner: str | None) -> Desk:
        """Who is at this kiosk and how the class's step goes for them, for the instructor's
        console: the hint level reached, the quiz answer taken and whether it was right."""
        name = learner if learner is not None and fits(learner, MAX_NAME_CHARS) else None
        state, run = self.state, self.run
        view = run.view if run is not None else None
        if view is None or state is None or view.index != state.step_index or view.step.say:
            return Desk(learner=name)
        hint = min(view.hint_level, 3)
        return Desk(learner=name, hint_level=hint, answer=view.quiz_choice, right=view.quiz_correct)

    def report_due(self) -> bool:
        """True once per step, when the learner has just done this step's practice or quiz."""
        state, run = self.state, self.run
        if state is None or run is None or state.step_index in self._reported:
            return False
        view = run.view
        done = view.practice_done if view.step.practice else bool(view.quiz_correct)
        if view.finished or view.index != state.step_index or view.step.say or not done:
            return False
        self._reported.add(state.step_index)
        return True

    # ---- what to show ---------------------------------------------------------------------

    def view(self) -> ClassView:
        state = self.state
        if state is None:
            return ClassView("", tr("class.waiting", self.language), None, (), False, False)
        lesson = self.library.lessons.get(state.lesson_id)
        title = lesson.title.get(self.language) if lesson else ""
        number, total = state.step_index + 1, state.total_steps
        steps = tr("class.steps", self.language, step=number, total=total)
        progress = tr("class.progress", self.language, title=title, steps=steps)
        ended = state.status in ENDED
        run = self.run
        step = run.view if run is not None and not run.view.finished else None
        practising = (
            state.status == ClassStatus.RUNNING and step is not None and step.step.say is None
        )
        return ClassView(
            progress.strip(" ·"),
            self._notice(state, step),
            step,
            tuple(state.lines),
            practising,
            ended,
            steps,
        )

    def _notice(self, state: ClassState, step: StepView | None) -> str:
        key = NOTICES.get(state.status)
        if key is None and step is not None and state.step_index in self._reported:
            key = "class.done_waiting"
        return tr(key, self.language) if key else ""

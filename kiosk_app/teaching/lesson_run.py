"""One learner going through one lesson at the kiosk: the session machine plus what the
kiosk does after every input (speak the lines, show the feedback, store events and place).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk_app.storage.store import LessonState
from lessons.events import ProgressEvent
from lessons.model import Language, Line
from lessons.session import Clock, LessonSession, StepView

Speak = Callable[[list[str]], None]
Record = Callable[[list[ProgressEvent], LessonState], None]


@dataclass
class LessonRun:
    session: LessonSession
    language: Language
    speak: Speak
    record: Record
    clock: Clock
    was_mastered: bool = False
    feedback: str = ""  # a hint, a quiz explanation or praise, shown under the step
    feedback_kind: str = ""  # "hint", "right", "wrong", "help" or ""
    _listeners: list[Callable[[], None]] = field(default_factory=list)

    def start(self, at_step: int = 0) -> None:
        self._after(self.session.start(at_step), "")

    def next(self) -> None:
        self._after(self.session.next(), "")

    def back(self) -> None:
        self._after(self.session.back(), "")

    def repeat(self) -> None:
        self._after(self.session.repeat(), self.feedback_kind, keep_feedback=True)

    def tap(self, element_id: str) -> None:
        self._practice_input(lambda: self.session.tap(element_id))

    def hold(self, element_id: str) -> None:
        """A long press on an element of the practice screen."""
        self._practice_input(lambda: self.session.hold(element_id))

    def back_key(self) -> None:
        """The simulated phone's back key."""
        self._practice_input(self.session.back_key)

    def swipe(self, direction: str) -> None:
        """A swipe on the practice screen, or one of its big arrows."""
        self._practice_input(lambda: self.session.swipe(direction))

    def typed(self, field_id: str, text: str) -> None:
        """The on-screen keyboard left `text` in a field (after every key)."""
        self._practice_input(lambda: self.session.typed(field_id, text))

    def _practice_input(self, give: Callable[[], list[Line]]) -> None:
        """An input on the practice: right ones move on, wrong ones get a hint; one that
        was no attempt (typing on, scrolling) keeps the strip as it was."""
        before = self.session.view
        lines = give()
        after = self.session.view
        right = after.practice_done or after.taps_done > before.taps_done
        self._after(lines, "right" if right else "hint", keep_feedback=not lines and not right)

    def answer(self, choice: int) -> None:
        lines = self.session.answer(choice)
        self._after(lines, "right" if self.session.view.quiz_correct else "wrong")

    def help(self) -> None:
        self._after(self.session.help(), "help")

    def tick(self) -> None:
        lines = self.session.tick()
        if lines:
            self._after(lines, "hint")

    @property
    def view(self) -> StepView:
        return self.session.view

    @property
    def lesson_id(self) -> str:
        return self.session.lesson.id

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every input that was taken."""
        self._listeners.append(listener)

    def _after(self, lines: list[Line], kind: str, keep_feedback: bool = False) -> None:
        if lines:  # as said, cues included: the speaker turns pauses into silence, drops cues
            self.speak([line.speech(self.language) for line in lines])
        shown = [line.shown(self.language) for line in lines]
        if not keep_feedback:
            self.feedback = shown[-1] if kind and shown else ""
            self.feedback_kind = kind if self.feedback else ""
        self.record(self.session.take_events(), self._state())
        for listener in self._listeners:
            listener()

    def _state(self) -> LessonState:
        s = self.session
        assert s.learner_id is not None
        return LessonState(
            learner_id=s.learner_id,
            lesson_id=s.lesson.id,
            step_index=0 if s.finished else s.index,
            in_progress=not s.finished,
            finished=s.finished,
            mastered=self.was_mastered or bool(s.mastered),
            updated_at=self.clock(),
        )

"""A kiosk in class mode, pure: which classes are running, the step to show, which lines to
speak itself (when the class state says the kiosks speak), and what to report to the runner.
The kiosk embeds it through `class_client.ClassClient`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from robot_bridge.protocol.class_messages import (
    ClassState,
    ClassStatus,
    Desk,
    KioskReport,
    KioskReportKind,
    Speaker,
)


@dataclass(frozen=True)
class ClassUpdate:
    """What changed for the kiosk: the class state, lines to speak now, a new step."""

    state: ClassState
    speak: tuple[str, ...] = ()
    new_step: bool = False
    ended: bool = False


@dataclass
class ClassFollower:
    kiosk: str
    class_id: str | None = None
    running: dict[str, ClassState] = field(default_factory=dict)  # for the welcome screen
    _spoken_seq: int = -1
    _step: int | None = None
    _entered: int = -1  # ClassState.entered of the step shown: a step entered anew starts over
    _done_step: int | None = None
    _told: tuple[int, Desk] | None = None  # the last status told: (step, desk)

    def join(self, class_id: str) -> KioskReport:
        """Follow `class_id` from now on (the kiosk shows its current step)."""
        self.class_id, self._step, self._done_step, self._entered = class_id, None, None, -1
        self._told = None
        state = self.running.get(class_id)
        self._spoken_seq = state.say_seq if state else -1  # do not replay a line half said
        return KioskReport(kind=KioskReportKind.JOINED, class_id=class_id)

    def leave(self) -> KioskReport:
        report = KioskReport(kind=KioskReportKind.LEFT, class_id=self.class_id)
        self.class_id = None
        return report

    def practice_done(self) -> KioskReport | None:
        """The learner finished this step's practice or quiz: tell the runner (once)."""
        if self.class_id is None or self._step is None or self._done_step == self._step:
            return None
        self._done_step = self._step
        return KioskReport(kind=KioskReportKind.DONE, class_id=self.class_id, step_index=self._step)

    def status(self, desk: Desk) -> KioskReport | None:
        """Who is at this kiosk and how the step goes (for the instructor's console): a
        report when that changed since it was last told."""
        if self.class_id is None:
            return None
        known = self.running.get(self.class_id)
        step = self._step if self._step is not None else known.step_index if known else None
        if step is None or self._told == (step, desk):
            return None
        self._told = (step, desk)
        return self._status_report()

    def told_status(self) -> KioskReport | None:
        """The last status again (after a reconnect: the runner may have restarted)."""
        return self._status_report() if self.class_id is not None else None

    def _status_report(self) -> KioskReport | None:
        if self._told is None:
            return None
        step, desk = self._told
        kind = KioskReportKind.STATUS
        return KioskReport(kind=kind, class_id=self.class_id, step_index=step, desk=desk)

    def reconnected(self) -> KioskReport | None:
        """After a reconnect: say again that this kiosk is in its class."""
        if self.class_id is None:
            return None
        return KioskReport(kind=KioskReportKind.JOINED, class_id=self.class_id)

    def is_heartbeat(self, state: ClassState) -> bool:
        """Whether `state` only says again what is known (the runner's heartbeat, 1.2):
        nothing for the kiosk to redraw, and no sign of a learner's activity."""
        before = self.running.get(state.class_id)
        if before is None or before.model_copy(update={"at": state.at}) != state:
            return False
        return state.class_id != self.class_id or self._step is not None  # not yet shown

    def on_state(self, state: ClassState) -> ClassUpdate | None:
        """A class state arrived; an update if it is the followed class and says something
        new."""
        if self.is_heartbeat(state):
            self.running[state.class_id] = state
            return None
        ended = state.status in (ClassStatus.FINISHED, ClassStatus.STOPPED)
        if ended:
            self.running.pop(state.class_id, None)
        else:
            self.running[state.class_id] = state
        if state.class_id != self.class_id:
            return None
        # a new step, or the same one entered anew (gone back to, repeated: runner 1.2)
        new_step = (state.step_index, state.entered) != (self._step, self._entered)
        self._step, self._entered = state.step_index, state.entered
        if new_step:
            self._done_step = None  # its practice is reported again when done again
        speak: tuple[str, ...] = ()
        # new lines are said while paused too: an announcement ("5분 쉬었다 할게요") is
        # the only thing a paused class says
        kiosks_speak = state.speaker == Speaker.KIOSKS and not ended
        if kiosks_speak and state.say_seq > self._spoken_seq:
            speak = tuple(state.lines)
        self._spoken_seq = max(self._spoken_seq, state.say_seq)
        if ended:
            self.class_id = None
        return ClassUpdate(state, speak, new_step, ended)

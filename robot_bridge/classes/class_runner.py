"""One robot-led class, pure: it walks a `LessonSession`, decides who says each line (a robot,
or the kiosks when no robot can), when to move on, and returns the messages to publish.

Inputs are robot statuses and events, kiosk reports, instructor control and `tick()`; the
clock is passed in. Nothing here touches the network.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from lessons.model import Lesson, Line
from lessons.session import LessonSession
from robot_bridge.classes.class_robots import (
    ACCEPT_SECONDS,
    CLOCK_SKEW_SECONDS,
    DONE_MARGIN_SECONDS,
    RESEND_AFTER_SECONDS,
    ClassRobots,
)
from robot_bridge.classes.class_seats import InFlight, Outgoing, RobotSeat
from robot_bridge.classes.help_points import HelpPoints
from robot_bridge.protocol.class_messages import (
    HEARTBEAT_SECONDS,
    MAX_DESKS,
    ClassControl,
    ClassState,
    ClassStatus,
    ControlAction,
    Desk,
    KioskReport,
    KioskReportKind,
    Lang,
    NoticeKey,
    PauseReason,
    Speaker,
)
from robot_bridge.protocol.robot_messages import (
    Command,
    EmergencyStop,
    RobotState,
    RobotStatus,
    SayArgs,
)
from robot_bridge.robots.say_plan import marks_of
from robot_bridge.robots.speech_timing import speech_seconds

log = logging.getLogger(__name__)
__all__ = [  # the robots' timings live beside their handling; tests read them here too
    "ACCEPT_SECONDS",
    "CLOCK_SKEW_SECONDS",
    "DONE_MARGIN_SECONDS",
    "HEARTBEAT_SECONDS",
    "RESEND_AFTER_SECONDS",
    "ClassRun",
]


def announcement(text: str) -> Line:
    """The instructor's words as a line to say: brackets are theirs, not robot cues."""
    plain = text.replace("[", "(").replace("]", ")").strip()
    return Line(ko=plain, en=plain)


# While the kiosks speak in a robot's place, a little extra so they are not cut off.
KIOSK_MARGIN_SECONDS = 1.0
# A breath between steps so that a senior notices the screen change.
STEP_GAP_SECONDS = 0.8
# Longest wait for the kiosks to finish a practice or quiz before the class moves on: most
# seniors take 1–3 minutes, the instructor can move on sooner, nobody waits forever.
PRACTICE_LIMIT_SECONDS = 600.0
# Class speech is a little slower than normal: the audience is 70+.
CLASS_SPEECH_RATE = 0.9


@dataclass
class ClassRun(ClassRobots):
    center: str
    class_id: str
    lesson: Lesson
    robots: list[str]
    clock: Callable[[], float]
    new_id: Callable[[], str]
    lang: Lang = "ko"
    practice_limit: float = PRACTICE_LIMIT_SECONDS
    status: ClassStatus = ClassStatus.RUNNING
    paused_reason: PauseReason | None = None
    seats: dict[str, RobotSeat] = field(default_factory=dict)
    kiosks: set[str] = field(default_factory=set)
    practice_done: set[str] = field(default_factory=set)
    desks: dict[str, Desk] = field(default_factory=dict)  # kiosk → its learner and step
    session: LessonSession = field(init=False)
    _pending: list[Line] = field(default_factory=list)  # lines of this step still to say
    _announcements: list[Line] = field(default_factory=list)  # the instructor's, said first
    _finishing: InFlight | None = None  # a line of a step steered away from, still being said
    _entered: int = 0  # steps entered so far (ClassState.entered)
    _paused_at: float | None = None  # when the class paused
    _stated_at: float = 0.0  # when the state was last published
    _in_flight: InFlight | None = None
    _kiosks_until: float = 0.0  # the kiosks are saying a line until then
    _lines_done_at: float | None = None  # all lines of the step said
    _say_seq: int = 0
    _speaker: str | None = None  # robot saying the line now; None: the kiosks
    _lines: list[str] = field(default_factory=list)
    _points: HelpPoints = field(init=False)
    _strangers: set[str] = field(default_factory=set)  # robots heard of, not in the class

    def __post_init__(self) -> None:
        self._points = HelpPoints(self.class_id)
        self.session = LessonSession(self.lesson, self.clock)
        for robot in self.robots:
            self.seats.setdefault(robot, RobotSeat())

    # ---- inputs ---------------------------------------------------------------------------

    def start(self, statuses: dict[str, RobotStatus]) -> list[Outgoing]:
        """Begin the class with the robots' last known statuses."""
        for robot, status in statuses.items():
            if robot in self.seats and status.state != RobotState.OFFLINE:
                self.seats[robot] = RobotSeat(True, True, frozenset(status.capabilities))
        return self._enter(self.session.start())

    def kiosk_report(self, kiosk: str, report: KioskReport) -> list[Outgoing]:
        mine = report.class_id == self.class_id
        if report.kind == KioskReportKind.JOINED and mine:
            self.kiosks.add(kiosk)
        elif report.kind == KioskReportKind.LEFT and (mine or report.class_id is None):
            if kiosk not in self.kiosks:
                return []
            self.kiosks.discard(kiosk)
            self.desks.pop(kiosk, None)
        elif report.kind == KioskReportKind.DONE and mine and report.step_index == self.index:
            self.kiosks.add(kiosk)
            self.practice_done.add(kiosk)
        elif report.kind == KioskReportKind.STATUS and mine and report.desk is not None:
            return self._desk(kiosk, report)
        else:
            return []
        return [self._state(), *self._advance()]

    def _desk(self, kiosk: str, report: KioskReport) -> list[Outgoing]:
        """Who is at `kiosk` and how this step goes for them, for the instructor's console;
        a report of another step (a late one) keeps only the learner."""
        assert report.desk is not None
        if kiosk not in self.desks and len(self.desks) >= MAX_DESKS:
            return []
        desk = report.desk
        if report.step_index != self.index:
            desk = Desk(learner=desk.learner)
        if self.desks.get(kiosk) == desk and kiosk in self.kiosks:
            return []
        self.kiosks.add(kiosk)
        self.desks[kiosk] = desk
        return [self._state()]

    def control(self, command: ClassControl) -> list[Outgoing]:
        if self._finished:
            return []
        action = command.action
        if action == ControlAction.PAUSE and self.status == ClassStatus.RUNNING:
            self._pause("instructor")
            return [self._state()]
        if action == ControlAction.RESUME and self.status == ClassStatus.PAUSED:
            self.status, self.paused_reason = ClassStatus.RUNNING, None
            if self._lines_done_at is not None and self._paused_at is not None:
                # a break is no practice time: the limit counts from where it stopped
                self._lines_done_at += self.clock() - self._paused_at
            self._paused_at = None
            for seat in self.seats.values():  # a person has looked: stopped robots go on
                seat.stopped = False
                seat.ready = seat.online
            return [self._state(), *self._advance()]
        if action == ControlAction.NEXT:
            return self._next_step()
        if action == ControlAction.STOP:
            self.status = ClassStatus.STOPPED
            return [self._state()]
        if action == ControlAction.ESTOP:
            return self._emergency_stop(command.robots)
        if action == ControlAction.ANNOUNCE and command.text:
            self._announcements.append(announcement(command.text))
            return self._advance()
        return self._steer(command)

    def _steer(self, command: ClassControl) -> list[Outgoing]:
        """Back, to a given step, or the current step again: the step is entered anew (a
        line a robot is saying ends on its own; its `done` is then not in flight)."""
        if command.action == ControlAction.BACK:
            lines = self.session.back()
        elif command.action == ControlAction.GOTO and command.step is not None:
            lines = self.session.go_to(command.step)
        elif command.action == ControlAction.REPEAT:
            lines = self.session.repeat()
        else:
            return []
        if not lines:  # no such step (or the first step and `back`)
            log.info("class %s: %s refused at step %s", self.class_id, command.action, self.index)
            return []
        self._finishing = self._in_flight  # its line ends first: no two voices at once
        self._in_flight = None
        self._kiosks_until = 0.0
        return self._enter(lines)

    def tick(self) -> list[Outgoing]:
        """Deadlines and waits: call a few times a second."""
        flight, now = self._in_flight, self.clock()
        if flight and now > (flight.done_by if flight.accepted else flight.command.deadline):
            what = "no answer" if not flight.accepted else "not done"
            # Silent but not offline (e.g. its command was lost while the broker restarted):
            # the kiosks take this line and the robot gets its turn again at the next step.
            return self._drop(flight.robot, f"{what} by the deadline")
        out = self._advance()
        if not out and self.active and now - self._stated_at >= HEARTBEAT_SECONDS:
            out = [self._state()]  # the heartbeat: central tells a center cut off from
            # one whose class is quietly practising (central/class_groups.py)
        return out

    def reconnected(self) -> list[Outgoing]:
        """After the broker came back: the retained state again, and the line in flight
        again with the same id (a robot that already did it just says so)."""
        flight = self._in_flight
        return [self._state(), *(self._resend(flight.robot) if flight else [])]

    # ---- state ----------------------------------------------------------------------------

    @property
    def index(self) -> int:
        return self.session.index

    @property
    def active(self) -> bool:
        return not self._finished

    @property
    def _finished(self) -> bool:
        return self.status in (ClassStatus.FINISHED, ClassStatus.STOPPED)

    def state(self) -> ClassState:
        step = self.session.step
        return ClassState(
            class_id=self.class_id,
            lesson_id=self.lesson.id,
            lesson_version=self.lesson.version,
            lang=self.lang,
            status=self.status,
            step_index=self.index,
            step_id=step.id,
            step_kind=step.kind,
            total_steps=len(self.lesson.steps),
            speaker=Speaker.ROBOT if self._speaker else Speaker.KIOSKS,
            robot=self._speaker,
            lines=self._lines,
            say_seq=self._say_seq,
            entered=self._entered,
            robots={r: "ready" if s.ready else "offline" for r, s in self.seats.items()},
            kiosks=sorted(self.kiosks),
            practice_done=sorted(self.practice_done),
            desks=dict(self.desks),
            paused_reason=self.paused_reason if self.status == ClassStatus.PAUSED else None,
            heartbeat=HEARTBEAT_SECONDS,
            at=self.clock(),
        )

    # ---- the flow -------------------------------------------------------------------------

    def _enter(self, lines: list[Line]) -> list[Outgoing]:
        """A new step (or the closing words): its lines to say; robots that came back join."""
        for seat in self.seats.values():
            seat.ready = seat.online and not seat.stopped  # a stop holds until resumed
        if not self.session.finished:  # the closing words are said on the last step
            self._entered += 1
        self.session.take_events()  # the class's own walk is no learner's progress: dropped
        self._pending = list(lines)
        self._lines, self._speaker = [], self._pick_speaker()
        self._lines_done_at = None
        self.practice_done.clear()
        self.desks = {kiosk: Desk(learner=desk.learner) for kiosk, desk in self.desks.items()}
        return [self._state(), *self._advance()]

    def _advance(self) -> list[Outgoing]:
        now = self.clock()
        if self._finished or self._in_flight or now < self._kiosks_until:
            return []
        if self._finishing is not None:
            if now < self._finishing.done_by:
                return []  # a robot still says a line of the step the class left
            self._finishing = None
        if self._announcements:  # said even while paused ("5분 쉬었다 할게요")
            return self._say(self._announcements.pop(0))
        if self.status != ClassStatus.RUNNING:
            return []
        if self._pending:
            return self._say(self._pending.pop(0))
        if self._lines_done_at is None:
            self._lines_done_at = now
        if self.session.finished:
            self.status = ClassStatus.FINISHED
            return [self._state(), self._notice(NoticeKey.CLASS_FINISHED)]
        if self._step_complete(now):
            return self._next_step()
        return []

    def _step_complete(self, now: float) -> bool:
        assert self._lines_done_at is not None
        waited = now - self._lines_done_at
        if self.session.step.say is not None:
            return waited >= STEP_GAP_SECONDS
        everyone = bool(self.kiosks) and self.kiosks <= self.practice_done
        return everyone or waited >= self.practice_limit

    def _next_step(self) -> list[Outgoing]:
        self._in_flight = None
        self._kiosks_until = 0.0
        return self._enter(self.session.next())

    def _say(self, line: Line) -> list[Outgoing]:
        parsed = line.parsed(self.lang)
        text = parsed.spoken_text
        self._say_seq += 1
        self._lines = [text]
        robot = self._pick_speaker()
        self._speaker = robot
        if robot is None:
            seconds = speech_seconds(text, self.lang, CLASS_SPEECH_RATE) + parsed.pause_seconds
            self._kiosks_until = self.clock() + seconds + KIOSK_MARGIN_SECONDS
            return [self._state()]
        args = SayArgs(
            text=text,
            lang=self.lang,
            rate=CLASS_SPEECH_RATE,
            marks=marks_of(parsed, self.seats[robot].capabilities),
        )
        now = self.clock()
        command = Command(
            id=self.new_id(),
            action="say",
            args=args.model_dump(exclude_none=True),
            deadline=now + ACCEPT_SECONDS,
            class_id=self.class_id,
        )
        expected = speech_seconds(text, self.lang, CLASS_SPEECH_RATE) + parsed.pause_seconds
        done_by = now + ACCEPT_SECONDS + expected + DONE_MARGIN_SECONDS
        self._in_flight = InFlight(command, robot, line, done_by, sent_at=now)
        return [Outgoing(Command.topic(self.center, robot), command), self._state()]

    def _pick_speaker(self) -> str | None:
        """The robots take turns by step; when the robot whose turn it is cannot speak, the
        kiosks say its lines (the others keep their own turns)."""
        if not self.robots:
            return None
        robot = self.robots[self.index % len(self.robots)]
        seat = self.seats[robot]
        can = seat.ready and not seat.stopped and "say" in seat.capabilities
        return robot if can else None

    def _emergency_stop(self, only: list[str]) -> list[Outgoing]:
        """Stop the class's robots (`only` those, if given) and pause the class. A stop that
        names no robot of the class stops them all: when in doubt, everything stops."""
        named = [r for r in self.robots if r in only]
        if only and not named:
            log.warning("class %s: a stop for %s, not in the class: all stop", self.class_id, only)
        robots = named or self.robots
        stop_id = self.new_id()
        out = [
            Outgoing(EmergencyStop.topic(self.center, r), EmergencyStop(id=stop_id, reason="class"))
            for r in robots
        ]
        for robot in robots:  # their `stopped` answers are expected: no notice
            self._take_back_line(robot)
            self.seats[robot].stopped, self.seats[robot].ready = True, False
        self._pause("emergency_stop")
        return [*out, self._state()]

    def _pause(self, reason: PauseReason) -> None:
        if self.status != ClassStatus.PAUSED:
            self._paused_at = self.clock()
        self.status, self.paused_reason = ClassStatus.PAUSED, reason

    def _state(self) -> Outgoing:
        self._stated_at = self.clock()
        return Outgoing(ClassState.topic(self.center, self.class_id), self.state(), retain=True)

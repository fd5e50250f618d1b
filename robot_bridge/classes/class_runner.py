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
from robot_bridge.classes.class_seats import InFlight, Outgoing, RobotSeat
from robot_bridge.classes.help_points import HelpPoints
from robot_bridge.classes.notices import ROBOT_SAID_STOPPED, Why, notice
from robot_bridge.protocol.class_messages import (
    ClassControl,
    ClassState,
    ClassStatus,
    ControlAction,
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
    EventKind,
    Reason,
    RobotEvent,
    RobotState,
    RobotStatus,
    SayArgs,
)
from robot_bridge.robots.say_plan import marks_of
from robot_bridge.robots.speech_timing import speech_seconds

log = logging.getLogger(__name__)


def announcement(text: str) -> Line:
    """The instructor's words as a line to say: brackets are theirs, not robot cues."""
    plain = text.replace("[", "(").replace("]", ")").strip()
    return Line(ko=plain, en=plain)


# A robot on the site network answers `accepted` within milliseconds; two seconds allows for
# a congested Wi-Fi while keeping a dropped robot's silence short for the seniors.
ACCEPT_SECONDS = 2.0
# Beyond the line's expected length: a robot's TTS may be slower than our estimate. Where the
# robot says how long it will take (`seconds` in `started`, protocol 1.1), its own number
# counts, plus this margin: slow speech for seniors (0.32 s a character) is not a failure.
DONE_MARGIN_SECONDS = 5.0
# A status from a robot that never went offline is a resend's cue only when the line in
# flight has had time to be lost (a real reconnect takes longer); a robot that republishes
# `online` right after `done` is not sent the next line twice.
RESEND_AFTER_SECONDS = 0.5
# A robot whose `at` is further from our clock than this has a clock problem: deadlines we
# set will look expired (or far off) to it. One notice per robot and class.
CLOCK_SKEW_SECONDS = 1.0
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
class ClassRun:
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
    session: LessonSession = field(init=False)
    _pending: list[Line] = field(default_factory=list)  # lines of this step still to say
    _announcements: list[Line] = field(default_factory=list)  # the instructor's, said first
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

    def robot_status(self, robot: str, status: RobotStatus) -> list[Outgoing]:
        seat = self.seats.get(robot)
        if seat is None:
            if robot not in self._strangers:  # once: several classes share the broker
                self._strangers.add(robot)
                log.info(
                    "class %s: robot %s is not in this class: its status is ignored",
                    self.class_id,
                    robot,
                )
            return []
        if status.state == RobotState.OFFLINE:
            if not seat.online:
                return []
            return self._drop(robot, "its status says offline", offline=True)
        seat.capabilities = frozenset(status.capabilities)
        flight = self._in_flight
        if flight and flight.robot == robot and status.current == flight.command.id:
            flight.accepted = True  # it is saying our line: no resend
        if seat.online or self._finished:
            return self._resend(robot, on_status=True)  # a reconnect may have lost the line
        return self._back(robot, seat)

    def robot_event(self, robot: str, event: RobotEvent) -> list[Outgoing]:
        seat = self.seats.get(robot)
        if seat is None:
            log.info(
                "class %s: event %s from robot %s, which is not in this class: ignored",
                self.class_id,
                event.event,
                robot,
            )
            return []
        out = self._check_clock(robot, seat, event.at)
        if event.event == EventKind.STOPPED or event.reason == Reason.STOPPED:
            return [*out, *self.robot_stopped(robot, ROBOT_SAID_STOPPED)]
        if not seat.online and not self._finished:
            out += self._back(robot, seat)  # any sign of life counts
        if event.id in self._points:
            missed = self._points.answer(robot, event)
            if missed is not None:
                out.append(self._notice(NoticeKey.HELP_UNANSWERED, robot=robot, kiosk=missed))
            return out
        flight = self._in_flight
        if flight is None or flight.robot != robot or flight.command.id != event.id:
            log.info(
                "class %s: robot %s sent %s for command %s, which is not in flight "
                "(late, or not ours): ignored",
                self.class_id,
                robot,
                event.event,
                event.id,
            )
            return out
        if event.event in (EventKind.ACCEPTED, EventKind.STARTED):
            flight.accepted = True
            if event.seconds is not None:  # the robot's own estimate of the line's length
                flight.done_by = self.clock() + event.seconds + DONE_MARGIN_SECONDS
            return out
        if event.event == EventKind.DONE:
            self._in_flight = None
            return [*out, *self._advance()]
        if event.reason == Reason.EXPIRED and seat.clock_told:
            why = "expired: its clock is off"
        else:
            why = f"{event.event} {event.reason}: {event.detail}"
        # It is there but would not or could not say it: the kiosks say this line, and the
        # robot is given lines again from the next step without having to announce itself.
        return [*out, *self._drop(robot, why, notify=False)]

    def robot_stopped(self, robot: str, why: Why) -> list[Outgoing]:
        """An emergency stop reached `robot` (from the class, its own answer, or a stop
        published by anyone): the class pauses, the robot gets no lines until a person
        resumes, and the instructor is told why."""
        seat = self.seats.get(robot)
        if seat is None or self._finished or seat.stopped:
            return []
        log.warning("class %s: robot %s is emergency-stopped (%s)", self.class_id, robot, why.en)
        seat.stopped, seat.ready = True, False
        self._take_back_line(robot)
        self.status, self.paused_reason = ClassStatus.PAUSED, "emergency_stop"
        return [self._notice(NoticeKey.ROBOT_STOPPED, robot=robot, why=why), self._state()]

    def kiosk_report(self, kiosk: str, report: KioskReport) -> list[Outgoing]:
        mine = report.class_id == self.class_id
        if report.kind == KioskReportKind.JOINED and mine:
            self.kiosks.add(kiosk)
        elif report.kind == KioskReportKind.LEFT and (mine or report.class_id is None):
            if kiosk not in self.kiosks:
                return []
            self.kiosks.discard(kiosk)
        elif report.kind == KioskReportKind.DONE and mine and report.step_index == self.index:
            self.kiosks.add(kiosk)
            self.practice_done.add(kiosk)
        else:
            return []
        return [self._state(), *self._advance()]

    def control(self, command: ClassControl) -> list[Outgoing]:
        if self._finished:
            return []
        action = command.action
        if action == ControlAction.PAUSE and self.status == ClassStatus.RUNNING:
            self.status, self.paused_reason = ClassStatus.PAUSED, "instructor"
            return [self._state()]
        if action == ControlAction.RESUME and self.status == ClassStatus.PAUSED:
            self.status, self.paused_reason = ClassStatus.RUNNING, None
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
        self._in_flight = None
        self._kiosks_until = 0.0
        return self._enter(lines)

    def send_to(self, kiosk: str) -> list[Outgoing]:
        """Send a robot to a kiosk whose learner asked for help: one that is not speaking if
        there is one; otherwise the speaking one points as soon as its line ends (its
        deadline allows for the line, so the point is not expired behind it)."""
        able = [r for r, s in self.seats.items() if s.ready and "point:kiosk" in s.capabilities]
        if not able:
            log.info("class %s: no robot can point to kiosk %s", self.class_id, kiosk)
            return []
        robot = next((r for r in able if r != self._speaker), able[0])
        deadline = self.clock() + ACCEPT_SECONDS
        flight = self._in_flight
        if flight and flight.robot == robot:
            deadline = max(deadline, flight.done_by + ACCEPT_SECONDS)
        command = Command(
            id=self.new_id(),
            action="point",
            args={"target": "kiosk", "kiosk": kiosk},
            deadline=deadline,
            class_id=self.class_id,
        )
        self._points.sent(command.id, robot, kiosk)
        return [Outgoing(Command.topic(self.center, robot), command)]

    def tick(self) -> list[Outgoing]:
        """Deadlines and waits: call a few times a second."""
        flight, now = self._in_flight, self.clock()
        if flight and now > (flight.done_by if flight.accepted else flight.command.deadline):
            what = "no answer" if not flight.accepted else "not done"
            # Silent but not offline (e.g. its command was lost while the broker restarted):
            # the kiosks take this line and the robot gets its turn again at the next step.
            return self._drop(flight.robot, f"{what} by the deadline")
        return self._advance()

    def reconnected(self) -> list[Outgoing]:
        """After the broker came back: the retained state again, and the line in flight
        again with the same id (a robot that already did it just says so)."""
        flight = self._in_flight
        return [self._state(), *(self._resend(flight.robot) if flight else [])]

    def _resend(self, robot: str, on_status: bool = False) -> list[Outgoing]:
        """The line in flight to `robot` again, same id, fresh deadline, unless it already
        answered (at most once per id makes a resend harmless either way). On a status
        alone, only once the line has had time to be lost."""
        flight = self._in_flight
        if flight is None or flight.robot != robot or flight.accepted:
            return []
        if on_status and self.clock() - flight.sent_at < RESEND_AFTER_SECONDS:
            return []
        deadline = self.clock() + ACCEPT_SECONDS
        flight.command = flight.command.model_copy(update={"deadline": deadline})
        flight.done_by = max(flight.done_by, deadline + DONE_MARGIN_SECONDS)
        return [Outgoing(Command.topic(self.center, robot), flight.command)]

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
            robots={r: "ready" if s.ready else "offline" for r, s in self.seats.items()},
            kiosks=sorted(self.kiosks),
            practice_done=sorted(self.practice_done),
            paused_reason=self.paused_reason if self.status == ClassStatus.PAUSED else None,
            at=self.clock(),
        )

    # ---- the flow -------------------------------------------------------------------------

    def _enter(self, lines: list[Line]) -> list[Outgoing]:
        """A new step (or the closing words): its lines to say; robots that came back join."""
        for seat in self.seats.values():
            seat.ready = seat.online
        self.session.take_events()  # the class's own walk is no learner's progress: dropped
        self._pending = list(lines)
        self._lines, self._speaker = [], self._pick_speaker()
        self._lines_done_at = None
        self.practice_done.clear()
        return [self._state(), *self._advance()]

    def _advance(self) -> list[Outgoing]:
        now = self.clock()
        if self._finished or self._in_flight or now < self._kiosks_until:
            return []
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

    def _back(self, robot: str, seat: RobotSeat) -> list[Outgoing]:
        """A robot heard from again (or for the first time): it speaks from the next line."""
        seat.online = True
        seat.ready = not seat.stopped
        log.info("class %s: robot %s is back; it speaks from the next line", self.class_id, robot)
        return [self._notice(NoticeKey.ROBOT_BACK, robot=robot), self._state()]

    def _check_clock(self, robot: str, seat: RobotSeat, at: float | None) -> list[Outgoing]:
        """Tell the instructor once when a robot's clock is off by more than a second."""
        if at is None or seat.clock_told:
            return []
        skew = at - self.clock()
        if abs(skew) <= CLOCK_SKEW_SECONDS:
            return []
        seat.clock_told = True
        log.warning("class %s: robot %s's clock is %+.1f s off ours", self.class_id, robot, skew)
        message = notice(
            NoticeKey.ROBOT_CLOCK, self.clock(), class_id=self.class_id, robot=robot, skew=skew
        )
        return [Outgoing(message.topic(self.center), message)]

    def _take_back_line(self, robot: str) -> None:
        """The line in flight to `robot`, if any, is said again later (by whoever can)."""
        flight = self._in_flight
        if flight and flight.robot == robot:
            self._in_flight = None
            self._pending.insert(0, flight.line)

    def _drop(
        self, robot: str, why: str, notify: bool = True, offline: bool = False
    ) -> list[Outgoing]:
        """The robot is offline or silent, or refused its line: the kiosks take the line.
        A silent or refusing robot has its turn again at the next step; an offline one
        when it is heard from again."""
        log.warning("class %s: robot %s dropped out (%s)", self.class_id, robot, why)
        seat = self.seats[robot]
        seat.ready = False
        seat.online = seat.online and not offline
        out = [self._notice(NoticeKey.ROBOT_DROPPED, robot=robot)] if notify else []
        self._take_back_line(robot)
        return [*out, self._state(), *self._advance()]

    def _emergency_stop(self, only: list[str]) -> list[Outgoing]:
        """Stop the class's robots (`only` those, if given) and pause the class."""
        robots = [r for r in self.robots if r in only] if only else self.robots
        stop_id = self.new_id()
        out = [
            Outgoing(EmergencyStop.topic(self.center, r), EmergencyStop(id=stop_id, reason="class"))
            for r in robots
        ]
        flight = self._in_flight
        if flight and flight.robot in robots:
            self._pending.insert(0, flight.line)
            self._in_flight = None
        for robot in robots:  # their `stopped` answers are expected: no notice
            self.seats[robot].stopped, self.seats[robot].ready = True, False
        self.status, self.paused_reason = ClassStatus.PAUSED, "emergency_stop"
        return [*out, self._state()]

    def _state(self) -> Outgoing:
        return Outgoing(ClassState.topic(self.center, self.class_id), self.state(), retain=True)

    def _notice(
        self,
        key: NoticeKey,
        robot: str | None = None,
        kiosk: str | None = None,
        why: Why | None = None,
    ) -> Outgoing:
        message = notice(
            key, self.clock(), class_id=self.class_id, robot=robot, kiosk=kiosk, why=why
        )
        return Outgoing(message.topic(self.center), message)

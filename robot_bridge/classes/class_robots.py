"""The robots of a class run: their statuses, events and emergency stops, the line in
flight to one of them (resent after a reconnect, handed to the kiosks when the robot drops
out) and help points. A mixin of `ClassRun` (robot_bridge/classes/class_runner.py), which
holds the state and the class's flow; split off so each file reads as one concern.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from lessons.model import Line
from robot_bridge.classes.class_seats import InFlight, Outgoing, RobotSeat
from robot_bridge.classes.help_points import HelpPoints
from robot_bridge.classes.notices import ROBOT_SAID_STOPPED, Why, notice
from robot_bridge.protocol.class_messages import ClassStatus, NoticeKey, PauseReason
from robot_bridge.protocol.robot_messages import (
    Command,
    EventKind,
    Reason,
    RobotEvent,
    RobotState,
    RobotStatus,
)

log = logging.getLogger(__name__)

# A robot on the site network answers within milliseconds; two seconds allows for a
# congested Wi-Fi while keeping a dropped robot's silence short for the seniors.
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


class ClassRobots:
    """What `ClassRun` provides (its fields and the flow's hooks), declared for the checker."""

    center: str
    class_id: str
    clock: Callable[[], float]
    new_id: Callable[[], str]
    status: ClassStatus
    paused_reason: PauseReason | None
    seats: dict[str, RobotSeat]
    _pending: list[Line]
    _in_flight: InFlight | None
    _finishing: InFlight | None
    _speaker: str | None
    _points: HelpPoints
    _strangers: set[str]

    if TYPE_CHECKING:  # ClassRun's flow, which the robots' side calls back into

        @property
        def _finished(self) -> bool: ...
        def _advance(self) -> list[Outgoing]: ...
        def _state(self) -> Outgoing: ...
        def _pause(self, reason: PauseReason) -> None: ...

    def _notice(
        self,
        key: NoticeKey,
        robot: str | None = None,
        kiosk: str | None = None,
        why: Why | None = None,
    ) -> Outgoing:
        """A notice to the instructor about this class."""
        message = notice(
            key, self.clock(), class_id=self.class_id, robot=robot, kiosk=kiosk, why=why
        )
        return Outgoing(message.topic(self.center), message)

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
        finishing = self._finishing
        if finishing and finishing.robot == robot and finishing.command.id == event.id:
            if not event.final:
                return out
            self._finishing = None  # the step the class went to may speak now
            return [*out, *self._advance()]
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
        self._pause("emergency_stop")
        return [self._notice(NoticeKey.ROBOT_STOPPED, robot=robot, why=why), self._state()]

    def send_to(self, kiosk: str) -> list[Outgoing]:
        """Send a robot to a kiosk whose learner asked for help: one that is not speaking if
        there is one; otherwise the speaking one points as soon as its line ends (its
        deadline allows for the line, so the point is not expired behind it)."""
        able = [
            r
            for r, s in self.seats.items()
            if s.ready and not s.stopped and "point:kiosk" in s.capabilities
        ]
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
        """The line in flight to `robot`, if any, is said again later (by whoever can); a
        line of a step left behind that `robot` was finishing is not waited for."""
        flight = self._in_flight
        if flight and flight.robot == robot:
            self._in_flight = None
            self._pending.insert(0, flight.line)
        if self._finishing and self._finishing.robot == robot:
            self._finishing = None

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

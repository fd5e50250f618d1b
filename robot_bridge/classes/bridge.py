"""The site's class runner, pure: routes every incoming message of a center to the classes
it runs, starts classes from the schedule or an instructor's command, answers help calls.
Returns the messages to publish; `bridge_service` is the MQTT shell around it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from lessons.library import Library
from robot_bridge.classes.class_runner import PRACTICE_LIMIT_SECONDS, ClassRun
from robot_bridge.classes.class_seats import Outgoing
from robot_bridge.classes.notices import notice, stop_signal
from robot_bridge.protocol.class_messages import (
    CONTROL_FRESH_SECONDS,
    ClassControl,
    ControlAction,
    HelpCall,
    KioskReport,
    KioskReportKind,
    Lang,
    NoticeKey,
    Schedule,
)
from robot_bridge.protocol.incoming import EMPTY_PAYLOAD, Incoming, Rejected
from robot_bridge.protocol.robot_messages import EmergencyStop, RobotEvent, RobotStatus
from robot_bridge.protocol.topics import Kind, parse_topic

log = logging.getLogger(__name__)

# A scheduled class still starts when the runner comes up this late (a restart, a power
# cut), but a class from hours ago is not started out of the blue.
SCHEDULE_GRACE_SECONDS = 1800.0
# A weekly class keeps its class id every week. A run of it that began less than this long
# before a scheduled start (an instructor who started it early) is that occurrence; an
# older, finished run is an earlier week's, and the class starts again.
SAME_OCCURRENCE_SECONDS = 12 * 3600.0
# Controls carried out only when fresh (a bridge's queue may hold them for hours); the
# others are absolute or harmless late (a pause, a stop, a go-to: the instructor's last word)
_NOT_LATE = (ControlAction.START, ControlAction.ANNOUNCE)


class Bridge:
    def __init__(
        self,
        center: str,
        library: Library,
        clock: Callable[[], float],
        new_id: Callable[[], str],
        practice_limit: float = PRACTICE_LIMIT_SECONDS,
    ) -> None:
        self.center, self.library, self.clock, self.new_id = center, library, clock, new_id
        self.practice_limit = practice_limit
        self.classes: dict[str, ClassRun] = {}
        self.began: dict[str, float] = {}  # class id → when its latest run began
        self.robots: dict[str, RobotStatus] = {}
        self.schedule = Schedule()
        self.lobby: dict[str, str] = {}  # kiosk → class it joined before the class started

    def handle(self, parsed: Incoming | Rejected) -> list[Outgoing]:
        """One incoming message; a rejected one is logged and answered by nothing, except
        a stop that cannot be read, which still stops (not an empty payload: a retained
        message cleared)."""
        if isinstance(parsed, Rejected):
            stop = parsed.topic.kind if parsed.topic else None
            if stop in (Kind.ROBOT_ESTOP, Kind.CENTER_ESTOP) and parsed.reason != EMPTY_PAYLOAD:
                log.warning("bridge takes an unreadable stop as a stop: %s", parsed)
                robot = parsed.topic.robot if parsed.topic else None
                return self.emergency_stop(
                    robot, EmergencyStop(id="unreadable", reason="unreadable")
                )
            log.warning("bridge ignores %s", parsed)
            return []
        topic, message = parsed.topic, parsed.message
        if isinstance(message, RobotStatus) and topic.robot:
            self.robots[topic.robot] = message
            return self._each(lambda run: run.robot_status(str(topic.robot), message))
        if isinstance(message, RobotEvent) and topic.robot:
            return self._each(lambda run: run.robot_event(str(topic.robot), message))
        if isinstance(message, EmergencyStop):
            return self.emergency_stop(topic.robot, message)
        if isinstance(message, KioskReport) and topic.kiosk:
            return self.kiosk_report(topic.kiosk, message)
        if isinstance(message, ClassControl) and topic.class_id:
            return self.control(topic.class_id, message)
        if isinstance(message, HelpCall):
            return self.help(message)
        if isinstance(message, Schedule):
            self.schedule = message
            return self.tick()
        if topic.kind not in (Kind.CLASS_STATE, Kind.INSTRUCTOR):  # our own, echoed back
            log.info("bridge has no use for %s", topic)
        return []

    def emergency_stop(self, robot: str | None, stop: EmergencyStop) -> list[Outgoing]:
        """A stop published by anyone (for one robot, or the whole center): every class
        using a stopped robot pauses until a person resumes it."""
        why = stop_signal(robot, stop.reason)
        return self._each(
            lambda run: [
                out for r in ([robot] if robot else run.robots) for out in run.robot_stopped(r, why)
            ]
        )

    def kiosk_report(self, kiosk: str, report: KioskReport) -> list[Outgoing]:
        """A kiosk joining a class that has not started yet waits for it in the lobby."""
        run = self.classes.get(report.class_id or "")
        if report.kind == KioskReportKind.JOINED and report.class_id and not (run and run.active):
            self.lobby[kiosk] = report.class_id
        elif report.kind == KioskReportKind.LEFT:
            self.lobby.pop(kiosk, None)
        return self._each(lambda each: each.kiosk_report(kiosk, report))

    def control(self, class_id: str, command: ClassControl) -> list[Outgoing]:
        run = self.classes.get(class_id)
        late = self.clock() - command.sent_at if command.sent_at is not None else 0.0
        if command.action in _NOT_LATE and late > CONTROL_FRESH_SECONDS:
            log.warning("class %s: %s pressed %.0f s ago, dropped", class_id, command.action, late)
            return []
        if command.action == ControlAction.START:
            if run and run.active:
                log.warning("class %s is already running", class_id)
                return []
            if not command.lesson_id:
                log.warning("start of class %s names no lesson", class_id)
                return []
            return self.start(class_id, command.lesson_id, command.robots, command.lang)
        if run is None:
            log.warning("control %s for class %s, which is not running", command.action, class_id)
            return []
        return run.control(command)

    def start(self, class_id: str, lesson_id: str, robots: list[str], lang: Lang) -> list[Outgoing]:
        lesson = self.library.lessons.get(lesson_id)
        if lesson is None:
            log.warning("class %s: no lesson %r in the library", class_id, lesson_id)
            return []
        run = ClassRun(
            self.center,
            class_id,
            lesson,
            robots,
            self.clock,
            self.new_id,
            lang,
            self.practice_limit,
        )
        self.classes[class_id] = run
        self.began[class_id] = self.clock()
        run.kiosks.update(k for k, c in self.lobby.items() if c == class_id)
        self.lobby = {k: c for k, c in self.lobby.items() if c != class_id}
        log.info("class %s starts %s with robots %s", class_id, lesson_id, robots or "none")
        return run.start(self.robots)

    def help(self, call: HelpCall) -> list[Outgoing]:
        """Tell the instructor; send a robot of the learner's class to the kiosk."""
        run = self.classes.get(call.class_id or "") or next(
            (r for r in self.classes.values() if r.active and call.kiosk in r.kiosks), None
        )
        class_id = run.class_id if run else call.class_id
        told = notice(NoticeKey.HELP, self.clock(), class_id=class_id, kiosk=call.kiosk)
        sent = run.send_to(call.kiosk) if run and run.active else []
        robot = parse_topic(sent[0].topic).robot if sent else None
        told = told.model_copy(update={"robot": robot})
        return [Outgoing(told.topic(self.center), told), *sent]

    def tick(self) -> list[Outgoing]:
        """Start what the schedule says is due, and let every class keep time."""
        now = self.clock()
        out: list[Outgoing] = []
        for entry in self.schedule.classes:
            due = entry.starts_at <= now < entry.starts_at + SCHEDULE_GRACE_SECONDS
            if due and self._not_run_yet(entry.class_id, entry.starts_at):
                out += self.start(entry.class_id, entry.lesson_id, entry.robots, entry.lang)
        return out + self._each(ClassRun.tick)

    def _not_run_yet(self, class_id: str, starts_at: float) -> bool:
        """No run of this occurrence yet (a finished run of an earlier week does not count)."""
        run = self.classes.get(class_id)
        if run is None:
            return True
        began = self.began.get(class_id, 0.0)
        return not run.active and began < starts_at - SAME_OCCURRENCE_SECONDS

    def reconnected(self) -> list[Outgoing]:
        return self._each(ClassRun.reconnected)

    def _each(self, step: Callable[[ClassRun], list[Outgoing]]) -> list[Outgoing]:
        out: list[Outgoing] = []
        for run in list(self.classes.values()):
            if run.active:
                out += step(run)
        return out

"""A robot's command bookkeeping, pure: which commands to accept, in what order to do them,
which ids were seen (at most once per id), deadlines, and what an emergency stop drops.

Every input returns the events to publish; the robot agent does the acting and publishing.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from robot_bridge.protocol.robot_messages import (
    Command,
    EmergencyStop,
    EventKind,
    Reason,
    RobotEvent,
    RobotState,
)
from robot_bridge.protocol.wire import ProtocolError

# Ids remembered for at-most-once: far more than a runner can resend within any deadline
# (a class sends a few commands a minute), few enough to cost nothing.
REMEMBERED_IDS = 1000
# A class keeps one command in flight; a short queue absorbs a burst (say + point after a
# help call) while a runaway sender is refused with `busy` instead of queueing minutes of talk.
MAX_QUEUED = 8
# A rejected id is not remembered: it was never run, so the sender may try it again.
_REMEMBERED = frozenset({EventKind.ACCEPTED, EventKind.DONE, EventKind.FAILED})


@dataclass
class CommandQueue:
    capabilities: frozenset[str]
    clock: Callable[[], float]
    current: Command | None = None
    _queue: deque[Command] = field(default_factory=deque)
    _seen: OrderedDict[str, list[RobotEvent]] = field(default_factory=OrderedDict)

    @property
    def state(self) -> RobotState:
        return RobotState.BUSY if self.current or self._queue else RobotState.ONLINE

    def offer(self, command: Command) -> list[RobotEvent]:
        """A command arrived: accept it into the queue, or say why not."""
        if command.id in self._seen:
            return [e.model_copy(update={"duplicate": True}) for e in self._seen[command.id]]
        reason, detail = self._refusal(command)
        if reason:
            return [self._event(command.id, EventKind.REJECTED, reason, detail)]
        waits = self.current is not None or bool(self._queue)
        self._queue.append(command)
        accepted = self._event(command.id, EventKind.ACCEPTED)  # remembered either way
        # Protocol 1.2: `accepted` is said only when the command has to wait; one begun at
        # once is answered `started` (or, if it ends at once, by its final event) alone.
        return [accepted] if waits else []

    def unreadable(self, message_id: str | None, reason: str) -> RobotEvent:
        """A payload on the command topic that is not a command at all."""
        return self._event(message_id, EventKind.REJECTED, Reason.BAD_MESSAGE, reason)

    def take_next(self) -> tuple[Command | None, list[RobotEvent]]:
        """The next command to do (None if idle or busy), and events for any that expired;
        when a command is taken, the last event is its `started`."""
        if self.current is not None:
            return None, []
        events = []
        while self._queue:
            command = self._queue.popleft()
            if self.clock() > command.deadline:
                events.append(self._event(command.id, EventKind.FAILED, Reason.EXPIRED))
                continue
            self.current = command
            events.append(self._event(command.id, EventKind.STARTED))
            return command, events
        return None, events

    def finish(self, command_id: str, error: str | None = None) -> RobotEvent | None:
        """The command being done ended (with `error`, it failed); None if it was stopped."""
        if self.current is None or self.current.id != command_id:
            return None
        self.current = None
        if error:
            return self._event(command_id, EventKind.FAILED, Reason.ERROR, error[:300])
        return self._event(command_id, EventKind.DONE)

    def emergency_stop(self, stop: EmergencyStop | None) -> list[RobotEvent]:
        """Drop everything: the current and queued commands fail as stopped; the stop is
        answered `stopped` (None: an unreadable stop, answered `rejected` instead)."""
        dropped: Iterable[Command] = [*([self.current] if self.current else []), *self._queue]
        events = [self._event(c.id, EventKind.FAILED, Reason.STOPPED) for c in dropped]
        self.current = None
        self._queue.clear()
        if stop is None:
            return events
        return [*events, self._event(stop.id, EventKind.STOPPED, detail=stop.reason)]

    def _refusal(self, command: Command) -> tuple[Reason | None, str | None]:
        if self.clock() > command.deadline:
            return Reason.EXPIRED, f"deadline passed {self.clock() - command.deadline:.1f} s ago"
        try:
            command.parsed_args()
        except ProtocolError as exc:
            unknown = exc.reason.startswith("unknown action")
            return (Reason.UNKNOWN_ACTION if unknown else Reason.BAD_ARGUMENTS), exc.reason
        missing = [need for need in command.needs() if need not in self.capabilities]
        if missing:
            return Reason.BAD_ARGUMENTS, f"this robot cannot do {', '.join(missing)}"
        if len(self._queue) >= MAX_QUEUED:
            return Reason.BUSY, f"{len(self._queue)} commands already queued"
        return None, None

    def _event(
        self,
        command_id: str | None,
        kind: EventKind,
        reason: Reason | None = None,
        detail: str | None = None,
    ) -> RobotEvent:
        event = RobotEvent(id=command_id, event=kind, reason=reason, detail=detail, at=self.clock())
        if command_id is not None and kind in _REMEMBERED:
            self._remember(command_id, event)
        return event

    def _remember(self, command_id: str, event: RobotEvent) -> None:
        """Keep what a repeat of an accepted id is told: accepted, then how it ended."""
        self._seen.setdefault(command_id, []).append(event)
        self._seen.move_to_end(command_id)
        while len(self._seen) > REMEMBERED_IDS:
            self._seen.popitem(last=False)

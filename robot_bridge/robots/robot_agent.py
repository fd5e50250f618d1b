"""The robot agent: everything MQTT about being a Sarangbang robot, around a vendor adapter.

It publishes the retained status (and sets the last will `offline`), takes commands at most
once per id, keeps deadlines, answers every command with events, stops at once on an
emergency stop, and reconnects by itself. A vendor writes a `RobotAdapter` and runs
`RobotAgent(adapter, broker, center, robot).run()`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.link.stop_signal import stop_on_signals
from robot_bridge.protocol import topics
from robot_bridge.protocol.incoming import Rejected, parse
from robot_bridge.protocol.robot_messages import (
    Command,
    DisplayArgs,
    EmergencyStop,
    GestureArgs,
    PointArgs,
    RobotEvent,
    RobotState,
    RobotStatus,
    SayArgs,
    offline_status,
)
from robot_bridge.robots.command_queue import CommandQueue
from robot_bridge.robots.say_plan import Act, acts_of

log = logging.getLogger(__name__)

# How often the worker looks for work when woken by nothing: only a safety net (and the
# status refresh), commands wake it at once.
IDLE_POLL_SECONDS = 0.2
# The retained status shows `busy` or `online` once that state has held this long: a class
# runner sends the next line right after `done`, and flipping the retained status at every
# command (a status publish before `started` and one after `done`) would triple the robot's
# traffic on the command's critical path. A line that lasts longer shows `busy` 0.3 s in.
STATE_SETTLE_SECONDS = 0.3
STATUS_TICK_SECONDS = 0.1  # how often the status thread looks whether the state settled
# Protocol 1.2: `started` goes out once an act has run this long; one that ends sooner is
# answered by its final event alone (`done` says accepted, started and finished). A runner
# waits 2 s for a first answer, so this costs nothing; a quick act (a display, a short
# gesture) then costs one message instead of three on the class's critical path.
BRIEF_SECONDS = 0.1
assert STATUS_TICK_SECONDS <= BRIEF_SECONDS  # the status thread times `started`
# A retained status older than this means the battery figure is stale; the agent refreshes it.
STATUS_REFRESH_SECONDS = 60.0
# `close()` waits this long for the acting thread (an adapter must return promptly once its
# `stop` is set); a program must be gone within 3 s of SIGTERM.
CLOSE_WAIT_SECONDS = 1.0


class RobotAdapter(Protocol):
    """What a vendor implements. Each act blocks until done and must return promptly once
    `stop` is set; `halt` is called from another thread on an emergency stop."""

    model: str

    def capabilities(self) -> list[str]: ...
    def battery(self) -> int | None: ...
    def speak(self, text: str, lang: str, rate: float, stop: threading.Event) -> None: ...
    def gesture(self, name: str, stop: threading.Event) -> None: ...
    def point(self, target: str, kiosk: str | None, stop: threading.Event) -> None: ...
    def display(self, text: str, stop: threading.Event) -> None: ...
    def halt(self) -> None: ...


class RobotAgent:
    def __init__(
        self,
        adapter: RobotAdapter,
        broker: BrokerAddress,
        center: str,
        robot: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.adapter, self.center, self.robot, self.clock = adapter, center, robot, clock
        self.commands = CommandQueue(frozenset(adapter.capabilities()), clock)
        self._lock = threading.Lock()  # guards `commands`, `_stop` and status order
        self._work = threading.Event()
        self._stop = threading.Event()  # set: the command being done must stop now
        self._closing = threading.Event()
        self._last_status = 0.0
        self._published_state = RobotState.OFFLINE
        self._ready: Command | None = None  # started, for the acting thread to do
        self._started: RobotEvent | None = None  # the act's `started`, not yet published
        self._started_due = 0.0  # time.monotonic() when it is published if still acting
        self._state_seen = RobotState.ONLINE  # the queue's state when last looked at
        self._state_since = 0.0  # time.monotonic() when it became that
        self.link = MqttLink(
            broker,
            f"sarangbang-robot-{center}-{robot}",
            [(t, 1) for t in topics.robot_subscriptions(center, robot)],
            will=(RobotStatus.topic(center, robot), offline_status().encode()),
            on_connected=self.publish_status,
            handle=self.handle,
        )
        self._threads: list[threading.Thread] = []

    # ---- life -----------------------------------------------------------------------------

    def start(self) -> RobotAgent:
        """Connect and serve in background threads until `close()`."""
        self.link.start()
        for serve, name in ((self._serve_commands, ""), (self._serve_status, "-status")):
            thread = threading.Thread(target=serve, name=self.robot + name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def run(self, stop: threading.Event | None = None) -> None:
        """Serve until `stop` is set (by default: until SIGINT or SIGTERM), then say
        goodbye (`offline`). Without `stop`, call from the main thread."""
        stop = stop or stop_on_signals()
        self.start()
        try:
            stop.wait()
        finally:
            self.close()

    def close(self) -> None:
        """Leave cleanly: stop acting, mark the robot offline (retained), disconnect."""
        self._closing.set()
        self._stop.set()
        self._work.set()
        topic = RobotStatus.topic(self.center, self.robot)
        if self.link.connected.is_set():
            self.link.client.publish(topic, offline_status().encode(), qos=1, retain=True)
        self.link.stop()
        for thread in self._threads:
            thread.join(timeout=CLOSE_WAIT_SECONDS)

    # ---- network side ------------------------------------------------------------------------

    def handle(self, topic: str, payload: bytes) -> None:
        """One incoming message (on paho's thread, so a stop never waits behind an act):
        a command, an emergency stop, or something to refuse."""
        result = parse(topic, payload)
        if isinstance(result, Rejected):
            log.warning("robot %s rejects %s", self.robot, result)
            kind = result.topic.kind if result.topic is not None else None
            stop = kind in (topics.Kind.ROBOT_ESTOP, topics.Kind.CENTER_ESTOP)
            if stop and payload:  # a stop we cannot read is still a stop (empty: a
                self.emergency_stop(None)  # retained message cleared, not a stop)
            if kind is topics.Kind.ROBOT_CMD or (stop and payload):
                self._publish([self.commands.unreadable(result.message_id, result.reason)])
            return
        message = result.message
        if isinstance(message, EmergencyStop):
            self.emergency_stop(message)
        elif isinstance(message, Command):
            with self._lock:  # published under the lock: `started` before the act's `done`
                self._publish([*self.commands.offer(message), *self._start_next()])
                self._note_state()

    def emergency_stop(self, stop: EmergencyStop | None) -> None:
        """Stop now: the act in progress is interrupted, the queue dropped (None: a stop
        that could not be read, answered `rejected` already)."""
        with self._lock:
            self._stop.set()
            self._ready = self._started = None
            events = self.commands.emergency_stop(stop)
        try:
            self.adapter.halt()
        except Exception:
            log.exception("robot %s: the adapter failed to halt", self.robot)
        why = (stop.reason or stop.id) if stop else "an unreadable stop"
        log.warning("robot %s: EMERGENCY STOP (%s)", self.robot, why)
        self._publish(events)
        self.publish_status()

    # ---- acting side ---------------------------------------------------------------------------

    def _start_next(self) -> list[RobotEvent]:
        """If idle, start the next queued command and hand it to the acting thread; its
        `started` waits BRIEF_SECONDS (the status thread publishes it if the act still runs).
        Returns the events to publish now. Call with the lock held."""
        command, events = self.commands.take_next()
        if command is not None:
            self._started, self._started_due = events.pop(), time.monotonic() + BRIEF_SECONDS
            self._ready, self._stop = command, threading.Event()
            self._work.set()
        return events

    def _serve_commands(self) -> None:
        while not self._closing.is_set():
            with self._lock:
                command, self._ready = self._ready, None
                stop = self._stop
            if command is None:
                self._work.wait(IDLE_POLL_SECONDS)
                self._work.clear()
                continue
            error = self._perform(command, stop)
            with self._lock:
                if self._started is not None and self._started.id == command.id:
                    self._started = None  # ended within BRIEF_SECONDS: its final event says all
                final = self.commands.finish(command.id, error)
                self._publish([*([final] if final else []), *self._start_next()])
                self._note_state()

    def _serve_status(self) -> None:
        """Publish an act's `started` once it has run BRIEF_SECONDS, the state once it has
        settled, and refresh the status now and then."""
        while not self._closing.is_set():
            # No wake-up when an act starts (one thread switch less on its critical path):
            # a tick is never longer than BRIEF_SECONDS, so a `started` is never late.
            with self._lock:
                due = self._started_due if self._started else None
            left = STATUS_TICK_SECONDS if due is None else due - time.monotonic()
            if self._closing.wait(max(0.0, min(STATUS_TICK_SECONDS, left))):
                return
            try:
                self._status_tick()
            except Exception:  # this thread says `started`: it must outlive any failure
                log.exception("robot %s: the status thread", self.robot)

    def _status_tick(self) -> None:
        with self._lock:
            if self._started is not None and time.monotonic() >= self._started_due:
                self._publish([self._started])
                self._started = None
            settled = time.monotonic() - self._state_since >= STATE_SETTLE_SECONDS
            if settled and self._state_seen != self._published_state:
                self._publish_status_locked()
        self._refresh_status()

    def _note_state(self) -> None:
        """Remember when the queue's state changed (call with the lock held)."""
        if self.commands.state != self._state_seen:
            self._state_seen, self._state_since = self.commands.state, time.monotonic()

    def _perform(self, command: Command, stop: threading.Event) -> str | None:
        """Do the command through the adapter; the error text if it went wrong."""
        try:
            _, args = command.parsed_args()
            if isinstance(args, SayArgs):
                self._say(args, stop)
            elif isinstance(args, GestureArgs):
                self.adapter.gesture(args.name, stop)
            elif isinstance(args, PointArgs):
                self.adapter.point(args.target, args.kiosk, stop)
            elif isinstance(args, DisplayArgs):
                self.adapter.display(args.text, stop)
            return None
        except Exception as exc:
            log.exception("robot %s failed at %s", self.robot, command.id)
            return f"{type(exc).__name__}: {exc}"

    def _say(self, say: SayArgs, stop: threading.Event) -> None:
        """Speak piece by piece; a gesture or point at a mark moves while the next words are
        spoken (one motion at a time), as a person gestures while talking."""
        motion: threading.Thread | None = None
        for act in acts_of(say):
            if stop.is_set():
                break
            if act.kind in ("gesture", "point"):
                if motion:
                    motion.join()
                motion = threading.Thread(target=self._move, args=(act, say, stop), daemon=True)
                motion.start()
            else:
                self._act(act, say, stop)
        if motion:
            motion.join()

    def _move(self, act: Act, say: SayArgs, stop: threading.Event) -> None:
        try:
            self._act(act, say, stop)
        except Exception:
            log.exception("robot %s could not %s %s", self.robot, act.kind, act.value)

    def _act(self, act: Act, say: SayArgs, stop: threading.Event) -> None:
        if act.kind == "speak":
            self.adapter.speak(act.value, say.lang, say.rate, stop)
        elif act.kind == "gesture":
            self.adapter.gesture(act.value, stop)
        elif act.kind == "point":
            self.adapter.point(act.value, None, stop)
        else:
            stop.wait(act.seconds)

    # ---- publishing ----------------------------------------------------------------------------

    def publish_status(self) -> None:
        """Publish the retained status (also the birth message after every connect)."""
        with self._lock:
            self._publish_status_locked()

    def _publish_status_locked(self) -> None:
        current = self.commands.current
        status = RobotStatus(
            state=self.commands.state,
            battery=self._battery(),
            model=self.adapter.model,
            capabilities=self.adapter.capabilities(),
            current=current.id if current else None,
            at=self.clock(),
        )
        self._published_state, self._last_status = status.state, self.clock()
        self.link.publish(RobotStatus.topic(self.center, self.robot), status.encode(), retain=True)

    def _battery(self) -> int | None:
        try:
            return self.adapter.battery()
        except Exception:  # a status without the battery beats none
            log.exception("robot %s: the adapter could not tell its battery", self.robot)
            return None

    def _refresh_status(self) -> None:
        if self.clock() - self._last_status > STATUS_REFRESH_SECONDS:
            self.publish_status()

    def _publish(self, events: list[RobotEvent]) -> None:
        """Hand events to paho (it only queues them); callers hold the lock, so events of
        one command leave in the order they happened whichever thread produced them."""
        topic = RobotEvent.topic(self.center, self.robot)
        for event in events:
            self.link.publish(topic, event.encode())

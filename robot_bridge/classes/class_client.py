"""The kiosk's class mode over MQTT: a thin shell around `ClassFollower`.

`ClassClient(broker, center, kiosk, on_update).start()` lists running classes
(`client.running`), `join(class_id)` follows one; `on_update(ClassUpdate)` is called from the
client's own thread for every change (the Kivy kiosk hops to its UI thread with
`Clock.schedule_once`); `practice_done()`, `help()` and `leave()` report back. A kiosk's
welcome screen also passes `on_running` (the running classes changed) and `on_schedule` (the
center's retained schedule), so one connection serves the whole kiosk.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from robot_bridge.classes.class_follower import ClassFollower, ClassUpdate
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.class_messages import (
    ClassState,
    Desk,
    HelpCall,
    KioskReport,
    KioskReportKind,
    Schedule,
)
from robot_bridge.protocol.incoming import Incoming, parse

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5  # only how soon `close()` is noticed; messages wake the thread at once
CLOSE_WAIT_SECONDS = 1.0  # `close()` waits this long for the thread (a kiosk stops in < 3 s)


class ClassClient:
    def __init__(
        self,
        broker: BrokerAddress,
        center: str,
        kiosk: str,
        on_update: Callable[[ClassUpdate], None],
        *,
        on_running: Callable[[dict[str, ClassState]], None] | None = None,
        on_schedule: Callable[[Schedule], None] | None = None,
    ) -> None:
        self.center, self.kiosk, self.on_update = center, kiosk, on_update
        self.on_running, self.on_schedule = on_running, on_schedule
        self.follower = ClassFollower(kiosk)
        self._lock = threading.Lock()
        self._closing = threading.Event()
        will = KioskReport(kind=KioskReportKind.LEFT)
        self.link = MqttLink(
            broker,
            f"sarangbang-kiosk-class-{center}-{kiosk}",
            [(topics.class_state_subscription(center), 1), (topics.schedule(center), 1)],
            will=(will.topic(center, kiosk), will.encode()),
            on_connected=self._rejoin,
        )
        self._thread = threading.Thread(target=self._serve, name=f"class-{kiosk}", daemon=True)

    def start(self) -> ClassClient:
        self.link.start()
        self._thread.start()
        return self

    def close(self) -> None:
        if self.follower.class_id:
            self.leave()
        self._closing.set()
        self.link.inbox.put(("", b""))
        self._thread.join(timeout=CLOSE_WAIT_SECONDS)
        self.link.stop()

    @property
    def running(self) -> dict[str, ClassState]:
        """The classes running now, by id (for the welcome screen)."""
        with self._lock:
            return dict(self.follower.running)

    def join(self, class_id: str) -> None:
        with self._lock:
            self._report(self.follower.join(class_id))

    def leave(self) -> None:
        with self._lock:
            self._report(self.follower.leave())

    def practice_done(self) -> None:
        with self._lock:
            self._report(self.follower.practice_done())

    def status(self, desk: Desk) -> None:
        with self._lock:
            self._report(self.follower.status(desk))

    def help(self, learner: str | None = None) -> None:
        """The learner pressed 도와주세요."""
        with self._lock:
            step = self.follower.running.get(self.follower.class_id or "")
        call = HelpCall(
            kiosk=self.kiosk,
            class_id=self.follower.class_id,
            step_index=step.step_index if step else None,
            learner=learner,
        )
        self.link.publish(call.topic(self.center), call.encode())

    def _rejoin(self) -> None:
        with self._lock:
            self._report(self.follower.reconnected())
            self._report(self.follower.told_status())

    def _report(self, report: KioskReport | None) -> None:
        if report is not None:
            self.link.publish(report.topic(self.center, self.kiosk), report.encode())

    def _serve(self) -> None:
        while not self._closing.is_set():
            try:
                topic, payload = self.link.inbox.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            if topic:
                self._handle(topic, payload)

    def _handle(self, topic: str, payload: bytes) -> None:
        try:
            parsed = parse(topic, payload)
            message = parsed.message if isinstance(parsed, Incoming) else None
            if isinstance(message, Schedule):
                if self.on_schedule:
                    self.on_schedule(message)
                return
            if not isinstance(message, ClassState):
                log.warning("kiosk %s ignores %s", self.kiosk, parsed)
                return
            with self._lock:
                beat = self.follower.is_heartbeat(message)
                update = self.follower.on_state(message)
                running = dict(self.follower.running)
            if update:
                self.on_update(update)
            if self.on_running and not beat:
                self.on_running(running)
        except Exception:
            log.exception("kiosk %s could not follow a class message on %s", self.kiosk, topic)

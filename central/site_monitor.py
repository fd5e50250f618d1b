"""Central's view of the sites over MQTT: records kiosk sync status, robot status, help calls,
what the centers' programs tell the instructor, each class's latest state (for the live
class console) and each center's lesson library; publishes
each center's schedule of the day and the library version to teach, retained; and answers
centers' requests for the library's files.

Like intake, nothing a site sends can stop it: a message that does not parse is logged and
dropped. It runs beside the dashboard (`sarangbang-central serve --broker …`) or alone
(`sarangbang-central monitor`).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import paho.mqtt.client as mqtt

from central.class_realign import Realigner
from central.class_states import class_state, record_class_state
from central.database import Database, open_database
from central.devices import DeviceStatus, record_status
from central.help_calls import record_help_call
from central.library_offers import SUBSCRIPTIONS as LIBRARY_SUBSCRIPTIONS
from central.library_offers import LibraryOffers, keeper_status, library_dir_beside
from central.library_publish import versions
from central.library_reach import kiosks_reach, record_keeper
from central.schedule import day_bounds, todays_schedule
from central.site_notices import record_notice
from lessons.library_store import LibraryStore
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.class_messages import ClassState, HelpCall, Notice, Schedule
from robot_bridge.protocol.robot_messages import RobotState, RobotStatus
from robot_bridge.protocol.wire import ProtocolError, decode

log = logging.getLogger(__name__)

SCHEDULE_POLL_SECONDS = 1.0  # how soon a class saved on the dashboard reaches its center
BEHIND_CHECK_SECONDS = 3600.0  # how often kiosks far behind on the lesson library are logged
LOOP_SECONDS = 0.1
SUBSCRIPTIONS = [
    (topics.every_center(topics.Kind.SYNC_STATUS), 1),
    (topics.every_center(topics.Kind.ROBOT_STATUS), 1),
    (topics.every_center(topics.Kind.HELP), 1),
    (topics.every_center(topics.Kind.INSTRUCTOR), 1),
    (topics.every_center(topics.Kind.CLASS_STATE), 1),
    *LIBRARY_SUBSCRIPTIONS,
]
Inbound = tuple[str, bytes, bool]


class _RetainAwareLink(MqttLink):
    """An MqttLink whose inbox also says whether a message is a retained copy."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.flagged: queue.Queue[Inbound] = queue.Queue()

    def _on_message(self, _c: mqtt.Client, _u: Any, message: mqtt.MQTTMessage) -> None:
        if self.stale(message):
            return
        self.flagged.put((message.topic, bytes(message.payload), bool(message.retain)))


class SiteMonitor:
    def __init__(
        self,
        db_path: Path | str,
        broker: BrokerAddress,
        tz: ZoneInfo,
        client_id: str = "sarangbang-site-monitor",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db_path = db_path
        self.tz = tz
        self.clock = clock
        self.link = _RetainAwareLink(broker, client_id, SUBSCRIPTIONS)
        self.published: dict[str, tuple[float, float]] = {}  # center → (day, last change)
        self.library = LibraryOffers(LibraryStore(library_dir_beside(db_path)))
        self._behind_checked = 0.0
        self.realigner = Realigner()  # classes across centers: a center back from a cut
        self._listening_since: float | None = None  # since when the link has been up

    def run(self, stop: threading.Event) -> None:
        db = open_database(self.db_path)  # a connection belongs to the thread using it
        self.link.start()
        last_poll = 0.0
        try:
            while not stop.is_set():
                self._listen()
                self._drain(db)
                self._guarded(self._answer_waiting)
                self._guarded(lambda: self.realign(db), "classes across centers")
                if self.clock() - last_poll >= SCHEDULE_POLL_SECONDS:
                    last_poll = self.clock()
                    self.publish_schedules(db)
                    self._guarded(lambda: self.offer_library(db))
        finally:
            self.link.stop()
            db.close()

    def _listen(self) -> None:
        """Note since when the link has been up (a silence before that is central's own)."""
        if not self.link.connected.is_set():
            self._listening_since = None
        elif self._listening_since is None:
            self._listening_since = self.clock()

    def handle(self, db: Database, topic: str, payload: bytes, replay: bool) -> None:
        """Record one message from a site; a bad one is logged and dropped."""
        self._listen()
        now = self.clock()
        try:
            parsed = topics.parse_topic(topic)
            if parsed.kind is topics.Kind.SYNC_STATUS and parsed.kiosk:
                _record_kiosk(db, parsed.center, parsed.kiosk, payload, now, replay)
            elif parsed.kind is topics.Kind.ROBOT_STATUS and parsed.robot:
                status = decode(RobotStatus, payload)
                online = status.state is not RobotState.OFFLINE
                device = DeviceStatus(parsed.center, "robot", parsed.robot, online, now)
                record_status(db, device, status.model_dump(mode="json"), replay)
            elif parsed.kind is topics.Kind.HELP:
                record_help_call(db, parsed.center, decode(HelpCall, payload), now)
            elif parsed.kind is topics.Kind.INSTRUCTOR:
                record_notice(db, parsed.center, decode(Notice, payload), payload, now)
            elif parsed.kind is topics.Kind.CLASS_STATE and parsed.class_id:
                self._record_class(db, parsed.center, parsed.class_id, payload, now, replay)
            elif parsed.kind is topics.Kind.LIBRARY_FETCH:
                answered = self.library.request(topic, payload, now)
                if answered:
                    self.link.publish(*answered)
            elif parsed.kind is topics.Kind.LIBRARY_STATUS:
                record_keeper(db, parsed.center, keeper_status(payload), now, replay)
        except (ProtocolError, topics.TopicError, ValueError) as exc:
            log.warning("ignored a message on %s: %s", topic[:200], exc)

    def _record_class(
        self, db: Database, center: str, class_id: str, payload: bytes, now: float, replay: bool
    ) -> None:
        if not payload:  # someone cleared the retained state: keep the last one known
            return
        state = decode(ClassState, payload)
        if state.class_id != class_id:
            raise ValueError(f"a state of class {state.class_id} on the topic of {class_id}")
        before = class_state(db, center, class_id)
        if record_class_state(db, center, state, now):
            since = self._listening_since
            self.realigner.heard(db, center, class_id, before, replay, now, since)

    def realign(self, db: Database) -> None:
        """Centers of classes across centers that came back: to the lead's step."""
        self.realigner.realign(db, self.clock(), self._send_control)

    def _send_control(self, topic: str, payload: bytes) -> bool:
        info = self.link.client.publish(topic, payload, qos=1)
        return info.rc == mqtt.MQTT_ERR_SUCCESS

    def publish_schedules(self, db: Database) -> None:
        """Publish (retained) each center's day whose classes changed, or when a day begins."""
        if not self.link.connected.is_set():
            self.published.clear()  # a new session: publish everything again
            return
        now = self.clock()
        day, _ = day_bounds(now, self.tz)
        changes = db.execute("SELECT center, max(updated_at) FROM classes GROUP BY center")
        for center, changed in changes.fetchall():
            if self.published.get(center) != (day, changed):
                schedule: Schedule = todays_schedule(db, center, now, self.tz)
                self.link.publish(Schedule.topic(center), schedule.encode(), retain=True)
                self.published[center] = (day, changed)

    def _answer_waiting(self) -> None:
        for topic, payload, retain in self.library.waiting_answers(self.clock()):
            self.link.publish(topic, payload, retain=retain)

    @staticmethod
    def _guarded(work: Callable[[], None], what: str = "lesson library") -> None:
        """Work beside the messages (the library's files on central's disk, realigning
        classes): a failure is logged, and the monitor goes on recording help calls and
        publishing schedules."""
        try:
            work()
        except Exception:
            log.exception("%s: carrying on", what)

    def offer_library(self, db: Database) -> None:
        """Offer (retained) the version central teaches to each center that lacks it, and
        log (every hour) the kiosks more than one version behind for over a day."""
        if not self.link.connected.is_set():
            self.library.forget()
            return
        centers = [row[0] for row in db.execute("SELECT id FROM centers ORDER BY id")]
        for topic, payload, retain in self.library.due(centers):
            self.link.publish(topic, payload, retain=retain)
        now = self.clock()
        if now - self._behind_checked < BEHIND_CHECK_SECONDS:
            return
        self._behind_checked = now
        published = versions(self.library.store)
        for kiosk in kiosks_reach(db, centers, published):
            if kiosk.warn_at(now):
                log.warning(
                    "library: kiosk %s of %s teaches version %s, more than one behind for "
                    "over a day%s", kiosk.kiosk, kiosk.center, kiosk.teaching or "(bundled)",
                    f" ({kiosk.problem})" if kiosk.problem else "",
                )  # fmt: skip

    def _drain(self, db: Database) -> None:
        try:
            message = self.link.flagged.get(timeout=LOOP_SECONDS)
        except queue.Empty:
            return
        while True:
            try:
                self.handle(db, *message)
            except Exception:  # never let one message stop the monitor
                log.exception("unexpected failure on a message on %s", message[0][:200])
            try:
                message = self.link.flagged.get_nowait()
            except queue.Empty:
                return


def _record_kiosk(
    db: Database, center: str, kiosk: str, payload: bytes, now: float, replay: bool
) -> None:
    data = json.loads(payload)
    if not isinstance(data, dict):
        raise ValueError("a sync status is a JSON object")
    backlog, lag = data.get("backlog"), data.get("lag_seconds")
    status = DeviceStatus(
        center,
        "kiosk",
        kiosk,
        data.get("connected") is True,
        now,
        backlog if isinstance(backlog, int) else None,
        float(lag) if isinstance(lag, int | float) else None,
    )
    record_status(db, status, data, replay)

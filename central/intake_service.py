"""Central intake: take every center's sync batches off MQTT, store them, acknowledge them,
and keep each center's retained roster up to date.

Several workers may run side by side on one database: they share the batch subscription
(`$share/…`), and each batch is stored in one write transaction. Nothing a center sends can
stop a worker: a batch that does not parse is logged and answered if it can be identified.
"""

from __future__ import annotations

import json
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from central.database import open_database
from central.intake import store_batch
from central.roster import roster_of, roster_revisions
from robot_bridge.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.sync_protocol import (
    SyncAck,
    SyncProtocolError,
    ack_topic,
    encode,
    intake_subscription,
    parse_batch,
    parse_sync_topic,
    roster_topic,
)

log = logging.getLogger(__name__)

ROSTER_POLL_SECONDS = 1.0  # how soon a roster change made elsewhere (dashboard) goes out
LOOP_SECONDS = 0.1


class IntakeWorker:
    def __init__(
        self,
        db_path: Path,
        broker: BrokerAddress,
        worker_id: str = "intake-1",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db_path = db_path
        self.db = open_database(db_path)  # checks the file now; reopened on the worker thread
        self.db.close()
        self.clock = clock
        self.link = MqttLink(
            broker, f"sarangbang-{worker_id}", [(intake_subscription(), 1)], clean_session=False
        )
        self.published_rosters: dict[str, int] = {}
        self.stored = 0
        self.rejected = 0

    def run(self, stop: threading.Event) -> None:
        self.db = open_database(self.db_path)  # a connection belongs to the thread using it
        self.link.start()
        last_roster_check = 0.0
        try:
            while not stop.is_set():
                self._drain(LOOP_SECONDS)
                if self.clock() - last_roster_check >= ROSTER_POLL_SECONDS:
                    last_roster_check = self.clock()
                    self.publish_rosters()
        finally:
            self.link.stop()
            self.db.close()

    def handle(self, topic: str, payload: bytes) -> tuple[str, bytes] | None:
        """Store one batch; return the ack to publish (None when nobody can be answered)."""
        try:
            batch = parse_batch(topic, payload)
        except SyncProtocolError as exc:
            self.rejected += 1
            log.warning("rejected a batch on %s: %s", topic, exc)
            return _rejection_for_unparsed(topic, payload, str(exc))
        try:
            ack = store_batch(self.db, batch, self.clock())
        except sqlite3.Error as exc:  # disk full, locked too long: the site will send it again
            log.error("could not store batch %s from %s/%s: %s", batch.batch_id, batch.center,
                      batch.kiosk, exc)  # fmt: skip
            return None
        self.stored += ack.inserted
        if ack.duplicates:
            log.info("batch %s: %d events already stored", ack.batch_id, ack.duplicates)
        return ack_topic(batch.center, batch.kiosk), encode(ack)

    def publish_rosters(self) -> None:
        """Publish (retained) every roster whose revision changed since the last time."""
        if not self.link.connected.is_set():
            self.published_rosters.clear()  # a new session: publish everything again
            return
        for center, revision in roster_revisions(self.db).items():
            if self.published_rosters.get(center) != revision:
                roster = roster_of(self.db, center)
                self.link.publish(roster_topic(center), encode(roster), retain=True)
                self.published_rosters[center] = revision

    def _drain(self, timeout: float) -> None:
        try:
            topic, payload = self.link.inbox.get(timeout=timeout)
        except queue.Empty:
            return
        while True:
            try:
                answer = self.handle(topic, payload)
            except Exception:  # never let one message stop intake
                log.exception("unexpected failure on a message from %s", topic)
                answer = None
            if answer:
                self.link.publish(*answer)
            try:
                topic, payload = self.link.inbox.get_nowait()
            except queue.Empty:
                return


def _rejection_for_unparsed(topic: str, payload: bytes, reason: str) -> tuple[str, bytes] | None:
    """Answer a batch we could not accept, if the topic and the batch's run can be read."""
    try:
        center, kiosk, _ = parse_sync_topic(topic)
        data = json.loads(payload)
        ack = SyncAck(
            center=center,
            kiosk=kiosk,
            batch_id=str(data["batch_id"])[:64],
            first_seq=int(data["first_seq"]),
            last_seq=int(data["last_seq"]),
            status="rejected",
            reason=reason[:500],
        )
    except (SyncProtocolError, ValueError, TypeError, KeyError, RecursionError):
        return None
    return ack_topic(center, kiosk), encode(ack)

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
from central.intake import store_batches
from central.roster import roster_of, roster_revisions
from robot_bridge import topics
from robot_bridge.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.sync_protocol import (
    SyncAck,
    SyncProtocolError,
    encode,
    parse_batch,
    parse_batch_topic,
)

log = logging.getLogger(__name__)

ROSTER_POLL_SECONDS = 1.0  # how soon a roster change made elsewhere (dashboard) goes out
LOOP_SECONDS = 0.1
# Batches queued together are stored in one transaction: one commit for a burst (a site
# back online) instead of one per batch. Bounded so an ack never waits long.
GROUP_COMMIT_BATCHES = 16


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
            broker,
            f"sarangbang-{worker_id}",
            [(topics.intake_subscription(), 1)],
            clean_session=False,
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

    def handle(self, messages: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
        """Store the batches among `messages` in one transaction; return the acks to publish.

        A message that is not an acceptable batch is logged and, when it can be identified,
        answered with a rejection; it never affects the others.
        """
        answers, batches = [], []
        for topic, payload in messages:
            try:
                batches.append(parse_batch(topic, payload))
            except SyncProtocolError as exc:
                self.rejected += 1
                log.warning("rejected a batch on %s: %s", topic, exc)
                answers += _rejection_for_unparsed(topic, payload, str(exc))
        if not batches:
            return answers
        try:
            acks = store_batches(self.db, batches, self.clock())
        except sqlite3.Error as exc:  # disk full, locked too long: the sites will resend
            log.error("could not store %d batches: %s", len(batches), exc)
            return answers
        for ack in acks:
            self.stored += ack.inserted
            if ack.duplicates:
                log.info("batch %s: %d events already stored", ack.batch_id, ack.duplicates)
            answers.append((topics.sync_ack(ack.center, ack.kiosk), encode(ack)))
        return answers

    def publish_rosters(self) -> None:
        """Publish (retained) every roster whose revision changed since the last time."""
        if not self.link.connected.is_set():
            self.published_rosters.clear()  # a new session: publish everything again
            return
        for center, revision in roster_revisions(self.db).items():
            if self.published_rosters.get(center) != revision:
                roster = roster_of(self.db, center)
                self.link.publish(topics.roster(center), encode(roster), retain=True)
                self.published_rosters[center] = revision

    def _drain(self, timeout: float) -> None:
        try:
            messages = [self.link.inbox.get(timeout=timeout)]
        except queue.Empty:
            return
        while len(messages) < GROUP_COMMIT_BATCHES:
            try:
                messages.append(self.link.inbox.get_nowait())
            except queue.Empty:
                break
        try:
            answers = self.handle(messages)
        except Exception:  # never let one burst stop intake; the sites resend
            log.exception("unexpected failure on %d messages", len(messages))
            return
        for answer in answers:
            self.link.publish(*answer)


def _rejection_for_unparsed(topic: str, payload: bytes, reason: str) -> list[tuple[str, bytes]]:
    """Answer a batch we could not accept, if the topic and the batch's run can be read."""
    try:
        center, kiosk = parse_batch_topic(topic)
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
        return []
    return [(topics.sync_ack(center, kiosk), encode(ack))]

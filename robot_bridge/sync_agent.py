"""The kiosk's sync agent: ships the outbox to central and brings the roster back.

One thread owns the store connection and the planner; the MQTT link only queues what
arrives. Killed at any point, it loses nothing: the outbox high-water mark moves only after
central's ack, and whatever was in flight is sent again on the next start.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk_app.store import Learner, Store, StoreError
from robot_bridge import topics
from robot_bridge.mqtt_link import MqttLink
from robot_bridge.sync_planner import SyncPlanner
from robot_bridge.sync_protocol import (
    Roster,
    SyncProtocolError,
    parse_ack,
    parse_roster,
)

log = logging.getLogger(__name__)

LOOP_SECONDS = 0.05  # how long the agent waits for an ack before looking at the outbox again
STATUS_SECONDS = 2.0  # how often backlog and lag are reported
STORE_RETRY_SECONDS = 5.0  # after a store error (disk full, locked), wait before retrying


@dataclass(frozen=True)
class SyncStatus:
    backlog: int
    lag_seconds: float  # age of the oldest unsynced event; 0 when all is synced
    synced_up_to: int
    resends: int
    connected: bool

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__).encode()


class SyncAgent:
    def __init__(
        self,
        store: Store,
        link: MqttLink,
        center: str,
        kiosk: str,
        clock: Callable[[], float] = time.time,
        on_status: Callable[[SyncStatus], None] | None = None,
    ) -> None:
        self.store, self.link, self.center, self.kiosk = store, link, center, kiosk
        self.clock = clock
        self.on_status = on_status
        self.planner = SyncPlanner(center, kiosk, clock, synced_up_to=store.status().synced_up_to)
        self.roster_revision = -1
        self._last_status = 0.0

    @staticmethod
    def subscriptions(center: str, kiosk: str) -> list[tuple[str, int]]:
        return [(topics.sync_ack(center, kiosk), 1), (topics.roster(center), 1)]

    def run(self, stop: threading.Event) -> None:
        """Work until `stop` is set."""
        while not stop.is_set():
            try:
                self.step()
            except StoreError as exc:  # e.g. a full disk: keep what we have, try again later
                log.error("sync paused: %s", exc)
                stop.wait(STORE_RETRY_SECONDS)

    def step(self) -> None:
        """One turn: take what arrived, resend if late, send what waits, report."""
        self._receive(timeout=LOOP_SECONDS)
        self.planner.check_timeouts()
        if self.link.connected.is_set():
            while batch := self.planner.next_batch(self._fetch):
                self.link.publish(topics.sync_batch(self.center, self.kiosk), batch.payload)
        if self.clock() - self._last_status >= STATUS_SECONDS:
            self.report()

    def status(self) -> SyncStatus:
        store = self.store.status()
        oldest = self.store.unsynced(limit=1)
        lag = max(0.0, self.clock() - oldest[0].event.at) if oldest else 0.0
        return SyncStatus(
            backlog=store.unsynced,
            lag_seconds=round(lag, 1),
            synced_up_to=store.synced_up_to,
            resends=self.planner.resends,
            connected=self.link.connected.is_set(),
        )

    def report(self) -> SyncStatus:
        self._last_status = self.clock()
        status = self.status()
        self.link.publish(
            topics.sync_status(self.center, self.kiosk), status.to_json(), retain=True
        )
        if self.on_status:
            self.on_status(status)
        return status

    def _fetch(self, after: int, limit: int) -> list[tuple[int, str]]:
        return self.store.unsynced_payloads(limit=limit, after=after)

    def _receive(self, timeout: float) -> None:
        """Handle everything that arrived; store the high-water mark once for all the acks
        (each store commit is an fsync, so a burst of acks costs one)."""
        try:
            message = self.link.inbox.get(timeout=timeout)
        except queue.Empty:
            return
        mark = None
        while True:
            mark = self._handle(*message) or mark
            try:
                message = self.link.inbox.get_nowait()
            except queue.Empty:
                break
        if mark is not None:
            self.store.mark_synced(mark)

    def _handle(self, topic: str, payload: bytes) -> int | None:
        """Apply a roster, or take an ack; returns a new high-water mark to store, if any."""
        try:
            if topic == topics.roster(self.center):
                self._apply_roster(parse_roster(payload))
                return None
            ack = parse_ack(payload)
        except SyncProtocolError as exc:
            log.warning("ignored a bad message on %s: %s", topic, exc)
            return None
        if ack.status != "stored":
            log.error("central rejected seq %d…%d: %s", ack.first_seq, ack.last_seq, ack.reason)
        return self.planner.on_ack(ack)

    def _apply_roster(self, roster: Roster) -> None:
        if roster.center != self.center or roster.revision <= self.roster_revision:
            return
        self.store.apply_roster(
            Learner(id=r.id, name=r.name, colour=r.colour, hidden=r.hidden, position=i)
            for i, r in enumerate(roster.learners)
        )
        self.roster_revision = roster.revision
        log.info("roster revision %d: %d learners", roster.revision, len(roster.learners))

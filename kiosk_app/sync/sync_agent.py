"""The kiosk's sync agent: ships the outbox to central and brings the roster back.

One thread owns the store connection and the planner; the MQTT link only queues what
arrives. Killed at any point, it loses nothing: the outbox high-water mark moves only after
central's ack (or after a refused event is recorded as set aside), and whatever was in
flight is sent again on the next start. It listens to the site bridge's state, so it
resends as soon as central is reachable again and not at all while it is not.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from kiosk_app.storage.store import Learner, Store, StoreError
from robot_bridge.library.kiosk_library import KioskLibrary
from robot_bridge.link.mqtt_link import MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import (
    Roster,
    SyncProtocolError,
    parse_ack,
    parse_roster,
)
from robot_bridge.sync.sync_planner import SyncPlanner

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
    set_aside: int = 0  # events central refused or too big to send, kept on the kiosk
    set_aside_reason: str | None = None  # why the latest of them was set aside
    ignored_acks: int = 0  # acks for batches this agent did not send (forged?) since start
    # the published lesson library (docs/lesson-publishing.md): the version the kiosk
    # teaches, the newest one ready on it, the one its center has, and why that one is not
    # ready (None: fetching it, or nothing to do)
    library_follows: bool = False  # this kiosk takes the libraries central publishes
    library_version: int | None = None
    library_installed: int | None = None
    library_offered: int | None = None
    library_problem: str | None = None

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
        library: KioskLibrary | None = None,
    ) -> None:
        self.store, self.link, self.center, self.kiosk = store, link, center, kiosk
        self.library = library
        self.clock = clock
        self.on_status = on_status
        self.planner = SyncPlanner(center, kiosk, clock, synced_up_to=store.status().synced_up_to)
        self.roster_revision = -1
        self._last_status = 0.0
        self._stored_mark = self.planner.synced_up_to
        self._reconnected = threading.Event()

    @staticmethod
    def subscriptions(center: str, kiosk: str) -> list[tuple[str, int]]:
        return [
            (topics.sync_ack(center, kiosk), 1),
            (topics.roster(center), 1),
            (topics.bridge_state(center), 1),
        ]

    def reconnected(self) -> None:
        """The link to the site broker is back (paho's thread): resend on the next turn."""
        self._reconnected.set()

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
        if self._reconnected.is_set():
            self._reconnected.clear()
            self.planner.resend_now()
            if self.library:
                self.library.resume()
        if self.library:
            self.library.tick()
        self.planner.check_timeouts()
        if self.link.connected.is_set():
            while batch := self.planner.next_batch(self._fetch):
                self.link.publish(topics.sync_batch(self.center, self.kiosk), batch.payload)
        set_aside = self._settle()
        if set_aside or self.clock() - self._last_status >= STATUS_SECONDS:
            self.report()

    def status(self) -> SyncStatus:
        store = self.store.status()
        oldest = self.store.unsynced(limit=1)
        lag = max(0.0, self.clock() - oldest[0].event.at) if oldest else 0.0
        status = SyncStatus(
            backlog=store.unsynced,
            lag_seconds=round(lag, 1),
            synced_up_to=store.synced_up_to,
            resends=self.planner.resends,
            connected=self.link.connected.is_set(),
            set_aside=store.set_aside,
            set_aside_reason=store.set_aside_reason,
            ignored_acks=self.planner.ignored_acks,
        )
        if self.library is None:
            return status
        taught = self.store.kept("library_version")
        report = self.library.report()
        return replace(
            status,
            library_follows=True,
            library_version=int(taught) if taught and taught.isdigit() else None,
            library_installed=report.installed,
            library_offered=report.offered,
            library_problem=report.problem,
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
        """Handle everything that arrived (`step` then stores the high-water mark once for
        all the acks: each store commit is an fsync, so a burst of acks costs one)."""
        try:
            message = self.link.inbox.get(timeout=timeout)
        except queue.Empty:
            return
        while True:
            self._handle(*message)
            try:
                message = self.link.inbox.get_nowait()
            except queue.Empty:
                break

    def _settle(self) -> bool:
        """Store the high-water mark and what was set aside, if either changed; True if
        something was set aside."""
        planner = self.planner
        if planner.synced_up_to == self._stored_mark and not planner.set_aside:
            return False
        runs = [(r.first_seq, r.last_seq, r.reason) for r in planner.set_aside]
        self.store.settle(planner.synced_up_to, runs)
        self._stored_mark = planner.synced_up_to
        for first, last, reason in runs:
            log.error("set aside seq %d…%d (central will not take it): %s", first, last, reason)
        planner.set_aside.clear()
        return bool(runs)

    def _handle(self, topic: str, payload: bytes) -> None:
        """Apply a roster, follow the bridge's state, take an ack or library bytes."""
        if self.library and self.library.handle(topic, payload):
            return
        try:
            if topic == topics.roster(self.center):
                self._apply_roster(parse_roster(payload))
                return
            if topic == topics.bridge_state(self.center):
                self.planner.central_link(payload.strip() == b"1")
                log.info("central is %s", "reachable" if self.planner.central_up else "unreachable")
                return
            ack = parse_ack(payload)
        except SyncProtocolError as exc:
            log.warning("ignored a bad message on %s: %s", topic, exc)
            return
        ignored = self.planner.ignored_acks
        self.planner.on_ack(ack)
        if self.planner.ignored_acks > ignored:
            log.warning(
                "ignored an ack for batch %.64r (seq %d…%d) that this agent did not send",
                ack.batch_id, ack.first_seq, ack.last_seq,
            )  # fmt: skip
        elif ack.status != "stored":
            log.error("central refused seq %d…%d: %s", ack.first_seq, ack.last_seq, ack.reason)

    def _apply_roster(self, roster: Roster) -> None:
        if roster.center != self.center or roster.revision <= self.roster_revision:
            return
        self.store.apply_roster(
            Learner(id=r.id, name=r.name, colour=r.colour, hidden=r.hidden, position=i)
            for i, r in enumerate(roster.learners)
        )
        self.roster_revision = roster.revision
        log.info("roster revision %d: %d learners", roster.revision, len(roster.learners))

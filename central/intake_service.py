"""Central intake: take every center's sync batches off MQTT, store them, acknowledge them,
and keep each center's retained roster up to date.

Several workers may run side by side on one database: they share the batch subscription
(`$share/…`), and each burst of batches is stored in one write transaction (again batch by
batch, each in a savepoint, if one fails). Nothing a center sends can stop a worker or hold
back another center: a batch that does not parse or fails while being stored is set aside
(the `set_aside` table), logged with its center, kiosk and run, and answered `rejected`;
events of a good batch that central will not count are set aside one by one and the ack's
reason says so (docs/sync.md).
"""

from __future__ import annotations

import gc
import hashlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Collection
from pathlib import Path

from central.database import DatabaseError, is_broken, open_database
from central.intake import centrals_own_failure, take_in
from central.intake_queue import FairQueue, center_of
from central.library_offers import library_dir_beside
from central.library_publish import published_lesson_ids
from central.roster import roster_of, roster_revisions
from lessons.library import load_library
from lessons.library_store import LibraryStore
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import encode

log = logging.getLogger(__name__)

ROSTER_POLL_SECONDS = 1.0  # how soon a roster change made elsewhere (dashboard) goes out
LOOP_SECONDS = 0.1
# Mosquitto's acl_file cannot refuse a subscription (it checks only publishing and
# delivery), and a shared group hands each message to one member whether or not the ACL
# then lets it through: a center that joined intake's group would swallow other centers'
# batches. So the group's name is a secret derived from intake's password, which every
# intake worker has and no center does.
SHARE_GROUP_PREFIX = "central-intake"
# Batches queued together are stored in one transaction: one commit for a burst (a site
# back online) instead of one per batch. Bounded so an ack never waits long.
GROUP_COMMIT_BATCHES = 16
# Messages moved from the inbox into the centers' lines per turn: bounded, so a flood
# arriving as fast as it is moved cannot keep the worker from storing.
ARRIVALS_PER_TURN = 10_000
# Parsing a batch makes ~10 objects an event, and Python's collector, at its default of a
# young-generation pass every 700 objects, spent a third of intake's time walking what
# lives on (measured: 22k → 35k events/s stored). What intake keeps is never a cycle worth
# hunting every millisecond: it checks once per this many new objects.
GC_YOUNG_OBJECTS = 20_000


class IntakeWorker:
    def __init__(
        self,
        db_path: Path | str,
        broker: BrokerAddress,
        worker_id: str = "intake-1",
        clock: Callable[[], float] = time.time,
        lessons: Collection[str] | None = None,
        shared: bool = False,
    ) -> None:
        """`lessons`: the lesson ids central knows (default: its installed library); events
        of other lessons are set aside. `shared`: one of several workers, which split the
        batches through a shared subscription; a single worker (the default) subscribes on
        its own, because Mosquitto 2.0 does not restore a shared subscription when it
        restarts: batches arriving before the worker is back would find no subscriber."""
        self.db_path = db_path
        self.lessons = frozenset(lessons) if lessons is not None else None
        self._fixed_lessons = lessons is not None
        self._published: tuple[int, ...] | None = None  # versions the catalog was read from
        self.db = open_database(db_path)  # checks the file now; reopened on the worker thread
        self.db.close()
        self.clock = clock
        group = intake_share_group(broker.password)
        own = topics.every_center(topics.Kind.SYNC_BATCH)
        subscription = topics.intake_subscription(group) if shared else own
        # what an earlier run of this worker may have left in its persistent session
        kept = (topics.intake_subscription(SHARE_GROUP_PREFIX), topics.intake_subscription(group))
        self._stale = [t for t in dict.fromkeys((*kept, own)) if t != subscription]
        self.link = MqttLink(
            broker,
            f"sarangbang-{worker_id}",
            [(subscription, 1)],
            clean_session=False,
            on_connected=self._leave_stale_subscriptions,
        )
        self.waiting = FairQueue()  # each center's batches, served in turn
        self._overflowing: set[str] = set()  # centers whose line is full (logged once)
        self.published_rosters: dict[str, int] = {}
        self.stored = 0
        self.rejected = 0

    def run(self, stop: threading.Event) -> None:
        self.db = open_database(self.db_path)  # a connection belongs to the thread using it
        self.link.start()
        last_roster_check = 0.0
        try:
            self._catalog()  # after subscribing: batches queue while it loads
            while not stop.is_set():
                self._drain(LOOP_SECONDS)
                if self.clock() - last_roster_check >= ROSTER_POLL_SECONDS:
                    last_roster_check = self.clock()
                    self.publish_rosters()
                    self._catalog()
        finally:
            self.link.stop()
            self.db.close()

    def _catalog(self) -> None:
        """The lessons central knows: its installed library and every lesson of every
        version it published (read again when a version is published), so that progress on
        a newly published lesson is stored, not set aside."""
        if self._fixed_lessons:
            return
        store = LibraryStore(library_dir_beside(self.db_path))
        versions = tuple(store.installed())
        if self.lessons is not None and versions == self._published:
            return
        known = set(load_library().lessons) if self.lessons is None else set(self.lessons)
        self.lessons = frozenset(known | published_lesson_ids(store))
        self._published = versions

    def _reconnect(self) -> None:
        """After the database server went away: a new connection for the next burst (if
        it is still away, the next burst fails the same way and tries again)."""
        if not is_broken(self.db):
            return
        try:
            self.db = open_database(self.db_path)
        except DatabaseError as exc:
            log.error("%s", exc)

    def handle(self, messages: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
        """Store the batches among `messages` in one transaction; return the acks to publish.

        A message that is not an acceptable batch is set aside and, when its run can be
        read, answered with a rejection; it never affects the others.
        """
        try:
            acks = take_in(self.db, messages, self.clock(), self.lessons)
        except Exception as exc:  # disk full, locked, server gone: the sites resend
            if not centrals_own_failure(exc):
                raise
            log.error("could not store %d batches: %r", len(messages), exc)
            self._reconnect()
            return []
        answers = []
        for ack in acks:
            if ack.status == "rejected":
                self.rejected += 1
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

    def _leave_stale_subscriptions(self) -> None:
        """A session kept from an earlier run may hold another subscription to the batches
        (the public group from before it was secret, or the other of shared and own): each
        batch would come twice."""
        self.link.client.unsubscribe(self._stale)

    def _drain(self, timeout: float) -> None:
        self._take_arrivals(0.0 if self.waiting else timeout)
        messages = self.waiting.burst(GROUP_COMMIT_BATCHES)
        if not messages:
            return
        try:
            answers = self.handle(messages)
        except Exception:  # never let one burst stop intake; the sites resend
            log.exception("unexpected failure on %d messages", len(messages))
            return
        for answer in answers:
            self.link.publish(*answer)

    def _take_arrivals(self, timeout: float) -> None:
        """Move what arrived into the centers' lines (paho's thread only fills the inbox)."""
        try:
            message = (
                self.link.inbox.get(timeout=timeout) if timeout else self.link.inbox.get_nowait()
            )
        except queue.Empty:
            return
        for _ in range(ARRIVALS_PER_TURN):
            center = center_of(message[0])
            if not self.waiting.add(message) and center not in self._overflowing:
                self._overflowing.add(center)
                log.warning("center %.64r sends more than intake reads: dropping its "
                            "messages unread until its line shortens", center)  # fmt: skip
            try:
                message = self.link.inbox.get_nowait()
            except queue.Empty:
                break
        self._overflowing.intersection_update(self.waiting.centers())


def collect_garbage_less() -> None:
    """For an intake process (the CLI): everything loaded so far is kept out of the
    collector's walks (`gc.freeze`), and young objects are looked at less often."""
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_OBJECTS, older, oldest)


def intake_share_group(password: str | None) -> str:
    """The shared-subscription group of intake workers that log in with `password`."""
    if not password:  # a broker without passwords (a developer's) has no secret to keep
        return SHARE_GROUP_PREFIX
    digest = hashlib.sha256(f"sarangbang intake share group:{password}".encode()).hexdigest()
    return f"{SHARE_GROUP_PREFIX}-{digest[:24]}"

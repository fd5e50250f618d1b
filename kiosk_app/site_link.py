"""The kiosk's one connection to its center's broker: running classes, the center's
schedule, class mode reports and help calls, over the robot bridge's `ClassClient`.

Nothing here runs on the UI thread for long: the client is built, started and told what
to publish on one worker thread, and what arrives comes back through `post` (the Kivy app
passes `Clock.schedule_once`). A broker that is down or missing only means `connected` is
False; the kiosk keeps teaching, and the client keeps reconnecting in the background.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from kiosk_app.config import KioskConfig
from kiosk_app.storage.store_writer import Post
from kiosk_app.teaching.kiosk import Kiosk
from robot_bridge.classes.class_client import ClassClient
from robot_bridge.classes.class_follower import ClassUpdate
from robot_bridge.link.mqtt_link import BrokerAddress, LinkError, read_password_file
from robot_bridge.protocol.class_messages import ClassState, ClassStatus, Desk, Schedule

log = logging.getLogger(__name__)

Job = Callable[[ClassClient], None]

# the class client says "left" and disconnects; never wait longer (the kiosk must be gone
# within 3 s of SIGTERM, with its store written first)
CLOSE_SECONDS = 1.5


@dataclass(frozen=True)
class SiteEvent:
    """Something arrived from the site: a class update, the running classes, a schedule."""

    update: ClassUpdate | None = None
    running: bool = False
    schedule: Schedule | None = None


class SiteLink:
    def __init__(self, broker: BrokerAddress, center: str, kiosk: str, post: Post) -> None:
        self.broker, self.center, self.kiosk, self.post = broker, center, kiosk, post
        self.running: dict[str, ClassState] = {}  # read on the UI thread only
        self.schedule: Schedule | None = None  # the last one received, on the UI thread
        self._listeners: list[Callable[[SiteEvent], None]] = []
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._client: ClassClient | None = None
        self._thread = threading.Thread(target=self._work, name="site-link", daemon=True)

    def start(self) -> SiteLink:
        self._thread.start()
        return self

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(CLOSE_SECONDS)

    @property
    def connected(self) -> bool:
        client = self._client
        return client is not None and client.link.connected.is_set()

    def joinable(self) -> ClassState | None:
        """The class a learner can join: a running (or paused) one, the first by id."""
        classes = [s for s in self.running.values() if s.status != ClassStatus.FINISHED]
        return min(classes, key=lambda s: s.class_id, default=None)

    def listen(self, listener: Callable[[SiteEvent], None]) -> None:
        """Call `listener` on the UI thread for everything that arrives."""
        self._listeners.append(listener)

    def join(self, class_id: str) -> None:
        self._jobs.put(lambda client: client.join(class_id))

    def leave(self) -> None:
        self._jobs.put(lambda client: client.leave())

    def practice_done(self) -> None:
        self._jobs.put(lambda client: client.practice_done())

    def status(self, desk: Desk) -> None:
        """Who is at this kiosk and how the class's step goes for them (sent when changed)."""
        self._jobs.put(lambda client: client.status(desk))

    def help(self, learner: str | None) -> None:
        """도와주세요: a help call on the center's help topic (sent once the broker is up)."""
        self._jobs.put(lambda client: client.help(learner=learner))

    # ---- the worker thread ----------------------------------------------------------------

    def _work(self) -> None:
        try:
            client = ClassClient(
                self.broker,
                self.center,
                self.kiosk,
                lambda update: self._arrived(SiteEvent(update=update)),
                on_running=self._running,
                on_schedule=lambda schedule: self._arrived(SiteEvent(schedule=schedule)),
            ).start()
        except Exception:
            log.exception("no site link to %s; the kiosk teaches on its own", self.broker)
            return
        self._client = client
        while (job := self._jobs.get()) is not None:
            try:
                job(client)
            except Exception:
                log.exception("site link to %s could not send", self.broker)
        client.close()

    def _running(self, running: dict[str, ClassState]) -> None:
        def hand_over() -> None:
            self.running = running
            self._tell(SiteEvent(running=True))

        self.post(hand_over)

    def _arrived(self, event: SiteEvent) -> None:
        self.post(lambda: self._tell(event))

    def _tell(self, event: SiteEvent) -> None:
        if event.schedule is not None:
            self.schedule = event.schedule
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:
                log.exception("a screen could not take %s", event)


def start_site_link(
    kiosk: Kiosk, post: Post, then: Callable[[SiteEvent], None] | None = None
) -> SiteLink:
    """The kiosk's site link, started: each schedule that arrives is kept in the store, the
    learner in class follows the class, and then `then` (the screens) sees the event."""
    config = kiosk.config
    try:
        broker = site_broker(config)
    except LinkError as exc:  # the broker will refuse us; the kiosk teaches on its own
        log.error("no login for the site broker: %s", exc)
        broker = BrokerAddress(config.broker_host, config.broker_port, config.broker_username)
    link = SiteLink(broker, config.center_id, config.kiosk_id, post)

    def arrived(event: SiteEvent) -> None:
        if event.schedule is not None:
            payload = event.schedule.encode().decode()
            kiosk.write(lambda store: store.save_schedule(payload))
        if event.update is not None and kiosk.class_run is not None:
            kiosk.class_run.follow(event.update.state, event.update.speak)
        if then is not None:
            then(event)

    link.listen(arrived)
    return link.start()


def site_broker(config: KioskConfig) -> BrokerAddress:
    """The site broker of a kiosk's config, with its login (LinkError if the password file
    cannot be read)."""
    password_file = config.broker_password_file
    return BrokerAddress(
        config.broker_host,
        config.broker_port,
        config.broker_username,
        read_password_file(password_file) if password_file else None,
    )

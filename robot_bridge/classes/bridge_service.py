"""The class runner's MQTT shell: feeds `Bridge` what arrives, publishes what it returns,
ticks it, and after every reconnect republishes what a broker restart may have lost.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable

from lessons.library import Library
from lessons.published import CHECK_SECONDS as LIBRARY_CHECK_SECONDS
from lessons.published import PublishedLibrary
from robot_bridge.classes.bridge import Bridge
from robot_bridge.classes.class_runner import PRACTICE_LIMIT_SECONDS
from robot_bridge.classes.class_seats import Outgoing
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.incoming import parse

log = logging.getLogger(__name__)

# How often the runner keeps time (deadlines, kiosk speech, practice limits): fine enough
# that a robot's dropout is noticed well inside a second of its deadline.
TICK_SECONDS = 0.1
# `close()` waits this long for the runner's thread (it wakes every tick); a program must be
# gone within 3 s of SIGTERM.
CLOSE_WAIT_SECONDS = 1.0


def new_command_id() -> str:
    return uuid.uuid4().hex[:16]


class BridgeService:
    def __init__(
        self,
        broker: BrokerAddress,
        center: str,
        library: Library,
        clock: Callable[[], float] = time.time,
        practice_limit: float = PRACTICE_LIMIT_SECONDS,
        published: PublishedLibrary | None = None,
        library_version: int | None = None,
    ) -> None:
        """`published`: where the center's keeper keeps the lesson library central
        published; a new version is taken for the next class (a class under way keeps the
        lesson it started with)."""
        self.bridge = Bridge(center, library, clock, new_command_id, practice_limit)
        self.published, self.library_version = published, library_version
        self._loading: threading.Thread | None = None
        self._next_library_check = 0.0
        self._reconnected = threading.Event()
        self._closing = threading.Event()
        self.link = MqttLink(
            broker,
            f"sarangbang-bridge-{center}",
            [(t, 1) for t in topics.runner_subscriptions(center)],
            on_connected=self._reconnected.set,
        )
        self._thread: threading.Thread | None = None

    def start(self) -> BridgeService:
        """Connect and run in a background thread until `close()`."""
        self.link.start()
        self._thread = threading.Thread(target=self.serve, name="bridge", daemon=True)
        self._thread.start()
        return self

    def serve(self) -> None:
        """Handle messages and keep time until `close()` (on the calling thread)."""
        next_tick = 0.0
        while not self._closing.is_set():
            try:
                topic, payload = self.link.inbox.get(timeout=TICK_SECONDS)
            except queue.Empty:
                topic, payload = "", b""
            if self._reconnected.is_set():
                self._reconnected.clear()
                self._run(self.bridge.reconnected)
            if topic:
                self._run(self.bridge.handle, parse(topic, payload))
            if time.monotonic() >= next_tick:
                next_tick = time.monotonic() + TICK_SECONDS
                self._run(self.bridge.tick)
                self._new_library()

    def _new_library(self) -> None:
        """Look for a newly published version now and then, and load it off this thread;
        the bridge's library is replaced whole (a running class holds its own lesson)."""
        if self.published is None or time.monotonic() < self._next_library_check:
            return
        self._next_library_check = time.monotonic() + LIBRARY_CHECK_SECONDS
        if self._loading is not None and self._loading.is_alive():
            return
        version = self.published.pending(self.library_version)
        if version is None:
            return
        published = self.published

        def load() -> None:
            loaded = published.load(version)
            if loaded is not None:
                self.bridge.library, self.library_version = loaded.library, loaded.version
                log.info("the next class teaches from library version %s", loaded.version)

        self._loading = threading.Thread(target=load, name="bridge-library", daemon=True)
        self._loading.start()

    def close(self) -> None:
        self._closing.set()
        if self._thread:
            self._thread.join(timeout=CLOSE_WAIT_SECONDS)
        self.link.stop()

    def _run(self, decide: Callable[..., list[Outgoing]], *inputs: object) -> None:
        """Carry out one decision; a failure is logged and the runner carries on."""
        try:
            out = decide(*inputs)
        except Exception:
            log.exception("the class runner failed on a message; carrying on")
            return
        for item in out:
            self.link.publish(item.topic, item.message.encode(), retain=item.retain)

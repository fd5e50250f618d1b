"""A plain paho client for tests: publishes, and records what arrives on its subscriptions."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from tests.mosquitto import Broker

WAIT_SECONDS = 10.0
_numbers = itertools.count()


class Probe:
    def __init__(self, broker: Broker, *subscriptions: str) -> None:
        self.messages: list[tuple[str, Any, bool]] = []  # (topic, JSON or raw bytes, retained)
        self._changed = threading.Condition()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"probe-{next(_numbers)}")
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *_: self._subscribed.set()
        self.subscriptions = [(s, 1) for s in subscriptions]
        self.client.on_connect = self._on_connect  # subscribes again after a broker restart
        self.client.reconnect_delay_set(1, 2)
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()
        assert self._subscribed.wait(WAIT_SECONDS), "probe could not subscribe"

    def publish(self, topic: str, payload: bytes | dict[str, Any], retain: bool = False) -> None:
        data = json.dumps(payload).encode() if isinstance(payload, dict) else payload
        self.client.publish(topic, data, qos=1, retain=retain).wait_for_publish(WAIT_SECONDS)

    def on(self, topic: str) -> list[Any]:
        with self._changed:
            return [body for t, body, _ in self.messages if t == topic]

    def wait_for(
        self, topic: str, predicate: Callable[[Any], bool], timeout: float = WAIT_SECONDS
    ) -> Any:
        """The first message on `topic` that satisfies `predicate`, waiting for it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [b for t, b, _ in self.messages if t == topic and predicate(b)]
                if found:
                    return found[0]
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [b for t, b, _ in self.messages if t == topic][-5:]
                    raise AssertionError(f"nothing matching on {topic} in {timeout} s; {seen}")
                self._changed.wait(left)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _on_connect(self, client: mqtt.Client, *_: Any) -> None:
        if self.subscriptions:
            client.subscribe(self.subscriptions)
        else:
            self._subscribed.set()

    def _on_message(self, _c: mqtt.Client, _u: Any, message: mqtt.MQTTMessage) -> None:
        try:
            body: Any = json.loads(message.payload)
        except ValueError:
            body = bytes(message.payload)
        with self._changed:
            self.messages.append((message.topic, body, bool(message.retain)))
            self._changed.notify_all()

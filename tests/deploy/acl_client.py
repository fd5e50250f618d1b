"""A plain paho client for probing what a broker's ACL lets a login do."""

from __future__ import annotations

import ssl
import threading

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from robot_bridge.link.mqtt_link import BrokerAddress


class Client:
    """A plain paho client that records what it receives and what the broker granted."""

    def __init__(
        self, address: BrokerAddress, client_id: str = "", clean_session: bool = True
    ) -> None:
        self.received: list[tuple[str, bytes]] = []
        self.disconnects = 0
        self.granted: list[int] = []
        self.connect_result: str = "not yet"
        self.ready = threading.Event()
        self.subscribed = threading.Event()
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id,
            clean_session=clean_session,
            protocol=mqtt.MQTTv311,
            reconnect_on_failure=False,
        )
        if address.username:
            self.client.username_pw_set(address.username, address.password)
        if address.ca_file:
            self.client.tls_set(ca_certs=str(address.ca_file), tls_version=ssl.PROTOCOL_TLS_CLIENT)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = lambda _c, _u, m: self.received.append((m.topic, m.payload))
        self.client.connect(address.host, address.port)
        self.client.loop_start()
        self.ready.wait(10)

    def _on_connect(self, _c: object, _u: object, _f: object, reason: object, _p: object) -> None:
        self.connect_result = str(reason)
        self.ready.set()

    def _on_disconnect(self, *_: object) -> None:
        self.disconnects += 1

    def _on_subscribe(
        self, _c: object, _u: object, _m: object, codes: list[object], _p: object
    ) -> None:
        self.granted = [int(getattr(code, "value", code)) for code in codes]  # type: ignore[call-overload]
        self.subscribed.set()

    def subscribe(self, topic: str) -> list[int]:
        self.subscribed.clear()
        self.client.subscribe(topic, 1)
        self.subscribed.wait(10)
        return self.granted

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=1, retain=retain).wait_for_publish(10)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

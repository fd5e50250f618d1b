"""A thin paho-mqtt shell: connect (and keep reconnecting), subscribe, publish, and hand
incoming messages to the owner's thread through a queue.

Network callbacks only enqueue, so nothing a broker sends can raise inside paho's thread;
the owner parses and handles messages on its own thread.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from robot_bridge.protocol import topics

log = logging.getLogger(__name__)

# Reconnect quickly after a broker restart, but never hammer a broker that stays down:
# a connection refused every 2 s costs a broker nothing, and a program waits at most 2 s
# after its broker is back (with 5, intake was the last to notice central's return).
RECONNECT_MIN_SECONDS = 1  # paho takes whole seconds
RECONNECT_MAX_SECONDS = 2
KEEPALIVE_SECONDS = 15  # a dead link is noticed within ~1.5 × this
# QoS 1 messages paho keeps unacknowledged at once; paho's default of 20 throttles batches.
MAX_INFLIGHT = 100
# `stop()` waits this long for paho's network thread, then leaves it (a daemon) behind: a
# program must be gone within 3 s of SIGTERM whatever state the broker is in.
STOP_WAIT_SECONDS = 0.5


class LinkError(Exception):
    """The broker address or TLS settings are unusable."""


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int = 1883
    username: str | None = None
    password: str | None = None
    ca_file: Path | None = None  # set: connect with TLS, verifying the broker against it
    # More nodes of the same broker cluster, (host, port) each: a link whose connection is
    # lost or refused tries the next node in turn (docs/central-cluster.md).
    more: tuple[tuple[str, int], ...] = ()

    @classmethod
    def parse(cls, text: str, **options: Any) -> BrokerAddress:
        """'host' or 'host:port' (plus username, password, ca_file), or several of them
        separated by commas: the nodes of one cluster, tried in that order."""
        nodes = [_node(part, text, options) for part in text.split(",")]
        if len(set(nodes)) < len(nodes):
            raise LinkError(f"broker address {text!r} names a node twice")
        (host, port), *more = nodes
        return cls(host, port, **options, more=tuple(more))

    @property
    def nodes(self) -> tuple[tuple[str, int], ...]:
        return ((self.host, self.port), *self.more)

    def __str__(self) -> str:
        return ",".join(f"{host}:{port}" for host, port in self.nodes)


def _node(part: str, text: str, options: dict[str, Any]) -> tuple[str, int]:
    part = part.strip()
    host, _, port = part.rpartition(":") if ":" in part else (part, "", "")
    if not host:
        raise LinkError(f"broker address {text!r} has no host")
    try:
        number = int(port) if port else (8883 if options.get("ca_file") else 1883)
    except ValueError:
        raise LinkError(f"broker port {port!r} in {text!r} is not a number") from None
    if not 0 < number < 65536:
        raise LinkError(f"broker port {number} is out of range")
    return host, number


def read_password_file(path: Path) -> str:
    """The password kept alone in `path` (a password never goes on a command line, where
    `ps` and the shell's history show it)."""
    try:
        password = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise LinkError(f"cannot read the password file {path}: {exc.strerror}") from None
    if not password:
        raise LinkError(f"the password file {path} is empty")
    return password


def private_client_id(client_id: str, broker: BrokerAddress) -> str:
    """`client_id` made unguessable for whoever lacks the login's password.

    Mosquitto drops a connected client when another connects with its client id, and its
    ACL cannot tie an id to a login; a device with any login on the site broker could
    otherwise knock the runner or a robot off (its last will saying `offline`) by naming
    `sarangbang-bridge-{center}`. Derived from the password, so the same program keeps the
    same id across restarts (a restart still replaces its own stale connection at once).
    Only for clean sessions: a persistent session (intake's) must keep its known id, and
    central's listener for centers ties client ids to user names instead."""
    if not broker.password:
        return client_id
    secret = hashlib.sha256(f"sarangbang client id:{client_id}:{broker.password}".encode())
    return f"{client_id}-{secret.hexdigest()[:16]}"


def stop_loop(client: mqtt.Client, wait: float) -> bool:
    """Stop paho's network thread, waiting at most `wait` s; True if it stopped. paho's
    loop_stop() joins its thread without a timeout, so it is joined from a helper."""

    def stop() -> None:
        try:
            client.loop_stop()
        except Exception:  # e.g. paho's thread ending under it (it sets `_thread` to None)
            log.debug("stopping the MQTT loop", exc_info=True)

    stopper = threading.Thread(target=stop, name="mqtt-stop", daemon=True)
    stopper.start()
    stopper.join(wait)
    return not stopper.is_alive()


def configure(client: mqtt.Client, broker: BrokerAddress) -> None:
    """What every link of ours sets on a paho client: in-flight window, reconnect delays,
    the login and TLS (LinkError for a CA file that cannot be used)."""
    client.max_inflight_messages_set(MAX_INFLIGHT)
    client.reconnect_delay_set(RECONNECT_MIN_SECONDS, RECONNECT_MAX_SECONDS)
    if broker.username:
        client.username_pw_set(broker.username, broker.password)
    if broker.ca_file:
        try:
            client.tls_set(ca_certs=str(broker.ca_file), tls_version=ssl.PROTOCOL_TLS_CLIENT)
        except (OSError, ssl.SSLError, ValueError) as exc:
            raise LinkError(f"cannot use CA file {broker.ca_file}: {exc}") from None


Inbound = tuple[str, bytes]


class MqttLink:
    def __init__(
        self,
        broker: BrokerAddress,
        client_id: str,
        subscriptions: list[tuple[str, int]],
        *,
        clean_session: bool = True,
        will: tuple[str, bytes] | None = None,
        on_connected: Callable[[], None] | None = None,
        handle: Callable[[str, bytes], None] | None = None,
    ) -> None:
        """`on_connected` runs on paho's thread after every (re)connect, e.g. to publish a
        birth message. `handle`, if given, takes each message on paho's thread instead of
        the inbox (one thread hop less, for what must be quick, like a robot's emergency
        stop); it must not block. What either raises is logged."""
        self.broker = broker
        self.on_connected = on_connected
        self.handle = handle
        self.subscriptions = subscriptions
        self.inbox: queue.Queue[Inbound] = queue.Queue()
        self.connected = threading.Event()  # connected and subscribed: ready both ways
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=private_client_id(client_id, broker) if clean_session else client_id,
            clean_session=clean_session,
            protocol=mqtt.MQTTv311,
        )
        configure(self.client, broker)
        if will:
            self.client.will_set(will[0], will[1], qos=1, retain=True)
        self.client.on_socket_open = _send_without_delay
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_connect_fail = self._next_node
        self._node = 0  # index into broker.nodes of the node this link uses now
        self._stopping = False
        self.client.on_subscribe = self._on_subscribe
        self._subscribe_mid: int | None = None
        self.client.on_message = self._on_message

    def start(self) -> None:
        """Connect in the background; paho keeps reconnecting until `stop()`."""
        self.client.connect_async(*self.broker.nodes[self._node], KEEPALIVE_SECONDS)
        self.client.loop_start()

    def stop(self, wait: float = STOP_WAIT_SECONDS) -> None:
        """Disconnect and stop paho's thread, waiting at most `wait` s for it."""
        self.connected.clear()  # first, so our own disconnect is not logged as a lost broker
        self._stopping = True  # and does not move the link to another node
        self.client.disconnect()
        if not stop_loop(self.client, wait):
            log.warning("the MQTT thread for %s did not stop within %s s", self.node, wait)

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=qos, retain=retain)

    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            log.warning("broker %s refused the connection: %s", self.node, reason)
            return
        if self.subscriptions:  # `connected` waits for the SUBACK: until then the broker
            # may still drop what is published for us (a message sent in between is lost)
            _, self._subscribe_mid = client.subscribe(self.subscriptions)
        else:
            self.connected.set()
        log.info("connected to %s", self.node)
        if self.on_connected:
            try:
                self.on_connected()
            except Exception:
                log.exception("after connecting to %s", self.node)

    def _on_subscribe(self, _c: mqtt.Client, _u: Any, mid: int, reasons: Any, _p: Any) -> None:
        if mid != self._subscribe_mid:
            return  # a later subscribe of the owner's own (e.g. intake leaving an old group)
        pairs = zip(self.subscriptions, reasons, strict=False)  # paho gives one per topic
        refused = [topic for (topic, _), reason in pairs if reason.is_failure]
        if refused:  # waiting would not change a refusal: go on, and say what is missing
            log.warning("broker %s refused the subscriptions %s", self.broker, refused)
        self.connected.set()

    def _on_disconnect(self, _c: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if self.connected.is_set():
            log.warning("lost the broker %s (%s); reconnecting", self.node, reason)
        self.connected.clear()
        self._next_node()  # a refused CONNACK ends here too

    @property
    def node(self) -> str:
        """The node this link is connected to, or trying next."""
        host, port = self.broker.nodes[self._node]
        return f"{host}:{port}"

    def _next_node(self, *_: Any) -> None:
        """Of a cluster, try the next node after a lost or failed connection (paho then
        reconnects there after its usual 1–2 s wait); of one broker, the same again."""
        if len(self.broker.nodes) < 2 or self._stopping:
            return
        self._node = (self._node + 1) % len(self.broker.nodes)
        host, port = self.broker.nodes[self._node]
        self.client.connect_async(host, port, KEEPALIVE_SECONDS)  # on paho's thread: only
        # sets the address (allowed while the connection is closed) for its next reconnect
        log.info("trying the broker's next node, %s", self.node)

    def _on_message(self, _c: mqtt.Client, _u: Any, message: mqtt.MQTTMessage) -> None:
        if self.stale(message):
            return
        if self.handle is None:
            self.inbox.put((message.topic, bytes(message.payload)))
            return
        try:
            self.handle(message.topic, bytes(message.payload))
        except Exception:
            log.exception("could not handle a message on %s", message.topic[:200])

    @staticmethod
    def stale(message: mqtt.MQTTMessage) -> bool:
        """A retained copy on a topic that is never retained: dropped, and logged."""
        if not topics.stale_retained_copy(message.topic, bool(message.retain)):
            return False
        log.warning("ignored a retained message on %s: that topic is never retained",
                    message.topic[:200])  # fmt: skip
        return True


def _send_without_delay(_c: mqtt.Client, _u: Any, sock: Any) -> None:
    """Turn Nagle's algorithm off: with it, the second of two quick small publishes (a robot's
    `failed` then `stopped`) waits ~40 ms for the broker's delayed ACK."""
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, AttributeError):  # not a TCP socket (e.g. a websocket wrapper)
        log.debug("could not set TCP_NODELAY", exc_info=True)

"""The site's retainer: republishes, retained, what central's retained topics deliver live.

Towards a cluster of central nodes a site's bridge is plain MQTT 3.1.1 (NATS refuses
Mosquitto's bridge mode; deploy/site_users.py: bridge_mode). A broker delivers a message to
an existing subscription without its retain flag, so what central publishes retained while
the bridge is up (the roster, the schedule, the library offer) reaches the site broker as an
ordinary message: it is not kept, and a sync agent, kiosk or keeper that (re)starts later
gets nothing, or the older copy the site broker kept at the bridge's last (re)subscription.
The retainer, logged in as `retainer.main` (the only site user that may publish these
three), subscribes to them and publishes each copy that arrives live again, retained, QoS 1,
so the site broker keeps the latest (docs/central-cluster.md, "Retained messages through a
plain bridge").

- A copy that arrives retained is the site broker's kept one (sent on subscribing): not
  republished.
- An empty payload (central clearing a retained message) is republished empty and retained,
  which clears the site's copy too.
- The payload is never parsed: whatever arrives goes out byte for byte.
- It subscribes with MQTT 5's `no_local`, so its own publications never come back to it
  (without it, each would arrive live and be republished again, forever).
- The bridge carries these topics `in` only, so its publications never reach central.
- Its session on the site broker is persistent (`SESSION_EXPIRY_SECONDS`): what arrives
  while it restarts waits there, in order, and is republished when it is back. It
  acknowledges a message only once the broker took its republication, so a message it was
  killed over comes again.

`decide` is the whole rule; `Retainer` is the paho-mqtt shell around it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

from robot_bridge.link.mqtt_link import (
    KEEPALIVE_SECONDS,
    STOP_WAIT_SECONDS,
    BrokerAddress,
    configure,
    private_client_id,
    stop_loop,
)
from robot_bridge.protocol import topics
from robot_bridge.protocol.topics import Kind

log = logging.getLogger(__name__)

# What central publishes retained for a center and a plain bridge delivers without the flag
# (deploy/site_users.py: RETAINER_TOPICS, the retainer's rights, names the same three).
RETAINED_FROM_CENTRAL = (Kind.ROSTER, Kind.SCHEDULE, Kind.LIBRARY_OFFER)
QOS = 1
# The site broker keeps the retainer's session (and queues what arrives for it) this long
# while it is away: a restart, an upgrade, a box that was off for a weekend.
SESSION_EXPIRY_SECONDS = 7 * 24 * 3600


def subscriptions(center: str) -> list[str]:
    """The center's topics the retainer takes and keeps."""
    return [str(topics.Topic(kind, center)) for kind in RETAINED_FROM_CENTRAL]


@dataclass(frozen=True)
class Republish:
    """Publish `payload` on `topic` again, retained, at QoS 1."""

    topic: str
    payload: bytes


def decide(topic: str, payload: bytes, retain: bool, kept: frozenset[str]) -> Republish | None:
    """What to do with a message that arrived: republish it retained if it arrived live on
    one of the `kept` topics; nothing for the broker's own retained copy (it is kept
    already) or for any other topic."""
    if retain or topic not in kept:
        return None
    return Republish(topic, payload)


def describe(payload: bytes) -> str:
    """A payload in a log line, without its content: its size and a short digest."""
    if not payload:
        return "empty (clears it)"
    return f"{len(payload)} bytes, sha256 {hashlib.sha256(payload).hexdigest()[:12]}"


class Retainer:
    """Connects to the site broker (and keeps reconnecting), subscribes to the center's
    retained topics with `no_local`, and republishes retained what arrives live."""

    def __init__(self, broker: BrokerAddress, center: str) -> None:
        self.broker = broker
        self.topics = subscriptions(center)
        self.kept = frozenset(self.topics)
        self.connected = threading.Event()  # connected and subscribed
        self.republished = 0  # republications the broker acknowledged
        self.passed_over = 0  # retained copies that came in and were left alone
        self._lock = threading.RLock()
        # mid of a republication not yet acknowledged → its topic, and the mid and QoS of
        # the message it republishes (acknowledged to the broker once it is)
        self._pending: dict[int, tuple[str, int, int]] = {}
        self._subscribe_mid: int | None = None
        self._unreachable = False  # said so once, until it connects again
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            # stable across restarts (its session is kept), unguessable without the password
            client_id=private_client_id(f"sarangbang-retainer-{center}", broker),
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        configure(self.client, broker)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_publish = self._on_publish
        self.client.on_connect_fail = self._on_connect_fail

    def start(self) -> None:
        """Connect in the background; paho keeps reconnecting until `stop()`."""
        session = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        session.SessionExpiryInterval = SESSION_EXPIRY_SECONDS
        self.client.connect_async(
            self.broker.host,
            self.broker.port,
            KEEPALIVE_SECONDS,
            clean_start=False,  # every time: what waited in the session is republished
            properties=session,
        )
        self.client.loop_start()

    def stop(self, wait: float = STOP_WAIT_SECONDS) -> None:
        """Disconnect and stop paho's thread, waiting at most `wait` s for it."""
        self.connected.clear()
        self.client.disconnect()
        if not stop_loop(self.client, wait):
            log.warning("the MQTT thread did not stop within %s s", wait)

    def run(self, stop: threading.Event) -> None:
        """Until `stop` is set."""
        self.start()
        try:
            stop.wait()
        finally:
            self.stop()

    def _on_connect(self, client: mqtt.Client, _u: Any, flags: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            log.warning("the site broker %s refused the connection: %s", self.where, reason)
            return
        self._unreachable = False
        resumed = "resumed its session" if flags.session_present else "a new session"
        log.info("connected to %s (%s); taking %s", self.where, resumed, ", ".join(self.topics))
        options = SubscribeOptions(qos=QOS, noLocal=True)
        _, self._subscribe_mid = client.subscribe([(topic, options) for topic in self.topics])

    def _on_subscribe(self, _c: mqtt.Client, _u: Any, mid: int, reasons: Any, _p: Any) -> None:
        if mid != self._subscribe_mid:
            return
        refused = [t for t, r in zip(self.topics, reasons, strict=False) if r.is_failure]
        if refused:
            log.warning("the site broker refused the subscriptions %s (its ACL?)", refused)
        self.connected.set()

    def _on_connect_fail(self, _c: mqtt.Client, _u: Any) -> None:
        if not self._unreachable:
            self._unreachable = True
            log.warning("cannot reach the site broker %s; trying again", self.where)

    def _on_disconnect(self, _c: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if self.connected.is_set():
            log.warning("lost the site broker %s (%s); reconnecting", self.where, reason)
        self.connected.clear()

    def _on_message(self, client: mqtt.Client, _u: Any, message: mqtt.MQTTMessage) -> None:
        taken = False
        try:  # nothing may raise inside paho's thread: it would end the loop
            taken = self._take(client, message)
        except Exception:
            log.exception("could not republish a message on %s", message.topic[:200])
        if not taken:  # nothing to wait for
            _ack(client, message.mid, message.qos)

    def _take(self, client: mqtt.Client, message: mqtt.MQTTMessage) -> bool:
        """Republish `message` if it is to be; True if it was (and waits for its ack)."""
        topic, payload, retain = message.topic, bytes(message.payload), bool(message.retain)
        republish = decide(topic, payload, retain, self.kept)
        if republish is None:
            with self._lock:
                self.passed_over += 1
            why = "the broker's kept copy" if retain else "not a topic it keeps"
            log.debug("left %s on %s alone: %s", describe(payload), topic[:200], why)
            return False
        with self._lock:  # on paho's thread, as _on_publish: no ack can come in between
            info = client.publish(republish.topic, republish.payload, qos=QOS, retain=True)
            self._pending[info.mid] = (republish.topic, message.mid, message.qos)
        log.info("republishing retained on %s: %s", topic, describe(payload))
        return True

    def _on_publish(self, client: mqtt.Client, _u: Any, mid: int, reason: Any, _p: Any) -> None:
        with self._lock:
            pending = self._pending.pop(mid, None)
            ok = pending is not None and not reason.is_failure
            if ok:
                self.republished += 1
        if pending is None:
            return
        topic, incoming, qos = pending
        if not ok:  # acknowledged all the same: waiting would only stall what comes next
            log.warning("the site broker did not take the retained copy on %s: %s", topic, reason)
        _ack(client, incoming, qos)

    @property
    def where(self) -> str:
        return f"{self.broker.host}:{self.broker.port}"


def _ack(client: mqtt.Client, mid: int, qos: int) -> None:
    """Acknowledge a message that came in (a QoS 0 one needs none)."""
    if qos > 0:
        client.ack(mid, qos)

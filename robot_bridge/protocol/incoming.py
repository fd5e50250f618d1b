"""Parsing an incoming MQTT message: a pure function of (topic, payload) that returns the
typed message or a rejection saying why. Nothing here raises on bad input.
"""

from __future__ import annotations

from dataclasses import dataclass

from robot_bridge.protocol.class_messages import (
    ClassControl,
    ClassState,
    HelpCall,
    KioskReport,
    Notice,
    Schedule,
)
from robot_bridge.protocol.robot_messages import Command, EmergencyStop, RobotEvent, RobotStatus
from robot_bridge.protocol.topics import Kind, Topic, TopicError, parse_topic
from robot_bridge.protocol.wire import Message, ProtocolError, decode

MODELS: dict[Kind, type[Message]] = {
    Kind.ROBOT_STATUS: RobotStatus,
    Kind.ROBOT_CMD: Command,
    Kind.ROBOT_EVENTS: RobotEvent,
    Kind.ROBOT_ESTOP: EmergencyStop,
    Kind.CENTER_ESTOP: EmergencyStop,
    Kind.CLASS_STATE: ClassState,
    Kind.CLASS_CONTROL: ClassControl,
    Kind.KIOSK_CLASS: KioskReport,
    Kind.HELP: HelpCall,
    Kind.INSTRUCTOR: Notice,
    Kind.SCHEDULE: Schedule,
}


# why an empty payload is refused: a retained message was cleared (never a command or a stop)
EMPTY_PAYLOAD = "empty payload (a retained message was cleared)"


@dataclass(frozen=True)
class Incoming:
    topic: Topic
    message: Message


@dataclass(frozen=True)
class Rejected:
    """Why a message was not accepted; `topic` is None when the topic itself was wrong."""

    raw_topic: str
    reason: str
    topic: Topic | None = None
    message_id: str | None = None

    def __str__(self) -> str:
        return f"{self.raw_topic[:200]}: {self.reason}"


def parse(topic: str, payload: bytes) -> Incoming | Rejected:
    """The message on `topic`, or why it is rejected."""
    try:
        parsed = parse_topic(topic)
    except TopicError as exc:
        return Rejected(topic, str(exc))
    model = MODELS.get(parsed.kind)
    if model is None:  # a sync or roster topic: robot_bridge.protocol.sync_protocol parses those
        return Rejected(topic, f"a {parsed.kind} topic carries no robot or class message", parsed)
    if not payload:
        return Rejected(topic, EMPTY_PAYLOAD, parsed)
    try:
        return Incoming(parsed, decode(model, payload))
    except ProtocolError as exc:
        return Rejected(topic, exc.reason, parsed, exc.message_id)

"""The instructor's controls of a class: which the console offers now (pure), the
`ClassControl` each one sends, and the dashboard's own MQTT link that publishes it on the
center's `…/classes/{class}/control` through central's broker (the center's bridge
carries it to the class runner, docs/sync.md)."""

from __future__ import annotations

import logging
import secrets
import time

from paho.mqtt.client import MQTTMessageInfo

from central.class_audit import Outcome
from central.schedule import StoredClass
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.protocol.class_messages import ClassControl, ClassStatus, ControlAction

log = logging.getLogger(__name__)

# Central's broker runs beside the dashboard: its PUBACK takes milliseconds. Past this the
# instructor is told the control was not confirmed rather than kept waiting.
CONFIRM_SECONDS = 2.0
# What the console offers, in the order of its buttons (`goto`, `announce` and a robot's
# own emergency stop have forms of their own: a step, a text, a robot). Steering applies
# to a running or a paused class alike.
_STEERING = (
    ControlAction.BACK,
    ControlAction.REPEAT,
    ControlAction.NEXT,
    ControlAction.STOP,
    ControlAction.GOTO,
    ControlAction.ANNOUNCE,
)
CONSOLE_ACTIONS: tuple[ControlAction, ...] = (
    ControlAction.START,
    ControlAction.PAUSE,
    ControlAction.RESUME,
    *_STEERING,
    ControlAction.ESTOP,
)
_OWN_FORMS = {ControlAction.GOTO, ControlAction.ANNOUNCE, ControlAction.ESTOP}
BUTTONS = tuple(a for a in CONSOLE_ACTIONS if a not in _OWN_FORMS)
_ACTIVE = {
    ClassStatus.RUNNING: {ControlAction.PAUSE, *_STEERING},
    ClassStatus.PAUSED: {ControlAction.RESUME, *_STEERING},
}


def offered(status: ClassStatus | None, scheduled: bool) -> frozenset[ControlAction]:
    """The buttons enabled for a class in `status` (None: the center has said nothing of
    it). The emergency stop is always there: the state shown may be a moment old."""
    found = set(_ACTIVE.get(status, set())) if status else set()
    if status not in _ACTIVE and scheduled:
        found.add(ControlAction.START)
    return frozenset(found | {ControlAction.ESTOP})


def control_for(
    action: ControlAction,
    klass: StoredClass | None,
    by: str,
    details: dict[str, object] | None = None,
) -> ClassControl | None:
    """The message for `action` (with its `details`: `step`, `text`, `robots`); None for a
    `start` of a class that is not on the schedule (the console knows no lesson nor robots
    to start it with). Raises pydantic's ValidationError for details that do not fit."""
    if action is ControlAction.START:
        if klass is None:
            return None
        return ClassControl(
            action=action,
            lesson_id=klass.lesson_id,
            robots=list(klass.robots),
            lang="en" if klass.lang == "en" else "ko",
            by=by[:64],
        )
    return ClassControl.model_validate({**(details or {}), "action": action, "by": by[:64]})


class ControlLink:
    """The dashboard's connection to central's broker, for class controls only (the site
    monitor keeps its own). Its client id is random: several dashboard processes on one
    login do not knock each other off."""

    def __init__(self, broker: BrokerAddress) -> None:
        self.link = MqttLink(broker, f"sarangbang-dashboard-{secrets.token_hex(4)}", [])

    def start(self) -> ControlLink:
        self.link.start()
        return self

    def stop(self) -> None:
        self.link.stop()

    def send(self, center: str, class_id: str, control: ClassControl) -> Outcome:
        """Publish (QoS 1, never retained) and wait for central's broker to take it. Nothing
        is queued while the link is down: a `start` must not go out minutes later."""
        return self.send_all([(center, class_id, control)])[0]

    def send_all(self, controls: list[tuple[str, str, ClassControl]]) -> list[Outcome]:
        """Each (center, class, control) as `send` does, all published first and then
        confirmed within one CONFIRM_SECONDS: the centers of a class across centers are
        not kept waiting one after another for each other's acknowledgements. Each says
        when it was pressed (`sent_at`): a runner drops a `start` or `announce` that waited
        too long in its bridge's queue."""
        if not self.link.connected.is_set():
            return [Outcome.NOT_CONNECTED] * len(controls)
        published, now = [], time.time()
        for center, class_id, control in controls:
            topic = ClassControl.topic(center, class_id)
            stamped = control.model_copy(update={"sent_at": control.sent_at or now})
            info = self.link.client.publish(topic, stamped.encode(), qos=1, retain=False)
            published.append((topic, info))
        deadline = time.monotonic() + CONFIRM_SECONDS
        return [_confirmed(topic, info, deadline) for topic, info in published]


def _confirmed(topic: str, info: MQTTMessageInfo, deadline: float) -> Outcome:
    """Whether central's broker took one control by `deadline`."""
    try:
        info.wait_for_publish(max(deadline - time.monotonic(), 0.0))
    except (RuntimeError, ValueError) as exc:  # paho: not queued (the link just went)
        log.warning("class control on %s not sent: %s", topic, exc)
        return Outcome.NOT_CONNECTED
    return Outcome.SENT if info.is_published() else Outcome.UNCONFIRMED


def detail_of(message: ClassControl | None) -> str:
    """What the audit log keeps of a control beyond its action: the step gone to (shown
    from 1), the words announced, the robots stopped, the lesson started."""
    if message is None:
        return ""
    if message.action is ControlAction.GOTO and message.step is not None:
        return str(message.step + 1)
    if message.action is ControlAction.ANNOUNCE:
        return message.text or ""
    if message.action is ControlAction.START:
        return message.lesson_id or ""
    return ", ".join(message.robots)

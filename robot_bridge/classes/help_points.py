"""Robots sent to a kiosk whose learner asked for help: the `point` commands in flight, so
that their answers are recognised and a point that failed is told to the instructor (who
then walks over instead of waiting for a robot that is not coming)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from robot_bridge.protocol.robot_messages import EventKind, RobotEvent

log = logging.getLogger(__name__)

MAX_REMEMBERED = 64  # help points of one class in flight at once: a handful at most


@dataclass
class HelpPoints:
    class_id: str
    _sent: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (robot, kiosk)

    def sent(self, command_id: str, robot: str, kiosk: str) -> None:
        if len(self._sent) >= MAX_REMEMBERED:
            self._sent.pop(next(iter(self._sent)))
        self._sent[command_id] = (robot, kiosk)

    def answer(self, robot: str, event: RobotEvent) -> str | None:
        """If `event` ends a help point that failed: the kiosk nobody went to. None for an
        event that is not about a help point, or one that went well or goes on."""
        sent = self._sent.get(event.id or "")
        if sent is None or sent[0] != robot or not event.final:
            return None
        del self._sent[event.id or ""]
        if event.event == EventKind.DONE:
            log.info("class %s: robot %s pointed to kiosk %s", self.class_id, robot, sent[1])
            return None
        log.warning(
            "class %s: robot %s did not point to kiosk %s (%s %s: %s)",
            self.class_id,
            robot,
            sent[1],
            event.event,
            event.reason,
            event.detail,
        )
        return sent[1]

    def __contains__(self, command_id: object) -> bool:
        return command_id in self._sent

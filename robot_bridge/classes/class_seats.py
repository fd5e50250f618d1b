"""What a class run keeps about each of its robots, the line in flight, and what it sends."""

from __future__ import annotations

from dataclasses import dataclass

from lessons.model import Line
from robot_bridge.protocol.robot_messages import Command
from robot_bridge.protocol.wire import Message


@dataclass(frozen=True)
class Outgoing:
    topic: str
    message: Message
    retain: bool = False


@dataclass
class RobotSeat:
    """A robot of the class as the runner sees it."""

    online: bool = False
    ready: bool = False  # may be given lines now
    capabilities: frozenset[str] = frozenset()
    stopped: bool = False  # an emergency stop reached it: no lines until a person resumes
    clock_told: bool = False  # the instructor has been told its clock is off


@dataclass
class InFlight:
    command: Command
    robot: str
    line: Line
    done_by: float
    sent_at: float
    accepted: bool = False

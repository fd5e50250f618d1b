"""Messages between the class runner and a robot: status, commands, events, emergency stop.

Each message owns its topic. See docs/protocol.md for the walkthrough a robot vendor follows.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from robot_bridge.protocol import topics
from robot_bridge.protocol.wire import ID_PATTERN, Message, ProtocolError, describe

CommandId = Annotated[str, Field(pattern=ID_PATTERN)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]
Capability = Annotated[str, Field(pattern=r"^[a-z_]+(?::[a-z0-9-]+)?$", max_length=80)]
MAX_SAY_CHARS = 2000  # several narration lines; a longer text is a content mistake
MAX_PAUSE_SECONDS = 5.0  # the lesson format's own limit on a pause


class RobotState(StrEnum):
    ONLINE = "online"  # ready for commands
    BUSY = "busy"  # doing a command; more may queue
    OFFLINE = "offline"  # gone (the last will says so)


class RobotStatus(Message):
    """`…/robots/{robot}/status`, robot → all, QoS 1, **retained**; the last will is
    `{"v":1,"state":"offline"}` (retained) so a dead robot is marked offline by the broker.

    `mosquitto_pub -r -t sarangbang/v1/centers/c1/robots/r1/status -m
    '{"v":1,"state":"online","battery":80,"model":"LIKU","capabilities":["say","gesture:wave"]}'`
    """

    state: RobotState
    battery: Annotated[int, Field(ge=0, le=100)] | None = None
    model: Annotated[str, Field(max_length=80)] | None = None
    capabilities: Annotated[list[Capability], Field(max_length=100)] = Field(default_factory=list)
    current: CommandId | None = Field(None, description="id of the command being done")
    at: float | None = None

    @staticmethod
    def topic(center: str, robot: str) -> str:
        return topics.robot_status(center, robot)

    def can(self, capability: str) -> bool:
        return capability in self.capabilities


class Action(StrEnum):
    SAY = "say"
    GESTURE = "gesture"
    POINT = "point"
    DISPLAY = "display"


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Mark(_Args):
    """Something that happens at character `at` of a `say` text: a gesture, a point or a pause."""

    at: Annotated[int, Field(ge=0)]
    gesture: Slug | None = None
    point: Slug | None = None
    pause: Annotated[float, Field(gt=0, le=MAX_PAUSE_SECONDS)] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Mark:
        if sum(x is not None for x in (self.gesture, self.point, self.pause)) != 1:
            raise ValueError("a mark has exactly one of gesture, point, pause")
        return self

    @property
    def capability(self) -> str | None:
        """What the robot must be able to do for this mark (a pause needs nothing)."""
        if self.gesture:
            return f"gesture:{self.gesture}"
        return f"point:{self.point}" if self.point else None


class SayArgs(_Args):
    text: Annotated[str, Field(min_length=1, max_length=MAX_SAY_CHARS)]
    lang: Literal["ko", "en"] = "ko"
    rate: Annotated[float, Field(ge=0.5, le=2.0)] = 1.0
    marks: Annotated[list[Mark], Field(max_length=50)] = Field(default_factory=list)

    @model_validator(mode="after")
    def _marks_in_order_inside_text(self) -> SayArgs:
        places = [m.at for m in self.marks]
        if places != sorted(places) or any(at > len(self.text) for at in places):
            raise ValueError("marks must be in order, each at ≤ the text's length")
        return self


class GestureArgs(_Args):
    name: Slug


class PointArgs(_Args):
    target: Slug
    kiosk: Slug | None = Field(None, description="which kiosk, when target is 'kiosk'")


class DisplayArgs(_Args):
    text: Annotated[str, Field(max_length=500)] = Field(description="empty clears the display")


ActionArgs = SayArgs | GestureArgs | PointArgs | DisplayArgs
ARGS: dict[Action, type[ActionArgs]] = {
    Action.SAY: SayArgs,
    Action.GESTURE: GestureArgs,
    Action.POINT: PointArgs,
    Action.DISPLAY: DisplayArgs,
}


class Command(Message):
    """`…/robots/{robot}/cmd`, runner → robot, QoS 1, never retained.

    `deadline` is a Unix time (seconds): a command that reaches the robot later, or waits in
    its queue past it, is not done. A repeated `id` is acknowledged, never done twice.
    """

    id: CommandId
    action: Annotated[str, Field(min_length=1, max_length=32)]
    args: dict[str, Any] = Field(default_factory=dict)
    deadline: float
    class_id: Slug | None = None

    @staticmethod
    def topic(center: str, robot: str) -> str:
        return topics.robot_cmd(center, robot)

    def parsed_args(self) -> tuple[Action, ActionArgs]:
        """The action and its typed arguments; raise ProtocolError saying what is wrong."""
        try:
            action = Action(self.action)
        except ValueError:
            raise ProtocolError(f"unknown action {self.action!r}", self.id) from None
        try:
            return action, ARGS[action].model_validate(self.args)
        except ValidationError as exc:
            raise ProtocolError(describe(exc), self.id) from None

    def needs(self) -> list[str]:
        """Capabilities this command requires (assumes `parsed_args` succeeded)."""
        action, args = self.parsed_args()
        if isinstance(args, SayArgs):
            return ["say", *(c for m in args.marks if (c := m.capability))]
        if isinstance(args, GestureArgs):
            return [f"gesture:{args.name}"]
        return [f"point:{args.target}"] if isinstance(args, PointArgs) else [action.value]


class EventKind(StrEnum):
    ACCEPTED = "accepted"  # queued; will be done
    STARTED = "started"
    DONE = "done"
    FAILED = "failed"  # with a reason: stopped, expired, error
    REJECTED = "rejected"  # with a reason: unknown_action, bad_arguments, busy, expired, …
    STOPPED = "stopped"  # answer to an emergency stop; `id` is the stop's id


class Reason(StrEnum):
    UNKNOWN_ACTION = "unknown_action"
    BAD_ARGUMENTS = "bad_arguments"  # includes a gesture or target the robot cannot do
    BUSY = "busy"  # the queue is full
    EXPIRED = "expired"  # past its deadline
    BAD_MESSAGE = "bad_message"  # not a command at all (bad JSON, wrong version, no id)
    STOPPED = "stopped"  # an emergency stop ended it
    ERROR = "error"  # the robot tried and could not


class RobotEvent(Message):
    """`…/robots/{robot}/events`, robot → runner, QoS 1, never retained.

    `{"v":1,"id":"c-7","event":"done","at":1764050000.2}`
    """

    id: CommandId | None = Field(
        None, description="the command's id; null (or left out) if it was unreadable"
    )
    event: EventKind
    reason: Reason | None = None
    detail: Annotated[str, Field(max_length=300)] | None = None
    duplicate: bool | None = Field(None, description="true: this id was seen before")
    seconds: Annotated[float, Field(ge=0, le=600)] | None = Field(
        None, description="(1.1) with `started`: how long the robot expects the action to take"
    )
    at: float | None = None

    @staticmethod
    def topic(center: str, robot: str) -> str:
        return topics.robot_events(center, robot)

    @property
    def final(self) -> bool:
        """No more events will follow for this command."""
        return self.event in (EventKind.DONE, EventKind.FAILED, EventKind.REJECTED)


class EmergencyStop(Message):
    """`…/robots/estop` (every robot of the center) or `…/robots/{robot}/estop` (one robot).

    The robot stops at once, drops its queue (each dropped command: `failed`, `stopped`) and
    answers `{"event":"stopped","id":<stop id>}`. QoS 1, never retained.
    """

    id: CommandId
    reason: Annotated[str, Field(max_length=200)] | None = None
    at: float | None = None

    @staticmethod
    def topic(center: str, robot: str | None = None) -> str:
        return topics.robot_estop(center, robot) if robot else topics.center_estop(center)


def offline_status() -> RobotStatus:
    """The last will and goodbye every robot leaves retained on its status topic."""
    return RobotStatus(state=RobotState.OFFLINE)

"""Messages of a robot-led class: its state, instructor control, kiosk reports, help calls,
notices to the instructor and the center's schedule. Each message owns its topic.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from robot_bridge.protocol import topics
from robot_bridge.protocol.robot_messages import Slug
from robot_bridge.protocol.wire import LearnerName, Message, visible_text

Lang = Literal["ko", "en"]
PauseReason = Literal["instructor", "emergency_stop"]


class ClassStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"  # by the instructor, or by an emergency stop (`paused_reason`)
    FINISHED = "finished"
    STOPPED = "stopped"  # ended early by the instructor


class Speaker(StrEnum):
    ROBOT = "robot"  # `robot` speaks the lines
    KIOSKS = "kiosks"  # no robot can: every kiosk in class speaks `lines` itself


class Desk(BaseModel):
    """A kiosk in class as its own reports say (1.2): who sits there and how the current
    step goes for them. Each field is left out until the kiosk has said it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    learner: LearnerName | None = None
    hint_level: Annotated[int, Field(ge=0, le=3)] | None = None  # the highest this step
    answer: Annotated[int, Field(ge=1, le=9)] | None = None  # the quiz choice taken
    right: bool | None = None  # whether that answer was right


MAX_DESKS = 64  # kiosks of one class the state describes (a room has a dozen)
# (1.2) A running or paused class's state is said again at least this often, though nothing
# changed: silence for several of these means the center's link is down.
HEARTBEAT_SECONDS = 5.0
# (1.2) A `start` or `announce` pressed longer ago than this is dropped (its `sent_at`): a
# center whose bridge was down for an hour must not begin a class, or say "5분 쉬었다
# 할게요", out of the blue when the link returns.
CONTROL_FRESH_SECONDS = 600.0


class ClassState(Message):
    """`…/classes/{class}/state`, runner → kiosks, QoS 1, **retained** (a kiosk joining late
    reads where the class is). A kiosk speaks `lines` when `speaker` is `kiosks` and
    `say_seq` is one it has not spoken yet.
    """

    class_id: Slug
    lesson_id: Slug
    lesson_version: int
    lang: Lang
    status: ClassStatus
    step_index: int
    step_id: Slug
    step_kind: Literal["say", "practice", "quiz"]
    total_steps: int
    speaker: Speaker
    robot: Slug | None = Field(None, description="the robot speaking, when speaker is robot")
    lines: list[str] = Field(default_factory=list)  # what is being said now, without cues
    say_seq: int = Field(0, description="grows by one each time new lines are said")
    entered: int = Field(
        0,
        description="grows by one each time a step is entered: a step gone back to, gone to "
        "or repeated is entered anew (its practice starts over); 0 from runners before 1.2",
    )
    robots: dict[str, Literal["ready", "offline"]] = Field(default_factory=dict)
    kiosks: list[Slug] = Field(default_factory=list)  # kiosks following the class
    practice_done: list[Slug] = Field(default_factory=list)  # kiosks done with this step
    desks: Annotated[dict[Slug, Desk], Field(max_length=MAX_DESKS)] = Field(default_factory=dict)
    paused_reason: PauseReason | None = None
    heartbeat: float | None = Field(
        None,
        gt=0,
        description="(1.2) the runner says this state again at least this often while the "
        "class runs or is paused; absent from older runners, whose silence means nothing",
    )
    at: float

    @staticmethod
    def topic(center: str, class_id: str) -> str:
        return topics.class_state(center, class_id)


class ControlAction(StrEnum):
    START = "start"  # needs lesson_id and robots
    PAUSE = "pause"
    RESUME = "resume"
    NEXT = "next"  # move on now (e.g. the instructor sees everyone is done)
    STOP = "stop"  # end the class early
    ESTOP = "estop"  # emergency stop the class's robots (or those in `robots`); it pauses
    BACK = "back"  # one step back
    GOTO = "goto"  # to step `step` (0-based), forward or back
    REPEAT = "repeat"  # the current step's lines again from the start
    ANNOUNCE = "announce"  # say `text` now (even while paused), then go on


ANNOUNCE_MAX_CHARS = 120  # a short spoken announcement ("5분 쉬었다 할게요"), not a lecture


class ClassControl(Message):
    """`…/classes/{class}/control`, instructor → runner, QoS 1, never retained.

    `mosquitto_pub -t sarangbang/v1/centers/c1/classes/morning/control -m
    '{"v":1,"action":"start","lesson_id":"phone-call","robots":["r1"]}'`
    """

    action: ControlAction
    lesson_id: Slug | None = None
    robots: Annotated[list[Slug], Field(max_length=8)] = Field(default_factory=list)
    lang: Lang = "ko"
    by: Annotated[str, Field(max_length=64)] | None = None
    step: Annotated[int, Field(ge=0, le=999)] | None = None  # for `goto`
    text: Annotated[str, visible_text(ANNOUNCE_MAX_CHARS, "an announcement")] | None = None
    # (1.2) when the instructor pressed it: a `start` or `announce` that waited in a bridge's
    # queue longer than CONTROL_FRESH_SECONDS is dropped by the runner, not carried out late
    sent_at: float | None = None

    @model_validator(mode="after")
    def _has_what_it_needs(self) -> ClassControl:
        if self.action == ControlAction.GOTO and self.step is None:
            raise ValueError("'goto' needs 'step' (the step's index, from 0)")
        if self.action == ControlAction.ANNOUNCE and not (self.text or "").strip():
            raise ValueError("'announce' needs 'text' (what to say)")
        return self

    @staticmethod
    def topic(center: str, class_id: str) -> str:
        return topics.class_control(center, class_id)


class KioskReportKind(StrEnum):
    JOINED = "joined"
    DONE = "done"  # the learner finished this step's practice or quiz
    LEFT = "left"
    STATUS = "status"  # (1.2) who is at the kiosk and how this step goes: `desk`


class KioskReport(Message):
    """`…/kiosks/{kiosk}/class`, kiosk → runner, QoS 1, never retained. The class client's
    last will is `{"v":1,"kind":"left"}` (no class: it left whatever class it was in).
    """

    kind: KioskReportKind
    class_id: Slug | None = None
    step_index: Annotated[int, Field(ge=0)] | None = None
    desk: Desk | None = None  # with `status`

    @staticmethod
    def topic(center: str, kiosk: str) -> str:
        return topics.kiosk_class(center, kiosk)


class HelpCall(Message):
    """`…/help`, kiosk → runner, QoS 1: a learner pressed 도와주세요."""

    kiosk: Slug
    class_id: Slug | None = None
    step_index: Annotated[int, Field(ge=0)] | None = None
    learner: LearnerName | None = None
    at: float | None = None

    @staticmethod
    def topic(center: str) -> str:
        return topics.help_calls(center)


class NoticeKey(StrEnum):
    HELP = "help"
    HELP_UNANSWERED = "help_unanswered"  # the robot sent to a kiosk did not get there
    ROBOT_DROPPED = "robot_dropped"
    ROBOT_BACK = "robot_back"
    ROBOT_STOPPED = "robot_stopped"  # an emergency stop reached a robot of the class
    ROBOT_CLOCK = "robot_clock"  # a robot's clock is off: its deadlines will misfire
    CLASS_FINISHED = "class_finished"
    LIBRARY_REFUSED = "library_refused"  # a published lesson library was not taken


class Notice(Message):
    """`…/instructor`, runner → instructor dashboard, QoS 1: something to act on."""

    key: NoticeKey
    text: dict[Lang, str] = Field(description="ready-made words in Korean and English")
    class_id: Slug | None = None
    kiosk: Slug | None = None
    robot: Slug | None = None
    at: float

    @staticmethod
    def topic(center: str) -> str:
        return topics.instructor(center)


class ScheduledClass(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)

    class_id: Slug
    lesson_id: Slug
    starts_at: float = Field(description="Unix time the class starts")
    robots: Annotated[list[Slug], Field(max_length=8)] = Field(default_factory=list)
    lang: Lang = "ko"


class Schedule(Message):
    """`…/schedule`, central → site, QoS 1, **retained**: today's classes of the center."""

    classes: Annotated[list[ScheduledClass], Field(max_length=200)] = Field(default_factory=list)

    @staticmethod
    def topic(center: str) -> str:
        return topics.schedule(center)

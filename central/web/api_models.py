"""What the JSON API answers, as typed models (they make the OpenAPI document)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Me(_Out):
    username: str
    display_name: str
    role: Literal["admin", "instructor"]
    centers: list[str]  # assigned centers (an admin sees every center)
    csrf_token: str  # send as X-CSRF-Token with every write


class CenterSummary(_Out):
    id: str
    name: str
    learners: int
    kiosks_online: int
    kiosks: int
    robots_online: int
    robots: int
    backlog: int
    lag_seconds: float
    last_seen: float | None
    open_help: int
    classes_today: int


class CenterList(_Out):
    total: int
    page: int
    centers: list[CenterSummary]


class Device(_Out):
    kind: Literal["kiosk", "robot"]
    device: str
    online: bool
    last_seen: float
    backlog: int | None
    lag_seconds: float | None


class ClassOccurrence(_Out):
    class_id: str
    lesson_id: str
    starts_at: float
    minutes: int
    room: str
    robots: list[str]
    weekly: bool
    instructor_id: int | None


class HelpCallOut(_Out):
    id: int
    center: str
    kiosk: str
    class_id: str | None
    step_index: int | None
    learner: str | None
    at: float


class CenterDetail(_Out):
    id: str
    name: str
    devices: list[Device]
    today: list[ClassOccurrence]
    open_help: list[HelpCallOut]


class Learner(_Out):
    id: str
    name: str
    colour: str
    hidden: bool


class TotalsOut(_Out):
    key: str
    name: str
    learners: int
    started: int
    completed: int
    mastered: int
    seconds: float
    wrong_taps: int
    max_hint_level: int
    help_calls: int
    last_at: float


class StuckOut(_Out):
    learner_id: str
    name: str
    lesson_id: str
    step_id: str
    wrong_taps: int
    help_calls: int
    max_hint_level: int
    last_at: float


class Progress(_Out):
    lessons: list[TotalsOut]
    learners: list[TotalsOut]
    stuck: list[StuckOut]


class Handled(_Out):
    id: int
    center: str
    handled: bool = True

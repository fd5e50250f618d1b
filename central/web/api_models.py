"""What the JSON API answers, as typed models (they make the OpenAPI document).

Rows the pages already compute (`CenterRow`, `Totals`, `StuckStep`) are answered as they
are, so a field added for the page reaches the API without a second copy of the model."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from central.overview import CenterRow
from central.progress import StuckStep, Totals


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Me(_Out):
    username: str
    display_name: str
    role: Literal["admin", "instructor"]
    centers: list[str]  # assigned centers (an admin sees every center)
    csrf_token: str  # send as X-CSRF-Token with every write


class CenterList(_Out):
    total: int
    page: int
    centers: list[CenterRow]  # the overview's rows, as the page shows them


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


class Progress(_Out):
    lessons: list[Totals]
    learners: list[Totals]
    stuck: list[StuckStep]


class Handled(_Out):
    id: int
    center: str
    handled: bool = True

"""Progress events a lesson session emits: what the kiosk stores and the sync agent ships."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Protocol

from pydantic import BaseModel, ConfigDict, Field

DetailValue = str | int | float | bool | None


class EventKind(StrEnum):
    LESSON_STARTED = "lesson_started"  # detail: resumed, step
    STEP_COMPLETED = "step_completed"  # detail: step_kind, hint_level, seconds
    STEP_SKIPPED = (
        "step_skipped"  # detail: step_kind (a practice left undone / quiz not answered right)
    )
    PRACTICE_ATTEMPT = "practice_attempt"  # detail: element, expected, correct, hint_level
    QUIZ_ANSWERED = "quiz_answered"  # detail: choice, correct, first_try
    HELP_REQUESTED = "help_requested"  # detail: hint_level
    LESSON_COMPLETED = "lesson_completed"  # detail: mastered, seconds, skipped, max_hint_level


class ProgressEvent(BaseModel):
    """One thing a learner did. `id` is unique, so storing it twice is harmless."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(min_length=8, max_length=64)]
    kind: EventKind
    session_id: str
    learner_id: str | None
    lesson_id: str
    lesson_version: int
    step_index: int | None = None
    step_id: str | None = None
    at: float = Field(description="seconds since the epoch, from the session's clock")
    detail: dict[str, DetailValue] = {}


class EventRecord(Protocol):
    """What reading an event needs, whoever read it: a `ProgressEvent`, or central's fast
    reading of a sync batch (central/batch_reader.py), which skips building these models."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> EventKind: ...
    @property
    def session_id(self) -> str: ...
    @property
    def learner_id(self) -> str | None: ...
    @property
    def lesson_id(self) -> str: ...
    @property
    def lesson_version(self) -> int: ...
    @property
    def step_index(self) -> int | None: ...
    @property
    def step_id(self) -> str | None: ...
    @property
    def at(self) -> float: ...
    @property
    def detail(self) -> Mapping[str, DetailValue]: ...

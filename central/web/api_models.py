"""What the JSON API answers, as typed models (they make the OpenAPI document).

Rows the pages already compute (`CenterRow`, `Totals`, `StuckStep`) are answered as they
are, so a field added for the page reaches the API without a second copy of the model."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from central.help_calls import StoredHelpCall
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
    set_aside: int = 0  # events this kiosk set aside (its own sync status)
    set_aside_reason: str | None = None  # why the latest was, as the kiosk said it
    set_aside_reason_key: str | None = None  # the same in a message key (i18n table)
    ignored_acks: int = 0  # acks for batches it never sent: forged or stray
    # a kiosk's published lesson library (central/library_reach.py); null: none published
    # to it, it teaches the lessons it came with
    library_version: int | None = None
    library_installed: int | None = None  # a newer one it has ready, or the same
    library_problem: str | None = None  # why it refused the version offered, as it said it
    library_far_behind: bool = False  # more than one version behind for over a day


class SetAsideRow(_Out):
    """One row intake set aside: a refused message (`event_id` null) or one event."""

    kiosk: str
    batch_id: str | None
    first_seq: int | None
    last_seq: int | None
    event_id: str | None
    reason: str  # as intake wrote it, control and bidi characters replaced by U+FFFD
    reason_key: str  # the reason as a message key (central/set_aside_notice.py)
    size: int
    sha256: str
    first_at: float
    last_at: float
    times: int


class MarkedOut(_Out):
    """Stored events with one mark (`learner-not-on-roster`, `seconds-not-counted`, …)."""

    flag: str
    flag_key: str  # the mark as a message key
    events: int
    last_at: float


class SetAsideReport(_Out):
    central_rows: int  # every row intake set aside for the center
    at_central: list[SetAsideRow]  # the latest 100
    kiosks: list[Device]  # kiosks that set events aside or ignored acks
    marked: list[MarkedOut]  # stored with a mark, among the latest events (30 days)


class ClassOccurrence(_Out):
    class_id: str
    lesson_id: str
    starts_at: float
    minutes: int
    room: str
    robots: list[str]
    weekly: bool
    instructor_id: int | None


class CenterDetail(_Out):
    id: str
    name: str
    devices: list[Device]
    today: list[ClassOccurrence]
    open_help: list[StoredHelpCall]


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

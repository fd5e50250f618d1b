"""Classes across centers: one class id taught by several centers at once, each by its own
runner, robots and kiosks, steered together from one console.

Which centers teach a class is kept here (`class_groups`). What each center does is its own
runner's retained state (central/class_states.py): the runners keep their own pace (a
practice waits for the center's own kiosks), so centers drift apart, and the console shows
who is behind. The steps the instructor moves the class by are sent to every center as one
absolute step, counted from the lead (the furthest center still linked), so that they
align: `next` is "go to the lead's next step" everywhere, not "each one step on".

A center is linked while its state keeps arriving: a runner says it at least every
`HEARTBEAT_SECONDS` (protocol 1.2). One that falls silent is shown
as teaching on its own; when its state arrives again it is sent to the lead's step
(`rejoin_step`), unless it is already there or beyond.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from central.class_states import KeptState, class_state
from central.database import Database, write_transaction
from robot_bridge.protocol.class_messages import HEARTBEAT_SECONDS, ClassStatus, ControlAction

MAX_CENTERS = 20  # an instructor's centers in one class (#16: "up to at least 20")
# Silent for three heartbeats: the link is down (one late heartbeat is no outage).
SILENT_BEATS = 3
STALE_SECONDS = SILENT_BEATS * HEARTBEAT_SECONDS
# A center whose link has come back is realigned once what it said while cut off has
# arrived (oldest first): when its latest state is a fresh one (said at most this long
# before it arrived), at the soonest SETTLE_SECONDS and at the latest SETTLE_MAX_SECONDS
# after its first state came back.
SETTLE_SECONDS = 2.0
SETTLE_MAX_SECONDS = 60.0
FRESH_SECONDS = 5.0
_ACTIVE = (ClassStatus.RUNNING, ClassStatus.PAUSED)


def silent(kept: KeptState, now: float) -> bool:
    """Whether the center has said nothing of the class for several heartbeats. A runner
    that does not say it beats (before 1.2) is never taken for silent: its quiet is no
    sign of anything."""
    beat = kept.state.heartbeat
    return beat is not None and now - kept.received_at > SILENT_BEATS * beat


class Standing(StrEnum):
    """A center's part in a shared class, as the console shows it."""

    WAITING = "waiting"  # the start was sent; no state has come back yet
    LINKED = "linked"  # teaching, its state arriving
    ON_ITS_OWN = "on_its_own"  # its link is down: teaching from its own runner
    OVER = "over"  # finished or ended


@dataclass(frozen=True)
class Member:
    """One center of a shared class and its latest state."""

    center: str
    kept: KeptState | None

    def standing(self, now: float) -> Standing:
        if self.kept is None:
            return Standing.WAITING
        if self.kept.state.status not in _ACTIVE:
            return Standing.OVER
        if silent(self.kept, now):
            return Standing.ON_ITS_OWN
        return Standing.LINKED

    @property
    def step(self) -> int | None:
        return self.kept.state.step_index if self.kept else None


# ---- storage ---------------------------------------------------------------------------------


def create_group(db: Database, class_id: str, centers: Sequence[str]) -> None:
    """Record that `centers` teach `class_id` together (at most MAX_CENTERS)."""
    if not 2 <= len(centers) <= MAX_CENTERS:
        raise ValueError(f"a class across centers has 2 to {MAX_CENTERS} centers")
    with write_transaction(db) as conn:
        for center in centers:
            conn.execute(
                "INSERT OR IGNORE INTO class_groups (class_id, center) VALUES (?, ?)",
                (class_id, center),
            )


def centers_of(db: Database, class_id: str) -> list[str]:
    """The centers teaching `class_id` together ([] for a class of one center)."""
    rows = db.execute(
        "SELECT center FROM class_groups WHERE class_id = ? ORDER BY center", (class_id,)
    ).fetchall()
    return [str(row[0]) for row in rows]


def members(db: Database, centers: Iterable[str], class_id: str) -> list[Member]:
    return [Member(center, class_state(db, center, class_id)) for center in centers]


# ---- alignment (pure) ------------------------------------------------------------------------


def lead_step(group: Sequence[Member], now: float) -> int | None:
    """The step of the furthest center still linked (None: none is)."""
    steps = [m.step for m in group if m.standing(now) is Standing.LINKED and m.step is not None]
    return max(steps, default=None)


def behind(member: Member, lead: int | None) -> int:
    """How many steps `member` is behind the lead (0: with it, ahead, or nothing known)."""
    if lead is None or member.step is None or member.kept is None:
        return 0
    if member.kept.state.status not in _ACTIVE:
        return 0
    return max(0, lead - member.step)


def shared_goto(action: ControlAction, lead: int, total_steps: int) -> int | None:
    """The absolute step every center is sent for the instructor's `action` (None: not a
    move, or none left: `next` on the last step)."""
    target = {
        ControlAction.NEXT: lead + 1,
        ControlAction.BACK: max(0, lead - 1),
        ControlAction.REPEAT: lead,
    }.get(action)
    if target is None or not 0 <= target < total_steps:
        return None
    return target


def rejoin_step(returning: Member, others: Sequence[Member], now: float) -> int | None:
    """The step to send a center whose link came back: the lead's, if it is behind it. A
    center stopped by an emergency stop is left as it is: a person there resumes it."""
    if returning.kept is None or returning.kept.state.status not in _ACTIVE:
        return None
    if returning.kept.state.paused_reason == "emergency_stop":
        return None
    lead = lead_step(others, now)
    if lead is None or returning.step is None or returning.step >= lead:
        return None
    if lead >= returning.kept.state.total_steps:
        return None
    return lead


def settled(returning: KeptState, armed_at: float, now: float) -> bool:
    """Whether what a returning center said while cut off has all arrived: its latest
    state is a fresh one (or the wait is over)."""
    if now - armed_at < SETTLE_SECONDS:
        return False
    fresh = returning.received_at - returning.state.at <= FRESH_SECONDS
    return fresh or now - armed_at >= SETTLE_MAX_SECONDS


def heard_lately(group: Sequence[Member], now: float) -> bool:
    """Whether some center of the group was heard within the silence threshold: a center
    silent alone lost its own link; all silent at once is central not listening."""
    return any(m.kept is not None and not silent(m.kept, now) for m in group)

"""What the console of a class across centers shows (pure): each center side by side (its
standing, step, how far behind the lead, its kiosks and robots, its help calls) and which
controls the class's state allows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from central.class_controls import offered
from central.class_groups import Member, Standing, behind, lead_step
from central.web.class_view import RobotView, robots_of, status_key
from robot_bridge.protocol.class_messages import ClassState, ControlAction


@dataclass(frozen=True)
class CenterView:
    center: str
    name: str
    standing: Standing
    status_key: str
    step: int | None  # shown from 1
    total: int | None
    behind: int  # steps behind the lead
    kiosks: int
    practice_done: int | None  # None on a narration step
    help_calls: int
    robots: list[RobotView]
    received_at: float | None


def center_views(
    group: Sequence[Member], names: Mapping[str, str], calls: Counter[str], now: float
) -> list[CenterView]:
    lead = lead_step(group, now)
    views = []
    for member in group:
        state = member.kept.state if member.kept else None
        views.append(
            CenterView(
                member.center,
                names.get(member.center, member.center),
                member.standing(now),
                status_key(state),
                state.step_index + 1 if state else None,
                state.total_steps if state else None,
                behind(member, lead),
                len(state.kiosks) if state else 0,
                len(state.practice_done) if state and state.step_kind != "say" else None,
                calls[member.center],
                robots_of(state) if state else [],
                member.kept.received_at if member.kept else None,
            )
        )
    return views


def lead_state(group: Sequence[Member], now: float) -> ClassState | None:
    """The state the console heads with: the lead's (else any center's latest)."""
    lead = lead_step(group, now)
    linked = [m for m in group if m.kept and m.standing(now) is Standing.LINKED]
    for member in linked or [m for m in group if m.kept]:
        assert member.kept is not None
        if lead is None or member.step == lead:
            return member.kept.state
    return None


def group_offered(group: Sequence[Member]) -> frozenset[ControlAction]:
    """Every control some center's state allows (a paused center and a running one: both
    pause and resume); never `start`, which the class was created with."""
    found: set[ControlAction] = {ControlAction.ESTOP}
    for member in group:
        found |= offered(member.kept.state.status if member.kept else None, scheduled=False)
    return frozenset(found)

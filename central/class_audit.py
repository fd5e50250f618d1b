"""Every control an instructor sends to a class from the dashboard: who, when, what, to which
center's class, and whether central's broker took it. Written whatever the outcome, so a
control that could not be sent is on record too."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from central.accounts import User
from central.database import Database, write_transaction

SHOWN = 10  # on the console, newest first


class Outcome(StrEnum):
    SENT = "sent"  # central's broker acknowledged it (QoS 1)
    UNCONFIRMED = "unconfirmed"  # published, but no acknowledgement in time
    NOT_CONNECTED = "not_connected"  # the dashboard has no link to the broker: not sent
    NOT_STARTABLE = "not_startable"  # `start` of a class that is not on the schedule


@dataclass(frozen=True)
class Action:
    at: float
    username: str
    action: str
    outcome: str
    detail: str = ""  # beyond the action: the step gone to (from 1), an announcement's words


def record_action(
    db: Database,
    center: str,
    class_id: str,
    action: str,
    user: User,
    outcome: Outcome,
    at: float,
    detail: str = "",
) -> None:
    with write_transaction(db) as conn:
        conn.execute(
            "INSERT INTO class_actions (center, class_id, action, user_id, username, outcome, "
            "at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (center, class_id, action, user.id, user.username, outcome.value, at, detail),
        )


def recent_actions(db: Database, center: str, class_id: str, limit: int = SHOWN) -> list[Action]:
    rows = db.execute(
        "SELECT at, username, action, outcome, detail FROM class_actions "
        "WHERE center = ? AND class_id = ? ORDER BY id DESC LIMIT ?",
        (center, class_id, limit),
    ).fetchall()
    return [Action(float(at), str(u), str(a), str(o), str(d)) for at, u, a, o, d in rows]


@dataclass(frozen=True)
class GroupAction:
    """One control sent to every center of a class across centers (one row per center,
    written with the same time)."""

    at: float
    username: str
    action: str
    detail: str
    sent: int  # centers whose control central's broker took
    centers: int
    center: str  # the one center it went to, when it went to one (its own console's)


def group_actions(
    db: Database, class_id: str, centers: Collection[str], limit: int = SHOWN
) -> list[GroupAction]:
    rows = db.execute(
        "SELECT at, username, action, detail, "
        "sum(CASE WHEN outcome = 'sent' THEN 1 ELSE 0 END), count(*), min(center) "
        "FROM class_actions "
        "WHERE class_id = ? AND center IN (SELECT value FROM json_each(?)) "
        "GROUP BY at, username, action, detail ORDER BY at DESC LIMIT ?",
        (class_id, json.dumps(sorted(centers)), limit),
    ).fetchall()
    return [
        GroupAction(float(at), str(user), str(action), str(detail), int(sent), int(n), str(c))
        for at, user, action, detail, sent, n, c in rows
    ]


def started_lesson(db: Database, class_id: str, centers: Collection[str]) -> str | None:
    """The lesson a class of `centers` was started with from the dashboard (None: not
    started there)."""
    row = db.execute(
        "SELECT detail FROM class_actions WHERE class_id = ? AND action = 'start' "
        "AND center IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT 1",
        (class_id, json.dumps(sorted(centers))),
    ).fetchone()
    return str(row[0]) if row and row[0] else None


def started_at(db: Database, center: str, class_id: str) -> float | None:
    """When the class's `start` was sent to `center` from the dashboard (None: never)."""
    row = db.execute(
        "SELECT min(at) FROM class_actions WHERE center = ? AND class_id = ? AND action = 'start'",
        (center, class_id),
    ).fetchone()
    return float(row[0]) if row and row[0] is not None else None

"""Every control an instructor sends to a class from the dashboard: who, when, what, to which
center's class, and whether central's broker took it. Written whatever the outcome, so a
control that could not be sent is on record too."""

from __future__ import annotations

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


def record_action(
    db: Database,
    center: str,
    class_id: str,
    action: str,
    user: User,
    outcome: Outcome,
    at: float,
) -> None:
    with write_transaction(db) as conn:
        conn.execute(
            "INSERT INTO class_actions (center, class_id, action, user_id, username, outcome, "
            "at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (center, class_id, action, user.id, user.username, outcome.value, at),
        )


def recent_actions(db: Database, center: str, class_id: str, limit: int = SHOWN) -> list[Action]:
    rows = db.execute(
        "SELECT at, username, action, outcome FROM class_actions "
        "WHERE center = ? AND class_id = ? ORDER BY id DESC LIMIT ?",
        (center, class_id, limit),
    ).fetchall()
    return [Action(float(at), str(u), str(a), str(o)) for at, u, a, o in rows]

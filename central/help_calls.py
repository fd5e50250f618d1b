"""Help calls (도와주세요) from the centers' kiosks: stored once, listed, marked handled."""

from __future__ import annotations

import json
import time
from collections.abc import Collection

from pydantic import BaseModel, ConfigDict

from central.database import Database, write_transaction
from robot_bridge.protocol.class_messages import HelpCall

OPEN_LIST_LIMIT = 200  # more open calls than this means nobody is watching; show the newest


class StoredHelpCall(BaseModel):
    """A stored help call; also what the JSON API returns for one (`/api/help`)."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    center: str
    kiosk: str
    class_id: str | None
    step_index: int | None
    learner: str | None
    at: float
    handled_at: float | None


class HelpCallError(LookupError):
    """No such open help call among the centers the user may see."""


def record_help_call(db: Database, center: str, call: HelpCall, received_at: float) -> None:
    """Store a help call; the same call delivered twice (QoS 1) is stored once."""
    with write_transaction(db) as conn:
        conn.execute(
            "INSERT OR IGNORE INTO help_calls (center, kiosk, class_id, step_index, learner, "
            "at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                center,
                call.kiosk,
                call.class_id,
                call.step_index,
                call.learner,
                call.at if call.at is not None else received_at,
                received_at,
            ),
        )


def open_calls(
    db: Database,
    centers: Collection[str] | None,
    limit: int = OPEN_LIST_LIMIT,
    class_id: str | None = None,
) -> list[StoredHelpCall]:
    """Open calls, newest first, of `centers` (None: every center), of one class if given."""
    sql = (
        "SELECT id, center, kiosk, class_id, step_index, learner, at, handled_at "
        "FROM help_calls WHERE handled_at IS NULL"
    )
    params: list[object] = []
    if centers is not None:
        sql += " AND center IN (SELECT value FROM json_each(?))"
        params.append(_json_list(centers))
    if class_id is not None:
        sql += " AND class_id = ?"
        params.append(class_id)
    rows = db.execute(f"{sql} ORDER BY at DESC LIMIT ?", [*params, limit]).fetchall()
    fields = list(StoredHelpCall.model_fields)
    return [StoredHelpCall(**dict(zip(fields, row, strict=True))) for row in rows]


def open_counts(db: Database, centers: Collection[str]) -> dict[str, int]:
    rows = db.execute(
        "SELECT center, count(*) FROM help_calls WHERE handled_at IS NULL "
        "AND center IN (SELECT value FROM json_each(?)) GROUP BY center",
        [_json_list(centers)],
    )
    return dict(rows.fetchall())


def mark_handled(db: Database, call_id: int, user_id: int, centers: Collection[str] | None) -> str:
    """Mark an open call handled; returns its center. HelpCallError if it is not visible."""
    with write_transaction(db) as conn:
        row = conn.execute(
            "SELECT center FROM help_calls WHERE id = ? AND handled_at IS NULL", (call_id,)
        ).fetchone()
        if row is None or (centers is not None and row[0] not in centers):
            raise HelpCallError(call_id)
        conn.execute(
            "UPDATE help_calls SET handled_at = ?, handled_by = ? WHERE id = ?",
            (time.time(), user_id, call_id),
        )
    return str(row[0])


def _json_list(items: Collection[str]) -> str:
    return json.dumps(sorted(items))

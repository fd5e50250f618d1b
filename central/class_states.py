"""Each center's latest state of each class (the class runner's retained `ClassState`,
brought over the bridge), kept for the live class console. A state is text from a device:
it was checked against the protocol's model when it arrived and is shown escaped."""

from __future__ import annotations

from dataclasses import dataclass

from central.database import Database, write_transaction
from robot_bridge.protocol.class_messages import ClassState, ClassStatus

ACTIVE = (ClassStatus.RUNNING.value, ClassStatus.PAUSED.value)


@dataclass(frozen=True)
class KeptState:
    state: ClassState
    received_at: float


# A state older (by the runner's clock) than the one kept is a late QoS 1 copy, unless it
# arrives this much later than the kept one: then the runner's clock was set back (an NTP
# step), and refusing every state from then on would leave the class frozen at central.
CLOCK_STEP_SECONDS = 30.0


def record_class_state(db: Database, center: str, state: ClassState, received_at: float) -> bool:
    """Keep `state` unless a newer one of the class is kept already (a QoS 1 copy that
    arrives late); True when kept."""
    with write_transaction(db) as conn:
        kept = conn.execute(
            "INSERT INTO class_states (center, class_id, status, state, at, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (center, class_id) DO UPDATE SET "
            "status = excluded.status, state = excluded.state, at = excluded.at, "
            "received_at = excluded.received_at WHERE excluded.at >= class_states.at "
            "OR excluded.received_at > class_states.received_at + ?",
            (
                center, state.class_id, state.status.value, state.model_dump_json(),
                state.at, received_at, CLOCK_STEP_SECONDS,
            ),
        ).rowcount  # fmt: skip
    return bool(kept)


def class_state(db: Database, center: str, class_id: str) -> KeptState | None:
    row = db.execute(
        "SELECT state, received_at FROM class_states WHERE center = ? AND class_id = ?",
        (center, class_id),
    ).fetchone()
    if row is None:
        return None
    return KeptState(ClassState.model_validate_json(row[0]), float(row[1]))


def active_classes(db: Database, center: str) -> list[ClassState]:
    """The center's classes running or paused now, as their runner last said."""
    rows = db.execute(
        "SELECT state FROM class_states WHERE center = ? AND status IN (?, ?) ORDER BY class_id",
        (center, *ACTIVE),
    ).fetchall()
    return [ClassState.model_validate_json(row[0]) for row in rows]

"""Centers and their learners at central; every change bumps the center's roster revision."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from enum import StrEnum

from central.database import Connection, Database, write_transaction
from central.text_input import TextError, clean_text
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import Roster, RosterLearner

PALETTE = ("blue", "green", "purple", "orange", "teal", "red")
MAX_LEARNER_NAME = 40  # fits the kiosk's name button at the largest text size
MAX_CENTER_NAME = 60


class RosterError(ValueError):
    """A roster change cannot be made; the message says why, `key` names it for a form."""

    def __init__(self, message: str, key: str = "") -> None:
        super().__init__(message)
        self.key = key


# A center's id is its login and (on central's TLS listener) its MQTT client id, so it must
# never be one of central's own: `central-intake` would replace intake's password, and a
# `sarangbang-…` id could take over intake's session (sarangbang-intake-1).
RESERVED_CENTER_PREFIXES = ("sarangbang-", "central-")


def add_center(db: Database, center_id: str, name: str) -> None:
    """Register a center; RosterError if its id is not a slug or is one of central's own."""
    try:
        topics.check_id(center_id)
    except ValueError as exc:
        raise RosterError(str(exc)) from None
    if center_id.startswith(RESERVED_CENTER_PREFIXES):
        raise RosterError(
            f"center id {center_id!r} begins like one of central's own logins or client ids "
            f"({', '.join(RESERVED_CENTER_PREFIXES)}): choose another"
        )
    name = _clean(name, MAX_CENTER_NAME, "a center's name must be 1–60 visible characters")
    with write_transaction(db) as conn:
        conn.execute("INSERT OR IGNORE INTO centers (id, name) VALUES (?, ?)", (center_id, name))


def add_learner(db: Database, center_id: str, name: str, colour: str | None = None) -> str:
    """Add a learner to a center's roster; returns the new learner's id."""
    name = clean_learner_name(name)
    with write_transaction(db) as conn:
        _require_center(conn, center_id)
        count = conn.execute("SELECT count(*) FROM learners WHERE center = ?", (center_id,))
        learner_id = f"l-{uuid.uuid4().hex[:12]}"
        chosen = colour or PALETTE[count.fetchone()[0] % len(PALETTE)]
        conn.execute(
            "INSERT INTO learners (id, center, name, color) VALUES (?, ?, ?, ?)",
            (learner_id, center_id, name, chosen),
        )
        _bump(conn, center_id)
    return learner_id


def update_learner(
    db: Database,
    learner_id: str,
    *,
    name: str | None = None,
    hidden: bool | None = None,
) -> None:
    with write_transaction(db) as conn:
        row = conn.execute("SELECT center FROM learners WHERE id = ?", (learner_id,)).fetchone()
        if row is None:
            raise RosterError(f"no learner {learner_id!r}")
        if name is not None:
            conn.execute(
                "UPDATE learners SET name = ? WHERE id = ?", (clean_learner_name(name), learner_id)
            )
        if hidden is not None:
            conn.execute("UPDATE learners SET hidden = ? WHERE id = ?", (int(hidden), learner_id))
        _bump(conn, row[0])


def roster_of(db: Database, center_id: str) -> Roster:
    revision = db.execute(
        "SELECT roster_revision FROM centers WHERE id = ?", [center_id]
    ).fetchone()
    if revision is None:
        raise RosterError(f"no center {center_id!r}")
    rows = db.execute(
        "SELECT id, name, color, hidden FROM learners WHERE center = ? ORDER BY rowid",
        [center_id],
    ).fetchall()
    learners = [RosterLearner(id=r[0], name=r[1], colour=r[2], hidden=bool(r[3])) for r in rows]
    return Roster(center=center_id, revision=revision[0], learners=learners)


class RosterSort(StrEnum):
    NAME = "name"  # 가나다 (Hangul syllables sort in dictionary order as code points)
    NEWEST = "newest"  # the latest added first


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
ROSTER_PAGE_SIZE = 50  # a page of 50 rows with their forms is ~45 KB; 343 at once was 307 KB


@dataclass(frozen=True)
class RosterPage:
    learners: list[RosterLearner]
    matching: int  # learners matching the search (all of them without one)
    total: int  # learners of the center


def roster_page(
    db: Database,
    center_id: str,
    q: str = "",
    sort: RosterSort = RosterSort.NAME,
    page: int = 0,
    size: int = ROSTER_PAGE_SIZE,
) -> RosterPage:
    """One page of the center's learners (hidden ones included, marked), those whose name
    contains `q` (case-insensitive, as typed in any normal form) only if it is given."""
    # SQLite's lower() folds A-Z only: the search folds the same letters, no others
    needle = unicodedata.normalize("NFC", q).strip().translate(_ASCII_LOWER)
    where, params = "center = ?", [center_id]
    if needle:
        where += " AND instr(lower(name), ?) > 0"
        params.append(needle)
    order = "name, rowid" if sort is RosterSort.NAME else "rowid DESC"
    rows = db.execute(
        f"SELECT id, name, color, hidden FROM learners WHERE {where} ORDER BY {order} "
        "LIMIT ? OFFSET ?",
        [*params, size, max(0, page) * size],
    ).fetchall()
    (matching,) = db.execute(f"SELECT count(*) FROM learners WHERE {where}", params).fetchone()
    (total,) = db.execute("SELECT count(*) FROM learners WHERE center = ?", [center_id]).fetchone()
    learners = [RosterLearner(id=r[0], name=r[1], colour=r[2], hidden=bool(r[3])) for r in rows]
    return RosterPage(learners, int(matching), int(total))


def roster_revisions(db: Database) -> dict[str, int]:
    return dict(db.execute("SELECT id, roster_revision FROM centers").fetchall())


def _require_center(conn: Connection, center_id: str) -> None:
    found = conn.execute("SELECT 1 FROM centers WHERE id = ?", (center_id,)).fetchone()
    if not found:
        raise RosterError(f"no center {center_id!r}")


def _bump(conn: Connection, center_id: str) -> None:
    conn.execute(
        "UPDATE centers SET roster_revision = roster_revision + 1 WHERE id = ?", (center_id,)
    )


def clean_learner_name(name: str) -> str:
    """A learner's name as stored (central/text_input.py), or RosterError."""
    return _clean(name, MAX_LEARNER_NAME, "a learner's name must be 1–40 visible characters")


def _clean(name: str, max_chars: int, message: str) -> str:
    try:
        return clean_text(name, max_chars)
    except TextError as exc:
        key = "name_length" if exc.key == "text_length" else exc.key
        raise RosterError(message, key) from None

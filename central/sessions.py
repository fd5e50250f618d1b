"""Dashboard sessions kept in the central database, so every dashboard process agrees.

The browser's cookie carries only a random token; the database keeps its SHA-256 (a copy of
the database does not hold live tokens), the user, when it was made and last seen, when it
expires (absolute: nothing a request does moves it) and when it was revoked. Signing out
revokes the row, so a copy of the cookie taken before is worthless; a password reset
revokes every session of the account.
"""

from __future__ import annotations

import hashlib
import secrets

from central.database import Connection, Database, write_transaction

TOKEN_BYTES = 32
# "Last seen" is for admins' eyes, not a security decision: refreshing it at most once a
# minute keeps page views from turning into a database write each.
LAST_SEEN_EVERY = 60.0
# Expired and revoked rows are kept a day (for a look at who was signed in), then swept.
KEEP_ENDED = 24 * 3600


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Database, user_id: int, now: float, lifetime: float) -> str:
    """A new session for `user_id` that ends `lifetime` seconds from `now`; its token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with write_transaction(db) as conn:
        conn.execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (_hash(token), user_id, now, now, now + lifetime),
        )
        conn.execute(
            "DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?",
            (now - KEEP_ENDED, now - KEEP_ENDED),
        )
    return token


def user_of(db: Database, token: str, now: float) -> int | None:
    """The user a live session token belongs to (None: unknown, revoked or expired)."""
    digest = _hash(token)
    row = db.execute(
        "SELECT user_id, last_seen FROM sessions WHERE token_hash = ? AND revoked_at IS NULL "
        "AND expires_at > ?",
        [digest, now],
    ).fetchone()
    if row is None:
        return None
    if now - row[1] > LAST_SEEN_EVERY:
        with write_transaction(db) as conn:
            conn.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (now, digest))
    return int(row[0])


def revoke(db: Database, token: str, now: float) -> None:
    with write_transaction(db) as conn:
        conn.execute(
            "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
            (now, _hash(token)),
        )


def revoke_all(conn: Connection, user_id: int, now: float) -> None:
    """Inside a write transaction: end every session of `user_id`."""
    conn.execute(
        "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
        (now, user_id),
    )

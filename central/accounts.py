"""Dashboard accounts: argon2 password hashes, roles, assigned centers and lock-out.

A user is an admin (every center; manages accounts and centers) or an instructor (only the
centers assigned). After `MAX_FAILED_LOGINS` wrong passwords in a row an account is locked
for `LOCKOUT_SECONDS`; the count and the lock live in the database, so restarting the
server or trying from another machine does not reset them.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from enum import StrEnum

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from central.database import write_transaction

# Five tries covers honest typos (Caps Lock, a Korean input mode left on); a guesser gets
# five tries per quarter hour, ~500 a day, hopeless against a 12+ character password.
MAX_FAILED_LOGINS = 5
LOCKOUT_SECONDS = 15 * 60
MIN_PASSWORD_LENGTH = 12  # NIST SP 800-63B asks for ≥ 8; instructors' accounts see learners
MAX_PASSWORD_LENGTH = 128  # argon2 hashes any length; this only stops megabyte "passwords"
GENERATED_PASSWORD_BYTES = 12  # 16 URL-safe characters, ~96 bits
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
# argon2id with the library's defaults (RFC 9106 "second recommended" profile).
_HASHER = PasswordHasher()
# Verified against when the user does not exist, so a wrong user name costs as long as a
# wrong password and timing does not tell which user names exist.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class Role(StrEnum):
    ADMIN = "admin"
    INSTRUCTOR = "instructor"


class AccountError(ValueError):
    """An account change cannot be made; `field` names the form field at fault."""

    def __init__(self, key: str, field: str = "") -> None:
        super().__init__(key)
        self.key = key  # a message key (central/web/i18n.py) the dashboard shows
        self.field = field


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    session_epoch: int
    centers: frozenset[str]  # assigned centers (an admin sees all regardless)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


class LoginResult(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # wrong user name or password (never says which)
    LOCKED = "locked"  # too many failures: try again later


@dataclass(frozen=True)
class Login:
    result: LoginResult
    user: User | None = None
    locked_until: float = 0.0


def generate_password() -> str:
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


def check_password(password: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError("password_length", "password")


def create_user(
    db: sqlite_utils.Database,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    centers: set[str] | frozenset[str] = frozenset(),
) -> int:
    """Create an account; returns its id. Raises AccountError naming the field at fault."""
    username = username.strip().lower()
    display_name = " ".join(display_name.split())
    if not _USERNAME.match(username):
        raise AccountError("username_format", "username")
    if not 1 <= len(display_name) <= 40:
        raise AccountError("name_length", "display_name")
    check_password(password)
    with write_transaction(db) as conn:
        if conn.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
            raise AccountError("username_taken", "username")
        cursor = conn.execute(
            "INSERT INTO users (username, display_name, role, password_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (username, display_name, role.value, _HASHER.hash(password), time.time()),
        )
        user_id = int(cursor.lastrowid or 0)
        _assign(conn, user_id, centers)
    return user_id


def set_centers(db: sqlite_utils.Database, user_id: int, centers: set[str]) -> None:
    with write_transaction(db) as conn:
        conn.execute("DELETE FROM user_centers WHERE user_id = ?", (user_id,))
        _assign(conn, user_id, centers)


def set_password(db: sqlite_utils.Database, user_id: int, password: str) -> None:
    """New password; also unlocks the account and signs out its other sessions."""
    check_password(password)
    with write_transaction(db) as conn:
        conn.execute(
            "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0, "
            "session_epoch = session_epoch + 1 WHERE id = ?",
            (_HASHER.hash(password), user_id),
        )


def authenticate(
    db: sqlite_utils.Database, username: str, password: str, now: float | None = None
) -> Login:
    """Check a sign-in; counts failures and locks the account after too many."""
    now = time.time() if now is None else now
    with write_transaction(db) as conn:
        row = conn.execute(
            "SELECT id, password_hash, failed_logins, locked_until FROM users "
            "WHERE username = ? AND disabled = 0",
            (username.strip().lower(),),
        ).fetchone()
        if row is None:
            _verify(_DUMMY_HASH, password)
            return Login(LoginResult.WRONG)
        user_id, stored, failures, locked_until = row
        if locked_until > now:
            return Login(LoginResult.LOCKED, locked_until=locked_until)
        if not _verify(stored, password[:MAX_PASSWORD_LENGTH]):
            failures += 1
            locked_until = now + LOCKOUT_SECONDS if failures >= MAX_FAILED_LOGINS else 0.0
            conn.execute(
                "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                (0 if locked_until else failures, locked_until, user_id),
            )
            if locked_until:
                return Login(LoginResult.LOCKED, locked_until=locked_until)
            return Login(LoginResult.WRONG)
        update = _HASHER.check_needs_rehash(stored)
        conn.execute(
            "UPDATE users SET failed_logins = 0, locked_until = 0, "
            "password_hash = iif(?, ?, password_hash) WHERE id = ?",
            (update, _HASHER.hash(password) if update else "", user_id),
        )
    return Login(LoginResult.OK, user=get_user(db, user_id))


def get_user(db: sqlite_utils.Database, user_id: int) -> User | None:
    row = db.execute(
        "SELECT id, username, display_name, role, session_epoch FROM users "
        "WHERE id = ? AND disabled = 0",
        [user_id],
    ).fetchone()
    if row is None:
        return None
    centers = db.execute("SELECT center FROM user_centers WHERE user_id = ?", [user_id])
    return User(row[0], row[1], row[2], Role(row[3]), row[4], frozenset(c for (c,) in centers))


def list_users(db: sqlite_utils.Database) -> list[User]:
    ids = [row[0] for row in db.execute("SELECT id FROM users WHERE disabled = 0 ORDER BY id")]
    return [user for user_id in ids if (user := get_user(db, user_id))]


def _assign(conn: sqlite3.Connection, user_id: int, centers: set[str] | frozenset[str]) -> None:
    known = {row[0] for row in conn.execute("SELECT id FROM centers")} if centers else set()
    if not centers <= known:
        raise AccountError("no_such_center", "centers")
    conn.executemany(
        "INSERT INTO user_centers (user_id, center) VALUES (?, ?)",
        [(user_id, center) for center in sorted(centers)],
    )


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False

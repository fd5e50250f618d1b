"""Dashboard accounts: argon2 password hashes, roles, assigned centers and signing in.

A user is an admin (every center; manages accounts and centers) or an instructor (only the
centers assigned). Wrong passwords slow down further tries per client address and per
account name (`central/login_throttle.py`), never locking the owner's own browser out.
Password hashing (argon2, ~250 ms on purpose) never runs inside a database transaction,
so a flood of sign-ins cannot hold the write lock that intake and the forms need.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from central import login_throttle, sessions
from central.database import Connection, Database, write_transaction
from central.login_throttle import LoginPolicy
from central.text_input import TextError, clean_text, normalise_key

MIN_PASSWORD_LENGTH = 12  # NIST SP 800-63B asks for ≥ 8; instructors' accounts see learners
MAX_PASSWORD_LENGTH = 128  # argon2 hashes any length; this only stops megabyte "passwords"
MAX_DISPLAY_NAME = 40
GENERATED_PASSWORD_BYTES = 12  # 16 URL-safe characters, ~96 bits
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}\Z")
# argon2id with the library's defaults (RFC 9106 "second recommended" profile: 64 MiB, 3
# passes, 4 lanes).
_HASHER = PasswordHasher()
# Verified against when the user does not exist, so a wrong user name costs as long as a
# wrong password and timing does not tell which user names exist.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))
# Each hash takes 64 MiB and a core for ~250 ms: two at once fill a 2-core machine, and
# more would only queue inside argon2 while holding memory. A sign-in that cannot get a
# slot within HASH_WAIT_SECONDS is told to try again (503) rather than tie up a worker.
HASH_CONCURRENCY = 2
HASH_WAIT_SECONDS = 5.0
_HASH_SLOTS = threading.BoundedSemaphore(HASH_CONCURRENCY)
DEFAULT_POLICY = LoginPolicy()


class HashingBusy(Exception):
    """Too many passwords are being checked at once; try again in a moment."""


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
    disabled: bool = False  # cannot sign in; only admins' lists show such accounts

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


class LoginResult(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # wrong user name or password (never says which)
    WAIT = "wait"  # too many failures from this address or for this name: wait a while
    BUSY = "busy"  # too many sign-ins being checked at once: try again in a moment


@dataclass(frozen=True)
class Login:
    result: LoginResult
    user: User | None = None
    retry_after: float = 0.0  # seconds, for WAIT and BUSY


def generate_password() -> str:
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


def check_password(password: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError("password_length", "password")


def create_user(
    db: Database,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    centers: set[str] | frozenset[str] = frozenset(),
) -> int:
    """Create an account; returns its id. Raises AccountError naming the field at fault."""
    username = normalise_username(username)
    if not _USERNAME.match(username):
        raise AccountError("username_format", "username")
    try:
        display_name = clean_text(display_name, MAX_DISPLAY_NAME)
    except TextError as exc:
        key = "name_length" if exc.key == "text_length" else exc.key
        raise AccountError(key, "display_name") from None
    check_password(password)
    hashed = _hash(password)  # before the transaction: it takes a quarter second
    with write_transaction(db, f"username:{username}") as conn:
        if conn.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
            raise AccountError("username_taken", "username")
        cursor = conn.execute(
            "INSERT INTO users (username, display_name, role, password_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (username, display_name, role.value, hashed, time.time()),
        )
        user_id = int(cursor.fetchone()[0])
        _assign(conn, user_id, centers)
    return user_id


def set_centers(db: Database, user_id: int, centers: set[str]) -> None:
    with write_transaction(db) as conn:
        conn.execute("DELETE FROM user_centers WHERE user_id = ?", (user_id,))
        _assign(conn, user_id, centers)


def set_password(db: Database, user_id: int, password: str) -> None:
    """New password; also clears the account's sign-in failures and ends its sessions."""
    check_password(password)
    hashed = _hash(password)
    now = time.time()
    with write_transaction(db) as conn:
        conn.execute(
            "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ?",
            (hashed, user_id),
        )
        row = conn.execute("SELECT username FROM users WHERE id = ?", (user_id,)).fetchone()
        if row:
            login_throttle.forget(conn, [login_throttle.account_key(row[0])])
        sessions.revoke_all(conn, user_id, now)


def normalise_username(username: str) -> str:
    """How a user name is stored and looked up: NFC, trimmed, casefolded ("ADMIN " = admin)."""
    return normalise_key(username)


def authenticate(
    db: Database,
    username: str,
    password: str,
    *,
    address: str = "",
    device: str | None = None,
    now: float | None = None,
    policy: LoginPolicy = DEFAULT_POLICY,
) -> Login:
    """Check a sign-in from `address` (with `device`: the id of this account's device
    cookie, if the browser sent a valid one). Unknown and real names cost the same work and
    get the same answers; see central/login_throttle.py for the waits."""
    now = time.time() if now is None else now
    name = normalise_username(username)
    frees, wait = _waits(db.conn, name, address, device, now, policy)  # a plain read first
    if wait > 0:
        return Login(LoginResult.WAIT, retry_after=wait)
    if not _HASH_SLOTS.acquire(timeout=HASH_WAIT_SECONDS):
        return Login(LoginResult.BUSY, retry_after=HASH_WAIT_SECONDS)
    try:
        # The try is counted as a failure before the password is checked (a correct one
        # clears it), under the write lock: concurrent tries cannot all slip past a wait.
        with write_transaction(db, *_throttle_locks(name, address, device)) as conn:
            frees, wait = _waits(conn, name, address, device, now, policy)
            if wait <= 0:
                login_throttle.record_failure(conn, frees, now, policy)
        if wait > 0:
            return Login(LoginResult.WAIT, retry_after=wait)
        row = db.execute(
            "SELECT id, password_hash FROM users WHERE username = ? AND disabled = 0", [name]
        ).fetchone()
        good = _check(row[1] if row else _DUMMY_HASH, password[:MAX_PASSWORD_LENGTH])
    finally:
        _HASH_SLOTS.release()
    if not (good and row):
        return Login(LoginResult.WRONG)
    user_id, stored = row
    rehashed = _hash(password) if _HASHER.check_needs_rehash(stored) else None
    with write_transaction(db) as conn:
        login_throttle.forget(conn, [login_throttle.account_key(name), *frees])
        if rehashed:
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (rehashed, user_id))
    return Login(LoginResult.OK, user=get_user(db, user_id))


def _throttle_locks(name: str, address: str, device: str | None) -> list[str]:
    """The failure counts a sign-in may read and then write (locked on PostgreSQL)."""
    keys = [login_throttle.address_key(address), login_throttle.account_key(name)]
    if device:
        keys.append(login_throttle.device_key(f"{name}:{device}"))
    return [f"login:{key}" for key in keys]


def _waits(
    conn: Connection,
    name: str,
    address: str,
    device: str | None,
    now: float,
    policy: LoginPolicy,
) -> tuple[dict[str, int], float]:
    """The keys this try counts against (each with its free failures), and how long it must
    wait first (≤ 0: not at all)."""
    address_key = login_throttle.address_key(address)
    own_key = login_throttle.account_key(name)
    device_key = login_throttle.device_key(f"{name}:{device}") if device else ""
    counts = login_throttle.read(conn, [address_key, own_key, device_key], now, policy)
    known = counts.get(device_key)
    if device and (known is None or known.failures < policy.account_free):
        frees = {address_key: policy.address_free, device_key: policy.account_free}
    else:  # a stranger to this account (or a browser that failed too often)
        frees = {address_key: policy.address_free, own_key: policy.account_free}
    return frees, max((counts[k].blocked_until - now for k in frees if k in counts), default=0)


def get_user(db: Database, user_id: int, include_disabled: bool = False) -> User | None:
    """An enabled account (a disabled one too with `include_disabled`), or None."""
    row = db.execute(
        "SELECT id, username, display_name, role, session_epoch, disabled FROM users "
        "WHERE id = ? AND (disabled = 0 OR ? = 1)",
        [user_id, include_disabled],
    ).fetchone()
    if row is None:
        return None
    centers = db.execute("SELECT center FROM user_centers WHERE user_id = ?", [user_id])
    return User(
        row[0], row[1], row[2], Role(row[3]), row[4], frozenset(c for (c,) in centers), bool(row[5])
    )


def list_users(db: Database, include_disabled: bool = False) -> list[User]:
    ids = db.execute(
        "SELECT id FROM users WHERE disabled = 0 OR ? = 1 ORDER BY id", [include_disabled]
    ).fetchall()
    return [user for (user_id,) in ids if (user := get_user(db, user_id, include_disabled))]


def set_disabled(db: Database, admin_id: int, user_id: int, disabled: bool) -> None:
    """Disable (or enable again) an account; disabling ends its sessions. An admin cannot
    disable themselves, nor the last enabled admin (checked in the write transaction, so two
    admins disabling each other at once cannot leave none)."""
    if disabled and admin_id == user_id:
        raise AccountError("cannot_disable_self")
    with write_transaction(db, "admins") as conn:
        row = conn.execute("SELECT role FROM users WHERE id = ?", (user_id,)).fetchone()
        if row is None:
            raise AccountError("no_such_user")
        if disabled and row[0] == Role.ADMIN.value:
            (admins,) = conn.execute(
                "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?",
                (user_id,),
            ).fetchone()
            if admins == 0:
                raise AccountError("last_admin")
        conn.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user_id))
        if disabled:
            sessions.revoke_all(conn, user_id, time.time())


def _assign(conn: Connection, user_id: int, centers: set[str] | frozenset[str]) -> None:
    known = {row[0] for row in conn.execute("SELECT id FROM centers")} if centers else set()
    if not centers <= known:
        raise AccountError("no_such_center", "centers")
    conn.executemany(
        "INSERT INTO user_centers (user_id, center) VALUES (?, ?)",
        [(user_id, center) for center in sorted(centers)],
    )


def _check(stored: str, password: str) -> bool:
    """Check a password against its hash (the caller holds a hashing slot)."""
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _hash(password: str) -> str:
    """A new hash (HashingBusy when no hashing slot frees up in time)."""
    if not _HASH_SLOTS.acquire(timeout=HASH_WAIT_SECONDS):
        raise HashingBusy()
    try:
        return _HASHER.hash(password)
    finally:
        _HASH_SLOTS.release()

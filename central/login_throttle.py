"""Slowing down password guessing without handing anyone a way to lock a real user out.

Failures are counted per *key* in the central database (`login_failures`), so a restart or
another dashboard process sees the same counts:

- `addr:<address>` — the client address (an IPv6 client by its /64, which one machine
  usually holds whole). A guesser from one place is slowed down whichever names it tries.
- `user:<name>` — the account name as typed and normalised, **whether or not the account
  exists**: real and unknown names are answered alike.
- `device:<id>` — a browser that has signed in to this account before (a signed device
  cookie). It is counted instead of `user:<name>`, so someone guessing from elsewhere slows
  down strangers to the account, never the owner's own browser (the OWASP "device cookie"
  scheme). A device that fails too often loses that standing and counts as a stranger.

After `free` failures in a row, each further failure makes the key wait twice as long
(1 s, 2 s, 4 s … at most `max_delay`). Nothing is ever locked for good: a wait ends, a
correct password resets the account and the address, and an admin's reset clears the
account. Counts are forgotten `forget_after` seconds after the last failure.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from central.database import Connection


@dataclass(frozen=True)
class LoginPolicy:
    """How many failures are free and how the waits grow. Defaults explained inline."""

    # Ten covers a shared center address (several instructors, each with a typo or two).
    address_free: int = 10
    # Five covers honest typos (Caps Lock, a Korean input mode left on).
    account_free: int = 5
    base_delay: float = 1.0
    # 15 minutes: a stranger's guessing is held to ~100 tries a day per name once it is
    # under way, hopeless against a 12+ character password; a wait never runs longer.
    max_delay: float = 15 * 60
    forget_after: float = 24 * 3600


def delay_after(failures: int, free: int, policy: LoginPolicy) -> float:
    """Seconds a key waits after its `failures`-th failure in a row."""
    if failures < free:
        return 0.0
    return min(policy.max_delay, policy.base_delay * 2.0 ** min(failures - free, 40))


def address_key(host: str) -> str:
    """`addr:` + the address (an IPv6 one as its /64 network; IPv4-mapped as IPv4)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"addr:{host[:64]}"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return f"addr:{address.ipv4_mapped}"
        return f"addr:{ipaddress.IPv6Network((address, 64), strict=False)}"
    return f"addr:{address}"


def account_key(username: str) -> str:
    return f"user:{username[:64]}"


def device_key(device: str) -> str:
    return f"device:{device[:64]}"


@dataclass(frozen=True)
class Counts:
    """The state of one key as read."""

    failures: int
    blocked_until: float


def read(
    conn: Connection, keys: Sequence[str], now: float, policy: LoginPolicy
) -> dict[str, Counts]:
    """The live counts of `keys` (forgotten ones left out)."""
    marks = ",".join("?" * len(keys))
    rows = conn.execute(
        f"SELECT key, failures, last_failure, blocked_until FROM login_failures "
        f"WHERE key IN ({marks})",
        list(keys),
    ).fetchall()
    return {
        key: Counts(failures, blocked_until)
        for key, failures, last, blocked_until in rows
        if last > now - policy.forget_after
    }


def record_failure(
    conn: Connection, frees: dict[str, int], now: float, policy: LoginPolicy
) -> None:
    """One more failure for each key (free failures per key in `frees`); inside a write
    transaction, so concurrent failures all count."""
    for key, free in frees.items():
        row = conn.execute(
            "SELECT failures, last_failure FROM login_failures WHERE key = ?", (key,)
        ).fetchone()
        failures = (row[0] if row and row[1] > now - policy.forget_after else 0) + 1
        conn.execute(
            "INSERT INTO login_failures (key, failures, last_failure, blocked_until) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
            "last_failure = excluded.last_failure, blocked_until = excluded.blocked_until",
            (key, failures, now, now + delay_after(failures, free, policy)),
        )
    # Unknown names leave rows behind; sweep the forgotten ones as we go.
    conn.execute(
        "DELETE FROM login_failures WHERE key IN (SELECT key FROM login_failures "
        "WHERE last_failure < ? LIMIT 100)",
        (now - policy.forget_after,),
    )


def forget(conn: Connection, keys: Sequence[str]) -> None:
    conn.executemany("DELETE FROM login_failures WHERE key = ?", [(k,) for k in keys])

"""Central's SQLite file: opened in WAL mode, readable by its owner only."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

# Several intake workers and dashboard processes share one file; a writer waits this long
# for another's transaction (each holds the lock for one batch or one form, a few
# milliseconds; nothing slow such as password hashing runs inside one) before giving up.
BUSY_TIMEOUT_MS = 10_000
# The database holds learners' names and progress and the dashboard's password hashes and
# sessions: readable by its owner only. SQLite gives the -wal and -shm files the mode of the
# database file; the folder is closed to others too.
FILE_MODE = 0o600
DIR_MODE = 0o750
# Event ids are random, so inserts touch pages all over the event id's index (events_by_id);
# a 64 MB page cache keeps them in memory between commits (measured when the rows themselves
# were keyed by the id: ~36k → ~46k events/s stored).
CACHE_KIB = 64 * 1024
# Each WAL checkpoint costs an fsync; checkpointing every 40 MB instead of every 4 MB lets
# a burst of batches (a site back online) go in at full speed.
CHECKPOINT_PAGES = 10_000


def open_sqlite(path: Path) -> sqlite_utils.Database:
    """Open (creating) the SQLite file at `path` in WAL mode; raises sqlite3/OS errors."""
    _private_file(path)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    db = sqlite_utils.Database(conn)
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # said again: the one that counts
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process kills
    db.execute("PRAGMA foreign_keys=ON")
    db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    db.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def set_schema_version(db: sqlite_utils.Database, number: int) -> None:
    db.execute(f"PRAGMA user_version = {int(number)}")


def _private_file(path: Path) -> None:
    """Create `path` (and its folder) readable by the owner only; an existing file (and its
    -wal/-shm) that others could read or its group write is tightened (0640 is kept)."""
    if not path.parent.exists():
        path.parent.mkdir(mode=DIR_MODE, parents=True)
    if not path.exists():
        # Only a new file: closing any descriptor of the database drops every POSIX lock this
        # process holds on it, SQLite's included, so another process would take this one's
        # open connections (the site monitor's in `serve`) for gone, checkpoint and delete
        # the WAL they still write to: their writes would be invisible to everyone else.
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE))
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if name.exists() and (mode := name.stat().st_mode) & 0o037:
            name.chmod(mode & 0o640)

"""The central database file: private to its owner, and every connection waits for locks."""

from __future__ import annotations

import stat
from pathlib import Path

from central.database import BUSY_TIMEOUT_MS, open_database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_wal_and_shm_are_made_readable_by_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "central.db"
    db = open_database(path)
    db.execute("CREATE TABLE t (x)")  # a write: the -wal and -shm files exist now
    assert {mode(p) for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))} == {0o600}
    assert mode(path.parent) & 0o007 == 0


def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "central.db"
    open_database(path).close()
    for before, after in ((0o666, 0o640), (0o644, 0o640), (0o604, 0o600), (0o600, 0o600)):
        path.chmod(before)  # group read is an operator's choice (a backup group): kept
        open_database(path).close()
        assert mode(path) == after, oct(before)


def test_every_connection_waits_for_the_write_lock(tmp_path: Path) -> None:
    db = open_database(tmp_path / "central.db")
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS >= 5000


def test_opening_the_database_again_keeps_this_processs_writes_visible(tmp_path: Path) -> None:
    """Opening (and closing) a second connection, as each dashboard worker thread does, must
    not drop the locks of a connection this process holds (the site monitor's in `serve`):
    another process would then delete the WAL it writes to, and its writes vanish."""
    import subprocess
    import sys

    path = tmp_path / "central.db"
    writer = open_database(path)
    open_database(path).close()
    read = (
        "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); "
        "print(db.execute('SELECT count(*) FROM centers').fetchone()[0]); db.close()"
    )
    assert subprocess.run([sys.executable, "-c", read, str(path)], check=True).returncode == 0
    writer.execute("INSERT INTO centers (id, name) VALUES ('gangnam-1', '강남')")
    seen = subprocess.run(
        [sys.executable, "-c", read, str(path)], check=True, capture_output=True, text=True
    )
    assert seen.stdout.strip() == "1"
    writer.close()

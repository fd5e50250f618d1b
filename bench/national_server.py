"""The national bench's own PostgreSQL: tests/postgres.py's server, with its data folder
kept under var/bench/ between runs (a seeded size is reused) and settings for seeding fast.

Seeding settings, not production's: no fsync (a lost bench database is re-seeded) and
`wal_level = minimal`, so the seed's one transaction writes its tables without WAL. Read
settings are PostgreSQL's defaults except `shared_buffers` (1 GB: a small city server's,
a quarter of 4 GB) — the pages are measured as a default install would serve them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.postgres import FAST_SETTINGS, START_TIMEOUT_SECONDS, SUPERUSER, PostgresServer

SEED_SETTINGS = (
    "wal_level=minimal",
    "max_wal_senders=0",
    "max_wal_size=8GB",
    "checkpoint_timeout=30min",
    "shared_buffers=1GB",
)


class BenchServer(PostgresServer):
    """A PostgresServer whose data folder is `root`/data and survives `stop()`."""

    def __init__(self, root: Path) -> None:
        super().__init__(durable=False)
        shutil.rmtree(self.root, ignore_errors=True)  # the temporary one it made
        self.root = root.resolve()
        self.data = self.root / "data"

    def start(self) -> BenchServer:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        if not (self.data / "PG_VERSION").exists():
            shutil.rmtree(self.data, ignore_errors=True)
            self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                      "--no-locale", "-E", "UTF8", "--no-sync")  # fmt: skip
        settings = [
            f"port={self.port}",
            "listen_addresses=127.0.0.1",
            f"unix_socket_directories={self.root}",
            *FAST_SETTINGS,
            *SEED_SETTINGS,
        ]
        options = " ".join(f"-c {s}" for s in settings)
        self._run("pg_ctl", "start", "-w", "-t", str(START_TIMEOUT_SECONDS), "-D",
                  str(self.data), "-l", str(self.log), "-o", options)  # fmt: skip
        return self

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def stop(self) -> None:
        """Stop (a clean shutdown: the next start needs no recovery); keep the data."""
        self._run("pg_ctl", "stop", "-m", "fast", "-t", "120", "-D", str(self.data), check=False)

    def databases(self) -> list[str]:
        import psycopg

        with psycopg.connect(self.url()) as conn:
            rows = conn.execute("SELECT datname FROM pg_database").fetchall()
        return [str(r[0]) for r in rows]

    def disk_bytes(self, database: str) -> int:
        import psycopg

        with psycopg.connect(self.url()) as conn:
            row = conn.execute("SELECT pg_database_size(%s)", (database,)).fetchone()
        return int(row[0]) if row else 0

"""One SQLite connection per worker thread (a connection belongs to the thread using it)."""

from __future__ import annotations

import threading
from pathlib import Path

import sqlite_utils

from central.database import open_database


class Connections:
    def __init__(self, path: Path) -> None:
        self.path = path
        open_database(path).close()  # create and migrate now, so errors show at start
        self._local = threading.local()

    def get(self) -> sqlite_utils.Database:
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = open_database(self.path)
        return db

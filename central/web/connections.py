"""One database connection per worker thread (a connection belongs to the thread using it)."""

from __future__ import annotations

import threading
from pathlib import Path

from central.database import Database, is_broken, open_database


class Connections:
    def __init__(self, path: Path | str) -> None:
        self.path = path
        open_database(path).close()  # create and migrate now, so errors show at start
        self._local = threading.local()

    def get(self) -> Database:
        db: Database | None = getattr(self._local, "db", None)
        if db is None or is_broken(db):
            db = self._local.db = open_database(self.path)
        return db

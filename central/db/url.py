"""Which database central uses: one URL (or, as before, a bare SQLite file path)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from central.db.errors import DatabaseError

SQLITE_PREFIX = "sqlite:///"  # sqlite:///var/central/central.db, sqlite:////abs/central.db
POSTGRES_SCHEMES = ("postgresql", "postgres")
# What central keeps as files (published lesson versions, the session-signing key): beside
# a SQLite file; for PostgreSQL in this folder (shared by every process of central).
STATE_ENV = "SARANGBANG_CENTRAL_STATE"
DEFAULT_STATE = Path("var/central")


@dataclass(frozen=True)
class DatabaseUrl:
    """A SQLite file (`path`) or a PostgreSQL connection string (`dsn`)."""

    path: Path | None = None
    dsn: str | None = None

    @property
    def is_postgres(self) -> bool:
        return self.dsn is not None

    @property
    def state_dir(self) -> Path:
        """Where central's files go: beside the SQLite file, else $SARANGBANG_CENTRAL_STATE."""
        if self.path is not None:
            return self.path.parent
        return Path(os.environ.get(STATE_ENV) or DEFAULT_STATE)

    def shown(self) -> str:
        """For messages and logs: the file, or the URL with its password hidden."""
        if self.path is not None:
            return str(self.path)
        parts = urlsplit(self.dsn or "")
        netloc = re.sub(r":[^@/]*@", ":***@", parts.netloc)
        return urlunsplit(parts._replace(netloc=netloc))


def parse_database(target: str | Path | DatabaseUrl) -> DatabaseUrl:
    """`sqlite:///path`, `postgresql://…`, or a bare file path (SQLite, as before)."""
    if isinstance(target, DatabaseUrl):
        return target
    if isinstance(target, Path):
        return DatabaseUrl(path=target)
    if target.startswith(SQLITE_PREFIX):
        return DatabaseUrl(path=Path(target[len(SQLITE_PREFIX) :]))
    scheme = target.split("://", 1)[0] if "://" in target else None
    if scheme in POSTGRES_SCHEMES:
        return DatabaseUrl(dsn=target)
    if scheme is not None:
        raise DatabaseError(
            f"central database {target!r}: unknown kind {scheme!r} "
            "(give sqlite:///FILE or postgresql://USER@HOST/NAME)"
        )
    if not target:
        raise DatabaseError("central database: no file or URL given")
    return DatabaseUrl(path=Path(target))

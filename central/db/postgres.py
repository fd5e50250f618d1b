"""Central on PostgreSQL (psycopg 3): the part of sqlite3's API central uses, over one
connection, taking central's SQL as SQLite writes it (central/db/dialect.py renders it).

The connection is in autocommit mode, as central's SQLite connections are
(`isolation_level=None`): a statement outside `write_transaction` is its own transaction,
and `write_transaction` says BEGIN … COMMIT itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Protocol

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus

from central.db.dialect import to_postgres

# Opening must fail fast when the server is gone, not hang a worker's start.
CONNECT_TIMEOUT_SECONDS = 10
# Named here so that every process uses the same one: a lock on a key (a kiosk, an account
# name) is `pg_advisory_xact_lock(hashtextextended(key, LOCK_SEED))`.
LOCK_SEED = 7_261_453
# SQLite's NOCASE (users.username): case-insensitive, as ICU's level-2 strength compares.
NOCASE = (
    "CREATE COLLATION IF NOT EXISTS nocase "
    "(provider = icu, locale = 'und-u-ks-level2', deterministic = false)"
)
SCHEMA_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)"

Params = Sequence[Any]


class Rows(Protocol):
    """What a statement hands back, typed as loosely as sqlite3's cursor is."""

    @property
    def rowcount(self) -> int: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class _BoolAsInteger(Dumper):
    """Python bools go in as 0/1, as SQLite stores them (central's flag columns are integers)."""

    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _Number(Loader):
    """numeric (PostgreSQL's sum() and avg() of integers) comes out as int when whole,
    else float, as SQLite's would: never Decimal."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


class _Connection(psycopg.Connection[tuple[Any, ...]]):
    """Dropped unclosed (a finished thread's connection), as a sqlite3 one may be: closed
    quietly, where psycopg would warn."""

    def __del__(self, *_: Any) -> None:
        if hasattr(self, "pgconn") and not self.closed:
            self.close()


class PgDatabase:
    """One PostgreSQL connection, shaped like central's sqlite_utils.Database and its
    sqlite3.Connection (`db.conn` is itself): execute, executemany, in_transaction, close."""

    is_postgres = True

    def __init__(self, raw: psycopg.Connection[tuple[Any, ...]], where: str) -> None:
        self.raw = raw
        self.where = where  # the URL without its password, for messages

    @property
    def conn(self) -> PgDatabase:
        return self

    @property
    def broken(self) -> bool:
        """The server went away (restarted, failed over): open a new connection."""
        return self.raw.closed

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, params: Params = ()) -> Rows:
        return self.raw.execute(to_postgres(sql), without_nul(params))

    def executemany(self, sql: str, rows: Iterable[Params]) -> Rows:
        # psycopg pipelines the rows (one network flush, not a round trip per row); for
        # many rows, central/db/bulk.py is faster still
        cursor = self.raw.cursor()
        rows = [without_nul(row) for row in rows]
        if rows:
            cursor.executemany(to_postgres(sql), rows)
        return cursor

    def copy_rows(
        self, table: str, columns: Sequence[str], rows: Iterable[Params], nul_free: bool = False
    ) -> None:
        """COPY `rows` into `table` (its `columns`): one statement, ~10× a pipeline's rate.
        `nul_free`: no text in `rows` holds U+0000 (see `without_nul`)."""
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row if nul_free else without_nul(row))

    def lock(self, keys: Iterable[str]) -> None:
        """Hold transaction-long locks on `keys`, taken in sorted order (so two holders never
        deadlock) by one statement: one round trip, however many kiosks a burst holds."""
        ordered = sorted(set(keys))
        if ordered:
            self.raw.execute(
                "SELECT count(pg_advisory_xact_lock(hashtextextended(k, %s))) "
                "FROM (SELECT unnest(%s::text[]) AS k ORDER BY 1) AS keys",
                without_nul((LOCK_SEED, ordered)),  # a key may hold what someone typed
            )

    def close(self) -> None:
        self.raw.close()


def open_postgres(dsn: str, where: str) -> PgDatabase:
    """Connect to `dsn` (a postgresql:// URL); raises psycopg errors."""
    raw = _Connection.connect(dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS)
    raw.adapters.register_dumper(bool, _BoolAsInteger)
    raw.adapters.register_loader("numeric", _Number)
    return PgDatabase(raw, where)


def without_nul(params: Params) -> Params:
    """`params` with U+0000 in text (lists' items too) stored as U+FFFD: PostgreSQL's text
    cannot hold it (SQLite's can), and what a center sent with one is kept (and shown
    without it, as every control character is). Done here, not by a str dumper of psycopg's:
    a Python dumper costs ~1.6 µs a value and stops psycopg's C one dumping lists and COPY."""
    for value in params:
        if isinstance(value, list) or (isinstance(value, str) and "\x00" in value):
            return [_nul_free(value) for value in params]
    return params


def _nul_free(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_nul_free(item) for item in value]
    return value


def schema_version(db: PgDatabase) -> int:
    """The number of migrations applied (a one-row table, PostgreSQL's user_version)."""
    db.raw.execute(NOCASE)
    db.raw.execute(SCHEMA_TABLE)
    row = db.raw.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def set_schema_version(db: PgDatabase, number: int) -> None:
    db.raw.execute("DELETE FROM schema_version")
    db.raw.execute("INSERT INTO schema_version VALUES (%s)", (number,))

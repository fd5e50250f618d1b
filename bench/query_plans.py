"""Which SQL a dashboard page runs, and how PostgreSQL runs it: for
bench/dashboard_national.py.

`StatementLog` records every statement central sends through `PgDatabase.execute` while
it is switched on (the bench's process only: central's code is not changed); `explain()`
runs each recorded read again under `EXPLAIN (ANALYZE, FORMAT JSON)` with its own
parameters and reports the sequential scans of big tables and the statement's time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from central.db.dialect import to_postgres
from central.db.postgres import Params, PgDatabase, Rows

# A table with fewer rows than this is read whole faster than through an index (a few
# pages); a sequential scan of one is not a finding.
BIG_TABLE_ROWS = 10_000
_READ = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)
_WRITE = re.compile(r"^\s*(UPDATE|INSERT|DELETE)\b", re.IGNORECASE)


@dataclass
class StatementLog:
    """The statements run while `recording()` is active, in order (parameters included)."""

    statements: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    _on: bool = False

    def install(self) -> None:
        """Route PgDatabase.execute through this log (for the rest of the process)."""
        original = PgDatabase.execute
        log = self

        def execute(db: PgDatabase, sql: str, params: Params = ()) -> Rows:
            if log._on:
                log.statements.append((sql, tuple(params)))
            return original(db, sql, params)

        setattr(PgDatabase, "execute", execute)  # noqa: B010 (mypy: a method assigned)

    @contextmanager
    def recording(self) -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
        self.statements = []
        self._on = True
        try:
            yield self.statements
        finally:
            self._on = False


@dataclass(frozen=True)
class SeqScan:
    table: str
    table_rows: int  # the table's size (pg_class.reltuples)
    rows_read: int  # rows the scan returned (actual, all loops)


@dataclass(frozen=True)
class Explained:
    sql: str
    ms: float  # the statement's execution time under EXPLAIN ANALYZE
    seq_scans: list[SeqScan]
    plan: dict[str, Any]

    @property
    def big_scans(self) -> list[SeqScan]:
        return [s for s in self.seq_scans if s.table_rows >= BIG_TABLE_ROWS]


def explain(db: PgDatabase, statements: list[tuple[str, tuple[Any, ...]]]) -> list[Explained]:
    """Each distinct read (and write, unexecuted) of `statements`, explained."""
    sizes = _table_rows(db)
    seen: set[str] = set()
    found = []
    for sql, params in statements:
        analyze = bool(_READ.match(sql))
        if sql in seen or not (analyze or _WRITE.match(sql)):
            continue
        seen.add(sql)
        options = "ANALYZE, FORMAT JSON" if analyze else "FORMAT JSON"
        row = db.raw.execute(f"EXPLAIN ({options}) {to_postgres(sql)}", params).fetchone()
        top = row[0][0] if row else {}
        scans = [
            SeqScan(node["Relation Name"], sizes.get(node["Relation Name"], 0), rows)
            for node, rows in _nodes(top["Plan"])
            if node["Node Type"] == "Seq Scan"
        ]
        found.append(
            Explained(" ".join(sql.split()), float(top.get("Execution Time", 0.0)), scans, top)
        )
    return found


def _nodes(plan: dict[str, Any]) -> Iterator[tuple[dict[str, Any], int]]:
    rows = int(plan.get("Actual Rows", plan.get("Plan Rows", 0))) * int(plan.get("Actual Loops", 1))
    yield plan, rows
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def _table_rows(db: PgDatabase) -> dict[str, int]:
    rows = db.raw.execute(
        "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' "
        "AND relnamespace = 'public'::regnamespace"
    ).fetchall()
    return {str(name): max(0, int(n)) for name, n in rows}

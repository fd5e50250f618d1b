"""What central's storage raises, and which failures are the database's own."""

from __future__ import annotations

import sqlite3


class DatabaseError(Exception):
    """The central database cannot be opened or written; the message says why."""


def is_database_failure(exc: BaseException) -> bool:
    """True if `exc` is the database itself failing (locked, full, gone, corrupt, a
    deadlock or a connection lost), not the data written: whoever sent that data may
    send it again. Statements that break a constraint or a type are not (the data's doing)."""
    if isinstance(exc, sqlite3.Error):
        return isinstance(exc, (sqlite3.OperationalError, sqlite3.InternalError)) or (
            type(exc) is sqlite3.DatabaseError  # SQLITE_CORRUPT, SQLITE_NOTADB
        )
    if type(exc).__module__.startswith("psycopg"):  # not imported unless a URL names it
        import psycopg

        return isinstance(exc, (psycopg.OperationalError, psycopg.InternalError)) or (
            type(exc) is psycopg.DatabaseError or isinstance(exc, psycopg.InterfaceError)
        )
    return False

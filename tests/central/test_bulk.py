"""Many rows in few statements (central/db/bulk.py), on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from central.database import Database, is_postgres, open_database, write_transaction
from central.db.bulk import insert_rows, upsert_rows

UPSERT = (
    "ON CONFLICT (center, learner_id, lesson_id, step_id) DO UPDATE SET "
    "wrong_attempts = step_summary.wrong_attempts + excluded.wrong_attempts, "
    "help_calls = step_summary.help_calls + excluded.help_calls, "
    "max_hint_level = max(step_summary.max_hint_level, excluded.max_hint_level)"
)
STEP_COLUMNS = [
    ("center", "text"), ("learner_id", "text"), ("lesson_id", "text"), ("step_id", "text"),
    ("wrong_attempts", "bigint"), ("help_calls", "bigint"), ("max_hint_level", "bigint"),
]  # fmt: skip


@pytest.fixture
def db(central_db: Path | str) -> Iterator[Database]:
    opened = open_database(central_db)
    yield opened
    opened.close()


def test_rows_go_in_and_upserts_add_up(db: Database) -> None:
    rows = [("gangnam-1", f"learner-{n}", "phone-call", "dial", 1, 0, n % 3) for n in range(600)]
    with write_transaction(db) as conn:
        upsert_rows(conn, "step_summary", STEP_COLUMNS, UPSERT, rows)
    with write_transaction(db) as conn:
        upsert_rows(conn, "step_summary", STEP_COLUMNS, UPSERT, [(*rows[7][:4], 2, 1, 2)])
        upsert_rows(conn, "step_summary", STEP_COLUMNS, UPSERT, [])
    total = db.execute(
        "select count(*), sum(wrong_attempts), sum(help_calls) from step_summary"
    ).fetchone()
    assert tuple(total) == (600, 602, 1)
    assert db.execute(
        "select max_hint_level from step_summary where learner_id = 'learner-7'"
    ).fetchone() == (2,)


def test_a_row_whose_key_is_stored_fails_the_insert(db: Database) -> None:
    with write_transaction(db) as conn:
        insert_rows(conn, "centers", ["id", "name"], [("gangnam-1", "강남"), ("mapo-2", "마포")])
    with pytest.raises(Exception) as failed, write_transaction(db) as conn:
        insert_rows(conn, "centers", ["id", "name"], [("seocho-3", "서초"), ("mapo-2", "마포")])
    assert "unique" in str(failed.value).lower() or "duplicate" in str(failed.value).lower()
    assert db.execute("select count(*) from centers").fetchone() == (2,)


def test_text_with_nul_is_kept_on_both_databases(db: Database) -> None:
    """PostgreSQL's text cannot hold U+0000: it is stored as U+FFFD there, by COPY and by
    array parameters alike; SQLite keeps it."""
    with write_transaction(db) as conn:
        insert_rows(conn, "centers", ["id", "name"], [("gangnam-1", "김\x00영희")])
        upsert_rows(
            conn, "step_summary", STEP_COLUMNS, UPSERT,
            [("gangnam-1", "kim", "phone-call", "di\x00al", 1, 0, 0)],
        )  # fmt: skip
    kept = "\ufffd" if is_postgres(db) else "\x00"
    assert db.execute("select name from centers").fetchone() == (f"김{kept}영희",)
    assert db.execute("select step_id from step_summary").fetchone() == (f"di{kept}al",)

"""Classes in a real central database: cancelling one occurrence or the rest of a series,
changing a series that has met, the history that stays, and what reaches the site."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from central.class_form import ClassDraft
from central.database import MIGRATIONS, Database, open_database, sql_of
from central.roster import add_center
from central.schedule import (
    CancelError,
    CancelScope,
    between,
    cancel_occurrence,
    get_class,
    save_class,
    todays_schedule,
)
from central.schedule_rules import WEEK_SECONDS
from central.web.settings import SEOUL

CENTER = "gangnam-1"
MONDAY_10 = datetime(2030, 3, 4, 10, 0, tzinfo=SEOUL).timestamp()
HOUR = 3600.0


@pytest.fixture
def db(central_db: Path | str) -> Database:
    """On SQLite and on PostgreSQL (tests/central/conftest.py)."""
    db = open_database(central_db)
    add_center(db, CENTER, "강남 경로당")
    return db


def draft(at: float = MONDAY_10, weekly: bool = True, room: str = "교실") -> ClassDraft:
    return ClassDraft("phone-call", at, 60, weekly, room, ("r1",), None, "ko")


def weekly_class(db: Database, at: float = MONDAY_10) -> str:
    class_id = save_class(db, CENTER, draft(at), now=at - HOUR)
    assert isinstance(class_id, str)
    return class_id


def starts(db: Database, weeks: int = 4, with_cancelled: bool = False) -> list[int]:
    """Which weeks (0 = the first) have an occurrence."""
    found = between(db, CENTER, MONDAY_10 - HOUR, MONDAY_10 + weeks * WEEK_SECONDS, with_cancelled)
    return [round((o.at - MONDAY_10) / WEEK_SECONDS) for o in found]


def test_one_occurrence_is_cancelled_and_never_reaches_the_site(db: Database) -> None:
    class_id = weekly_class(db)
    second = MONDAY_10 + WEEK_SECONDS
    cancel_occurrence(db, CENTER, class_id, second, CancelScope.ONE, now=MONDAY_10 + HOUR)
    assert starts(db) == [0, 2, 3]
    shown = between(db, CENTER, second - HOUR, second + HOUR, with_cancelled=True)
    assert [o.cancelled for o in shown] == [True]
    assert todays_schedule(db, CENTER, second - HOUR, SEOUL).classes == []
    next_week = todays_schedule(db, CENTER, second + WEEK_SECONDS - HOUR, SEOUL).classes
    assert [(c.class_id, c.starts_at) for c in next_week] == [(class_id, second + WEEK_SECONDS)]


def test_this_and_later_ends_the_series_and_keeps_its_past(db: Database) -> None:
    class_id = weekly_class(db)
    third = MONDAY_10 + 2 * WEEK_SECONDS
    cancel_occurrence(db, CENTER, class_id, third, CancelScope.LATER, now=third - HOUR)
    assert starts(db) == [0, 1]  # what happened stays in the history
    assert todays_schedule(db, CENTER, third - HOUR, SEOUL).classes == []
    assert get_class(db, CENTER, class_id).next_at(third - HOUR) is None


def test_cancelling_everything_before_it_met_cancels_the_class(db: Database) -> None:
    class_id = weekly_class(db)
    cancel_occurrence(db, CENTER, class_id, MONDAY_10, CancelScope.LATER, now=MONDAY_10 - HOUR)
    assert starts(db, with_cancelled=True) == []
    one_off = save_class(db, CENTER, draft(weekly=False), now=MONDAY_10 - HOUR)
    assert isinstance(one_off, str)
    cancel_occurrence(db, CENTER, one_off, MONDAY_10, CancelScope.ONE, now=MONDAY_10 - HOUR)
    assert starts(db, with_cancelled=True) == []


def test_a_started_or_made_up_occurrence_cannot_be_cancelled(db: Database) -> None:
    class_id = weekly_class(db)
    for at, now, key in (
        (MONDAY_10, MONDAY_10 + 60, "class_already_started"),
        (MONDAY_10 + 600, MONDAY_10 - HOUR, "not_an_occurrence"),
    ):
        with pytest.raises(CancelError) as caught:
            cancel_occurrence(db, CENTER, class_id, at, CancelScope.ONE, now=now)
        assert caught.value.key == key
    assert starts(db) == [0, 1, 2, 3]


def test_a_cancelled_occurrence_frees_the_robot(db: Database) -> None:
    class_id = weekly_class(db)
    second = MONDAY_10 + WEEK_SECONDS
    other = draft(second, weekly=False, room="2층")
    assert not isinstance(save_class(db, CENTER, other, now=MONDAY_10), str)  # r1 is busy
    cancel_occurrence(db, CENTER, class_id, second, CancelScope.ONE, now=MONDAY_10)
    assert isinstance(save_class(db, CENTER, other, now=MONDAY_10), str)


def test_changing_a_series_that_met_changes_it_from_its_next_occurrence(
    db: Database,
) -> None:
    class_id = weekly_class(db)
    now = MONDAY_10 + WEEK_SECONDS + HOUR  # it met twice
    third, fifth = MONDAY_10 + 2 * WEEK_SECONDS, MONDAY_10 + 4 * WEEK_SECONDS
    cancel_occurrence(db, CENTER, class_id, fifth, CancelScope.ONE, now=now)
    new_id = save_class(db, CENTER, draft(third, room="2층"), class_id, now=now)
    assert isinstance(new_id, str) and new_id != class_id
    rooms = [
        (round((o.at - MONDAY_10) / WEEK_SECONDS), o.klass.room, o.cancelled)
        for o in between(db, CENTER, MONDAY_10 - HOUR, MONDAY_10 + 6 * WEEK_SECONDS, True)
    ]
    assert rooms == [
        (0, "교실", False), (1, "교실", False),  # the history, as it happened
        (2, "2층", False), (3, "2층", False), (4, "2층", True), (5, "2층", False),
    ]  # fmt: skip
    # the old series is over: it can no longer be changed
    assert get_class(db, CENTER, class_id).next_at(now) is None
    ids = {c.class_id for c in todays_schedule(db, CENTER, third - HOUR, SEOUL).classes}
    assert ids == {new_id}


def test_a_class_not_met_yet_is_changed_in_place(db: Database) -> None:
    class_id = weekly_class(db)
    later = MONDAY_10 + 2 * HOUR
    assert save_class(db, CENTER, draft(later), class_id, now=MONDAY_10 - HOUR) == class_id
    assert get_class(db, CENTER, class_id).starts_at == later


def test_the_migration_keeps_the_classes_of_an_existing_database(tmp_path: Path) -> None:
    path = tmp_path / "central.db"
    old = sqlite3.connect(path)
    for script in MIGRATIONS[:5]:
        for statement in filter(str.strip, sql_of(script).split(";")):
            old.execute(statement)
    old.execute("PRAGMA user_version = 5")
    old.execute(f"INSERT INTO centers (id, name) VALUES ('{CENTER}', '강남')")
    old.execute(
        "INSERT INTO classes (id, center, lesson_id, room, starts_at, minutes, weekly, robots, "
        f"updated_at) VALUES ('class-old', '{CENTER}', 'phone-call', '교실', {MONDAY_10}, 60, "
        f"1, '[\"r1\"]', {MONDAY_10})"
    )
    old.commit()
    old.close()
    db = open_database(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert starts(db) == [0, 1, 2, 3]
    cancel_occurrence(db, CENTER, "class-old", MONDAY_10 + WEEK_SECONDS, CancelScope.ONE, now=0)
    assert starts(db) == [0, 2, 3]

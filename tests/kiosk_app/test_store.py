import os
import shutil
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest

from kiosk_app.storage.store import Learner, LessonState, Store, StoreError
from kiosk_app.teaching.settings import LearnerSettings
from lessons.events import EventKind, ProgressEvent


def event(n: int, event_id: str | None = None) -> ProgressEvent:
    return ProgressEvent(
        id=event_id or f"event-{n:04d}",
        kind=EventKind.STEP_COMPLETED,
        session_id="s1",
        learner_id="l1",
        lesson_id="phone-call",
        lesson_version=1,
        step_index=n,
        at=1000.0 + n,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "data" / "kiosk.db", kiosk_id="kiosk-1")


def test_store_file_is_in_wal_mode(store: Store, tmp_path: Path) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (tmp_path / "data" / "kiosk.db").exists()


def test_outbox_sequence_is_gap_free_and_duplicates_are_ignored(store: Store) -> None:
    assert store.record([event(1), event(2)]) == 2
    assert store.record([event(2), event(3)]) == 3  # event-0002 again: no row, no number
    rows = store.unsynced(limit=10)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert [r.event.id for r in rows] == ["event-0001", "event-0002", "event-0003"]
    assert rows[0].event == event(1)


def test_unsynced_batches_and_mark_synced_high_water_mark(store: Store) -> None:
    store.record([event(n) for n in range(1, 8)])
    assert [r.seq for r in store.unsynced(limit=3)] == [1, 2, 3]
    store.mark_synced(3)
    assert [r.seq for r in store.unsynced(limit=3)] == [4, 5, 6]
    store.mark_synced(2)  # a late, older ack never moves the mark back
    assert store.status().synced_up_to == 3
    store.mark_synced(99)  # nor past what exists
    status = store.status()
    assert (status.events, status.last_seq, status.synced_up_to, status.unsynced) == (7, 7, 7, 0)
    assert store.unsynced() == []


def test_events_and_lesson_state_are_one_transaction(store: Store) -> None:
    state = LessonState("l1", "phone-call", 4, in_progress=True, updated_at=5.0)
    store.db.execute("CREATE TRIGGER boom BEFORE INSERT ON lesson_state BEGIN "
                     "SELECT RAISE(ABORT, 'boom'); END")  # fmt: skip
    with pytest.raises(StoreError):
        store.record([event(1)], state)
    assert store.status().events == 0  # the event rolled back with the failed state write
    store.db.execute("DROP TRIGGER boom")
    store.record([event(1)], state)
    assert store.lesson_states("l1")["phone-call"] == state


def test_roster_add_rename_hide_and_apply(store: Store) -> None:
    kim = store.add_learner("  김  영희 ")
    lee = store.add_learner("이순자")
    assert kim.name == "김 영희" and kim.colour != lee.colour
    store.rename_learner(kim.id, "김영희")
    store.set_hidden(lee.id, True)
    assert [x.name for x in store.learners()] == ["김영희"]
    assert len(store.learners(include_hidden=True)) == 2
    store.apply_roster(
        [Learner("central-7", "박말순", "teal", False, 5), Learner(lee.id, "이순자", "red")]
    )
    assert [x.id for x in store.learners()] == [kim.id, lee.id, "central-7"]  # position, then name
    with pytest.raises(ValueError):
        store.add_learner("   ")


def test_settings_default_and_round_trip(store: Store) -> None:
    learner = store.add_learner("김영희")
    assert store.settings(learner.id) == LearnerSettings()
    chosen = LearnerSettings(text_size=2, speech_rate=1, high_contrast=True)
    store.save_settings(learner.id, chosen)
    assert store.settings(learner.id) == chosen


def test_full_disk_is_a_store_error_with_a_message_key(store: Store) -> None:
    store.db.execute(
        "PRAGMA max_page_count = " + str(store.db.execute("PRAGMA page_count").fetchone()[0])
    )
    with pytest.raises(StoreError) as caught:
        store.record([event(n) for n in range(400)])
    assert caught.value.key == "store.disk_full"
    assert store.status().events == 0


NOBODY = 65534  # the unprivileged user every Debian system has


def _store_error_key(path: Path) -> str:
    try:
        Store.open(path, "kiosk-1")
    except StoreError as exc:
        return exc.key
    return "no error"


def _without_privileges(path: Path) -> str:
    """`_store_error_key(path)` as a user who is not root (root ignores permissions):
    in a forked child that drops to `nobody`, so the check is real on CI, which runs as root."""
    if os.geteuid() != 0:
        return _store_error_key(path)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, try, report, leave without cleanup
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.write(write, _store_error_key(path).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as answer:
        return answer.read()


def test_read_only_data_dir_is_a_store_error() -> None:
    base = Path(tempfile.mkdtemp(prefix="sarangbang-ro-"))  # in /tmp, reachable by anyone
    folder = base / "ro"
    try:
        base.chmod(0o755)
        folder.mkdir()
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IROTH | stat.S_IXOTH)
        assert _without_privileges(folder / "kiosk.db") in {"store.read_only", "store.cannot_open"}
    finally:
        folder.chmod(stat.S_IRWXU)
        shutil.rmtree(base)


def test_read_only_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    Store.open(path, "kiosk-1").close()
    uri = f"file:{path}?mode=ro"
    from sqlite_utils import Database

    with pytest.raises(StoreError) as caught:
        Store(Database(sqlite3.connect(uri, uri=True)), "kiosk-1", str(path)).record([event(1)])
    assert caught.value.key == "store.read_only"


def test_data_dir_that_cannot_be_created_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(StoreError) as caught:
        Store.open(tmp_path / "taken" / "kiosk.db", "kiosk-1")
    assert caught.value.key == "store.cannot_open"


def completed(event_id: str, at: float, hint: int, skipped: int = 0) -> ProgressEvent:
    return ProgressEvent(
        id=event_id,
        kind=EventKind.LESSON_COMPLETED,
        session_id="s1",
        learner_id="l1",
        lesson_id="phone-call",
        lesson_version=1,
        at=at,
        detail={"mastered": True, "seconds": 60.0, "skipped": skipped, "max_hint_level": hint},
    )


def test_each_finished_run_is_kept_with_its_day_and_hint_level(store: Store) -> None:
    store.record([event(1), completed("finished-1", 1_800_000_000.0, 2)])
    store.record([completed("finished-1", 1_800_000_000.0, 2)])  # a duplicate: once
    store.record([completed("finished-2", 1_800_090_000.0, 3, skipped=1)])
    runs = store.completions("l1")
    assert [(c.max_hint_level, c.skipped, c.clean) for c in runs] == [(2, 0, True), (3, 1, False)]
    assert runs[0].day != runs[1].day  # 25 hours apart
    assert store.completions("someone-else") == []


def test_a_version_1_store_gets_its_runs_from_the_outbox(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    old = Store.open(path, kiosk_id="kiosk-1")
    old.record([event(1), completed("finished-1", 1_800_000_000.0, 1)])
    # as a version-1 store left it: no completions table, version 1
    old.db.execute("DROP TABLE completions")
    old.db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    old.db.conn.commit()
    old.close()
    store = Store.open(path, kiosk_id="kiosk-1")
    assert [c.lesson_id for c in store.completions("l1")] == ["phone-call"]
    version = store.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    assert version == ("2",)
    assert store.status().events == 2  # old data loads as before
    store.close()
    again = Store.open(path, kiosk_id="kiosk-1")  # opening again fills nothing twice
    assert len(again.completions("l1")) == 1

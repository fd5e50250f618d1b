"""Seed central for `make run`: the demo center, its roster, and a class a few minutes from
now led by the simulated robot. Safe to run again: it adds only what is missing."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from central.class_form import ClassDraft
from central.database import open_database
from central.roster import add_center, add_learner, roster_of
from central.schedule import save_class

ROSTER = ("김영희", "이순자", "박말순", "최복례", "정옥자", "강춘자")
CLASS_IN_SECONDS = 180  # time to open the kiosk and look around before the robot starts


def main(db_path: str, center: str, robot: str) -> None:
    db = open_database(Path(db_path))
    add_center(db, center, "사랑방 시범 경로당")
    if not roster_of(db, center).learners:
        for name in ROSTER:
            add_learner(db, center, name)
    already = db.execute(
        "SELECT count(*) FROM classes WHERE center = ? AND cancelled = 0 AND starts_at > ?",
        [center, time.time()],
    ).fetchone()[0]
    if not already:
        starts = time.time() + CLASS_IN_SECONDS
        draft = ClassDraft("phone-call", starts, 30, False, "1층 교육실", (robot,), None, "ko")
        save_class(db, center, draft)
        at = time.strftime("%H:%M", time.localtime(starts))
        print(f"a robot class (phone-call) starts at {at}")
    db.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])

"""Dashboard speed on a Seoul-size database: p95 of the overview, a center's progress page and
its CSV export (target ≤ 300 ms), against the floor of a bare request in the same run.

Seeds 3,500 centers, 100,000 learners and 10 million events (with the summaries intake
would have built from them) once into var/bench/, and reuses the file after that.
Run: .venv/bin/python bench/dashboard.py [--requests N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlite_utils
from fastapi.testclient import TestClient

from central.accounts import Role, create_user
from central.database import open_database, write_transaction
from central.web.app import create_app
from central.web.settings import WebSettings
from lessons.library import load_library

CENTERS = 3_500
LEARNERS = 100_000
EVENTS = 10_000_000
TARGET_MS = 300.0
SEED_FILE = Path("var/bench/dashboard-seoul.db")
SEED_VERSION = 1  # bump when the seeding changes, so an old file is not reused
PASSWORD = "bench-password-123"
CHUNK = 200_000  # rows per executemany: big transactions, bounded memory
KINDS = ("lesson_started", "step_completed", "practice_attempt", "help_requested")


def seed(path: Path) -> None:
    """Build the Seoul-size file (a few minutes), then mark it complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    db = open_database(path)
    db.execute("PRAGMA synchronous=OFF")
    rng = random.Random(7)
    lessons = sorted(load_library().lessons)
    started = time.monotonic()
    centers = [f"center-{n:04d}" for n in range(CENTERS)]
    learners = [(f"l-{n:06d}", centers[n % CENTERS]) for n in range(LEARNERS)]
    now = time.time()
    with write_transaction(db) as conn:
        conn.executemany(
            "INSERT INTO centers (id, name) VALUES (?, ?)",
            [(c, f"경로당 {n:04d}") for n, c in enumerate(centers)],
        )
        conn.executemany(
            "INSERT INTO learners (id, center, name, color) VALUES (?, ?, ?, 'blue')",
            [(lid, c, f"학습자 {n}") for n, (lid, c) in enumerate(learners)],
        )
        conn.executemany(
            "INSERT INTO devices VALUES (?, ?, ?, 1, ?, 0, 0.0, '{}')",
            [(c, k, d, now) for c in centers for k, d in (("kiosk", "kiosk-1"), ("robot", "r1"))],
        )
        summaries, steps = [], []
        for lid, center in learners:
            for lesson in rng.sample(lessons, 5):
                done = rng.random() < 0.6
                summaries.append(
                    (
                        center,
                        lid,
                        lesson,
                        1,
                        int(done),
                        int(done and rng.random() < 0.7),
                        8,
                        12,
                        rng.randrange(6),
                        rng.randrange(4),
                        rng.randrange(3),
                        3,
                        2,
                        rng.uniform(300, 1500),
                        now - 86400 * 30,
                        now - rng.uniform(0, 86400 * 30),
                        rng.randrange(10),
                    )
                )
                steps += [
                    (center, lid, lesson, f"step-{s}", rng.randrange(6), rng.randrange(3), 2)
                    for s in range(3)
                ]
        conn.executemany(f"INSERT INTO lesson_summary VALUES ({', '.join('?' * 17)})", summaries)
        conn.executemany("INSERT INTO step_summary VALUES (?, ?, ?, ?, ?, ?, ?)", steps)
    print(f"seeded roster and summaries in {time.monotonic() - started:.0f} s", flush=True)
    per_center = EVENTS // CENTERS
    rows: list[tuple[object, ...]] = []
    for n, center in enumerate(centers):
        at = now - 86400 * 30
        for i in range(per_center + (1 if n < EVENTS % CENTERS else 0)):
            at += 1.0
            lid = learners[(n + CENTERS * (i % 28)) % LEARNERS][0]
            rows.append(
                (
                    f"{center}-{i:08d}",
                    center,
                    "kiosk-1",
                    i + 1,
                    KINDS[i % 4],
                    f"s-{n}-{i // 40}",
                    lid,
                    lessons[i % len(lessons)],
                    1,
                    i % 10,
                    f"step-{i % 10}",
                    at,
                    "{}",
                    at,
                )
            )
            if len(rows) >= CHUNK:
                _insert_events(db, rows)
        if n % 500 == 0:
            print(f"  events: center {n}/{CENTERS}", flush=True)
    _insert_events(db, rows)
    create_user(db, "admin", "관리자", Role.ADMIN, PASSWORD)
    db.execute("ANALYZE")
    db.execute("CREATE TABLE bench_seed (version INTEGER)")
    db.execute("INSERT INTO bench_seed VALUES (?)", [SEED_VERSION])
    db.close()
    print(f"seeded {EVENTS:,} events in {time.monotonic() - started:.0f} s", flush=True)


def _insert_events(db: sqlite_utils.Database, rows: list[tuple[object, ...]]) -> None:
    with write_transaction(db) as conn:
        conn.executemany(f"INSERT INTO events VALUES ({', '.join('?' * 14)})", rows)
    rows.clear()


def is_seeded(path: Path) -> bool:
    if not path.exists():
        return False
    db = open_database(path)
    try:
        return db.execute("SELECT version FROM bench_seed").fetchone() == (SEED_VERSION,)
    except Exception:
        return False
    finally:
        db.close()


def p95(client: TestClient, paths: list[str]) -> tuple[float, float]:
    """(p95, median) in ms of GETting each path once, after one warm-up."""
    client.get(paths[0])
    times = []
    for path in paths:
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    return times[int(len(times) * 0.95) - 1], statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    if not is_seeded(SEED_FILE):
        print(f"seeding {SEED_FILE} (once; reused after)", flush=True)
        seed(SEED_FILE)
    db = open_database(SEED_FILE)
    counts = {t: db[t].count for t in ("centers", "learners", "lesson_summary", "step_summary")}
    db.close()
    print(f"database: {counts} + {EVENTS:,} events")
    app = create_app(WebSettings(SEED_FILE, "bench-secret" * 4))
    client = TestClient(app, follow_redirects=False)
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    login = {"username": "admin", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login).status_code == 303
    rng = random.Random(1)
    sample = [f"center-{rng.randrange(CENTERS):04d}" for _ in range(args.requests)]
    cases = {
        "floor: GET /login (no database work)": ["/login"] * args.requests,
        "overview (admin, 3,500 centers, page 1)": ["/"] * args.requests,
        "overview, page 40": ["/?page=40"] * args.requests,
        "center progress page": [f"/centers/{c}/progress" for c in sample],
        "center progress CSV": [f"/centers/{c}/progress.csv" for c in sample],
        "API progress": [f"/api/v1/centers/{c}/progress" for c in sample],
    }
    floor = None
    worst = 0.0
    for name, paths in cases.items():
        high, median = p95(client, paths)
        floor = floor or high
        if not name.startswith("floor"):
            worst = max(worst, high)
        print(
            f"{name:45s} p95 {high:7.1f} ms  median {median:7.1f} ms  ({high / floor:4.1f}× floor)"
        )
    verdict = "OK" if worst <= TARGET_MS else "OVER"
    print(f"worst p95 {worst:.1f} ms vs target {TARGET_MS:.0f} ms: {verdict}")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())

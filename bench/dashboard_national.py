"""Dashboard speed at national scale on PostgreSQL: p50/p95 of every page an instructor and
an admin open (target p95 ≤ 100 ms), against the floor of a bare request in the same run,
at several sizes (a curve up to 68,000 centers, 2 million learners, 100 million events),
with every statement's plan checked for sequential scans of big tables.

A private PostgreSQL (tests/postgres.py's, data kept in var/bench/pg-national) holds one
database per size, seeded once by server-side SQL (bench/national_seed.py) and reused;
`--fresh` seeds again. Pages are fetched through FastAPI's TestClient, signed in, each
request of a page on another center (so not one warm row). Statements are recorded while a
page is fetched once more and explained (bench/query_plans.py).
Run: .venv/bin/python bench/dashboard_national.py [--sizes 1000000,10000000] [--requests N]
(seeding runs at nice 10 in the server; `--seed-only` seeds without measuring).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient
from national_seed import PASSWORD, Size, check_summaries, seed, seeded
from national_server import BenchServer
from query_plans import StatementLog, explain

from central.db.postgres import open_postgres
from central.db.url import STATE_ENV
from central.web.app import create_app
from central.web.settings import WebSettings

ROOT = Path("var/bench/pg-national")
RESULTS = Path("var/bench/dashboard_national.json")
DEFAULT_SIZES = "1000000,10000000,30000000"
TARGET_MS = 100.0
FREE_DISK_BYTES = 30 * 2**30  # what seeding must leave free on the disk
BYTES_PER_EVENT = 400  # measured ~354 (events, their indexes, summaries): a margin
SLOW_PAGE_REQUESTS = 5  # a page taking seconds is over the target whatever its p95


@dataclass(frozen=True)
class PageResult:
    role: str
    page: str
    p50: float
    p95: float
    ratio: float  # p95 / the floor's p95
    statements: int
    big_seq_scans: list[str]
    slowest_sql_ms: float
    slowest_sql: str


def pages(size: Size, role: str, centers: list[int], rng: random.Random) -> dict[str, list[str]]:
    """Page name → the paths to fetch (one per request), on centers `role` may see."""
    n = 200
    cs = [size.center_id(rng.choice(centers)) for _ in range(n)]
    cls = [f"class-{int(c[2:])}" for c in cs]
    learner = [f"l-{-(-int(c[2:]) * size.learners // size.centers):07d}" for c in cs]
    half = size.centers // 2 // 50
    found = {
        "overview": ["/"],
        "overview, search '해운대'": ["/?q=해운대"],
        "overview, search a center id": [f"/?q={c}" for c in cs],
        "center page": [f"/centers/{c}" for c in cs],
        "roster": [f"/centers/{c}/roster" for c in cs],
        "roster, search": [f"/centers/{c}/roster?q=학습자" for c in cs],
        "progress page": [f"/centers/{c}/progress" for c in cs],
        "progress CSV": [f"/centers/{c}/progress.csv" for c in cs],
        "learner page": [f"/centers/{c}/learners/{x}" for c, x in zip(cs, learner, strict=True)],
        "schedule (week)": [f"/centers/{c}/schedule" for c in cs],
        "set-aside page": [f"/centers/{c}/set-aside" for c in cs],
        "help list": ["/help"],
        "help list, live poll": ["/help/live"],
        "class console": [f"/centers/{c}/classes/{k}" for c, k in zip(cs, cls, strict=True)],
        "class console, live poll": [
            f"/centers/{c}/classes/{k}/live" for c, k in zip(cs, cls, strict=True)
        ],
        "API centers": ["/api/v1/centers"],
        "API center": [f"/api/v1/centers/{c}" for c in cs],
        "API learners": [f"/api/v1/centers/{c}/learners" for c in cs],
        "API classes (week)": [f"/api/v1/centers/{c}/classes" for c in cs],
        "API progress": [f"/api/v1/centers/{c}/progress" for c in cs],
        "API set-aside": [f"/api/v1/centers/{c}/set-aside" for c in cs],
        "API help": ["/api/v1/help"],
    }
    if role == "admin":
        found |= {
            f"overview, page {half} (middle)": [f"/?page={half}"],
            "overview, search, page 20": ["/?q=해운대&page=20"],
            "API centers, middle page": [f"/api/v1/centers?page={half}"],
            "class across centers": ["/classes/class-0"],
            "admin: users": ["/admin/users"],
            "admin: centers": ["/admin/centers"],
            "library reach": ["/library"],
        }
    return found


def sign_in(app: object, username: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"username": username, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=form).status_code == 303, username
    return client


def timed(client: TestClient, paths: list[str], requests: int) -> tuple[float, float]:
    """(p50, p95) in ms of `requests` GETs cycling through `paths`, after one warm-up
    (SLOW_PAGE_REQUESTS only of a page whose warm-up took over a second)."""
    start = time.perf_counter()
    client.get(paths[0])
    if time.perf_counter() - start > 1.0:
        requests = min(requests, SLOW_PAGE_REQUESTS)
    times = []
    for i in range(requests):
        path = paths[i % len(paths)]
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 204), (path, response.status_code)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def measure(server: BenchServer, size: Size, requests: int, log: StatementLog) -> dict[str, object]:
    url = server.url(size.database)
    app = create_app(WebSettings(url, "bench-secret" * 4))
    explainer = open_postgres(url, size.database)
    rng = random.Random(size.events)
    step = size.centers // 5
    visible = {"teacher": [n * step for n in range(5)], "admin": list(range(size.centers))}
    results: list[PageResult] = []
    floors = {}
    for role, username in (("instructor", "teacher"), ("admin", "admin")):
        client = sign_in(app, username)
        floor = timed(client, ["/login"], requests)[1]
        floors[role] = floor
        print(f"  {size.label} {role}: floor GET /login p95 {floor:.1f} ms", flush=True)
        for name, paths in pages(size, role, visible[username], rng).items():
            p50, p95 = timed(client, paths, requests)
            with log.recording() as statements:
                assert client.get(paths[-1]).status_code in (200, 204)
            plans = explain(explainer, statements)
            slowest = max(plans, key=lambda p: p.ms)
            scans = sorted(
                {f"{s.table} ({s.table_rows:,} rows)" for p in plans for s in p.big_scans}
            )
            result = PageResult(
                role, name, p50, p95, p95 / floor, len(statements), scans, slowest.ms, slowest.sql
            )
            results.append(result)
            flag = "" if p95 <= TARGET_MS else "  OVER"
            print(
                f"  {size.label} {role:10s} {name:34s} p50 {p50:6.1f}  p95 {p95:6.1f} ms "
                f"({p95 / floor:5.1f}× floor) {len(statements):2d} sql, slowest "
                f"{slowest.ms:5.1f} ms{' SEQ ' + ', '.join(scans) if scans else ''}{flag}",
                flush=True,
            )
    explainer.close()
    return {"floors": floors, "pages": [asdict(r) for r in results]}


def ensure_seeded(server: BenchServer, size: Size, fresh: bool) -> dict[str, object]:
    """Seed `size` unless it is there; its seed time and disk use."""
    url = server.url(size.database)
    have = None if fresh else seeded(url)
    if have is None:
        free = shutil.disk_usage(ROOT).free
        if free - size.events * BYTES_PER_EVENT < FREE_DISK_BYTES:
            raise SystemExit(f"{size.label}: not enough disk ({free / 2**30:.0f} GB free)")
        print(f"seeding {size.label} into {size.database} (reused after)", flush=True)
        server.sql(f"DROP DATABASE IF EXISTS {size.database} WITH (FORCE)")
        server.sql(f"CREATE DATABASE {size.database}")
        seconds = seed(url, size, time.time(), lambda line: print(line, flush=True))
    else:
        seconds = have[1]
    sample = [f"l-{n * (size.learners // 7):07d}" for n in range(7)]
    compared = check_summaries(url, sample)
    disk = server.disk_bytes(size.database)
    print(
        f"{size.label}: {size.centers:,} centers, {size.learners:,} learners, {size.events:,} "
        f"events; seeded in {seconds:.0f} s; {disk / 2**30:.1f} GB; summaries match the "
        f"events ({compared} rows checked)",
        flush=True,
    )
    return {"seed_seconds": seconds, "disk_bytes": disk, "centers": size.centers,
            "learners": size.learners, "events": size.events}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="events per size, comma-separated")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--fresh", action="store_true", help="seed again")
    parser.add_argument("--seed-only", action="store_true")
    args = parser.parse_args()
    sizes = [Size(int(n)) for n in args.sizes.split(",")]
    os.environ.setdefault(STATE_ENV, str(Path("var/bench/national-state").resolve()))
    log = StatementLog()
    log.install()
    # sizes measured before (another run) stay in the results beside this run's
    report: dict[str, dict[str, object]] = (
        json.loads(RESULTS.read_text()) if RESULTS.exists() and not args.fresh else {}
    )
    server = BenchServer(ROOT).start()
    worst = 0.0
    try:
        for size in sizes:  # the smaller first: their numbers are in before a big seed starts
            report[size.label] = ensure_seeded(server, size, args.fresh)
            if args.seed_only:
                continue
            print(f"measuring {size.label}", flush=True)
            found = measure(server, size, args.requests, log)
            report[size.label] |= found
            worst = max([worst] + [p["p95"] for p in found["pages"]])  # type: ignore[attr-defined]
            RESULTS.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    finally:
        server.stop()
    if args.seed_only:
        return 0
    verdict = "OK" if worst <= TARGET_MS else "OVER"
    print(f"worst p95 {worst:.1f} ms vs target {TARGET_MS:.0f} ms: {verdict} ({RESULTS})")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""A wrong-password flood against the dashboard, and what it does to everyone else.

Starts the real `sarangbang-central serve` (its own process, uvicorn, a fresh SQLite file),
then measures, unloaded and while 16 threads send wrong sign-ins as fast as they can:
- "add a learner" through the roster form (a signed-in instructor's write),
- a bare write transaction from another connection (what an intake worker needs),
and prints each against its unloaded floor from the same run, plus sign-in time for a real
and an unknown user name, and the server's memory while a 200 MB form streams in.

The flood uses a new random user name and a new X-Forwarded-For address on every try (the
server runs `--behind-https-proxy`, trusting 127.0.0.1): a distributed guesser, so the
per-address and per-name waits never start and every try costs a full argon2 check. That is
the worst case for the write lock; a single-address flood is cheaper still (it is told to
wait after ten tries).

Run: .venv/bin/python bench/login_flood.py [--tree DIR]   (DIR: another checkout to measure)
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

FLOOD_THREADS = 16
BIG_FIELDS = 200  # 200 fields of ~1 MB: 200 MB sent (the report: 990 of them, ~1 GB)
SAMPLES = 40
TIMING_ROUNDS = 12
CENTER = "bench-1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """One browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int, forwarded_for: str | None = None) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.forwarded_for = forwarded_for

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            self.conn.close()  # the server closed a kept-alive connection: open a new one
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        if response.getheader("connection") == "close":
            self.conn.close()
        return response.status, text

    def csrf(self, path: str = "/login") -> str:
        match = _CSRF.search(self.request("GET", path)[1])
        assert match, path
        return match.group(1)

    def sign_in(self, username: str, password: str) -> int:
        form = {"username": username, "password": password, "csrf_token": self.csrf()}
        return self.request("POST", "/login", form)[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(tree: Path, db: Path) -> tuple[subprocess.Popen[bytes], int, str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    run = [sys.executable, "-m", "central", "--db", str(db)]
    subprocess.run([*run, "add-center", CENTER, "벤치 경로당"], env=env, check=True, cwd=tree,
                   capture_output=True)  # fmt: skip
    out = subprocess.run([*run, "create-admin", "admin"], env=env, check=True, cwd=tree,
                         capture_output=True, text=True).stdout  # fmt: skip
    password = out.split("password: ")[1].split()[0]
    port = free_port()
    server = subprocess.Popen(
        [*run, "serve", "--port", str(port), "--behind-https-proxy"],
        env=env, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            Browser(port).request("GET", "/login")
            return server, port, password
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the dashboard did not start")


def add_learner_ms(browser: Browser, errors: list[int]) -> float:
    token = browser.csrf(f"/centers/{CENTER}/roster")
    started = time.perf_counter()
    status, _ = browser.request(
        "POST", f"/centers/{CENTER}/roster", {"name": "김영희", "csrf_token": token}
    )
    took = (time.perf_counter() - started) * 1000
    if status != 303:
        errors.append(status)
    return took


def bare_write_ms(db: Path) -> float:
    """A write transaction from another connection, as an intake worker takes one."""
    conn = sqlite3.connect(db, timeout=30, isolation_level=None)
    try:
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE centers SET roster_revision = roster_revision WHERE id = ?", [CENTER])
        conn.execute("COMMIT")
        return (time.perf_counter() - started) * 1000
    except sqlite3.OperationalError:
        return float("inf")  # "database is locked": the writer gave up
    finally:
        conn.close()


def flood(port: int, stop: threading.Event, counts: dict[int, int]) -> None:
    while not stop.is_set():
        address = f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(256)}"
        browser = Browser(port, forwarded_for=address)
        try:
            status = browser.sign_in(f"guess-{secrets.token_hex(4)}", "wrong password!")
        except (OSError, http.client.HTTPException, AssertionError):
            status = 0
        counts[status] = counts.get(status, 0) + 1


def summary(name: str, values: list[float], floor: float | None = None) -> str:
    values = sorted(values)
    p95 = values[int(0.95 * (len(values) - 1))]
    median = statistics.median(values)
    text = f"{name:<38} median {median:8.1f} ms  p95 {p95:8.1f}  max {values[-1]:8.1f}"
    if floor:
        text += f"  ({median / floor:5.1f}× unloaded)"
    return text


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def big_body_growth_kib(port: int, pid: int) -> tuple[int, str]:
    """Peak RSS growth of the server while a chunked form of BIG_FIELDS fields of ~1 MB each
    streams in (the report's attack, scaled down); and its answer."""
    before = rss_kib(pid)
    peak, done = [before], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak.append(rss_kib(pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(
            b"POST /login HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            for n in range(BIG_FIELDS):
                chunk = b"&f%d=" % n + b"A" * 1_000_000
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sock.sendall(b"0\r\n\r\n")
        with contextlib.suppress(OSError):
            answer = sock.recv(200)
    time.sleep(1)
    done.set()
    sampler.join()
    return max(peak) - before, answer.split(b"\r\n", 1)[0].decode(errors="replace")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="login-flood-")) / "central.db"
    server, port, password = start_server(args.tree.resolve(), db)
    try:
        admin = Browser(port)
        assert admin.sign_in("admin", password) == 303
        real, unknown = sign_in_times(port, password)
        errors: list[int] = []
        quiet = [add_learner_ms(admin, errors) for _ in range(SAMPLES)]
        quiet_writes = [bare_write_ms(db) for _ in range(SAMPLES)]
        stop, counts = threading.Event(), {}
        threads = [threading.Thread(target=flood, args=(port, stop, counts)) for _ in range(16)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        loaded_errors: list[int] = []
        loaded = [add_learner_ms(admin, loaded_errors) for _ in range(SAMPLES)]
        loaded_writes = [bare_write_ms(db) for _ in range(SAMPLES)]
        stop.set()
        for thread in threads:
            thread.join()
        growth, answer = big_body_growth_kib(port, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print(f"tree: {args.tree.resolve()}")
    print(summary("sign-in, real name, wrong password", real))
    print(summary("sign-in, unknown name", unknown))
    print(summary("add a learner, unloaded", quiet))
    print(summary(f"add a learner, {FLOOD_THREADS}-thread login flood", loaded,
                  statistics.median(quiet)))  # fmt: skip
    print(f"  add-a-learner failures: unloaded {errors or 'none'}, flood {loaded_errors or 'none'}")
    print(summary("bare write transaction, unloaded", quiet_writes))
    print(summary("bare write transaction, login flood", loaded_writes,
                  statistics.median(quiet_writes)))  # fmt: skip
    print(f"  flood answers: {dict(sorted(counts.items()))}")
    print(
        f"{BIG_FIELDS} x 1 MB chunked form: answered {answer!r}, "
        f"server RSS peak growth {growth / 1024:.1f} MiB"
    )


def sign_in_times(port: int, password: str) -> tuple[list[float], list[float]]:
    """Wrong sign-ins for the real name and for unknown names, interleaved (so both see the
    same machine), each from a new forwarded address; a correct sign-in every few rounds
    keeps the real name's count below its free tries."""
    real: list[float] = []
    unknown: list[float] = []
    for n in range(TIMING_ROUNDS):
        browser = Browser(port, forwarded_for=f"192.0.2.{n + 1}")
        for name, into in (("admin", real), (f"nobody-{n}", unknown)):
            token = browser.csrf()
            form = {"username": name, "password": "not the password", "csrf_token": token}
            started = time.perf_counter()
            status, _ = browser.request("POST", "/login", form)
            into.append((time.perf_counter() - started) * 1000)
            assert status == 401, status
        if n % 3 == 2:
            assert browser.sign_in("admin", password) == 303
    return real, unknown


if __name__ == "__main__":
    main()

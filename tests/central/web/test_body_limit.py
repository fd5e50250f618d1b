"""Request bodies are limited before anything parses them: a real `sarangbang-central serve`
in its own process, real sockets, oversized bodies with and without Content-Length, and the
server's memory (RSS) watched while they arrive."""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from central.web.body_limit import BodyLimit
from central.web.settings import MAX_API_BYTES, MAX_FORM_BYTES
from tests.central.web.conftest import seed
from tests.mosquitto import free_port
from tests.waiting import wait_for

CHUNK = b"A" * 1_000_000  # a ~1 MB form field, as in the report (just under 1 MiB)
# The report's attack grew the server by ~1 GB per request; holding a whole 48 MiB body
# would show as ≥ 48 MiB here. A bounded server grows by a few MiB at most (buffers).
STREAMED_MIB = 48
MAX_GROWTH_KIB = 16 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """(port, pid) of the dashboard served by the real command in its own process."""
    db = tmp_path_factory.mktemp("limit") / "central.db"
    seed(db)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "central", "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
    )
    try:
        wait_for(lambda: _answers(port), timeout=30)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answers(port: int) -> bool:
    try:
        return _request(port, b"GET /login HTTP/1.1\r\nHost: t\r\n\r\n").startswith(b"HTTP/1.1")
    except OSError:
        return False


def _request(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        return _read_head(sock)


def _read_head(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        part = sock.recv(65536)
        if not part:
            break
        data += part
    return data


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _stream(port: int, head: bytes, chunks: Iterator[bytes]) -> tuple[bytes, int]:
    """Send `head`, then `chunks` until the server answers; (its answer, bytes sent)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head)
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        return _read_head(sock), sent


def _chunked(total_mib: int) -> Iterator[bytes]:
    """A form of `total_mib` fields of 1 MiB each, in chunks (no Content-Length)."""
    for n in range(total_mib):
        field = b"&f%d=" % n + CHUNK
        yield b"%x\r\n%s\r\n" % (len(field), field)
    yield b"0\r\n\r\n"


def test_a_chunked_form_is_refused_as_it_passes_the_limit(server: tuple[int, int]) -> None:
    port, pid = server
    before = _rss_kib(pid)
    head = (
        b"POST /login HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    )
    answer, sent = _stream(port, head, _chunked(STREAMED_MIB))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < STREAMED_MIB * len(CHUNK)  # refused long before the end
    assert _rss_kib(pid) - before < MAX_GROWTH_KIB


def test_a_declared_huge_upload_is_refused_before_a_byte_is_read(
    server: tuple[int, int],
) -> None:
    port, pid = server
    before = _rss_kib(pid)
    head = (
        b"POST /login HTTP/1.1\r\nHost: t\r\nContent-Length: 2147483648\r\n"
        b"Content-Type: multipart/form-data; boundary=xyz\r\n\r\n"
        b'--xyz\r\nContent-Disposition: form-data; name="f"; filename="big"\r\n\r\n'
    )
    started = time.monotonic()
    answer, _ = _stream(port, head, iter([CHUNK] * STREAMED_MIB))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - started < 10
    assert _rss_kib(pid) - before < MAX_GROWTH_KIB


def test_api_bodies_have_their_own_smaller_limit(server: tuple[int, int]) -> None:
    port, _ = server
    body = b"{" + b" " * MAX_API_BYTES + b"}"
    head = b"POST /api/v1/help/1/handled HTTP/1.1\r\nHost: t\r\nContent-Type: application/json"
    answer = _request(port, head + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    assert answer.startswith(b"HTTP/1.1 413") and b"application/json" in answer


def test_a_body_within_the_limit_is_read_as_before(server: tuple[int, int]) -> None:
    port, _ = server
    body = b"username=kim&password=x&csrf_token=" + b"x" * (MAX_FORM_BYTES - 100)
    head = b"POST /login HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded"
    answer = _request(port, head + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    assert answer.startswith(b"HTTP/1.1 403")  # read whole, then refused: no CSRF cookie


def _echo_app() -> Starlette:
    async def echo(request: Request) -> Response:
        return PlainTextResponse(str(len(await request.body())))

    return Starlette(
        routes=[Route("/{path:path}", echo, methods=["POST"])],
        middleware=[
            Middleware(BodyLimit, limit_of=lambda p: 100 if p.startswith("/api/") else 1000)
        ],
    )


@pytest.mark.parametrize(("path", "limit"), [("/api/v1/x", 100), ("/form", 1000)])
def test_the_limit_counts_streamed_bodies_without_a_length(path: str, limit: int) -> None:
    client = TestClient(_echo_app())

    def body(size: int) -> Iterator[bytes]:
        yield from (b"x" * 10 for _ in range(size // 10))

    assert client.post(path, content=body(limit)).text == str(limit)
    refused = client.post(path, content=body(limit + 10))
    assert refused.status_code == 413
    assert client.post(path, content=b"x" * (limit + 1)).status_code == 413

"""The cuttable link of the class city's tests, against a plain echo server."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest

from tests.deploy.cuttable import CuttableLink

TIMEOUT_SECONDS = 5.0


@pytest.fixture
def echo() -> Iterator[int]:
    """An echo server on a free port (a thread per connection)."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve(conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            while data := conn.recv(4096):
                conn.sendall(data)

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = server.accept()
                threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield int(server.getsockname()[1])
    server.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
    server.close()


@pytest.fixture(params=[False, True], ids=["refusing", "accepting-and-closing"])
def link(echo: int, request: pytest.FixtureRequest) -> Iterator[CuttableLink]:
    with CuttableLink("127.0.0.1", echo, accept_while_cut=request.param) as made:
        yield made


def connect(link: CuttableLink) -> socket.socket:
    return socket.create_connection(("127.0.0.1", link.port), timeout=TIMEOUT_SECONDS)


def echoes(sock: socket.socket, data: bytes) -> bool:
    """Whether `data` comes back whole (False: the link closed the connection)."""
    try:
        sock.sendall(data)
        got = b""
        while len(got) < len(data):
            chunk = sock.recv(4096)
            if not chunk:
                return False
            got += chunk
    except OSError:
        return False
    return got == data


def test_bytes_pass_both_ways_untouched(link: CuttableLink) -> None:
    data = bytes(range(256)) * 1000  # more than one read's worth, every byte value
    with connect(link) as sock:
        assert echoes(sock, data)
        assert echoes(sock, b"again")


def test_a_cut_drops_a_live_connection_at_once(link: CuttableLink) -> None:
    with connect(link) as sock:
        assert echoes(sock, b"hello")
        link.cut()
        assert sock.recv(1) == b""  # the peer closed: no waiting for a timeout


def test_new_connections_fail_while_cut_and_work_after_restore(link: CuttableLink) -> None:
    link.cut()
    assert refused(link)
    link.restore()
    with connect(link) as sock:  # on the same port
        assert echoes(sock, b"hello again")
        assert link.connections == 1


def refused(link: CuttableLink) -> bool:
    """Whether a new connection is refused, or accepted and closed before echoing."""
    try:
        with connect(link) as sock:
            return not echoes(sock, b"hello")
    except ConnectionRefusedError:
        return True

"""A TCP link that a test can cut and restore, like a center's uplink going down: a small
threaded forwarder on 127.0.0.1 to a target address. Bytes pass untouched (a TLS session
runs end to end through it). `cut()` drops every forwarded connection at once and refuses
new ones until `restore()`, which listens on the same port again (whatever connects
through the link needs no new address)."""

from __future__ import annotations

import contextlib
import socket
import threading

CHUNK_BYTES = 65536
CONNECT_SECONDS = 5.0  # the target is on this machine: it answers at once or not at all


class CuttableLink:
    """`127.0.0.1:port` → `target_host:target_port`, each accepted connection forwarded by
    two threads (one per direction) until either end closes or the link is cut.

    While cut, the link stops listening: a new connection is refused (a TCP reset), as by
    a host whose service is down. With `accept_while_cut` it is accepted and closed at once
    instead, as by a load balancer with no server behind it. Mosquitto 2.0.11's bridge
    does not survive that one: after a few TLS handshakes ended that way, its next
    successful connection sends the site broker into a busy loop that serves nobody."""

    def __init__(self, target_host: str, target_port: int, accept_while_cut: bool = False) -> None:
        self.target = (target_host, target_port)
        self.accept_while_cut = accept_while_cut
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._cut = False
        self._closed = False
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._accepting = self._listen(self._listener)

    @property
    def is_cut(self) -> bool:
        return self._cut

    @property
    def connections(self) -> int:
        """Forwarded connections open now (two sockets each)."""
        with self._lock:
            return len(self._open) // 2

    def cut(self) -> None:
        """Close every forwarded connection now; refuse new ones until `restore()`."""
        with self._lock:
            if self._cut:
                return
            self._cut = True
            dropped = list(self._open)
            self._open.clear()
        if not self.accept_while_cut:
            self._stop_listening()
        for sock in dropped:
            _drop(sock)

    def restore(self) -> None:
        with self._lock:
            if not self._cut or self._closed:
                return
            if not self.accept_while_cut:  # the same port again (SO_REUSEADDR: no wait)
                self._listener = socket.create_server(("127.0.0.1", self.port))
                self._accepting = self._listen(self._listener)
            self._cut = False

    def close(self) -> None:
        """Stop listening and drop every connection."""
        self.cut()
        with self._lock:
            self._closed = True
        self._stop_listening()

    def __enter__(self) -> CuttableLink:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _listen(self, listener: socket.socket) -> threading.Thread:
        thread = threading.Thread(
            target=self._accept, args=(listener,), name=f"cuttable-{self.port}", daemon=True
        )
        thread.start()
        return thread

    def _stop_listening(self) -> None:
        _drop(self._listener)  # shutdown wakes the accepting thread (close alone does not)
        self._accepting.join(CONNECT_SECONDS)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except ConnectionAbortedError:  # the client gave up before it was accepted
                continue
            except OSError:  # the listener closed: cut, or the link is done
                return
            with self._lock:
                refused = self._cut or self._closed
            if refused:
                _drop(client)
                continue
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=CONNECT_SECONDS)
        except OSError:
            _drop(client)
            return
        upstream.settimeout(None)
        for sock in (client, upstream):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            if self._cut or self._closed:  # cut while this one was connecting
                refused = True
            else:
                refused = False
                self._open.update((client, upstream))
        if refused:
            _drop(client)
            _drop(upstream)
            return
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        """Copy one direction until it ends, then close both ends of the pair."""
        try:
            while data := source.recv(CHUNK_BYTES):
                sink.sendall(data)
        except OSError:
            pass  # cut, or the other direction closed the pair
        with self._lock:
            self._open.discard(source)
            self._open.discard(sink)
        _drop(source)
        _drop(sink)


def _drop(sock: socket.socket) -> None:
    """Close at once, telling the peer (a FIN, or a reset if data was unread)."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()

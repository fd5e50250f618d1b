"""A real Mosquitto broker for tests: own config, free port, started and stopped at will.

Never the machine's broker on 1883: every test starts its own. A missing `mosquitto`
binary is a setup error (run `make test`, which installs it), not a skip.
"""

from __future__ import annotations

import getpass
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
START_TIMEOUT_SECONDS = 10.0


_GIVEN: set[int] = set()  # every port this process was given
_GIVING = threading.Lock()


def free_port() -> int:
    """A free TCP port on 127.0.0.1 that this process was never given before: the kernel
    may hand the same free port to two calls in a row, and a config that asks for two (a
    NATS node's client and route ports) then names one port twice (seen in CI)."""
    with _GIVING:
        for _ in range(1000):
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = int(sock.getsockname()[1])
            if port not in _GIVEN:
                _GIVEN.add(port)
                return port
    raise RuntimeError("no free port left that this process was not given before")


class Broker:
    """`mosquitto -c <dir>/<name>.conf`, ready when 127.0.0.1:`port` accepts connections.

    By default a plain anonymous listener on a free port plus `extra` config lines. A caller
    with a whole config of its own (e.g. rendered from deploy/) passes `config` and `port`.
    """

    def __init__(
        self,
        directory: Path,
        extra: str = "",
        *,
        name: str = "broker",
        config: str | None = None,
        port: int | None = None,
    ) -> None:
        if not Path(MOSQUITTO).exists():
            raise RuntimeError("mosquitto is not installed: run `make test` (it installs it)")
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.name = name
        self.log = directory / f"{name}.log"
        self.config = directory / f"{name}.conf"
        if config is None:
            config = (
                f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
                f"persistence true\npersistence_location {directory}/\nautosave_interval 1\n"
                f"{extra}\n"
            )
        # Run as whoever runs the tests: as root, mosquitto would otherwise switch to the
        # `mosquitto` user, who cannot read the test's private temporary files.
        self.config.write_text(
            f"{config}\nuser {getpass.getuser()}\n"
            f"persistence_file {name}.db\nlog_dest file {self.log}\n"
            "log_type error\nlog_type warning\nlog_type notice\n"
        )
        self.process: subprocess.Popen[bytes] | None = None
        self._held: list[socket.socket] = []

    def start(self) -> Broker:
        self._release_ports()
        self.process = subprocess.Popen(
            [MOSQUITTO, "-c", str(self.config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                log = self.log.read_text() if self.log.exists() else ""
                raise RuntimeError(f"mosquitto {self.name} exited: {error}{log}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"mosquitto {self.name} did not listen on {self.port}")

    def stop(self, hold_ports: bool = False) -> None:
        """Stop the broker. `hold_ports`: until `start`, keep its listeners' ports bound (not
        listening: a client is refused, as by a broker that is down), so that nothing else
        takes them meanwhile: in an outage of seconds, another test's broker or an outgoing
        connection's local port took a freed port, and the restart failed with "Address
        already in use" (seen in CI)."""
        self._stop()
        if hold_ports:
            for port in self.listener_ports():
                held = socket.socket()
                held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                held.bind(("127.0.0.1", port))
                self._held.append(held)

    def listener_ports(self) -> list[int]:
        """The ports of the broker's `listener` lines."""
        found = re.findall(r"^listener\s+(\d+)", self.config.read_text(), re.MULTILINE)
        return sorted({int(port) for port in found})

    def _release_ports(self) -> None:
        for held in self._held:
            held.close()
        self._held.clear()

    def _stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

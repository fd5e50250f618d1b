"""The echo of bench/console_fanout.py's floor, in a process of its own as the runners
are: on every center's broker it answers each control of the class no runner runs
(`FLOOR_CLASS`) with the sync status of the kiosk `echo`, carrying the control's tag (its
`by`), which the bridge carries up to central.

Run by the bench: bench/fanout_echo.py LOGINS.json
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink, read_password_file
from robot_bridge.protocol import topics
from robot_bridge.protocol.class_messages import ClassControl
from robot_bridge.protocol.wire import decode
from tests.deploy.city import stop
from tests.deploy.class_city import ClassCity

FLOOR_CLASS = "floor"  # a class id no runner runs
ECHO = "echo"  # the echo's kiosk id


def observer(city: ClassCity, center: str) -> BrokerAddress:
    """The center's observer login the city made (a new one would reload the broker)."""
    site = city.centers[center].site
    secret = read_password_file(site.directory / "secrets" / "observer.test.password")
    return BrokerAddress("127.0.0.1", site.port, "observer.test", secret)


@contextmanager
def echo_process(city: ClassCity, directory: Path) -> Iterator[None]:
    """The echo, in a process of its own as the runners are, answering at every center."""
    logins = []
    for center in city.centers.values():
        kiosk = center.site.login("kiosk", ECHO)
        watcher = observer(city, center.id)
        logins.append(
            {
                "center": center.id,
                "port": center.site.port,
                "in": [watcher.username, watcher.password],
                "out": [kiosk.username, kiosk.password],
            }
        )
    config = directory / "echo-logins.json"
    config.write_text(json.dumps(logins))
    config.chmod(0o600)
    process = subprocess.Popen(
        [sys.executable, __file__, str(config)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("the echo did not start")
        yield
    finally:
        stop(process)


def echo_main(config: Path) -> int:
    """Answer each floor control on every center's broker with the sync status `echo`,
    carrying the control's tag (its `by`)."""
    links: list[MqttLink] = []
    for login in json.loads(config.read_text()):
        center = login["center"]
        out = MqttLink(
            BrokerAddress("127.0.0.1", login["port"], *login["out"]), f"bench-echo-{center}", []
        )
        watched = [(ClassControl.topic(center, FLOOR_CLASS), 1)]
        inbound = MqttLink(
            BrokerAddress("127.0.0.1", login["port"], *login["in"]),
            f"bench-echo-in-{center}", watched, handle=answer(out, center),
        )  # fmt: skip
        links += [out, inbound]
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    for link in links:
        link.start()
    deadline = time.monotonic() + 60
    while not all(link.connected.is_set() for link in links):
        if time.monotonic() > deadline:
            return 1
        time.sleep(0.05)
    print("ready", flush=True)
    stopping.wait()
    for link in links:
        link.stop()
    return 0


def answer(out: MqttLink, center: str) -> Callable[[str, bytes], None]:
    topic = topics.sync_status(center, ECHO)

    def handle(_topic: str, payload: bytes) -> None:
        tag = decode(ClassControl, payload).by
        status = {"connected": True, "backlog": 0, ECHO: tag}
        out.publish(topic, json.dumps(status).encode())

    return handle


if __name__ == "__main__":
    sys.exit(echo_main(Path(sys.argv[1])))

"""Many centers' sync agents at once, for bench/sync_throughput.py: one process, an agent
thread (with its own outbox and its own MQTT connection) per center.

    python bench/site_agents.py HOST:PORT DIR…   (each DIR holds one center's data/kiosk.db)

Every agent connects first; then all start together, so the centers publish concurrently.
One process rather than one per center: 50 Python start-ups would take a 2-core machine
~25 s of CPU, and the agents would begin one by one instead of at once. Runs until killed.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk_app.storage.store import Store
from kiosk_app.sync.sync_agent import SyncAgent
from robot_bridge.link.mqtt_link import BrokerAddress, MqttLink
from robot_bridge.link.stop_signal import stop_on_signals

KIOSK = "kiosk-1"
CONNECT_SECONDS = 60.0


def center_of(directory: Path) -> str:
    return directory.name  # the bench names each center's folder after it


def run_agent(directory: Path, link: MqttLink, go: threading.Event, stop: threading.Event) -> None:
    store = Store.open(directory / "data" / "kiosk.db", KIOSK)  # a connection per thread
    agent = SyncAgent(store, link, center_of(directory), KIOSK)
    link.on_connected = agent.reconnected
    go.wait()
    try:
        agent.run(stop)
    finally:
        store.close()


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING)
    broker = BrokerAddress.parse(argv[0])
    directories = [Path(d) for d in argv[1:]]
    stop, go = stop_on_signals(), threading.Event()
    links = []
    for directory in directories:
        center = center_of(directory)
        link = MqttLink(broker, f"bench-sync-{center}", SyncAgent.subscriptions(center, KIOSK))
        links.append(link)
        threading.Thread(target=run_agent, args=(directory, link, go, stop)).start()
        link.start()
    for link in links:
        if not link.connected.wait(CONNECT_SECONDS):
            raise SystemExit("site_agents: an agent did not connect")
    go.set()
    stop.wait()
    for link in links:
        link.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""`sarangbang-sync --config kiosk.toml`: run a kiosk's sync agent against the site broker."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from kiosk_app.config import ConfigError, load_config
from kiosk_app.site_link import site_broker
from kiosk_app.storage.store import Store, StoreError
from kiosk_app.sync.sync_agent import SyncAgent, SyncStatus
from lessons.bundle import trusted_keys
from lessons.library_store import LibraryStore
from robot_bridge.library.kiosk_library import KioskLibrary
from robot_bridge.link.mqtt_link import BrokerAddress, LinkError, MqttLink
from robot_bridge.link.stop_signal import stop_on_signals
from robot_bridge.protocol import topics

LONG_DRAIN_EVENTS = 1_000  # a backlog this big gets a progress bar in the console


def progress_bar(done: int, total: int, width: int = 30) -> str:
    """'[#########.....]  3,000 / 5,000 events'"""
    filled = width if total <= 0 else min(width, width * done // total)
    return f"[{'#' * filled}{'.' * (width - filled)}] {done:,} / {total:,} events"


class DrainProgress:
    """Prints a progress bar while a long backlog drains."""

    def __init__(self) -> None:
        self.total = 0

    def __call__(self, status: SyncStatus) -> None:
        if status.backlog >= LONG_DRAIN_EVENTS and self.total == 0:
            self.total = status.backlog
        if self.total:
            done = max(0, self.total - status.backlog)
            sys.stderr.write(f"\r{progress_bar(done, self.total)}")
            if status.backlog == 0:
                sys.stderr.write("  synced\n")
                self.total = 0
            sys.stderr.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sarangbang-sync", description=__doc__)
    parser.add_argument("--config", type=Path, required=True, help="the kiosk's TOML config")
    parser.add_argument("--broker", help="site broker host:port (default: from the config)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    try:
        config = load_config(args.config)
        broker = site_broker(config)  # with the kiosk's login, if it has one
        if args.broker:
            override = BrokerAddress.parse(args.broker)
            broker = replace(broker, host=override.host, port=override.port)
        store = Store.open(config.store_path, config.kiosk_id)
    except (ConfigError, LinkError, StoreError) as exc:
        parser.exit(1, f"sarangbang-sync: {exc}\n")
    center, kiosk = config.center_id, config.kiosk_id
    link = MqttLink(
        broker,
        f"sarangbang-sync-{center}-{kiosk}",
        SyncAgent.subscriptions(center, kiosk),
        will=(topics.sync_status(center, kiosk), b'{"connected": false}'),
    )
    library = None
    if config.trusted_keys:  # this kiosk takes the libraries central publishes
        library = KioskLibrary(
            LibraryStore(config.published_dir),
            trusted_keys(config.trusted_keys),
            center,
            kiosk,
            # QoS 0: a lost request is asked again after 10 s anyway, and requests must not
            # pile up in a queue while the kiosk is away
            lambda topic, payload: link.publish(topic, payload, qos=0),
            taught=lambda: _taught(store),
            connected=link.connected.is_set,
        )
        link.subscriptions += library.subscriptions
    agent = SyncAgent(store, link, center, kiosk, on_status=DrainProgress(), library=library)
    link.on_connected = agent.reconnected  # resend at once after the site broker is back
    stop = stop_on_signals()
    link.start()
    try:
        agent.run(stop)
    finally:
        link.stop()
        store.close()
    return 0


def _taught(store: Store) -> int | None:
    """The library version the kiosk program teaches (it keeps it in the store)."""
    kept = store.kept("library_version")
    return int(kept) if kept and kept.isdigit() else None


if __name__ == "__main__":
    raise SystemExit(main())

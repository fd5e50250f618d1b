"""`sarangbang-library-keeper`: a center's copy of the lesson library central publishes,
fetched over the bridge and served to the center's kiosks (docs/lesson-publishing.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lessons.bundle import TRUST_HELP, read_trusted
from lessons.library_store import LibraryStore
from robot_bridge.library.keeper import LibraryKeeper, subscriptions
from robot_bridge.link.broker_login import add_site_arguments, site_broker
from robot_bridge.link.cli_logging import log_to_stderr
from robot_bridge.link.mqtt_link import LinkError, MqttLink
from robot_bridge.link.stop_signal import stop_on_signals
from robot_bridge.protocol.topics import TopicError

DEFAULT_DIR = Path("/var/lib/sarangbang/library")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sarangbang-library-keeper", description=__doc__)
    add_site_arguments(parser)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where versions are kept")
    parser.add_argument("--trusted-keys", type=Path, required=True, help=TRUST_HELP)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    log_to_stderr(args.verbose)
    try:
        broker = site_broker(args)
        trusted = read_trusted(args.trusted_keys)
        args.dir.mkdir(parents=True, exist_ok=True)
    except (LinkError, TopicError, ValueError, OSError) as exc:
        print(f"sarangbang-library-keeper: {exc}", file=sys.stderr)
        return 2
    link = MqttLink(broker, f"sarangbang-library-{args.center}", subscriptions(args.center))
    keeper = LibraryKeeper(LibraryStore(args.dir), trusted, link, args.center)
    link.on_connected = keeper.reconnected
    stop = stop_on_signals()
    link.start()
    try:
        keeper.run(stop)
    finally:
        link.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

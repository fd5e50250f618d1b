"""`sarangbang-site-retainer`: on a center bridged to a cluster of central nodes, republishes
retained the roster, schedule and library offer that the plain bridge delivers without their
retain flag, so the site broker keeps the latest (robot_bridge/link/retainer.py)."""

from __future__ import annotations

import argparse
import sys

from robot_bridge.link.broker_login import add_site_arguments, site_broker
from robot_bridge.link.cli_logging import log_to_stderr
from robot_bridge.link.mqtt_link import LinkError
from robot_bridge.link.retainer import Retainer
from robot_bridge.link.stop_signal import stop_on_signals
from robot_bridge.protocol.topics import TopicError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sarangbang-site-retainer", description=__doc__)
    add_site_arguments(parser)
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log each message it republishes"
    )
    args = parser.parse_args(argv)
    log_to_stderr(args.verbose)
    try:
        broker = site_broker(args)
        retainer = Retainer(broker, args.center)
    except (LinkError, TopicError) as exc:
        print(f"sarangbang-site-retainer: {exc}", file=sys.stderr)
        return 2
    retainer.run(stop_on_signals())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

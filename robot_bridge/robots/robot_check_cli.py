"""`sarangbang-robot-check`: run the conformance kit against a robot and print, check by
check, what it does right and wrong. Exit status 0 when every check passes, 1 otherwise,
2 when the broker or the arguments are wrong."""

from __future__ import annotations

import argparse
import sys
import time

from robot_bridge.link.broker_login import add_site_arguments, site_broker
from robot_bridge.link.cli_logging import log_to_stderr
from robot_bridge.link.mqtt_link import LinkError, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.topics import TopicError
from robot_bridge.robots.robot_check import RobotCheck, Wire

CONNECT_SECONDS = 5.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sarangbang-robot-check", description=__doc__)
    add_site_arguments(parser, robot="the robot's id")
    parser.add_argument("-v", "--verbose", action="store_true", help="log protocol details")
    args = parser.parse_args(argv)
    log_to_stderr(args.verbose)
    try:
        broker = site_broker(args)
    except (LinkError, TopicError) as exc:
        print(f"sarangbang-robot-check: {exc}", file=sys.stderr)
        return 2
    subscriptions = [
        (topics.robot_status(args.center, args.robot), 1),
        (topics.robot_events(args.center, args.robot), 1),
    ]
    link = MqttLink(broker, f"robot-check-{args.robot}", subscriptions)
    link.start()
    try:
        if not link.connected.wait(CONNECT_SECONDS):
            print(f"sarangbang-robot-check: cannot reach the broker {broker}", file=sys.stderr)
            return 2
        print(f"checking robot {args.robot} of center {args.center} on {broker}", flush=True)
        started = time.monotonic()
        wire = Wire(link.publish, link.inbox)
        results = []
        for result in RobotCheck(wire, args.center, args.robot).run():
            print(result, flush=True)
            results.append(result)
        failed = [r for r in results if not r.ok]
        took = time.monotonic() - started
        print(f"{len(results) - len(failed)} of {len(results)} checks passed in {took:.1f} s")
        return 1 if failed else 0
    finally:
        link.stop()


if __name__ == "__main__":
    sys.exit(main())

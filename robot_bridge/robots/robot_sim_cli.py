"""`sarangbang-robot-sim`: a simulated robot on the site broker."""

from __future__ import annotations

import argparse
import sys

from robot_bridge.link.broker_login import add_site_arguments, site_broker
from robot_bridge.link.cli_logging import log_to_stderr
from robot_bridge.link.mqtt_link import LinkError
from robot_bridge.link.stop_signal import stop_on_signals
from robot_bridge.protocol.topics import TopicError
from robot_bridge.robots import robot_sim
from robot_bridge.robots.robot_agent import RobotAgent
from robot_bridge.robots.robot_sim import SimulatedRobot


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sarangbang-robot-sim", description=__doc__)
    add_site_arguments(parser, robot="robot id")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="× real durations (0: instant, for tests)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log protocol details")
    args = parser.parse_args(argv)
    log_to_stderr(args.verbose)
    try:
        broker = site_broker(args)
    except (LinkError, TopicError) as exc:
        print(f"sarangbang-robot-sim: {exc}", file=sys.stderr)
        return 2
    print(f"robot {args.robot} of center {args.center} on {broker} (Ctrl-C to leave)", flush=True)
    stop = stop_on_signals()  # SIGTERM leaves like Ctrl-C: the robot says `offline` first
    robot_sim.SPEED = max(args.speed, 0.0)
    adapter = SimulatedRobot(args.robot, out=lambda line: print(line, flush=True))
    RobotAgent(adapter, broker, args.center, args.robot).run(stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())

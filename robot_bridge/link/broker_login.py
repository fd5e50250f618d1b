"""The site broker's login on a program's command line: `--username` and `--password-file`
(the password itself never goes on a command line, where `ps` shows it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from robot_bridge.link.mqtt_link import BrokerAddress, LinkError, read_password_file
from robot_bridge.protocol.topics import check_id


def add_login_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--username", help="login on the broker, e.g. robot.liku-1")
    parser.add_argument("--password-file", type=Path, help="file holding that login's password")


def broker_with_login(args: argparse.Namespace) -> BrokerAddress:
    """`--broker` with `--username`/`--password-file` (LinkError if they do not go together
    or the file cannot be read)."""
    if (args.username is None) != (args.password_file is None):
        raise LinkError("give --username and --password-file together")
    password = read_password_file(args.password_file) if args.password_file else None
    return BrokerAddress.parse(args.broker, username=args.username, password=password)


def add_site_arguments(parser: argparse.ArgumentParser, robot: str | None = None) -> None:
    """`--broker`, the login, `--center`, and `--robot` when `robot` says what it is for."""
    parser.add_argument("--broker", default="localhost:1883", help="HOST:PORT of the broker")
    add_login_arguments(parser)
    parser.add_argument("--center", required=True, help="center id, e.g. gangnam-1")
    if robot:
        parser.add_argument("--robot", required=True, help=f"{robot}, e.g. liku-1")


def site_broker(args: argparse.Namespace) -> BrokerAddress:
    """The broker with its login, once the center (and robot) ids are checked; LinkError or
    TopicError saying what is wrong."""
    broker = broker_with_login(args)
    check_id(args.center, "center")
    if getattr(args, "robot", None) is not None:
        check_id(args.robot, "robot")
    return broker

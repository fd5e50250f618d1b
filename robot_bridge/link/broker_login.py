"""The site broker's login on a program's command line: `--username` and `--password-file`
(the password itself never goes on a command line, where `ps` shows it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from robot_bridge.link.mqtt_link import BrokerAddress, LinkError, read_password_file


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

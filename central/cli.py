"""`sarangbang-central`: run intake workers and manage centers and rosters."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path

from central.accounts import AccountError
from central.dashboard_cli import add_dashboard_commands, run_dashboard_command
from central.database import DatabaseError, open_database
from central.intake_service import IntakeWorker
from central.roster import RosterError, add_center, add_learner
from robot_bridge.mqtt_link import BrokerAddress, LinkError
from robot_bridge.stop_signal import stop_on_signals

DEFAULT_DB = Path("var/central/central.db")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sarangbang-central", description=__doc__)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="central SQLite file")
    commands = parser.add_subparsers(dest="command", required=True)

    intake = commands.add_parser("intake", help="store every center's progress batches")
    intake.add_argument("--broker", default="localhost:1883", help="central broker host:port")
    intake.add_argument("--username")
    intake.add_argument("--password-file", type=Path)
    intake.add_argument("--cafile", type=Path, help="CA to verify the broker's TLS certificate")
    intake.add_argument("--worker-id", default="intake-1")

    center = commands.add_parser("add-center", help="register a senior center")
    center.add_argument("id")
    center.add_argument("name")

    learner = commands.add_parser("add-learner", help="add a learner to a center's roster")
    learner.add_argument("center")
    learner.add_argument("name")

    add_dashboard_commands(commands)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    try:
        return _run(args)
    except (DatabaseError, RosterError, LinkError, OSError, AccountError) as exc:
        parser.exit(1, f"sarangbang-central: {exc}\n")


def _run(args: argparse.Namespace) -> int:
    if args.command in ("serve", "create-admin", "monitor"):
        return run_dashboard_command(args)
    if args.command == "intake":
        password = args.password_file.read_text().strip() if args.password_file else None
        broker = BrokerAddress.parse(
            args.broker, username=args.username, password=password, ca_file=args.cafile
        )
        worker = IntakeWorker(args.db, broker, args.worker_id)
        worker.run(stop_on_signals())
        return 0
    db = open_database(args.db)
    if args.command == "add-center":
        add_center(db, args.id, args.name)
        print(f"center {args.id}")
    else:
        print(add_learner(db, args.center, args.name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`sarangbang-central`: run intake workers and manage centers and rosters."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from central.accounts import AccountError
from central.dashboard_cli import add_dashboard_commands, run_dashboard_command
from central.database import MIGRATIONS, DatabaseError, migrate_database, open_database
from central.db.url import parse_database
from central.intake_service import IntakeWorker, collect_garbage_less
from central.library_cli import COMMANDS as LIBRARY_COMMANDS
from central.library_cli import add_library_commands, run_library_command
from central.roster import RosterError, add_center, add_learner
from robot_bridge.link.mqtt_link import BrokerAddress, LinkError
from robot_bridge.link.stop_signal import stop_on_signals

DEFAULT_DB = Path("var/central/central.db")
DB_ENV = "SARANGBANG_CENTRAL_DB"  # central's database, so every command finds the same one


class NoDatabaseError(Exception):
    """A command that edits central's database found none where it looked."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sarangbang-central", description=__doc__)
    parser.add_argument(
        "--db",
        help="central's database: a SQLite file (or sqlite:///FILE) or "
        f"postgresql://USER@HOST/NAME (default: ${DB_ENV}, else {DEFAULT_DB}; add-center "
        "and add-learner never create the default one)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    intake = commands.add_parser("intake", help="store every center's progress batches")
    intake.add_argument("--broker", default="localhost:1883", help="central broker host:port")
    intake.add_argument("--username")
    intake.add_argument("--password-file", type=Path)
    intake.add_argument("--cafile", type=Path, help="CA to verify the broker's TLS certificate")
    intake.add_argument("--worker-id", default="intake-1")
    intake.add_argument(
        "--shared",
        action="store_true",
        help="one of several intake workers (each with its own --worker-id): split the "
        "batches among them (docs/sync.md: what a broker restart costs then)",
    )

    commands.add_parser(
        "migrate", help="bring the database's schema up to date (also done on every start)"
    )

    center = commands.add_parser("add-center", help="register a senior center")
    center.add_argument("id")
    center.add_argument("name")

    learner = commands.add_parser("add-learner", help="add a learner to a center's roster")
    learner.add_argument("center")
    learner.add_argument("name")

    add_dashboard_commands(commands)
    add_library_commands(commands)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    try:
        return _run(args)
    except (DatabaseError, RosterError, LinkError, OSError, AccountError, NoDatabaseError) as exc:
        parser.exit(1, f"sarangbang-central: {exc}\n")


def _run(args: argparse.Namespace) -> int:
    named = args.db or os.environ.get(DB_ENV) or None
    args.db = named or DEFAULT_DB
    if args.command in ("serve", "create-admin", "monitor"):
        return run_dashboard_command(args)
    if args.command in LIBRARY_COMMANDS:
        return run_library_command(args)
    if args.command == "intake":
        password = args.password_file.read_text().strip() if args.password_file else None
        broker = BrokerAddress.parse(
            args.broker, username=args.username, password=password, ca_file=args.cafile
        )
        worker = IntakeWorker(args.db, broker, args.worker_id, shared=args.shared)
        collect_garbage_less()
        worker.run(stop_on_signals())
        return 0
    url = parse_database(args.db)
    if url.path is not None and not url.path.exists():
        if named is None:  # never a second database in whatever folder this runs from
            raise NoDatabaseError(
                f"no central database at {args.db}: give --db (or set {DB_ENV}) naming "
                "central's database"
            )
        print(f"created central's database at {url.shown()}", file=sys.stderr)
    if args.command == "migrate":
        applied = migrate_database(args.db)
        print(f"{url.shown()}: schema version {len(MIGRATIONS)} ({applied} migrations applied)")
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

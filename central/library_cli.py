"""`sarangbang-central publish-key | publish-lessons | rollback-lessons | lesson-versions`:
publishing lesson libraries (docs/lesson-publishing.md). The versions and the signing key
live beside central's database; the site monitor offers the current version to every center.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central.db.url import parse_database
from central.library_offers import library_dir_beside
from central.library_publish import PublishRefused, publish, rollback, versions
from lessons.bundle import new_private_key, private_key_text, public_key_text, read_private_key
from lessons.library_store import LibraryStore

COMMANDS = ("publish-key", "publish-lessons", "rollback-lessons", "lesson-versions")
KEY_NAME = "library-signing.key"


def add_library_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    key = commands.add_parser(
        "publish-key",
        help="print the public key kiosks and centers trust (makes the signing key once)",
    )
    _key_option(key)
    publish_ = commands.add_parser(
        "publish-lessons", help="check a lesson library folder, sign it, offer it to every center"
    )
    publish_.add_argument("folder", type=Path, help="the library: lessons/, screens/, pictures/")
    publish_.add_argument("--note", default="", help="what changed, shown on the dashboard")
    _key_option(publish_)
    back = commands.add_parser("rollback-lessons", help="offer an earlier published version again")
    back.add_argument("--to", type=int, help="the version (default: the one before)")
    commands.add_parser("lesson-versions", help="list the published versions")


def _key_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--key", type=Path, help=f"the signing key (default: {KEY_NAME} beside the database)"
    )


def run_library_command(args: argparse.Namespace) -> int:
    store = LibraryStore(library_dir_beside(args.db))
    key_path = getattr(args, "key", None) or parse_database(args.db).state_dir / KEY_NAME
    try:
        if args.command == "publish-key":
            print(public_key_text(_signing_key(key_path, create=True)))
        elif args.command == "publish-lessons":
            started = time.monotonic()
            manifest = publish(store, args.folder, _signing_key(key_path), args.note)
            print(
                f"published version {manifest.version}: {len(manifest.files)} files, "
                f"{manifest.total_bytes:,} bytes, checked and signed in "
                f"{time.monotonic() - started:.1f} s; every center is offered it within seconds"
            )
        elif args.command == "rollback-lessons":
            print(f"offering version {rollback(store, args.to)} again")
        else:
            for v in versions(store):
                mark = "*" if v.current else " "
                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(v.created))
                print(f"{mark} {v.version:4d}  {when}  {v.lessons} lessons  {v.note}")
    except PublishRefused as exc:
        print(
            f"sarangbang-central: not published, {len(exc.problems)} problem(s):", file=sys.stderr
        )
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 0


def _signing_key(path: Path, create: bool = False) -> Ed25519PrivateKey:
    """Central's signing key (a 0600 file); made once by `publish-key`."""
    if not path.exists():
        if not create:
            raise PublishRefused(
                [f"no signing key at {path}: run `sarangbang-central publish-key` first"]
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(private_key_text(new_private_key()) + "\n")
    if path.stat().st_mode & 0o077:
        raise PublishRefused([f"{path}: others may read the signing key (chmod 600 it)"])
    try:
        return read_private_key(path.read_text(), str(path))
    except ValueError as exc:
        raise PublishRefused([str(exc)]) from None

"""`sarangbang-bridge`: the class runner of one center. Starts classes from the center's
schedule or an instructor's `start` on `…/classes/{class}/control`; with `--start CLASS
--lesson LESSON` it starts one class itself and exits when that class ends (the demo)."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from pathlib import Path

from lessons.bundle import TRUST_HELP, read_trusted_texts
from lessons.library import BUNDLED_LIBRARY, LibraryError, load_library
from lessons.published import PublishedLibrary
from robot_bridge.classes.bridge_service import BridgeService
from robot_bridge.classes.class_runner import PRACTICE_LIMIT_SECONDS
from robot_bridge.link.broker_login import add_site_arguments, site_broker
from robot_bridge.link.cli_logging import log_to_stderr
from robot_bridge.link.mqtt_link import LinkError
from robot_bridge.link.stop_signal import stop_on_signals
from robot_bridge.protocol.class_messages import ClassControl, ClassStatus, ControlAction, Lang
from robot_bridge.protocol.topics import TopicError

log = logging.getLogger("sarangbang-bridge")

# The demo waits this long for its robots' retained status before starting without them.
ROBOTS_WAIT_SECONDS = 5.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sarangbang-bridge", description=__doc__)
    add_site_arguments(parser)
    parser.add_argument("--library", type=Path, default=BUNDLED_LIBRARY, help="lesson library")
    parser.add_argument(
        "--published",
        type=Path,
        metavar="DIR",
        help="the keeper's folder of libraries central published (sarangbang-library-keeper "
        "--dir): teach its current version, else --library",
    )
    parser.add_argument("--trusted-keys", type=Path, help=TRUST_HELP + ", with --published")
    parser.add_argument("--start", metavar="CLASS", help="start this class now, exit at its end")
    parser.add_argument("--lesson", help="lesson of the class given with --start")
    parser.add_argument("--robots", default="", help="robots of that class, comma-separated")
    parser.add_argument("--lang", choices=("ko", "en"), default="ko")
    parser.add_argument(
        "--practice-seconds",
        type=float,
        default=PRACTICE_LIMIT_SECONDS,
        help="longest wait for the kiosks to finish a practice (a demo without kiosks: 2)",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    log_to_stderr(args.verbose)
    try:
        broker = site_broker(args)
        published = _published(args)
        loaded = published.first() if published else None
        library = loaded.library if loaded else load_library(args.library)
    except (LinkError, TopicError, LibraryError, ValueError, OSError) as exc:
        print(f"sarangbang-bridge: {exc}", file=sys.stderr)
        return 2
    if args.start and not args.lesson:
        parser.error("--start needs --lesson")
    stop = stop_on_signals()
    service = BridgeService(
        broker,
        args.center,
        library,
        practice_limit=args.practice_seconds,
        published=published,
        library_version=loaded.version if loaded else None,
    )
    service.start()
    try:
        if args.start:
            return _run_one(service, args.start, args.lesson, args.robots, args.lang, stop)
        stop.wait()
        return 0
    finally:
        service.close()


def _published(args: argparse.Namespace) -> PublishedLibrary | None:
    """The keeper's published libraries, when given; a keys file not there yet (a center
    whose credentials carried no key) means the --library folder only, said once."""
    if args.published is None:
        return None
    if args.trusted_keys is None:
        raise ValueError("give --trusted-keys with --published")
    if not args.trusted_keys.exists():
        log.warning("no %s: teaching %s only", args.trusted_keys, args.library)
        return None
    keys = read_trusted_texts(args.trusted_keys)  # a ValueError names a bad key and its line
    return PublishedLibrary(args.published, keys, args.library)


def _run_one(
    service: BridgeService,
    class_id: str,
    lesson: str,
    robots: str,
    lang: Lang,
    stop: threading.Event,
) -> int:
    """Start one class (through the broker, as an instructor would) once its robots have
    said they are there or after a short wait; return when it ends (1 if stopped first)."""
    wanted = [r for r in robots.split(",") if r]
    deadline = time.monotonic() + ROBOTS_WAIT_SECONDS
    # Reading the runner's dicts from this thread is safe: they are only ever replaced whole.
    while time.monotonic() < deadline and not set(wanted) <= set(service.bridge.robots):
        if stop.wait(0.05):
            return 1
    start = ClassControl(action=ControlAction.START, lesson_id=lesson, robots=wanted, lang=lang)
    service.link.publish(start.topic(service.bridge.center, class_id), start.encode())
    while not stop.wait(0.2):
        run = service.bridge.classes.get(class_id)
        if run and not run.active:
            print(f"class {class_id}: {run.status}", flush=True)
            return 0 if run.status == ClassStatus.FINISHED else 1
    return 1


if __name__ == "__main__":
    sys.exit(main())

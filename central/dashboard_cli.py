"""`sarangbang-central serve | create-admin | monitor`: the dashboard's commands."""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from central.accounts import (
    AccountError,
    Role,
    create_user,
    generate_password,
    normalise_username,
)
from central.class_controls import ControlLink
from central.database import open_database
from central.db.url import parse_database
from central.site_monitor import SiteMonitor
from central.web.i18n import translate
from central.web.settings import TIMEZONE, WebSettings
from robot_bridge.link.mqtt_link import BrokerAddress
from robot_bridge.link.stop_signal import stop_on_signals

log = logging.getLogger(__name__)
DEFAULT_PORT = 8470  # not 8000/8080, which other development servers tend to hold
SECRET_BYTES = 32
# On SIGINT/SIGTERM uvicorn waits for open requests (a browser's keep-alive, a slow export)
# this long, then closes them: the dashboard must be gone within 3 s of a stop signal.
GRACEFUL_SHUTDOWN_SECONDS = 1  # uvicorn takes whole seconds
# `serve` waits this long for its site monitor to say goodbye to the broker.
MONITOR_STOP_SECONDS = 1.0


def add_dashboard_commands(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the instructor dashboard (and site monitor)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument(
        "--secret-file",
        type=Path,
        help="file holding the key that signs session cookies (made on first use; "
        "default: session-secret next to the database)",
    )
    serve.add_argument("--certfile", type=Path, help="TLS certificate: serve https")
    serve.add_argument("--keyfile", type=Path, help="TLS key for --certfile")
    serve.add_argument(
        "--behind-https-proxy",
        action="store_true",
        help="a TLS proxy in front: mark cookies Secure, send HSTS and trust its "
        "X-Forwarded-* headers (the client address for sign-in waits comes from them)",
    )
    serve.add_argument(
        "--proxy-address",
        default="127.0.0.1",
        help="with --behind-https-proxy: the proxy's address(es), comma-separated; "
        "X-Forwarded-* from anyone else is ignored (default: 127.0.0.1)",
    )
    _broker_options(serve, required=False)

    admin = commands.add_parser("create-admin", help="create an admin; prints its password once")
    admin.add_argument("username")
    admin.add_argument("--name", default="관리자", help="display name")

    monitor = commands.add_parser(
        "monitor", help="record kiosk/robot status and help calls; publish schedules"
    )
    _broker_options(monitor, required=True)


def run_dashboard_command(args: argparse.Namespace) -> int:
    if args.command == "create-admin":
        password = generate_password()
        try:
            create_user(open_database(args.db), args.username, args.name, Role.ADMIN, password)
        except AccountError as exc:  # say it in words, not as a message key
            raise AccountError(translate(exc.key, "en"), exc.field) from None
        print(f"admin {normalise_username(args.username)} password: {password}")
        print("(shown only now: keep it somewhere safe, or reset it from another admin)")
        return 0
    if args.command == "monitor":
        _run_monitor(args.db, _broker(args), stop_on_signals())
        return 0
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from central.web.app import create_app

    secret_file = args.secret_file or parse_database(args.db).state_dir / "session-secret"
    settings = WebSettings(
        db_path=args.db,
        secret_key=load_secret(secret_file),
        secure_cookies=bool(args.certfile or args.behind_https_proxy),
    )
    # the dashboard's own link to central's broker, for the class console's controls
    controls = ControlLink(_broker(args)).start() if args.broker else None
    app = create_app(settings, controls)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=args.host,
            port=args.port,
            ssl_certfile=str(args.certfile) if args.certfile else None,
            ssl_keyfile=str(args.keyfile) if args.keyfile else None,
            proxy_headers=bool(args.behind_https_proxy),
            forwarded_allow_ips=args.proxy_address,
            log_level="info",
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        )
    )
    # uvicorn installs no signal handlers off the main thread: the stop signals stay ours
    stop = stop_on_signals(then=lambda: setattr(server, "should_exit", True))
    web = threading.Thread(target=server.run, name="dashboard", daemon=True)
    web.start()
    monitor = None
    if args.broker:
        monitor = threading.Thread(
            target=_run_monitor, args=(args.db, _broker(args), stop), daemon=True
        )
        monitor.start()
    web.join()  # until a stop signal, or the server could not start (its port taken)
    stop.set()
    if monitor is not None:
        monitor.join(MONITOR_STOP_SECONDS)
    if controls is not None:
        controls.stop()
    return 0 if server.started else 1


def load_secret(path: Path) -> str:
    """The session-signing key in `path`, made (readable by the owner only) if missing.
    Every dashboard process signs with it: one made by two starting at once is the same
    (written aside, then linked into place; the loser reads the winner's)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(SECRET_BYTES))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def _run_monitor(db: Path | str, broker: BrokerAddress, stop: threading.Event) -> None:
    from zoneinfo import ZoneInfo

    SiteMonitor(db, broker, ZoneInfo(TIMEZONE)).run(stop)


def _broker_options(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument(
        "--broker",
        required=required,
        help="central broker host:port (serve: also run the site monitor)",
    )
    parser.add_argument("--username")
    parser.add_argument("--password-file", type=Path)
    parser.add_argument("--cafile", type=Path, help="CA to verify the broker's TLS certificate")


def _broker(args: argparse.Namespace) -> BrokerAddress:
    password = args.password_file.read_text().strip() if args.password_file else None
    return BrokerAddress.parse(
        args.broker, username=args.username, password=password, ca_file=args.cafile
    )

"""The dashboard application: `create_app(settings)` wires middleware, routers and errors."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central.class_controls import ControlLink
from central.web import errors
from central.web.body_limit import API_PREFIX, BodyLimit
from central.web.connections import Connections
from central.web.routes import (
    account,
    admin,
    api,
    class_group,
    class_start,
    classes,
    help,
    library,
    overview,
    progress,
    roster,
    schedule,
    session,
    set_aside,
)
from central.web.settings import HSTS_SECONDS, WebSettings
from lessons.library import load_library

SESSION_COOKIE = "sarangbang_session"
# Pages load only what the dashboard serves itself: no inline script, no other origin, and
# no framing (clickjacking).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",  # pages show learners' names: keep them out of caches
}
HSTS = f"max-age={HSTS_SECONDS}"


class SecurityHeaders:
    """Every answer (errors and 413 included) gets SECURITY_HEADERS; an https one (served
    so, or `secure_cookies` for behind an https proxy) also Strict-Transport-Security."""

    def __init__(self, app: ASGIApp, always_https: bool) -> None:
        self.app = app
        self.always_https = always_https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = self.always_https or scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: WebSettings, controls: ControlLink | None = None) -> FastAPI:
    """The dashboard; `controls` is its link to central's broker for class controls (None:
    the console shows classes but cannot send controls)."""
    app = FastAPI(
        title="Sarangbang central API",
        version="1",
        description="What the instructor dashboard shows, as JSON, with the same permissions: "
        "sign in through /login (session cookie); writes need the X-CSRF-Token header "
        "(from GET /api/v1/me).",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by api.py to signed-in users only
    )
    app.state.settings = settings
    app.state.connections = Connections(settings.db_path)
    app.state.library = load_library()
    app.state.controls = controls
    # Added innermost first: a request meets SecurityHeaders (so every answer, a 413 too,
    # carries them), then BodyLimit (before anything reads the body), then the cookie.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_seconds,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(
        BodyLimit,
        limit_of=lambda path: (
            settings.max_api_bytes if path.startswith(API_PREFIX) else settings.max_form_bytes
        ),
    )
    app.add_middleware(SecurityHeaders, always_https=settings.secure_cookies)

    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for module in (
        session,
        overview,
        roster,
        schedule,
        progress,
        set_aside,
        classes,
        class_start,
        class_group,
        help,
        admin,
        library,
        api,
    ):
        app.include_router(module.router)
    app.include_router(account.router)
    app.include_router(api.docs_router)
    errors.install(app)
    return app

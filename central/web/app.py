"""The dashboard application: `create_app(settings)` wires middleware, routers and errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from central.web import errors
from central.web.connections import Connections
from central.web.routes import admin, api, help, overview, progress, roster, schedule, session
from central.web.settings import WebSettings
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


def create_app(settings: WebSettings) -> FastAPI:
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
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_seconds,
        same_site="lax",
        https_only=settings.secure_cookies,
    )

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for module in (session, overview, roster, schedule, progress, help, admin, api):
        app.include_router(module.router)
    app.include_router(api.docs_router)
    errors.install(app)
    return app

"""Every error as a friendly page (or JSON under /api), never a traceback."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from central.web.auth import AdminOnly, NotSignedIn, optional_user
from central.web.csrf import CsrfError
from central.web.i18n import translate
from central.web.permissions import NotVisible
from central.web.render import lang_of, render

log = logging.getLogger(__name__)
API_PREFIX = "/api/"
_KEYS = {401: "login_required", 403: "error_403", 404: "error_404", 422: "error_422"}


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def error_response(request: Request, status: int, key: str, detail: Any = None) -> Response:
    """JSON `{"error": key, "message": words}` for the API; an error page for a person."""
    message = translate(key, lang_of(request))
    if is_api(request):
        body: dict[str, Any] = {"error": key, "message": message}
        if detail is not None:
            body["detail"] = detail
        return JSONResponse(body, status_code=status)
    user = optional_user(request)
    return render(request, "error.html", user, status_code=status, message=message)


def install(app: FastAPI) -> None:
    async def not_signed_in(request: Request, _exc: Exception) -> Response:
        if is_api(request):
            return error_response(request, 401, "login_required")
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        key = _KEYS.get(status, "error_500" if status >= 500 else "error_422")
        return error_response(request, status, key)

    async def invalid(request: Request, exc: Exception) -> Response:
        detail = exc.errors() if isinstance(exc, RequestValidationError) else None
        safe = [{"loc": e.get("loc"), "msg": e.get("msg")} for e in detail or []]
        return error_response(request, 422, "error_422", safe if is_api(request) else None)

    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(request, 500, "error_500")

    handlers: dict[type[Exception], Any] = {
        NotSignedIn: not_signed_in,
        AdminOnly: lambda r, _e: error_response(r, 403, "error_403"),
        NotVisible: lambda r, _e: error_response(r, 404, "error_404"),
        CsrfError: lambda r, _e: error_response(r, 403, "error_csrf"),
        HTTPException: http_error,
        RequestValidationError: invalid,
        Exception: crashed,
    }
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)

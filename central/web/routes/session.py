"""Signing in and out, and the interface language."""

from __future__ import annotations

import threading
from math import ceil
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from central.accounts import (
    HASH_WAIT_SECONDS,
    Login,
    LoginResult,
    authenticate,
    normalise_username,
)
from central.web import auth, csrf, known_browser
from central.web.connections import Connections
from central.web.i18n import Lang, pick_lang, translate
from central.web.render import lang_of, render
from central.web.settings import WebSettings

router = APIRouter(include_in_schema=False)
# Sign-ins run on the server's worker threads (40 in all) and mostly wait for a hashing
# slot (central/accounts.py: two at once). Past this many at once a sign-in is told to come
# back (503) at once, so a flood can never take the threads that pages and forms need.
MAX_SIGN_INS_AT_ONCE = 8
_SIGN_INS = threading.BoundedSemaphore(MAX_SIGN_INS_AT_ONCE)
Form = Annotated[FormData, Depends(csrf.checked_form)]


def safe_next(target: object) -> str:
    """Only a path on this site (never `//evil.example` or `https://…`)."""
    if isinstance(target, str) and target.startswith("/") and not target.startswith("//"):
        return target if "\\" not in target else "/"
    return "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", None, next=safe_next(next), error=None, username="")


@router.post("/login")
def login(request: Request, form: Form) -> Response:
    """Sign in. Real and unknown names get the same answers in the same time; see
    central/login_throttle.py for how repeated failures are slowed down."""
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    connections: Connections = request.app.state.connections
    settings: WebSettings = request.app.state.settings
    name = normalise_username(username)
    if not _SIGN_INS.acquire(blocking=False):
        outcome = Login(LoginResult.BUSY, retry_after=HASH_WAIT_SECONDS)
    else:
        try:
            outcome = authenticate(
                connections.get(),
                username,
                password,
                address=request.client.host if request.client else "",
                device=known_browser.device_for(request, name),
                policy=settings.login_policy,
            )
        finally:
            _SIGN_INS.release()
    if outcome.result is LoginResult.OK and outcome.user:
        auth.sign_in(request, outcome.user)
        response = RedirectResponse(safe_next(form.get("next")), status_code=303)
        known_browser.remember(request, response, name)
        return response
    lang = lang_of(request)
    headers = {}
    if outcome.result is LoginResult.WAIT:
        error = translate("login_wait", lang, wait=_wait_words(outcome.retry_after, lang))
        status, headers = 429, {"Retry-After": str(ceil(outcome.retry_after))}
    elif outcome.result is LoginResult.BUSY:
        error = translate("login_busy", lang)
        status, headers = 503, {"Retry-After": str(ceil(outcome.retry_after))}
    else:
        error, status = translate("login_wrong", lang), 401
    page = render(
        request,
        "login.html",
        None,
        status_code=status,
        next=safe_next(form.get("next")),
        error=error,
        username=username[:40],
    )
    page.headers.update(headers)
    return page


def _wait_words(seconds: float, lang: Lang) -> str:
    if seconds < 60:
        return translate("wait_seconds", lang, n=max(1, ceil(seconds)))
    return translate("wait_minutes", lang, n=ceil(seconds / 60))


@router.post("/logout")
def logout(request: Request, _form: Form) -> Response:
    auth.sign_out(request)
    return RedirectResponse("/login", status_code=303)


@router.post("/lang")
def switch_lang(request: Request, form: Form) -> Response:
    request.session["lang"] = pick_lang(form.get("lang"))
    return RedirectResponse(safe_next(form.get("next")), status_code=303)

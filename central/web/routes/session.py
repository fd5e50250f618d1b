"""Signing in and out, and the interface language."""

from __future__ import annotations

import time
from math import ceil
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from central.accounts import LoginResult, authenticate
from central.web import auth, csrf
from central.web.connections import Connections
from central.web.i18n import pick_lang, translate
from central.web.render import lang_of, render

router = APIRouter(include_in_schema=False)
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
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    connections: Connections = request.app.state.connections
    outcome = authenticate(connections.get(), username, password)
    if outcome.result is LoginResult.OK and outcome.user:
        auth.sign_in(request, outcome.user)
        return RedirectResponse(safe_next(form.get("next")), status_code=303)
    if outcome.result is LoginResult.LOCKED:
        minutes = max(1, ceil((outcome.locked_until - time.time()) / 60))
        error = translate("login_locked", lang_of(request), minutes=minutes)
        status = 429
    else:
        error, status = translate("login_wrong", lang_of(request)), 401
    return render(
        request,
        "login.html",
        None,
        status_code=status,
        next=safe_next(form.get("next")),
        error=error,
        username=username[:40],
    )


@router.post("/logout")
def logout(request: Request, _form: Form) -> Response:
    auth.sign_out(request)
    return RedirectResponse("/login", status_code=303)


@router.post("/lang")
def switch_lang(request: Request, form: Form) -> Response:
    request.session["lang"] = pick_lang(form.get("lang"))
    return RedirectResponse(safe_next(form.get("next")), status_code=303)

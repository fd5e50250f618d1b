"""Your own account: change your password (the current one first, checked like a sign-in)."""

from __future__ import annotations

from math import ceil
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from central.accounts import (
    MAX_PASSWORD_LENGTH,
    AccountError,
    HashingBusy,
    LoginResult,
    authenticate,
    check_password,
    set_password,
)
from central.web import auth, csrf, known_browser
from central.web.auth import CurrentUser
from central.web.render import flash, render
from central.web.settings import WebSettings

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(csrf.checked_form)]
PAGE = "/account/password"


@router.get(PAGE)
def password_page(request: Request, user: CurrentUser) -> Response:
    return render(request, "account.html", user, errors={})


@router.post(PAGE)
def change_password(request: Request, user: CurrentUser, form: Form) -> Response:
    """A new password after the current one, which counts as a sign-in try (the same
    waits after failures), so a borrowed session cannot guess it; other sessions end."""
    current = str(form.get("current_password", ""))[:MAX_PASSWORD_LENGTH]
    new, again = str(form.get("new_password", "")), str(form.get("new_password_again", ""))
    errors = _form_errors(current, new, again)
    if errors:
        return _refused(request, user, errors)
    settings: WebSettings = request.app.state.settings
    db = request.app.state.connections.get()
    checked = authenticate(
        db,
        user.username,
        current,
        address=request.client.host if request.client else "",
        device=known_browser.device_for(request, user.username),
        policy=settings.login_policy,
    )
    if checked.result is LoginResult.WAIT:
        minutes = str(max(1, ceil(checked.retry_after / 60)))
        return _refused(request, user, {"current_password": ("password_wait", minutes)}, 429)
    if checked.result is LoginResult.BUSY:
        return _refused(request, user, {"current_password": ("login_busy", "")}, 503)
    if checked.result is not LoginResult.OK:
        return _refused(request, user, {"current_password": ("current_password_wrong", "")})
    try:
        set_password(db, user.id, new)  # ends every session of the account …
    except HashingBusy:
        return _refused(request, user, {"current_password": ("login_busy", "")}, 503)
    auth.sign_in(request, user)  # … and this browser goes on in a new one
    flash(request, "password_changed")
    return RedirectResponse("/", status_code=303)


def _form_errors(current: str, new: str, again: str) -> dict[str, tuple[str, str]]:
    """Problems seen without checking a hash: (message key, value) per field."""
    errors: dict[str, tuple[str, str]] = {}
    if not current:
        errors["current_password"] = ("required", "")
    try:
        check_password(new)
    except AccountError as exc:
        errors["new_password"] = (exc.key, "")
    if "new_password" not in errors and new == current:
        errors["new_password"] = ("password_unchanged", "")
    if new != again:
        errors["new_password_again"] = ("password_mismatch", "")
    return errors


def _refused(
    request: Request, user: CurrentUser, errors: dict[str, tuple[str, str]], status: int = 422
) -> Response:
    context: dict[str, Any] = {"errors": errors}
    return render(request, "account.html", user, status_code=status, **context)

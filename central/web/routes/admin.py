"""Admin pages: instructors (create, assign centers, reset password, disable and enable
again) and centers (add)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from central.accounts import (
    AccountError,
    Role,
    create_user,
    generate_password,
    get_user,
    list_users,
    normalise_username,
    set_centers,
    set_disabled,
    set_password,
)
from central.roster import MAX_CENTER_NAME, RESERVED_CENTER_PREFIXES, add_center
from central.text_input import TextError, clean_text
from central.web import csrf
from central.web.auth import Admin
from central.web.permissions import NotVisible
from central.web.render import flash, render

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(csrf.checked_form)]
UserId = Annotated[int, Path(ge=1, le=2**62)]
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")


@router.get("/admin/users")
def users_page(request: Request, admin: Admin) -> Response:
    return _users(request, admin)


@router.post("/admin/users")
def create_instructor(request: Request, admin: Admin, form: Form) -> Response:
    fields = {k: str(v) for k, v in form.items()}
    password = generate_password()
    try:
        create_user(
            request.app.state.connections.get(),
            fields.get("username", ""),
            fields.get("display_name", ""),
            Role.INSTRUCTOR,
            password,
            _center_ids(fields.get("centers", "")),
        )
    except AccountError as exc:
        return _users(request, admin, {exc.field: exc.key}, fields, 422)
    username = normalise_username(fields.get("username", ""))
    return _users(request, admin, new_password=(username, password))


@router.post("/admin/users/{user_id}/centers")
def assign(request: Request, admin: Admin, user_id: UserId, form: Form) -> Response:
    db = request.app.state.connections.get()
    if get_user(db, user_id) is None:
        raise NotVisible(user_id)
    try:
        set_centers(db, user_id, _center_ids(str(form.get("centers", ""))))
    except AccountError as exc:
        return _users(request, admin, {f"centers-{user_id}": exc.key}, status_code=422)
    flash(request, "centers_saved")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/password")
def reset_password(request: Request, admin: Admin, user_id: UserId, _form: Form) -> Response:
    db = request.app.state.connections.get()
    target = get_user(db, user_id)
    if target is None:
        raise NotVisible(user_id)
    password = generate_password()
    set_password(db, user_id, password)
    return _users(request, admin, new_password=(target.username, password))


@router.post("/admin/users/{user_id}/disabled")
def disable(request: Request, admin: Admin, user_id: UserId, form: Form) -> Response:
    """Disable an account (its sessions end at once) or enable it again."""
    db = request.app.state.connections.get()
    target = get_user(db, user_id, include_disabled=True)
    if target is None:
        raise NotVisible(user_id)
    disabled = form.get("disabled") == "1"
    try:
        set_disabled(db, admin.id, user_id, disabled)
    except AccountError as exc:
        return _users(request, admin, {f"disabled-{user_id}": exc.key}, status_code=422)
    done = "account_disabled_done" if disabled else "account_enabled_done"
    flash(request, done, user=target.username)
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/centers")
def centers_page(request: Request, admin: Admin) -> Response:
    return _centers(request, admin)


@router.post("/admin/centers")
def create_center(request: Request, admin: Admin, form: Form) -> Response:
    center_id = str(form.get("center_id", "")).strip().lower()
    name = str(form.get("name", ""))
    errors = {}
    db = request.app.state.connections.get()
    if not _SLUG.match(center_id) or len(center_id) > 64:
        errors["center_id"] = "center_id_format"
    elif center_id.startswith(RESERVED_CENTER_PREFIXES):  # central's own logins and client ids
        errors["center_id"] = "center_id_reserved"
    elif db.execute("SELECT 1 FROM centers WHERE id = ?", [center_id]).fetchone():
        errors["center_id"] = "center_id_taken"
    try:
        name = clean_text(name, MAX_CENTER_NAME)
    except TextError as exc:
        errors["name"] = "name_length" if exc.key == "text_length" else exc.key
    if errors:
        typed = {"center_id": center_id[:64], "name": name[:200]}
        return _centers(request, admin, errors, typed, 422)
    add_center(db, center_id, name)
    flash(request, "center_added", name=name)
    return RedirectResponse("/admin/centers", status_code=303)


def _users(
    request: Request,
    admin: Admin,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
    new_password: tuple[str, str] | None = None,
) -> Response:
    users = list_users(request.app.state.connections.get(), include_disabled=True)
    context: dict[str, Any] = {
        "users": users,
        "errors": errors or {},
        "typed": typed or {},
        "new_password": new_password,
    }
    return render(request, "admin_users.html", admin, status_code=status_code, **context)


def _centers(
    request: Request,
    admin: Admin,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    db = request.app.state.connections.get()
    count = db.execute("SELECT count(*) FROM centers").fetchone()[0]
    context: dict[str, Any] = {"count": count, "errors": errors or {}, "typed": typed or {}}
    return render(request, "admin_centers.html", admin, status_code=status_code, **context)


def _center_ids(text: str) -> set[str]:
    return {part.strip().lower() for part in text.replace("，", ",").split(",") if part.strip()}

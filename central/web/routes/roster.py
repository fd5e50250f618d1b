"""A center's roster: add, rename, hide learners. Every change bumps the roster revision, and
intake publishes the new roster (retained) to the center within a second."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from central.roster import (
    RosterError,
    add_learner,
    clean_learner_name,
    roster_of,
    update_learner,
)
from central.web import csrf
from central.web.auth import CurrentUser
from central.web.permissions import Center, NotVisible
from central.web.render import flash, render

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(csrf.checked_form)]
LearnerId = Annotated[str, Path(max_length=64)]
MAX_TYPED = 200  # what a refused name shows back in the field


@router.get("/centers/{center}/roster")
def roster_page(request: Request, user: CurrentUser, center: Center) -> Response:
    return _page(request, user, center)


@router.post("/centers/{center}/roster")
def add(request: Request, user: CurrentUser, center: Center, form: Form) -> Response:
    name = str(form.get("name", ""))
    try:
        name = clean_learner_name(name)
        add_learner(request.app.state.connections.get(), center.id, name)
    except RosterError as exc:
        return _page(request, user, center, {"name": exc.key}, name[:MAX_TYPED], 422)
    flash(request, "learner_added", name=name)
    return RedirectResponse(f"/centers/{center.id}/roster", status_code=303)


@router.post("/centers/{center}/roster/{learner_id}")
def rename(
    request: Request, user: CurrentUser, center: Center, learner_id: LearnerId, form: Form
) -> Response:
    _require_learner(request, center.id, learner_id)
    name = str(form.get("name", ""))
    try:
        name = clean_learner_name(name)
        update_learner(request.app.state.connections.get(), learner_id, name=name)
    except RosterError as exc:
        errors = {f"name-{learner_id}": exc.key}
        return _page(request, user, center, errors, status_code=422)
    flash(request, "learner_renamed", name=name)
    return RedirectResponse(f"/centers/{center.id}/roster", status_code=303)


@router.post("/centers/{center}/roster/{learner_id}/hidden")
def set_hidden(
    request: Request, user: CurrentUser, center: Center, learner_id: LearnerId, form: Form
) -> Response:
    name = _require_learner(request, center.id, learner_id)
    hidden = form.get("hidden") == "1"
    update_learner(request.app.state.connections.get(), learner_id, hidden=hidden)
    flash(request, "learner_hidden" if hidden else "learner_shown", name=name)
    return RedirectResponse(f"/centers/{center.id}/roster", status_code=303)


def _require_learner(request: Request, center: str, learner_id: str) -> str:
    row = (
        request.app.state.connections.get()
        .execute("SELECT name FROM learners WHERE id = ? AND center = ?", [learner_id, center])
        .fetchone()
    )
    if row is None:
        raise NotVisible(learner_id)
    return str(row[0])


def _page(
    request: Request,
    user: CurrentUser,
    center: Center,
    errors: dict[str, str] | None = None,
    typed: str = "",
    status_code: int = 200,
) -> Response:
    roster = roster_of(request.app.state.connections.get(), center.id)
    return render(
        request,
        "roster.html",
        user,
        status_code=status_code,
        center=center,
        learners=roster.learners,
        errors=errors or {},
        typed=typed,
    )

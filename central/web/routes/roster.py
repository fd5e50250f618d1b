"""A center's roster: search, sort and page through it; add, rename, hide learners. Every
change bumps the roster revision, and intake publishes the new roster (retained) to the
center within a second. What the page shows is in its address (`?q=&sort=&page=`), so it
can be bookmarked, and every form on it comes back to the same view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from central.roster import (
    MAX_LEARNER_NAME,
    ROSTER_PAGE_SIZE,
    RosterError,
    RosterSort,
    add_learner,
    clean_learner_name,
    roster_page,
    update_learner,
)
from central.web import csrf
from central.web.auth import CurrentUser
from central.web.permissions import Center, NotVisible
from central.web.render import flash, render
from lessons.graphemes import MOST_CODE_POINTS_PER_CHARACTER

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(csrf.checked_form)]
LearnerId = Annotated[str, Path(max_length=64)]
MAX_TYPED = 200  # what a refused name shows back in the field
# A learner's name is at most 40 characters as a person sees them: in code points (what
# HTML's maxlength and Python's slicing count) up to 11 each (lessons/graphemes.py)
MAX_SEARCH = MAX_LEARNER_NAME * MOST_CODE_POINTS_PER_CHARACTER
MAX_PAGE = 10_000
Search = Annotated[str, Query(max_length=MAX_SEARCH, description="part of a name")]
Sort = Annotated[RosterSort, Query(description="name (가나다) or newest first")]
Page = Annotated[int, Query(ge=0, le=MAX_PAGE)]


@dataclass(frozen=True)
class View:
    """What the roster page shows: a search, an order and a page."""

    q: str = ""
    sort: RosterSort = RosterSort.NAME
    page: int = 0

    def query(self, **changes: object) -> str:
        """`?q=…&sort=…&page=…` for this view (with `changes`), defaults left out."""
        values = {"q": self.q, "sort": self.sort.value, "page": self.page, **changes}
        kept = {k: v for k, v in values.items() if v not in ("", 0, RosterSort.NAME.value)}
        return f"?{urlencode(kept)}" if kept else ""


@router.get("/centers/{center}/roster")
def roster_view(
    request: Request,
    user: CurrentUser,
    center: Center,
    q: Search = "",
    sort: Sort = RosterSort.NAME,
    page: Page = 0,
) -> Response:
    return _page(request, user, center, View(q.strip(), sort, page))


@router.post("/centers/{center}/roster")
def add(request: Request, user: CurrentUser, center: Center, form: Form) -> Response:
    name, view = str(form.get("name", "")), _posted_view(form)
    try:
        name = clean_learner_name(name)
        add_learner(request.app.state.connections.get(), center.id, name)
    except RosterError as exc:
        return _page(request, user, center, view, {"name": exc.key}, name[:MAX_TYPED], 422)
    flash(request, "learner_added", name=name)
    return _back(center.id, view)


@router.post("/centers/{center}/roster/{learner_id}")
def rename(
    request: Request, user: CurrentUser, center: Center, learner_id: LearnerId, form: Form
) -> Response:
    _require_learner(request, center.id, learner_id)
    name, view = str(form.get("name", "")), _posted_view(form)
    try:
        name = clean_learner_name(name)
        update_learner(request.app.state.connections.get(), learner_id, name=name)
    except RosterError as exc:
        errors = {f"name-{learner_id}": exc.key}
        return _page(request, user, center, view, errors, status_code=422)
    flash(request, "learner_renamed", name=name)
    return _back(center.id, view)


@router.post("/centers/{center}/roster/{learner_id}/hidden")
def set_hidden(
    request: Request, user: CurrentUser, center: Center, learner_id: LearnerId, form: Form
) -> Response:
    name = _require_learner(request, center.id, learner_id)
    hidden = form.get("hidden") == "1"
    update_learner(request.app.state.connections.get(), learner_id, hidden=hidden)
    flash(request, "learner_hidden" if hidden else "learner_shown", name=name)
    return _back(center.id, _posted_view(form))


def _require_learner(request: Request, center: str, learner_id: str) -> str:
    row = (
        request.app.state.connections.get()
        .execute("SELECT name FROM learners WHERE id = ? AND center = ?", [learner_id, center])
        .fetchone()
    )
    if row is None:
        raise NotVisible(learner_id)
    return str(row[0])


def _posted_view(form: FormData) -> View:
    """The view a form was sent from (its hidden fields), checked like the address."""
    sort = str(form.get("sort", ""))
    page = str(form.get("page", ""))
    return View(
        str(form.get("q", "")).strip()[:MAX_SEARCH],
        RosterSort(sort) if sort in {s.value for s in RosterSort} else RosterSort.NAME,
        min(int(page), MAX_PAGE) if page.isascii() and page.isdigit() and len(page) < 6 else 0,
    )


def _back(center: str, view: View) -> Response:
    return RedirectResponse(f"/centers/{center}/roster{view.query()}", status_code=303)


def _page(
    request: Request,
    user: CurrentUser,
    center: Center,
    view: View,
    errors: dict[str, str] | None = None,
    typed: str = "",
    status_code: int = 200,
) -> Response:
    db = request.app.state.connections.get()
    found = roster_page(db, center.id, view.q, view.sort, view.page)
    first = view.page * ROSTER_PAGE_SIZE
    return render(
        request,
        "roster.html",
        user,
        status_code=status_code,
        center=center,
        learners=found.learners,
        matching=found.matching,
        total=found.total,
        view=view,
        first=first + 1,
        last=first + len(found.learners),
        more=first + len(found.learners) < found.matching,
        errors=errors or {},
        typed=typed,
    )

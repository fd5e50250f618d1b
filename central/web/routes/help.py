"""Help calls from every center the user sees: live list (polled) and mark handled."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from central.help_calls import HelpCallError, mark_handled, open_calls
from central.overview import visible_center_ids
from central.web import csrf
from central.web.auth import CurrentUser
from central.web.permissions import NotVisible
from central.web.render import flash, render

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(csrf.checked_form)]
CallId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/help")
def help_page(request: Request, user: CurrentUser) -> Response:
    return render(request, "help.html", user, **_calls(request, user))


@router.get("/help/live")
def help_live(request: Request, user: CurrentUser) -> Response:
    """The list alone, for the page's 5-second poll."""
    return render(request, "help_list.html", user, **_calls(request, user))


@router.post("/help/{call_id}/handled")
def handled(request: Request, user: CurrentUser, call_id: CallId, _form: Form) -> Response:
    db = request.app.state.connections.get()
    try:
        mark_handled(db, call_id, user.id, visible_center_ids(db, user))
    except HelpCallError:
        raise NotVisible(call_id) from None
    flash(request, "help_handled")
    return RedirectResponse("/help", status_code=303)


def _calls(request: Request, user: CurrentUser) -> dict[str, Any]:
    db = request.app.state.connections.get()
    calls = open_calls(db, visible_center_ids(db, user))
    names = dict(
        db.execute(
            "SELECT id, name FROM centers WHERE id IN (SELECT value FROM json_each(?))",
            [_json([c.center for c in calls])],
        ).fetchall()
    )
    return {"calls": calls, "names": names}


def _json(items: list[str]) -> str:
    return json.dumps(sorted(set(items)))

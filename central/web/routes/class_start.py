"""Start a class now that is not on the schedule: a lesson, the center's robots to teach it
(any it has heard of) and a language, from the center's page. The class gets a new id, the
`start` goes to the center's runner as every console control does (through central's
broker, audited), and the instructor lands on its console."""

from __future__ import annotations

import secrets
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from central.class_audit import record_action
from central.devices import devices_of
from central.web import csrf
from central.web.auth import CurrentUser
from central.web.permissions import Center
from central.web.render import flash
from central.web.routes.classes import FLASHES, send_control, words
from robot_bridge.protocol.class_messages import ClassControl, ControlAction

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(csrf.checked_form)]
MAX_ROBOTS = 8  # as many as a class control names


def new_class_id() -> str:
    """An id no schedule uses (theirs start `class-`): `now-` and 10 random hex digits."""
    return f"now-{secrets.token_hex(5)}"


@router.post("/centers/{center}/classes")
def start_now(request: Request, user: CurrentUser, center: Center, form: Form) -> Response:
    lesson_id = str(form.get("lesson", ""))
    if lesson_id not in request.app.state.library.lessons:
        flash(request, "class_start_no_lesson")
        return RedirectResponse(f"/centers/{center.id}", status_code=303)
    db = request.app.state.connections.get()
    known = {d.device for d in devices_of(db, center.id) if d.kind == "robot"}
    robots = [r for r in dict.fromkeys(map(str, form.getlist("robot"))) if r in known]
    message = ClassControl(
        action=ControlAction.START,
        lesson_id=lesson_id,
        robots=robots[:MAX_ROBOTS],
        lang="en" if form.get("lang") == "en" else "ko",
        by=user.username[:64],
    )
    class_id = new_class_id()
    outcome = send_control(request, center.id, class_id, message)
    record_action(db, center.id, class_id, ControlAction.START.value, user, outcome, time.time())
    flash(request, FLASHES[outcome], action=words(request, ControlAction.START))
    return RedirectResponse(f"/centers/{center.id}/classes/{class_id}", status_code=303)

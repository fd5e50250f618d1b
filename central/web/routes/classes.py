"""The live class console: one class of one center, its state as the center's runner last
said it (updated without reloading: the page's script polls `…/live`), and the controls
that go to that runner through central's broker, each written to the audit log."""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from central.accounts import User
from central.class_audit import Outcome, recent_actions, record_action
from central.class_controls import (
    BUTTONS,
    CONSOLE_ACTIONS,
    ControlLink,
    control_for,
    detail_of,
    offered,
)
from central.class_groups import centers_of, silent
from central.class_states import class_state
from central.help_calls import open_calls
from central.overview import can_see
from central.schedule import ScheduleError, StoredClass, get_class
from central.step_titles import step_text
from central.text_input import TextError, clean_text
from central.web import csrf
from central.web.auth import CurrentUser
from central.web.class_view import kiosks_of, live_version, robots_of, status_key, step_words
from central.web.errors import error_response
from central.web.i18n import translate
from central.web.permissions import Center, CenterRef, NotVisible
from central.web.render import flash, lang_of, render, render_fragment
from central.web.routes.overview import lesson_titles
from lessons import Language
from lessons.model import Lesson
from robot_bridge.protocol.class_messages import (
    ANNOUNCE_MAX_CHARS,
    ClassControl,
    ClassState,
    ControlAction,
)

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(csrf.checked_form)]
ClassId = Annotated[str, Path(max_length=64)]
Version = Annotated[str, Query(max_length=80)]
FLASHES = {
    Outcome.SENT: "class_sent",
    Outcome.UNCONFIRMED: "class_unconfirmed",
    Outcome.NOT_CONNECTED: "class_not_connected",
    Outcome.NOT_STARTABLE: "class_not_startable",
}


@router.get("/centers/{center}/classes/{class_id}")
def console(request: Request, user: CurrentUser, center: Center, class_id: ClassId) -> Response:
    view, _ = _live(request, user, center, class_id)
    return render(request, "class_console.html", user, center=center, **view)


@router.get("/centers/{center}/classes/{class_id}/live")
def live(
    request: Request, user: CurrentUser, center: Center, class_id: ClassId, v: Version = ""
) -> Response:
    """The live part of the console, when it changed since version `v` (else 204)."""
    view, html = _live(request, user, center, class_id)
    if v == view["version"]:
        return Response(status_code=204)
    offered_now = sorted(a.value for a in view["offered"])
    return JSONResponse({"version": view["version"], "offered": offered_now, "html": html})


def _live(
    request: Request, user: User, center: CenterRef, class_id: str
) -> tuple[dict[str, Any], str]:
    """The console's view and its live part, versioned by what that part shows."""
    view = _view(request, user, center, class_id)
    html = render_fragment(request, "class_live.html", user, center=center, **view)
    view["version"] = live_version(html, view["offered"])
    return view, html


@router.post("/centers/{center}/classes/{class_id}/control")
def control(
    request: Request, user: CurrentUser, center: Center, class_id: ClassId, form: Form
) -> Response:
    """Send one control to the class's runner (through central's broker) and log it."""
    klass, kept = _class(request, center, class_id)
    # a robot's own stop pressed on the console of a class across centers goes back there
    page = "/" if form.get("from") == "group" else f"/centers/{center.id}/"
    back = RedirectResponse(f"{page}classes/{class_id}", status_code=303)
    action = form_action(form, CONSOLE_ACTIONS)
    if action is None:
        return error_response(request, 422, "error_422")
    try:
        details = control_details(action, form, kept.state if kept else None, klass)
        message = control_for(action, klass, user.username, details)
    except (ValueError, TextError):  # pydantic's ValidationError is a ValueError
        flash(request, f"class_bad_{action.value}" if action in _CHECKED else "error_422")
        return back
    outcome = send_control(request, center.id, class_id, message)
    db = request.app.state.connections.get()
    record_action(
        db, center.id, class_id, action.value, user, outcome, time.time(), detail_of(message)
    )
    log.info(
        "class control %s for %s/%s by %s: %s",
        message.model_dump_json(exclude_none=True) if message else action.value,
        center.id,
        class_id,
        user.username,
        outcome.value,
    )
    flash(request, FLASHES[outcome], action=words(request, action, message))
    return back


_CHECKED = {ControlAction.GOTO, ControlAction.ANNOUNCE}


def control_details(
    action: ControlAction, form: FormData, state: ClassState | None, klass: StoredClass | None
) -> dict[str, object]:
    """What the control says beyond its action, from the console's forms: a step (shown
    from 1, sent from 0; one the class has), an announcement's text, the robot of a robot's
    own stop (one of the class; any other id stops every robot: in doubt, all stop)."""
    if action is ControlAction.GOTO:
        step = int(str(form.get("step", ""))) - 1
        if state is not None and not 0 <= step < state.total_steps:
            raise ValueError(f"step {step} of a class of {state.total_steps}")
        return {"step": step}
    if action is ControlAction.ANNOUNCE:
        return {"text": clean_text(str(form.get("text", "")), ANNOUNCE_MAX_CHARS)}
    robot = str(form.get("robot", ""))
    known = set(state.robots) if state else set(klass.robots) if klass else set()
    if action is ControlAction.ESTOP and robot in known:
        return {"robots": [robot]}
    return {}


def send_control(
    request: Request, center: str, class_id: str, message: ClassControl | None
) -> Outcome:
    if message is None:
        return Outcome.NOT_STARTABLE
    controls: ControlLink | None = request.app.state.controls
    if controls is None:
        return Outcome.NOT_CONNECTED
    return controls.send(center, class_id, message)


def _class(request: Request, center: CenterRef, class_id: str) -> tuple[StoredClass | None, Any]:
    """The class on the center's schedule and its latest state; a class the center has
    neither of is not found (404), as a center that is not the user's."""
    db = request.app.state.connections.get()
    try:
        klass: StoredClass | None = get_class(db, center.id, class_id)
    except ScheduleError:
        klass = None
    kept = class_state(db, center.id, class_id)
    if klass is None and kept is None and not recent_actions(db, center.id, class_id):
        raise NotVisible(class_id)  # neither scheduled, nor heard of, nor started from here
    return klass, kept


def _view(request: Request, user: User, center: CenterRef, class_id: str) -> dict[str, Any]:
    klass, kept = _class(request, center, class_id)
    state = kept.state if kept else None
    db = request.app.state.connections.get()
    group = centers_of(db, class_id)  # a class across centers: linked when the user has all
    actions = recent_actions(db, center.id, class_id)
    calls = open_calls(db, [center.id], class_id=class_id)
    controls: ControlLink | None = request.app.state.controls
    linked = controls is not None and controls.link.connected.is_set()
    lesson_id = state.lesson_id if state else klass.lesson_id if klass else ""
    lesson = request.app.state.library.lessons.get(lesson_id)
    lang = lang_of(request)
    return {
        "class_id": class_id,
        "group": group if all(can_see(user, c) for c in group) else [],
        "klass": klass,
        "state": state,
        "received_at": kept.received_at if kept else None,
        "lesson_title": lesson_titles(request).get(lesson_id, lesson_id),
        "status_key": status_key(state),
        "step_words": step_words(request.app.state.library.lessons, state) if state else None,
        "robots": robots_of(state) if state else [],
        "kiosks": kiosks_of(state) if state else [],
        "actions": actions,
        "help_calls": calls,
        "linked": linked,
        "buttons": BUTTONS,
        "steps": step_choices(lesson, state, lang),
        "announce_max": ANNOUNCE_MAX_CHARS,
        "offered": offered(state.status if state else None, klass is not None),
        "silent": kept is not None and silent(kept, time.time()),
    }


def step_choices(lesson: Lesson | None, state: ClassState | None, lang: Language) -> list[str]:
    """The step list of the go-to form: each step's words, or only its number where the
    class runs another version of the lesson than the dashboard has."""
    same = lesson is not None and (state is None or state.lesson_version == lesson.version)
    if lesson is not None and same:
        return [step_text(step, lang) for step in lesson.steps]
    return [""] * (state.total_steps if state else 0)


def form_action(form: FormData, allowed: Collection[ControlAction]) -> ControlAction | None:
    """The control a console's form asks for, if it is one of `allowed`."""
    try:
        action = ControlAction(str(form.get("action", "")))
    except ValueError:
        return None
    return action if action in allowed else None


def words(request: Request, action: ControlAction, message: ClassControl | None = None) -> str:
    """The control's name on its button; a stop of some robots names them."""
    if action is ControlAction.ESTOP and message is not None and message.robots:
        robots = ", ".join(message.robots)
        return translate("class_estop_robot", lang_of(request), robot=robots)
    return translate(f"class_action_{action.value}", lang_of(request))

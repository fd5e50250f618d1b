"""Class mode's screens for the accessibility walk: the welcome screen with today's class
and a running class, then the classroom at a practice, a narration the kiosk speaks, a quiz
answered wrong and the class's end. The class arrives as the site link would hand it over."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kiosk_app.site_link import SiteEvent
from lessons.library import load_library
from robot_bridge.classes.class_follower import ClassUpdate
from robot_bridge.protocol.class_messages import Schedule, ScheduledClass
from tests.kiosk_app.test_window import choose_learner, tap_element
from tests.robot_bridge.test_class_follower import state

STEPS = load_library().lessons["phone-call"].steps
# what the robot says at the class's end, in each language
ENDING = {"ko": "오늘 수업 끝! 수고하셨어요.", "en": "That's all for today. Well done!"}


def arrive(app: Any, index: int, **fields: Any) -> None:
    step = STEPS[index]
    current = state(step_index=index, step_id=step.id, step_kind=step.kind, **fields)
    app.site.running = {current.class_id: current}
    app.site_event(SiteEvent(running=True))
    if app.kiosk.class_run is not None:
        update = ClassUpdate(current, tuple(current.lines) if current.speaker == "kiosks" else ())
        app.kiosk.class_run.follow(update.state, update.speak)
        app.site_event(SiteEvent(update=update))


def class_states(kiosk: Any) -> Iterator[str]:
    app = kiosk.app
    soon = ScheduledClass(class_id="am", lesson_id="video-call", starts_at=kiosk.clock.now + 600)
    app.site.schedule = Schedule(classes=[soon])
    arrive(app, 2)
    yield "welcome-class"
    kiosk.press_key("welcome.join")
    choose_learner(kiosk, "김영희")
    tap_element(kiosk, "messages")
    yield "classroom-practice"
    lines = [STEPS[4].say.spoken(app.language)]
    arrive(app, 4, speaker="kiosks", robot=None, lines=lines, say_seq=5)
    yield "classroom-narration"
    arrive(app, 7)
    quiz = STEPS[7].quiz
    wrong = 1 if quiz.answer != 1 else 2
    kiosk.tap(kiosk.button(f"{wrong}.  {quiz.choices[wrong - 1].get(app.language)}"))
    yield "classroom-quiz-wrong"
    arrive(app, 8, status="finished", lines=[ENDING[app.language]])
    yield "classroom-ended"
    kiosk.press_key("class.leave")
    app.site.running, app.site.schedule = {}, None
    app.go("welcome")

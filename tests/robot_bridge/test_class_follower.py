from __future__ import annotations

from typing import Any

from robot_bridge.classes.class_follower import ClassFollower
from robot_bridge.protocol.class_messages import ClassState, Desk


def state(**fields: Any) -> ClassState:
    base: dict[str, Any] = {
        "class_id": "am",
        "lesson_id": "phone-call",
        "lesson_version": 1,
        "lang": "ko",
        "status": "running",
        "step_index": 0,
        "step_id": "welcome",
        "step_kind": "say",
        "total_steps": 9,
        "speaker": "robot",
        "robot": "r1",
        "lines": ["안녕하세요"],
        "say_seq": 1,
        "at": 1.0,
    }
    return ClassState.model_validate({**base, **fields})


def test_running_classes_are_listed_for_the_welcome_screen() -> None:
    follower = ClassFollower("k1")
    assert follower.on_state(state()) is None  # not following it yet
    assert list(follower.running) == ["am"]
    follower.on_state(state(status="finished"))
    assert follower.running == {}


def test_the_kiosk_speaks_only_new_lines_given_to_the_kiosks() -> None:
    follower = ClassFollower("k1")
    follower.join("am")
    assert follower.on_state(state()).speak == ()  # type: ignore[union-attr]
    update = follower.on_state(state(speaker="kiosks", robot=None, say_seq=2))
    assert update is not None and update.speak == ("안녕하세요",)
    again = follower.on_state(state(speaker="kiosks", robot=None, say_seq=2, kiosks=["k1"]))
    assert again is not None and again.speak == () and not again.new_step


def test_a_late_joiner_does_not_replay_the_line_being_said() -> None:
    follower = ClassFollower("k1")
    follower.on_state(state(speaker="kiosks", say_seq=5))
    follower.join("am")
    update = follower.on_state(state(speaker="kiosks", say_seq=5))
    assert update is not None and update.new_step and update.speak == ()


def test_practice_done_is_reported_once_per_step() -> None:
    follower = ClassFollower("k1")
    follower.join("am")
    follower.on_state(state(step_index=2, step_kind="practice", step_id="open-phone-app"))
    report = follower.practice_done()
    assert report is not None and (report.kind, report.step_index) == ("done", 2)
    assert follower.practice_done() is None


def test_the_end_of_the_class_ends_following_it() -> None:
    follower = ClassFollower("k1")
    follower.join("am")
    update = follower.on_state(state(status="finished"))
    assert update is not None and update.ended and follower.class_id is None
    assert follower.reconnected() is None


def test_an_announcement_while_paused_is_said() -> None:
    follower = ClassFollower("k1")
    follower.join("am")
    follower.on_state(state(speaker="kiosks", robot=None, say_seq=1))
    paused = state(status="paused", speaker="kiosks", robot=None, say_seq=2, lines=["쉬어요"])
    update = follower.on_state(paused)
    assert update is not None and update.speak == ("쉬어요",)


def test_a_step_entered_anew_is_reported_done_again() -> None:
    """Back to a practice step, or the step repeated: the runner clears who finished it, so
    the kiosk tells it again when its learner finishes again."""
    follower = ClassFollower("k1")
    follower.join("am")
    follower.on_state(state(step_index=1, step_kind="practice", entered=2))
    assert follower.practice_done() is not None
    assert follower.practice_done() is None  # once per entry
    repeated = follower.on_state(state(step_index=1, step_kind="practice", entered=3))
    assert repeated is not None and repeated.new_step
    assert follower.practice_done() is not None


def test_the_kiosk_tells_its_status_when_it_changes_and_again_after_a_reconnect() -> None:
    follower = ClassFollower("k1")
    assert follower.status(Desk(learner="김영희")) is None  # in no class
    follower.join("am")
    follower.on_state(state(step_index=2))
    told = follower.status(Desk(learner="김영희", hint_level=1))
    assert told is not None and (told.kind, told.step_index) == ("status", 2)
    assert follower.status(Desk(learner="김영희", hint_level=1)) is None
    again = follower.told_status()
    assert again is not None and again.desk == Desk(learner="김영희", hint_level=1)


def test_the_runners_heartbeat_is_no_news_for_the_kiosk() -> None:
    """The same state again but for its time: nothing to redraw, no sign of a learner (a
    kiosk's idle timer must not be kept awake by it)."""
    follower = ClassFollower("k1")
    follower.join("am")
    assert follower.on_state(state(at=100.0)) is not None
    again = state(at=105.0)
    assert follower.is_heartbeat(again) and follower.on_state(again) is None
    assert follower.running["am"].at == 105.0  # the latest kept all the same
    moved = state(at=110.0, step_index=3)
    assert not follower.is_heartbeat(moved) and follower.on_state(moved) is not None

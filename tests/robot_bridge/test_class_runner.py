"""The pure class runner, driven by hand with a fake clock: no broker, exact decisions."""

from __future__ import annotations

import itertools

import pytest

from robot_bridge.classes.class_runner import (
    ACCEPT_SECONDS,
    CLOCK_SKEW_SECONDS,
    DONE_MARGIN_SECONDS,
    HEARTBEAT_SECONDS,
    PRACTICE_LIMIT_SECONDS,
    RESEND_AFTER_SECONDS,
    STEP_GAP_SECONDS,
    ClassRun,
)
from robot_bridge.classes.class_seats import Outgoing
from robot_bridge.protocol.class_messages import (
    ClassControl,
    ClassState,
    Desk,
    KioskReport,
    Notice,
)
from robot_bridge.protocol.robot_messages import Command, EmergencyStop, RobotEvent, RobotStatus
from robot_bridge.robots.robot_sim import SimulatedRobot
from tests.lessons.conftest import FakeClock, make_lesson

CAN = SimulatedRobot("sim").capabilities()


def online() -> RobotStatus:
    return RobotStatus(state="online", capabilities=CAN)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def new_run(clock: FakeClock, robots: tuple[str, ...] = ("r1", "r2")) -> ClassRun:
    ids = (f"c{n}" for n in itertools.count())
    return ClassRun("c1", "am", make_lesson(), list(robots), clock, lambda: next(ids))


def commands(out: list[Outgoing]) -> list[tuple[str, Command]]:
    return [(o.topic.split("/")[-2], o.message) for o in out if isinstance(o.message, Command)]


def nothing_new(run: ClassRun, out: list[Outgoing]) -> bool:
    """Nothing happened: no message but, at most, the class's heartbeat (its state again,
    as it is)."""
    return len(out) <= 1 and all(o.message == run.state() for o in out)


def last_state(out: list[Outgoing]) -> ClassState:
    states = [o.message for o in out if isinstance(o.message, ClassState)]
    assert states, "no class state published"
    assert all(o.retain for o in out if isinstance(o.message, ClassState))
    return states[-1]


def done(run: ClassRun, robot: str, command: Command) -> list[Outgoing]:
    run.robot_event(robot, RobotEvent(id=command.id, event="accepted"))
    return run.robot_event(robot, RobotEvent(id=command.id, event="done"))


def test_narration_goes_to_a_robot_with_its_gesture_at_the_word(clock: FakeClock) -> None:
    run = new_run(clock)
    out = run.start({"r1": online(), "r2": online()})
    [(robot, command)] = commands(out)
    assert robot == "r1" and command.action == "say"
    assert command.args["text"] == "안녕하세요"
    assert command.args["marks"] == [{"at": 5, "gesture": "wave"}]
    assert command.deadline == clock.now + ACCEPT_SECONDS
    state = last_state(out)
    assert (state.speaker, state.robot, state.lines) == ("robot", "r1", ["안녕하세요"])


def test_robots_take_turns_and_practice_waits_for_the_kiosks(clock: FakeClock) -> None:
    run = new_run(clock)
    [(_, first)] = commands(run.start({"r1": online(), "r2": online()}))
    run.kiosk_report("k1", KioskReport(kind="joined", class_id="am"))
    assert done(run, "r1", first) == []  # a breath before the next step
    clock.advance(STEP_GAP_SECONDS)
    out = run.tick()
    [(robot, instruction)] = commands(out)
    assert robot == "r2" and last_state(out).step_kind == "practice"
    done(run, "r2", instruction)
    clock.advance(60)
    assert nothing_new(run, run.tick())  # the learner is still practising
    out = run.kiosk_report("k1", KioskReport(kind="done", class_id="am", step_index=1))
    assert last_state(out).step_index == 2


def test_a_practice_nobody_finishes_ends_at_the_limit(clock: FakeClock) -> None:
    run = new_run(clock, robots=())
    run.start({})
    run.kiosk_report("k1", KioskReport(kind="joined", class_id="am"))
    for _ in range(3):
        clock.advance(5)
        run.tick()
    assert run.index == 1
    clock.advance(PRACTICE_LIMIT_SECONDS)
    assert last_state(run.tick()).step_index == 2


def test_without_robots_the_kiosks_speak_each_line_once(clock: FakeClock) -> None:
    run = new_run(clock, robots=())
    state = last_state(run.start({}))
    assert (state.speaker, state.lines, state.say_seq) == ("kiosks", ["안녕하세요"], 1)
    assert nothing_new(run, run.tick())  # the kiosks are still speaking


def test_a_robot_that_never_answers_hands_its_line_to_the_kiosks(clock: FakeClock) -> None:
    run = new_run(clock, robots=("r1",))
    run.start({"r1": online()})
    clock.advance(ACCEPT_SECONDS + 0.1)
    out = run.tick()
    state = last_state(out)
    assert (state.speaker, state.lines, state.robots) == (
        "kiosks",
        ["안녕하세요"],
        {"r1": "offline"},
    )
    assert [o.message.key for o in out if isinstance(o.message, Notice)] == ["robot_dropped"]


def test_a_silent_robot_that_is_still_online_gets_its_turn_at_the_next_step(
    clock: FakeClock,
) -> None:
    run = new_run(clock, robots=("r1",))
    run.start({"r1": online()})
    clock.advance(ACCEPT_SECONDS + 0.1)
    assert last_state(run.tick()).speaker == "kiosks"  # its command was lost, say
    clock.advance(30)
    run.tick()  # the kiosks have said the line
    clock.advance(STEP_GAP_SECONDS)
    out = run.tick()
    assert last_state(out).step_index == 1 and [r for r, _ in commands(out)] == ["r1"]


def test_a_robot_that_comes_back_rejoins_at_the_next_step(clock: FakeClock) -> None:
    run = new_run(clock, robots=("r1",))
    run.start({"r1": online()})
    run.robot_status("r1", RobotStatus(state="offline"))
    out = run.robot_status("r1", online())
    assert [o.message.key for o in out if isinstance(o.message, Notice)] == ["robot_back"]
    assert commands(run.tick()) == []  # not in the middle of the step
    clock.advance(30)
    run.tick()  # the kiosks have said the line
    clock.advance(STEP_GAP_SECONDS)
    out = run.tick()
    assert last_state(out).step_index == 1 and [r for r, _ in commands(out)] == ["r1"]


def test_pause_holds_the_class_and_resume_carries_on(clock: FakeClock) -> None:
    run = new_run(clock, robots=("r1",))
    [(_, first)] = commands(run.start({"r1": online()}))
    assert last_state(run.control(ClassControl(action="pause"))).status == "paused"
    done(run, "r1", first)
    clock.advance(60)
    assert nothing_new(run, run.tick()) and run.index == 0
    out = run.control(ClassControl(action="resume"))
    clock.advance(STEP_GAP_SECONDS)
    assert last_state([*out, *run.tick()]).step_index == 1


def test_emergency_stop_stops_every_robot_and_says_the_line_again_on_resume(
    clock: FakeClock,
) -> None:
    run = new_run(clock)
    run.start({"r1": online(), "r2": online()})
    out = run.control(ClassControl(action="estop"))
    stops = [o.topic for o in out if isinstance(o.message, EmergencyStop)]
    assert stops == [f"sarangbang/v1/centers/c1/robots/{r}/estop" for r in ("r1", "r2")]
    assert last_state(out).paused_reason == "emergency_stop"
    [(_, again)] = commands(run.control(ClassControl(action="resume")))
    assert again.args["text"] == "안녕하세요"


def test_the_class_finishes_after_the_closing_words(clock: FakeClock) -> None:
    run = new_run(clock, robots=())
    run.start({})
    for _ in range(6):
        run.control(ClassControl(action="next"))
    for _ in range(20):
        clock.advance(10)
        run.tick()
    assert run.state().status == "finished" and not run.active


def test_reconnecting_resends_the_line_in_flight_with_the_same_id(clock: FakeClock) -> None:
    run = new_run(clock, robots=("r1",))
    [(_, first)] = commands(run.start({"r1": online()}))
    [(_, again)] = commands(run.reconnected())
    assert again.id == first.id and again.args == first.args


def test_a_refused_line_goes_to_the_kiosks_and_the_robot_keeps_its_next_turn(
    clock: FakeClock,
) -> None:
    run = new_run(clock, robots=("r1",))
    [(_, first)] = commands(run.start({"r1": online()}))
    event = RobotEvent(id=first.id, event="rejected", reason="busy", detail="8 queued")
    state = last_state(run.robot_event("r1", event))
    assert (state.speaker, state.lines) == ("kiosks", ["안녕하세요"])
    clock.advance(30)
    run.tick()
    clock.advance(STEP_GAP_SECONDS)
    assert [robot for robot, _ in commands(run.tick())] == ["r1"]  # no status needed


def test_a_robot_reconnecting_mid_line_is_sent_the_line_again(clock: FakeClock) -> None:
    run = new_run(clock, robots=("r1",))
    [(_, first)] = commands(run.start({"r1": online()}))
    clock.advance(RESEND_AFTER_SECONDS)  # a reconnect takes a moment
    [(_, again)] = commands(run.robot_status("r1", online()))  # its birth after a reconnect
    assert again.id == first.id
    run.robot_event("r1", RobotEvent(id=first.id, event="accepted"))
    assert commands(run.robot_status("r1", online())) == []  # it has it


def notices(out: list[Outgoing]) -> list[str]:
    return [o.message.key for o in out if isinstance(o.message, Notice)]


def test_online_republished_right_after_done_does_not_resend_the_next_line(
    clock: FakeClock,
) -> None:
    """A robot that announces `online` again after every `done` (protocol: "again whenever
    it changes") is not sent the line in flight twice."""
    lesson = make_lesson(steps=[{"id": "a", "say": "하나"}, {"id": "b", "say": "둘"}])
    run = ClassRun("c1", "am", lesson, ["r1"], clock, iter(f"c{n}" for n in range(99)).__next__)
    [(_, first)] = commands(run.start({"r1": online()}))
    done(run, "r1", first)
    clock.advance(STEP_GAP_SECONDS)
    [(_, second)] = commands(run.tick())
    assert commands(run.robot_status("r1", online())) == []  # 0 ms later: not a reconnect
    status = RobotStatus(state="busy", capabilities=CAN, current=second.id)
    clock.advance(RESEND_AFTER_SECONDS * 2)
    assert commands(run.robot_status("r1", status)) == []  # it says it is doing it


def test_a_stop_from_anywhere_pauses_the_class_until_a_person_resumes(clock: FakeClock) -> None:
    run = new_run(clock, robots=("r1",))
    [(_, first)] = commands(run.start({"r1": online()}))
    out = run.robot_event("r1", RobotEvent(id=first.id, event="failed", reason="stopped"))
    assert notices(out) == ["robot_stopped"]
    [told] = [o.message for o in out if getattr(o.message, "key", None) == "robot_stopped"]
    assert "the robot reported a stop" in told.text["en"] and told.class_id  # type: ignore[union-attr]
    state = last_state(out)
    assert (state.status, state.paused_reason) == ("paused", "emergency_stop")
    clock.advance(60)
    # no new speech, no drop notice
    assert commands(run.tick()) == [] and nothing_new(run, run.tick())
    assert run.robot_event("r1", RobotEvent(id="stop-1", event="stopped")) == []  # once
    [(robot, again)] = commands(run.control(ClassControl(action="resume")))
    assert (robot, again.args["text"]) == ("r1", "안녕하세요")


def test_the_robot_says_how_long_its_line_takes_and_that_counts(clock: FakeClock) -> None:
    run = new_run(clock, robots=("r1",))
    [(_, first)] = commands(run.start({"r1": online()}))
    run.robot_event("r1", RobotEvent(id=first.id, event="started", seconds=40.0))
    clock.advance(40 + DONE_MARGIN_SECONDS - 1)  # slow speech: far past our own estimate
    assert notices(run.tick()) == [] and run.state().speaker == "robot"
    clock.advance(2)
    assert last_state(run.tick()).speaker == "kiosks"


def test_a_robot_first_heard_from_mid_step_speaks_from_the_next_line(clock: FakeClock) -> None:
    """A robot whose status was not retained is offline at the start; its first event or
    status brings it in at the next line, not the next step."""
    lesson = make_lesson(steps=[{"id": "a", "say": "하나"}, {"id": "b", "say": "둘"}])
    run = ClassRun("c1", "am", lesson, ["r1"], clock, iter(f"c{n}" for n in range(99)).__next__)
    assert commands(run.start({})) == []  # the kiosks say 하나
    assert notices(run.robot_status("r1", online())) == ["robot_back"]
    clock.advance(30)
    run.tick()
    clock.advance(STEP_GAP_SECONDS)
    [(robot, line)] = commands(run.tick())
    assert (robot, line.args["text"]) == ("r1", "둘")


def test_a_robot_clock_that_is_off_is_told_to_the_instructor_once(clock: FakeClock) -> None:
    run = new_run(clock, robots=("r1",))
    [(_, first)] = commands(run.start({"r1": online()}))
    ahead = clock.now + CLOCK_SKEW_SECONDS + 2
    out = run.robot_event("r1", RobotEvent(id=first.id, event="accepted", at=ahead))
    [told] = [o.message for o in out if isinstance(o.message, Notice)]
    assert told.key == "robot_clock" and "+3.0" in told.text["en"]
    assert notices(run.robot_event("r1", RobotEvent(id=first.id, event="started", at=ahead))) == []


def test_events_nobody_is_waiting_for_are_logged(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    run = new_run(clock, robots=("r1",))
    run.start({"r1": online()})
    caplog.set_level("INFO")
    assert run.robot_event("r9", RobotEvent(id="x", event="done")) == []
    assert run.robot_event("r1", RobotEvent(id="old", event="done")) == []
    text = caplog.text
    assert "robot r9, which is not in this class" in text
    assert "command old, which is not in flight" in text


def test_help_while_the_only_robot_speaks_points_after_the_line(clock: FakeClock) -> None:
    run = new_run(clock, robots=("r1",))
    [(_, line)] = commands(run.start({"r1": online()}))
    [(robot, point)] = commands(run.send_to("k1"))
    assert robot == "r1" and point.action == "point"
    assert point.deadline > run._in_flight.done_by  # not expired behind the line
    done(run, "r1", line)
    out = run.robot_event("r1", RobotEvent(id=point.id, event="done"))
    assert notices(out) == []


def test_a_help_point_that_fails_tells_the_instructor_to_go(clock: FakeClock) -> None:
    run = new_run(clock, robots=("r1",))
    run.start({"r1": online()})
    [(_, point)] = commands(run.send_to("k1"))
    event = RobotEvent(id=point.id, event="failed", reason="expired")
    [told] = [o.message for o in run.robot_event("r1", event) if isinstance(o.message, Notice)]
    assert (told.key, told.kiosk, told.robot) == ("help_unanswered", "k1", "r1")


@pytest.mark.parametrize(
    "answers", [("accepted", "started", "done"), ("started", "done"), ("done",)]
)
def test_every_protocol_version_s_answers_move_the_class_on(
    clock: FakeClock, answers: tuple[str, ...]
) -> None:
    """1.0/1.1 robots say accepted, started, done; a 1.2 robot may leave out what a later
    event implies. Each way the line counts as said once `done` arrives: no resend, no
    handing it to the kiosks, and the next step's line goes to the robot after the gap."""
    run = new_run(clock, robots=("r1",))
    [(_, first)] = commands(run.start({"r1": online()}))
    out: list[Outgoing] = []
    for kind in answers:
        clock.advance(0.05)
        out += run.robot_event("r1", RobotEvent(id=first.id, event=kind))
    assert commands(out) == [] and run.index == 0
    clock.advance(STEP_GAP_SECONDS)
    out = run.tick()
    [(robot, second)] = commands(out)
    assert robot == "r1" and second.id != first.id and last_state(out).step_index == 1


def control(action: str, **fields: object) -> ClassControl:
    return ClassControl.model_validate({"action": action, **fields})


def test_the_instructor_goes_to_a_step_back_and_repeats_it(clock: FakeClock) -> None:
    run = new_run(clock, robots=())
    run.start({})
    out = run.control(control("goto", step=3))
    assert last_state(out).step_id == "quiz" and last_state(out).lines == ["받기는 무슨 색일까요?"]
    assert last_state(run.control(control("back"))).step_id == "dial"
    seq = run.state().say_seq
    clock.advance(30)  # the kiosks said the line; the learners are practising
    out = run.control(control("repeat"))
    state = last_state(out)
    assert (state.step_id, state.say_seq) == ("dial", seq + 1) and state.lines
    assert run.control(control("goto", step=99)) == []  # no such step: nothing changes
    assert run.state().step_id == "dial"


def test_going_to_a_step_while_a_robot_speaks_waits_for_its_line_to_end(
    clock: FakeClock,
) -> None:
    """No two voices at once, and no line queued behind the old one to expire there: the
    new step shows at once, its first line goes out when the robot is done (or should be)."""
    run = new_run(clock, robots=("r1",))
    [(_, first)] = commands(run.start({"r1": online()}))
    out = run.control(control("goto", step=4))
    assert commands(out) == [] and last_state(out).step_id == "bye"
    assert nothing_new(run, run.tick())
    [(_, bye)] = commands(run.robot_event("r1", RobotEvent(id=first.id, event="done")))
    assert bye.args["text"] == "안녕히 가세요"
    # a robot that never says `done` holds the class up only until its line's time is out
    run = new_run(clock, robots=("r1",))
    run.start({"r1": online()})
    run.control(control("goto", step=4))
    clock.advance(ACCEPT_SECONDS + DONE_MARGIN_SECONDS + 5)
    [(_, bye)] = commands(run.tick())
    assert bye.args["text"] == "안녕히 가세요"


def test_after_an_emergency_stop_steering_leaves_the_robots_stopped(clock: FakeClock) -> None:
    run = new_run(clock)
    run.start({"r1": online(), "r2": online()})
    run.control(control("estop"))
    for steer in (control("goto", step=1), control("back"), control("repeat"), control("next")):
        assert last_state(run.control(steer)).robots == {"r1": "offline", "r2": "offline"}
    assert run.send_to("k1") == []  # no stopped robot is sent walking to a kiosk
    out = run.control(control("resume"))
    assert last_state(out).robots == {"r1": "ready", "r2": "ready"}


def test_a_break_does_not_count_as_practice_time(clock: FakeClock) -> None:
    run = new_run(clock, robots=())
    run.start({})
    for _ in range(3):  # the kiosks say the greeting; a breath; the practice step
        clock.advance(STEP_GAP_SECONDS + 10)
        run.tick()
    assert run.index == 1
    run.control(control("pause"))
    clock.advance(PRACTICE_LIMIT_SECONDS)  # a long break
    run.control(control("resume"))
    assert run.index == 1 and nothing_new(run, run.tick())
    clock.advance(PRACTICE_LIMIT_SECONDS)
    assert last_state(run.tick()).step_index == 2


def test_each_entry_of_a_step_is_counted(clock: FakeClock) -> None:
    run = new_run(clock, robots=())
    first = run.start({})[-1].message
    assert isinstance(first, ClassState)
    again = last_state(run.control(control("repeat")))
    assert (again.step_index, again.entered) == (first.step_index, first.entered + 1)


def test_an_announcement_is_said_next_even_while_paused(clock: FakeClock) -> None:
    run = new_run(clock, robots=())
    run.start({})
    run.control(control("pause"))
    clock.advance(5)
    out = run.control(control("announce", text="5분 쉬었다 할게요 [wave]"))
    state = last_state(out)
    assert state.status == "paused" and state.speaker == "kiosks"
    assert state.lines == ["오 분 쉬었다 할게요 (wave)"]  # read aloud; brackets are no cues
    clock.advance(30)
    assert nothing_new(run, run.tick())  # said; the class stays paused
    assert last_state(run.control(control("resume"))).status == "running"


def test_an_announcement_waits_for_the_line_a_robot_is_saying(clock: FakeClock) -> None:
    run = new_run(clock, robots=("r1",))
    [(_, first)] = commands(run.start({"r1": online()}))
    assert commands(run.control(control("announce", text="잠깐만요"))) == []
    [(_, said)] = commands(run.robot_event("r1", RobotEvent(id=first.id, event="done")))
    assert said.args["text"] == "잠깐만요"


def test_an_emergency_stop_of_one_robot_leaves_the_others_ready(clock: FakeClock) -> None:
    run = new_run(clock)
    run.start({"r1": online(), "r2": online()})
    out = run.control(control("estop", robots=["r2"]))
    stops = [o.topic.split("/")[-2] for o in out if isinstance(o.message, EmergencyStop)]
    state = last_state(out)
    assert stops == ["r2"] and state.robots == {"r1": "ready", "r2": "offline"}
    assert state.status == "paused" and state.paused_reason == "emergency_stop"


@pytest.mark.parametrize(
    "fields", [{"action": "goto"}, {"action": "announce"}, {"action": "announce", "text": " "}]
)
def test_a_control_missing_what_it_needs_is_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="needs"):
        ClassControl.model_validate(fields)


def test_each_kiosk_s_learner_and_progress_are_in_the_state(clock: FakeClock) -> None:
    run = new_run(clock, robots=())
    run.start({})
    desk = Desk(learner="김영희", hint_level=2)
    status = KioskReport(kind="status", class_id="am", step_index=0, desk=desk)
    assert last_state(run.kiosk_report("k1", status)).desks == {"k1": desk}
    assert run.kiosk_report("k1", status) == []  # nothing new
    late = KioskReport(kind="status", class_id="am", step_index=5, desk=desk)
    assert last_state(run.kiosk_report("k2", late)).desks["k2"] == Desk(learner="김영희")
    # a new step keeps who sits where, not how the last step went
    assert last_state(run.control(control("next"))).desks["k1"] == Desk(learner="김영희")
    left = run.kiosk_report("k1", KioskReport(kind="left", class_id="am"))
    assert list(last_state(left).desks) == ["k2"]


def test_a_quiet_class_says_its_state_again_every_few_seconds(clock: FakeClock) -> None:
    """The heartbeat: central tells a center whose link is down from a class practising."""
    run = new_run(clock, robots=())
    run.start({})
    clock.advance(HEARTBEAT_SECONDS - 0.1)
    assert run.tick() == []
    clock.advance(0.2)
    [beat] = run.tick()
    assert beat.retain and beat.message == run.state()
    assert run.tick() == []  # not again until the next beat
    run.control(ClassControl(action="stop"))
    clock.advance(HEARTBEAT_SECONDS * 3)
    assert run.tick() == []  # an ended class is silent

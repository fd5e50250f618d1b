from __future__ import annotations

from robot_bridge.protocol.robot_messages import (
    Command,
    EmergencyStop,
    EventKind,
    Reason,
    RobotEvent,
)
from robot_bridge.robots.command_queue import MAX_QUEUED, CommandQueue
from tests.lessons.conftest import FakeClock

CAN = frozenset({"say", "gesture:wave", "point:screen", "display"})


def cmd(id: str = "c-1", deadline: float = 1_000_010.0, **fields: object) -> Command:
    body: dict[str, object] = {"action": "say", "args": {"text": "안녕하세요"}, **fields}
    return Command.model_validate({"id": id, "deadline": deadline, **body})


def kinds(events: list[RobotEvent]) -> list[tuple[str, str | None]]:
    return [(e.event, e.reason) for e in events]


def test_a_command_is_started_and_done_and_accepted_only_when_it_waits() -> None:
    """Protocol 1.2: an idle robot's command is answered `started` alone (the agent may even
    leave that out for an act that ends at once); one that has to wait is `accepted`."""
    queue = CommandQueue(CAN, FakeClock())
    assert kinds(queue.offer(cmd())) == []
    assert kinds(queue.offer(cmd("c-2"))) == [("accepted", None)]
    command, events = queue.take_next()
    assert command is not None and command.id == "c-1" and kinds(events) == [("started", None)]
    assert queue.state == "busy"
    done = queue.finish("c-1")
    assert done is not None and done.event == EventKind.DONE and queue.state == "busy"
    command, events = queue.take_next()
    assert command is not None and command.id == "c-2" and kinds(events) == [("started", None)]
    assert queue.finish("c-2") is not None and queue.state == "online"


def test_a_repeated_id_is_acknowledged_not_run_again() -> None:
    queue = CommandQueue(CAN, FakeClock())
    queue.offer(cmd())
    queue.take_next()
    queue.finish("c-1")
    again = queue.offer(cmd())
    assert kinds(again) == [("accepted", None), ("done", None)]
    assert all(e.duplicate for e in again)
    assert queue.take_next() == (None, [])


def test_expired_unknown_and_unsupported_commands_are_rejected() -> None:
    clock = FakeClock()
    queue = CommandQueue(CAN, clock)
    assert kinds(queue.offer(cmd(deadline=clock.now - 1))) == [("rejected", Reason.EXPIRED)]
    assert kinds(queue.offer(cmd("c-2", action="fly"))) == [("rejected", Reason.UNKNOWN_ACTION)]
    bow = cmd("c-3", action="gesture", args={"name": "bow"})
    [event] = queue.offer(bow)
    assert event.reason == Reason.BAD_ARGUMENTS and "gesture:bow" in (event.detail or "")


def test_a_rejected_id_may_be_sent_again() -> None:
    clock = FakeClock()
    queue = CommandQueue(CAN, clock)
    queue.offer(cmd(deadline=clock.now - 1))
    assert kinds(queue.offer(cmd())) == []  # taken: an idle robot starts it at once
    assert queue.take_next()[0] is not None


def test_a_full_queue_answers_busy() -> None:
    queue = CommandQueue(CAN, FakeClock())
    for n in range(MAX_QUEUED):
        queue.offer(cmd(f"c-{n}"))
    assert kinds(queue.offer(cmd("one-more"))) == [("rejected", Reason.BUSY)]


def test_a_command_that_waited_past_its_deadline_fails_as_expired() -> None:
    clock = FakeClock()
    queue = CommandQueue(CAN, clock)
    queue.offer(cmd("late", deadline=clock.now + 1))
    queue.offer(cmd("fine", deadline=clock.now + 60))
    clock.advance(5)
    command, events = queue.take_next()
    assert command is not None and command.id == "fine"
    assert kinds(events) == [("failed", Reason.EXPIRED), ("started", None)]


def test_emergency_stop_drops_the_queue_and_the_current_command() -> None:
    queue = CommandQueue(CAN, FakeClock())
    for n in range(3):
        queue.offer(cmd(f"c-{n}"))
    queue.take_next()
    events = queue.emergency_stop(EmergencyStop(id="stop-1", reason="instructor"))
    assert kinds(events) == [("failed", "stopped")] * 3 + [("stopped", None)]
    assert events[-1].id == "stop-1"
    assert queue.finish("c-0") is None  # the interrupted act ends without a second event
    assert queue.take_next() == (None, []) and queue.state == "online"

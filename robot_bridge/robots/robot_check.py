"""The conformance kit: a robot vendor runs `sarangbang-robot-check` against their robot on
a broker and reads, check by check, what the robot does right and wrong (docs/protocol.md).

The kit plays the class runner: it reads the robot's status and events and sends it
commands and emergency stops, each check with its own fresh command ids. It never needs the
robot's code, only its topics.
"""

from __future__ import annotations

import json
import queue
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from robot_bridge.protocol import topics
from robot_bridge.robots.command_queue import MAX_QUEUED

ANSWER_SECONDS = 3.0  # a robot on a LAN answers in milliseconds; 3 s is generous
STOP_SECONDS = (
    0.5  # an emergency stop must be answered at once (DESIGN.md: robots are near seniors)
)
LONG_TEXT = "천천히 또박또박 말씀드릴게요. " * 12  # long enough to be mid-speech when stopped


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str

    def __str__(self) -> str:
        return f"{'PASS' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


class Wire:
    """Publishing and the messages seen since the kit subscribed (a thin shell over MQTT)."""

    def __init__(self, publish: Callable[[str, bytes], None], inbox: queue.Queue[Any]) -> None:
        self.publish = publish
        self.inbox = inbox
        self.seen: list[tuple[float, str, Any]] = []  # (arrival, topic, JSON or raw bytes)

    def drain(self, until: float) -> None:
        while True:
            left = until - time.monotonic()
            try:
                topic, payload = self.inbox.get(timeout=max(0.0, left))
            except queue.Empty:
                return
            try:
                body: Any = json.loads(payload)
            except ValueError:
                body = payload
            self.seen.append((time.monotonic(), topic, body))
            if left <= 0:
                return

    def wait(self, topic: str, match: Callable[[Any], bool], seconds: float) -> Any | None:
        """The first message on `topic` matching `match`, waiting up to `seconds`."""
        until = time.monotonic() + seconds
        while True:
            found = [b for _, t, b in self.seen if t == topic and isinstance(b, dict) and match(b)]
            if found:
                return found[0]
            if time.monotonic() >= until:
                return None
            self.drain(min(until, time.monotonic() + 0.05))


class RobotCheck:
    def __init__(self, wire: Wire, center: str, robot: str) -> None:
        self.wire, self.center, self.robot = wire, center, robot
        self.events_topic = topics.robot_events(center, robot)
        self.status_topic = topics.robot_status(center, robot)

    def run(self) -> Iterator[CheckResult]:
        """Every check, in an order where each leaves the robot idle for the next."""
        for check in (
            self.status,
            self.say,
            self.clock,
            self.at_most_once,
            self.expired,
            self.unknown_action,
            self.bad_marks,
            self.unreadable,
            self.wrong_version,
            self.queue_limit,
            self.emergency_stop,
            self.after_stop,
        ):
            yield check()

    # ---- the checks ---------------------------------------------------------------------

    def status(self) -> CheckResult:
        name = "status: retained, online, can say"
        body = self.wire.wait(self.status_topic, lambda b: True, 1.0)
        if body is None:
            return CheckResult(name, False, "no retained status within 1 s of subscribing")
        problems = []
        if body.get("state") not in ("online", "busy"):
            problems.append(f"state is {body.get('state')!r}, not online")
        if "say" not in body.get("capabilities", []):
            problems.append("capabilities lack 'say'")
        return CheckResult(name, not problems, "; ".join(problems) or f"{body}")

    def say(self) -> CheckResult:
        name = "say: (accepted,) started, done, in order"
        command = self._command("say", {"text": "안녕하세요", "marks": [{"at": 5, "pause": 0.2}]})
        events = self._final(command["id"], 15.0)
        kinds = [e["event"] for e in events]
        # 1.0/1.1 robots say all three; a 1.2 robot that begins at once may leave `accepted`
        # out. A line lasting seconds always says `started`: the runner times it from there.
        ok = kinds in (["accepted", "started", "done"], ["started", "done"])
        return CheckResult(name, ok, f"events: {kinds or 'none'}")

    def clock(self) -> CheckResult:
        name = "clock: an event's 'at' is within 1 s of ours (deadlines are absolute)"
        command = self._command("say", {"text": "시계"})
        found = self.wire.wait(self.events_topic, lambda b: b.get("id") == command["id"], 3.0)
        now = time.time()
        self._final(command["id"], 15.0)
        if found is None:
            return CheckResult(name, False, "no answer")
        if not isinstance(found.get("at"), int | float):
            return CheckResult(name, True, "events carry no 'at' (optional; a wrong clock "
                               "then shows only as 'expired' rejections)")  # fmt: skip
        skew = found["at"] - now
        return CheckResult(name, abs(skew) <= 1.0, f"the robot's clock is {skew:+.2f} s off ours")

    def at_most_once(self) -> CheckResult:
        name = "at most once: a repeated id is acknowledged, never done twice"
        command = self._command("say", {"text": "한 번만"})
        self._final(command["id"], 15.0)
        self._send(topics.robot_cmd(self.center, self.robot), command)
        time.sleep(0.5)
        self.wire.drain(time.monotonic() + 0.5)
        events = self._events(command["id"])
        # done once for real (a 1.2 robot may leave `started` out of a quick act), and the
        # repeat answered as a duplicate
        done = sum(e["event"] == "done" and not e.get("duplicate") for e in events)
        started = sum(e["event"] == "started" and not e.get("duplicate") for e in events)
        duplicates = [e for e in events if e.get("duplicate")]
        ok = done == 1 and started <= 1 and bool(duplicates)
        detail = f"done {done}×, started {started}×, duplicate answers {len(duplicates)}"
        return CheckResult(name, ok, detail)

    def expired(self) -> CheckResult:
        command = self._command("say", {"text": "늦었어요"}, deadline=time.time() - 5)
        return self._rejected("deadline: a late command is rejected 'expired'", command, "expired")

    def unknown_action(self) -> CheckResult:
        command = self._command("dance", {})
        name = "unknown action is rejected 'unknown_action'"
        return self._rejected(name, command, "unknown_action")

    def bad_marks(self) -> CheckResult:
        marks = [{"at": 3, "pause": 0.5}, {"at": 1, "pause": 0.5}]
        command = self._command("say", {"text": "순서가 틀려요", "marks": marks})
        name = "marks out of order are rejected 'bad_arguments'"
        return self._rejected(name, command, "bad_arguments")

    def unreadable(self) -> CheckResult:
        name = "unreadable command is answered 'rejected' 'bad_message' with id null"
        self.wire.publish(topics.robot_cmd(self.center, self.robot), b"{not json")
        found = self.wire.wait(
            self.events_topic,
            lambda b: b.get("id") is None and b.get("reason") == "bad_message",
            ANSWER_SECONDS,
        )
        return CheckResult(name, found is not None, f"answer: {found}")

    def wrong_version(self) -> CheckResult:
        command = {**self._command("say", {"text": "버전"}, send=False), "v": 2}
        self._send(topics.robot_cmd(self.center, self.robot), command)
        name = "a command with v ≠ 1 is rejected 'bad_message'"
        return self._answered_with(name, command["id"], "bad_message")

    def queue_limit(self) -> CheckResult:
        name = f"queue: a burst is answered in full (the agent queues {MAX_QUEUED})"
        ids = [self._command("say", {"text": "짧게"})["id"] for _ in range(MAX_QUEUED + 4)]
        finals = {i: self._final(i, 20.0) for i in ids}
        unanswered = [i for i, events in finals.items() if not events]
        busy = sum(any(e.get("reason") == "busy" for e in events) for events in finals.values())
        detail = f"{len(ids)} sent, {busy} rejected busy, {len(unanswered)} unanswered"
        return CheckResult(name, not unanswered, detail)

    def emergency_stop(self) -> CheckResult:
        name = f"emergency stop: speech ends and 'stopped' comes within {STOP_SECONDS} s"
        command = self._command("say", {"text": LONG_TEXT})
        started = self.wire.wait(
            self.events_topic, lambda b: b.get("id") == command["id"] and b["event"] == "started",
            ANSWER_SECONDS,
        )  # fmt: skip
        if started is None:
            return CheckResult(name, False, "the long line never started")
        stop_id = f"stop-{uuid.uuid4().hex[:8]}"
        sent = time.monotonic()
        self._send(topics.robot_estop(self.center, self.robot), {"v": 1, "id": stop_id})
        stopped = self.wire.wait(self.events_topic, lambda b: b.get("id") == stop_id, 2.0)
        failed = self.wire.wait(
            self.events_topic,
            lambda b: b.get("id") == command["id"] and b.get("reason") == "stopped",
            0.1,
        )
        if stopped is None:
            return CheckResult(name, False, "no 'stopped' answer within 2 s")
        if any(e["event"] == "done" for e in self._events(command["id"])):
            return CheckResult(name, False, "the long line was already done when the stop came "
                               "(does the robot really speak it?)")  # fmt: skip
        took = self._arrival(stopped) - sent
        detail = f"'stopped' after {took * 1000:.0f} ms; the line " + (
            "failed 'stopped'" if failed else "was NOT answered 'failed' 'stopped'"
        )
        return CheckResult(name, took <= STOP_SECONDS and failed is not None, detail)

    def after_stop(self) -> CheckResult:
        name = "after a stop the robot takes new commands"
        command = self._command("say", {"text": "다시 시작해요"})
        kinds = [e["event"] for e in self._final(command["id"], 15.0)]
        return CheckResult(name, kinds[-1:] == ["done"], f"events: {kinds or 'none'}")

    # ---- helpers ------------------------------------------------------------------------

    def _command(
        self, action: str, args: dict[str, Any], deadline: float | None = None, send: bool = True
    ) -> dict[str, Any]:
        command = {
            "v": 1,
            "id": f"check-{uuid.uuid4().hex[:12]}",
            "action": action,
            "args": args,
            "deadline": deadline if deadline is not None else time.time() + ANSWER_SECONDS,
            "class_id": "conformance",
        }
        if send:
            self._send(topics.robot_cmd(self.center, self.robot), command)
        return command

    def _send(self, topic: str, body: dict[str, Any]) -> None:
        self.wire.publish(topic, json.dumps(body).encode())

    def _events(self, command_id: str) -> list[dict[str, Any]]:
        return [
            b
            for _, t, b in self.wire.seen
            if t == self.events_topic and isinstance(b, dict) and b.get("id") == command_id
        ]

    def _final(self, command_id: str, seconds: float) -> list[dict[str, Any]]:
        """The events of a command up to its final one ([] if none came in `seconds`)."""
        final = self.wire.wait(
            self.events_topic,
            lambda b: b.get("id") == command_id and b["event"] in ("done", "failed", "rejected"),
            seconds,
        )
        return self._events(command_id) if final is not None else []

    def _rejected(self, name: str, command: dict[str, Any], reason: str) -> CheckResult:
        return self._answered_with(name, command["id"], reason)

    def _answered_with(self, name: str, command_id: str, reason: str) -> CheckResult:
        events = self._final(command_id, ANSWER_SECONDS)
        last = events[-1] if events else None
        ok = last is not None and last["event"] == "rejected" and last.get("reason") == reason
        return CheckResult(name, ok, f"answer: {last}")

    def _arrival(self, body: Any) -> float:
        return next(at for at, _, b in self.wire.seen if b is body)

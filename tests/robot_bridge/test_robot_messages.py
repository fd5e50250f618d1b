from __future__ import annotations

import json

import pytest

from robot_bridge.protocol import topics
from robot_bridge.protocol.incoming import Incoming, Rejected, parse
from robot_bridge.protocol.robot_messages import Command, RobotStatus, SayArgs
from robot_bridge.protocol.wire import MAX_PAYLOAD_BYTES, ProtocolError

CMD = topics.robot_cmd("c1", "r1")


def command(**fields: object) -> bytes:
    body = {"v": 1, "id": "c-1", "action": "say", "args": {"text": "안녕하세요"}}
    return json.dumps({**body, "deadline": 2e9, **fields}).encode()


def test_a_command_parses_with_typed_arguments() -> None:
    result = parse(CMD, command())
    assert isinstance(result, Incoming) and isinstance(result.message, Command)
    action, args = result.message.parsed_args()
    assert action == "say" and args == SayArgs(text="안녕하세요")


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"\xff\xfe", "not UTF-8"),
        (b"{nope", "not JSON"),
        (b"[1]", "not an object"),
        (b'{"id":"c-1"}', "no protocol version"),
        (b'{"v":2,"id":"c-1"}', "version 2"),
        (command(deadline="soon"), "deadline"),
        (command(id="has space"), "id"),
        (b"", "empty payload"),
        (b'{"v":1,' + b" " * MAX_PAYLOAD_BYTES + b"}", "over"),
    ],
)
def test_bad_payloads_are_rejected_with_the_reason(payload: bytes, reason: str) -> None:
    result = parse(CMD, payload)
    assert isinstance(result, Rejected)
    assert reason in result.reason


def test_a_rejection_names_the_command_id_when_it_can_be_read() -> None:
    result = parse(CMD, command(deadline=None))
    assert isinstance(result, Rejected) and result.message_id == "c-1"


@pytest.mark.parametrize(
    ("action", "args", "reason"),
    [
        ("dance", {}, "unknown action 'dance'"),
        ("say", {}, "text"),
        ("say", {"text": "hi", "rate": 9}, "rate"),
        ("say", {"text": "hi", "marks": [{"at": 9, "gesture": "wave"}]}, "marks"),
        ("say", {"text": "hi", "marks": [{"at": 0, "gesture": "wave", "pause": 1}]}, "exactly"),
        ("gesture", {"name": "Wave!"}, "name"),
        ("point", {"target": "screen", "extra": 1}, "extra"),
    ],
)
def test_bad_arguments_say_what_is_wrong(action: str, args: dict[str, object], reason: str) -> None:
    result = parse(CMD, command(action=action, args=args))
    assert isinstance(result, Incoming) and isinstance(result.message, Command)
    with pytest.raises(ProtocolError, match=reason):
        result.message.parsed_args()


def test_a_say_needs_the_capabilities_of_its_marks() -> None:
    marks = [{"at": 0, "gesture": "bow"}, {"at": 2, "point": "screen"}, {"at": 2, "pause": 1}]
    cmd = Command(id="c", action="say", args={"text": "hi", "marks": marks}, deadline=1)
    assert cmd.needs() == ["say", "gesture:bow", "point:screen"]


def test_unknown_fields_from_a_newer_sender_are_ignored() -> None:
    payload = b'{"v":1,"state":"online","battery":50,"mood":"cheerful"}'
    result = parse(topics.robot_status("c1", "r1"), payload)
    assert isinstance(result, Incoming) and result.message == RobotStatus(
        state="online", battery=50
    )


def test_encoding_leaves_out_empty_fields_and_keeps_korean_readable() -> None:
    status = RobotStatus(state="offline")
    assert status.encode() == b'{"v":1,"state":"offline","capabilities":[]}'
    cmd = Command(id="c", action="say", args={"text": "안녕"}, deadline=1)
    assert "안녕" in cmd.encode().decode()


def test_a_nan_deadline_is_refused() -> None:
    result = parse(CMD, command(deadline=float("nan")))
    assert isinstance(result, Rejected) and "deadline" in result.reason

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from robot_bridge import topics
from robot_bridge.sync_protocol import (
    MAX_BATCH_BYTES,
    SyncProtocolError,
    encode,
    encode_batch,
    parse_ack,
    parse_batch,
    parse_batch_topic,
    parse_roster,
)
from tests.robot_bridge.test_sync_planner import event

TOPIC = topics.sync_batch("gangnam-1", "kiosk-1")


def batch(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "v": 1,
        "center": "gangnam-1",
        "kiosk": "kiosk-1",
        "batch_id": "b1",
        "first_seq": 5,
        "last_seq": 6,
        "events": [
            {"seq": 5, "event": event(5).model_dump(mode="json")},
            {"seq": 6, "event": event(6).model_dump(mode="json")},
        ],
    }
    data.update(changes)
    return data


def raw(data: object) -> bytes:
    return json.dumps(data).encode()


def test_topics_round_trip() -> None:
    assert TOPIC == "sarangbang/v1/centers/gangnam-1/sync/kiosk-1/batch"
    assert parse_batch_topic(TOPIC) == ("gangnam-1", "kiosk-1")
    assert topics.intake_subscription() == (
        "$share/central-intake/sarangbang/v1/centers/+/sync/+/batch"
    )


def test_good_batch_parses_and_encodes_back() -> None:
    parsed = parse_batch(TOPIC, raw(batch()))
    assert parse_batch(TOPIC, encode(parsed)) == parsed


@pytest.mark.parametrize(
    ("topic", "payload", "reason"),
    [
        (TOPIC, b"{not json", "SyncBatch: payload: Invalid JSON"),
        (TOPIC, raw(batch(v=2)), "v: Input should be 1"),
        (TOPIC, raw(batch(events=[])), "events: List should have at least 1 item"),
        (TOPIC, raw(batch(last_seq=7)), "must be seq 5…7 in order, got 5…6"),
        (TOPIC, raw(batch(center="mapo-2")), "batch says mapo-2/kiosk-1 but came on the topic"),
        (TOPIC, b" " * (MAX_BATCH_BYTES + 1), "exceeds"),
        ("sarangbang/v1/centers/x/sync/k/ack", raw(batch()), "not a batch topic"),
        ("sarangbang/v1/centers/X Y/sync/k/batch", raw(batch()), "is not a slug"),
    ],
)
def test_bad_batches_say_why(topic: str, payload: bytes, reason: str) -> None:
    with pytest.raises(SyncProtocolError, match=reason):
        parse_batch(topic, payload)


@given(st.binary(max_size=300))
def test_random_bytes_never_escape_as_other_errors(payload: bytes) -> None:
    for parse in (lambda p: parse_batch(TOPIC, p), parse_ack, parse_roster):
        with contextlib.suppress(SyncProtocolError):
            parse(payload)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=20,
    )
)
def test_random_json_is_rejected_cleanly(data: object) -> None:
    payload = json.dumps(data).encode()
    for parse in (lambda p: parse_batch(TOPIC, p), parse_ack, parse_roster):
        with contextlib.suppress(SyncProtocolError):
            parse(payload)


def test_batch_framed_from_stored_json_parses_like_the_model() -> None:
    rows = [(5, event(5).model_dump_json()), (6, event(6).model_dump_json())]
    framed = encode_batch("gangnam-1", "kiosk-1", "b1", rows)
    assert parse_batch(TOPIC, framed) == parse_batch(TOPIC, raw(batch()))

from __future__ import annotations

import contextlib
import json
import re
import time
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import (
    MAX_BATCH_BYTES,
    RosterLearner,
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


def test_text_that_only_looks_like_a_surrogate_escape_is_kept() -> None:
    """A backslash typed before `ud800` is text, not an escape (it was refused)."""
    events = batch()["events"]
    assert isinstance(events, list)
    events[0]["event"]["detail"] = {"typed": "C:\\ud800"}
    (item, _) = parse_batch(TOPIC, raw(batch(events=events))).events
    assert item.event.detail == {"typed": "C:\\ud800"}
    events[0]["event"]["detail"] = {"typed": "\\ud800\udc00"}  # a real lone half after it
    with pytest.raises(SyncProtocolError, match="a lone surrogate"):
        parse_batch(TOPIC, raw(batch(events=events)))


def test_good_batch_parses_and_encodes_back() -> None:
    parsed = parse_batch(TOPIC, raw(batch()))
    assert parse_batch(TOPIC, encode(parsed)) == parsed


@pytest.mark.parametrize(
    ("topic", "payload", "reason"),
    [
        (TOPIC, b"{not json", "SyncBatch: payload: Invalid JSON"),
        (TOPIC, raw(batch(batch_id="a\ud800b")), "Invalid JSON: a lone surrogate"),
        (TOPIC, raw(batch(batch_id="a\udc00b")), "Invalid JSON: a lone surrogate"),
        # an escaped backslash before the escape fooled the regex that looked for these
        (TOPIC, raw(batch(batch_id="\\ud800\udc00")), "Invalid JSON: a lone surrogate"),
        (TOPIC, "\ufeff{}".encode("utf-16"), "Invalid JSON: not UTF-8"),
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


def with_event(**changes: object) -> bytes:
    """A one-event batch whose event has `changes`, framed as a kiosk would send it."""
    item = {"seq": 5, "event": {**event(5).model_dump(mode="json"), **changes}}
    return raw(batch(last_seq=5, events=[item]))


def timed_parse(payload: bytes, tries: int = 3) -> tuple[str, float, int]:
    """(the reason it was refused, CPU seconds of the fastest of `tries` parses, peak bytes
    allocated): the fastest, as other work on the machine (four test workers on two
    cores) slows one parse's CPU time too."""
    tracemalloc.start()
    seconds = []
    for _ in range(tries):
        start = time.process_time()
        try:
            parse_batch(TOPIC, payload)
        except SyncProtocolError as exc:
            reason = str(exc)
        else:
            reason = ""
        seconds.append(time.process_time() - start)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return reason, min(seconds), peak


# A refusal must cost what reading the message costs, whatever number it claims.
REFUSAL_SECONDS = 0.05
REFUSAL_BYTES = 2_000_000


@pytest.mark.parametrize("last_seq", [10**6, 10**8, 2**31, 2**53 - 1, 2**63, 10**30])
def test_a_claimed_run_is_refused_without_building_it(last_seq: int) -> None:
    reason, seconds, peak = timed_parse(raw(batch(last_seq=last_seq)))
    assert "must be seq" in reason or "less than or equal to" in reason
    assert seconds < REFUSAL_SECONDS and peak < REFUSAL_BYTES, (seconds, peak)


@given(
    first=st.integers(min_value=-(2**80), max_value=2**80),
    last=st.integers(min_value=-(2**80), max_value=2**80),
    count=st.integers(min_value=1, max_value=3),
)
@settings(max_examples=200, deadline=None)
def test_no_claimed_numbers_make_parsing_grow(first: int, last: int, count: int) -> None:
    items = [{"seq": 5 + i, "event": event(5 + i).model_dump(mode="json")} for i in range(count)]
    reason, seconds, peak = timed_parse(raw(batch(first_seq=first, last_seq=last, events=items)))
    assert seconds < REFUSAL_SECONDS and peak < REFUSAL_BYTES, (seconds, peak)
    if (first, last) != (5, 4 + count):
        assert reason


def best_seconds(payload: bytes, repeats: int = 7) -> float:
    """CPU seconds of the fastest of `repeats` parses: other work on the machine adds none."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        parse_batch(TOPIC, payload)
        times.append(time.process_time() - start)
    return min(times)


def test_a_full_megabyte_batch_parses_in_linear_time() -> None:
    detail = {f"k{i}": "x" * 200 for i in range(8)}
    items = [
        {"seq": s, "event": {**event(s).model_dump(mode="json"), "detail": detail}}
        for s in range(1, 501)
    ]
    payload = raw(batch(first_seq=1, last_seq=500, events=items))
    small = raw(batch(first_seq=1, last_seq=50, events=items[:50]))
    assert 900_000 < len(payload) <= MAX_BATCH_BYTES
    big_seconds, small_seconds = best_seconds(payload), best_seconds(small)
    assert big_seconds < 40 * small_seconds  # ten times the events: ~10× the time, not 100×
    assert big_seconds < 1.0


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (with_event(at=float("nan")), "at is nan, not a finite time"),
        (with_event(at=float("inf")), "at is inf, not a finite time"),
        (with_event(at=float("-inf")), "at is -inf, not a finite time"),
        (with_event(detail={"seconds": float("nan")}), "detail.seconds is nan"),
        (with_event(detail={"seconds": float("inf")}), "detail.seconds is inf"),
        (with_event(detail={"hint_level": 2**70}), "detail.hint_level of 71 bits is too large"),
        (with_event(lesson_version=2**70), "lesson_version of 71 bits is outside"),
        (with_event(step_index=-1), "step_index -1 is outside"),
        (with_event(step_index=2**63), "step_index 9223372036854775808 is outside"),
        (raw(batch(first_seq=2**64, last_seq=2**64)), "less than or equal to 9007199254740991"),
        (with_event(detail={f"k{i}": 1 for i in range(40)}), "detail has 40 keys"),
        (with_event(detail={"input": "x" * 5000}), "detail.input is over 2000 chars"),
    ],
)
def test_numbers_sqlite_or_a_summary_cannot_hold_are_refused(payload: bytes, reason: str) -> None:
    with pytest.raises(SyncProtocolError, match=re.escape(reason)):
        parse_batch(TOPIC, payload)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (with_event(learner_id='=HYPERLINK("http://x","y")'), "learner id '=HYPERLINK"),
        (with_event(learner_id="Kim"), "learner id 'Kim' is not a slug"),
        (with_event(lesson_id="phone call"), "lesson id 'phone call' is not a slug"),
        (with_event(step_id="<b>step</b>"), "step id '<b>step</b>' is not a slug"),
        (with_event(id="event 0005; drop"), "event id 'event 0005; drop' is not a token"),
        (with_event(session_id="s\nforged log line"), "session id"),
        (with_event(detail={"=cmd": 1}), "detail key '=cmd' is not a name"),
        (raw(batch(batch_id="b1\nforged")), "batch_id: String should match pattern"),
    ],
)
def test_every_id_from_a_center_is_a_slug_or_token(payload: bytes, reason: str) -> None:
    with pytest.raises(SyncProtocolError, match=re.escape(reason)):
        parse_batch(TOPIC, payload)


@given(depth=st.integers(min_value=1, max_value=400_000))
@settings(max_examples=30, deadline=None)
def test_deep_nesting_is_refused_cheaply(depth: int) -> None:
    payload = with_event(detail={}).replace(b'"detail": {}', b'"detail": ' + b"[" * depth)
    reason, seconds, _ = timed_parse(payload[:MAX_BATCH_BYTES])
    assert reason and seconds < REFUSAL_SECONDS * 4


def test_an_ack_with_fields_added_later_still_parses() -> None:
    ack = {"v": 1, "center": "gangnam-1", "kiosk": "kiosk-1", "batch_id": "b1"}
    ack |= {"first_seq": 5, "last_seq": 6, "status": "stored", "something_new": 3}
    assert parse_ack(raw(ack)).status == "stored"


BAD_NUMBERS = [float("nan"), float("inf"), float("-inf"), 2**53, -(2**63), 2**64, 10**30]


@given(
    where=st.sampled_from(["seq", "lesson_version", "step_index", "seconds", "hint_level"]),
    bad=st.sampled_from(BAD_NUMBERS),
    other=st.sampled_from(["at", "seconds"]),
    not_finite=st.sampled_from(BAD_NUMBERS[:3]),
)
def test_any_bad_number_anywhere_is_refused_naming_its_field(
    where: str, bad: float, other: str, not_finite: float
) -> None:
    for field, value in ((where, bad), (other, not_finite)):
        item: dict[str, object] = {"seq": 5, "event": event(5).model_dump(mode="json")}
        target = item if field == "seq" else item["event"]
        assert isinstance(target, dict)
        if field in ("seconds", "hint_level"):
            target["detail"] = {field: value}
        else:
            target[field] = value
        with pytest.raises(SyncProtocolError) as refused:
            parse_batch(TOPIC, raw(batch(last_seq=5, events=[item])))
        assert field in str(refused.value)


def _megabyte_of(fill: str, around: tuple[str, str]) -> bytes:
    head, tail = around
    count = (MAX_BATCH_BYTES - len(head) - len(tail)) // (len(fill) + 1)
    return (head + ",".join([fill] * count) + tail).encode()


_HEADER = '{"v":1,"center":"gangnam-1","kiosk":"kiosk-1","batch_id":"b","first_seq":1,'
JUNK_MEGABYTES = {
    "empty lists in an unknown field": _megabyte_of("[]", ('{"x":[', "]}")),
    "empty lists in a detail": _megabyte_of(
        "[]", ('{"events":[{"seq":1,"event":{"detail":{"a":[', "]}}}]}")
    ),
    "empty lists as events": _megabyte_of("[]", (_HEADER + '"last_seq":1,"events":[', "]}")),
    "empty objects in an unknown field": _megabyte_of("{}", ('{"x":[', "]}")),
    "unknown keys": ("{" + ",".join(f'"k{i}":0' for i in range(80_000)) + "}").encode(),
}


@pytest.mark.parametrize("payload", JUNK_MEGABYTES.values(), ids=JUNK_MEGABYTES.keys())
def test_a_megabyte_of_junk_costs_no_more_than_a_megabyte_of_events(payload: bytes) -> None:
    """One worker parses every center's batches: a center sending a megabyte that costs
    seconds (pydantic's JSON mode took 2–4 s for 333,000 empty lists) would stall the city.
    A refusal may cost some times a real full batch (json.loads still builds 333,000
    lists), never hundreds."""
    detail = {f"k{i}": "x" * 200 for i in range(8)}
    items = [
        {"seq": s, "event": {**event(s).model_dump(mode="json"), "detail": detail}}
        for s in range(1, 501)
    ]
    real = raw(batch(first_seq=1, last_seq=500, events=items))
    assert len(payload) <= MAX_BATCH_BYTES
    times = []
    for _ in range(3):
        start = time.process_time()
        with contextlib.suppress(SyncProtocolError):
            parse_batch(TOPIC, payload)
        times.append(time.process_time() - start)
    junk_seconds = min(times)
    assert junk_seconds < max(40 * best_seconds(real), 0.2), (junk_seconds, best_seconds(real))


def test_a_roster_name_is_held_to_40_characters_as_a_person_sees_them() -> None:
    family = "👨\u200d👩\u200d👧\u200d👦"
    assert RosterLearner(id="l-1", name=family * 40).name == family * 40
    with pytest.raises(ValidationError, match="1–40 characters"):
        RosterLearner(id="l-1", name=family * 41)

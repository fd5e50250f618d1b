"""Intake's fast batch reader (central/batch_reader.py) never changes a verdict: what it
accepts, the protocol's `parse_batch` accepts with the same values; what it is not sure
of is read by `parse_batch`, so a refusal's words are the protocol's own."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from central.batch_reader import batch_json, read_batch, read_fast
from central.set_aside import event_json
from robot_bridge.protocol import topics
from robot_bridge.protocol.sync_protocol import (
    BatchRecord,
    SyncProtocolError,
    encode_batch,
    parse_batch,
)
from tests.progress_events import walk
from tests.robot_bridge.test_sync_protocol import JUNK_MEGABYTES, best_seconds

TOPIC = topics.sync_batch("gangnam-1", "kiosk-1")


def values(batch: BatchRecord) -> tuple[object, ...]:
    """Everything intake reads of a batch."""
    items = [(item.seq, event_json(item.event)) for item in batch.events]
    return (batch.center, batch.kiosk, batch.batch_id, batch.first_seq, batch.last_seq, items)


def real_batch(count: int = 12) -> dict[str, Any]:
    one = walk("kim", wrong_taps=1, help_calls=1)
    events = (one * (count // len(one) + 1))[:count]
    payload = encode_batch("gangnam-1", "kiosk-1", "b-1", [
        (n + 1, e.model_dump_json()) for n, e in enumerate(events)
    ])  # fmt: skip
    return dict(json.loads(payload))


def verdict(payload: bytes) -> tuple[object, ...] | str:
    """parse_batch's: the batch's values, or its refusal's words."""
    try:
        return values(parse_batch(TOPIC, payload))
    except SyncProtocolError as exc:
        return str(exc)


def test_a_real_batch_is_read_fast_with_the_protocols_values() -> None:
    payload = json.dumps(real_batch(), ensure_ascii=False).encode()
    fast = read_fast(TOPIC, payload)
    assert fast is not None
    assert values(fast) == verdict(payload)
    again = read_fast(TOPIC, batch_json(fast))  # written back as JSON, read the same
    assert again is not None and values(again) == values(fast)


REFUSED = [  # (where, what is put there), each refused by the protocol for its own reason
    (("events", 0, "event", "learner_id"), '=HYPERLINK("http://x")'),
    (("events", 0, "event", "id"), "id with spaces"),
    (("events", 1, "event", "at"), float("nan")),
    (("events", 1, "event", "lesson_version"), 10**7),
    (("events", 2, "event", "detail"), {"Bad-Key": 1}),
    (("events", 2, "event", "detail"), {"n": 2**60}),
    (("events", 2, "seq"), 9),
    (("last_seq",), 99),
    (("center",), "mapo-2"),
    (("events", 0, "event", "kind"), "lesson_hacked"),
    (("events", 0, "event", "extra"), 1),
]


@pytest.mark.parametrize(("where", "value"), REFUSED)
def test_a_refusal_keeps_the_protocols_words(where: tuple[Any, ...], value: object) -> None:
    batch = real_batch()
    put(batch, where, value)
    payload = json.dumps(batch).encode()
    assert read_fast(TOPIC, payload) is None
    with pytest.raises(SyncProtocolError) as refused:
        read_batch(TOPIC, payload)
    assert str(refused.value) == verdict(payload)


def put(tree: Any, where: tuple[Any, ...], value: object) -> None:
    for step in where[:-1]:
        tree = tree[step]
    tree[where[-1]] = value


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["learner-0", "phone-call", "1", "", "welcome", "Kim", "kim\n", "a--b",
                       "x" * 64, "x" * 65, "abcdefgh", "abc def", "é", "x" * 2001, "hint_level"])
    | st.sampled_from([-1, 0, 999, 1000, 10**6, 10**6 + 1, 2**53 - 1, 2**53, 1e308, 1.5])
    | st.integers(min_value=2**53 - 2, max_value=2**64),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=5,
)  # fmt: skip
FIELDS = ["id", "kind", "session_id", "learner_id", "lesson_id", "lesson_version",
          "step_index", "step_id", "at", "detail", "extra"]  # fmt: skip
BATCH_FIELDS = ["v", "center", "kiosk", "batch_id", "first_seq", "last_seq", "events"]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.lists(
        st.tuples(
            st.one_of(
                st.tuples(st.just("events"), st.integers(0, 3), st.just("event"),
                          st.sampled_from(FIELDS)),
                st.tuples(st.just("events"), st.integers(0, 3), st.just("event"),
                          st.just("detail"), st.sampled_from(["hint_level", "seconds", "x"])),
                st.tuples(st.just("events"), st.integers(0, 3), st.just("seq")),
                st.tuples(st.sampled_from(BATCH_FIELDS)),
            ),
            JSON_VALUES | st.just(None),
            st.booleans(),  # remove the field instead
        ),
        min_size=1,
        max_size=3,
    )
)  # fmt: skip
def test_whatever_a_center_sends_the_verdict_is_the_protocols(
    changes: list[tuple[tuple[Any, ...], object, bool]],
) -> None:
    batch = real_batch(4)
    for where, value, remove in changes:
        try:
            parent = batch
            for step in where[:-1]:
                parent = parent[step]
            if remove:
                del parent[where[-1]]
            else:
                parent[where[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # a path the earlier changes removed or replaced
    payload = json.dumps(batch).encode()
    expected = verdict(payload)
    fast = read_fast(TOPIC, payload)
    if fast is not None:  # accepted fast: the protocol accepts it, with the same values
        assert values(fast) == expected
    try:
        got: tuple[object, ...] | str = values(read_batch(TOPIC, payload))
    except SyncProtocolError as exc:
        got = str(exc)
    assert got == expected


@pytest.mark.parametrize("payload", JUNK_MEGABYTES.values(), ids=JUNK_MEGABYTES.keys())
def test_a_megabyte_of_junk_costs_the_fast_reader_little(payload: bytes) -> None:
    """Intake tries the fast reader on every message before the protocol's: a megabyte
    built to be dear to read must cost it no more than the protocol's own bound on a
    refusal (tests/robot_bridge/test_sync_protocol.py): some times a full real batch."""
    real = json.dumps(real_batch(500), ensure_ascii=False).encode()
    times = []
    for _ in range(3):
        start = time.process_time()
        assert read_fast(TOPIC, payload) is None
        times.append(time.process_time() - start)
    assert min(times) < max(40 * best_seconds(real), 0.2), (min(times), best_seconds(real))


INTERESTING = [
    None, True, False, 0, -1, 1, 999, 1000, 10**6, 10**6 + 1, 2**53 - 1, 2**53, -(2**53),
    2**63, 1.5, 1e308, "", "1", "learner-0", "phone-call", "welcome", "Kim", "kim\n", "a--b",
    "-a", "x" * 64, "x" * 65, "abcdefgh", "abcdefg", "abc def", "é", "x" * 2001, "x" * 2000,
    "lesson_started", [], {}, {"a": 1}, {"Bad": 1}, {"k\n": 1}, {f"k{n}": n for n in range(17)},
]  # fmt: skip


def test_every_field_with_every_awkward_value_gets_the_protocols_verdict() -> None:
    """Deterministic beside the generated cases: each event field and detail value, and
    each batch field, set to each awkward value in turn."""
    wheres = [("events", 1, "event", f) for f in FIELDS]
    wheres += [("events", 1, "event", "detail", k) for k in ("hint_level", "seconds", "x")]
    wheres += [(f,) for f in BATCH_FIELDS] + [("events", 1, "seq")]
    for where in wheres:
        for value in INTERESTING:
            batch = real_batch(3)
            put(batch, where, value)
            payload = json.dumps(batch).encode()
            expected = verdict(payload)
            fast = read_fast(TOPIC, payload)
            assert fast is None or values(fast) == expected, (where, value)
            try:
                got: tuple[object, ...] | str = values(read_batch(TOPIC, payload))
            except SyncProtocolError as exc:
                got = str(exc)
            assert got == expected, (where, value)

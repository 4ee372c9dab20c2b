"""Dialplan reducers (docs/design.md: ``dialplan_modify`` marks the dialplan stale; call-reverse
keeps the active (from, to) pairs with their start time)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror.rules import callreverse_key
from reducers import Mirror
from reducers.dialplan import CallReverse
from reducers.user import Stale
from tests.support import Stream

CALLER = "+4989123248278"
CALLED = "+492216698000"
ELSEWHERE = "+49241441010"


def assert_round_trips(mirror: Mirror) -> None:
    assert reducers.loads(reducers.dumps(mirror)) == mirror


def test_dialplan_modify_marks_the_dialplan_stale_with_the_event_id_and_time() -> None:
    stream = Stream()
    stream.add("phone_modify")
    stream.add("dialplan_modify", time=1_000_777)
    mirror = stream.fold()
    assert mirror.stale["dialplan"] == Stale(id=1, time=1_000_777)
    assert mirror.stale["phone"] == Stale(id=0, time=1_000_001)
    assert reducers.to_json(mirror)["stale"]["dialplan"] == {"id": 1, "time": 1_000_777}
    assert_round_trips(mirror)


def test_callreverse_start_records_the_pair_with_its_start_time() -> None:
    stream = Stream()
    stream.add("dialplan_callreverse_start", phone_from=CALLER, phone_to=CALLED, time=1_000_500)
    mirror = stream.fold()
    key = callreverse_key(CALLER, CALLED)
    assert dict(mirror.callreverse) == {key: CallReverse(CALLER, CALLED, start_time=1_000_500)}
    assert reducers.to_json(mirror)["callreverse"][key] == {
        "phone_from": CALLER,
        "phone_to": CALLED,
        "start_time": 1_000_500,
    }
    assert_round_trips(mirror)


def test_pairs_are_directed_and_independent() -> None:
    stream = Stream()
    stream.add("dialplan_callreverse_start", phone_from=CALLER, phone_to=CALLED)
    stream.add("dialplan_callreverse_start", phone_from=CALLED, phone_to=CALLER)
    stream.add("dialplan_callreverse_start", phone_from=CALLER, phone_to=ELSEWHERE)
    stream.add("dialplan_callreverse_stop", phone_from=CALLER, phone_to=CALLED)
    mirror = stream.fold()
    pairs = {(pair.phone_from, pair.phone_to) for pair in mirror.callreverse.values()}
    assert pairs == {(CALLED, CALLER), (CALLER, ELSEWHERE)}


def test_callreverse_stop_of_an_inactive_pair_changes_no_state() -> None:
    stream = Stream()
    stream.add("dialplan_callreverse_start", phone_from=CALLER, phone_to=CALLED)
    before = stream.fold()
    stream.add("dialplan_callreverse_stop", phone_from=CALLER, phone_to=ELSEWHERE)
    after = stream.fold()
    assert after.same_state(before)
    assert after.health.anomaly_count == 0


phones = st.sampled_from([CALLER, CALLED, ELSEWHERE])


@given(st.lists(st.tuples(st.booleans(), phones, phones), max_size=20))
def test_active_pairs_are_those_started_and_not_stopped_since(
    steps: list[tuple[bool, str, str]],
) -> None:
    # A repeated start (its stop never seen) restarts the pair: the latest start time counts.
    stream = Stream()
    active: dict[tuple[str, str], int] = {}
    for start, phone_from, phone_to in steps:
        name = "dialplan_callreverse_start" if start else "dialplan_callreverse_stop"
        item = stream.add(name, phone_from=phone_from, phone_to=phone_to)
        if start:
            active[(phone_from, phone_to)] = item["time"]
        else:
            active.pop((phone_from, phone_to), None)
    mirror = stream.fold()
    got = {(p.phone_from, p.phone_to): p.start_time for p in mirror.callreverse.values()}
    assert got == active
    assert_round_trips(mirror)

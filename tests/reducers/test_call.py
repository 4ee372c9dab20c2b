"""Call events: parameters merged per call UUID, empty control or bridge cleared, DTMF digits."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from reducers.call import Call, Dtmf
from tests.support import Stream

CALL = "2b3b70ce-8677-11e2-a7c1-0024e8f90cc0"
PEER = "3c4c81df-8677-11e2-a7c1-0024e8f90cc0"

FIELDS: dict[str, Any] = {
    "status": "answered",
    "answer_time": 1_362_587_197,
    "current_control": "conference",
    "bridge": PEER,
}


def call_of(mirror: reducers.Mirror, uuid: str = CALL) -> Call:
    return mirror.calls[uuid]


def updated(**fields: Any) -> Stream:
    stream = Stream()
    stream.add("call_update", call={CALL: fields})
    return stream


def test_call_update_with_every_field_creates_the_call() -> None:
    assert call_of(updated(**FIELDS).fold()) == Call(**FIELDS)


def test_call_update_with_no_field_creates_an_empty_call() -> None:
    assert call_of(updated().fold()) == Call()


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_call_update_merges_only_the_fields_present(field: str) -> None:
    stream = updated(status="ringing", answer_time=1, current_control="ivr", bridge=CALL)
    before = call_of(stream.fold())
    stream.add("call_update", call={CALL: {field: FIELDS[field]}})
    assert call_of(stream.fold()) == msgspec.structs.replace(before, **{field: FIELDS[field]})


@pytest.mark.parametrize("field", ["current_control", "bridge"])
def test_an_empty_control_or_bridge_removes_that_field(field: str) -> None:
    stream = updated(**FIELDS)
    stream.add("call_update", call={CALL: {field: ""}})
    mirror = stream.fold()
    assert call_of(mirror) == msgspec.structs.replace(Call(**FIELDS), **{field: None})
    assert field not in reducers.to_json(mirror)["calls"][CALL]


def test_one_update_can_carry_several_calls() -> None:
    stream = updated(status="ringing")
    stream.add("call_update", call={CALL: {"status": "answered"}, PEER: {"status": "ringing"}})
    mirror = stream.fold()
    assert dict(mirror.calls) == {CALL: Call(status="answered"), PEER: Call(status="ringing")}


def test_call_dtmf_appends_digit_duration_and_time_in_arrival_order() -> None:
    stream = updated(status="answered")
    first = stream.add("call_dtmf", call=CALL, digit="2", duration=143)
    second = stream.add("call_dtmf", call=CALL, digit="#", duration=80)
    stream.add("call_update", call={CALL: {"bridge": PEER}})
    assert call_of(stream.fold()) == Call(
        status="answered",
        bridge=PEER,
        dtmf=(Dtmf("2", 143, first["time"]), Dtmf("#", 80, second["time"])),
    )


def test_call_dtmf_for_an_unseen_call_creates_it() -> None:
    stream = Stream()
    event = stream.add("call_dtmf", call=CALL, digit="5", duration=0)
    assert call_of(stream.fold()) == Call(dtmf=(Dtmf("5", 0, event["time"]),))


def test_calls_survive_a_json_round_trip() -> None:
    stream = updated(**FIELDS)
    event = stream.add("call_dtmf", call=CALL, digit="2", duration=143)
    stream.add("call_update", call={CALL: {"current_control": ""}})
    mirror = stream.fold()
    assert reducers.loads(reducers.dumps(mirror)) == mirror
    # The JSON text itself: to_json keeps the digits as a tuple of lists (see the report).
    assert msgspec.json.decode(reducers.dumps(mirror))["calls"][CALL] == {
        "status": "answered",
        "answer_time": 1_362_587_197,
        "bridge": PEER,
        "dtmf": [["2", 143, event["time"]]],
    }


UPDATES = st.lists(
    st.dictionaries(
        st.sampled_from(("status", "current_control", "bridge")),
        st.sampled_from(("", "a", "b")),
        max_size=3,
    ),
    max_size=12,
)


@given(UPDATES)
def test_parameters_follow_a_merge_model(updates: list[dict[str, str]]) -> None:
    stream = Stream()
    model: dict[str, str] = {}
    for fields in updates:
        stream.add("call_update", call={CALL: fields})
        for name, value in fields.items():
            if value == "" and name != "status":
                model.pop(name, None)
            else:
                model[name] = value
    mirror = stream.fold()
    found = mirror.calls.get(CALL)
    assert (msgspec.to_builtins(found) if found is not None else {}) == model
    assert reducers.loads(reducers.dumps(mirror)) == mirror

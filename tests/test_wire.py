"""The wire twins fold decodes lines into (eventmirror/wire.py): whatever a twin accepts, the
event class accepts with the same values; and real events do take the twin path."""

from __future__ import annotations

from typing import Any

import msgspec
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror.codec import decode
from eventmirror.events import EVENT_TYPES
from eventmirror.strategies import wire_events
from eventmirror.wire import TWINS, decode_line
from tests.fuzz.properties import check_twin
from tests.reference import reference_event

NAMES = sorted(EVENT_TYPES)


def line(wire: dict[str, Any]) -> bytes:
    return orjson.dumps(wire)


@pytest.mark.parametrize("name", NAMES)
def test_every_reference_example_decodes_as_its_twin_with_the_same_values(name: str) -> None:
    data = line(reference_event(name))
    twin = decode_line(data)
    assert type(twin) is TWINS[EVENT_TYPES[name]]
    assert twin.event == name
    check_twin(data, decode(data))


@given(wire_events())
def test_valid_events_take_the_twin_path_and_agree_with_their_class(wire: dict[str, Any]) -> None:
    data = line(wire)
    keys = (
        [*wire.get("data", {}), *wire.get("action", {})]
        if wire["event"].startswith("sensor")
        else []
    )
    if "0" in keys:
        # The one key twins leave to the full path (the module docstring says why).
        with pytest.raises(msgspec.ValidationError):
            decode_line(data)
    else:
        assert type(decode_line(data)) is TWINS[EVENT_TYPES[wire["event"]]]
    check_twin(data, decode(data))


SENSOR_KEYS = [
    "0",
    "-0",
    "00",
    "0012",
    "1e3",
    "+5",
    " 5",
    "5 ",
    "5\n",
    "",
    "x",
    "1" * 19,
    "1" * 20,
    "9999999999999999999",
    "9223372036854775807",
    "٣",
    "\\u0035",
]


@pytest.mark.parametrize("key", SENSOR_KEYS)
@pytest.mark.parametrize("name", ["sensor_data", "sensor_action"])
def test_a_twin_takes_no_sensor_key_its_event_class_refuses(name: str, key: str) -> None:
    wire = reference_event(name)
    field = "data" if name == "sensor_data" else "action"
    wire[field] = {key: [1.5, [0, 255]]}
    data = line(wire).replace(b"\\\\u0035", b"\\u0035")
    try:
        outcome: object = decode(data)
    except Exception as error:
        outcome = error
    check_twin(data, outcome)
    # And folding the line ends where applying it does, whichever path it took.
    folded = reducers.fold([data])
    applied = reducers.apply(reducers.empty(), data)
    assert reducers.dumps(folded) == reducers.dumps(applied)


@pytest.mark.parametrize(
    "data",
    [
        b'{"id":1,"event":"tag_delete","time":5,"tag":"t","event":"object_delete"}',
        b'{"id":1,"time":5,"tag":"t","event":"tag_delete","event":"tag_delete"}',
        b'{"event":"tag_delete","id":1,"time":5,"tag":"t","id":2}',
        b'{"id":1,"event":"tag_delete","time":5,"tag":"t","extra":{"event":"object_new"}}',
        b'{"id":1,"event":"no_such_event","time":5}',
    ],
)
def test_repeated_and_nested_names_decode_as_the_event_class_does(data: bytes) -> None:
    try:
        outcome: object = decode(data)
    except Exception as error:
        outcome = error
    check_twin(data, outcome)
    assert reducers.dumps(reducers.fold([data])) == reducers.dumps(
        reducers.apply(reducers.empty(), data)
    )


@given(st.sampled_from(NAMES), st.binary(max_size=40), st.integers(0, 400))
def test_bytes_spliced_into_an_event_never_make_a_twin_accept_what_the_class_refuses(
    name: str, junk: bytes, at: int
) -> None:
    data = line(reference_event(name))
    at = min(at, len(data))
    spliced = data[:at] + junk + data[at:]
    try:
        outcome: object = decode(spliced)
    except Exception as error:
        outcome = error
    check_twin(spliced, outcome)

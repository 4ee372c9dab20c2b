"""Decoding and encoding events: every type of the reference round-trips, errors are precise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given

from eventmirror import strategies
from eventmirror.codec import UnknownEvent, decode, decode_object, encode, to_wire
from eventmirror.errors import EventError
from eventmirror.events import EVENT_TYPES, Event, FaxReportEvent, SensorAction
from eventmirror.events.fax import FaxReport
from tests.reference import REFERENCE, reference_event, reference_examples

ALL_TYPES = sorted(reference_examples())


def test_the_reference_copy_matches_the_shared_original() -> None:
    original = Path(__file__).resolve().parents[2] / "shared" / "spec" / "event-reference.txt"
    if not original.exists():
        pytest.skip("shared/spec is not beside this checkout (only the copy is used then)")
    assert REFERENCE.read_bytes() == original.read_bytes()


def test_the_model_has_exactly_the_reference_types() -> None:
    assert sorted(EVENT_TYPES) == ALL_TYPES
    assert len(ALL_TYPES) == 56


@pytest.mark.parametrize("name", ALL_TYPES)
def test_reference_example_round_trips_exactly(name: str) -> None:
    wire = reference_event(name)
    event = decode(msgspec.json.encode(wire))
    assert isinstance(event, EVENT_TYPES[name])
    assert to_wire(event) == wire
    assert msgspec.json.decode(encode(event)) == wire
    # The same from an already parsed object and from text.
    assert decode_object(wire) == event
    assert decode(msgspec.json.encode(wire).decode()) == event


@given(strategies.wire_events())
def test_any_valid_event_round_trips(wire: dict[str, Any]) -> None:
    event = decode(msgspec.json.encode(wire))
    assert isinstance(event, Event)
    assert to_wire(event) == wire
    assert decode(encode(event)) == event


def test_wire_names_that_are_not_identifiers_map_back() -> None:
    sensor = decode(msgspec.json.encode(reference_event("sensor_action")))
    assert isinstance(sensor, SensorAction)
    assert sensor.action_uuid == "97a1f558-9167-11e2-892a-0024e8f90cc0"
    assert "action-uuid" in to_wire(sensor) and "action_uuid" not in to_wire(sensor)
    fax = decode(msgspec.json.encode(reference_event("fax_report")))
    assert isinstance(fax, FaxReportEvent)
    report = next(iter(fax.report.values()))
    assert isinstance(report, FaxReport) and report.from_ == "+492216689711"


def _error(data: bytes | str) -> EventError:
    with pytest.raises(EventError) as caught:
        decode(data)
    return caught.value


def test_error_names_id_type_path_and_value() -> None:
    wire = reference_event("tag_modify", id=17)
    user = "1de7257a-4f34-11e0-ab6e-0024e8f90cc1"
    wire["policy"][user] = "x"
    error = _error(msgspec.json.encode(wire))
    assert (
        str(error)
        == f'event 17 (tag_modify): policy["{user}"]: expected an access level 0..4, got "x"'
    )
    assert (error.event_id, error.event_type, error.problem.path) == (
        17,
        "tag_modify",
        f'policy["{user}"]',
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"time": 1.5}, "time: expected seconds since the epoch, got 1.5"),
        ({"time": -3}, "time: expected seconds since the epoch, got -3"),
        ({"time": 2**70}, "time: expected seconds since the epoch, got 1180591620717411303424"),
        ({"foreign_use": 1}, "foreign_use: expected true or false, got 1"),
        ({"label": None}, "label: expected a string, got null"),
        ({"policy": []}, "policy: expected an object, got []"),
    ],
)
def test_mistyped_fields(change: dict[str, Any], message: str) -> None:
    wire = {**reference_event("tag_new", id=3), **change}
    assert str(_error(msgspec.json.encode(wire))) == f"event 3 (tag_new): {message}"


def test_missing_field_and_nested_paths() -> None:
    wire = reference_event("tag_new", id=4)
    del wire["owner"]
    assert str(_error(msgspec.json.encode(wire))) == (
        "event 4 (tag_new): owner: missing, expected a string"
    )
    conference = reference_event("conference_status", id=5)
    member = next(iter(conference["member"]))
    conference["member"][member]["volume_in"] = 9
    assert str(_error(msgspec.json.encode(conference))) == (
        f'event 5 (conference_status): member["{member}"].volume_in: '
        "expected a volume level -4..4, got 9"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "event: not JSON"),
        (b"[1, 2]", "event: expected a JSON object, got [1,2]"),
        (
            b'{"event": "tag_new", "time": 1}',
            "event (tag_new): id: missing, expected an event id >= 0",
        ),
        (
            b'{"id": -1, "event": "tag_new"}',
            "event (tag_new): id: expected an event id >= 0, got -1",
        ),
        (b'{"id": 7, "time": 1}', "event 7: event: missing, expected an event type name"),
        (b'{"id": 7, "event": 5}', "event 7: event: expected an event type name, got 5"),
    ],
)
def test_not_an_event(data: bytes, message: str) -> None:
    assert str(_error(data)).startswith(message)


def test_unknown_types_are_kept_not_errors() -> None:
    unknown = decode(b'{"id": 9, "event": "hologram_new", "time": 5, "x": [1]}')
    assert unknown == UnknownEvent(
        9, "hologram_new", {"id": 9, "event": "hologram_new", "time": 5, "x": [1]}, 5
    )


def test_a_nested_event_key_does_not_fool_the_fast_path() -> None:
    # The first "event" key in the text belongs to the metadata, not the event.
    data = b'{"id": 1, "update": {"event": "tag_new"}, "event": "user_metadata", "time": 3}'
    event = decode(data)
    assert event.event == "user_metadata" and event.update == {"event": "tag_new"}  # type: ignore[union-attr]


def test_extra_fields_from_a_newer_server_are_ignored() -> None:
    wire = {**reference_event("tag_delete"), "added_in_2030": True}
    event = decode(msgspec.json.encode(wire))
    assert isinstance(event, Event)
    assert to_wire(event) == reference_event("tag_delete")

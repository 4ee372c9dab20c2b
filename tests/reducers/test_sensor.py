"""Sensor events: data and actions by millisecond timestamp, and each action's status."""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror.codec import decode
from eventmirror.events import SensorAction
from reducers.sensor import Sensor
from tests.support import Stream

SENSOR = "ce19884c-8fed-11e2-93fe-0024e8f90cc0"
ACTION = "97a1f558-9167-11e2-892a-0024e8f90cc0"
NEXT_ACTION = "a8b2f669-9167-11e2-892a-0024e8f90cc0"


def sensor_of(mirror: reducers.Mirror) -> Sensor:
    return mirror.sensors[SENSOR]


def action(status: str, points: dict[str, Any], uuid: str = ACTION) -> dict[str, Any]:
    """A sensor_action payload; its UUID travels under the wire name ``action-uuid``."""
    return {"status": status, "sensor": SENSOR, "action": points, "action-uuid": uuid}


def test_sensor_data_is_kept_by_timestamp_and_points_are_in_numeric_order() -> None:
    stream = Stream()
    stream.add("sensor_data", sensor=SENSOR, data={"1363623247000": [20.5, [0, 255]]})
    # Digit strings of different lengths: text order would put 999 after 1363623247000.
    stream.add("sensor_data", sensor=SENSOR, data={"999": [1], "1363623248000": [21.0, None]})
    result = sensor_of(stream.fold())
    assert result.points() == [
        (999, [1]),
        (1363623247000, [20.5, [0, 255]]),
        (1363623248000, [21.0, None]),
    ]
    assert result.actions() == [] and len(result.action_status) == 0


def test_a_later_point_at_the_same_timestamp_replaces_the_earlier() -> None:
    stream = Stream()
    stream.add("sensor_data", sensor=SENSOR, data={"1000": [1]})
    stream.add("sensor_data", sensor=SENSOR, data={"1000": [2]})
    assert sensor_of(stream.fold()).points() == [(1000, [2])]


def test_sensor_data_with_no_points_creates_an_empty_sensor() -> None:
    stream = Stream()
    stream.add("sensor_data", sensor=SENSOR, data={})
    assert sensor_of(stream.fold()) == Sensor()


def test_sensor_action_records_the_action_and_its_status() -> None:
    stream = Stream()
    stream.add("sensor_action", **action("ok", {"1363623253000": [1, None]}))
    stream.add("sensor_action", **action("replaced", {"120": [0, None]}, NEXT_ACTION))
    result = sensor_of(stream.fold())
    assert result.actions() == [(120, [0, None]), (1363623253000, [1, None])]
    assert dict(result.action_status) == {ACTION: "ok", NEXT_ACTION: "replaced"}
    assert result.points() == []


def test_a_later_status_for_the_same_action_uuid_replaces_it() -> None:
    stream = Stream()
    stream.add("sensor_action", **action("replaced", {"100": [1]}))
    stream.add("sensor_action", **action("ok", {"100": [1]}))
    assert dict(sensor_of(stream.fold()).action_status) == {ACTION: "ok"}


def test_the_action_uuid_is_read_from_the_wire_name_action_uuid() -> None:
    wire = {"id": 0, "event": "sensor_action", "time": 5, **action("ok", {"100": [1]})}
    decoded = decode(msgspec.json.encode(wire))
    assert isinstance(decoded, SensorAction) and decoded.action_uuid == ACTION
    for form in (wire, msgspec.json.encode(wire), decoded):
        assert dict(sensor_of(reducers.apply(reducers.empty(), form)).action_status) == {
            ACTION: "ok"
        }


def test_sensors_survive_a_json_round_trip() -> None:
    stream = Stream()
    stream.add("sensor_data", sensor=SENSOR, data={"1363623247000": [20.5, [0, 255]]})
    stream.add("sensor_action", **action("ok", {"1363623253000": [1, None]}))
    mirror = stream.fold()
    assert reducers.loads(reducers.dumps(mirror)) == mirror
    assert reducers.to_json(mirror)["sensors"][SENSOR] == {
        "data": {"1363623247000": [20.5, [0, 255]]},
        "action": {"1363623253000": [1, None]},
        "action_status": {ACTION: "ok"},
    }


STAMPS = st.integers(0, 2**41).map(str)
BATCHES = st.lists(
    st.tuples(
        st.booleans(),
        st.dictionaries(STAMPS, st.lists(st.integers(-5, 5), max_size=2), max_size=3),
    ),
    max_size=10,
)


@given(BATCHES)
def test_points_and_actions_are_sorted_and_last_write_wins(
    batches: list[tuple[bool, dict[str, list[int]]]],
) -> None:
    stream = Stream()
    data: dict[int, list[int]] = {}
    actions: dict[int, list[int]] = {}
    for is_action, points in batches:
        if is_action:
            stream.add("sensor_action", **action("ok", points))
            actions.update({int(k): v for k, v in points.items()})
        else:
            stream.add("sensor_data", sensor=SENSOR, data=points)
            data.update({int(k): v for k, v in points.items()})
    mirror = stream.fold()
    found = mirror.sensors.get(SENSOR) or Sensor()
    assert found.points() == sorted(data.items())
    assert found.actions() == sorted(actions.items())
    loaded = reducers.loads(reducers.dumps(mirror))
    assert loaded == mirror
    assert msgspec.json.encode(reducers.to_json(loaded)) == msgspec.json.encode(
        reducers.to_json(mirror)
    )

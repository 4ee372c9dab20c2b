"""Sensors: data points and actions by millisecond timestamp, and each action's status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventmirror.events import SensorAction, SensorData

from ._draft import Draft, MapDrafting
from ._slice import Slice, by_key
from ._state import EMPTY, Changes, Entity, Map, replace, set_all

if TYPE_CHECKING:
    from .mirror import Mirror


class Sensor(Entity, frozen=True, gc=False):
    """A sensor's points and actions keyed by millisecond timestamp (see :meth:`points`), and
    the status of each action by action UUID."""

    data: Map[int, list[Any]] = EMPTY
    action: Map[int, list[Any]] = EMPTY
    action_status: Map[str, str] = EMPTY

    def points(self) -> list[tuple[int, list[Any]]]:
        """The data points in timestamp order."""
        return sorted(self.data.items())

    def actions(self) -> list[tuple[int, list[Any]]]:
        """The actions in timestamp order."""
        return sorted(self.action.items())


def _written(sensors: Map[str, Sensor]) -> dict[str, Any]:
    """The sensors as the JSON form writes them: data and actions in timestamp order."""
    return {
        uuid: {
            "data": by_key(sensor.data),
            "action": by_key(sensor.action),
            "action_status": sensor.action_status,
        }
        for uuid, sensor in sensors.items()
    }


SLICE = Slice(
    "sensors",
    Sensor,
    of_object=True,
    drafting=MapDrafting({"data": Draft, "action": Draft, "action_status": Draft}),
    written=_written,
)


def _merged(points: Map[int, list[Any]], new: dict[Any, list[Any]]) -> Map[int, list[Any]]:
    # An event class holds the keys as digits; a wire twin (eventmirror/wire.py) as integers.
    if new and type(next(iter(new))) is not int:
        new = {int(millis): point for millis, point in new.items()}
    return set_all(points, new)


@SLICE.reducer(SensorData)
def sensor_data(mirror: Mirror, event: SensorData) -> Changes:
    sensor = mirror.sensors.get(event.sensor) or Sensor()
    sensor = replace(sensor, data=_merged(sensor.data, event.data))
    return {"sensors": mirror.sensors.set(event.sensor, sensor)}


@SLICE.reducer(SensorAction)
def sensor_action(mirror: Mirror, event: SensorAction) -> Changes:
    sensor = mirror.sensors.get(event.sensor) or Sensor()
    sensor = replace(
        sensor,
        action=_merged(sensor.action, event.action),
        action_status=sensor.action_status.set(event.action_uuid, event.status),
    )
    return {"sensors": mirror.sensors.set(event.sensor, sensor)}

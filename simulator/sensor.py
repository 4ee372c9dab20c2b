"""Sensors on the server: data points and actions by millisecond timestamp.

Only subscribed sessions receive them, and no status is sent on subscribing: a session knows
the points and action states set after it subscribed.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from typing import Any

import attrs

from eventmirror.events import SensorAction, SensorData

from ._core import Session, SimulatorError
from .commands import command
from .conference import DetailedStream

#: A stored value with the change that set it last.
Stamped = tuple[Any, int]


@attrs.define
class ServerSensor:
    data: dict[int, Stamped] = attrs.Factory(dict)
    action: dict[int, Stamped] = attrs.Factory(dict)
    action_status: dict[str, Stamped] = attrs.Factory(dict)


def _millis(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**19:
        raise SimulatorError(f"a millisecond timestamp is a whole number >= 0, got {value!r}")
    return value


class Sensor(DetailedStream):
    name = "sensor"
    object_type = "sensor"
    sections = ("sensors",)

    sensors: dict[str, ServerSensor]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.sensors = {}

    def _state(self, uuid: str) -> ServerSensor:
        self._object(uuid)
        return self.sensors.setdefault(uuid, ServerSensor())

    @command(actor=None)
    def data(self, sensor: str, points: Mapping[int, list[Any]]) -> None:
        """The sensor sends new data points, keyed by millisecond timestamp."""
        state = self._state(sensor)
        new = {_millis(m): list(p) for m, p in points.items()}
        if all(m in state.data and state.data[m][0] == p for m, p in new.items()):
            raise SimulatorError(f"{self.world.objects.describe(sensor)} has those points already")
        change = self.world.tick()
        for millis, point in new.items():
            state.data[millis] = (point, change)
        self.world.send(
            SensorData,
            self.subscribers(sensor),
            sensor=sensor,
            data={str(m): p for m, p in new.items()},
        )

    @command(actor=None)
    def action(
        self, sensor: str, millis: int, point: list[Any], status: str, action_uuid: str
    ) -> None:
        """The sensor reports an action carried out (``ok``) or superseded (``replaced``)."""
        state = self._state(sensor)
        _millis(millis)
        if not status:
            raise SimulatorError("an action needs a status")
        same_point = millis in state.action and state.action[millis][0] == list(point)
        old_status = state.action_status.get(action_uuid)
        if same_point and old_status is not None and old_status[0] == status:
            raise SimulatorError(
                f"{self.world.objects.describe(sensor)} recorded that action already"
            )
        change = self.world.tick()
        state.action[millis] = (list(point), change)
        state.action_status[action_uuid] = (status, change)
        self.world.send(
            SensorAction,
            self.subscribers(sensor),
            sensor=sensor,
            status=status,
            action={str(millis): list(point)},
            action_uuid=action_uuid,
        )

    def forget_object(self, uuid: str) -> None:
        super().forget_object(uuid)
        self.sensors.pop(uuid, None)

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        told: dict[str, Any] = {}
        for uuid, state in self.sensors.items():
            subscription = self.subscription(session, uuid)
            if subscription is None:
                continue
            after = subscription.change
            data, action = _after(state.data, after), _after(state.action, after)
            status = _after(state.action_status, after)
            if data or action or status:
                # Timestamps as the JSON form's keys (digits); points are JSON values, copied.
                told[uuid] = {
                    "data": {str(millis): deepcopy(point) for millis, point in data.items()},
                    "action": {str(millis): deepcopy(point) for millis, point in action.items()},
                    "action_status": status,
                }
        sections["sensors"] = told


def _after(values: dict[Any, Stamped], change: int) -> dict[Any, Any]:
    """The values set after ``change``: what a session subscribed then was told."""
    return {key: value for key, (value, changed) in values.items() if changed > change}

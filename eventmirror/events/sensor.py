"""Sensor events (reference: "Sensor events"); delivered only to subscribed sessions."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Event, Json, MillisKey, Uuid, wire

#: A sensor point as in GET /api/sensor/(uuid)/data, e.g. ``[20.5, [0, 255]]``.
SensorPoint = list[Json]


@attrs.frozen(kw_only=True)
class SensorData(Event):
    """New sensor data, keyed by millisecond timestamp."""

    sensor: Uuid
    data: dict[MillisKey, SensorPoint]
    event: Literal["sensor_data"] = "sensor_data"


@attrs.frozen(kw_only=True)
class SensorAction(Event):
    """An action was carried out (``ok``) or superseded (``replaced``)."""

    status: str
    sensor: Uuid
    action: dict[MillisKey, SensorPoint]
    action_uuid: Uuid = attrs.field(metadata=wire("action-uuid"))
    event: Literal["sensor_action"] = "sensor_action"

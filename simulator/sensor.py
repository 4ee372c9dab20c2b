"""Sensor on the server (to be built: see docs/simulator.md and reducers/sensor.py)."""

from __future__ import annotations

from ._core import Domain


class Sensor(Domain):
    name = "sensor"

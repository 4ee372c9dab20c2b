"""Box on the server (to be built: see docs/simulator.md and reducers/box.py)."""

from __future__ import annotations

from ._core import Domain


class Box(Domain):
    name = "box"

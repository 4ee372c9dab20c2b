"""Presentation on the server (to be built: see docs/simulator.md and reducers/presentation.py)."""

from __future__ import annotations

from ._core import Domain


class Presentation(Domain):
    name = "presentation"

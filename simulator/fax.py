"""Fax on the server (to be built: see docs/simulator.md and reducers/fax.py)."""

from __future__ import annotations

from ._core import Domain


class Fax(Domain):
    name = "fax"

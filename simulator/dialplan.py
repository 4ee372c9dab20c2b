"""Dialplan on the server (to be built: see docs/simulator.md and reducers/dialplan.py)."""

from __future__ import annotations

from ._core import Domain


class Dialplan(Domain):
    name = "dialplan"

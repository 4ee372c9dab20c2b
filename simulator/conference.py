"""Conference on the server (to be built: see docs/simulator.md and reducers/conference.py)."""

from __future__ import annotations

from ._core import Domain


class Conference(Domain):
    name = "conference"

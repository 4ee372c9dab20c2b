"""Call on the server (to be built: see docs/simulator.md and reducers/call.py)."""

from __future__ import annotations

from ._core import Domain


class Call(Domain):
    name = "call"

"""Sip on the server (to be built: see docs/simulator.md and reducers/sip.py)."""

from __future__ import annotations

from ._core import Domain


class Sip(Domain):
    name = "sip"

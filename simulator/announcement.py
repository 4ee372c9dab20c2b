"""Announcement on the server (to be built: see docs/simulator.md and reducers/announcement.py)."""

from __future__ import annotations

from ._core import Domain


class Announcement(Domain):
    name = "announcement"

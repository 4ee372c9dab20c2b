"""Chat on the server (to be built: see docs/simulator.md and reducers/chat.py)."""

from __future__ import annotations

from ._core import Domain


class Chat(Domain):
    name = "chat"

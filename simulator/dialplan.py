"""Dialplan on the server: the stale marker, and each user's active call-reverse pairs."""

from __future__ import annotations

from typing import Any

from eventmirror.events import DialplanCallreverseStart, DialplanCallreverseStop, DialplanModify
from eventmirror.rules import callreverse_key

from ._core import Domain, Session, SimulatorError
from .commands import command


class Dialplan(Domain):
    name = "dialplan"
    sections = ("callreverse",)

    callreverse: dict[tuple[str, str, str], int]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        #: (user, phone_from, phone_to) -> start time
        self.callreverse = {}

    @command
    def modify(self, actor: str) -> None:
        """The user's dialplan changes (``dialplan_modify``, a stale marker)."""
        self.world.user.mark_stale(actor, "dialplan", DialplanModify)

    @command
    def callreverse_start(self, actor: str, phone_from: str, phone_to: str) -> None:
        """A call from ``phone_from`` to ``phone_to`` activates call-reverse for the user."""
        key = (self.world.user_id(actor), phone_from, phone_to)
        if key in self.callreverse:
            raise SimulatorError(f"call-reverse {phone_from} -> {phone_to} is active already")
        self.world.tick()
        self.callreverse[key] = self.world.now
        self.world.send_to_users(
            DialplanCallreverseStart, [key[0]], phone_from=phone_from, phone_to=phone_to
        )

    @command
    def callreverse_stop(self, actor: str, phone_from: str, phone_to: str) -> None:
        """The user's call-reverse from ``phone_from`` to ``phone_to`` ends."""
        key = (self.world.user_id(actor), phone_from, phone_to)
        if key not in self.callreverse:
            raise SimulatorError(f"call-reverse {phone_from} -> {phone_to} is not active")
        self.world.tick()
        del self.callreverse[key]
        self.world.send_to_users(
            DialplanCallreverseStop, [key[0]], phone_from=phone_from, phone_to=phone_to
        )

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        sections["callreverse"] = {
            callreverse_key(phone_from, phone_to): {
                "phone_from": phone_from,
                "phone_to": phone_to,
                "start_time": start,
            }
            for (user, phone_from, phone_to), start in self.callreverse.items()
            if user == session.user
        }

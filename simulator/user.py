"""Users' own resources: settings, phone and dialplan changes (stale markers), invitations."""

from __future__ import annotations

from typing import Any

from eventmirror.events import Event, InvitationDelete, InvitationNew, PhoneModify, UserModify
from eventmirror.rules import invitation_key

from ._core import Domain, Session, SimulatorError
from .commands import command


class User(Domain):
    name = "user"
    sections = ("stale", "invitations")

    invitations: dict[tuple[str, str], int]
    stale: dict[tuple[str, str], tuple[int, int]]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        #: (owner, user) -> the time the invitation was made
        self.invitations = {}
        #: (session, resource) -> (event id in that session, time)
        self.stale = {}

    def mark_stale(self, who: str, resource: str, event_type: type[Event]) -> None:
        """Tell the user's sessions that ``resource`` changed (a payload-less event)."""
        user = self.world.user_id(who)
        self.world.tick()
        sessions = self.world.sessions_of([user])
        self.world.send(event_type, sessions)
        for session in sessions:
            self.stale[(session.id, resource)] = (session.events[-1]["id"], self.world.now)

    @command
    def modify_settings(self, actor: str) -> None:
        """The user's settings change (``user_modify``)."""
        self.mark_stale(actor, "user", UserModify)

    @command
    def modify_phone(self, actor: str) -> None:
        """The user's phone configuration changes (``phone_modify``)."""
        self.mark_stale(actor, "phone", PhoneModify)

    @command
    def invite(self, actor: str, user: str) -> None:
        """The user invites ``user``; both are told."""
        key = (self.world.user_id(actor), self.world.user_id(user))
        if key[0] == key[1]:
            raise SimulatorError("a user cannot invite herself")
        if key in self.invitations:
            raise SimulatorError(
                f"{self.user_name(actor)} has invited {self.user_name(user)} already"
            )
        self.world.tick()
        self.invitations[key] = self.world.now
        self.world.send_to_users(InvitationNew, sorted(set(key)), owner=key[0], user=key[1])

    @command
    def uninvite(self, actor: str, owner: str, user: str) -> None:
        """Either party deletes the invitation from ``owner`` to ``user``; both are told."""
        key = (self.world.user_id(owner), self.world.user_id(user))
        if key not in self.invitations:
            raise SimulatorError(
                f"no invitation from {self.user_name(owner)} to {self.user_name(user)}"
            )
        if self.world.user_id(actor) not in key:
            raise SimulatorError(f"{self.user_name(actor)} is no party to that invitation")
        self.world.tick()
        del self.invitations[key]
        self.world.send_to_users(InvitationDelete, sorted(set(key)), owner=key[0], user=key[1])

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        user = session.user
        sections["invitations"] = {
            invitation_key(owner, invitee): {"owner": owner, "user": invitee, "time": time}
            for (owner, invitee), time in self.invitations.items()
            if user in (owner, invitee)
        }
        sections["stale"] = {
            resource: {"id": event_id, "time": time}
            for (session_id, resource), (event_id, time) in self.stale.items()
            if session_id == session.id
        }

"""Users' own resources: settings, phone and dialplan changes (stale markers), invitations."""

from __future__ import annotations

from typing import Any

from eventmirror.events import Event, InvitationDelete, InvitationNew, PhoneModify, UserModify
from eventmirror.rules import invitation_key

from ._core import Domain, Session, SimulatorError


class User(Domain):
    name = "user"
    sections = ("stale", "invitations")

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        #: (owner, user) -> the time the invitation was made
        self.invitations: dict[tuple[str, str], int] = {}
        #: (session, resource) -> (event id in that session, time)
        self.stale: dict[tuple[str, str], tuple[int, int]] = {}

    def mark_stale(self, who: str, resource: str, event_type: type[Event]) -> None:
        """Tell the user's sessions that ``resource`` changed (a payload-less event)."""
        user = self.world.user_id(who)
        self.world.tick()
        sessions = self.world.sessions_of([user])
        self.world.send(event_type, sessions)
        for session in sessions:
            self.stale[(session.id, resource)] = (session.events[-1]["id"], self.world.now)

    def modify_settings(self, who: str) -> None:
        """The user's settings change (``user_modify``)."""
        self.mark_stale(who, "user", UserModify)

    def modify_phone(self, who: str) -> None:
        """The user's phone configuration changes (``phone_modify``)."""
        self.mark_stale(who, "phone", PhoneModify)

    def invite(self, owner: str, user: str) -> None:
        """``owner`` invites ``user``; both are told."""
        key = (self.world.user_id(owner), self.world.user_id(user))
        if key[0] == key[1]:
            raise SimulatorError("a user cannot invite herself")
        if key in self.invitations:
            raise SimulatorError(f"{owner} has invited {user} already")
        self.world.tick()
        self.invitations[key] = self.world.now
        self.world.send_to_users(InvitationNew, sorted(set(key)), owner=key[0], user=key[1])

    def uninvite(self, actor: str, owner: str, user: str) -> None:
        """Either party deletes the invitation; both are told."""
        key = (self.world.user_id(owner), self.world.user_id(user))
        if key not in self.invitations:
            raise SimulatorError(f"no invitation from {owner} to {user}")
        if self.world.user_id(actor) not in key:
            raise SimulatorError(f"{actor} is no party to that invitation")
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

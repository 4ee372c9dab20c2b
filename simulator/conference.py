"""Conferences on the server: live or not, and their members.

``conference_start``/``conference_stop`` reach every reader (a user knows them when they
happened after she could see the conference); status, update, join and leave reach only
sessions subscribed to the conference's detailed stream (docs/simulator.md).

:class:`DetailedStream` is shared with presentations and sensors: a subscription needs read
access and ends when the user loses it. Losing access shows as a change of
``objects.since(user, uuid)``, so a subscription remembers the ``since`` it was made under and
is dropped (lazily) as soon as that differs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import msgspec

from eventmirror.events import (
    ConferenceJoin,
    ConferenceLeave,
    ConferenceStart,
    ConferenceStatus,
    ConferenceStop,
    ConferenceUpdate,
)
from eventmirror.events.conference import ConferenceMember

from ._core import Domain, Session, SimulatorError
from ._object_index import SetIndex
from .clock import Schedule
from .commands import command
from .resend import Periodic, resend

#: The member fields a conference update may change.
MEMBER_FLAGS = ("mute", "deaf", "talk", "floor")
MEMBER_VOLUMES = ("volume_in", "volume_out")


@attrs.define
class Subscription:
    #: ``objects.since(user, uuid)`` when subscribing: the subscription lives while it holds.
    since: int
    #: The change at which the session subscribed.
    change: int


class DetailedStream(Domain):
    """A domain whose per-object detailed stream sessions subscribe to."""

    object_type = ""

    subscriptions: dict[tuple[str, str], Subscription]
    _subscribed_to: SetIndex[str, str]
    periodic: Periodic
    rearmed = ("periodic",)

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.subscriptions = {}
        #: uuid -> the sessions subscribed to its stream (by session id), so that delivering
        #: to them, or forgetting the object, costs what it reaches, not a walk of all sessions.
        self._subscribed_to = SetIndex()
        #: The periodic re-sends running (status, keepalives), by object and what they send.
        self.periodic = Periodic(world)

    def _object(self, uuid: str) -> Any:
        obj = self.world.objects.get(uuid)
        if obj.type != self.object_type:
            raise SimulatorError(
                f"{self.world.objects.describe(uuid)} is a {obj.type}, not a {self.object_type}"
            )
        return obj

    def subscription(self, session: Session, uuid: str) -> Subscription | None:
        """The session's live subscription to ``uuid``; a stale one is dropped here."""
        found = self.subscriptions.get((session.id, uuid))
        if found is None:
            return None
        if self.world.objects.since(session.user, uuid) != found.since:
            self._drop(session, uuid)
            return None
        return found

    def _drop(self, session: Session, uuid: str) -> None:
        self.subscriptions.pop((session.id, uuid), None)
        session.subscriptions.discard((self.name, uuid))
        self._subscribed_to.discard(uuid, session.id)

    def subscribers(self, uuid: str) -> list[Session]:
        """The sessions subscribed to ``uuid`` (stale subscriptions dropped), in the order they
        were opened."""
        sessions = [self.world.sessions[id_] for id_ in self._subscribed_to.get(uuid)]
        sessions.sort(key=_opened)
        return [s for s in sessions if self.subscription(s, uuid) is not None]

    def subscribe(self, session: Session | str, uuid: str) -> None:
        """A session (a :class:`Session` or its id) subscribes to the object's detailed stream
        (needs read access)."""
        session = self.world.session(session)
        self._object(uuid)
        since = self.world.objects.since(session.user, uuid)
        named = self.world.objects.describe(uuid)
        if since is None or not self.world.objects.can_read(session.user, uuid):
            raise SimulatorError(
                f"{session.id} ({self.user_name(session.user)}) cannot read {named}"
            )
        if self.subscription(session, uuid) is not None:
            raise SimulatorError(f"{session.id} is subscribed to {named} already")
        change = self.world.tick()
        self.subscriptions[(session.id, uuid)] = Subscription(since, change)
        session.subscriptions.add((self.name, uuid))
        self._subscribed_to.add(uuid, session.id)
        self._subscribed(session, uuid)

    def session_closed(self, session: Session) -> None:
        for kind, uuid in list(session.subscriptions):
            if kind == self.name:
                self._drop(session, uuid)

    def _subscribed(self, session: Session, uuid: str) -> None:
        """Send what a new subscriber receives first (nothing unless overridden)."""

    def forget_object(self, uuid: str) -> None:
        for session_id in list(self._subscribed_to.get(uuid)):
            self._drop(self.world.sessions[session_id], uuid)
        self.periodic.forget(uuid)

    def _status_subscribers(self, uuid: str) -> list[Session]:
        """The sessions a re-sent status reaches: every subscriber (an error if none)."""
        self._object(uuid)
        subscribers = self.subscribers(uuid)
        if not subscribers:
            named = self.world.objects.describe(uuid)
            raise SimulatorError(f"{named} has no subscribed session to re-send its status to")
        return subscribers

    def _repeat(self, uuid: str, what: str, seconds: int) -> None:
        """Run the re-send ``what`` (:meth:`_repeated`) on ``uuid`` every ``seconds`` from now."""
        self._object(uuid)
        self.periodic.start(uuid, what, seconds, self._firing(uuid, what), (self.name, what, uuid))

    def _firing(self, uuid: str, what: str) -> Callable[[], None]:
        """What the period does each time: the re-send, only if someone is there to receive
        it (a period outlasts a quiet spell)."""
        command, wanted = self._repeated(uuid, what)

        def fire() -> None:
            if wanted():
                command(uuid)

        return fire

    def _repeated(
        self, uuid: str, what: str
    ) -> tuple[Callable[[str], object], Callable[[], object]]:
        """The re-send command called ``what`` and when it is wanted (someone to send to)."""
        raise SimulatorError(f"{self.name} repeats no {what!r}")

    def rearm(self, label: tuple[str, ...], schedule: Schedule) -> None:
        _, what, uuid = label
        self._object(uuid)
        self.periodic.adopt(uuid, what, schedule(self._firing(uuid, what)))


def _opened(session: Session) -> int:
    return session.opened


@attrs.define
class ServerConference:
    members: dict[str, ConferenceMember] = attrs.Factory(dict)
    live: bool = False
    #: The last start or stop as sent: its change number, owner and description.
    told_change: int = 0
    told_owner: str = ""
    told_description: str | None = None


class Conference(DetailedStream):
    name = "conference"
    object_type = "conference"
    sections = ("conferences",)

    conferences: dict[str, ServerConference]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.conferences = {}

    def _state(self, uuid: str) -> ServerConference:
        self._object(uuid)
        return self.conferences.setdefault(uuid, ServerConference())

    def members(self, uuid: str) -> dict[str, ConferenceMember]:
        found = self.conferences.get(uuid)
        return dict(found.members) if found is not None else {}

    def session_closed(self, session: Session) -> None:
        for kind, uuid in list(session.subscriptions):
            if kind == self.name:
                self._drop(session, uuid)

    def _subscribed(self, session: Session, uuid: str) -> None:
        # The view lists known conferences only, so an idle one needs its entry too.
        self._state(uuid)
        self.world.send(ConferenceStatus, [session], conference=uuid, member=self.members(uuid))

    def _start_or_stop(self, uuid: str, state: ServerConference, live: bool) -> None:
        obj = self.world.objects.get(uuid)
        state.live = live
        state.told_change = self.world.change
        state.told_owner, state.told_description = obj.owner, obj.description
        event = ConferenceStart if live else ConferenceStop
        self.world.send_to_users(
            event,
            sorted(self.world.objects.readers(uuid)),
            conference=uuid,
            owner=obj.owner,
            description=obj.description,
        )

    # -- commands ------------------------------------------------------------------------

    @command
    def join(
        self, actor: str | None, conference: str, member: str, *, phone: str | None = None
    ) -> None:
        """A participant enters as ``member``: a user, or a caller without an account (None).

        The first one makes the conference live."""
        state = self._state(conference)
        user_id = self.world.user_id(actor) if actor is not None else None
        named = self.world.objects.describe(conference)
        if member in state.members:
            raise SimulatorError(f"{member!r} is in {named} already")
        joined = ConferenceMember(
            phone=phone,
            user=user_id,
            mute=False,
            deaf=False,
            talk=False,
            floor=False,
            volume_in=0,
            volume_out=0,
        )
        self.world.tick()
        if not state.live:
            self._start_or_stop(conference, state, True)
        state.members[member] = joined
        self.world.send(
            ConferenceJoin,
            self.subscribers(conference),
            conference=conference,
            member={member: joined},
        )

    @command(actor=None)
    def update(self, conference: str, member: str, **fields: Any) -> None:
        """A participant's flags (mute, deaf, talk, floor) or volumes (-4..4) change."""
        state = self._state(conference)
        old = state.members.get(member)
        if old is None:
            raise SimulatorError(f"{member!r} is not in {self.world.objects.describe(conference)}")
        for name, value in fields.items():
            if name in MEMBER_FLAGS:
                if not isinstance(value, bool):
                    raise SimulatorError(f"{name} must be true or false, got {value!r}")
            elif name in MEMBER_VOLUMES:
                if isinstance(value, bool) or not isinstance(value, int) or not -4 <= value <= 4:
                    raise SimulatorError(f"{name} must be -4..4, got {value!r}")
            else:
                raise SimulatorError(f"a member has no changeable field {name!r}")
        changed = {n: v for n, v in fields.items() if getattr(old, n) != v}
        if not changed:
            raise SimulatorError(
                f"that update of {member!r} in {self.world.objects.describe(conference)} "
                "would change nothing"
            )
        self.world.tick()
        state.members[member] = msgspec.structs.replace(old, **changed)
        self.world.send(
            ConferenceUpdate,
            self.subscribers(conference),
            conference=conference,
            member={member: ConferenceMember(**changed)},
        )

    @command(actor=None)
    def leave(self, conference: str, member: str) -> None:
        """A participant leaves; the last one ends the conference."""
        state = self._state(conference)
        if member not in state.members:
            raise SimulatorError(f"{member!r} is not in {self.world.objects.describe(conference)}")
        self.world.tick()
        del state.members[member]
        self.world.send(
            ConferenceLeave, self.subscribers(conference), conference=conference, member=[member]
        )
        if not state.members:
            self._start_or_stop(conference, state, False)

    @command(actor=None)
    def stop(self, conference: str) -> None:
        """The conference ends with whoever is still in it."""
        state = self._state(conference)
        if not state.live:
            raise SimulatorError(f"{self.world.objects.describe(conference)} is not live")
        self.world.tick()
        state.members.clear()
        self._start_or_stop(conference, state, False)

    @command(actor=None)
    @resend
    def resend_status(self, conference: str) -> None:
        """The platform sends the conference's status again to every subscribed session.

        The reference: the server "may send this event again in regular intervals as long as
        the subscription exists". It tells a subscriber nothing new, so it is a re-send."""
        subscribers = self._status_subscribers(conference)
        members = self.members(conference)
        self.world.send(ConferenceStatus, subscribers, conference=conference, member=members)

    @command(actor=None)
    def status_every(self, conference: str, seconds: int) -> None:
        """The platform re-sends the conference's status every ``seconds`` from now.

        Each time the clock reaches it, ``resend_status`` reaches the sessions subscribed then
        (nobody subscribed: nothing is sent, the period goes on). A period running already is
        replaced; the conference's deletion ends it."""
        self._repeat(conference, "status", seconds)

    @command(actor=None)
    def stop_status_every(self, conference: str) -> None:
        """The platform stops re-sending the conference's status periodically."""
        self._object(conference)
        self.periodic.stop(conference, "status", self.world.objects.describe(conference))

    def _repeated(
        self, uuid: str, what: str
    ) -> tuple[Callable[[str], object], Callable[[], object]]:
        if what == "status":
            return self.resend_status, lambda: self.subscribers(uuid)
        return super()._repeated(uuid, what)

    def forget_object(self, uuid: str) -> None:
        super().forget_object(uuid)
        self.conferences.pop(uuid, None)

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        told: dict[str, Any] = {}
        for uuid, state in self.conferences.items():
            since = self.world.objects.since(session.user, uuid)
            if since is None:
                continue
            subscribed = self.subscription(session, uuid) is not None
            knows_header = state.told_change > since
            if not (subscribed or knows_header):
                continue
            conference: dict[str, Any] = {"live": False, "member": {}}
            if knows_header:
                conference.update(owner=state.told_owner, live=state.live)
                if state.told_description is not None:
                    conference["description"] = state.told_description
            if subscribed:
                conference["member"] = msgspec.to_builtins(state.members)
            told[uuid] = conference
        sections["conferences"] = told

"""Presentations on the server: conversion, live state, moderator, members, page and pointer.

Convert, start and stop reach every reader (known to a user when they happened after she
could see the presentation); join, leave, status and update reach subscribed sessions;
keepalive reaches the subscribed sessions of joined members.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from eventmirror.events import (
    PresentationConvert,
    PresentationJoin,
    PresentationKeepalive,
    PresentationLeave,
    PresentationStart,
    PresentationStatus,
    PresentationStop,
    PresentationUpdate,
)

from ._core import Session, SimulatorError
from .commands import command
from .conference import DetailedStream
from .resend import resend

#: The fields ``presentation_update`` may carry.
UPDATE_FIELDS = ("page", "x", "y", "visible", "moderator")


@attrs.define
class ServerPresentation:
    #: The last conversion: its change number (0: none yet) and page count (None: failed).
    convert_change: int = 0
    page_count: int | None = None
    live: bool = False
    #: The last start or stop as sent: change number, owner, description, who started it.
    told_change: int = 0
    told_owner: str = ""
    told_description: str | None = None
    starter: str | None = None
    moderator: str | None = None
    members: set[str] = attrs.Factory(set)
    page: int = 1
    x: float = 0.0
    y: float = 0.0
    visible: bool = False


class Presentation(DetailedStream):
    name = "presentation"
    object_type = "presentation"
    sections = ("presentations",)

    presentations: dict[str, ServerPresentation]
    keepalives: dict[tuple[str, str], int]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.presentations = {}
        #: (session id, presentation) -> the time of the last keepalive that session got.
        self.keepalives = {}

    def _state(self, uuid: str) -> ServerPresentation:
        self._object(uuid)
        return self.presentations.setdefault(uuid, ServerPresentation())

    def _live(self, uuid: str) -> ServerPresentation:
        state = self._state(uuid)
        if not state.live:
            raise SimulatorError(f"{self.world.objects.describe(uuid)} is not live")
        return state

    def _subscribed(self, session: Session, uuid: str) -> None:
        self.keepalives.pop((session.id, uuid), None)
        self._send_status([session], uuid)

    def _send_status(self, sessions: list[Session], uuid: str) -> None:
        state = self._state(uuid)
        self.world.send(
            PresentationStatus,
            sessions,
            presentation=uuid,
            page=state.page,
            x=state.x,
            y=state.y,
            visible=state.visible,
            moderator=state.moderator,
            member=sorted(state.members),
        )

    def _drop(self, session: Session, uuid: str) -> None:
        super()._drop(session, uuid)
        self.keepalives.pop((session.id, uuid), None)

    # -- commands ------------------------------------------------------------------------

    @command(actor=None)
    def convert(self, presentation: str, page_count: int | None) -> None:
        """The pages were converted (``page_count``), or the conversion failed (None)."""
        state = self._state(presentation)
        if page_count is not None and page_count < 0:
            raise SimulatorError(f"a page count is >= 0, got {page_count}")
        if state.convert_change and state.page_count == page_count:
            raise SimulatorError(
                f"{self.world.objects.describe(presentation)} is converted like that already"
            )
        state.convert_change = self.world.tick()
        state.page_count = page_count
        readers = sorted(self.world.objects.readers(presentation))
        extra = {"page_count": page_count} if page_count is not None else {}
        self.world.send_to_users(PresentationConvert, readers, presentation=presentation, **extra)

    def _start_or_stop(self, uuid: str, state: ServerPresentation, user: str | None) -> None:
        obj = self.world.objects.get(uuid)
        state.told_change = self.world.change
        state.told_owner, state.told_description = obj.owner, obj.description
        state.starter = user if state.live else None
        state.moderator = state.starter
        state.members = {user} if state.live and user is not None else set()
        event = PresentationStart if state.live else PresentationStop
        by = {"user": user} if user is not None else {}
        self.world.send_to_users(
            event,
            sorted(self.world.objects.readers(uuid)),
            presentation=uuid,
            owner=obj.owner,
            description=obj.description,
            **by,
        )

    @command
    def start(self, actor: str, presentation: str) -> None:
        """A reader starts the presentation: she is its moderator and first member."""
        state = self._state(presentation)
        user_id = self._reader(actor, presentation)
        if state.live:
            raise SimulatorError(f"{self.world.objects.describe(presentation)} is live already")
        self.world.tick()
        state.live = True
        self._start_or_stop(presentation, state, user_id)

    @command
    def stop(self, actor: str | None, presentation: str) -> None:
        """A user ends the presentation, or the platform does (None: by timeout or failure)."""
        state = self._live(presentation)
        user_id = self.world.user_id(actor) if actor is not None else None
        self.world.tick()
        state.live = False
        self._start_or_stop(presentation, state, user_id)

    def _reader(self, actor: str, presentation: str) -> str:
        user_id = self.world.user_id(actor)
        if not self.world.objects.can_read(user_id, presentation):
            raise SimulatorError(
                f"{self.user_name(actor)} cannot read {self.world.objects.describe(presentation)}"
            )
        return user_id

    @command
    def join(self, actor: str, presentation: str) -> None:
        """A reader joins the live presentation."""
        state = self._live(presentation)
        user_id = self._reader(actor, presentation)
        if user_id in state.members:
            raise SimulatorError(
                f"{self.user_name(actor)} is in {self.world.objects.describe(presentation)} already"
            )
        self.world.tick()
        state.members.add(user_id)
        subscribers = self.subscribers(presentation)
        self.world.send(PresentationJoin, subscribers, presentation=presentation, user=user_id)

    @command
    def leave(self, actor: str, presentation: str) -> None:
        """A member other than the moderator leaves (the moderator stops it instead)."""
        state = self._live(presentation)
        user_id = self.world.user_id(actor)
        named = self.world.objects.describe(presentation)
        if user_id not in state.members:
            raise SimulatorError(f"{self.user_name(actor)} is not in {named}")
        if user_id == state.moderator:
            raise SimulatorError(f"{self.user_name(actor)} moderates {named}")
        self.world.tick()
        state.members.discard(user_id)
        subscribers = self.subscribers(presentation)
        self.world.send(PresentationLeave, subscribers, presentation=presentation, user=user_id)

    @command(actor=None)
    def update(self, presentation: str, **fields: Any) -> None:
        """The page, the pointer (x, y), its visibility or the moderator change."""
        state = self._live(presentation)
        for name, value in fields.items():
            if name not in UPDATE_FIELDS or value is None:
                raise SimulatorError(f"a presentation has no changeable field {name!r}={value!r}")
        if "page" in fields and (isinstance(fields["page"], bool) or fields["page"] < 0):
            raise SimulatorError(f"a page is >= 0, got {fields['page']!r}")
        for axis in ("x", "y"):
            if axis in fields and not 0.0 <= fields[axis] <= 1.0:
                raise SimulatorError(f"{axis} is 0.0..1.0, got {fields[axis]!r}")
        if "visible" in fields and not isinstance(fields["visible"], bool):
            raise SimulatorError(f"visible is true or false, got {fields['visible']!r}")
        if "moderator" in fields:
            fields["moderator"] = self.world.user_id(fields["moderator"])
            if fields["moderator"] not in state.members:
                raise SimulatorError("only a member can moderate")
        changed = {n: v for n, v in fields.items() if getattr(state, n) != v}
        if not changed:
            raise SimulatorError(
                f"that update of {self.world.objects.describe(presentation)} would change nothing"
            )
        self.world.tick()
        for name, value in changed.items():
            setattr(state, name, value)
        subscribers = self.subscribers(presentation)
        self.world.send(PresentationUpdate, subscribers, presentation=presentation, **changed)

    @command(actor=None)
    @resend
    def keepalive(self, presentation: str) -> None:
        """The controller asks the joined members' subscribed sessions to confirm.

        Sent "periodically" (the reference) whether or not a client answered, so a keepalive
        may repeat the one a session recorded last (in the same second): it is a re-send."""
        self._live(presentation)
        recipients = self._keepalive_recipients(presentation)
        if not recipients:
            raise SimulatorError(
                f"no subscribed member of {self.world.objects.describe(presentation)} to ask"
            )
        self.world.tick()
        for session in recipients:
            self.keepalives[(session.id, presentation)] = self.world.now
        self.world.send(PresentationKeepalive, recipients, presentation=presentation)

    def _keepalive_recipients(self, uuid: str) -> list[Session]:
        """The subscribed sessions of joined members (none unless it is live)."""
        state = self._state(uuid)
        return [s for s in self.subscribers(uuid) if s.user in state.members]

    @command(actor=None)
    @resend
    def resend_status(self, presentation: str) -> None:
        """The platform sends the presentation's status again to every subscribed session.

        The reference: the server "may send this event again in regular intervals as long as
        the subscription exists". It tells a subscriber nothing new, so it is a re-send."""
        self._send_status(self._status_subscribers(presentation), presentation)

    @command(actor=None)
    def status_every(self, presentation: str, seconds: int) -> None:
        """The platform re-sends the presentation's status every ``seconds`` from now.

        Each time the clock reaches it, ``resend_status`` reaches the sessions subscribed then
        (nobody subscribed: nothing is sent, the period goes on). A period running already is
        replaced; the presentation's deletion ends it."""
        self._repeat(presentation, "status", seconds)

    @command(actor=None)
    def stop_status_every(self, presentation: str) -> None:
        """The platform stops re-sending the presentation's status periodically."""
        self._object(presentation)
        named = self.world.objects.describe(presentation)
        self.periodic.stop(presentation, "status", named)

    @command(actor=None)
    def keepalive_every(self, presentation: str, seconds: int) -> None:
        """The controller sends ``keepalive`` every ``seconds`` from now, answered or not.

        Each time the clock reaches it, the subscribed sessions of the members joined then are
        asked (none, or the presentation not live: nothing is sent, the period goes on). A
        period running already is replaced; the presentation's deletion ends it."""
        self._repeat(presentation, "keepalive", seconds)

    @command(actor=None)
    def stop_keepalive_every(self, presentation: str) -> None:
        """The controller stops sending keepalives periodically."""
        self._object(presentation)
        named = self.world.objects.describe(presentation)
        self.periodic.stop(presentation, "keepalive", named)

    def _repeated(
        self, uuid: str, what: str
    ) -> tuple[Callable[[str], object], Callable[[], object]]:
        if what == "keepalive":
            return self.keepalive, lambda: self._keepalive_recipients(uuid)
        if what == "status":
            return self.resend_status, lambda: self.subscribers(uuid)
        return super()._repeated(uuid, what)

    def forget_object(self, uuid: str) -> None:
        super().forget_object(uuid)
        self.presentations.pop(uuid, None)

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        told: dict[str, Any] = {}
        for uuid, state in self.presentations.items():
            since = self.world.objects.since(session.user, uuid)
            if since is None:
                continue
            told_entity = self._told(session, uuid, state, since)
            if told_entity is not None:
                told[uuid] = told_entity
        sections["presentations"] = told

    def _told(
        self, session: Session, uuid: str, state: ServerPresentation, since: int
    ) -> dict[str, Any] | None:
        subscribed = self.subscription(session, uuid) is not None
        knows_convert = state.convert_change > since
        knows_header = state.told_change > since
        if not (subscribed or knows_convert or knows_header):
            return None
        fields: dict[str, Any] = {}
        if knows_convert:
            fields.update(converted=state.page_count is not None, page_count=state.page_count)
        if knows_header:
            fields.update(
                owner=state.told_owner,
                description=state.told_description,
                live=state.live,
                moderator=state.starter,
                member=[state.starter] if state.starter else [],
            )
        if subscribed:
            fields.update(
                moderator=state.moderator,
                member=sorted(state.members),
                page=state.page,
                x=state.x,
                y=state.y,
                visible=state.visible,
                keepalive=self.keepalives.get((session.id, uuid)),
            )
        # A presentation is never live and has no members until told otherwise.
        told = {"live": False, "member": [], **fields}
        return {name: value for name, value in told.items() if value is not None}

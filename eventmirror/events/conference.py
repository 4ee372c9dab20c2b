"""Conference events (reference: "Conference events").

``conference_start`` and ``conference_stop`` reach every reader of the conference; the
status, update, join and leave events only sessions subscribed to its detailed stream.
"""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Event, Nested, Uuid, Volume


class ConferenceMember(Nested, frozen=True):
    """A participant's state; in ``conference_update`` only the changed fields are present."""

    phone: str | None = None
    user: Uuid | None = None
    mute: bool | None = None
    deaf: bool | None = None
    talk: bool | None = None
    floor: bool | None = None
    volume_in: Volume | None = None
    volume_out: Volume | None = None


@attrs.frozen(kw_only=True)
class ConferenceStart(Event):
    """The first participant entered: the conference is live."""

    conference: Uuid
    owner: Uuid
    description: str | None = None
    event: Literal["conference_start"] = "conference_start"


@attrs.frozen(kw_only=True)
class ConferenceStop(Event):
    """The last participant left: the conference is no longer live."""

    conference: Uuid
    owner: Uuid
    description: str | None = None
    event: Literal["conference_stop"] = "conference_stop"


@attrs.frozen(kw_only=True)
class ConferenceStatus(Event):
    """Every participant, keyed by member UUID (sent right after subscribing)."""

    conference: Uuid
    member: dict[Uuid, ConferenceMember]
    event: Literal["conference_status"] = "conference_status"


@attrs.frozen(kw_only=True)
class ConferenceUpdate(Event):
    """Only the members that changed, each with only the fields that changed."""

    conference: Uuid
    member: dict[Uuid, ConferenceMember]
    event: Literal["conference_update"] = "conference_update"


@attrs.frozen(kw_only=True)
class ConferenceJoin(Event):
    """New participants, keyed by member UUID."""

    conference: Uuid
    member: dict[Uuid, ConferenceMember]
    event: Literal["conference_join"] = "conference_join"


@attrs.frozen(kw_only=True)
class ConferenceLeave(Event):
    """The member UUIDs that left."""

    conference: Uuid
    member: list[Uuid]
    event: Literal["conference_leave"] = "conference_leave"

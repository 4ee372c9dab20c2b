"""Conferences: live or not, and their members.

start -> live; stop -> not live, no members; status replaces the member set; update merges the
fields present per member; join adds members; leave removes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventmirror.events import (
    ConferenceJoin,
    ConferenceLeave,
    ConferenceStart,
    ConferenceStatus,
    ConferenceStop,
    ConferenceUpdate,
)
from eventmirror.events.conference import ConferenceMember

from ._draft import Draft, MapDrafting
from ._slice import Slice
from ._state import (
    EMPTY,
    Changes,
    Entity,
    Map,
    replace,
    set_all,
    with_present,
    without_all,
)

if TYPE_CHECKING:
    from .mirror import Mirror


#: A participant, with the fields known so far (the event's own structure).
Member = ConferenceMember


class Conference(Entity, frozen=True, gc=False):
    """A conference room; ``owner`` is None while only its detailed stream was seen."""

    owner: str | None = None
    description: str | None = None
    live: bool = False
    member: Map[str, Member] = EMPTY


SLICE = Slice("conferences", Conference, of_object=True, drafting=MapDrafting({"member": Draft}))


def _conference(mirror: Mirror, uuid: str) -> Conference:
    return mirror.conferences.get(uuid) or Conference()


def _put(mirror: Mirror, uuid: str, conference: Conference) -> Changes:
    return {"conferences": mirror.conferences.set(uuid, conference)}


@SLICE.reducer(ConferenceStart)
def conference_start(mirror: Mirror, event: ConferenceStart) -> Changes:
    conference = replace(
        _conference(mirror, event.conference),
        owner=event.owner,
        description=event.description,
        live=True,
    )
    return _put(mirror, event.conference, conference)


@SLICE.reducer(ConferenceStop)
def conference_stop(mirror: Mirror, event: ConferenceStop) -> Changes:
    conference = Conference(event.owner, event.description, live=False)
    return _put(mirror, event.conference, conference)


@SLICE.reducer(ConferenceStatus)
def conference_status(mirror: Mirror, event: ConferenceStatus) -> Changes:
    members = Map(event.member)
    conference = replace(_conference(mirror, event.conference), member=members)
    return _put(mirror, event.conference, conference)


@SLICE.reducer(ConferenceUpdate)
def conference_update(mirror: Mirror, event: ConferenceUpdate) -> Changes:
    conference = _conference(mirror, event.conference)
    members = conference.member
    get = members.get
    merged = {}
    for uuid, change in event.member.items():
        old = get(uuid)
        merged[uuid] = change if old is None else with_present(old, change)
    members = set_all(members, merged)
    return _put(mirror, event.conference, replace(conference, member=members))


@SLICE.reducer(ConferenceJoin)
def conference_join(mirror: Mirror, event: ConferenceJoin) -> Changes:
    conference = _conference(mirror, event.conference)
    members = set_all(conference.member, event.member)
    return _put(mirror, event.conference, replace(conference, member=members))


@SLICE.reducer(ConferenceLeave)
def conference_leave(mirror: Mirror, event: ConferenceLeave) -> Changes:
    conference = _conference(mirror, event.conference)
    # A set: the list may name a member twice, and without_all deletes each key it is given.
    members = without_all(conference.member, set(event.member))
    return _put(mirror, event.conference, replace(conference, member=members))

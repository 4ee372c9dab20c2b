"""Presentations: conversion, live state, moderator, members, page and pointer, keepalive.

start -> live, moderator = starter, members = {starter}; stop -> not live, no members, no
moderator; join/leave change members; status replaces page, pointer, visibility, moderator and
members; update merges the fields present; keepalive records its time (a client must answer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

from ._slice import Slice
from ._state import Changes, Entity, replace

if TYPE_CHECKING:
    from .mirror import Mirror


class Presentation(Entity, frozen=True, gc=False):
    """A presentation as this user sees it; ``owner`` is None while unknown."""

    owner: str | None = None
    description: str | None = None
    converted: bool | None = None
    page_count: int | None = None
    live: bool = False
    moderator: str | None = None
    member: frozenset[str] = frozenset()
    page: int | None = None
    x: float | None = None
    y: float | None = None
    visible: bool | None = None
    keepalive: int | None = None


SLICE = Slice("presentations", Presentation, of_object=True)


def _get(mirror: Mirror, uuid: str) -> Presentation:
    return mirror.presentations.get(uuid) or Presentation()


def _put(mirror: Mirror, uuid: str, presentation: Presentation) -> Changes:
    return {"presentations": mirror.presentations.set(uuid, presentation)}


@SLICE.reducer(PresentationConvert)
def presentation_convert(mirror: Mirror, event: PresentationConvert) -> Changes:
    presentation = replace(
        _get(mirror, event.presentation),
        converted=event.page_count is not None,
        page_count=event.page_count,
    )
    return _put(mirror, event.presentation, presentation)


@SLICE.reducer(PresentationStart)
def presentation_start(mirror: Mirror, event: PresentationStart) -> Changes:
    presentation = replace(
        _get(mirror, event.presentation),
        owner=event.owner,
        description=event.description,
        live=True,
        moderator=event.user,
        member=frozenset({event.user}),
    )
    return _put(mirror, event.presentation, presentation)


@SLICE.reducer(PresentationStop)
def presentation_stop(mirror: Mirror, event: PresentationStop) -> Changes:
    presentation = replace(
        _get(mirror, event.presentation),
        owner=event.owner,
        description=event.description,
        live=False,
        moderator=None,
        member=frozenset(),
    )
    return _put(mirror, event.presentation, presentation)


@SLICE.reducer(PresentationJoin)
def presentation_join(mirror: Mirror, event: PresentationJoin) -> Changes:
    presentation = _get(mirror, event.presentation)
    presentation = replace(presentation, member=presentation.member | {event.user})
    return _put(mirror, event.presentation, presentation)


@SLICE.reducer(PresentationLeave)
def presentation_leave(mirror: Mirror, event: PresentationLeave) -> Changes:
    presentation = _get(mirror, event.presentation)
    presentation = replace(presentation, member=presentation.member - {event.user})
    return _put(mirror, event.presentation, presentation)


@SLICE.reducer(PresentationStatus)
def presentation_status(mirror: Mirror, event: PresentationStatus) -> Changes:
    presentation = replace(
        _get(mirror, event.presentation),
        page=event.page,
        x=event.x,
        y=event.y,
        visible=event.visible,
        moderator=event.moderator,
        member=frozenset(event.member),
    )
    return _put(mirror, event.presentation, presentation)


@SLICE.reducer(PresentationUpdate)
def presentation_update(mirror: Mirror, event: PresentationUpdate) -> Changes:
    changed = {
        name: value
        for name in ("page", "x", "y", "visible", "moderator")
        if (value := getattr(event, name)) is not None
    }
    presentation = replace(_get(mirror, event.presentation), **changed)
    return _put(mirror, event.presentation, presentation)


@SLICE.reducer(PresentationKeepalive)
def presentation_keepalive(mirror: Mirror, event: PresentationKeepalive) -> Changes:
    presentation = replace(_get(mirror, event.presentation), keepalive=event.time)
    return _put(mirror, event.presentation, presentation)

"""Presentation events (reference: "Presentation events").

Convert, start and stop reach every reader; join, leave, status and update only sessions
subscribed to the detailed stream; keepalive every member that joined.
"""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Count, Event, Fraction, Uuid


@attrs.frozen(kw_only=True)
class PresentationConvert(Event):
    """A presentation's pages were converted; no ``page_count`` means the conversion failed."""

    presentation: Uuid
    page_count: Count | None = None
    event: Literal["presentation_convert"] = "presentation_convert"


@attrs.frozen(kw_only=True)
class PresentationStart(Event):
    """A presentation went live; ``user`` started it and is its first member and moderator."""

    presentation: Uuid
    owner: Uuid
    user: Uuid
    description: str | None = None
    event: Literal["presentation_start"] = "presentation_start"


@attrs.frozen(kw_only=True)
class PresentationStop(Event):
    """A presentation ended; ``user`` is absent when it ended by timeout or failure."""

    presentation: Uuid
    owner: Uuid
    user: Uuid | None = None
    description: str | None = None
    event: Literal["presentation_stop"] = "presentation_stop"


@attrs.frozen(kw_only=True)
class PresentationJoin(Event):
    """``user`` joined the presentation."""

    presentation: Uuid
    user: Uuid
    event: Literal["presentation_join"] = "presentation_join"


@attrs.frozen(kw_only=True)
class PresentationLeave(Event):
    """``user`` left the presentation."""

    presentation: Uuid
    user: Uuid
    event: Literal["presentation_leave"] = "presentation_leave"


@attrs.frozen(kw_only=True)
class PresentationStatus(Event):
    """The whole state: page, pointer, visibility, moderator and members."""

    presentation: Uuid
    page: Count
    x: Fraction
    y: Fraction
    visible: bool
    moderator: Uuid | None = None
    member: list[Uuid]
    event: Literal["presentation_status"] = "presentation_status"


@attrs.frozen(kw_only=True)
class PresentationUpdate(Event):
    """The properties that changed; every field optional."""

    presentation: Uuid
    page: Count | None = None
    x: Fraction | None = None
    y: Fraction | None = None
    visible: bool | None = None
    moderator: Uuid | None = None
    event: Literal["presentation_update"] = "presentation_update"


@attrs.frozen(kw_only=True)
class PresentationKeepalive(Event):
    """The controller asks joined clients to confirm with a keepalive control message."""

    presentation: Uuid
    event: Literal["presentation_keepalive"] = "presentation_keepalive"

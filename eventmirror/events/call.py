"""Call events (reference: "Call events"); delivered only after GET /api/call/event."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Count, Event, Nested, Timestamp, Uuid


class CallFields(Nested, frozen=True):
    """The call parameters that changed (GET /api/call); an empty string clears
    ``current_control`` or ``bridge``."""

    status: str | None = None
    answer_time: Timestamp | None = None
    current_control: str | None = None
    bridge: str | None = None


@attrs.frozen(kw_only=True)
class CallUpdate(Event):
    """Changed parameters, keyed by call UUID."""

    call: dict[Uuid, CallFields]
    event: Literal["call_update"] = "call_update"


@attrs.frozen(kw_only=True)
class CallDtmf(Event):
    """A DTMF ``digit`` lasting ``duration`` was detected on ``call``."""

    call: Uuid
    digit: str
    duration: Count
    event: Literal["call_dtmf"] = "call_dtmf"

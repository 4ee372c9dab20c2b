"""Dialplan events (reference: "Dialplan events")."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Event


@attrs.frozen(kw_only=True)
class DialplanModify(Event):
    """The user's dialplan changed; re-fetch it (no payload)."""

    event: Literal["dialplan_modify"] = "dialplan_modify"


@attrs.frozen(kw_only=True)
class DialplanCallreverseStart(Event):
    """An incoming call activated call-reverse for the pair (``phone_from``, ``phone_to``)."""

    phone_from: str
    phone_to: str
    event: Literal["dialplan_callreverse_start"] = "dialplan_callreverse_start"


@attrs.frozen(kw_only=True)
class DialplanCallreverseStop(Event):
    """Call-reverse for the pair (``phone_from``, ``phone_to``) ended."""

    phone_from: str
    phone_to: str
    event: Literal["dialplan_callreverse_stop"] = "dialplan_callreverse_stop"

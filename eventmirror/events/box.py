"""Box events (reference: "Box events")."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Event, Uuid


@attrs.frozen(kw_only=True)
class BoxOnline(Event):
    """A device came online, with its current address and versions."""

    box: Uuid
    owner: Uuid
    description: str | None = None
    ip_addr: str
    mac_addr: str
    sw_version: str
    hw_version: str
    event: Literal["box_online"] = "box_online"


@attrs.frozen(kw_only=True)
class BoxOffline(Event):
    """A device went offline."""

    box: Uuid
    owner: Uuid
    description: str | None = None
    event: Literal["box_offline"] = "box_offline"

"""Announcement events (reference: "Announcement events")."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Event, Uuid


@attrs.frozen(kw_only=True)
class AnnouncementConvert(Event):
    """An announcement was converted; without ``success`` the conversion failed."""

    announcement: Uuid
    success: bool | None = None
    event: Literal["announcement_convert"] = "announcement_convert"

"""Metadata events (reference: "Metadata events")."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Event, Json, Uuid


@attrs.frozen(kw_only=True)
class UserMetadata(Event):
    """The user's metadata changed: ``update`` keys were set, ``delete`` keys removed."""

    update: dict[str, Json] | None = None
    delete: list[str] | None = None
    event: Literal["user_metadata"] = "user_metadata"


@attrs.frozen(kw_only=True)
class ObjectMetadata(Event):
    """An object's metadata changed; ``user`` made the change."""

    object: Uuid
    user: Uuid | None = None
    update: dict[str, Json] | None = None
    delete: list[str] | None = None
    event: Literal["object_metadata"] = "object_metadata"

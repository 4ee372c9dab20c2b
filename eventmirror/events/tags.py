"""Tag events (reference: "Tag events")."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import AccessLevel, Event, Uuid


@attrs.frozen(kw_only=True)
class TagNew(Event):
    """A tag was created; ``policy`` maps user UUIDs to their access level."""

    tag: Uuid
    owner: Uuid
    label: str
    foreign_use: bool
    policy: dict[Uuid, AccessLevel]
    event: Literal["tag_new"] = "tag_new"


@attrs.frozen(kw_only=True)
class TagModify(Event):
    """A tag changed; a policy level 0 means that user lost access by this change."""

    tag: Uuid
    owner: Uuid
    label: str
    foreign_use: bool
    policy: dict[Uuid, AccessLevel]
    event: Literal["tag_modify"] = "tag_modify"


@attrs.frozen(kw_only=True)
class TagDelete(Event):
    """A tag was deleted."""

    tag: Uuid
    event: Literal["tag_delete"] = "tag_delete"

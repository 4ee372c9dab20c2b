"""Generic object events (reference: "Generic object events")."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Event, Uuid


@attrs.frozen(kw_only=True)
class ObjectEvent(Event):
    """The fields every object event carries; ``user`` is who acted, when a user did."""

    object: Uuid
    type: str
    owner: Uuid
    description: str | None = None


@attrs.frozen(kw_only=True)
class ObjectNew(ObjectEvent):
    """An object was created; ``tag`` lists every tag attached to it."""

    tag: list[Uuid]
    event: Literal["object_new"] = "object_new"


@attrs.frozen(kw_only=True)
class ObjectModify(ObjectEvent):
    """An object's fields changed (not its comments or tags)."""

    user: Uuid | None = None
    event: Literal["object_modify"] = "object_modify"


@attrs.frozen(kw_only=True)
class ObjectDelete(ObjectEvent):
    """An object was deleted: to the trash, or for good when ``purge`` is true."""

    user: Uuid | None = None
    purge: bool | None = None
    event: Literal["object_delete"] = "object_delete"


@attrs.frozen(kw_only=True)
class ObjectShare(ObjectEvent):
    """An object became visible to this user for the first time through a tag."""

    user: Uuid | None = None
    tag: list[Uuid]
    event: Literal["object_share"] = "object_share"


@attrs.frozen(kw_only=True)
class ObjectTag(ObjectEvent):
    """Tags were attached or detached; ``tag`` is the full, authoritative list after it."""

    user: Uuid | None = None
    tag: list[Uuid]
    tag_add: list[Uuid] | None = None
    tag_delete: list[Uuid] | None = None
    event: Literal["object_tag"] = "object_tag"


@attrs.frozen(kw_only=True)
class ObjectUnshare(ObjectEvent):
    """An object became invisible to this user because the tag granting access went away."""

    user: Uuid | None = None
    event: Literal["object_unshare"] = "object_unshare"

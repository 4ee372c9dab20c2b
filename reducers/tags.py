"""Tags: label, owner, foreign use and the access policy.

A policy entry 0 means that user lost access and is dropped from the policy; when the mirror
knows its own user and that user's level becomes 0, the tag leaves the mirror. Deleting a tag
also strips it from every object that carried it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventmirror.events import TagDelete, TagModify, TagNew
from eventmirror.rules import access_removed, granted

from . import objects
from ._slice import Slice
from ._state import Changes, Entity, without

if TYPE_CHECKING:
    from .mirror import Mirror


class Tag(Entity, frozen=True, gc=False):
    """A tag this user can see; ``policy`` maps user UUIDs to levels 1..4."""

    owner: str
    label: str
    foreign_use: bool
    policy: dict[str, int]


SLICE = Slice("tags", Tag)


def _tag(event: TagNew | TagModify) -> Tag:
    return Tag(event.owner, event.label, event.foreign_use, granted(event.policy))


@SLICE.reducer(TagNew)
def tag_new(mirror: Mirror, event: TagNew) -> Changes:
    return {"tags": mirror.tags.set(event.tag, _tag(event))}


@SLICE.reducer(TagModify)
def tag_modify(mirror: Mirror, event: TagModify) -> Changes:
    if mirror.me is not None and access_removed(event.policy, mirror.me):
        return {"tags": without(mirror.tags, event.tag)}
    return {"tags": mirror.tags.set(event.tag, _tag(event))}


@SLICE.reducer(TagDelete)
def tag_delete(mirror: Mirror, event: TagDelete) -> Changes:
    return {
        "tags": without(mirror.tags, event.tag),
        "objects": objects.strip_tag(mirror.objects, event.tag),
    }

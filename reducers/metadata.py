"""Metadata of the user and of objects: ``update`` merges keys, ``delete`` removes keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from eventmirror.events import ObjectMetadata, UserMetadata

from . import objects
from ._slice import Slice
from ._state import EMPTY, Changes, Map, replace, set_all

if TYPE_CHECKING:
    from .mirror import Mirror


SLICE = Slice("user_metadata", Any)


def merged(
    metadata: Map[str, Any], update: Mapping[str, Any] | None, delete: list[str] | None
) -> Map[str, Any]:
    """``metadata`` with ``update`` merged in, then the ``delete`` keys removed."""
    if not delete:
        return set_all(metadata, update) if update else metadata
    # One mutation for the whole event: a persistent update, then a delete per key, would
    # copy the same nodes again for every key.
    draft = metadata.mutate()
    if update:
        draft.update(update)
    for key in delete:
        draft.pop(key, None)
    return draft.finish()


@SLICE.reducer(UserMetadata)
def user_metadata(mirror: Mirror, event: UserMetadata) -> Changes:
    return {"user_metadata": merged(mirror.user_metadata, event.update, event.delete)}


@objects.SLICE.reducer(ObjectMetadata)
def object_metadata(mirror: Mirror, event: ObjectMetadata) -> Changes:
    old = mirror.objects.by_uuid.get(event.object)
    if old is None:
        obj = objects.Object(None, None, metadata=merged(EMPTY, event.update, event.delete))
        return {"objects": objects.put(mirror.objects, event.object, obj)}
    obj = replace(old, metadata=merged(old.metadata, event.update, event.delete))
    return {"objects": objects.replace_object(mirror.objects, event.object, obj)}

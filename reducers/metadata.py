"""Metadata of the user and of objects: ``update`` merges keys, ``delete`` removes keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from eventmirror.events import ObjectMetadata, UserMetadata

from . import objects
from ._registry import reducer
from ._state import EMPTY, Changes, Map, replace, set_all

if TYPE_CHECKING:
    from .mirror import Mirror


def merged(
    metadata: Map[str, Any], update: Mapping[str, Any] | None, delete: list[str] | None
) -> Map[str, Any]:
    """``metadata`` with ``update`` merged in, then the ``delete`` keys removed."""
    if update:
        metadata = set_all(metadata, update.items())
    for key in delete or ():
        if key in metadata:
            metadata = metadata.delete(key)
    return metadata


@reducer(UserMetadata)
def user_metadata(mirror: Mirror, event: UserMetadata) -> Changes:
    return {"user_metadata": merged(mirror.user_metadata, event.update, event.delete)}


@reducer(ObjectMetadata)
def object_metadata(mirror: Mirror, event: ObjectMetadata) -> Changes:
    old = mirror.objects.items.get(event.object)
    if old is None:
        obj = objects.Object(None, None, metadata=merged(EMPTY, event.update, event.delete))
        return {"objects": objects.put(mirror.objects, event.object, obj)}
    obj = replace(old, metadata=merged(old.metadata, event.update, event.delete))
    return {"objects": objects.replace_object(mirror.objects, event.object, obj)}

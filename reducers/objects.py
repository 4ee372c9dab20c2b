"""Objects: their headers, tags, trash state, comments and metadata; removing them cascades.

The slice keeps two indexes beside the objects so that no event scans every object: the
trashed objects (for ``trash_purge``) and, per tag, the objects carrying it (for
``tag_delete``). Both are derived, so the JSON form leaves them out and loading rebuilds them.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import TYPE_CHECKING, Any, TypeVar, overload

import msgspec

from eventmirror.errors import Problem
from eventmirror.events import (
    ObjectDelete,
    ObjectModify,
    ObjectNew,
    ObjectShare,
    ObjectTag,
    ObjectUnshare,
)
from eventmirror.events.objects import ObjectEvent
from eventmirror.rules import tag_change_disagreement

from ._draft import Draft, MapsDraft, PartsDrafting
from ._registry import Inconsistent
from ._slice import OF_OBJECT, Slice
from ._state import EMPTY, Changes, Entity, Map, Sparse, replace, without

if TYPE_CHECKING:
    from .mirror import Mirror

T = TypeVar("T")


class Comment(Sparse, frozen=True, gc=False):
    """A comment on an object."""

    owner: str
    text: str | None = None


class Object(Entity, frozen=True, gc=False):
    """An object as this user sees it. ``type`` and ``owner`` are None while unknown (an
    object first seen through its metadata); ``tag`` is None until an event lists its tags."""

    type: str | None
    owner: str | None
    description: str | None = None
    tag: tuple[str, ...] | None = None
    trashed: bool = False
    comments: Map[str, Comment] = EMPTY
    metadata: Map[str, Any] = EMPTY


class Objects(msgspec.Struct, frozen=True):
    """The objects slice: a read-only mapping of objects by UUID (like every other slice),
    keeping the trash and tag indexes beside it."""

    by_uuid: Map[str, Object] = EMPTY
    trash: Map[str, bool] = EMPTY
    by_tag: Map[str, Map[str, bool]] = EMPTY

    def __getitem__(self, uuid: str) -> Object:
        return self.by_uuid[uuid]

    @overload
    def get(self, uuid: str) -> Object | None: ...
    @overload
    def get(self, uuid: str, default: Object | T) -> Object | T: ...
    def get(self, uuid: str, default: Any = None) -> Any:
        return self.by_uuid.get(uuid, default)

    def __len__(self) -> int:
        return len(self.by_uuid)

    def __contains__(self, uuid: object) -> bool:
        return uuid in self.by_uuid

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_uuid)

    def keys(self) -> KeysView[str]:
        return KeysView(self)

    def values(self) -> ValuesView[Object]:
        return ValuesView(self)

    def items(self) -> ItemsView[str, Object]:
        return ItemsView(self)

    def tagged(self, tag: str) -> list[str]:
        """The UUIDs of the objects that carry ``tag``, sorted."""
        return sorted(self.by_tag.get(tag, EMPTY))


Mapping.register(Objects)

EMPTY_OBJECTS = Objects()


def _indexed(objects: dict[str, Object]) -> Objects:
    """The objects slice of a loaded mirror: the indexes rebuilt from the objects."""
    built = EMPTY_OBJECTS
    for uuid, obj in objects.items():
        built = put(built, uuid, obj)
    return built


SLICE = Slice(
    "objects",
    Object,
    # The tag index is a map of maps. An object's comments and metadata stay persistent:
    # most objects change a few times in a whole stream, and drafting their small maps cost
    # more than it saved (valgrind, benchmark recording: +1.7% instructions, +4% misses).
    drafting=PartsDrafting({"by_uuid": Draft, "trash": Draft, "by_tag": MapsDraft}),
    written=lambda objects: objects.by_uuid,  # the indexes are derived: left out
    rebuilt=_indexed,
)


def put(objects: Objects, uuid: str, new: Object) -> Objects:
    """``objects`` with ``uuid`` set to ``new``, keeping both indexes right."""
    return _put_over(objects, uuid, objects.by_uuid.get(uuid), new)


def _put_over(objects: Objects, uuid: str, old: Object | None, new: Object) -> Objects:
    """:func:`put`, for a caller that has already looked up the ``old`` object."""
    if old is not None and old.trashed == new.trashed and old.tag == new.tag:
        # The common case (a header, comment or metadata change): no index moves.
        return Objects(objects.by_uuid.set(uuid, new), objects.trash, objects.by_tag)
    trash, by_tag = objects.trash, objects.by_tag
    if old is None:  # a new object: nothing to take out of either index
        if new.trashed:
            trash = trash.set(uuid, True)
        if new.tag:
            by_tag = _reindex(by_tag, uuid, remove=(), add=set(new.tag))
        return Objects(objects.by_uuid.set(uuid, new), trash, by_tag)
    if old.trashed != new.trashed:
        trash = trash.set(uuid, True) if new.trashed else trash.delete(uuid)
    old_tags = old.tag or ()
    new_tags = new.tag or ()
    if old_tags != new_tags:
        by_tag = _reindex(by_tag, uuid, remove=set(old_tags) - set(new_tags), add=set(new_tags))
    return Objects(objects.by_uuid.set(uuid, new), trash, by_tag)


def _reindex(
    by_tag: Map[str, Map[str, bool]], uuid: str, remove: Iterable[str], add: Iterable[str]
) -> Map[str, Map[str, bool]]:
    draft = by_tag.mutate()  # not ``with``: the context manager costs more than the edits
    for tag in remove:
        members = draft.get(tag, EMPTY).delete(uuid) if uuid in draft.get(tag, EMPTY) else None
        if members is None:
            continue
        if members:
            draft[tag] = members
        else:
            del draft[tag]
    for tag in add:
        draft[tag] = draft.get(tag, EMPTY).set(uuid, True)
    return draft.finish()


def replace_object(objects: Objects, uuid: str, new: Object) -> Objects:
    """``objects`` with ``uuid`` set to ``new`` whose tags and trash flag did not change, so
    neither index moves (the common case: a header, comment or metadata change)."""
    return Objects(objects.by_uuid.set(uuid, new), objects.trash, objects.by_tag)


def with_header(
    objects: Objects, uuid: str, type: str, owner: str, description: str | None
) -> Object:
    """The object with its header fields from an event (creating it if unseen)."""
    old = objects.by_uuid.get(uuid)
    if old is None:
        return Object(type, owner, description)
    if old.type == type and old.owner == owner and old.description == description:
        return old
    return replace(old, type=type, owner=owner, description=description)


def _header(objects: Objects, event: ObjectEvent) -> Object:
    return with_header(objects, event.object, event.type, event.owner, event.description)


def remove_objects(mirror: Mirror, uuids: Iterable[str]) -> Changes:
    """Remove objects with their comments, metadata and per-object domain state.

    Domain state goes even for an object whose header the mirror never saw (a recording that
    started after ``object_new`` but saw its ``fax_convert``): the user can no longer see it.
    """
    objects = mirror.objects
    items, trash, by_tag = objects.by_uuid, objects.trash, objects.by_tag
    targets = list(uuids)
    removed = [uuid for uuid in targets if uuid in items]
    changes: Changes = {}
    if removed:
        for uuid in removed:
            tags = items[uuid].tag or ()
            by_tag = _reindex(by_tag, uuid, remove=tags, add=())
            items = items.delete(uuid)
            trash = without(trash, uuid)
        changes["objects"] = Objects(items, trash, by_tag)
    for name in OF_OBJECT:
        state: Map[str, Any] = getattr(mirror, name)
        pruned = state
        for uuid in targets:
            pruned = without(pruned, uuid)
        if pruned is not state:
            changes[name] = pruned
    return changes


def strip_tag(objects: Objects, tag: str) -> Objects:
    """Take ``tag`` off every object that carries it (the tag was deleted)."""
    members = objects.by_tag.get(tag)
    if members is None:
        return objects
    with objects.by_uuid.mutate() as draft:
        for uuid in members:
            obj = draft[uuid]
            draft[uuid] = replace(obj, tag=tuple(t for t in obj.tag or () if t != tag))
        items = draft.finish()
    return Objects(items, objects.trash, objects.by_tag.delete(tag))


@SLICE.reducer(ObjectNew)
def object_new(mirror: Mirror, event: ObjectNew) -> Changes:
    objects = mirror.objects
    old = objects.by_uuid.get(event.object)
    tags = tuple(event.tag)
    if old is None:  # the usual case, built in one go
        obj = Object(event.type, event.owner, event.description, tags)
    else:
        obj = replace(
            old,
            type=event.type,
            owner=event.owner,
            description=event.description,
            tag=tags,
            trashed=False,
        )
    return {"objects": _put_over(objects, event.object, old, obj)}


@SLICE.reducer(ObjectModify)
def object_modify(mirror: Mirror, event: ObjectModify) -> Changes:
    objects = mirror.objects
    old = objects.by_uuid.get(event.object)
    if old is None:
        new = Object(event.type, event.owner, event.description)
        return {"objects": put(objects, event.object, new)}
    if old.type == event.type and old.owner == event.owner and old.description == event.description:
        return {}  # the object's other fields changed: nothing this mirror holds
    new = replace(old, type=event.type, owner=event.owner, description=event.description)
    return {"objects": replace_object(objects, event.object, new)}


@SLICE.reducer(ObjectDelete)
def object_delete(mirror: Mirror, event: ObjectDelete) -> Changes:
    if event.purge:
        return remove_objects(mirror, [event.object])
    obj = replace(_header(mirror.objects, event), trashed=True)
    return {"objects": put(mirror.objects, event.object, obj)}


@SLICE.reducer(ObjectShare)
def object_share(mirror: Mirror, event: ObjectShare) -> Changes:
    obj = replace(_header(mirror.objects, event), tag=tuple(event.tag))
    return {"objects": put(mirror.objects, event.object, obj)}


@SLICE.reducer(ObjectTag)
def object_tag(mirror: Mirror, event: ObjectTag) -> Changes:
    obj = replace(_header(mirror.objects, event), tag=tuple(event.tag))
    changes = {"objects": put(mirror.objects, event.object, obj)}
    disagreement = tag_change_disagreement(event.tag, event.tag_add, event.tag_delete)
    if disagreement is not None:
        problem = Problem(
            path="tag", expected=f"tag_add/tag_delete agreeing with tag ({disagreement})"
        )
        raise Inconsistent(problem, applied=changes)
    return changes


@SLICE.reducer(ObjectUnshare)
def object_unshare(mirror: Mirror, event: ObjectUnshare) -> Changes:
    return remove_objects(mirror, [event.object])

"""Objects on the server: header, attached tags, trash, and who may read them.

Read access: the owner, or any user to whom an attached tag grants a level >= 1. Each user's
knowledge of an object starts when it becomes visible to her (``visible_since``); the tag
list she was last told is kept too, since ``object_tag`` does not reach every reader.

Tag and trash commands find what they touch through reverse indexes (tag -> objects, owner ->
trash, tag -> told tag lists), so their cost follows their recipients, not the world's size.
Every change to an object's tags, its trash state or a told tag list goes through the helpers
that keep those indexes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from eventmirror.events import (
    ObjectDelete,
    ObjectModify,
    ObjectNew,
    ObjectShare,
    ObjectTag,
    ObjectUnshare,
    TrashPurge,
)
from eventmirror.rules import can_read, can_write, tag_change

from ._core import Domain, Session, SimulatorError, entity
from ._object_index import SetIndex
from .commands import command


@attrs.define
class ServerObject:
    uuid: str
    type: str
    owner: str
    description: str | None
    tags: list[str]
    trashed: bool = False
    #: The change that put it in the trash: who saw the object only later was never told.
    trashed_change: int = 0
    #: Its place in the order of creation, the objects dict's order: indexed objects are
    #: listed in it, so that events about several objects come in the same order as a scan.
    created: int = 0


class Objects(Domain):
    name = "objects"
    sections = ("objects",)

    objects: dict[str, ServerObject]
    visible_since: dict[tuple[str, str], int]
    told_tags: dict[tuple[str, str], tuple[str, ...]]
    #: How many objects were created: the next one's creation number.
    _creations: int
    _carrying: SetIndex[str, str]
    _trash: SetIndex[str, str]
    _told_with: SetIndex[str, tuple[str, str]]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.objects = {}
        #: (user, object) -> the change from which the user sees the object.
        self.visible_since = {}
        #: (user, object) -> the tag list the user was last told.
        self.told_tags = {}
        self._creations = 0
        #: tag -> the objects carrying it.
        self._carrying = SetIndex()
        #: owner -> her objects in the trash.
        self._trash = SetIndex()
        #: tag -> the (user, object) pairs whose told tag list holds it. Not only objects that
        #: carry it: a user with no access to a tag is not told when it is detached.
        self._told_with = SetIndex()

    # -- access --------------------------------------------------------------------------

    def get(self, uuid: str) -> ServerObject:
        try:
            return self.objects[uuid]
        except KeyError:
            raise SimulatorError(f"no {entity('object', uuid)}") from None

    def describe(self, uuid: str) -> str:
        """The object as messages name it: ``object 'Hans Mustermann' (<uuid>)``."""
        obj = self.objects.get(uuid)
        return entity("object", uuid, None if obj is None else obj.description)

    def readers(self, uuid: str) -> set[str]:
        """Who may read the object now."""
        obj = self.objects.get(uuid)
        if obj is None:
            return set()
        tags = self.world.tags
        readers = {obj.owner}
        for tag in obj.tags:
            readers |= tags.readers(tag)
        return readers

    def can_read(self, user: str, uuid: str) -> bool:
        return user in self.readers(uuid)

    def since(self, user: str, uuid: str) -> int | None:
        """The change from which ``user`` knows the object, None if she cannot see it."""
        return self.visible_since.get((user, uuid))

    def carrying(self, tag: str) -> list[str]:
        return self._in_order(self._carrying.get(tag))

    def _in_order(self, uuids: Iterable[str]) -> list[str]:
        return sorted(uuids, key=lambda uuid: self.objects[uuid].created)

    def readers_of_tagged(self, tag: str) -> dict[str, set[str]]:
        """Who reads each object carrying ``tag``: taken before a tag change, then given to
        :meth:`reshare` to (un)share with whoever gained or lost access."""
        return {uuid: self.readers(uuid) for uuid in self.carrying(tag)}

    def _require_reader(self, actor: str, obj: ServerObject) -> None:
        if actor not in self.readers(obj.uuid):
            raise SimulatorError(f"{self.user_name(actor)} cannot read {self.describe(obj.uuid)}")

    def _require_writer(self, actor: str, obj: ServerObject) -> None:
        tags = self.world.tags
        if actor != obj.owner and not any(can_write(tags.level(t, actor)) for t in obj.tags):
            raise SimulatorError(
                f"{self.user_name(actor)} may not change {self.describe(obj.uuid)}"
            )

    def header(self, obj: ServerObject) -> dict[str, Any]:
        return {
            "object": obj.uuid,
            "type": obj.type,
            "owner": obj.owner,
            "description": obj.description,
        }

    # -- telling users -------------------------------------------------------------------

    def _set_tags(self, obj: ServerObject, tags: list[str]) -> None:
        self._carrying.refile(obj.uuid, obj.tags, tags)
        obj.tags = tags

    def _tell_tags(self, key: tuple[str, str], tags: tuple[str, ...]) -> None:
        self._told_with.refile(key, self.told_tags.get(key, ()), tags)
        self.told_tags[key] = tags

    def _tell_visible(self, users: Iterable[str], obj: ServerObject, change: int) -> None:
        for user in users:
            self.visible_since[(user, obj.uuid)] = change
            self._tell_tags((user, obj.uuid), tuple(obj.tags))

    def _forget(self, users: Iterable[str], uuid: str) -> None:
        for user in users:
            self.visible_since.pop((user, uuid), None)
            self._told_with.refile((user, uuid), self.told_tags.pop((user, uuid), ()), ())

    def reshare(self, before: Mapping[str, set[str]], actor: str | None) -> None:
        """After a change of tags or policies: share with those who gained read access,
        unshare from those who lost it."""
        change = self.world.change
        for uuid, readers_before in before.items():
            obj = self.objects.get(uuid)
            if obj is None:
                continue
            after = self.readers(uuid)
            gained, lost = sorted(after - readers_before), sorted(readers_before - after)
            user_field = {"user": actor} if actor is not None else {}
            if gained:
                self.world.send_to_users(
                    ObjectShare, gained, **self.header(obj), tag=list(obj.tags), **user_field
                )
                self._tell_visible(gained, obj, change)
            if lost:
                self.world.send_to_users(ObjectUnshare, lost, **self.header(obj), **user_field)
                self._forget(lost, uuid)

    def strip_tag(self, tag: str, *, told: set[str]) -> None:
        """A deleted tag comes off every object; users who get ``tag_delete`` strip it too."""
        for uuid in self._carrying.pop(tag):
            self.objects[uuid].tags.remove(tag)
        for key in list(self._told_with.get(tag)):
            if key[0] in told:
                self._tell_tags(key, tuple(t for t in self.told_tags[key] if t != tag))

    # -- commands ------------------------------------------------------------------------

    @command
    def create(
        self, actor: str, type: str, description: str | None = None, *, tags: Iterable[str] = ()
    ) -> str:
        """The user creates an object of ``type``, optionally tagged; she owns it."""
        owner_id = self.world.user_id(actor)
        tag_list = list(dict.fromkeys(tags))
        for tag in tag_list:
            if not can_read(self.world.tags.level(tag, owner_id)):
                raise SimulatorError(
                    f"{self.user_name(actor)} has no access to {self.world.tags.describe(tag)}"
                )
        uuid, created = self.world.new_uuid(), self._creations
        self._creations += 1
        obj = ServerObject(uuid, type, owner_id, description, [], created=created)
        change = self.world.tick()
        self.objects[uuid] = obj
        self._set_tags(obj, tag_list)
        readers = sorted(self.readers(obj.uuid))
        self.world.send_to_users(ObjectNew, readers, **self.header(obj), tag=list(obj.tags))
        self._tell_visible(readers, obj, change)
        return obj.uuid

    @command
    def modify(
        self, actor: str, object: str, *, description: str | None = None, type: str | None = None
    ) -> None:
        """A writer changes an object's fields (its description or type)."""
        uuid = object
        actor_id = self.world.user_id(actor)
        obj = self.get(uuid)
        self._require_writer(actor_id, obj)
        if description in (None, obj.description) and type in (None, obj.type):
            raise SimulatorError(f"that change to {self.describe(uuid)} would change nothing")
        self.world.tick()
        obj.description = description if description is not None else obj.description
        obj.type = type if type is not None else obj.type
        readers = sorted(self.readers(uuid))
        self.world.send_to_users(ObjectModify, readers, **self.header(obj), user=actor_id)

    @command
    def delete(self, actor: str, object: str, *, purge: bool = False) -> None:
        """The owner deletes an object: to the trash, or for good (``purge``; from the trash
        or directly)."""
        uuid = object
        actor_id = self.world.user_id(actor)
        obj = self.get(uuid)
        if actor_id != obj.owner:
            raise SimulatorError(f"only the owner may delete {self.describe(uuid)}")
        if not purge and obj.trashed:
            raise SimulatorError(f"{self.describe(uuid)} is in the trash already")
        readers = sorted(self.readers(uuid))
        self.world.tick()
        extra = {"purge": True} if purge else {}
        self.world.send_to_users(ObjectDelete, readers, **self.header(obj), user=actor_id, **extra)
        if purge:
            self._remove(uuid, readers)
        else:
            obj.trashed, obj.trashed_change = True, self.world.change
            self._trash.add(obj.owner, uuid)

    @command
    def purge_trash(self, actor: str) -> None:
        """The user empties her trash: her trashed objects are gone for good."""
        owner_id = self.world.user_id(actor)
        trashed = [self.objects[uuid] for uuid in self._in_order(self._trash.get(owner_id))]
        if not trashed:
            raise SimulatorError(
                f"{self.user_name(actor)}'s trash is empty: purging it would change nothing"
            )
        self.world.tick()
        self.world.send_to_users(TrashPurge, [owner_id])
        for obj in trashed:
            others = sorted(self.readers(obj.uuid) - {owner_id})
            self.world.send_to_users(ObjectDelete, others, **self.header(obj), purge=True)
            self._remove(obj.uuid, [owner_id, *others])

    def _remove(self, uuid: str, readers: Iterable[str]) -> None:
        obj = self.objects.pop(uuid)
        self._carrying.refile(uuid, obj.tags, ())
        self._trash.discard(obj.owner, uuid)
        self._forget(readers, uuid)
        for domain in self.world.domains:
            forget = getattr(domain, "forget_object", None)
            if forget is not None:
                forget(uuid)

    @command
    def retag(
        self, actor: str, object: str, *, add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> None:
        """A reader attaches and detaches tags of an object.

        ``object_tag`` reaches readers before and after who have access to one of the changed
        tags; others who gain or lose access are (un)shared."""
        uuid = object
        actor_id = self.world.user_id(actor)
        obj = self.get(uuid)
        self._require_reader(actor_id, obj)
        if obj.trashed:
            raise SimulatorError(f"{self.describe(uuid)} is in the trash")
        tags = self.world.tags
        change = tag_change(obj.tags, add, remove)
        added, removed = change.tag_add, change.tag_delete
        for tag in [*added, *removed]:
            tags.get(tag)
            if not can_read(tags.level(tag, actor_id)):
                raise SimulatorError(
                    f"{self.user_name(actor)} has no access to {tags.describe(tag)}"
                )
        if not added and not removed:
            raise SimulatorError("nothing to attach or detach")
        before = self.readers(uuid)
        self.world.tick()
        self._set_tags(obj, change.tag)
        after = self.readers(uuid)
        changed = set(added) | set(removed)
        told = sorted(
            user for user in before & after if any(can_read(tags.level(t, user)) for t in changed)
        )
        payload = {**self.header(obj), "user": actor_id, "tag": list(obj.tags)}
        if added:
            payload["tag_add"] = added
        if removed:
            payload["tag_delete"] = removed
        self.world.send_to_users(ObjectTag, told, **payload)
        for user in told:
            self._tell_tags((user, uuid), tuple(obj.tags))
        self.reshare({uuid: before}, actor_id)

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        user = session.user
        comments = self.world.comments
        metadata = self.world.metadata
        items: dict[str, Any] = {}
        for uuid, obj in self.objects.items():
            since = self.visible_since.get((user, uuid))
            if since is None:
                continue
            item: dict[str, Any] = {"type": obj.type, "owner": obj.owner}
            if obj.description is not None:
                item["description"] = obj.description
            item["tag"] = list(self.told_tags[(user, uuid)])
            item["trashed"] = obj.trashed and obj.trashed_change > since
            item["comments"] = comments.told(uuid, since)
            item["metadata"] = metadata.told(uuid, since)
            items[uuid] = item
        sections["objects"] = items

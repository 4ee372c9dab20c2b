"""Comments on the server, under their object; every reader of the object is told."""

from __future__ import annotations

import textwrap
from typing import Any

import attrs

from eventmirror.events import CommentDelete, CommentModify, CommentNew

from ._core import Domain, SimulatorError, entity
from ._object_index import SetIndex
from .commands import command


@attrs.define
class ServerComment:
    uuid: str
    object: str
    owner: str
    text: str
    changed: int


class Comments(Domain):
    name = "comments"

    comments: dict[str, ServerComment]
    _on_object: SetIndex[str, str]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.comments = {}
        #: object -> its comments' UUIDs, in the order they were made: removing an object or
        #: viewing its comments costs its own comments, not a walk of all of them.
        self._on_object = SetIndex()

    def _ref(self, uuid: str) -> dict[str, Any]:
        return self.world.objects.header(self.world.objects.get(uuid))

    def _comment(self, uuid: str) -> ServerComment:
        try:
            return self.comments[uuid]
        except KeyError:
            raise SimulatorError(f"no {entity('comment', uuid)}") from None

    def describe(self, uuid: str) -> str:
        """The comment as messages name it: by the start of its text."""
        found = self.comments.get(uuid)
        text = None if found is None else textwrap.shorten(found.text, 40, placeholder="...")
        return entity("comment", uuid, text)

    @command
    def add(self, actor: str, object: str, text: str) -> str:
        """A reader of the object comments on it."""
        obj = object
        author_id = self.world.user_id(actor)
        objects = self.world.objects
        if not objects.can_read(author_id, obj):
            raise SimulatorError(f"{self.user_name(actor)} cannot read {objects.describe(obj)}")
        comment = ServerComment(self.world.new_uuid(), obj, author_id, text, self.world.tick())
        self.comments[comment.uuid] = comment
        self._on_object.add(obj, comment.uuid)
        readers = sorted(objects.readers(obj))
        self.world.send_to_users(
            CommentNew,
            readers,
            comment=comment.uuid,
            owner=author_id,
            text=text,
            object=self._ref(obj),
        )
        return comment.uuid

    @command
    def edit(self, actor: str, comment: str, text: str) -> None:
        """The comment's author changes its text."""
        uuid = comment
        found = self._comment(uuid)
        if self.world.user_id(actor) != found.owner:
            raise SimulatorError(f"only the author may edit {self.describe(uuid)}")
        if text == found.text:
            raise SimulatorError(f"{self.describe(uuid)} has that text already")
        found.text, found.changed = text, self.world.tick()
        readers = sorted(self.world.objects.readers(found.object))
        self.world.send_to_users(
            CommentModify,
            readers,
            comment=uuid,
            owner=found.owner,
            text=text,
            object=self._ref(found.object),
        )

    @command
    def delete(self, actor: str, comment: str) -> None:
        """The comment's author (or the object's owner) deletes it."""
        uuid = comment
        found = self._comment(uuid)
        actor_id = self.world.user_id(actor)
        if actor_id not in (found.owner, self.world.objects.get(found.object).owner):
            raise SimulatorError(f"{self.user_name(actor)} may not delete {self.describe(uuid)}")
        self.world.tick()
        del self.comments[uuid]
        self._on_object.discard(found.object, uuid)
        readers = sorted(self.world.objects.readers(found.object))
        self.world.send_to_users(
            CommentDelete,
            readers,
            comment=uuid,
            owner=found.owner,
            object=self._ref(found.object),
        )

    def forget_object(self, obj: str) -> None:
        for uuid in self._on_object.pop(obj):
            del self.comments[uuid]

    def told(self, obj: str, since: int) -> dict[str, dict[str, str]]:
        """The object's comments a user who sees it from change ``since`` was told about (their
        JSON form)."""
        return {
            uuid: {"owner": c.owner, "text": c.text}
            for uuid, c in ((u, self.comments[u]) for u in self._on_object.get(obj))
            if c.changed > since
        }

"""Comments on the server, under their object; every reader of the object is told."""

from __future__ import annotations

from typing import Any

import attrs

from eventmirror.events import CommentDelete, CommentModify, CommentNew

from ._core import Domain, SimulatorError
from ._object_index import SetIndex


@attrs.define
class ServerComment:
    uuid: str
    object: str
    owner: str
    text: str
    changed: int


class Comments(Domain):
    name = "comments"

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.comments: dict[str, ServerComment] = {}
        #: object -> its comments' UUIDs, in the order they were made: removing an object or
        #: viewing its comments costs its own comments, not a walk of all of them.
        self._on_object: SetIndex[str, str] = SetIndex()

    def _ref(self, uuid: str) -> dict[str, Any]:
        return self.world.objects.header(self.world.objects.get(uuid))

    def _comment(self, uuid: str) -> ServerComment:
        try:
            return self.comments[uuid]
        except KeyError:
            raise SimulatorError(f"no comment {uuid!r}") from None

    def add(self, author: str, obj: str, text: str) -> str:
        """A reader of ``obj`` comments on it."""
        author_id = self.world.user_id(author)
        objects = self.world.objects
        if not objects.can_read(author_id, obj):
            raise SimulatorError(f"{author} cannot read object {obj!r}")
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

    def edit(self, author: str, uuid: str, text: str) -> None:
        """The comment's author changes its text."""
        comment = self._comment(uuid)
        if self.world.user_id(author) != comment.owner:
            raise SimulatorError(f"only the author may edit comment {uuid!r}")
        if text == comment.text:
            raise SimulatorError(f"comment {uuid!r} has that text already")
        comment.text, comment.changed = text, self.world.tick()
        readers = sorted(self.world.objects.readers(comment.object))
        self.world.send_to_users(
            CommentModify,
            readers,
            comment=uuid,
            owner=comment.owner,
            text=text,
            object=self._ref(comment.object),
        )

    def delete(self, author: str, uuid: str) -> None:
        """The comment's author (or the object's owner) deletes it."""
        comment = self._comment(uuid)
        actor = self.world.user_id(author)
        if actor not in (comment.owner, self.world.objects.get(comment.object).owner):
            raise SimulatorError(f"{author} may not delete comment {uuid!r}")
        self.world.tick()
        del self.comments[uuid]
        self._on_object.discard(comment.object, uuid)
        readers = sorted(self.world.objects.readers(comment.object))
        self.world.send_to_users(
            CommentDelete,
            readers,
            comment=uuid,
            owner=comment.owner,
            object=self._ref(comment.object),
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

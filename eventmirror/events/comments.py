"""Comment events (reference: "Comment events")."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Event, Nested, Uuid


class ObjectRef(Nested, frozen=True):
    """The ``object`` section of a comment event: enough to create the object if unseen."""

    object: Uuid
    type: str
    owner: Uuid
    description: str | None = None


@attrs.frozen(kw_only=True)
class CommentNew(Event):
    """A comment was added to an object."""

    comment: Uuid
    owner: Uuid
    text: str
    object: ObjectRef
    event: Literal["comment_new"] = "comment_new"


@attrs.frozen(kw_only=True)
class CommentModify(Event):
    """A comment's text changed; ``text`` is the new full text."""

    comment: Uuid
    owner: Uuid
    text: str
    object: ObjectRef
    event: Literal["comment_modify"] = "comment_modify"


@attrs.frozen(kw_only=True)
class CommentDelete(Event):
    """A comment was deleted."""

    comment: Uuid
    owner: Uuid
    object: ObjectRef
    event: Literal["comment_delete"] = "comment_delete"

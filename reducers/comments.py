"""Comments, kept under their object; a comment event creates the object if it is unseen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventmirror.events import CommentDelete, CommentModify, CommentNew
from eventmirror.events.comments import ObjectRef

from . import objects
from ._state import Changes, replace, without

if TYPE_CHECKING:
    from .mirror import Mirror


def _object(mirror: Mirror, ref: ObjectRef) -> objects.Object:
    return objects.with_header(mirror.objects, ref.object, ref.type, ref.owner, ref.description)


def _put_comment(mirror: Mirror, event: CommentNew | CommentModify) -> Changes:
    ref, comment = event.object, objects.Comment(event.owner, event.text)
    old = mirror.objects.by_uuid.get(ref.object)
    if old is None:
        obj = objects.Object(ref.type, ref.owner, ref.description)
        obj = replace(obj, comments=obj.comments.set(event.comment, comment))
        return {"objects": objects.put(mirror.objects, ref.object, obj)}
    # One copy of the object for the header (as the event carries it) and the comment.
    obj = replace(
        old,
        type=ref.type,
        owner=ref.owner,
        description=ref.description,
        comments=old.comments.set(event.comment, comment),
    )
    return {"objects": objects.replace_object(mirror.objects, ref.object, obj)}


@objects.SLICE.reducer(CommentNew)
def comment_new(mirror: Mirror, event: CommentNew) -> Changes:
    return _put_comment(mirror, event)


@objects.SLICE.reducer(CommentModify)
def comment_modify(mirror: Mirror, event: CommentModify) -> Changes:
    return _put_comment(mirror, event)


@objects.SLICE.reducer(CommentDelete)
def comment_delete(mirror: Mirror, event: CommentDelete) -> Changes:
    obj = _object(mirror, event.object)
    obj = replace(obj, comments=without(obj.comments, event.comment))
    return {"objects": objects.put(mirror.objects, event.object.object, obj)}

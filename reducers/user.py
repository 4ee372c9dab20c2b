"""User, invitation, phone and trash: stale markers, invitations, purging the trash."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventmirror.events import (
    InvitationDelete,
    InvitationNew,
    PhoneModify,
    TrashPurge,
    UserModify,
)
from eventmirror.rules import invitation_key

from . import objects as objects_module
from ._slice import Slice
from ._state import Changes, Entity, without

if TYPE_CHECKING:
    from .mirror import Mirror


class Stale(Entity, frozen=True, gc=False):
    """A resource that changed on the server and must be re-fetched (user, phone, dialplan)."""

    id: int
    time: int


class Invitation(Entity, frozen=True, gc=False):
    """An internal invitation from ``owner`` to ``user``, and when this mirror learnt of it."""

    owner: str
    user: str
    time: int


STALE = Slice("stale", Stale)
INVITATIONS = Slice("invitations", Invitation)


def mark_stale(mirror: Mirror, resource: str, event_id: int, time: int) -> Changes:
    return {"stale": mirror.stale.set(resource, Stale(event_id, time))}


@STALE.reducer(UserModify)
def user_modify(mirror: Mirror, event: UserModify) -> Changes:
    return mark_stale(mirror, "user", event.id, event.time)


@STALE.reducer(PhoneModify)
def phone_modify(mirror: Mirror, event: PhoneModify) -> Changes:
    return mark_stale(mirror, "phone", event.id, event.time)


@INVITATIONS.reducer(InvitationNew)
def invitation_new(mirror: Mirror, event: InvitationNew) -> Changes:
    invitation = Invitation(event.owner, event.user, event.time)
    key = invitation_key(event.owner, event.user)
    return {"invitations": mirror.invitations.set(key, invitation)}


@INVITATIONS.reducer(InvitationDelete)
def invitation_delete(mirror: Mirror, event: InvitationDelete) -> Changes:
    key = invitation_key(event.owner, event.user)
    return {"invitations": without(mirror.invitations, key)}


@objects_module.SLICE.reducer(TrashPurge)
def trash_purge(mirror: Mirror, event: TrashPurge) -> Changes:
    """ "Her trash is purged": with ``me`` known, only the trashed objects I own go; another
    owner's trashed object I can read is in her trash, not mine. Without ``me``, all go."""
    objects = mirror.objects
    trashed = [
        uuid
        for uuid in objects.trash
        if mirror.me is None or objects.by_uuid[uuid].owner in (mirror.me, None)
    ]
    return objects_module.remove_objects(mirror, trashed)

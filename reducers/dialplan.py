"""Dialplan: the stale marker, and the active call-reverse pairs with their start time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventmirror.events import DialplanCallreverseStart, DialplanCallreverseStop, DialplanModify
from eventmirror.rules import callreverse_key

from . import user
from ._slice import Slice
from ._state import Changes, Entity, without

if TYPE_CHECKING:
    from .mirror import Mirror


class CallReverse(Entity, frozen=True, gc=False):
    """An active call-reverse from ``phone_from`` to ``phone_to``, since ``start_time``."""

    phone_from: str
    phone_to: str
    start_time: int


SLICE = Slice("callreverse", CallReverse)


@user.STALE.reducer(DialplanModify)
def dialplan_modify(mirror: Mirror, event: DialplanModify) -> Changes:
    return user.mark_stale(mirror, "dialplan", event.id, event.time)


@SLICE.reducer(DialplanCallreverseStart)
def callreverse_start(mirror: Mirror, event: DialplanCallreverseStart) -> Changes:
    pair = CallReverse(event.phone_from, event.phone_to, event.time)
    key = callreverse_key(event.phone_from, event.phone_to)
    return {"callreverse": mirror.callreverse.set(key, pair)}


@SLICE.reducer(DialplanCallreverseStop)
def callreverse_stop(mirror: Mirror, event: DialplanCallreverseStop) -> Changes:
    key = callreverse_key(event.phone_from, event.phone_to)
    return {"callreverse": without(mirror.callreverse, key)}

"""Calls: parameters merged per call UUID, and the DTMF digits detected on each call.

An empty ``current_control`` or ``bridge`` clears that field (GET /api/call leaves it out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventmirror.events import CallDtmf, CallUpdate
from eventmirror.rules import CALL_CLEARED_BY_EMPTY, call_field_after

from ._slice import Slice
from ._state import Changes, Entity, Sparse, replace

if TYPE_CHECKING:
    from .mirror import Mirror

#: Parameters whose empty string means "no longer set" (GET /api/call leaves them out).
CLEARED_BY_EMPTY = CALL_CLEARED_BY_EMPTY


class Dtmf(Entity, frozen=True, gc=False, array_like=True):
    """One detected digit, rendered in JSON as ``[digit, duration, time]``."""

    digit: str
    duration: int
    time: int


class Call(Sparse, frozen=True, gc=False):
    """A call's known parameters and its DTMF digits in arrival order."""

    status: str | None = None
    answer_time: int | None = None
    current_control: str | None = None
    bridge: str | None = None
    dtmf: tuple[Dtmf, ...] = ()


SLICE = Slice("calls", Call)

EMPTY_CALL = Call()


@SLICE.reducer(CallUpdate)
def call_update(mirror: Mirror, event: CallUpdate) -> Changes:
    calls = mirror.calls
    for uuid, fields in event.call.items():
        old = calls.get(uuid) or EMPTY_CALL
        # Built in one go (call updates are frequent); an empty string clears the field.
        new = Call(
            old.status if fields.status is None else fields.status,
            old.answer_time if fields.answer_time is None else fields.answer_time,
            call_field_after(old.current_control, fields.current_control),
            call_field_after(old.bridge, fields.bridge),
            old.dtmf,
        )
        calls = calls.set(uuid, new)
    return {"calls": calls}


@SLICE.reducer(CallDtmf)
def call_dtmf(mirror: Mirror, event: CallDtmf) -> Changes:
    call = mirror.calls.get(event.call) or Call()
    digit = Dtmf(event.digit, event.duration, event.time)
    return {"calls": mirror.calls.set(event.call, replace(call, dtmf=(*call.dtmf, digit)))}

"""Applying events to a mirror: stream integrity, the clock, timers, then the domain reducer.

Stream rules (docs/design.md, "Stream semantics"): the next expected id is the last id + 1. A lower
or equal id is a duplicate, skipped and counted. A higher id leaves a gap, recorded with a
resync flag; the event is still applied (lenient) or raises (strict). Id 0 after a higher id is
a new server session: a reset, flagged for resync. A fresh mirror accepts any first id, since
recordings may start mid-stream. Unknown event types are counted and kept (bounded), and
fields the reference does not define are counted by ``type.field``; strict mode raises for
both.
A malformed or contradictory event raises in strict mode; in lenient mode it is recorded as an
anomaly with the same detail, and leaves the domain state unchanged.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final

import msgspec

from eventmirror.codec import (
    UnknownEvent,
    UnknownField,
    decode_in_full,
    unknown_type_problem,
)
from eventmirror.errors import EventError, Problem
from eventmirror.events import Event
from eventmirror.wire import TWINS, decode_line

from ._reading import Numbered, Readable
from ._registry import REDUCERS, TIMER_HANDLERS, Inconsistent, Reducer
from ._state import replace
from ._watch import Watch
from .mirror import (
    KEEP,
    OTHER_UNKNOWN_FIELDS,
    Anomaly,
    AnomalyKind,
    Gap,
    Health,
    Mirror,
    Reset,
    TimeJump,
)

_set = msgspec.structs.force_setattr
# msgspec Structs copy themselves in C; the stubs do not list it.
_shallow_copy: Callable[[Mirror], Mirror] = Mirror.__copy__  # type: ignore[attr-defined]

#: What :func:`apply` accepts: a decoded event, its JSON text, or its parsed JSON object.
EventInput = Event | UnknownEvent | bytes | str | Mapping[str, Any]


def apply(
    mirror: Mirror, event: EventInput, *, strict: bool = False, line: int | None = None
) -> Mirror:
    """The mirror after ``event``; ``mirror`` itself is never changed.

    ``line`` (the event's line in a recording) only serves messages. In strict mode a
    malformed event, a gap or a contradiction raises :class:`~eventmirror.errors.EventError`.
    """
    # An Event, or a wire twin of one (which only the reducer sees): both read the same.
    decoded: Any = event
    reduce: Reducer | None = None
    if type(event) is bytes:  # the usual input: a line of a recording
        try:
            decoded = decode_line(event)  # as fold does (eventmirror/wire.py)
        except Exception:  # whatever it is, the full decoder decodes it or says why
            return _apply_in_full(mirror, event, strict, line)
        reduce = REDUCERS.get(_EVENT_OF_TWIN[type(decoded)])
    if reduce is None:
        reduce = REDUCERS.get(type(decoded))
    if reduce is None:
        if isinstance(decoded, UnknownEvent):
            return _unknown(mirror, decoded, strict)
        return _apply_in_full(mirror, decoded, strict, line)
    last_id, now, time = mirror.last_id, mirror.now, decoded.time
    # The common case, kept cheap: the next id, and time not going backwards.
    if last_id is not None and decoded.id == last_id + 1 and now is not None and time >= now:
        if time > now and mirror.timers.next_due <= time:
            mirror = _expire(mirror, time)
        try:
            changes = reduce(mirror, decoded)
        except Inconsistent as contradiction:
            return _contradicted(mirror, decoded, contradiction, mirror.health, time, strict, line)
        # A fresh copy of the root, filled in before anyone else sees it: the same as
        # ``replace(mirror, ..., **changes)`` at two thirds of the cost.
        new = _shallow_copy(mirror)
        _set(new, "last_id", decoded.id)
        _set(new, "now", time)
        _set(new, "applied", mirror.applied + 1)
        for name, value in changes.items():
            _set(new, name, value)
        return new
    return _apply_irregular(mirror, decoded, reduce, strict, line)


def _apply_in_full(
    mirror: Mirror, event: bytes | str | Mapping[str, Any], strict: bool, line: int | None
) -> Mirror:
    """An event as text or a parsed object, decoded in full: fields the reference does not
    define are counted in the health report, or (strict) refused with the first of them."""
    try:
        decoded, unknown_fields = decode_in_full(event)
    except EventError as error:
        return _undecodable(mirror, error, strict, line)
    if isinstance(decoded, UnknownEvent):
        return _unknown(mirror, decoded, strict)
    if not unknown_fields:
        return apply(mirror, decoded, strict=strict, line=line)
    if strict and not _stale(mirror, decoded.id):
        last_id = mirror.last_id
        if last_id is not None and decoded.id > last_id + 1:  # the gap comes first, as always
            problem = _gap_problem(last_id, decoded.id)
            raise EventError(problem, event_id=decoded.id, event_type=decoded.event, line=line)
        problem = unknown_fields[0].problem
        raise EventError(problem, event_id=decoded.id, event_type=decoded.event, line=line)
    after = apply(mirror, decoded, strict=strict, line=line)
    if after.health.duplicates > mirror.health.duplicates:
        return after  # skipped unread, as every duplicate
    health = _with_unknown_fields(after.health, decoded.event, unknown_fields)
    return replace(after, health=health)


def _with_unknown_fields(
    health: Health, event_type: str, fields: tuple[UnknownField, ...]
) -> Health:
    counts = dict(health.unknown_fields)
    for field in fields:
        key = f"{event_type}.{field.counted_as}"
        if key not in counts and len(counts) >= KEEP:
            key = OTHER_UNKNOWN_FIELDS
        counts[key] = counts.get(key, 0) + 1
    return replace(health, unknown_fields=counts)


def _undecodable(mirror: Mirror, error: EventError, strict: bool, line: int | None) -> Mirror:
    if strict and not _stale(mirror, error.event_id):
        raise error.at_line(line) if line is not None else error
    return _reject_undecodable(mirror, error, line)


def _stale(mirror: Mirror, event_id: int | None) -> bool:
    """An id already seen: a duplicate, skipped unread in either mode (clients share streams)."""
    last_id = mirror.last_id
    if event_id is None or last_id is None or event_id > last_id:
        return False
    return not (event_id == 0 and last_id > 0)


def _apply_irregular(
    mirror: Mirror, event: Event, reduce: Reducer, strict: bool, line: int | None
) -> Mirror:
    """An event that is the first, out of order, or stamped before "now"."""
    event_id, last_id, health = event.id, mirror.last_id, mirror.health
    if last_id is not None and event_id != last_id + 1:
        if event_id > last_id:
            if strict:
                raise EventError(
                    _gap_problem(last_id, event_id), event_id=event_id, event_type=event.event
                )
            health = _with_gap(health, last_id + 1, event_id - 1)
        elif event_id == 0 and last_id > 0:
            health = _with_reset(health, last_id, event.time)
        else:
            return replace(mirror, health=replace(health, duplicates=health.duplicates + 1))
    time, now = event.time, mirror.now
    if now is None or time > now:
        now = time
        if mirror.timers.next_due <= now:
            mirror = _expire(mirror, now)
    elif time < now:
        health = _with_time_jump(health, TimeJump(event_id, time, now))
    try:
        changes = reduce(mirror, event)
    except Inconsistent as contradiction:
        return _contradicted(mirror, event, contradiction, health, now, strict, line)
    if health is not mirror.health:
        changes["health"] = health
    return replace(mirror, last_id=event_id, now=now, applied=mirror.applied + 1, **changes)


def _contradicted(
    mirror: Mirror,
    event: Event,
    contradiction: Inconsistent,
    health: Health,
    now: int,
    strict: bool,
    line: int | None,
) -> Mirror:
    """Record (or, strict, raise) an event that contradicts the mirror or itself."""
    error = EventError(contradiction.problem, event_id=event.id, event_type=event.event)
    if strict:
        raise error from None
    changes = contradiction.applied
    if changes is None:
        health = _with_anomaly(health, "rejected", error, line)
        return replace(mirror, last_id=event.id, now=now, health=health)
    health = _with_anomaly(health, "inconsistent", error, line)
    applied = mirror.applied + 1
    return replace(mirror, last_id=event.id, now=now, applied=applied, health=health, **changes)


def advance(mirror: Mirror, now: int) -> Mirror:
    """The mirror with its clock moved forward to ``now`` (never backwards), expiring every
    timed state whose expiry has been reached."""
    if mirror.now is not None and now <= mirror.now:
        return mirror
    if mirror.timers.next_due <= now:
        mirror = _expire(mirror, now)
    return replace(mirror, now=now)


#: Wire twin -> its event class (eventmirror/wire.py).
_EVENT_OF_TWIN: Final = {twin: event_type for event_type, twin in TWINS.items()}


def _expire(mirror: Mirror, now: int) -> Mirror:
    due, remaining = mirror.timers.split_due(now)
    mirror = replace(mirror, timers=remaining)
    for entry in due:
        changes = TIMER_HANDLERS[entry[1]](mirror, entry)
        if changes:
            mirror = replace(mirror, **changes)
    return mirror


def _unknown(mirror: Mirror, event: UnknownEvent, strict: bool) -> Mirror:
    health = mirror.health
    last_id = mirror.last_id
    if last_id is not None and event.id != last_id + 1:
        if event.id > last_id:
            # Unknown or not, the missing ids before it are a gap, and strict mode stops there.
            if strict:
                raise EventError(
                    _gap_problem(last_id, event.id), event_id=event.id, event_type=event.name
                )
            health = _with_gap(health, last_id + 1, event.id - 1)
        elif event.id == 0 and last_id > 0:
            health = _with_reset(health, last_id, event.time or 0)
        else:
            return replace(mirror, health=replace(health, duplicates=health.duplicates + 1))
    if strict:
        raise EventError(unknown_type_problem(event.name), event_id=event.id, event_type=event.name)
    kept = health.unknown_events
    if len(kept) < KEEP:
        kept = (*kept, dict(event.raw))
    types = dict(health.unknown_types)
    types[event.name] = types.get(event.name, 0) + 1
    health = replace(health, unknown=health.unknown + 1, unknown_types=types, unknown_events=kept)
    now = mirror.now
    if event.time is not None and (now is None or event.time > now):
        mirror = advance(mirror, event.time)
        now = event.time
    return replace(mirror, last_id=event.id, now=now, health=health)


def _reject_undecodable(mirror: Mirror, error: EventError, line: int | None) -> Mirror:
    """A rejected event: still moves the cursor when its id could be read."""
    health = mirror.health
    last_id = mirror.last_id
    event_id = error.event_id
    if line is not None:
        error = error.at_line(line)
    if event_id is None:
        return replace(mirror, health=_with_anomaly(health, "rejected", error, line))
    if last_id is not None and event_id != last_id + 1:
        if event_id > last_id:
            health = _with_gap(health, last_id + 1, event_id - 1)
        elif event_id == 0 and last_id > 0:
            health = _with_reset(health, last_id, mirror.now or 0)
        else:
            return replace(mirror, health=replace(health, duplicates=health.duplicates + 1))
    health = _with_anomaly(health, "rejected", error, line)
    return replace(mirror, last_id=event_id, health=health)


def _gap_problem(last_id: int, event_id: int) -> Problem:
    missing = (
        f"id {last_id + 1} is"
        if event_id == last_id + 2
        else f"ids {last_id + 1}..{event_id - 1} are"
    )
    return Problem(path="id", expected=f"{last_id + 1} ({missing} missing)", got=str(event_id))


def _with_gap(health: Health, first: int, last: int) -> Health:
    gaps = health.gaps if len(health.gaps) >= KEEP else (*health.gaps, Gap(first, last))
    return replace(health, gaps=gaps, missing=health.missing + last - first + 1, resync=True)


def _with_reset(health: Health, after: int, time: int) -> Health:
    resets = health.resets if len(health.resets) >= KEEP else (*health.resets, Reset(after, time))
    return replace(health, resets=resets, reset_count=health.reset_count + 1, resync=True)


def _with_time_jump(health: Health, jump: TimeJump) -> Health:
    jumps = health.time_backwards
    if len(jumps) < KEEP:
        jumps = (*jumps, jump)
    return replace(
        health, time_backwards=jumps, time_backwards_count=health.time_backwards_count + 1
    )


def _with_anomaly(health: Health, kind: AnomalyKind, error: EventError, line: int | None) -> Health:
    anomalies = health.anomalies
    if len(anomalies) < KEEP:
        anomaly = Anomaly(
            kind=kind,
            message=error.message,
            id=error.event_id,
            line=line,
            event=error.event_type,
            path=error.problem.path or None,
        )
        anomalies = (*anomalies, anomaly)
    if kind == "rejected":
        return replace(health, anomalies=anomalies, rejected=health.rejected + 1)
    return replace(health, anomalies=anomalies, inconsistent=health.inconsistent + 1)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while folding.

    A fold allocates millions of small immutable objects that never form cycles, so the
    collector finds nothing, yet it costs 40-50% of the fold's time once the mirror is large
    (docs/design.md, measured costs). Reference counting still frees everything a fold drops.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# fold and its helpers live beside (reducers/_fold.py), which builds on apply: imported last,
# once everything it needs from here is defined.
from ._fold import fold  # noqa: E402

__all__ = [
    "EventInput",
    "Numbered",
    "Readable",
    "Watch",
    "advance",
    "apply",
    "collector_paused",
    "fold",
]

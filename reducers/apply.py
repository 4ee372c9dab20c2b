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
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import chain, islice
from typing import Any, Final, Literal

import msgspec

from eventmirror.codec import (
    UnknownEvent,
    UnknownField,
    decode_in_full,
    event_id_of,
    unknown_type_problem,
)
from eventmirror.errors import EventError, Problem
from eventmirror.events import Event
from eventmirror.wire import TWINS, decode_line

from ._draft import drafted, settle
from ._reading import Numbered, Readable
from ._registry import REDUCERS, TIMER_HANDLERS, Inconsistent, Reducer
from ._state import Changes, replace
from ._watch import NO_STOP, Rejected, Watch, as_read, rejection_reason
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
    empty,
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


def fold(
    events: Iterable[EventInput] | Readable,
    mirror: Mirror | None = None,
    *,
    strict: bool = False,
    me: str | None = None,
    watch: Watch | None = None,
) -> Mirror:
    """Fold a whole stream into a mirror (a new one for user ``me`` unless one is given).

    ``events`` is an iterable of events (as :func:`apply` takes them), or a file: a recording
    read as the command line reads it (:func:`eventmirror.recording.iter_records`: JSON Lines,
    ``GET /api/event`` response bodies, compact or pretty-printed, or a mix), whose anomalies
    carry the line each event starts on; or a :class:`Numbered` reading of one.

    ``watch`` (:class:`Watch`) asks for what replaying a recording needs besides the mirror:
    each rejected record, a stop id, progress, the mirror where strict mode stopped.

    The same as :func:`apply` on each event in turn. The common case (a line that decodes,
    the next id, time not going backwards) is inlined here, since a per-event function call
    and its lookups are a fifth of a replay's cost; everything else goes through
    :func:`apply`. Lines are decoded into wire twins of the event classes
    (:mod:`eventmirror.wire`), in one C pass; a line a twin refuses goes to :func:`apply`,
    which decodes it in full. Between two events nobody but this loop holds the mirror, so
    it is updated in place, and the slices it keeps changing are edited as drafts
    (:mod:`reducers._draft`), made persistent again before :func:`apply` or the caller sees
    the mirror.
    """
    given = mirror
    current = mirror if mirror is not None else empty(me)
    drafts: set[str] = set()
    reducer_of, twin_reducers, assign = REDUCERS.get, _twin_reducers(), _set
    # A file is read as a recording; its records' lines go with the events that fall back
    # to ``apply`` (every anomaly does), while the loop itself sees plain byte texts.
    if isinstance(events, str | bytes | os.PathLike):
        raise TypeError(
            f"fold takes events or an open file, not a {type(events).__name__}: "
            "to fold a recording, pass open(path, 'rb')"
        )
    numbered = (
        events
        if isinstance(events, Numbered)
        else Numbered(events)
        if isinstance(events, Readable)
        else None
    )
    items: Iterable[Any] = events if numbered is None else numbered  # type: ignore[assignment]
    # The last id the common case may apply (a watch's until_id): past it, the event takes
    # the rare path, which stops there. Checked only when stopping, since comparing with an
    # id too large for CPython's fast integer path would cost every event 1%.
    stopping = watch is not None and watch.until_id is not None
    stop = watch.stop if watch is not None else NO_STOP
    rejected: Rejected | None = None
    if watch is not None:
        rejected = watch.rejected
        if watch.progress is not None:  # counted per chunk, in C: no cost per event
            items = chain.from_iterable(_chunks(items, watch.every, watch.progress))
    with collector_paused():
        try:
            for item in items:
                event: Any = item
                unknown_fields: tuple[UnknownField, ...] = ()
                if type(item) is bytes:
                    try:
                        event = decode_line(item)
                    except Exception:  # whatever it is, apply decodes the line in full, or says why
                        regular = None if strict else _regular_in_full(current, item)
                        if regular is None:
                            line = numbered.line if numbered is not None else None
                            after = _fall_back(current, item, drafts, strict, line, watch)
                            if after is None:
                                break
                            current = after
                            continue
                        # The next event, with fields the reference does not define: reduced
                        # here like any other, its fields counted (settling every draft and
                        # going through ``apply`` cost 190 us such a line).
                        event, unknown_fields, reduce = regular
                    else:
                        reduce = twin_reducers[type(event)]
                else:
                    found = reducer_of(type(event))
                    if found is None:  # an unknown event, or input that is not a decoded event
                        after = _fall_back(current, item, drafts, strict, None, watch)
                        if after is None:
                            break
                        current = after
                        continue
                    reduce = found
                last_id, now = current.last_id, current.now
                if (
                    last_id is None
                    or event.id != last_id + 1
                    or now is None
                    or event.time < now
                    or (stopping and last_id >= stop)
                ):
                    # Irregular: ``apply`` handles it (a line is decoded again, a rare cost).
                    line = numbered.line if numbered is not None else None
                    after = _fall_back(current, item, drafts, strict, line, watch, event.id)
                    if after is None:
                        break
                    current = after
                    continue
                time = event.time
                if current is given:
                    current = _shallow_copy(current)
                if time > now and current.timers.next_due <= time:
                    if strict:  # expired the pure way, so that an error leaves the mirror as it was
                        line = numbered.line if numbered is not None else None
                        current = apply(settled(current, drafts), item, strict=True, line=line)
                        continue
                    _expire_in_place(current, time, drafts)
                try:
                    changes = reduce(current, event)
                except Inconsistent as contradiction:
                    line = numbered.line if numbered is not None else None
                    before = current.health
                    current = _contradicted_in_place(
                        current, event, contradiction, drafts, strict, line
                    )
                    if unknown_fields:  # a fresh mirror, nobody else's
                        health = _with_unknown_fields(current.health, event.event, unknown_fields)
                        assign(current, "health", health)
                    if rejected is not None and current.health.rejected > before.rejected:
                        rejected(line, as_read(item), rejection_reason(before, current.health))
                    continue
                if unknown_fields:
                    health = _with_unknown_fields(current.health, event.event, unknown_fields)
                    assign(current, "health", health)
                assign(current, "last_id", last_id + 1)
                assign(current, "now", time)
                assign(current, "applied", current.applied + 1)
                for name, value in changes.items():
                    if name not in drafts:
                        value = drafted(value, name)
                        drafts.add(name)
                    assign(current, name, value)
        except EventError:
            if watch is not None:
                watch.mirror = settled(current, drafts)
            raise
        settle(current, drafts)
    return current


def settled(mirror: Mirror, drafts: set[str]) -> Mirror:
    """fold's private ``mirror`` with its drafts made persistent, for ``apply`` or the caller."""
    settle(mirror, drafts)
    return mirror


def _fall_back(
    current: Mirror,
    item: Any,
    drafts: set[str],
    strict: bool,
    line: int | None,
    watch: Watch | None,
    event_id: int | Literal["unread"] | None = "unread",
) -> Mirror | None:
    """An event fold's loop leaves to :func:`apply`, on its settled mirror; None when the
    watch's ``until_id`` stops the fold at it (``event_id``: its id, when fold read it)."""
    settle(current, drafts)
    if watch is None:
        return apply(current, item, strict=strict, line=line)
    if watch.until_id is not None:
        if event_id == "unread":
            event_id = event_id_of(item)
        if event_id is not None and event_id > watch.until_id:
            watch.stopped_at = event_id
            return None
    after = apply(current, item, strict=strict, line=line)
    if watch.rejected is not None and after.health.rejected > current.health.rejected:
        watch.rejected(line, as_read(item), rejection_reason(current.health, after.health))
    return after


def _chunks(items: Iterable[Any], size: int, progress: Callable[[int], None]) -> Iterator[Any]:
    """``items`` in chunks of ``size``, reporting ``progress`` with the count read at the
    start of every chunk after the first."""
    iterator = iter(items)
    done = 0
    for first in iterator:
        if done:
            progress(done)
        yield chain((first,), islice(iterator, size - 1))
        done += size


def _regular_in_full(
    mirror: Mirror, line: bytes
) -> tuple[Event, tuple[UnknownField, ...], Reducer] | None:
    """The event of a line the fast decoder refused, its fields the reference does not
    define, and its reducer, when it is the next event and only those fields set it apart;
    None for anything else (``apply`` handles it: an error, a gap, a duplicate, ...)."""
    try:
        decoded, unknown_fields = decode_in_full(line)
    except EventError:
        return None
    if isinstance(decoded, UnknownEvent):
        return None
    reduce = REDUCERS.get(type(decoded))
    last_id, now = mirror.last_id, mirror.now
    if (
        reduce is None
        or not unknown_fields
        or last_id is None
        or now is None
        or decoded.id != last_id + 1
        or decoded.time < now
    ):
        return None
    return decoded, unknown_fields, reduce


#: Wire twin -> its event class (eventmirror/wire.py).
_EVENT_OF_TWIN: Final = {twin: event_type for event_type, twin in TWINS.items()}


def _twin_reducers() -> dict[type[Any], Reducer]:
    """The reducers by wire twin, as registered now (once per fold)."""
    return {TWINS[cls]: reduce for cls, reduce in REDUCERS.items() if cls in TWINS}


def _keep_in_place(mirror: Mirror, changes: Changes, drafts: set[str]) -> None:
    for name, value in changes.items():
        if name not in drafts:
            value = drafted(value, name)
            drafts.add(name)
        _set(mirror, name, value)


def _expire_in_place(mirror: Mirror, now: int, drafts: set[str]) -> None:
    """:func:`_expire` on fold's private mirror."""
    due, remaining = mirror.timers.split_due(now)
    _set(mirror, "timers", remaining)
    for entry in due:
        _keep_in_place(mirror, TIMER_HANDLERS[entry[1]](mirror, entry), drafts)


def _contradicted_in_place(
    mirror: Mirror,
    event: Event,
    contradiction: Inconsistent,
    drafts: set[str],
    strict: bool,
    line: int | None,
) -> Mirror:
    """:func:`_contradicted` for fold's private mirror. A rejecting reducer raised before
    changing anything; one that applied its event has already edited the drafts."""
    if contradiction.applied is not None and not strict:  # strict: the mirror stays as it was
        _keep_in_place(mirror, contradiction.applied, drafts)
        contradiction = Inconsistent(contradiction.problem, applied={})
    settle(mirror, drafts)
    return _contradicted(mirror, event, contradiction, mirror.health, event.time, strict, line)


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

"""Folding a stream into a mirror: :func:`fold`, the common case inlined, the mirror edited in
place between events (docs/performance.md says why), everything else through
:func:`reducers.apply.apply`, which states the stream rules.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import Any, Literal

import msgspec

from eventmirror.codec import UnknownEvent, UnknownField, decode_in_full, event_id_of
from eventmirror.errors import EventError
from eventmirror.events import Event
from eventmirror.wire import TWINS, decode_line

from ._draft import drafted, settle
from ._reading import Numbered, Readable
from ._registry import REDUCERS, TIMER_HANDLERS, Inconsistent, Reducer
from ._state import Changes
from ._watch import NO_STOP, Rejected, Watch, as_read, rejection_reason
from .apply import EventInput, _contradicted, _with_unknown_fields, apply, collector_paused
from .mirror import Mirror, empty

_set = msgspec.structs.force_setattr
# msgspec Structs copy themselves in C; the stubs do not list it.
_shallow_copy: Callable[[Mirror], Mirror] = Mirror.__copy__  # type: ignore[attr-defined]


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
    each rejected record, a stop id, progress, the mirror where strict mode stopped; or, with
    a tracer (:func:`reducers.trace`), each record as it is done.

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
    tracer = watch.tracer if watch is not None else None
    if tracer is not None:  # it reports each record: a private mirror, drafts that record
        current = tracer.start(current, drafts)
    event: Any = None
    if watch is not None:
        rejected = watch.rejected
        if watch.progress is not None:  # counted per chunk, in C: no cost per event
            items = chain.from_iterable(_chunks(items, watch.every, watch.progress))
    with collector_paused():
        try:
            for item in items:
                if tracer is not None:  # the record before this one is done: report it
                    line = numbered.line if numbered is not None else None
                    tracer.record(current, event, item, line)
                event = item
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
            else:
                if tracer is not None:
                    tracer.finish(current, event)
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


__all__ = ["Numbered", "Readable", "Watch", "fold", "settled"]

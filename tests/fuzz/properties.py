"""The properties hostile input must never break, checked the same way by the hypothesis suite
(tests/fuzz) and the coverage-guided atheris targets (fuzz/).

Every check raises AssertionError naming what broke; any other exception escaping a check is
itself a finding (the code under test raised something undocumented).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import msgspec

import reducers
from eventmirror.codec import (
    UnknownEvent,
    decode,
    decode_in_full,
    decode_object,
    encode,
    unknown_type_problem,
)
from eventmirror.errors import EventError
from eventmirror.events import Event
from eventmirror.explain import salvage
from eventmirror.wire import INTEGER_KEYED, TWINS, decode_line
from reducers import Mirror

#: The largest event id (EventId in eventmirror/events/_base.py): larger ones cannot be read.
MAX_ID: Final = 2**63 - 1
_GENERIC: Final = msgspec.json.Decoder()


class NotJson:
    """What :func:`parse` gives for text msgspec cannot parse."""


NOT_JSON: Final = NotJson()

Outcome = Event | UnknownEvent | EventError


def parse(data: bytes) -> Any:
    """``data`` parsed as JSON, or :data:`NOT_JSON`."""
    try:
        return _GENERIC.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return NOT_JSON


def understood(data: bytes) -> Any:
    """``data`` as far as a forgiving parser reads it: a value msgspec refuses (``NaN``,
    ``1e400``, text that is not UTF-8) must still be blamed by its id, type and path."""
    raw = parse(data)
    if raw is NOT_JSON:
        salvaged = salvage(data)
        return NOT_JSON if salvaged is None else salvaged
    return raw


def readable_id(raw: Any) -> int | None:
    """The id an event object carries, if it is one a stream can have."""
    value = raw.get("id") if isinstance(raw, dict) else None
    if type(value) is int and 0 <= value <= MAX_ID:
        return value
    return None


def decode_outcome(data: bytes | str) -> Outcome:
    """The decoded event, or the documented error; anything else propagates."""
    try:
        return decode(data)
    except EventError as error:
        return error


def check_rejection(error: EventError, raw: Any, line: int | None = None) -> None:
    """A rejection names the event id (or the line), the type and the JSON path.

    ``raw`` is the input as parsed (:data:`NOT_JSON` when it is not); ``line`` the line the
    error was raised for, if any.
    """
    message = str(error)
    assert message == error.message, message
    assert message.startswith(error.subject + ": "), message
    event_id = readable_id(raw)
    assert error.event_id == event_id, (message, error.event_id, event_id)
    if event_id is not None:
        assert message.startswith(f"event {event_id}"), message
    elif line is not None:
        assert message.startswith(f"line {line}"), message
    name = raw.get("event") if isinstance(raw, dict) else None
    if isinstance(name, str):
        assert error.event_type == name, (message, name)
        # An empty name has nothing to show.
        assert not name or error.subject.endswith(f"({name})"), message
    else:
        assert error.event_type is None, message
    path = error.problem.path
    if isinstance(raw, dict):
        # Only text that is not a JSON object has no field to blame.
        assert path, message
    if path:
        assert f": {path}: " in message, message


def check_decode(data: bytes) -> Outcome:
    """Decode ``data`` and check every property of the outcome."""
    outcome = decode_outcome(data)
    check_twin(data, outcome)
    raw = parse(data)
    if isinstance(outcome, EventError):
        check_rejection(outcome, understood(data))
    elif isinstance(outcome, Event):
        assert decode(encode(outcome)) == outcome, outcome
    else:
        assert outcome.id == readable_id(raw), outcome
    # msgspec's depth limit is Python's recursion limit, counted from the caller's frame: a
    # value nested to within a few dozen levels of it parses or not depending on the stack.
    near_the_limit = isinstance(outcome, EventError) and "(nested too deeply)" in str(outcome)
    if isinstance(raw, dict) and not near_the_limit:
        # The fast path (bytes straight into the class) and the slow one (a parsed object)
        # must agree, on acceptance and on the message.
        try:
            from_object: Outcome = decode_object(raw)
        except EventError as error:
            from_object = error
        if isinstance(outcome, EventError):
            assert isinstance(from_object, EventError), (outcome, from_object)
            assert str(from_object) == str(outcome), (str(from_object), str(outcome))
        else:
            assert from_object == outcome, (from_object, outcome)
    elif raw is not NOT_JSON and not isinstance(raw, dict):
        assert isinstance(outcome, EventError), outcome
    if not near_the_limit:
        check_in_full(data, outcome)
    return outcome


def check_in_full(data: bytes, outcome: Outcome) -> None:
    """``decode_in_full`` gives what ``decode`` gives (the same event, or the same error), and
    names only keys the event left out: none of the fields of its place, and at the top, none
    that the event's own wire form has."""
    try:
        event, unknown = decode_in_full(data)
    except EventError as error:
        assert isinstance(outcome, EventError), (outcome, error)
        assert str(error) == str(outcome), (str(error), str(outcome))
        return
    assert event == outcome, (event, outcome)
    if isinstance(event, UnknownEvent):
        assert unknown == (), unknown
        return
    wire = msgspec.json.decode(encode(event))
    for field in unknown:
        assert field.path and field.counted_as and field.key not in field.fields, field
        if field.owner == event.event:  # a top-level key: the event's wire form lacks it
            assert field.key not in wire, (field, wire)


def account(mirror: Mirror) -> int:
    """Every input is exactly one of applied, duplicate, unknown or rejected."""
    health = mirror.health
    return mirror.applied + health.duplicates + health.unknown + health.rejected


def check_lenient(lines: Sequence[bytes]) -> Mirror:
    """Apply ``lines`` (line numbers from 1) leniently: nothing raises, the account balances,
    every rejection names what it must, and :func:`reducers.fold` agrees."""
    mirror = reducers.empty()
    for number, data in enumerate(lines, 1):
        before = mirror.health.rejected
        mirror = reducers.apply(mirror, data, line=number)
        if mirror.health.rejected > before:
            outcome = decode_outcome(data)
            if isinstance(outcome, EventError):
                check_rejection(outcome.at_line(number), understood(data), number)
    assert account(mirror) == len(lines), (account(mirror), len(lines), mirror.health)
    for anomaly in mirror.health.anomalies:
        assert anomaly.line is not None, anomaly
        subject = f"event {anomaly.id}" if anomaly.id is not None else f"line {anomaly.line}"
        assert anomaly.message.startswith(subject), anomaly
        if anomaly.event:
            assert f"({anomaly.event})" in anomaly.message, anomaly
        if anomaly.path is not None:
            assert f": {anomaly.path}: " in anomaly.message, anomaly
    folded = reducers.fold(lines)
    assert folded.same_state(mirror)
    assert (folded.last_id, folded.now, account(folded)) == (
        mirror.last_id,
        mirror.now,
        account(mirror),
    )
    return mirror


def first_fault(lines: Sequence[bytes]) -> tuple[int, str] | None:
    """The first line strict mode must stop at, and what it must say after the subject.

    Lenient mode records it as a rejection, a contradiction or a gap, or counts an event of
    an unknown type or fields the reference does not define. A malformed event with an id
    already seen is no fault: both modes skip it unread as a duplicate (docs/mirror.md).
    """
    mirror = reducers.empty()
    for index, data in enumerate(lines):
        before = mirror.health
        mirror = reducers.apply(mirror, data)
        after = mirror.health
        outcome = decode_outcome(data)
        if after.duplicates > before.duplicates:
            continue
        if isinstance(outcome, EventError) and after != before:
            return index, str(outcome)
        gap = len(after.gaps) > len(before.gaps) or after.missing > before.missing
        if gap:
            return index, "a gap"
        if isinstance(outcome, UnknownEvent) and after.unknown > before.unknown:
            problem = unknown_type_problem(outcome.name)
            return index, str(EventError(problem, event_id=outcome.id, event_type=outcome.name))
        if after.unknown_fields != before.unknown_fields:
            event, unknown = decode_in_full(data)
            assert isinstance(event, Event) and unknown, (data, unknown)
            problem = unknown[0].problem
            return index, str(EventError(problem, event_id=event.id, event_type=event.event))
        if (after.rejected, after.inconsistent) != (before.rejected, before.inconsistent):
            kept = len(after.anomalies) > len(before.anomalies)
            return index, after.anomalies[-1].message if kept else ""
    return None


def check_strict(lines: Sequence[bytes], lenient: Mirror) -> None:
    """Folding strictly raises only :class:`EventError`, at the first malformed event,
    contradiction or gap, saying what lenient mode recorded; without one, both give the
    same mirror."""
    fault = first_fault(lines)
    try:
        strict = reducers.fold(lines, strict=True)
    except EventError as error:
        assert fault is not None, error
        _, said = fault
        if said == "a gap":
            assert error.problem.path == "id" and "missing" in error.problem.expected, error
        elif said:  # empty: the anomaly was past the ones the mirror keeps
            assert str(error) == said, (str(error), said)
        return
    assert fault is None, (fault, lenient.health)
    assert strict.same_state(lenient)
    assert (strict.last_id, strict.now, strict.applied) == (
        lenient.last_id,
        lenient.now,
        lenient.applied,
    )


def check_twin(data: bytes, outcome: object) -> None:
    """fold's wire twin (eventmirror/wire.py) accepts ``data`` only if its event class does
    (``outcome`` is what :func:`decode` gave or raised), with the same values."""
    try:
        twin = decode_line(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return  # refused: fold hands the line to apply, which decodes it in full
    assert isinstance(outcome, Event), (data, twin, outcome)
    assert type(twin) is TWINS[type(outcome)], (twin, outcome)
    assert twin.event == outcome.event
    for name in twin.__struct_fields__:
        mine, theirs = getattr(twin, name), getattr(outcome, name)
        if (outcome.event, name) in INTEGER_KEYED:  # twins decode these keys as integers > 0
            assert all(type(key) is int and key > 0 for key in mine), mine
            theirs = {int(key): value for key, value in theirs.items()}
        assert mine == theirs and type(mine) is type(theirs), (name, mine, theirs)

"""A recording step by step: each record, what it was, what the stream made of it, and the
mirror after it.

>>> for step in steps("session.jsonl", me=my_uuid):
...     step.index, step.line, step.id, step.type, step.marks, step.mirror

:func:`steps` reads a recording exactly as ``eventmirror replay`` and :func:`reducers.fold`
do (a path, an open file: JSON Lines or ``GET /api/event`` bodies; or an iterable of events
as :func:`reducers.apply` takes them, numbered from line 1) and applies each record with
:func:`reducers.apply`, so every :class:`Step` holds its own mirror; mirrors are persistent,
so keeping them costs only what each event changed.

A step's :class:`Mark` flags say what the stream made of the record, read from the mirror's
health before and after it (the one home of those rules is :mod:`reducers.apply`): a ``GAP``
before it (``gap`` holds the missing ids), a ``RESET`` (id 0 after a higher id), a
``DUPLICATE`` (skipped), ``REJECTED`` (malformed; ``reason`` says why), ``UNKNOWN_TYPE``,
``UNKNOWN_FIELD`` (applied without fields the reference does not define; ``reason`` names
them), ``ANOMALY`` (applied, but contradicting the mirror or itself) and ``TIME_BACKWARDS``.
"""

from __future__ import annotations

import enum
import functools
import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from typing import Any, Final, Protocol

import attrs
import msgspec

from eventmirror.codec import UnknownEvent, decode
from eventmirror.errors import EventError
from eventmirror.events import EVENT_TYPES
from eventmirror.recording import iter_records, open_recording
from eventmirror.wire import decode_line

from ._reading import Numbered, Readable
from .apply import EventInput, apply, collector_paused
from .mirror import Health, Mirror, empty

__all__ = [
    "MARK_NAMES",
    "Mark",
    "Source",
    "Step",
    "applied",
    "entities_of",
    "facts_json",
    "mark_names",
    "marks_of",
    "read_record",
    "records_of",
    "step_of",
    "steps",
]

#: What :func:`steps` reads: a path (``"-"``: standard input), an open file, or events.
Source = str | os.PathLike[str] | Readable | Iterable[EventInput]


class Mark(enum.IntFlag):
    """What the stream made of a record, beyond applying it (see the module docstring)."""

    GAP = 1
    RESET = 2
    DUPLICATE = 4
    REJECTED = 8
    UNKNOWN_TYPE = 16
    UNKNOWN_FIELD = 32
    ANOMALY = 64
    TIME_BACKWARDS = 128


#: Each mark's name as the command line and JSON output write it.
MARK_NAMES: Final = {
    Mark.GAP: "gap",
    Mark.RESET: "reset",
    Mark.DUPLICATE: "duplicate",
    Mark.REJECTED: "rejected",
    Mark.UNKNOWN_TYPE: "unknown type",
    Mark.UNKNOWN_FIELD: "unknown field",
    Mark.ANOMALY: "anomaly",
    Mark.TIME_BACKWARDS: "time backwards",
}


def mark_names(marks: int) -> list[str]:
    """The names of the marks set in ``marks``, in flag order."""
    value = int(marks)
    if not value:
        return []
    return [name for flag, name in _MARK_VALUES if value & flag]


class Described(Protocol):
    """What a :class:`Step` and a timeline's entry both say of a record."""

    @property
    def index(self) -> int: ...

    @property
    def line(self) -> int: ...

    @property
    def id(self) -> int | None: ...

    @property
    def type(self) -> str | None: ...

    @property
    def time(self) -> int | None: ...

    @property
    def marks(self) -> Mark: ...

    @property
    def entities(self) -> tuple[str, ...]: ...

    @property
    def reason(self) -> str | None: ...

    @property
    def gap(self) -> tuple[int, int] | None: ...


def facts_json(record: Described) -> dict[str, Any]:
    """A record's facts as JSON values (``log --json``, the inspector's timeline): absent
    fields left out, marks by name."""
    document: dict[str, Any] = {"index": record.index, "line": record.line}
    for name in ("id", "type", "time"):
        if (value := getattr(record, name)) is not None:
            document[name] = value
    document["marks"] = mark_names(record.marks)
    document["entities"] = list(record.entities)
    if record.reason is not None:
        document["reason"] = record.reason
    if record.gap is not None:
        document["gap"] = list(record.gap)
    return document


_MARK_VALUES: Final = tuple((int(flag), name) for flag, name in MARK_NAMES.items())
_NO_MARKS: Final = Mark(0)


@attrs.frozen
class Step:
    """One record of a recording and the mirror after it.

    ``index`` counts records from 0; ``line`` is where the record starts (1-based). ``id``,
    ``type`` and ``time`` are None when the record does not say (a line that is not JSON).
    ``event`` is the decoded event (an :class:`~eventmirror.codec.UnknownEvent` for a type the
    reference does not list), or None when it was rejected (``reason`` says why).
    """

    index: int
    line: int
    data: bytes
    id: int | None
    type: str | None
    time: int | None
    entities: tuple[str, ...]
    marks: Mark
    mirror: Mirror
    before: Mirror
    reason: str | None = None
    gap: tuple[int, int] | None = None


def steps(source: Source, mirror: Mirror | None = None, *, me: str | None = None) -> Iterator[Step]:
    """Every record of ``source`` as a :class:`Step`, starting from ``mirror`` (a new one for
    user ``me`` unless one is given). Reading fails with
    :class:`~eventmirror.recording.RecordingError` if the input cannot be read at all."""
    for index, line, data, before, after in applied(source, mirror, me=me):
        yield step_of(index, line, data, before, after)


def applied(
    source: Source, mirror: Mirror | None = None, *, me: str | None = None
) -> Iterator[tuple[int, int, Any, Mirror, Mirror]]:
    """What :func:`steps` gives, before anything is read from the record:
    ``(index, line, record, mirror before, mirror after)``."""
    current = mirror if mirror is not None else empty(me)
    with ExitStack() as resources, collector_paused():
        for index, (line, data) in enumerate(records_of(source, resources)):
            after = apply(current, data, line=line)
            yield index, line, data, current, after
            current = after


def records_of(source: Source, resources: ExitStack) -> Iterator[tuple[int, Any]]:
    """``(line, record)`` of each record of ``source`` (a file is opened on ``resources``)."""
    if isinstance(source, str | os.PathLike):
        stream = resources.enter_context(open_recording(source))
        return ((record.line, record.data) for record in iter_records(stream))
    if isinstance(source, Readable):
        return _numbered(Numbered(source))
    if isinstance(source, bytes):
        raise TypeError("steps takes a path, an open file or events, not bytes")
    return enumerate(source, start=1)


def _numbered(numbered: Numbered) -> Iterator[tuple[int, Any]]:
    # Read as fold reads a file (text mode included), each record with its line.
    for data in numbered:
        yield numbered.line or 0, data


def step_of(index: int, line: int, data: Any, before: Mirror, after: Mirror) -> Step:
    """The :class:`Step` of a record applied to ``before``, giving ``after``."""
    event_id, event_type, time, entities, reason = read_record(data)
    marks, gap = _NO_MARKS, None
    old, new = before.health, after.health
    if old is not new:
        marks, gap, why = marks_of(old, new, before.last_id, event_id)
        reason = why or reason
    text = data if type(data) is bytes else _as_bytes(data)
    return Step(index, line, text, event_id, event_type, time, entities, marks, after, before,
                reason, gap)  # fmt: skip


def marks_of(
    old: Health, new: Health, last_id: int | None, event_id: int | None
) -> tuple[Mark, tuple[int, int] | None, str | None]:
    marks, gap, reason = _NO_MARKS, None, None
    if new.missing > old.missing:
        marks |= Mark.GAP
        if last_id is not None and event_id is not None:
            gap = (last_id + 1, event_id - 1)
    if new.reset_count > old.reset_count:
        marks |= Mark.RESET
    if new.duplicates > old.duplicates:
        marks |= Mark.DUPLICATE
    if new.unknown > old.unknown:
        marks |= Mark.UNKNOWN_TYPE
    if new.time_backwards_count > old.time_backwards_count:
        marks |= Mark.TIME_BACKWARDS
    if new.rejected > old.rejected or new.inconsistent > old.inconsistent:
        marks |= Mark.REJECTED if new.rejected > old.rejected else Mark.ANOMALY
        if len(new.anomalies) > len(old.anomalies):
            reason = new.anomalies[-1].message
    if new.unknown_fields is not old.unknown_fields:
        grown = sorted(
            name
            for name, count in new.unknown_fields.items()
            if count > old.unknown_fields.get(name, 0)
        )
        if grown:
            marks |= Mark.UNKNOWN_FIELD
            reason = reason or "applied without fields the reference does not define: " + (
                ", ".join(grown)
            )
    return marks, gap, reason


#: What a record says: id, type, time, the entities it names, and why it was rejected.
RecordFacts = tuple[int | None, str | None, int | None, tuple[str, ...], str | None]


def read_record(data: Any) -> RecordFacts:
    """The id, type, time and named entities of a record, or why it cannot be read."""
    event: Any
    if type(data) is bytes:
        try:
            event = decode_line(data)  # the fast twin, as apply decodes
        except Exception:  # whatever it is, the full decoder reads it or says why
            event = _decoded(data)
    elif isinstance(data, str | bytes | dict):
        event = _decoded(data)
    else:
        event = data
    if isinstance(event, EventError):
        return event.event_id, event.event_type, None, (), event.message
    if isinstance(event, UnknownEvent):
        return event.id, event.name, event.time, (), None
    return event.id, event.event, event.time, entities_of(event), None


def _decoded(data: Any) -> Any:
    try:
        return decode(msgspec.json.encode(data) if isinstance(data, dict) else data)
    except EventError as error:
        return error


def _as_bytes(data: Any) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    if isinstance(data, dict):
        return msgspec.json.encode(data)
    from eventmirror.codec import encode

    try:
        return encode(data)
    except Exception:  # an UnknownEvent: its raw form
        return msgspec.json.encode(getattr(data, "raw", {}))


# --- the entities an event names ----------------------------------------------------------


def entities_of(event: Any) -> tuple[str, ...]:
    """The UUIDs an event names (the fields the event model types ``Uuid``: values, list
    items and the keys of maps keyed by UUID, nested structures included), sorted, once each."""
    found: set[str] = set()
    for name, kind, inner in _uuid_fields(event.event):
        _collect(getattr(event, name, None), kind, inner, found)
    return tuple(sorted(found))


def _collect(value: Any, kind: str, inner: Any, found: set[str]) -> None:
    if value is None:
        return
    if kind == "value" and isinstance(value, str):
        found.add(value)
    elif kind == "items":
        found.update(item for item in value if isinstance(item, str))
    elif kind == "keys":
        found.update(key for key in value if isinstance(key, str))
    if inner:
        values = value.values() if isinstance(value, dict) else (value,)
        for item in values:
            for name, item_kind, nested in inner:
                _collect(getattr(item, name, None), item_kind, nested, found)


@functools.cache
def _uuid_fields(event_type: str) -> tuple[tuple[str, str, Any], ...]:
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        return ()
    # The annotations as written: a field's ``type`` may have been resolved (to ``str``).
    written: dict[str, Any] = {}
    for base in reversed(cls.__mro__):
        written.update(getattr(base, "__annotations__", {}))
    return _fields_naming_uuids(written, cls)


def _fields_naming_uuids(annotations: dict[str, Any], owner: Any) -> tuple[Any, ...]:
    """(field, how it holds UUIDs, the fields naming UUIDs inside its nested structure), read
    from the annotations as written (``Uuid`` is an alias of ``str`` once resolved)."""
    import sys

    module = sys.modules[owner.__module__]
    specs = []
    for name, annotation in annotations.items():
        text = str(annotation)
        kind = ""
        if text.startswith("Uuid"):
            kind = "value"
        elif text.startswith(("list[Uuid]", "tuple[Uuid")):
            kind = "items"
        elif text.startswith("dict[Uuid,"):
            kind = "keys"
        nested_name = text.split("[")[-1].split(",")[-1].strip(" ]").split(" |")[0]
        nested = getattr(module, nested_name, None)
        inner: Any = ()
        if isinstance(nested, type) and issubclass(nested, msgspec.Struct):
            inner = _fields_naming_uuids(dict(nested.__annotations__), nested)
            kind = kind or "nested"
        if kind:
            specs.append((name, kind, inner))
    return tuple(specs)

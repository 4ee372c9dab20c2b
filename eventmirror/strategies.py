"""Hypothesis strategies for property-testing code that consumes this event API.

>>> from hypothesis import given
>>> from eventmirror import strategies as st_events
>>> @given(st_events.wire_events("tag_modify"))
... def test_my_client_survives_tag_changes(event): ...

Everything is derived from the event model's type hints, so the strategies follow the model:
``wire_events`` gives events as the platform sends them (dicts, optional fields either present
or absent), ``events`` the decoded objects, ``wire_streams`` whole contiguous session streams
(ids from 0, time never going backwards). UUIDs come from a small pool so that events in one
stream refer to the same tags, objects and chats and actually interact.

``wire_streams`` events are valid one by one but need not make sense together (a
``tag_modify`` of a tag never created). ``simulated_streams`` gives streams that do: one
session's whole stream from a random day of the simulator (:mod:`simulator.driver`), with its
user's UUID, so it folds strictly without anomalies, as a real recording would.

Requires ``hypothesis`` (``pip install eventmirror[test]``).
"""

from __future__ import annotations

import types
import typing
import uuid
from functools import cache
from typing import Any, Literal

import msgspec
from hypothesis import strategies as st

from .codec import decode
from .events import EVENT_TYPES, Event
from .explain import fields_of, is_record

#: UUIDs that generated events draw from, so that events refer to each other.
UUID_POOL: tuple[str, ...] = tuple(
    str(uuid.UUID(int=n * 0x9E3779B97F4A7C15 % 2**128, version=4)) for n in range(1, 9)
)
_SKELETON = ("id", "time", "event")


def strings() -> st.SearchStrategy[str]:
    """Mostly pooled UUIDs (so entities collide), sometimes short free text."""
    return st.one_of(st.sampled_from(UUID_POOL), st.text(max_size=6))


def json_values(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    """Any JSON value (metadata values, sensor points)."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**53), 2**53),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=6),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
        ),
        max_leaves=max_leaves,
    )


@cache
def values_of(tp: Any) -> st.SearchStrategy[Any]:
    """Valid wire values for a type hint of the event model."""
    origin = typing.get_origin(tp)
    if tp is Any:
        return json_values()
    if origin is typing.Annotated:
        base, *extras = typing.get_args(tp)
        meta = next((e for e in extras if isinstance(e, msgspec.Meta)), None)
        if meta is not None and meta.pattern is not None:
            return st.integers(0, 2**41).map(str)  # the only pattern: millisecond keys
        if meta is not None and base is int:
            return st.integers(int(meta.ge or 0), int(min(meta.le or 2**31, 2**31)))
        if meta is not None and base is float:
            return st.floats(float(meta.ge or 0.0), float(meta.le or 1.0), allow_nan=False)
        return values_of(base)
    if origin is Literal:
        return st.sampled_from(typing.get_args(tp))
    if origin in (typing.Union, types.UnionType):
        arms = [a for a in typing.get_args(tp) if a is not type(None)]
        return st.one_of(*(values_of(a) for a in arms))
    if origin is list:
        return st.lists(values_of(typing.get_args(tp)[0]), max_size=3)
    if origin is dict:
        key_type, value_type = typing.get_args(tp)
        return st.dictionaries(values_of(key_type), values_of(value_type), max_size=3)
    if is_record(tp):
        return records(tp)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: strings(),
        int: st.integers(-(2**31), 2**31),
        bool: st.booleans(),
        float: st.floats(allow_nan=False, allow_infinity=False),
    }
    return simple[tp]


@cache
def records(tp: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Wire dicts for a record type: required fields always, optional ones present or absent."""
    skeleton = _SKELETON if issubclass(tp, Event) else ()
    fields = [f for f in fields_of(tp) if f.name not in skeleton]
    required = {f.wire: values_of(f.type) for f in fields if f.required}
    optional = {f.wire: _present(f.type) for f in fields if not f.required}
    return st.fixed_dictionaries(required, optional=optional)


def _consistent_object_tag(payload: dict[str, Any]) -> dict[str, Any]:
    # The full tag list is authoritative: what was added is in it, what was deleted is not.
    tags = set(payload["tag"])
    if "tag_add" in payload:
        payload["tag_add"] = [t for t in payload["tag_add"] if t in tags]
    if "tag_delete" in payload:
        payload["tag_delete"] = [t for t in payload["tag_delete"] if t not in tags]
    return payload


def _no_self_parent(payload: dict[str, Any]) -> dict[str, Any]:
    # A node cannot be its own parent (deeper cycles depend on the tree, see the reducers).
    if payload.get("parent") == payload["file"]:
        del payload["parent"]
    return payload


#: Rules a single event must follow beyond its field types.
_COHERENT = {
    "object_tag": _consistent_object_tag,
    "file_new": _no_self_parent,
    "file_modify": _no_self_parent,
}


@cache
def payloads(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """Valid payloads (the fields besides id, event, time) of event type ``name``."""
    event_class: Any = EVENT_TYPES[name]
    strategy = records(event_class)
    coherent = _COHERENT.get(name)
    return strategy.map(coherent) if coherent is not None else strategy


def _present(tp: Any) -> st.SearchStrategy[Any]:
    """An optional field's value when present: never null (the platform leaves it out)."""
    arms = [a for a in typing.get_args(tp) if a is not type(None)]
    return values_of(arms[0] if len(arms) == 1 else tp)


def wire_events(
    name: str | None = None, *, id: int | None = None, time: int | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """One valid event as the platform sends it, of type ``name`` or of any type."""
    if name is None:
        return st.sampled_from(sorted(EVENT_TYPES)).flatmap(
            lambda n: wire_events(n, id=id, time=time)
        )
    payload = payloads(name)
    ids = st.just(id) if id is not None else st.integers(0, 10_000)
    times = st.just(time) if time is not None else st.integers(1_600_000_000, 1_700_000_000)
    return st.tuples(ids, times, payload).map(
        lambda t: {"id": t[0], "event": name, "time": t[1], **t[2]}
    )


def events(name: str | None = None) -> st.SearchStrategy[Event]:
    """One valid decoded event, of type ``name`` or of any type."""
    return wire_events(name).map(_decoded)


def _decoded(wire: dict[str, Any]) -> Event:
    event = decode(msgspec.json.encode(wire))
    assert isinstance(event, Event), wire
    return event


@st.composite
def wire_streams(
    draw: st.DrawFn,
    *,
    names: tuple[str, ...] | None = None,
    min_size: int = 0,
    max_size: int = 30,
    start_time: int = 1_700_000_000,
) -> list[dict[str, Any]]:
    """A contiguous session stream: ids 0..n-1, time advancing 0-20 s per event."""
    kinds = sorted(names or EVENT_TYPES)
    count = draw(st.integers(min_size, max_size))
    stream: list[dict[str, Any]] = []
    time = start_time
    for event_id in range(count):
        time += draw(st.integers(0, 20))
        name = draw(st.sampled_from(kinds))
        payload = draw(payloads(name))
        stream.append({"id": event_id, "event": name, "time": time, **payload})
    return stream


@st.composite
def simulated_streams(
    draw: st.DrawFn, *, max_steps: int = 200, max_users: int = 4
) -> tuple[list[dict[str, Any]], str]:
    """One session's whole stream from a simulated day, and the session's user UUID.

    The day is drawn as a seed, a number of steps (0..``max_steps``) and of users; the stream
    is one of its sessions', from id 0, exactly as the platform would have sent it.
    """
    # The simulator sits above this package (it builds on the event model and the reducers).
    from simulator.driver import run_day

    seed = draw(st.integers(0, 2**32 - 1), label="seed")
    steps = draw(st.integers(0, max_steps), label="steps")
    users = draw(st.integers(1, max(1, max_users)), label="users")
    world = run_day(seed, steps=steps, users=users)
    session = draw(st.sampled_from(list(world.sessions.values())), label="session")
    return [dict(event) for event in session.events], session.user

"""Hypothesis strategies for hostile input: events broken in one place, non-events, broken
lines and files, and id sequences that misbehave.

Events are written as JSON text by hand (:func:`render`) so that values JSON parsers refuse to
build (``NaN``, ``1e400``, bytes that are not UTF-8) can sit anywhere inside an otherwise
valid event. Where an event is broken is known, so the tests can check that the rejection
names exactly that place (:class:`Location`).
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator
from typing import Any, Literal, NamedTuple

import msgspec
from hypothesis import strategies as st

from eventmirror import strategies
from eventmirror.events import EVENT_TYPES
from eventmirror.explain import field_path, fields_of, find_problem, is_record, key_path

EVENT_NAMES = tuple(sorted(EVENT_TYPES))
_SKELETON = ("id", "event", "time")


class Raw(bytes):
    """JSON text put into :func:`render`'s output as it is."""


def render(value: Any) -> bytes:
    """``value`` as compact JSON, with :class:`Raw` pieces spliced in verbatim."""
    if isinstance(value, Raw):
        return bytes(value)
    if isinstance(value, dict):
        items = (render(str(key)) + b":" + render(item) for key, item in value.items())
        return b"{" + b",".join(items) + b"}"
    if isinstance(value, list):
        return b"[" + b",".join(render(item) for item in value) + b"]"
    return msgspec.json.encode(value)


def nested(depth: int, *, opener: bytes = b"[", leaf: bytes = b"1") -> Raw:
    closer = b"]" if opener == b"[" else b"}"
    if opener == b"{":
        return Raw(b'{"a":' * depth + leaf + closer * depth)
    return Raw(opener * depth + leaf + closer * depth)


#: Values no field of any event accepts, or that stress a parser: every JSON kind, numbers
#: out of every range, the literals JSON does not have, text that is not UTF-8.
HOSTILE_TEXTS: tuple[bytes, ...] = (
    b"null",
    b"true",
    b"false",
    b"0",
    b"-1",
    b"-9223372036854775809",
    b"9223372036854775808",
    b"18446744073709551616",
    b"1" + b"0" * 40,
    b"-" + b"9" * 40,
    b"1.5",
    b"1.0",
    b"-0.0",
    b"1e308",
    b"1e400",
    b"-1e400",
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b'""',
    b'"x"',
    b'"\\u0000"',
    b'"\\ud800"',
    b'"\xff\xfe"',
    b'"\xed\xa0\x80"',
    b'"\xc3"',
    b"[]",
    b"{}",
    b"[[]]",
    b"[[1,2],[3,[4]]]",
    b'{"a":{"b":[]}}',
    b'{"event":"tag_new"}',
)


def hostile_values() -> st.SearchStrategy[Raw]:
    """One hostile JSON value (or not quite JSON) as text."""
    return st.one_of(
        st.sampled_from(HOSTILE_TEXTS).map(Raw),
        st.integers().map(lambda n: Raw(str(n).encode())),
        # NaN and Infinity as JavaScript writes them, the way they reach a recording.
        st.floats().map(lambda x: Raw(json.dumps(x).encode())),
        strategies.json_values(max_leaves=4).map(lambda v: Raw(msgspec.json.encode(v))),
        st.builds(nested, st.integers(1, 3000), opener=st.sampled_from([b"[", b"{"])),
    )


class Location(NamedTuple):
    """One place inside an event: its keys from the top, how an error names it, its type."""

    keys: tuple[str | int, ...]
    path: str
    type: Any


def locations(
    value: Any, tp: Any, keys: tuple[str | int, ...] = (), path: str = ""
) -> Iterator[Location]:
    """Every typed place inside the valid wire ``value`` of type ``tp`` (not below ``Any``)."""
    if keys:
        yield Location(keys, path, tp)
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        yield from _below(value, typing.get_args(tp)[0], keys, path)
    else:
        yield from _below(value, tp, keys, path)


def _below(value: Any, tp: Any, keys: tuple[str | int, ...], path: str) -> Iterator[Location]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        arms = [arm for arm in typing.get_args(tp) if find_problem(value, arm) is None]
        if arms and arms[0] is not type(None):
            yield from _below(value, arms[0], keys, path)
    elif origin is list and isinstance(value, list):
        (item_type,) = typing.get_args(tp)
        for index, item in enumerate(value):
            yield from locations(item, item_type, (*keys, index), f"{path}[{index}]")
    elif origin is dict and isinstance(value, dict):
        item_type = typing.get_args(tp)[1]
        for key, item in value.items():
            yield from locations(item, item_type, (*keys, key), key_path(path, key))
    elif is_record(tp) and isinstance(value, dict):
        for field in fields_of(tp):
            if field.wire in value and not (not keys and field.wire == "event"):
                place = (*keys, field.wire)
                yield from locations(
                    value[field.wire], field.type, place, field_path(path, field.wire)
                )


def replaced(value: Any, keys: tuple[str | int, ...], new: Any) -> Any:
    """A copy of ``value`` with the place at ``keys`` holding ``new``."""
    if not keys:
        return new
    head, *rest = keys
    if isinstance(value, dict):
        return {k: replaced(v, tuple(rest), new) if k == head else v for k, v in value.items()}
    return [replaced(v, tuple(rest), new) if i == head else v for i, v in enumerate(value)]


def removed(value: Any, keys: tuple[str | int, ...]) -> Any:
    """A copy of ``value`` without the object key at ``keys``."""
    head, *rest = keys
    if not rest:
        return {k: v for k, v in value.items() if k != head}
    if isinstance(value, dict):
        return {k: removed(v, tuple(rest)) if k == head else v for k, v in value.items()}
    return [removed(v, tuple(rest)) if i == head else v for i, v in enumerate(value)]


Mutation = Literal["retype", "remove", "extra", "rename"]


class Broken(NamedTuple):
    """An event broken in one place: its text, what was done, where, and the valid original."""

    data: bytes
    mutation: Mutation
    where: Location | None
    original: dict[str, Any]


#: Ids no stream can have: the event they stand in cannot be placed in the stream.
BAD_IDS: tuple[bytes, ...] = (
    b"-1",
    b'"3"',
    b"1.0",
    b"null",
    b"true",
    b"9223372036854775808",
    b"[0]",
)


@st.composite
def broken_events(
    draw: st.DrawFn,
    names: tuple[str, ...] = EVENT_NAMES,
    *,
    id: int | None = None,
    idless: bool = False,
) -> Broken:
    """A valid event of one of ``names`` with one thing wrong: a field holding a hostile value,
    a field missing, an extra field, or the event name changed. ``idless`` events also have
    a missing or unreadable id."""
    name = draw(st.sampled_from(names))
    original = draw(strategies.wire_events(name, id=id))
    places = list(locations(original, EVENT_TYPES[name]))
    if idless:
        bad_id = draw(st.sampled_from((None, *BAD_IDS)))
        original = {k: v for k, v in original.items() if k != "id"}
        if bad_id is not None:
            original = {"id": Raw(bad_id), **original}
        places = [place for place in places if place.keys[0] != "id"]
    mutation: Mutation = draw(st.sampled_from(("retype", "retype", "remove", "extra", "rename")))
    if mutation == "rename":
        new_name = draw(
            st.one_of(
                st.sampled_from(["", "TAG_NEW", "tag_new ", "hologram_new", "__proto__"]),
                st.sampled_from(EVENT_NAMES),
                st.text(max_size=8),
            )
        )
        return Broken(render({**original, "event": new_name}), mutation, None, original)
    if mutation == "extra" or not places:
        extra_key = draw(st.text(max_size=6).filter(lambda k: k not in original))
        data = render({**original, extra_key: draw(hostile_values())})
        where = Location((extra_key,), extra_key or key_path("", extra_key), Any)
        return Broken(data, "extra", where, original)
    where = draw(st.sampled_from(places))
    if mutation == "remove" and isinstance(where.keys[-1], str):
        return Broken(render(removed(original, where.keys)), mutation, where, original)
    return Broken(
        render(replaced(original, where.keys, draw(hostile_values()))), "retype", where, original
    )


def non_events() -> st.SearchStrategy[bytes]:
    """Text that is no event at all: JSON that is not an object, or not JSON."""
    scalars = st.sampled_from(HOSTILE_TEXTS)
    return st.one_of(
        scalars,
        strategies.json_values(max_leaves=8)
        .filter(lambda v: not isinstance(v, dict))
        .map(msgspec.json.encode),
        st.lists(st.lists(st.integers(), max_size=3), max_size=3).map(msgspec.json.encode),
        # Plain bytes: the pipeline's input type exactly, as a reader gives it.
        st.builds(nested, st.integers(1, 3000)).map(bytes),
        st.binary(max_size=40),
        st.sampled_from([b"{", b'{"id":', b'{"id":1,"event":"tag_new"', b"}", b"\xef\xbb\xbf{}"]),
    )


def hostile_lines(*, idless: bool = False) -> st.SearchStrategy[bytes]:
    """Any hostile line: a broken event or a non-event; ``idless``: none with a readable id."""
    broken = broken_events(idless=idless).map(lambda broken: broken.data)
    return st.one_of(broken, non_events())


IdMove = Literal["next", "repeat", "back", "jump", "restart"]


@st.composite
def misordered_ids(draw: st.DrawFn, count: int) -> list[int]:
    """``count`` ids that go on, repeat, go backwards, jump and restart at 0."""
    ids: list[int] = []
    last: int | None = None
    for _ in range(count):
        moves: list[IdMove] = ["next", "next", "next", "jump"]
        if last is not None:
            moves += ["repeat", "back", "restart"]
        move = draw(st.sampled_from(moves))
        if last is None:
            event_id = (
                draw(st.integers(0, 5)) if move == "next" else draw(st.integers(0, 2**63 - 1))
            )
        elif move == "next":
            event_id = last + 1
        elif move == "repeat":
            event_id = last
        elif move == "back":
            event_id = draw(st.integers(0, last))
        elif move == "restart":
            event_id = 0
        else:
            event_id = last + draw(st.integers(2, 2**40))
        event_id = min(event_id, 2**63 - 1)
        ids.append(event_id)
        last = max(last, event_id) if last is not None and event_id != 0 else event_id
    return ids

"""Streams for the time-travel tests: coherent simulated sessions and random streams that
interact (a small UUID pool), with gaps, duplicates, resets and lines that are not events."""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import strategies as st

import reducers
from eventmirror.strategies import simulated_streams, wire_streams
from reducers.pointer import pointer

#: A line that is not an event (nor even JSON).
JUNK = b'{"id": "x", "event": 3'


@st.composite
def recordings(draw: st.DrawFn, max_size: int = 40) -> tuple[list[bytes], str | None]:
    """A recording as lines, and the session's user (None when not known)."""
    if draw(st.booleans(), label="simulated"):
        events, me = draw(simulated_streams(max_steps=60, max_users=3))
    else:
        events, me = draw(wire_streams(max_size=max_size)), None
    lines = [msgspec.json.encode(event) for event in events]
    # Stream trouble where it may happen: a gap, a duplicate, a reset, text that is no event.
    for trouble in draw(st.lists(st.sampled_from(["gap", "dup", "junk", "reset"]), max_size=3)):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        if trouble == "gap":
            del lines[at]
        elif trouble == "dup":
            lines.insert(at, lines[at])
        elif trouble == "junk":
            lines.insert(at, JUNK)
        elif lines[at] != JUNK:
            lines.insert(at, msgspec.json.encode({**msgspec.json.decode(lines[at]), "id": 0}))
    return lines, me


def folded(lines: list[bytes], count: int, me: str | None) -> reducers.Mirror:
    """The first ``count`` lines applied one by one, with their lines, as a file would be."""
    mirror = reducers.empty(me)
    for number, line in enumerate(lines[:count], start=1):
        mirror = reducers.apply(mirror, line, line=number)
    return mirror


def pointers_of(document: Any, keys: tuple[str, ...] = ()) -> list[str]:
    """Every JSON Pointer into ``document``, the empty one included."""
    found = [pointer(*keys)]
    if isinstance(document, dict):
        for key, value in document.items():
            found += pointers_of(value, (*keys, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += pointers_of(value, (*keys, str(index)))
    return found


def at(document: Any, keys: tuple[str, ...]) -> Any:
    """The value at ``keys`` in a JSON document, by RFC 6901 (None standing for absent
    is never needed: callers only ask for paths that exist)."""
    for key in keys:
        document = document[int(key)] if isinstance(document, list) else document[key]
    return document

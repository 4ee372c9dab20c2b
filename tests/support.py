"""Small builders that keep tests about behaviour rather than JSON plumbing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec

import reducers
from eventmirror.codec import decode
from eventmirror.events import Event
from reducers import Mirror

ME = "1de7257a-4f34-11e0-ab6e-0024e8f90cc1"
OTHER = "c5dbbdd4-0ad9-11e1-bd0d-0024e8f90cc0"
THIRD = "c63ff81c-0ad9-11e1-bb94-0024e8f90cc0"


def wire(name: str, /, id: int = 0, time: int = 1_000_000, **payload: Any) -> dict[str, Any]:
    """An event as the platform sends it (a dict), e.g. ``wire("tag_delete", 3, tag=T)``."""
    return {"id": id, "event": name, "time": time, **payload}


def event(name: str, /, id: int = 0, time: int = 1_000_000, **payload: Any) -> Event:
    """A decoded event; fails the test if the payload is not valid."""
    decoded = decode(_json(wire(name, id, time, **payload)))
    assert isinstance(decoded, Event), decoded
    return decoded


def _json(value: Any) -> bytes:
    return msgspec.json.encode(value)


class Stream:
    """Builds a contiguous stream: ids from 0, time advancing one second per event unless
    given. ``stream.add("tag_new", tag=...)`` returns the dict; ``stream.fold()`` folds all."""

    def __init__(self, start_time: int = 1_000_000, me: str | None = ME) -> None:
        self.events: list[dict[str, Any]] = []
        self.time = start_time
        self.me = me

    def add(self, name: str, /, *, time: int | None = None, **payload: Any) -> dict[str, Any]:
        self.time = time if time is not None else self.time + 1
        item = wire(name, len(self.events), self.time, **payload)
        self.events.append(item)
        return item

    def fold(self, mirror: Mirror | None = None, *, strict: bool = True) -> Mirror:
        return reducers.fold((_json(e) for e in self.events), mirror, strict=strict, me=self.me)


def fold_all(
    events: Iterable[dict[str, Any]], *, me: str | None = ME, strict: bool = True
) -> Mirror:
    """Fold event dicts (given as the platform sends them) into a new mirror."""
    return reducers.fold((_json(e) for e in events), strict=strict, me=me)

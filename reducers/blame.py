"""Blame: which event last set the value at a path, and every event that changed it.

>>> result = blame("session.jsonl", "/objects/52a9…/description", history=True)
>>> result.last.id, result.last.type, result.last.time, result.last.line
>>> [(s.id, s.kind, s.old, s.new) for s in result.history]

One pass over the recording (:class:`reducers._watch.Watched`: folded a chunk at a time,
and only the chunks that touched the path applied again event by event). An event
*changed* the value when the value's JSON differs between the mirror before and after it (or
it appeared or went): exactly when ``reducers.diff(before, after)`` has a change at the path,
above it or below it. Whole states are never compared: the walk to the path
(:func:`reducers.pointer.nodes`) passes through the mirror's persistent parts, and when the
two walks share one (the same object), nothing below it changed; only when they share none
are the two values compared. An event that applies to another part of the mirror costs a few
attribute lookups.

A path that no mirror along the way has is a :class:`~reducers.pointer.PointerError` naming
the first key not found, with the nearest key when one is close.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from ._watch import Watched
from .diff import ChangeKind
from .mirror import Mirror
from .pointer import MISSING, json_value, missing_key, nodes, parse_pointer, resolve, unchanged
from .steps import Source, read_record

__all__ = ["Blame", "Setter", "blame", "blame_steps", "setter_of"]


@attrs.frozen
class Setter:
    """An event that changed the value at the path: the record's index (from 0) and line,
    the event's id, type and time (None where the record does not say), and the change:
    ``added`` (``new``), ``removed`` (``old``) or ``changed`` (both); an absent side is
    :data:`~reducers.pointer.MISSING`."""

    index: int
    line: int
    id: int | None
    type: str | None
    time: int | None
    kind: ChangeKind
    old: Any = MISSING
    new: Any = MISSING

    def to_json(self) -> dict[str, Any]:
        """The setter as JSON values; absent fields and sides left out."""
        document: dict[str, Any] = {"index": self.index, "line": self.line}
        for name in ("id", "type", "time"):
            if (value := getattr(self, name)) is not None:
                document[name] = value
        document["kind"] = self.kind
        if self.old is not MISSING:
            document["old"] = self.old
        if self.new is not MISSING:
            document["new"] = self.new
        return document


@attrs.frozen
class Blame:
    """The answer: the value at ``pointer`` at the end (:data:`MISSING` if it is gone), the
    event that ``last`` changed it (None: no event did, it was there from the start), and,
    when asked, the ``history`` of every event that changed it, in order."""

    pointer: str
    value: Any
    last: Setter | None
    history: tuple[Setter, ...] = ()

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"pointer": self.pointer}
        if self.value is not MISSING:
            document["value"] = self.value
        document["last"] = None if self.last is None else self.last.to_json()
        document["history"] = [setter.to_json() for setter in self.history]
        return document


def blame(
    source: Source,
    pointer: str,
    *,
    history: bool = False,
    me: str | None = None,
    mirror: Mirror | None = None,
) -> Blame:
    """Blame ``pointer`` over ``source`` (a path, an open file or events) in one pass,
    starting from ``mirror`` (a new one for user ``me`` unless given)."""
    keys = parse_pointer(pointer)
    watched = Watched(source, [keys], mirror, me=me)
    start = watched.mirror
    found: list[Setter] = []
    last: Setter | None = None
    for setter in blame_steps(keys, watched):
        last = setter
        if history:
            found.append(setter)
    end = watched.mirror
    if last is None and len(nodes(start, keys)) <= len(keys) and len(nodes(end, keys)) <= len(keys):
        raise missing_key(end, keys)  # never there: nothing to blame
    return Blame(pointer, resolve(end, keys), last, tuple(found))


def blame_steps(
    keys: tuple[str, ...], steps: Iterable[tuple[int, int, Any, Mirror, Mirror]]
) -> Iterator[Setter]:
    """The setters among ``steps`` (``(index, line, record, before, after)``, as
    :func:`reducers.steps.applied` gives them), for the path ``keys``."""
    walk_before: list[Any] = []
    last: Mirror | None = None
    for index, line, data, before, after in steps:
        if before is not last:  # the first step, or one after steps left out
            walk_before = nodes(before, keys)
        walk_after = nodes(after, keys)
        if not unchanged(walk_before, walk_after, before, keys, after):
            yield setter_of(index, line, data, keys, (before, walk_before), (after, walk_after))
        walk_before, last = walk_after, after


def setter_of(
    index: int,
    line: int,
    data: Any,
    keys: tuple[str, ...],
    before: tuple[Mirror, list[Any]],
    after: tuple[Mirror, list[Any]],
) -> Setter:
    """The :class:`Setter` of a step that changed the value at ``keys``."""
    event_id, event_type, time, _, _ = read_record(data)
    (old_mirror, old_walk), (new_mirror, new_walk) = before, after
    old = json_value(old_mirror, keys, old_walk[-1]) if len(old_walk) > len(keys) else MISSING
    new = json_value(new_mirror, keys, new_walk[-1]) if len(new_walk) > len(keys) else MISSING
    kind: ChangeKind = "changed"
    if old is MISSING:
        kind = "added"
    elif new is MISSING:
        kind = "removed"
    return Setter(index, line, event_id, event_type, time, kind, old, new)

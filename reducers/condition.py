"""Conditions on a mirror, in JMESPath, and :func:`bisect`: the first event after which one
holds.

A condition is a JMESPath expression (https://jmespath.org) over the mirror's JSON form
(:func:`reducers.to_json`); it *holds* when its result is not one of JMESPath's false values
(``false``, ``null``, an empty list, object or string). Keys that are not plain identifiers,
such as UUIDs, are quoted::

    objects."52a9…".trashed                       # the object is in the trash
    conferences."8c1e…".live && length(conferences."8c1e…".member) == `0`
    length(keys(objects)) > `100`
    stream.resync

JMESPath is a query language with its own small interpreter: nothing in an expression is
ever evaluated as Python.

:func:`bisect` reads the recording once, like :func:`reducers.blame.blame`, and does not
rebuild the JSON form after every event. The expression's parse tree says which paths of
the form it reads from the top (``objects."52a9…".trashed`` reads ``/objects/52a9…/trashed``;
``length(keys(objects))`` reads ``/objects``); the condition is evaluated on a document
holding just those values, and only again after an event that changed one of them (found by
identity along the path, :func:`reducers.pointer.unchanged`). An expression that reads the
whole form (``@``, ``keys(@)``) is evaluated on the whole form after every event.
"""

from __future__ import annotations

from typing import Any, Final

import attrs
import jmespath
import jmespath.exceptions

from ._watch import Watched
from .jsonform import to_json
from .mirror import Mirror, empty
from .pointer import MISSING, nodes, resolve, unchanged
from .steps import Source, read_record

__all__ = ["At", "Bisection", "Condition", "ConditionError", "bisect"]

Path = tuple[str, ...]
#: Parse-tree nodes whose first child is read from the same value as the node itself, and
#: whose other children are read from that child's result.
_LEFT_ONLY: Final = frozenset(
    {"index_expression", "projection", "value_projection", "filter_projection", "flatten", "pipe"}
)
#: Parse-tree nodes whose children are all read from the same value as the node itself.
_ALL_CHILDREN: Final = frozenset(
    {
        "comparator",
        "and_expression",
        "or_expression",
        "not_expression",
        "multi_select_list",
        "multi_select_dict",
        "key_val_pair",
        "function_expression",
    }
)


class ConditionError(ValueError):
    """A JMESPath expression that does not parse, or fails on a mirror."""


class Condition:
    """A compiled JMESPath condition over a mirror's JSON form."""

    def __init__(self, expression: str) -> None:
        self.expression = expression
        try:
            self._compiled = jmespath.compile(expression)
        except jmespath.exceptions.JMESPathError as error:
            raise ConditionError(f"not a JMESPath expression: {expression!r}: {error}") from None
        found = _paths(self._compiled.parsed)
        #: The paths of the JSON form the expression reads, or None: the whole form.
        self.paths: tuple[Path, ...] | None = None if found is None else _outermost(found)

    def value(self, mirror: Mirror) -> Any:
        """The expression's result on the mirror's JSON form."""
        try:
            return self._compiled.search(self._document(mirror))
        except jmespath.exceptions.JMESPathError as error:
            raise ConditionError(f"{self.expression!r} failed: {error}") from None

    def holds(self, mirror: Mirror) -> bool:
        """Whether the result is not one of JMESPath's false values."""
        return _true(self.value(mirror))

    def _document(self, mirror: Mirror) -> Any:
        if self.paths is None:
            return to_json(mirror)
        document: dict[str, Any] = {}
        for path in self.paths:
            value = resolve(mirror, path)
            if value is MISSING:
                continue
            place = document
            for key in path[:-1]:
                place = place.setdefault(key, {})
            place[path[-1]] = value
        return document


def _true(value: Any) -> bool:
    return not (value is None or value is False or value in ("", [], {}))


def _paths(node: Any) -> list[Path] | None:
    """The paths a parse-tree node reads from the value it is applied to (None: all of it)."""
    kind, children = node["type"], node.get("children", [])
    if kind == "field":
        return [(node["value"],)]
    if kind == "subexpression":
        prefix: list[str] = []
        for child in children:
            if child["type"] != "field":
                break
            prefix.append(child["value"])
        return [tuple(prefix)] if prefix else _paths(children[0])
    if kind in ("literal", "index", "slice"):
        return []
    if kind in _LEFT_ONLY:
        return _paths(children[0])
    if kind in _ALL_CHILDREN:
        found: list[Path] = []
        for child in children:
            if child["type"] == "expref":
                continue  # applied to other values (sort_by's elements, ...)
            paths = _paths(child)
            if paths is None:
                return None
            found.extend(paths)
        return found
    return None  # "@", and anything not known to read less than the whole form


def _outermost(paths: list[Path]) -> tuple[Path, ...]:
    """The paths, each cut before its first key made of digits (JMESPath reads such a key
    of an object, where a JSON Pointer names a list element), without any path that another
    one contains."""
    cut = []
    for path in paths:
        digits = next((i for i, key in enumerate(path) if i and key.isdigit()), len(path))
        cut.append(path[:digits])
    kept: list[Path] = []
    for path in sorted(set(cut), key=len):
        if not any(path[: len(shorter)] == shorter for shorter in kept):
            kept.append(path)
    return tuple(sorted(kept))


@attrs.frozen
class At:
    """A record of the recording: its index (from 0), line, and the event's id, type and
    time (None where the record does not say)."""

    index: int
    line: int
    id: int | None
    type: str | None
    time: int | None

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"index": self.index, "line": self.line}
        for name in ("id", "type", "time"):
            if (value := getattr(self, name)) is not None:
                document[name] = value
        return document


@attrs.frozen
class Bisection:
    """The answer: ``first``, the first event after which the condition holds and before
    which it did not (None: it never came to hold), and ``before``, the event just before
    it (None: ``first`` is the first record). ``held_at_start``: it held before any event."""

    expression: str
    first: At | None
    before: At | None
    held_at_start: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "held_at_start": self.held_at_start,
            "first": None if self.first is None else self.first.to_json(),
            "before": None if self.before is None else self.before.to_json(),
        }


def bisect(
    source: Source, condition: str | Condition, *, me: str | None = None,
    mirror: Mirror | None = None,
) -> Bisection:  # fmt: skip
    """The first event of ``source`` after which ``condition`` holds, having not held before
    it, in one pass (see the module docstring); starts from ``mirror`` (a new one for user
    ``me`` unless given)."""
    compiled = condition if isinstance(condition, Condition) else Condition(condition)
    start = mirror if mirror is not None else empty(me)
    held = held_at_start = compiled.holds(start)
    paths = compiled.paths
    watched = Watched(source, None if paths is None else list(paths), start)
    walks: list[list[Any]] = []
    last: Mirror | None = None
    for index, line, data, before, after in watched:
        if paths is not None:
            if before is not last:  # the first step, or one after chunks left out
                walks = [nodes(before, path) for path in paths]
            new_walks = [nodes(after, path) for path in paths]
            same = all(
                unchanged(old, new, before, path, after)
                for old, new, path in zip(walks, new_walks, paths, strict=True)
            )
            walks, last = new_walks, after
            if same:
                continue
        now = compiled.holds(after)
        if now and not held:
            kept = watched.preceding  # the record just before this one
            before_it = _at(*kept) if kept is not None else None
            return Bisection(compiled.expression, _at(index, line, data), before_it, held_at_start)
        held = now
    return Bisection(compiled.expression, None, None, held_at_start)


def _at(index: int, line: int, data: Any) -> At:
    event_id, event_type, time, _, _ = read_record(data)
    return At(index, line, event_id, event_type, time)

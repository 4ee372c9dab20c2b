"""The inspector's questions and their answers, as JSON-ready values.

Every function here takes a :class:`~.source.Timeline` and plain parameters (the strings of
a query string), and either answers or raises :class:`BadQuery` with a reason the page shows
as it is. Nothing here knows about HTTP: :mod:`.app` turns answers into responses.

A page of the timeline is found by scanning from a position, never by sending all entries:
``offset`` is where the scan starts (``before`` scans backwards from just before it), and
the answer says where the next scan continues. A scan looks at a bounded number of entries
(:data:`SCAN_BUDGET`, fewer with a path filter, whose every candidate costs a step), so one
request stays short on any recording; the page keeps asking while it has room.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

import msgspec

import reducers

from .source import MARKS, Entry, Timeline

#: Entries one page holds at most, and by default.
MAX_LIMIT: Final = 1000
DEFAULT_LIMIT: Final = 200
#: Entries one scan looks at, at most: with a type or entity filter (or none) ...
SCAN_BUDGET: Final = 200_000
#: ... and with a path filter, where each candidate's changes are computed.
PATH_SCAN_BUDGET: Final = 2_000


class BadQuery(ValueError):
    """A question the inspector cannot answer as asked; the message says why."""


class PageQuery(msgspec.Struct, frozen=True):
    offset: int = 0
    before: int | None = None
    limit: int = DEFAULT_LIMIT
    type: str | None = None
    entity: str | None = None
    path: str | None = None


def entry_json(entry: Entry) -> dict[str, Any]:
    """An entry as the page reads it; marks in :data:`~.source.MARKS` order."""
    return {
        "index": entry.index,
        "line": entry.line,
        "id": entry.id,
        "type": entry.type,
        "time": entry.time,
        "marks": [mark for mark in MARKS if mark in entry.marks],
        "entities": sorted(entry.entities),
    }


def summary(timeline: Timeline, name: str) -> dict[str, Any]:
    """What the page's header shows: the recording, its size, its marks and event types."""
    marks = dict.fromkeys(MARKS, 0)
    types: set[str] = set()
    for entry in timeline.entries:
        for mark in entry.marks:
            marks[mark] = marks.get(mark, 0) + 1
        if entry.type is not None:
            types.add(entry.type)
    return {"name": name, "total": len(timeline.entries), "marks": marks, "types": sorted(types)}


def parse_page(query: Mapping[str, str], total: int) -> PageQuery:
    """The page query of a query string's parameters, checked against the timeline's size."""
    offset = _whole(query, "offset", 0)
    before = _whole(query, "before", None)
    limit = _whole(query, "limit", DEFAULT_LIMIT)
    if offset > total:
        raise BadQuery(f"offset: past the end of the timeline ({total} entries), got {offset}")
    if before is not None and before > total:
        raise BadQuery(f"before: past the end of the timeline ({total} entries), got {before}")
    if not 1 <= limit <= MAX_LIMIT:
        raise BadQuery(f"limit: expected 1..{MAX_LIMIT}, got {limit}")
    path = query.get("path") or None
    if path is not None:
        check_pointer(path)
    return PageQuery(
        offset=offset,
        before=before,
        limit=limit,
        type=query.get("type") or None,
        entity=(query.get("entity") or "").strip().lower() or None,
        path=path,
    )


def page(timeline: Timeline, query: PageQuery) -> dict[str, Any]:
    """The entries matching the query from its position on (or before it, backwards), in
    timeline order, with where to continue each way (``null``: nothing more that way)."""
    entries = timeline.entries
    matches = _matcher(timeline, query)
    budget = PATH_SCAN_BUDGET if query.path else SCAN_BUDGET
    found: list[Entry] = []
    if query.before is None:
        stop = min(len(entries), query.offset + budget)
        position = query.offset
        while position < stop and len(found) < query.limit:
            if matches(entries[position]):
                found.append(entries[position])
            position += 1
        return {
            "total": len(entries),
            "entries": [entry_json(entry) for entry in found],
            "next": position if position < len(entries) else None,
            "previous": query.offset if query.offset > 0 else None,
        }
    stop = max(0, query.before - budget)
    position = query.before
    while position > stop and len(found) < query.limit:
        position -= 1
        if matches(entries[position]):
            found.append(entries[position])
    found.reverse()
    return {
        "total": len(entries),
        "entries": [entry_json(entry) for entry in found],
        "next": query.before if query.before < len(entries) else None,
        "previous": position if position > 0 else None,
    }


def index_of(text: str, timeline: Timeline) -> int:
    """An entry's index from a path segment, checked."""
    try:
        index = int(text)
    except ValueError:
        raise BadQuery(f"index: expected a whole number, got {text!r}") from None
    total = len(timeline.entries)
    if not 0 <= index < total:
        raise BadQuery(f"index: expected 0..{total - 1}, got {index}")
    return index


def step(timeline: Timeline, index: int) -> dict[str, Any]:
    """The mirror's JSON form after entry ``index`` and what that entry changed."""
    return {
        "entry": entry_json(timeline.entries[index]),
        "mirror": reducers.to_json(timeline.mirror_at(index)),
        "changes": [msgspec.to_builtins(change) for change in timeline.changes_at(index)],
    }


def blame(timeline: Timeline, query: Mapping[str, str]) -> dict[str, Any]:
    """The entry that last set the value at ``pointer``, up to entry ``index`` included
    (``null``: nothing in the recording set it)."""
    if "index" not in query:
        raise BadQuery("index: missing")
    index = index_of(query["index"], timeline)
    if "pointer" not in query:
        raise BadQuery("pointer: missing")
    pointer = query["pointer"]
    check_pointer(pointer)
    found = timeline.blame(pointer, index)
    return {"index": index, "pointer": pointer, "entry": entry_json(found) if found else None}


_POINTER: Final = re.compile(r"(/([^~/]|~[01])*)*")


def check_pointer(text: str) -> None:
    """Raise :class:`BadQuery` unless ``text`` is a JSON Pointer (RFC 6901)."""
    if not _POINTER.fullmatch(text):
        raise BadQuery(
            f"pointer: expected a JSON Pointer such as /objects/<uuid>/description "
            f"(starting with /, ~ only as ~0 or ~1), got {text!r}"
        )


def touches(change: str, pointer: str) -> bool:
    """Whether a change at path ``change`` changed the value at ``pointer``: the same path,
    one inside it, or one around it (an object added whole sets its description)."""
    return (
        change == pointer
        or change.startswith(pointer + "/")
        or pointer.startswith(change + "/")
        or pointer == ""
    )


def _matcher(timeline: Timeline, query: PageQuery) -> Callable[[Entry], bool]:
    tests: list[Callable[[Entry], bool]] = []
    if query.type is not None:
        pattern = re.compile(fnmatch.translate(query.type))
        tests.append(lambda entry: entry.type is not None and bool(pattern.match(entry.type)))
    if query.entity is not None:
        entity = query.entity
        tests.append(lambda entry: entity in entry.entities)
    if query.path is not None:
        path = query.path
        tests.append(
            lambda entry: any(touches(c.path, path) for c in timeline.changes_at(entry.index))
        )
    return lambda entry: all(test(entry) for test in tests)


def _whole(query: Mapping[str, str], name: str, default: Any) -> Any:
    text = query.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadQuery(f"{name}: expected a whole number, got {text!r}") from None
    if value < 0:
        raise BadQuery(f"{name}: expected a number >= 0, got {value}")
    return value

"""The inspector's questions and their answers, as JSON-ready values.

Every function here takes a :class:`~.source.Timeline` and plain parameters (the strings of
a query string), and either answers or raises :class:`BadQuery` with a reason the page shows
as it is. Nothing here knows about HTTP: :mod:`.app` turns answers into responses.

A page of the timeline is found by scanning from a position, never by sending all entries:
``offset`` is where the scan starts (``before`` scans backwards from just before it), and
the answer says where the next scan continues. A scan looks at a bounded number of entries
(:data:`SCAN_BUDGET`), so one request stays short on any recording; the page keeps asking
while it has room. A path filter first finds every entry that changed the path, once per
path (:func:`changed_at`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Final

import msgspec

import reducers
from reducers.pointer import PointerError, parse_pointer
from reducers.steps import MARK_NAMES

from . import tree
from .source import Timeline

#: Entries one page holds at most, and by default.
MAX_LIMIT: Final = 1000
DEFAULT_LIMIT: Final = 200
#: Entries one scan looks at, at most, with a filter.
SCAN_BUDGET: Final = 200_000


class BadQuery(ValueError):
    """A question the inspector cannot answer as asked; the message says why."""


class StillReading(LookupError):
    """A question about a part of the recording not read yet: asked again later, it will
    be answered. The message says how far reading is."""


def still_reading(timeline: Timeline, what: str) -> StillReading:
    read = timeline.reading_progress()
    if read.bytes_total is None:
        far = f"{read.records:,} records read"
    else:
        far = f"{read.bytes_read:,} of {read.bytes_total:,} bytes"
    return StillReading(f"still reading: {far} ({len(timeline):,} entries ready); {what}")


class PageQuery(msgspec.Struct, frozen=True):
    offset: int = 0
    before: int | None = None
    limit: int = DEFAULT_LIMIT
    type: str | None = None
    entity: str | None = None
    path: str | None = None


class Summary:
    """What the page's header shows: the recording, how many entries are ready, how far
    reading is, how many entries carry each mark (every mark named, in the library's
    order), and the event types. Marks are counted once per entry, as entries get ready."""

    def __init__(self, timeline: Timeline, name: str) -> None:
        self.timeline, self.name = timeline, name
        self._counted = 0
        self._marks = dict.fromkeys(MARK_NAMES.values(), 0)

    def answer(self, error: str | None = None) -> dict[str, Any]:
        timeline = self.timeline
        reading = timeline.reading_progress()  # before the count: never behind it
        total = len(timeline)
        for index in timeline.select(marked=True, start=self._counted, stop=total):
            for mark in timeline.entry(index).to_json()["marks"]:
                self._marks[mark] = self._marks.get(mark, 0) + 1
        self._counted = max(self._counted, total)
        return {
            "name": self.name,
            "total": total,
            "marks": dict(self._marks),
            "types": timeline.types(),
            "reading": {**reading.to_json(), "error": error},
        }


def summary(timeline: Timeline, name: str) -> dict[str, Any]:
    """The :class:`Summary` of a timeline, once."""
    return Summary(timeline, name).answer()


def parse_page(query: Mapping[str, str], timeline: Timeline) -> PageQuery:
    """The page query of a query string's parameters, checked against the timeline's size."""
    done = timeline.reading_progress().done  # before the count: never behind it
    total = len(timeline)
    offset = _whole(query, "offset", 0)
    before = _whole(query, "before", None)
    limit = _whole(query, "limit", DEFAULT_LIMIT)
    if max(offset, before or 0) > total and not done:
        raise still_reading(timeline, f"entry {max(offset, before or 0)} is not read yet")
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
    timeline order, with where to continue each way (``null``: nothing more that way; while
    the recording is still being read, forward continues at the end of what is read)."""
    done = timeline.reading_progress().done  # before the count: never behind it
    total = len(timeline)
    changed = None if query.path is None else changed_at(timeline, query.path)
    window = SCAN_BUDGET if query.type or query.entity or query.path else query.limit
    if query.before is None:
        stop = min(total, query.offset + window)
        found = _select(timeline, query, changed, query.offset, stop)
        if len(found) > query.limit:
            found, stop = found[: query.limit], found[query.limit]
        following, preceding = stop, query.offset
    else:
        start = max(0, query.before - window)
        found = _select(timeline, query, changed, start, query.before)
        if len(found) > query.limit:
            found, start = found[-query.limit :], found[-query.limit - 1] + 1
        following, preceding = query.before, start
    return {
        "total": total,
        "entries": [timeline.entry(index).to_json() for index in found],
        "next": following if following < total or not done else None,
        "previous": preceding if preceding > 0 else None,
    }


def _select(
    timeline: Timeline, query: PageQuery, changed: frozenset[int] | None, start: int, stop: int
) -> list[int]:
    found = timeline.select(type=query.type, entity=query.entity, start=start, stop=stop)
    return found if changed is None else [index for index in found if index in changed]


#: The entries that changed each of the last few paths filtered by, with their timeline.
_CHANGED: Final[OrderedDict[tuple[int, str], tuple[Timeline, frozenset[int]]]] = OrderedDict()
_PATHS_KEPT: Final = 8


def changed_at(timeline: Timeline, pointer: str) -> frozenset[int]:
    """The entries that changed the value at ``pointer``, in the whole recording.

    Kept for the last few paths: finding them is one pass over the blocks of the recording
    where the path changed (the library's blame history), which costs the same for a
    window at the end of the recording as for all of it, so a page of a path filter reads
    from this instead of asking again for every window.
    """
    key = (id(timeline), pointer)
    if key in _CHANGED:
        _CHANGED.move_to_end(key)
        return _CHANGED[key][1]
    try:
        changed = frozenset(timeline.select(pointer=pointer))
    except PointerError as bad:  # well formed (parse_page checked it), but never there
        raise BadQuery(f"path: {bad}") from None
    _CHANGED[key] = (timeline, changed)  # the timeline kept too: its id stays its own
    while len(_CHANGED) > _PATHS_KEPT:
        _CHANGED.popitem(last=False)
    return changed


def index_of(text: str, timeline: Timeline) -> int:
    """An entry's index from a path segment, checked."""
    try:
        index = int(text)
    except ValueError:
        raise BadQuery(f"index: expected a whole number, got {text!r}") from None
    done = timeline.reading_progress().done  # before the count: never behind it
    total = len(timeline)
    if index >= total and not done:
        raise still_reading(timeline, f"entry {index} is not read yet")
    if not 0 <= index < total:
        raise BadQuery(f"index: expected 0..{total - 1}, got {index}")
    return index


def step(timeline: Timeline, index: int) -> dict[str, Any]:
    """Entry ``index``, what it changed, and the mirror after it as the page's tree: the top
    level and the way down to each changed path (:func:`.tree.spine`)."""
    changes = timeline.changes_at(index)
    return {
        "entry": timeline.entry(index).to_json(),
        "changes": [msgspec.to_builtins(change) for change in changes],
        "tree": tree.spine(timeline.mirror_after(index), [change.path for change in changes]),
    }


def node(timeline: Timeline, query: Mapping[str, str]) -> dict[str, Any]:
    """The children of the node at ``pointer`` in the mirror after entry ``index``, a page
    of keys at a time (``offset``, ``limit``)."""
    index = _index_parameter(timeline, query)
    keys = _pointer_parameter(query)
    offset = _whole(query, "offset", 0)
    limit = _whole(query, "limit", tree.PAGE)
    if not 1 <= limit <= tree.PAGE:
        raise BadQuery(f"limit: expected 1..{tree.PAGE}, got {limit}")
    listed = tree.children(timeline.mirror_after(index), keys, offset, limit)
    if listed["size"] is None:
        raise BadQuery(
            f"pointer: {query['pointer']!r} is not an object in the mirror after {index}"
        )
    return {"index": index, "pointer": query["pointer"], **listed}


def mirror(timeline: Timeline, index: int) -> bytes:
    """The whole mirror after entry ``index``, as its JSON form's bytes."""
    return reducers.dumps(timeline.mirror_after(index))


def blame(timeline: Timeline, query: Mapping[str, str]) -> dict[str, Any]:
    """The entry that last changed the value at ``pointer``, up to entry ``index`` included
    (``null``: no event did, the mirror started with it), and that change."""
    index = _index_parameter(timeline, query)
    _pointer_parameter(query)
    try:
        found = timeline.blame(query["pointer"], upto=index).last
    except PointerError as bad:  # it names nothing, up to here
        raise BadQuery(f"pointer: {bad}") from None
    return {
        "index": index,
        "pointer": query["pointer"],
        "entry": None if found is None else timeline.entry(found.index).to_json(),
        "change": None if found is None else found.to_json(),
    }


def _index_parameter(timeline: Timeline, query: Mapping[str, str]) -> int:
    if "index" not in query:
        raise BadQuery("index: missing")
    return index_of(query["index"], timeline)


def _pointer_parameter(query: Mapping[str, str]) -> tuple[str, ...]:
    if "pointer" not in query:
        raise BadQuery("pointer: missing")
    return check_pointer(query["pointer"])


def check_pointer(text: str) -> tuple[str, ...]:
    """The keys of the JSON Pointer ``text`` (RFC 6901); :class:`BadQuery` if it is not one."""
    try:
        return parse_pointer(text)
    except PointerError as bad:
        raise BadQuery(f"pointer: {bad}") from None


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

"""A stand-in timeline for a handful of events: every mirror kept, nothing clever.

Only until the time-travel library is merged; it keeps the inspector's tests about the
inspector."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import attrs

import reducers
from eventmirror.inspect.queries import touches
from eventmirror.recording import iter_records
from reducers import Change, Mirror

_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@attrs.frozen
class FakeEntry:
    index: int
    line: int
    id: int | None
    type: str | None
    time: int | None
    marks: frozenset[str]
    entities: frozenset[str]


class FakeTimeline:
    def __init__(self, path: Path, me: str | None = None) -> None:
        self.mirrors: list[Mirror] = []
        self.entries: list[FakeEntry] = []
        mirror = reducers.empty(me)
        with path.open("rb") as stream:
            for record in iter_records(stream):
                before = mirror
                mirror = reducers.apply(mirror, record.data, line=record.line)
                self.mirrors.append(mirror)
                self.entries.append(self._entry(record.line, record.data, before, mirror))

    def _entry(self, line: int, data: bytes, before: Mirror, after: Mirror) -> FakeEntry:
        old, new = before.health, after.health
        marks = {
            mark
            for mark, grew in [
                ("gap", new.missing > old.missing),
                ("reset", new.reset_count > old.reset_count),
                ("duplicate", new.duplicates > old.duplicates),
                ("rejected", new.rejected > old.rejected),
                ("unknown", new.unknown > old.unknown),
                ("anomaly", new.inconsistent > old.inconsistent),
            ]
            if grew
        }
        ident: int | None = None
        kind: str | None = None
        time: int | None = None
        try:
            event = reducers.decode(data)
            ident, time = event.id, event.time
            kind = getattr(event, "event", type(event).__name__)
        except Exception:
            pass
        if "rejected" in marks:
            kind = None
        return FakeEntry(
            len(self.entries),
            line,
            ident,
            kind,
            time,
            frozenset(marks),
            frozenset(m.decode() for m in _UUID.findall(data)),
        )

    def mirror_at(self, index: int) -> Mirror:
        return self.mirrors[index]

    def changes_at(self, index: int) -> Sequence[Change]:
        before = self.mirrors[index - 1] if index else reducers.empty(self.mirrors[0].me)
        return reducers.diff(before, self.mirrors[index])

    def blame(self, pointer: str, index: int) -> FakeEntry | None:
        for position in range(index, -1, -1):
            if any(touches(c.path, pointer) for c in self.changes_at(position)):
                return self.entries[position]
        return None

"""A stand-in timeline for a handful of events: every mirror kept, nothing clever.

Only until the time-travel library is merged; it keeps the inspector's tests about the
inspector."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

import attrs

import reducers
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
    marks: tuple[str, ...]
    entities: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        document = {k: v for k, v in attrs.asdict(self).items() if v is not None}
        return {**document, "marks": list(self.marks), "entities": list(self.entities)}


@attrs.frozen
class FakeBlame:
    """``last`` stands in for the setter: it has the index and a JSON form too."""

    last: FakeEntry | None


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
        marks = [
            mark
            for mark, grew in [
                ("gap", new.missing > old.missing),
                ("reset", new.reset_count > old.reset_count),
                ("duplicate", new.duplicates > old.duplicates),
                ("rejected", new.rejected > old.rejected),
                ("unknown type", new.unknown > old.unknown),
                ("anomaly", new.inconsistent > old.inconsistent),
            ]
            if grew
        ]
        ident: int | None = None
        kind: str | None = None
        time: int | None = None
        try:
            event = reducers.decode(data)
            ident, time = event.id, event.time
            kind = getattr(event, "event", None) or getattr(event, "type", None)
        except Exception:
            pass
        entities = sorted({m.decode() for m in _UUID.findall(data)})
        return FakeEntry(len(self.entries), line, ident, kind, time, tuple(marks), tuple(entities))

    def __len__(self) -> int:
        return len(self.entries)

    def entry(self, index: int) -> FakeEntry:
        return self.entries[index]

    def types(self) -> list[str]:
        return sorted({e.type for e in self.entries if e.type})

    def select(
        self,
        *,
        type: str | None = None,
        entity: str | None = None,
        pointer: str | None = None,
        start: int = 0,
        stop: int | None = None,
        marked: bool = False,
    ) -> list[int]:
        def matches(e: FakeEntry) -> bool:
            return (
                (type is None or fnmatch.fnmatchcase(e.type or "", type))
                and (entity is None or entity in e.entities)
                and (not marked or bool(e.marks))
                and (pointer is None or self._touches(e.index, pointer))
            )

        return [e.index for e in self.entries[start:stop] if matches(e)]

    def mirror_after(self, index: int) -> Mirror:
        return self.mirrors[index]

    def changes_at(self, index: int) -> list[Change]:
        before = self.mirrors[index - 1] if index else reducers.empty(self.mirrors[0].me)
        return reducers.diff(before, self.mirrors[index])

    def _touches(self, index: int, pointer: str) -> bool:
        return any(
            c.path == pointer or pointer.startswith(c.path + "/") or c.path.startswith(pointer)
            for c in self.changes_at(index)
        )

    def blame(self, pointer: str, *, upto: int | None = None, history: bool = False) -> FakeBlame:
        for position in range(len(self) - 1 if upto is None else upto, -1, -1):
            if self._touches(position, pointer):
                return FakeBlame(self.entries[position])
        raise ValueError(f"{pointer} names nothing")

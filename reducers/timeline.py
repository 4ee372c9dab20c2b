"""Random access to a recording: every entry, and the mirror at any point, from checkpoints.

>>> timeline = Timeline.open("session.jsonl", me=my_uuid)          # one pass over the file
>>> timeline.entry(41)                   # index, line, id, type, time, marks, entities
>>> timeline.mirror_after(41)            # the mirror after entry 41 (from a checkpoint)
>>> timeline.changes_at(41)              # what entry 41 changed: reducers.diff, as paths
>>> timeline.blame("/objects/52a9…/description", upto=41)
>>> timeline.select(type="object_*", entity="52a9…", pointer="/objects/52a9…")

Opening reads the recording once with :func:`reducers.steps.applied` and keeps, every
``every`` records (K, default 1,000), the mirror at that point: a *checkpoint*. Mirrors are
persistent, so a checkpoint costs only what changed since the one before; the records
themselves are kept compressed, one block per checkpoint. The mirror after any record is
then its checkpoint with at most K - 1 records applied. :meth:`Timeline.memory` reports what
is kept.

A timeline can also be read a few records at a time, and asked meanwhile (from another
thread too): :meth:`Timeline.reading` starts one, :meth:`Timeline.feed` reads more, and
:meth:`Timeline.reading_progress` says how far it is. It answers for a *published* prefix,
extended at every checkpoint and at the end: exactly what :meth:`Timeline.open` over those
records would answer (the inspector serves its page this way while it reads).

Entries are kept as columns (line, id, time, type, marks), not as objects, and the entities
an event names as an index from each UUID to its entries; :meth:`Timeline.entry` builds an
:class:`Entry` on demand.

Indexes count records from 0 (every record is an entry: rejected lines, duplicates and
unknown events included); ``mirror_at(n)`` is the mirror after the first ``n`` records, so
``mirror_at(0)`` is the starting mirror and ``mirror_after(i) == mirror_at(i + 1)``.
"""

from __future__ import annotations

import fnmatch
import os
import zlib
from array import array
from collections.abc import Callable, Iterator
from contextlib import suppress
from itertools import accumulate, islice, pairwise
from typing import Any, Final

import attrs

from .apply import apply, collector_paused
from .blame import Blame, Setter, blame_steps
from .changes import named_strings, step_changes
from .diff import Change
from .mirror import Mirror, empty
from .pointer import missing_key, nodes, parse_pointer, resolve, shared
from .steps import Mark, Source, applied, facts_json, marks_of, read_record

__all__ = [
    "BYTES_PER_EVENT_KEPT",
    "DEFAULT_EVERY",
    "Entry",
    "IdNotFound",
    "Memory",
    "Reading",
    "Timeline",
]

#: Records between two checkpoints, unless told otherwise.
DEFAULT_EVERY: Final = 1000
#: What keeping the mirror after one event adds, measured on the benchmark recording
#: (docs/performance.md): a checkpoint every K events keeps at most K times this.
BYTES_PER_EVENT_KEPT: Final = 1500
_NO_NUMBER: Final = -1
_PROGRESS_EVERY: Final = 4096


class IdNotFound(KeyError):
    """An event id that no record of the timeline carries."""

    def __str__(self) -> str:
        return str(self.args[0])


@attrs.frozen
class Entry:
    """One record of the timeline: ``id``, ``type`` and ``time`` are None where the record
    does not say; ``marks`` says what the stream made of it (:class:`~reducers.steps.Mark`),
    ``reason`` why it was rejected, ``gap`` the ids missing before it."""

    index: int
    line: int
    id: int | None
    type: str | None
    time: int | None
    marks: Mark
    entities: tuple[str, ...]
    reason: str | None = None
    gap: tuple[int, int] | None = None

    def to_json(self) -> dict[str, Any]:
        """The entry as JSON values; absent fields left out, marks by name."""
        return facts_json(self)


@attrs.frozen
class Reading:
    """How far a timeline has read its recording: ``records`` read, ``published`` of them
    answerable (a whole number of blocks of ``every`` records, all of them once ``done``),
    and the bytes of the records read (their text and a line end each) of ``bytes_total``
    (the file's size; None when the source is not a file)."""

    records: int
    published: int
    bytes_read: int
    bytes_total: int | None
    done: bool

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class Memory:
    """What a timeline keeps, in bytes: the records (compressed), the entry columns and the
    entity index (both exact, as allocated), and the checkpoints (an estimate: at most
    ``every`` times what keeping one event's mirror adds, :data:`BYTES_PER_EVENT_KEPT`)."""

    records: int
    checkpoints: int
    every: int
    entries: int
    records_bytes: int
    columns_bytes: int
    entity_index_bytes: int
    checkpoint_bytes_estimate: int

    @property
    def total_estimate(self) -> int:
        kept = self.records_bytes + self.columns_bytes + self.entity_index_bytes
        return kept + self.checkpoints * self.checkpoint_bytes_estimate


class Timeline:
    """A recording opened for random access; build one with :meth:`open`."""

    def __init__(self, start: Mirror, every: int) -> None:
        if every < 1:
            raise ValueError(f"checkpoints need every >= 1 records, got {every}")
        self.every = every
        self._checkpoints: list[Mirror] = [start]
        self._blocks: list[tuple[bytes, array[int]]] = []
        self._pending: list[bytes] = []
        self._lines, self._ids, self._times = array("q"), array("q"), array("q")
        self._types, self._marks = array("H"), array("H")
        self._type_names: list[str] = []
        self._type_codes: dict[str, int] = {}
        self._details: dict[int, tuple[str | None, tuple[int, int] | None]] = {}
        self._by_entity: dict[str, array[int]] = {}
        self._first_of_id: dict[int, int] = {}
        self._cached_block: tuple[int, bytes, list[int]] | None = None
        self._last = start
        # What readers see, replaced whole (one assignment, so another thread reading while
        # this one builds sees a consistent prefix): records answerable, the mirror after
        # them, and how many event types they name.
        self._view: tuple[int, Mirror, int] = (0, start, 0)
        self._steps: Iterator[tuple[int, int, Any, Mirror, Mirror]] | None = None
        self._stopped = False
        self._records_read = 0
        self._bytes_read = 0
        self._bytes_total: int | None = None

    @classmethod
    def open(
        cls,
        source: Source,
        *,
        every: int = DEFAULT_EVERY,
        me: str | None = None,
        mirror: Mirror | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Timeline:
        """Read ``source`` (a path, an open file or events, as :func:`reducers.steps.steps`)
        once, keeping a checkpoint every ``every`` records; ``progress`` is called with the
        number of records read, every few thousand records and at the end."""
        timeline = cls.reading(source, every=every, me=me, mirror=mirror)
        while timeline.feed(_PROGRESS_EVERY):
            if progress is not None:
                progress(timeline._records_read)
        if progress is not None:
            progress(timeline._records_read)
        return timeline

    @classmethod
    def reading(
        cls,
        source: Source,
        *,
        every: int = DEFAULT_EVERY,
        me: str | None = None,
        mirror: Mirror | None = None,
    ) -> Timeline:
        """A timeline that has read nothing of ``source`` yet: :meth:`feed` reads it a few
        records at a time, and meanwhile (from another thread too) the timeline answers for
        the prefix published so far (:meth:`reading_progress`), exactly as :meth:`open` over
        those records would."""
        timeline = cls(mirror if mirror is not None else empty(me), every)
        timeline._steps = applied(source, timeline._checkpoints[0])
        if isinstance(source, str | os.PathLike):
            with suppress(OSError):  # reading it says what is wrong, as it always did
                timeline._bytes_total = os.path.getsize(source)
        return timeline

    def feed(self, records: int) -> bool:
        """Read up to ``records`` more records; False once the whole recording is read (and
        published). A prefix is published at every checkpoint and at the end (or when reading
        fails: the error is raised, and the records read before it are published)."""
        steps = self._steps
        if steps is None:
            return False
        added = 0
        try:
            for step in islice(steps, records):
                self._add(*step)
                added += 1
        except BaseException:
            self._stopped = True  # what was read stays answerable; the error goes on up
            self._finish()
            raise
        if added == records:
            return True
        self._finish()
        return False

    def _finish(self) -> None:
        self._seal()
        self._view = (len(self._lines), self._last, len(self._type_names))
        self._steps = None  # done only once all is published: a reader sees done, then all

    def reading_progress(self) -> Reading:
        """How far :meth:`feed` has read (see :class:`Reading`); a reading stopped by an
        error is not done, and everything it read is published."""
        done = self._steps is None and not self._stopped
        total = self._bytes_total
        read = self._bytes_read if total is None or done else min(self._bytes_read, total)
        return Reading(
            records=self._records_read,
            published=len(self),
            bytes_read=total if done and total is not None else read,
            bytes_total=total,
            done=done,
        )

    @property
    def final(self) -> Mirror:
        """The mirror after the last record published."""
        return self._view[1]

    def _add(self, index: int, line: int, data: Any, before: Mirror, after: Mirror) -> None:
        if index and index % self.every == 0:
            self._seal()
            self._checkpoints.append(before)
            self._view = (index, before, len(self._type_names))
        text = data if type(data) is bytes else _text(data)
        self._pending.append(text)
        self._records_read = index + 1
        self._bytes_read += len(text) + 1
        event_id, event_type, time, entities, reason = read_record(text)
        marks, gap = 0, None  # a plain int: building a Mark for every record costs a tenth
        if before.health is not after.health:
            flags, gap, why = marks_of(before.health, after.health, before.last_id, event_id)
            marks, reason = int(flags), why or reason
        if reason is not None or gap is not None:
            self._details[index] = (reason, gap)
        self._lines.append(line)
        self._ids.append(_NO_NUMBER if event_id is None else event_id)
        self._times.append(_NO_NUMBER if time is None else time)
        code = 0 if event_type is None else self._type_codes.get(event_type)
        self._types.append(self._code(event_type) if code is None else code)
        self._marks.append(marks)
        if event_id is not None:
            self._first_of_id.setdefault(event_id, index)
        for uuid in entities:
            found = self._by_entity.get(uuid)
            if found is None:
                found = self._by_entity[uuid] = array("I")
            found.append(index)
        self._last = after

    def _code(self, event_type: str | None) -> int:
        if event_type is None:
            return 0
        code = self._type_codes.get(event_type)
        if code is None:
            self._type_names.append(event_type)
            code = self._type_codes[event_type] = len(self._type_names)
        return code

    def _seal(self) -> None:
        """Compress the records read since the last checkpoint into one block."""
        if self._pending or not self._blocks:
            lengths = array("I", map(len, self._pending))
            self._blocks.append((zlib.compress(b"".join(self._pending), 1), lengths))
            self._pending = []

    # --- entries ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._view[0]

    def entry(self, index: int) -> Entry:
        """The entry of record ``index`` (0-based); ``IndexError`` past the end."""
        index = self._checked(index)
        event_id, time, code = self._ids[index], self._times[index], self._types[index]
        reason, gap = self._details.get(index, (None, None))
        return Entry(
            index=index,
            line=self._lines[index],
            id=None if event_id == _NO_NUMBER else event_id,
            type=self._type_names[code - 1] if code else None,
            time=None if time == _NO_NUMBER else time,
            marks=Mark(self._marks[index]),
            entities=read_record(self.record(index))[3],
            reason=reason,
            gap=gap,
        )

    def entries(self, start: int = 0, stop: int | None = None) -> Iterator[Entry]:
        """The entries from ``start`` up to (not including) ``stop``."""
        for index in range(max(start, 0), min(len(self), stop if stop is not None else len(self))):
            yield self.entry(index)

    def record(self, index: int) -> bytes:
        """The record's text, as read."""
        index = self._checked(index)
        text, offsets = self._block(index // self.every)
        position = index % self.every
        return text[offsets[position] : offsets[position + 1]]

    def _block(self, number: int) -> tuple[bytes, list[int]]:
        """A block of records, decompressed (the last one is kept: replays read a block
        record by record)."""
        cached = self._cached_block
        if cached is not None and cached[0] == number:
            return cached[1], cached[2]
        blob, lengths = self._blocks[number]
        text, offsets = zlib.decompress(blob), [0, *accumulate(lengths)]
        self._cached_block = (number, text, offsets)
        return text, offsets

    def types(self) -> list[str]:
        """The event types the recording holds, sorted."""
        return sorted(self._type_names[: self._view[2]])

    def index_of_id(self, event_id: int) -> int:
        """The index of the first record with id ``event_id``; :class:`IdNotFound` if none
        (the message says where the recording's ids start and end)."""
        found = self._first_of_id.get(event_id)
        if found is None or found >= len(self):
            ids = [value for value in self._ids[: len(self)] if value != _NO_NUMBER]
            span = f"its ids run from {min(ids)} to {max(ids)}" if ids else "it has no ids"
            raise IdNotFound(f"id {event_id} is not in the recording ({span})")
        return found

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
        """The indexes of the entries that match every filter given: ``type`` a glob on the
        event type (``object_*``), ``entity`` a UUID the event names, ``pointer`` a path the
        event changed (as :meth:`blame` finds it), ``marked`` any mark set. A pointer that
        is not one, or names nothing at any point, raises
        :class:`~reducers.pointer.PointerError` (its message suggests the nearest key)."""
        stop = len(self) if stop is None else min(stop, len(self))
        if entity is not None:
            candidates: Any = [i for i in self._by_entity.get(entity, ()) if start <= i < stop]
        else:
            candidates = range(max(start, 0), stop)
        if type is not None:
            codes = {code for code, name in enumerate(self._type_names, 1)
                     if fnmatch.fnmatchcase(name, type)}  # fmt: skip
            candidates = [i for i in candidates if self._types[i] in codes]
        if marked:
            candidates = [i for i in candidates if self._marks[i]]
        if pointer is not None:
            changed = {
                setter.index
                for setter in self.blame(pointer, upto=stop - 1, history=True).history
                if setter.index >= start
            }
            candidates = [i for i in candidates if i in changed]
        return list(candidates)

    # --- mirrors ---------------------------------------------------------------------------

    def mirror_at(self, count: int) -> Mirror:
        """The mirror after the first ``count`` records (0: the starting mirror)."""
        published, final, _ = self._view
        if not 0 <= count <= published:
            raise IndexError(f"{count} records: the timeline has {published}")
        if count == published:
            return final
        block = count // self.every
        mirror = self._checkpoints[block]
        first = block * self.every
        if count > first:
            with collector_paused():
                for index in range(first, count):
                    mirror = apply(mirror, self.record(index), line=self._lines[index])
        return mirror

    def mirror_after(self, index: int) -> Mirror:
        """The mirror after entry ``index``."""
        return self.mirror_at(self._checked(index) + 1)

    def mirror_before(self, index: int) -> Mirror:
        """The mirror before entry ``index``."""
        return self.mirror_at(self._checked(index))

    def changes_at(self, index: int) -> list[Change]:
        """What entry ``index`` changed in the mirror: ``reducers.diff`` between the mirror
        before and after it (paths are JSON Pointers)."""
        before = self.mirror_before(index)
        text = self.record(index)
        after = apply(before, text, line=self._lines[index])
        code = self._types[index]
        event_type = self._type_names[code - 1] if code else None
        return step_changes(before, after, event_type, named_strings(text))

    def blame(self, pointer: str, *, upto: int | None = None, history: bool = False) -> Blame:
        """Which entry last changed the value at ``pointer`` (up to and including entry
        ``upto``, default the last), and with ``history`` every entry that changed it, in
        order. Checkpoints whose walks to the path share a persistent part are skipped
        unread; only the blocks where the value changed are replayed."""
        keys = parse_pointer(pointer)
        end = len(self) if upto is None else self._checked(upto) + 1
        bounds = [*range(0, end, self.every), end]
        ends = [self.mirror_at(bound) for bound in bounds]
        walks = [nodes(mirror, keys) for mirror in ends]
        blocks = [
            (first, last, walks[position], walks[position + 1])
            for position, (first, last) in enumerate(pairwise(bounds))
        ]
        found: list[Setter] = []
        for first, last, walk_before, walk_after in reversed(blocks):
            if first == last or shared(walk_before, walk_after):
                continue
            in_block = self._replay_blame(keys, first, last)
            found[:0] = in_block
            if found and not history:
                break
        value = resolve(ends[-1], keys)
        never_there = not found and len(walks[0]) <= len(keys) and len(walks[-1]) <= len(keys)
        if never_there and (end == len(self) or not self.blame(pointer, history=True).history):
            raise missing_key(ends[-1], keys)  # not there at any point: nothing to blame
        last_setter = found[-1] if found else None
        return Blame(pointer, value, last_setter, tuple(found) if history else ())

    def _replay_blame(self, keys: tuple[str, ...], first: int, last: int) -> list[Setter]:
        return list(blame_steps(keys, self._applied(first, last)))

    def _applied(self, first: int, last: int) -> Iterator[tuple[int, int, Any, Mirror, Mirror]]:
        """Records ``first`` up to ``last`` applied again, as :func:`~reducers.steps.applied`
        gives them."""
        mirror = self.mirror_at(first)
        with collector_paused():
            for index in range(first, last):
                text, line = self.record(index), self._lines[index]
                after = apply(mirror, text, line=line)
                yield index, line, text, mirror, after
                mirror = after

    def memory(self) -> Memory:
        """What the timeline keeps (see :class:`Memory`)."""
        columns = (self._lines, self._ids, self._times, self._types, self._marks)
        return Memory(
            records=len(self),
            checkpoints=len(self._checkpoints),
            every=self.every,
            entries=len(self),
            records_bytes=sum(
                len(blob) + lengths.itemsize * len(lengths) for blob, lengths in self._blocks
            ),
            columns_bytes=sum(column.itemsize * len(column) for column in columns),
            entity_index_bytes=sum(
                len(uuid) + found.itemsize * len(found)
                for uuid, found in list(self._by_entity.items())
            ),
            checkpoint_bytes_estimate=self.every * BYTES_PER_EVENT_KEPT,
        )

    def _checked(self, index: int) -> int:
        if not 0 <= index < len(self):
            raise IndexError(f"entry {index}: the timeline has entries 0..{len(self) - 1}")
        return index


def _text(data: Any) -> bytes:
    from .steps import _as_bytes

    return _as_bytes(data)

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

This module answers the questions; two helpers keep what the answers come from. Reading,
checkpoints and publishing are a :class:`~reducers._timeline_reader.TimelineReader`
(``reducers/_timeline_reader.py``); each record's text and entry are a
:class:`~reducers._records.RecordStore` (``reducers/_records.py``), which keeps entries as
columns, not as objects: :meth:`Timeline.entry` builds an :class:`Entry` on demand.

Indexes count records from 0 (every record is an entry: rejected lines, duplicates and
unknown events included); ``mirror_at(n)`` is the mirror after the first ``n`` records, so
``mirror_at(0)`` is the starting mirror and ``mirror_after(i) == mirror_at(i + 1)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import pairwise
from typing import Any, Final

import attrs

from ._records import Entry, IdNotFound
from ._timeline_reader import Reading, TimelineReader
from .apply import apply, collector_paused
from .blame import Blame, Setter, blame_steps
from .changes import named_strings, step_changes
from .diff import Change
from .mirror import Mirror, empty
from .pointer import missing_key, nodes, parse_pointer, resolve, shared
from .steps import Source

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
_PROGRESS_EVERY: Final = 4096


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
        self._reader = TimelineReader(start, every)
        # The reader only appends to these; what is answerable is its published view.
        self._checkpoints, self._records = self._reader.checkpoints, self._reader.records

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
                progress(timeline._reader.records_read)
        if progress is not None:
            progress(timeline._reader.records_read)
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
        timeline._reader.start(source)
        return timeline

    def feed(self, records: int) -> bool:
        """Read up to ``records`` more records; False once the whole recording is read (and
        published). A prefix is published at every checkpoint and at the end (or when reading
        fails: the error is raised, and the records read before it are published)."""
        return self._reader.feed(records)

    def reading_progress(self) -> Reading:
        """How far :meth:`feed` has read (see :class:`Reading`); a reading stopped by an
        error is not done, and everything it read is published."""
        return self._reader.progress()

    @property
    def final(self) -> Mirror:
        """The mirror after the last record published."""
        return self._reader.view[1]

    # --- entries ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._reader.view[0]

    def entry(self, index: int) -> Entry:
        """The entry of record ``index`` (0-based); ``IndexError`` past the end."""
        return self._records.entry(self._checked(index))

    def entries(self, start: int = 0, stop: int | None = None) -> Iterator[Entry]:
        """The entries from ``start`` up to (not including) ``stop``."""
        for index in range(max(start, 0), min(len(self), stop if stop is not None else len(self))):
            yield self.entry(index)

    def record(self, index: int) -> bytes:
        """The record's text, as read."""
        return self._records.record(self._checked(index))

    def types(self) -> list[str]:
        """The event types the recording holds, sorted."""
        return self._records.types(self._reader.view[2])

    def index_of_id(self, event_id: int) -> int:
        """The index of the first record with id ``event_id``; :class:`IdNotFound` if none
        (the message says where the recording's ids start and end)."""
        return self._records.index_of_id(event_id, len(self))

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
        candidates = self._records.select(start, stop, type=type, entity=entity, marked=marked)
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
        published, final, _ = self._reader.view
        if not 0 <= count <= published:
            raise IndexError(f"{count} records: the timeline has {published}")
        if count == published:
            return final
        block = count // self.every
        mirror = self._checkpoints[block]
        first = block * self.every
        if count > first:
            records = self._records
            with collector_paused():
                for index in range(first, count):
                    mirror = apply(mirror, records.record(index), line=records.line(index))
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
        after = apply(before, text, line=self._records.line(index))
        event_type = self._records.type_of(index)
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
        records = self._records
        with collector_paused():
            for index in range(first, last):
                text, line = records.record(index), records.line(index)
                after = apply(mirror, text, line=line)
                yield index, line, text, mirror, after
                mirror = after

    def memory(self) -> Memory:
        """What the timeline keeps (see :class:`Memory`)."""
        records = self._records
        return Memory(
            records=len(self),
            checkpoints=len(self._checkpoints),
            every=self.every,
            entries=len(self),
            records_bytes=records.records_bytes(),
            columns_bytes=records.columns_bytes(),
            entity_index_bytes=records.entity_index_bytes(),
            checkpoint_bytes_estimate=self.every * BYTES_PER_EVENT_KEPT,
        )

    def _checked(self, index: int) -> int:
        if not 0 <= index < len(self):
            raise IndexError(f"entry {index}: the timeline has entries 0..{len(self) - 1}")
        return index

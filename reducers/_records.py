"""What a timeline keeps of each record: its text, compressed, and its entry as columns.

A :class:`~reducers.timeline.Timeline` holds one :class:`RecordStore`. The store knows
nothing of mirrors or checkpoints; the timeline reads the recording, works out each record's
marks from the mirrors before and after it, hands the store the facts, and says when a block
of records is complete (at each checkpoint, so a checkpoint's records are one block).

The texts are kept as zlib blocks, one per checkpoint, because a timeline is meant for
recordings too large to keep as text: replaying from a checkpoint reads one block, record
by record, so the block read last is kept decompressed. The entries are kept as columns
(line, id, time, type, marks) in ``array``\\ s rather than as objects, because an object per
record costs several times its facts; the entities an event names are an index from each
UUID to its entries, and :meth:`RecordStore.entry` builds an :class:`Entry` on demand.

Only appending changes the store, and another thread may read it meanwhile: the timeline
publishes how many records are answerable, and everything below that count is complete.
"""

from __future__ import annotations

import fnmatch
import zlib
from array import array
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any, Final

import attrs

from .steps import Mark, facts_json, read_record

__all__ = ["Entry", "IdNotFound", "RecordStore"]

#: An id or time the record does not give, in a column of integers.
_NO_NUMBER: Final = -1


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


class RecordStore:
    """A timeline's records in the order read, in blocks of ``per_block`` records.

    Indexes are not checked here: the timeline checks them against what it has published.
    """

    def __init__(self, per_block: int) -> None:
        self.per_block = per_block
        self._blocks: list[tuple[bytes, array[int]]] = []
        self._pending: list[bytes] = []
        self._cached_block: tuple[int, bytes, list[int]] | None = None
        self._lines, self._ids, self._times = array("q"), array("q"), array("q")
        self._types, self._marks = array("H"), array("H")
        # Event types as small codes (0: none), in the order first met: the number of names
        # is what the timeline publishes, so a reader sees only types of published records.
        self._type_names: list[str] = []
        self._type_codes: dict[str, int] = {}
        self._details: dict[int, tuple[str | None, tuple[int, int] | None]] = {}
        self._by_entity: dict[str, array[int]] = {}
        self._first_of_id: dict[int, int] = {}

    # --- appending (the reading thread) ------------------------------------------------------

    def add(
        self,
        line: int,
        text: bytes,
        event_id: int | None,
        event_type: str | None,
        time: int | None,
        entities: Iterable[str],
        marks: int,
        reason: str | None,
        gap: tuple[int, int] | None,
    ) -> None:
        """Keep the next record: its text, and its facts as :func:`~reducers.steps.read_record`
        and :func:`~reducers.steps.marks_of` give them (``marks`` a plain int: building a
        :class:`~reducers.steps.Mark` for every record costs a tenth of reading)."""
        index = len(self._lines)
        self._pending.append(text)
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

    def _code(self, event_type: str | None) -> int:
        if event_type is None:
            return 0
        code = self._type_codes.get(event_type)
        if code is None:
            self._type_names.append(event_type)
            code = self._type_codes[event_type] = len(self._type_names)
        return code

    def seal(self) -> None:
        """Compress the records added since the last seal into one block (the timeline seals
        every ``per_block`` records and at the end; there is always at least one block)."""
        if self._pending or not self._blocks:
            lengths = array("I", map(len, self._pending))
            self._blocks.append((zlib.compress(b"".join(self._pending), 1), lengths))
            self._pending = []

    def __len__(self) -> int:
        """The records added, published or not."""
        return len(self._lines)

    @property
    def type_count(self) -> int:
        """How many event types the records added name."""
        return len(self._type_names)

    # --- reading (any thread, below what the timeline published) -----------------------------

    def record(self, index: int) -> bytes:
        """The record's text, as read (its block must be sealed)."""
        text, offsets = self._block(index // self.per_block)
        position = index % self.per_block
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

    def line(self, index: int) -> int:
        """The line of the recording the record starts on."""
        return self._lines[index]

    def type_of(self, index: int) -> str | None:
        """The record's event type; None where it does not say."""
        code = self._types[index]
        return self._type_names[code - 1] if code else None

    def entry(self, index: int) -> Entry:
        """The entry of record ``index``."""
        event_id, time = self._ids[index], self._times[index]
        reason, gap = self._details.get(index, (None, None))
        return Entry(
            index=index,
            line=self._lines[index],
            id=None if event_id == _NO_NUMBER else event_id,
            type=self.type_of(index),
            time=None if time == _NO_NUMBER else time,
            marks=Mark(self._marks[index]),
            entities=read_record(self.record(index))[3],
            reason=reason,
            gap=gap,
        )

    def types(self, count: int) -> list[str]:
        """The first ``count`` event types met, sorted."""
        return sorted(self._type_names[:count])

    def index_of_id(self, event_id: int, published: int) -> int:
        """The index of the first of the ``published`` records with id ``event_id``;
        :class:`IdNotFound` if none (the message says where the recording's ids start and
        end)."""
        found = self._first_of_id.get(event_id)
        if found is None or found >= published:
            ids = [value for value in self._ids[:published] if value != _NO_NUMBER]
            span = f"its ids run from {min(ids)} to {max(ids)}" if ids else "it has no ids"
            raise IdNotFound(f"id {event_id} is not in the recording ({span})")
        return found

    def select(
        self, start: int, stop: int, *, type: str | None, entity: str | None, marked: bool
    ) -> Sequence[int]:
        """The indexes from ``start`` up to ``stop`` whose entries match every filter given:
        ``type`` a glob on the event type, ``entity`` a UUID the event names, ``marked`` any
        mark set."""
        if entity is not None:
            candidates: Sequence[int] = [
                i for i in self._by_entity.get(entity, ()) if start <= i < stop
            ]
        else:
            candidates = range(max(start, 0), stop)
        if type is not None:
            codes = {code for code, name in enumerate(self._type_names, 1)
                     if fnmatch.fnmatchcase(name, type)}  # fmt: skip
            candidates = [i for i in candidates if self._types[i] in codes]
        if marked:
            candidates = [i for i in candidates if self._marks[i]]
        return candidates

    # --- what is kept ------------------------------------------------------------------------

    def records_bytes(self) -> int:
        """The compressed blocks and their records' lengths."""
        return sum(len(blob) + lengths.itemsize * len(lengths) for blob, lengths in self._blocks)

    def columns_bytes(self) -> int:
        """The entry columns, as allocated."""
        columns = (self._lines, self._ids, self._times, self._types, self._marks)
        return sum(column.itemsize * len(column) for column in columns)

    def entity_index_bytes(self) -> int:
        """The index from each UUID to its entries."""
        return sum(
            len(uuid) + found.itemsize * len(found) for uuid, found in list(self._by_entity.items())
        )

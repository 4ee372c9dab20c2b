"""A recording record by record, each with what it changed, at about the cost of a fold.

>>> def show(record: TracedRecord) -> None:
...     print(record.id, record.type, record.changes())
>>> reducers.trace("session.jsonl", show, me=my_uuid)

:func:`reducers.steps` gives each record with the mirrors before and after it; it applies
records with :func:`reducers.apply`, a new mirror each, at three times a fold's cost, and what
a record changed must then be found by comparing the two. :func:`trace` folds the recording
as :func:`reducers.fold` does, in place, with drafts that record what each record touches
(:mod:`reducers._journal`), and calls ``each`` with a :class:`TracedRecord` per record: the
facts a :class:`~reducers.Step` gives, :meth:`~TracedRecord.changes` (exactly
``reducers.diff`` of the mirrors before and after it, found from what it touched) and
:meth:`~TracedRecord.describe`. A record the fold hands to :func:`reducers.apply` (a gap, a
reset, a rejected line, ...) is compared the way :func:`reducers.changes.step_changes` does.

A record is valid only during the call: the fold goes on editing the mirror it reads. ``each``
returns True to stop the trace there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from typing import Any, Final

import msgspec

from eventmirror.recording import open_recording

from ._fold import fold
from ._journal import ABSENT, Before, Journal, RecordingDraft, RecordingSlice
from ._reading import Numbered, Readable
from ._watch import Watch
from .changes import NamedStrings, named_strings, recorded_changes, step_changes
from .describe import FILES_IN, READS, description, name_of
from .diff import Change
from .mirror import Mirror, empty
from .steps import Mark, Source, entities_of, marks_of, read_record

__all__ = ["TracedRecord", "trace"]

_NO_MARKS: Final = Mark(0)
_MISSING: Final = object()


class TracedRecord:
    """One record of a trace: what a :class:`~reducers.Step` says of it (``index``, ``line``,
    ``id``, ``type``, ``time``, ``entities``, ``marks``, ``reason``, ``gap``), what it
    changed (:meth:`changes`) and what entities are called (:meth:`describe`)."""

    __slots__ = (
        "_changes",
        "_tracer",
        "describe",
        "entities",
        "gap",
        "id",
        "index",
        "line",
        "marks",
        "reason",
        "time",
        "type",
    )

    def __init__(self, tracer: _Tracer, index: int, line: int, facts: Any) -> None:
        self._tracer = tracer
        self._changes: list[Change] | None = None
        #: ``describe(uuid, files=False)``: what the mirror after this record calls ``uuid``,
        #: or the mirror before it when the record removed it (:func:`reducers.describe.
        #: describe`); ``files``: look among files too. (The tracer's own: it keeps them.)
        self.describe: Callable[..., str | None] = tracer.describe
        self.index, self.line = index, line
        self.id, self.type, self.time, self.entities, self.reason = facts
        self.marks: Mark = _NO_MARKS
        self.gap: tuple[int, int] | None = None

    def changes(self) -> list[Change]:
        """``reducers.diff`` of the mirrors before and after this record."""
        if self._changes is None:
            if self._tracer.current is not self:
                raise RuntimeError(
                    "a traced record's changes are found during its call to each (the fold "
                    "goes on editing the mirror afterwards): call changes() there"
                )
            self._changes = self._tracer.changes(self.type)
        return self._changes


class _Stop(Exception):
    """``each`` asked to stop."""


def trace(
    source: Source,
    each: Callable[[TracedRecord], bool | None],
    mirror: Mirror | None = None,
    *,
    me: str | None = None,
) -> Mirror | None:
    """Fold ``source`` (as :func:`reducers.steps` reads it) from ``mirror`` (a new one for
    user ``me`` unless one is given), calling ``each`` with every record once it is applied.
    Returns the final mirror, or None when ``each`` stopped the trace."""
    tracer = _Tracer(each)
    start = mirror if mirror is not None else empty(me)
    with ExitStack() as resources:
        records: Iterable[Any] | Readable
        if isinstance(source, str | os.PathLike):
            records = Numbered(resources.enter_context(open_recording(source)))
        elif isinstance(source, Readable):
            records = Numbered(source)
        elif isinstance(source, bytes):
            raise TypeError("trace takes a path, an open file or events, not bytes")
        else:
            records = _Listed(source)
        try:
            return fold(records, start, watch=Watch(tracer=tracer))
        except _Stop:
            return None


class _Listed(Numbered):
    """Events given as an iterable, each with its number (from 1) as its line, as
    :func:`reducers.steps` numbers them, so that an anomaly names it."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[Any]) -> None:  # not a stream: nothing else to set
        self._items = items
        self.line = None

    def __iter__(self) -> Iterator[Any]:
        for number, item in enumerate(self._items, start=1):
            self.line = number
            yield item


class _Tracer:
    """What :func:`reducers.fold` calls for each record (:class:`reducers._watch.Tracer`)."""

    def __init__(self, each: Callable[[TracedRecord], bool | None]) -> None:
        self.each = each
        self.journal = Journal()
        self.drafts: set[str] = set()
        self.index = -1
        self.pending: tuple[Any, int, Mirror, Any, int | None] | None = None
        self.after: Mirror = empty()
        self.before: Mirror = self.after
        self.item: Any = None
        #: The record being reported, while ``each`` has it.
        self.current: TracedRecord | None = None
        #: Descriptions in the mirror after the record: by UUID, and among files.
        self.named: dict[str, str | None] = {}
        self.named_files: dict[str, str | None] = {}
        #: The entities whose name the record changed (None: any may have), and whether it
        #: added, removed or rebuilt a volume.
        self.renamed: set[str] | None = set()
        self.files_changed = False

    def start(self, mirror: Mirror, drafts: set[str]) -> Mirror:
        private: Mirror = mirror.__copy__()  # type: ignore[attr-defined]
        self.drafts = drafts
        self.journal.draft_all(private, drafts)
        return private

    def record(self, mirror: Mirror, previous: Any, item: Any, line: int | None) -> None:
        if self.pending is not None:
            self._report(mirror, previous)
        self.index += 1
        where = line if line is not None else self.index + 1
        self.pending = (item, where, mirror, mirror.health, mirror.last_id)

    def finish(self, mirror: Mirror, previous: Any) -> None:
        if self.pending is not None:
            self._report(mirror, previous)
            self.pending = None

    def _report(self, after: Mirror, previous: Any) -> None:
        assert self.pending is not None
        item, line, before, health, last_id = self.pending
        self.after, self.before, self.item = after, before, item
        if previous is item:  # the fold did not decode it: read it as steps does
            facts = read_record(item)
        else:
            entities = entities_of(previous)
            facts = (previous.id, previous.event, previous.time, entities, None)
        record = TracedRecord(self, self.index, line, facts)
        if after.health is not health:
            marks, gap, why = marks_of(health, after.health, last_id, record.id)
            record.marks, record.gap = marks, gap
            record.reason = why or record.reason
        self._forget_names()
        self.current = record
        try:
            stop = self.each(record)
        finally:
            self.current = None
            self.journal.clear()
        if not self.drafts:  # the fold made every draft persistent for ``apply``
            self.journal.draft_all(after, self.drafts)
        if stop:
            raise _Stop

    def changes(self, event_type: str | None) -> list[Change]:
        after, before, touched = self.after, self.before, self.journal.touched
        if after is before or touched:  # folded in place: the drafts know what changed
            return recorded_changes(touched, after, NamedStrings(self.item))
        return step_changes(before, after, event_type, named_strings(self.item))

    # --- descriptions ---------------------------------------------------------------------

    def _forget_names(self) -> None:
        """Forget the descriptions the record may have changed: those of the entities whose
        name (:func:`~reducers.describe.name_of`) it changed; keep the others."""
        self.files_changed = False
        if self.after is not self.before and not self.journal.touched:
            self.named.clear()  # applied as a whole: anything may have changed
            self.named_files.clear()
            self.renamed = None
            return
        renamed: set[str] = set()
        for draft in self.journal.touched:
            slice = draft.slice
            if draft.owner is None and slice in READS:
                for key, old in draft.before.items():
                    if _name(slice, old) != _name(slice, draft.get(key, ABSENT)):
                        renamed.add(key)
                        self.named.pop(key, None)
                        self.named_files.pop(key, None)
            elif draft.owner is None and slice == FILES_IN:  # a volume came, went or was rebuilt
                for key, old in draft.before.items():
                    new = draft.get(key, ABSENT)
                    if old is ABSENT or new is ABSENT or old.files is not new.files:
                        self.files_changed = True
                        self.named_files.clear()
            elif slice == FILES_IN:  # the files of a volume (its derived index is not recorded)
                for key, old in draft.before.items():
                    if _name(slice, old) != _name(slice, draft.get(key, ABSENT)):
                        renamed.add(key)
                        self.named_files.pop(key, None)
        self.renamed = renamed

    def describe(self, uuid: str, files: bool = False) -> str | None:
        known = self.named_files if files else self.named
        found = known.get(uuid, _MISSING)
        if found is _MISSING:
            found = known[uuid] = description(uuid, self.after, files)
        if found:
            return found  # type: ignore[return-value]
        renamed = self.renamed
        if renamed is None:
            return description(uuid, self.before, files)
        if uuid in renamed or (files and self.files_changed):  # its name before may differ
            return description(uuid, _BeforeSlices(self.after, self.journal.touched), files)
        return None


def _name(slice: str, entity: Any) -> Any:
    return None if entity is ABSENT else name_of(slice, entity)


class _BeforeSlices:
    """The slices of fold's private mirror as they stood before the record (``touched``: the
    drafts it touched, which hold the values before)."""

    __slots__ = ("_after", "_touched")

    def __init__(self, after: Mirror, touched: list[RecordingDraft]) -> None:
        self._after = after
        self._touched = touched

    def __getattr__(self, name: str) -> Any:
        for draft in self._touched:
            if draft.slice == name and type(draft) is RecordingSlice:
                return Before(draft)
        value = getattr(self._after, name)
        if isinstance(value, msgspec.Struct):  # a slice of parts: the one recorded
            parts = msgspec.structs.astuple(value)
            value = next((part for part in parts if type(part) is RecordingSlice), value)
        return Before(value) if type(value) is RecordingSlice else value

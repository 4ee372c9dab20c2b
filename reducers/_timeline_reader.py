"""How a timeline reads its recording: a few records at a time, publishing as it goes.

A :class:`~reducers.timeline.Timeline` answers questions; the :class:`TimelineReader` it
holds fills what those answers come from: the checkpoints (the mirror every ``every``
records), the :class:`~reducers._records.RecordStore` (each record's text and entry, with
its marks worked out from the mirrors before and after it), and the *published* view.

Reading may run in one thread while another asks the timeline (the inspector serves its
page while it reads), so what a reader may see is one tuple, replaced whole at every
checkpoint and at the end: the records answerable, the mirror after them and how many
event types they name. Everything below that count is complete (its block sealed, its
checkpoint kept) before the tuple is replaced, so the timeline answers for a prefix exactly
as :meth:`~reducers.timeline.Timeline.open` over those records would.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import suppress
from itertools import islice
from typing import Any

import attrs

from ._records import RecordStore
from .mirror import Mirror
from .steps import Source, _as_bytes, applied, marks_of, read_record

__all__ = ["Reading", "TimelineReader"]


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


class TimelineReader:
    """Reads a recording into checkpoints every ``every`` records and a record store; it
    has nothing to read until :meth:`start`."""

    def __init__(self, start: Mirror, every: int) -> None:
        self.every = every
        self.checkpoints: list[Mirror] = [start]  # only appended to: a timeline shares it
        self.records = RecordStore(every)  # one block of records per checkpoint
        #: What readers see, replaced whole (one assignment, so another thread reading
        #: while this one builds sees a consistent prefix): records answerable, the mirror
        #: after them, and how many event types they name.
        self.view: tuple[int, Mirror, int] = (0, start, 0)
        #: Records read so far, published or not.
        self.records_read = 0
        self._last = start
        self._steps: Iterator[tuple[int, int, Any, Mirror, Mirror]] | None = None
        self._stopped = False
        self._bytes_read = 0
        self._bytes_total: int | None = None

    def start(self, source: Source) -> None:
        """Read ``source`` (as :func:`reducers.steps.steps` reads it) from the starting
        mirror, once :meth:`feed` asks for records."""
        self._steps = applied(source, self.checkpoints[0])
        if isinstance(source, str | os.PathLike):
            with suppress(OSError):  # reading it says what is wrong, as it always did
                self._bytes_total = os.path.getsize(source)

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
        records = self.records
        records.seal()
        self.view = (len(records), self._last, records.type_count)
        self._steps = None  # done only once all is published: a reader sees done, then all

    def progress(self) -> Reading:
        """How far :meth:`feed` has read; a reading stopped by an error is not done, and
        everything it read is published."""
        done = self._steps is None and not self._stopped
        total = self._bytes_total
        read = self._bytes_read if total is None or done else min(self._bytes_read, total)
        return Reading(
            records=self.records_read,
            published=self.view[0],
            bytes_read=total if done and total is not None else read,
            bytes_total=total,
            done=done,
        )

    def _add(self, index: int, line: int, data: Any, before: Mirror, after: Mirror) -> None:
        records = self.records
        if index and index % self.every == 0:
            records.seal()  # before publishing: a reader may ask for any record published
            self.checkpoints.append(before)
            self.view = (index, before, records.type_count)
        text = data if type(data) is bytes else _as_bytes(data)
        self.records_read = index + 1
        self._bytes_read += len(text) + 1
        event_id, event_type, time, entities, reason = read_record(text)
        marks, gap = 0, None  # a plain int: building a Mark for every record costs a tenth
        if before.health is not after.health:
            flags, gap, why = marks_of(before.health, after.health, before.last_id, event_id)
            marks, reason = int(flags), why or reason
        records.add(line, text, event_id, event_type, time, entities, marks, reason, gap)
        self._last = after

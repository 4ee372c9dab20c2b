"""Replaying one recording of a corpus where an engine runs it: in a pool process, on a Dask
worker, or in the command's own process with ``--jobs 1``.

A worker returns a :class:`~eventmirror.fleet.report.RecordingReport`, never the mirror;
whatever goes wrong with one recording becomes that recording's row, so one bad file never
stops the corpus.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import attrs

from ..recording import DEFAULT_MAX_DOCUMENT
from ..rejects import RejectsFile
from ..replay import ReplayOutcome, replay_recording
from .corpus import Entry
from .report import EXIT_OK, EXIT_USAGE, RESULTS, RecordingReport, Tally

#: Called with the number of events read since the last call.
EventsRead = Callable[[int], None]


@attrs.frozen
class Options:
    """What every recording of the corpus is replayed with (the ``replay`` options)."""

    strict: bool = False
    me: str | None = None
    max_document: int = DEFAULT_MAX_DOCUMENT
    until_id: int | None = None
    #: The directory of the rejects files (``--rejects DIR``), as the workers see it.
    rejects_dir: str | None = None


@attrs.frozen
class Task:
    """One recording to replay: picklable, a few hundred bytes."""

    entry: Entry
    options: Options
    rejects_name: str | None = None


def replay_one(task: Task, events_read: EventsRead | None = None) -> RecordingReport:
    """Replay ``task``'s recording and report on it; ``events_read`` hears of the progress."""
    entry, options = task.entry, task.options
    if entry.problem is not None:
        return RecordingReport(index=entry.index, path=entry.path, status=EXIT_USAGE,
                               error=f"{entry.path}: {entry.problem}")  # fmt: skip
    progress = None if events_read is None else _deltas(events_read)
    rejects = None
    if options.rejects_dir is not None and task.rejects_name is not None:
        rejects = RejectsFile(os.path.join(options.rejects_dir, task.rejects_name))
    try:
        # An unreadable recording or rejects file is an unusable outcome, not an exception.
        outcome = replay_recording(
            entry.path,
            strict=options.strict,
            me=options.me,
            max_document=options.max_document,
            until_id=options.until_id,
            rejects=rejects,
            progress=progress,
        )
    except Exception as error:  # a bug of ours: the row says so, the rest of the corpus goes on
        message = f"{entry.path}: eventmirror failed on it ({type(error).__name__}: {error}); "
        return RecordingReport(index=entry.index, path=entry.path, status=EXIT_USAGE,
                               error=message + "please report this")  # fmt: skip
    return report_of(entry, outcome, None if rejects is None else rejects.count)


def report_of(entry: Entry, outcome: ReplayOutcome, rejects: int | None) -> RecordingReport:
    """The report of one recording, from what its replay came to."""
    return RecordingReport(
        index=entry.index,
        path=entry.path,
        status=outcome.status,
        # It names the recording as the corpus does: replay_recording got that path.
        error=None if outcome.status == EXIT_OK else outcome.error or RESULTS[outcome.status],
        until=None if outcome.until is None else outcome.until.message,
        rejects=rejects,
        tally=Tally.of(outcome.mirror, outcome.read),
    )


def _deltas(events_read: EventsRead) -> Callable[[int, int | None], None]:
    """A replay's progress callback (events so far, bytes so far) turned into increments."""
    seen = 0

    def update(count: int, bytes_done: int | None = None) -> None:
        nonlocal seen
        if count > seen:
            events_read(count - seen)
            seen = count

    return update

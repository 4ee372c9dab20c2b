"""The command's replay as it was before it took fold's fast path: every record applied in
turn with ``reducers.apply``. Kept only as the oracle the fast path must agree with
(tests/test_replay_fast_path.py)."""

from __future__ import annotations

from contextlib import ExitStack

import reducers
from eventmirror.codec import event_id_of
from eventmirror.errors import EventError
from eventmirror.recording import DEFAULT_MAX_DOCUMENT, RecordingError, iter_records, open_recording
from eventmirror.rejects import RejectsFile
from eventmirror.replay import (
    EXIT_INPUT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    ReplayOutcome,
    _no_events,
    until_id_outcome,
)
from eventmirror.unusable import head_of
from reducers import Health


def replay_line_by_line(
    path: str,
    *,
    strict: bool = False,
    me: str | None = None,
    max_document: int = DEFAULT_MAX_DOCUMENT,
    until_id: int | None = None,
    rejects: RejectsFile | None = None,
) -> ReplayOutcome:
    try:
        return _replay(path, strict, me, max_document, until_id, rejects)
    except RecordingError as error:
        return ReplayOutcome(EXIT_USAGE, None, 0, str(error))


def _replay(
    path: str,
    strict: bool,
    me: str | None,
    max_document: int,
    until_id: int | None,
    rejects: RejectsFile | None,
) -> ReplayOutcome:
    shown = "standard input" if path == "-" else path
    mirror = reducers.empty(me)
    stopped_at: int | None = None
    with ExitStack() as resources:
        stream = resources.enter_context(open_recording(path))
        head = head_of(stream)
        if rejects is not None:
            resources.enter_context(rejects)
        count = 0
        with reducers.collector_paused():
            records = iter_records(stream, max_document=max_document)
            for record in records:
                if until_id is not None:
                    event_id = event_id_of(record.data)
                    if event_id is not None and event_id > until_id:
                        stopped_at = event_id
                        break
                before = mirror.health
                try:
                    mirror = reducers.apply(mirror, record.data, strict=strict, line=record.line)
                    if rejects is not None and mirror.health.rejected > before.rejected:
                        rejects.write(record.line, record.data, _reason(before, mirror.health))
                except EventError as error:
                    if mirror.last_id is None and error.event_id is None:
                        rest = [event_id_of(later.data) for later in records]
                        if all(event_id is None for event_id in rest):
                            read = count + 1 + len(rest)
                            why = _no_events(head, read, str(error))
                            return ReplayOutcome(
                                EXIT_USAGE, None, read, f"no events in {shown}: {why}"
                            )
                    where = f"line {record.line}: " if error.event_id is not None else ""
                    return ReplayOutcome(
                        EXIT_INPUT_ERROR, mirror, count, f"{shown}: {where}{error}"
                    )
                count += 1
    if mirror.last_id is None and stopped_at is None:
        anomalies = mirror.health.anomalies
        first = anomalies[0].message if anomalies else None
        why = _no_events(head, count, first)
        return ReplayOutcome(EXIT_USAGE, None, count, f"no events in {shown}: {why}")
    until = None if until_id is None else until_id_outcome(until_id, stopped_at, mirror)
    return ReplayOutcome(EXIT_OK, mirror, count, None, until)


def _reason(before: Health, after: Health) -> str:
    if len(after.anomalies) > len(before.anomalies):
        return after.anomalies[-1].message
    return "rejected (its detail is past the anomalies the mirror keeps in full)"

"""The time-travel measurements (``python -m benchmarks --only travel``), each in a fresh
process like every other task (:mod:`benchmarks._pipelines`):

- ``travel_fold``: a plain replay, ``reducers.fold`` over the file (the yardstick);
- ``travel_blame``: ``reducers.blame(path, pointer, history=True)`` for an object's
  description that changes many times;
- ``travel_log``: ``eventmirror log --changes`` in full (every event, its changes found and
  written as text, or as JSON Lines with ``"json": true``), its output thrown away;
- ``travel_trace``: the library underneath, ``reducers.trace`` finding every record's changes
  and the descriptions of the entities it names, writing nothing;
- ``travel_text``: only the writing: the log's text lines formatted from records whose changes
  and descriptions were found beforehand (untimed), a chunk at a time: what writing the text
  costs whatever finds the changes;
- ``travel_open``: ``reducers.Timeline.open`` with a checkpoint every K records, how resident
  memory grew, then the mirror at random records (jumps through the checkpoints).

Times are CPU seconds of the measuring process (``time.process_time``), not wall-clock: the
machine these run on is shared, and the ratios must compare the work, not the neighbours.
"""

from __future__ import annotations

import argparse
import gc
import io
import random
import time
from statistics import median
from typing import Any

import reducers

from .generate import ME

Spec = dict[str, Any]
Result = dict[str, Any]


def _seconds(function: Any) -> tuple[float, Any]:
    """The CPU seconds ``function`` took (this process's, user and system): on a machine
    shared with other work, wall-clock time measures the others too."""
    start = time.process_time()
    result = function()
    return time.process_time() - start, result


def travel_fold(spec: Spec) -> Result:
    from ._pipelines import current_bytes

    before = current_bytes()
    with open(spec["path"], "rb") as source:
        seconds, mirror = _seconds(lambda: reducers.fold(source, me=ME))
    gc.collect()
    return {"seconds": seconds, "mirror_bytes": current_bytes() - before,
            "events": mirror.applied}  # fmt: skip


def blamed_pointer(path: str) -> str:
    """The description of the object the recording's events name most often in its first
    100,000 lines: a path with a long history."""
    counts: dict[str, int] = {}
    with open(path, "rb") as source:
        for number, line in enumerate(source):
            if number >= 100_000:
                break
            if b'"object_modify"' in line or b'"object_new"' in line:
                uuid = line.split(b'"object":"', 1)[1].split(b'"', 1)[0].decode()
                counts[uuid] = counts.get(uuid, 0) + 1
    uuid = min(counts, key=lambda key: (-counts[key], key))
    return f"/objects/{uuid}/description"


def travel_blame(spec: Spec) -> Result:
    pointer = spec["pointer"]
    seconds, found = _seconds(lambda: reducers.blame(spec["path"], pointer, history=True, me=ME))
    return {"seconds": seconds, "changes": len(found.history), "pointer": pointer}


class _Discard(io.StringIO):
    """Standard output thrown away, but every line still formatted and written."""

    def write(self, text: str) -> int:
        return len(text)


def travel_log(spec: Spec) -> Result:
    from eventmirror.cli import build_parser
    from eventmirror.travel.log import _log

    json = ["--json"] if spec.get("json") else []  # JSON Lines instead of text
    args: argparse.Namespace = build_parser().parse_args(
        ["log", spec["path"], "--changes", *json, "--me", ME]
    )
    seconds, status = _seconds(lambda: _log(args, _Discard()))
    assert status == 0
    return {"seconds": seconds}


def travel_trace(spec: Spec) -> Result:
    def each(record: reducers.TracedRecord) -> None:
        record.changes()
        for uuid in record.entities:
            record.describe(uuid)

    seconds, _ = _seconds(lambda: reducers.trace(spec["path"], each, me=ME))
    return {"seconds": seconds}


class _Found:
    """A record's facts, changes and descriptions, found beforehand."""

    def __init__(self, record: reducers.TracedRecord) -> None:
        from eventmirror.travel.common import path_entities

        self.index, self.line, self.id = record.index, record.line, record.id
        self.type, self.time, self.entities = record.type, record.time, record.entities
        self.marks = record.marks
        self.reason, self.gap = record.reason, record.gap
        self.changes = record.changes()
        wanted = {(uuid, False) for uuid in record.entities}
        for change in self.changes:
            wanted.update(path_entities(change.path))
        self.names = {key: record.describe(*key) for key in wanted}

    def describe(self, uuid: str, files: bool = False) -> str | None:
        return self.names.get((uuid, files))


def travel_text(spec: Spec) -> Result:
    from eventmirror.travel.log import _text

    chunk: list[_Found] = []
    spent = [0.0]

    def written() -> None:
        lines: list[str] = []
        for found in chunk:
            lines.extend(_text(found, found.changes, found.describe))
        _Discard().write("\n".join(lines))

    def each(record: reducers.TracedRecord) -> None:
        chunk.append(_Found(record))
        if len(chunk) == 10_000:
            spent[0] += _seconds(written)[0]
            chunk.clear()

    reducers.trace(spec["path"], each, me=ME)
    spent[0] += _seconds(written)[0]
    return {"seconds": spent[0]}


def travel_open(spec: Spec) -> Result:
    from ._pipelines import current_bytes

    gc.collect()
    before = current_bytes()
    seconds, timeline = _seconds(lambda: reducers.Timeline.open(spec["path"], every=spec["every"],
                                                                me=ME))  # fmt: skip
    gc.collect()
    grown = current_bytes() - before
    memory = timeline.memory()
    draw = random.Random(spec.get("seed", 1))
    jumps = []
    for _ in range(spec.get("jumps", 50)):
        index = draw.randrange(len(timeline))
        jump, _mirror = _seconds(lambda index=index: timeline.mirror_after(index))
        jumps.append(jump)
    return {
        "seconds": seconds,
        "grown": grown,
        "records": memory.records,
        "checkpoints": memory.checkpoints,
        "kept_bytes": memory.records_bytes + memory.columns_bytes + memory.entity_index_bytes,
        "estimate": memory.checkpoint_bytes_estimate,
        "jump_worst": max(jumps),
        "jump_median": median(jumps),
    }


TRAVEL_TASKS = {
    "travel_fold": travel_fold,
    "travel_blame": travel_blame,
    "travel_log": travel_log,
    "travel_trace": travel_trace,
    "travel_text": travel_text,
    "travel_open": travel_open,
}

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
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING, Any

import reducers

from .generate import ME

if TYPE_CHECKING:
    from .run import Config

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


# --- the section: the tasks against a plain replay, in the same run -----------------------

#: Checkpoint intervals the travel section measures (the first is the default).
TRAVEL_EVERY = (1_000, 100, 10_000)


def section(config: Config, path: Path) -> dict[str, Any]:
    """The time-travel tools against a plain replay of the same recording, in the same run,
    alternating; then the timeline's checkpoints at a few intervals."""
    from .run import MB, interleaved

    pointer = blamed_pointer(str(path))
    base = {"path": str(path)}
    specs: dict[str, dict[str, Any]] = {
        "replay (fold)": {**base, "task": "travel_fold"},
        "blame --history": {**base, "task": "travel_blame", "pointer": pointer},
        "log --changes": {**base, "task": "travel_log"},
        "trace": {**base, "task": "travel_trace"},
        "text alone": {**base, "task": "travel_text"},
        **{f"timeline every {k:,}": {**base, "task": "travel_open", "every": k, "jumps": 50,
                                     "seed": config.seed} for k in TRAVEL_EVERY},
    }  # fmt: skip
    results = interleaved(config, specs)
    fold = median(r["seconds"] for r in results["replay (fold)"])
    mirror = median(r["mirror_bytes"] for r in results["replay (fold)"])
    figures: dict[str, Any] = {
        "events": config.events, "pointer": pointer, "fold_s": fold,
        "blame_s": median(r["seconds"] for r in results["blame --history"]),
        "blame_changes": results["blame --history"][0]["changes"],
        "log_s": median(r["seconds"] for r in results["log --changes"]),
        "trace_s": median(r["seconds"] for r in results["trace"]),
        "text_s": median(r["seconds"] for r in results["text alone"]),
        "mirror_mb": mirror / MB, "timelines": [],
    }  # fmt: skip
    figures["blame_ratio"] = figures["blame_s"] / fold
    figures["log_ratio"] = figures["log_s"] / fold
    for every in TRAVEL_EVERY:
        runs = results[f"timeline every {every:,}"]
        grown = median(r["grown"] for r in runs)
        first = runs[0]
        per_checkpoint = (grown - mirror - first["kept_bytes"]) / max(1, first["checkpoints"])
        figures["timelines"].append({
            "every": every, "open_s": median(r["seconds"] for r in runs),
            "checkpoints": first["checkpoints"], "grown_mb": grown / MB,
            "kept_mb": first["kept_bytes"] / MB, "per_checkpoint_bytes": per_checkpoint,
            "estimate_bytes": first["estimate"],
            "jump_worst_s": max(r["jump_worst"] for r in runs),
            "jump_median_s": median(r["jump_median"] for r in runs),
        })  # fmt: skip
    return figures


def report(t: dict[str, Any]) -> list[str]:
    from .run import verdict

    lines = [
        f"Time travel over {t['events']:,} events (each tool and a plain replay in the same run,"
        " alternating; CPU seconds)",
        f"  plain replay (reducers.fold)       {t['fold_s']:8.2f} s"
        f"   (mirror {t['mirror_mb']:.1f} MB)",
        f"  blame --history                    {t['blame_s']:8.2f} s   {t['blame_changes']:,}"
        f" changes of {t['pointer'][:40]}…",
        f"    vs plain replay: {verdict(t['blame_ratio'], '<= 2.0')}",
        f"  log --changes (text, discarded)    {t['log_s']:8.2f} s",
        f"    vs plain replay: {verdict(t['log_ratio'], '<= 2.0')}",
        f"    of which: reducers.trace, changes found  {t['trace_s']:8.2f} s"
        f"  ({t['trace_s'] / t['fold_s']:.2f}x replay)",
        f"              the text alone, from them     {t['text_s']:8.2f} s"
        f"  ({t['text_s'] / t['fold_s']:.2f}x replay)",
        "  timeline: every K   open s  checkpoints  records+entries MB  per checkpoint"
        " (estimate)   jump worst / median",
    ]
    for row in t["timelines"]:
        lines.append(
            f"  {row['every']:>16,} {row['open_s']:8.2f} {row['checkpoints']:12,}"
            f" {row['kept_mb']:19.1f} {row['per_checkpoint_bytes'] / 1e3:11,.0f} kB"
            f" ({row['estimate_bytes'] / 1e3:,.0f} kB)"
            f"   {row['jump_worst_s']:.3f} / {row['jump_median_s']:.3f} s"
        )
    worst = max(row["jump_worst_s"] for row in t["timelines"] if row["every"] == TRAVEL_EVERY[0])
    lines.append(f"  jump to any event, K={TRAVEL_EVERY[0]:,}: worst {worst:.3f} s"
                 f" ({'met' if worst <= 0.5 else 'MISSED'}: target <= 0.5 s)")  # fmt: skip
    return lines


TRAVEL_TASKS = {
    "travel_fold": travel_fold,
    "travel_blame": travel_blame,
    "travel_log": travel_log,
    "travel_trace": travel_trace,
    "travel_text": travel_text,
    "travel_open": travel_open,
}

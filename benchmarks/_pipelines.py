"""The measured code. Each measurement runs in a fresh process:
``python -m benchmarks._pipelines '{"task": "eventmirror", "path": ..., ...}'``.

A run prints one JSON object: the seconds its timed loop took, its peak resident memory (see
:func:`peak_bytes`) and what the harness needs to check the result. Every run imports the same
modules before it starts, so the ``baseline`` task, which only imports them, gives the memory
the harness subtracts to get each pipeline's own peak.

The three replay pipelines read the recording line by line in binary mode:

- ``floor``: ``orjson.loads(line)`` for every line, nothing kept (the parsing floor);
- ``handwritten``: :class:`benchmarks.handwritten.Client` (orjson, dicts updated in place,
  Python's default garbage collector settings);
- ``handwritten_gc_off``: the same with the collector off, a reference row only;
- ``eventmirror``: ``reducers.fold(lines, me=ME)`` over the raw byte lines (lenient, full
  validation, stream integrity on). ``me`` is the session's user, which the hand-written
  client knows too: leaving a chat drops it only for a mirror that knows who "me" is.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any, BinaryIO

import orjson

import reducers

from ._counts import counts, mirror_counts
from .generate import ME, flat_cost_lines
from .handwritten import Client

Spec = dict[str, Any]
Result = dict[str, Any]


def peak_bytes() -> int:
    """This process's peak resident memory so far.

    On Linux this is ``VmHWM``, the high-water mark of this process's own address space. Not
    ``ru_maxrss``: a child inherits the parent's peak in it across fork and exec, so a harness
    that has grown would hide every small peak behind its own.
    """
    status = _proc("status")
    if status is not None:
        line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
        return int(line.split()[1]) * 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, else KiB


def current_bytes() -> int:
    """This process's resident memory now (Linux); elsewhere the peak so far."""
    statm = _proc("statm")
    return int(statm.split()[1]) * resource.getpagesize() if statm else peak_bytes()


def _proc(name: str) -> str | None:
    try:
        with open(f"/proc/self/{name}") as file:
            return file.read()
    except OSError:
        return None


@contextmanager
def recording(spec: Spec) -> Iterator[Iterable[bytes]]:
    """The recording's lines, read from the file as they are consumed (the first ``limit``)."""
    with open(spec["path"], "rb") as lines:
        yield islice(lines, spec["limit"]) if spec.get("limit") else lines


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def baseline(spec: Spec) -> Result:
    return {}


def floor(spec: Spec) -> Result:
    def parse(lines: Iterable[bytes]) -> None:
        loads = orjson.loads
        for line in lines:
            loads(line)

    with recording(spec) as lines:
        seconds, _ = timed(lambda: parse(lines))
    return {"seconds": seconds}


def handwritten(spec: Spec) -> Result:
    with recording(spec) as lines:
        seconds, client = timed(lambda: Client(ME).replay(lines))
    peak = peak_bytes()
    return {"seconds": seconds, "peak": peak, "counts": counts(client)}


def handwritten_gc_off(spec: Spec) -> Result:
    """For reference only, never a target: what the collector costs the hand-written client
    (the issue's own table has this row)."""
    gc.disable()
    return handwritten(spec)


def eventmirror(spec: Spec) -> Result:
    with recording(spec) as lines:
        seconds, mirror = timed(lambda: reducers.fold(lines, me=ME))
    peak = peak_bytes()
    health = mirror.health
    problems = {
        "anomalies": health.anomaly_count,
        "unknown": health.unknown,
        "missing": health.missing,
        "duplicates": health.duplicates,
        "resets": health.reset_count,
    }
    return {"seconds": seconds, "peak": peak, "counts": mirror_counts(mirror), **problems}


def flat(spec: Spec) -> Result:
    """Per-event cost against a mirror of ``objects`` live objects, and (eventmirror) how much
    memory keeping every intermediate mirror adds per event at that size."""
    build, work = flat_cost_lines(spec["objects"], spec["timed"], spec["seed"])
    if spec["client"] == "handwritten":
        client = Client(ME).replay(build)
        seconds, _ = timed(lambda: client.replay(work))
        return {"seconds": seconds, "events": len(work)}
    mirror = reducers.fold(build, me=ME)
    seconds, _ = timed(lambda: reducers.fold(work, mirror))
    # tracemalloc counts exactly the bytes allocated while it runs and still alive at the end:
    # what the kept mirrors add to the one they grew from.
    tracemalloc.start()
    kept = keep_every_mirror(mirror, work)
    added, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert kept[-1].applied == mirror.applied + len(work)
    return {"seconds": seconds, "events": len(work), "kept_bytes_per_event": added / len(work)}


def keep_every_mirror(mirror: reducers.Mirror, lines: Iterable[bytes]) -> list[reducers.Mirror]:
    """Time travel: the mirror after every event, each one kept."""
    kept = []
    apply = reducers.apply
    with reducers.collector_paused():  # as fold does: the mirrors hold no cycles
        for line in lines:
            mirror = apply(mirror, line)
            kept.append(mirror)
    return kept


def snapshots(spec: Spec) -> Result:
    """Fold ``warm`` events, then ``count`` more either plainly (``keep`` false) or keeping the
    mirror after every event; report the time and how resident memory grew."""
    with open(spec["path"], "rb") as source:
        before = current_bytes()
        mirror = reducers.fold(islice(source, spec["warm"]), me=ME)
        gc.collect()
        mirror_bytes = current_bytes() - before
        lines = list(islice(source, spec["count"]))
    start_bytes = current_bytes()
    if spec["keep"]:
        seconds, kept = timed(lambda: keep_every_mirror(mirror, lines))
        final = kept[-1]
    else:
        seconds, final = timed(lambda: reducers.fold(lines, mirror))
    grown = current_bytes() - start_bytes
    assert final.health.anomaly_count == 0
    return {"seconds": seconds, "events": len(lines), "mirror": mirror_bytes, "grown": grown}


from ._simulator import simulator_scale  # noqa: E402 - grouped with the tasks it joins
from ._travel import TRAVEL_TASKS  # noqa: E402 - grouped with the tasks it joins

TASKS: dict[str, Callable[[Spec], Result]] = {
    "baseline": baseline,
    "floor": floor,
    "handwritten": handwritten,
    "handwritten_gc_off": handwritten_gc_off,
    "eventmirror": eventmirror,
    "flat": flat,
    "simulator": simulator_scale,
    "snapshots": snapshots,
    **TRAVEL_TASKS,
}


def run(spec: Spec, out: BinaryIO) -> None:
    result = TASKS[spec["task"]](spec)
    result.setdefault("peak", peak_bytes())
    out.write(json.dumps(result).encode() + b"\n")


if __name__ == "__main__":
    run(json.loads(sys.argv[1]), sys.stdout.buffer)

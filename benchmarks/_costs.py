"""Where the time goes, per event type: each client's handler and the fold's reducer for each
type, timed call by call while the whole recording is replayed.

``python -m benchmarks._pipelines '{"task": "costs", "path": ...}'`` folds the recording with
every registered reducer wrapped in a timer, then replays it through the full-semantics and
the lean client with every handler wrapped the same way. Per type it reports the calls and
the nanoseconds spent inside them, less what the timer itself costs inside its own interval
(measured on an empty function first); what is left of each pipeline's total is its common
part: reading, parsing or decoding, the loop, and (fold) the stream bookkeeping and drafts.
The timers slow every pipeline a little, so the table says where the time goes, not how fast
anything is: the speed figures come from the uninstrumented runs.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import orjson

import reducers
from reducers._registry import REDUCERS

from .generate import ME
from .handwritten import Client
from .lean import LeanClient

Totals = dict[str, list[int]]  # type -> [calls, nanoseconds]


def _timed(function: Callable[..., Any], name: str, totals: Totals) -> Callable[..., Any]:
    clock = time.thread_time_ns
    entry = totals.setdefault(name, [0, 0])

    def wrapper(*args: Any) -> Any:
        start = clock()
        try:
            return function(*args)
        finally:
            entry[1] += clock() - start
            entry[0] += 1

    return wrapper


def _timer_cost() -> float:
    """Nanoseconds the timer adds inside its own interval, per call (an empty function)."""
    totals: Totals = {}
    empty = _timed(lambda *args: None, "empty", totals)
    for _ in range(200_000):
        empty(None)
    calls, spent = totals["empty"]
    return spent / calls


def costs(spec: dict[str, Any]) -> dict[str, Any]:
    with open(spec["path"], "rb") as recording:
        lines = recording.read().splitlines()
    kinds = Counter(orjson.loads(line)["event"] for line in lines)
    overhead = _timer_cost()
    figures: dict[str, Any] = {"events": len(lines), "kinds": dict(kinds), "timer_ns": overhead}

    fold_totals: Totals = {}
    saved = dict(REDUCERS)
    try:
        for cls, reduce in saved.items():
            REDUCERS[cls] = _timed(reduce, cls.__name__, fold_totals)
        start = time.thread_time_ns()
        reducers.fold(lines, me=ME)
        figures["fold"] = _per_type(fold_totals, time.thread_time_ns() - start, overhead)
    finally:
        REDUCERS.update(saved)
    names = {cls.__name__: name for name, cls in _event_classes().items()}
    figures["fold"]["by_type"] = {
        names[cls]: value for cls, value in figures["fold"]["by_type"].items()
    }

    for label, client in (("handwritten", Client(ME)), ("lean", LeanClient(ME))):
        totals: Totals = {}
        client.handlers = {
            name: _timed(handler, name, totals) for name, handler in client.handlers.items()
        }
        start = time.thread_time_ns()
        client.replay(lines)
        figures[label] = _per_type(totals, time.thread_time_ns() - start, overhead)
    return figures


def _per_type(totals: Totals, total_ns: int, overhead: float) -> dict[str, Any]:
    by_type = {
        name: {"calls": calls, "ns": max(0.0, spent - overhead * calls)}
        for name, (calls, spent) in totals.items()
        if calls
    }
    inside = sum(value["ns"] for value in by_type.values())
    calls = sum(value["calls"] for value in by_type.values())
    # The wrappers' cost outside their intervals (the extra call) is counted with neither.
    return {"total_ns": total_ns, "common_ns": total_ns - inside - overhead * calls,
            "by_type": by_type}  # fmt: skip


def _event_classes() -> dict[str, type[Any]]:
    from eventmirror.events import EVENT_TYPES

    return dict(EVENT_TYPES)


def report(mix: str, figures: dict[str, Any]) -> list[str]:
    """The per-event-type table: the share of events, then each pipeline's microseconds per
    event of that type, and what the type adds to an average event of the mix (fold)."""
    events, kinds = figures["events"], figures["kinds"]
    pipelines = ("fold", "handwritten", "lean")
    lines = [
        f"Where the time goes, {mix} mix ({events:,} events; timers on, so slower than above):",
        f"  {'us per event of the type':26} {'share':>6} {'fold':>7} {'full':>7} {'lean':>7}"
        f" {'fold adds':>9} {'full adds':>9} {'lean adds':>9}",
    ]

    def per_call(pipeline: str, name: str) -> float | None:
        value = figures[pipeline]["by_type"].get(name)
        return value["ns"] / value["calls"] / 1e3 if value else None

    def adds(pipeline: str, name: str) -> float:
        value = figures[pipeline]["by_type"].get(name)
        return value["ns"] / events / 1e3 if value else 0.0

    ranked = sorted(kinds, key=lambda name: -adds("fold", name))
    for name in ranked[:16]:
        cells = [per_call(p, name) for p in pipelines]
        shown = [f"{c:>7.2f}" if c is not None else f"{'-':>7}" for c in cells]
        lines.append(
            f"  {name:26} {kinds[name] / events:>6.1%} {' '.join(shown)}"
            + "".join(f" {adds(p, name):>9.2f}" for p in pipelines)
        )
    rest = {p: sum(adds(p, name) for name in ranked[16:]) for p in pipelines}
    lines.append(f"  {'(the other types)':26} {'':>6} {'':>7} {'':>7} {'':>7}"
                 + "".join(f" {rest[p]:>9.2f}" for p in pipelines))  # fmt: skip
    common = {p: figures[p]["common_ns"] / events / 1e3 for p in pipelines}
    total = {p: figures[p]["total_ns"] / events / 1e3 for p in pipelines}
    lines.append(f"  {'common: read, parse, loop':26} {'':>6} {'':>7} {'':>7} {'':>7}"
                 + "".join(f" {common[p]:>9.2f}" for p in pipelines))  # fmt: skip
    lines.append(f"  {'total (timers on)':26} {'':>6} {'':>7} {'':>7} {'':>7}"
                 + "".join(f" {total[p]:>9.2f}" for p in pipelines))  # fmt: skip
    return lines

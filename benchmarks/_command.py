"""The ``command`` section: ``eventmirror replay`` as a user runs it, and ``reducers.fold``,
against the full-semantics client and the lean one, on both workload mixes.

Two comparisons, each consistent in itself:

- **whole process**: every pipeline is a program started afresh on the recording
  (:mod:`benchmarks._whole`): the command exactly as typed, ``python -m eventmirror replay
  FILE --me ME``, and the fold and both clients as small programs. Each pays its interpreter
  start, imports, reading, work and output; Python starting and exiting alone is shown too.
- **in process**: the timed loop only, in a fresh process each (:mod:`benchmarks._pipelines`),
  as the replay section measures.

Speeds are events per CPU second (user + system, of the process or of the loop): on a shared
machine the wall time mostly says how busy the others were, and it is shown beside. Every
pipeline runs once per round, the order rotating, in the same rounds, so the ratios compare
runs made under the same load. The sources are compiled first, as an installed package's are.
Then one instrumented run per mix (:mod:`benchmarks._costs`) says where the time goes.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING, Any, Final

from . import _costs, _whole

if TYPE_CHECKING:
    from .run import Config

MIXES: Final = ("office", "devices")
WHOLE: Final = ("python", "command", "fold", "handwritten", "lean")
IN_PROCESS: Final = ("eventmirror", "handwritten", "lean")
LABELS: Final = {
    "python": "python alone (start, exit)",
    "command": "eventmirror replay FILE --me",
    "fold": "reducers.fold, a program",
    "handwritten": "full-semantics client",
    "lean": "lean client",
    "eventmirror": "reducers.fold",
}
MB = 1e6


def compile_sources(root: Path) -> None:
    """Compile the project's packages, as installing them would: this machine may set
    PYTHONDONTWRITEBYTECODE, and then every process would compile them again."""
    for package in ("eventmirror", "reducers", "benchmarks"):
        compileall.compile_dir(root / package, quiet=1)


def command(config: Config) -> dict[str, Any]:
    from .run import ROOT, measure, recording, say

    compile_sources(ROOT)
    figures: dict[str, Any] = {}
    for mix in MIXES:
        path = recording(config, mix)
        steps = [("whole", name) for name in WHOLE] + [("in", name) for name in IN_PROCESS]
        steps.append(("in", "baseline"))
        runs: dict[tuple[str, str], list[dict[str, Any]]] = {step: [] for step in steps}
        for round_number in range(config.rounds):
            shift = round_number % len(steps)
            for kind, name in steps[shift:] + steps[:shift]:
                if kind == "whole":
                    result = _whole.run(name, path)
                else:
                    result = measure({"task": name, "path": str(path), "limit": None})
                runs[kind, name].append(result)
                cpu = f"{result['cpu']:.2f} s CPU" if "cpu" in result else ""
                say(f"  {mix} round {round_number + 1}/{config.rounds} {kind} {name:12} {cpu}")
        say(f"  {mix}: where the time goes (one instrumented run)")
        costs = measure({"task": "costs", "path": str(path)})
        figures[mix] = _summary(config.events, runs, costs)
    return figures


def _summary(
    events: int, runs: dict[tuple[str, str], list[dict[str, Any]]], costs: dict[str, Any]
) -> dict[str, Any]:
    base = median(run["peak"] for run in runs["in", "baseline"])

    def row(kind: str, name: str) -> dict[str, Any]:
        done = runs[kind, name]
        peaks = [run["peak"] - (base if kind == "in" else 0) for run in done]
        return {
            "cpu": median(run["cpu"] for run in done),
            "seconds": median(run["seconds"] for run in done),
            "events_per_cpu_s": events / median(run["cpu"] for run in done),
            "peak_mb": median(peaks) / MB,
            "cpus": [run["cpu"] for run in done],
            "walls": [run["seconds"] for run in done],
        }

    whole = {name: row("whole", name) for name in WHOLE}
    inside = {name: row("in", name) for name in IN_PROCESS}

    def faster(rows: dict[str, Any], a: str, b: str) -> float:
        return float(rows[b]["cpu"] / rows[a]["cpu"])

    return {
        "events": events,
        "whole": whole,
        "in_process": inside,
        "ratios": {
            "command_vs_handwritten": faster(whole, "command", "handwritten"),
            "command_vs_lean": faster(whole, "command", "lean"),
            "fold_program_vs_handwritten": faster(whole, "fold", "handwritten"),
            "fold_program_vs_lean": faster(whole, "fold", "lean"),
            "fold_vs_handwritten": faster(inside, "eventmirror", "handwritten"),
            "fold_vs_lean": faster(inside, "eventmirror", "lean"),
            "command_memory_vs_handwritten": whole["command"]["peak_mb"]
            / whole["handwritten"]["peak_mb"],
            "fold_memory_vs_handwritten": inside["eventmirror"]["peak_mb"]
            / max(inside["handwritten"]["peak_mb"], 1e-9),
        },
        "costs": costs,
        "load_after": os.getloadavg()[0],
    }


def report(figures: dict[str, Any]) -> list[str]:
    from .run import verdict

    lines: list[str] = []
    for mix, f in figures.items():
        q = f["ratios"]
        lines += [
            f"The command and reducers.fold against both clients, {mix} mix: {f['events']:,}"
            " events; events per CPU second (wall seconds beside)",
            f"  {'whole process':30} {'CPU s':>8} {'events/s':>10} {'wall s':>8} {'peak MB':>8}",
        ]
        for name in WHOLE:
            r = f["whole"][name]
            speed = f"{r['events_per_cpu_s']:>10,.0f}" if name != "python" else f"{'':>10}"
            lines.append(f"  {LABELS[name]:30} {r['cpu']:>8.2f} {speed} {r['seconds']:>8.2f}"
                         f" {r['peak_mb']:>8.1f}")  # fmt: skip
        lines += [
            f"  command vs full-semantics client: {verdict(q['command_vs_handwritten'], '>= 1.0')}",
            f"  command vs lean client: {verdict(q['command_vs_lean'], '>= 0.8')}",
            "  command peak memory vs full-semantics client:"
            f" {verdict(q['command_memory_vs_handwritten'], '<= 1.5')}",
            f"  fold program vs full-semantics client {q['fold_program_vs_handwritten']:.2f}x,"
            f" vs lean client {q['fold_program_vs_lean']:.2f}x",
            f"  {'in process (timed loop only)':30} {'CPU s':>8} {'events/s':>10} {'wall s':>8}"
            f" {'peak MB':>8}",
        ]
        for name in IN_PROCESS:
            r = f["in_process"][name]
            lines.append(f"  {LABELS[name]:30} {r['cpu']:>8.2f} {r['events_per_cpu_s']:>10,.0f}"
                         f" {r['seconds']:>8.2f} {r['peak_mb']:>8.1f}")  # fmt: skip
        lines += [
            f"  fold vs full-semantics client {q['fold_vs_handwritten']:.2f}x, vs lean client"
            f" {q['fold_vs_lean']:.2f}x;"
            f" peak memory vs full {q['fold_memory_vs_handwritten']:.2f}x",
            *_costs.report(mix, f["costs"]),
            "",
        ]
    return lines[:-1]

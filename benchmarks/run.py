"""The benchmark suite: eventmirror's replay against a hand-written client and the parsing floor.

Run it from the repository root (with the test extras installed, for orjson)::

    python -m benchmarks

That is 1,000,000 events, 3 rounds: a few minutes on 2 cores. ``--events N``, ``--rounds R``,
``--seed S`` change the run; ``--quick`` is a tiny run that only shows the harness works;
``--json FILE`` also writes every figure as JSON; ``--only replay,flat`` runs some sections;
``--sessions N`` sets the serve section's long-polling sessions (default 1,000).

What it measures, all in one run with the pipelines interleaved round by round, each
measurement in a fresh process (see ``benchmarks/_pipelines.py`` for the measured code):

- **replay**: events/s and peak memory of the parsing floor (``orjson.loads`` per line), the
  hand-written mutable-dict client (``benchmarks/handwritten.py``) and ``reducers.fold``, on one
  seeded recording of N events (``benchmarks/generate.py``), generated once and cached in the
  temporary directory. Peak memory is the process's peak resident set (``VmHWM``; see
  ``_pipelines.peak_bytes``) minus that of a process that only imported the same modules.
  Ratios are against the hand-written client and the floor. The hand-written client also
  runs with the collector off, as a reference row only (the targets count the client as a
  user writes it).
- **command**: ``eventmirror replay`` as a user runs it (a whole process) and
  ``reducers.fold``, against the full-semantics client and the lean one
  (``benchmarks/lean.py``), on both workload mixes (``office``, the default, and
  ``devices``: ``benchmarks/generate.py --mix``), in events per CPU second, with peak memory
  and a per-event-type table of where the time goes (``benchmarks/_command.py``).
- **flat cost**: microseconds per object_modify/comment event against mirrors of 1,000 and
  100,000 live objects.
- **time travel**: keeping the mirror after every event (``reducers.apply`` in a loop) against a
  plain fold of the same events, in time and in memory added per event, next to the mirror's
  own size; and the memory added per event at 1,000 and at 100,000 objects.
- **simulator**: commands/s of one workload (objects modified and commented, each command
  reaching a group of three users) in a world of 10 users and in one of 10,000, with 100,000
  objects each: a command's cost must follow its recipients, not the world's size.
- **serve**: ``eventmirror serve`` with N long-polling sessions against a minimal long-poll
  server on the same stack, each in its own process, driven from a third over loopback:
  delivery latency, immediate polls/s, memory per parked poll (``benchmarks/_serve.py``).
- **constant memory**: peak memory after N/10 and after N events of the same working set (a
  recording's first tenth is the same session, shorter; ``--events 10000000`` compares 1M with
  10M events), with the lowest and highest round to show the noise.

Both clients know the session's user (``me``), which chat membership needs. Progress goes to
standard error, the report to standard output.

Every figure is the median over the rounds. Nothing here asserts a target: the report prints
each one next to its figure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from . import _command, _corpus, _serve, _travel, generate
from .generate import DEFAULT, GENERATOR_VERSION, SMALL, WorkingSet

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = (
    "replay", "command", "flat", "snapshots", "constant", "simulator", "corpus", "serve", "travel"
)  # fmt: skip
#: The sections that replay the benchmark recording (the others need none generated).
REPLAYING = ("replay", "snapshots", "constant", "travel")
PIPELINES = ("floor", "handwritten", "handwritten_gc_off", "eventmirror")
LABELS = {
    "floor": "parse floor (orjson.loads)",
    "handwritten": "hand-written dict client",
    "handwritten_gc_off": "  the same, collector off",
    "eventmirror": "eventmirror reducers.fold",
}
MB = 1e6
DESCRIPTION = "eventmirror's replay against a hand-written client and the parsing floor."


@dataclass
class Config:
    events: int = 1_000_000
    rounds: int = 3
    seed: int = 1
    working_set: WorkingSet = DEFAULT
    flat_sizes: tuple[int, int] = (1_000, 100_000)
    flat_events: int = 50_000
    recordings: int = 200  # the corpus section's recordings, of recording_events events each
    recording_events: int = 50_000
    sections: tuple[str, ...] = SECTIONS
    sessions: int = 1_000
    cache: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "eventmirror-bench")

    @classmethod
    def quick(cls) -> Config:
        return cls(events=3_000, rounds=1, working_set=SMALL, flat_sizes=(100, 1_000),
                   flat_events=500, recordings=4, recording_events=500, sessions=20)  # fmt: skip


def recording(config: Config, mix: str = "office") -> Path:
    """The recording for this configuration, generated on first use and cached by its key."""
    shape = hashlib.sha256(repr(config.working_set).encode()).hexdigest()[:10]
    kind = "" if mix == "office" else f"-{mix}"
    name = f"v{GENERATOR_VERSION}-{shape}{kind}-seed{config.seed}-{config.events}.jsonl"
    path = config.cache / name
    if not path.exists():
        config.cache.mkdir(parents=True, exist_ok=True)
        say(f"generating {config.events:,} events ({mix} mix) into {path} ...")
        generate.write(path, config.events, config.seed, config.working_set, mix)
    return path


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one measurement in a fresh Python process and return what it reports."""
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    command = [sys.executable, "-m", "benchmarks._pipelines", json.dumps(spec)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"measurement {spec} failed:\n{done.stderr.decode(errors='replace')}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


Results = dict[str, list[dict[str, Any]]]


def interleaved(config: Config, specs: dict[str, dict[str, Any]]) -> Results:
    """Every spec once per round, the order rotating so that no pipeline always runs first."""
    names = list(specs)
    results: Results = {name: [] for name in names}
    for round_number in range(config.rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            result = measure(specs[name])
            results[name].append(result)
            seconds = f"{result['seconds']:.2f} s" if "seconds" in result else ""
            say(f"  round {round_number + 1}/{config.rounds} {name:24} {seconds}")
    return results


def replay(
    config: Config, path: Path, events: int, pipelines: Sequence[str] = PIPELINES
) -> dict[str, Any]:
    """Events/s and peak memory of each pipeline over the first ``events`` of the recording."""
    limit = events if events < config.events else None
    specs: dict[str, dict[str, Any]] = {"baseline": {"task": "baseline"}}
    specs.update({name: {"task": name, "path": str(path), "limit": limit} for name in pipelines})
    results = interleaved(config, specs)
    baselines = [result["peak"] for result in results.pop("baseline")]
    figures: dict[str, Any] = {"events": events}
    for name, runs in results.items():
        peaks = [max(0, run["peak"] - base) / MB for run, base in zip(runs, baselines, strict=True)]
        figures[name] = {
            "events_per_s": median(events / run["seconds"] for run in runs),
            "peak_mb": median(peaks),
            "seconds": [run["seconds"] for run in runs],
            "peaks_mb": peaks,
        }
    hw, em = results["handwritten"][0], results["eventmirror"][0]
    figures["agree"] = hw["counts"] == em["counts"]
    figures["counts"] = {"handwritten": hw["counts"], "eventmirror": em["counts"]}
    problems = ("anomalies", "unknown", "missing", "duplicates", "resets")
    figures["stream_problems"] = {key: em[key] for key in problems}
    return figures


def ratios(figures: dict[str, Any]) -> dict[str, float | None]:
    hw, em, floor = (figures[name] for name in ("handwritten", "eventmirror", "floor"))
    return {
        "vs_handwritten": em["events_per_s"] / hw["events_per_s"],
        "vs_floor": em["events_per_s"] / floor["events_per_s"],
        "handwritten_vs_floor": hw["events_per_s"] / floor["events_per_s"],
        "handwritten_gc_off_vs_floor": (
            figures["handwritten_gc_off"]["events_per_s"] / floor["events_per_s"]
        ),
        "memory_vs_handwritten": em["peak_mb"] / hw["peak_mb"] if hw["peak_mb"] else None,
    }


def flat(config: Config) -> dict[str, Any]:
    specs = {
        f"flat {client} {size:,}": {"task": "flat", "client": client, "objects": size,
                                    "timed": config.flat_events, "seed": config.seed}
        for client in ("eventmirror", "handwritten") for size in config.flat_sizes
    }  # fmt: skip
    results = interleaved(config, specs)
    figures: dict[str, Any] = {"events": config.flat_events, "sizes": list(config.flat_sizes)}
    for client in ("eventmirror", "handwritten"):
        runs = [results[f"flat {client} {size:,}"] for size in config.flat_sizes]
        micros = [median(r["seconds"] / r["events"] * 1e6 for r in rs) for rs in runs]
        figures[client] = {"us_per_event": micros, "ratio": micros[1] / micros[0]}
    kept = [median(r["kept_bytes_per_event"] for r in results[f"flat eventmirror {size:,}"])
            for size in config.flat_sizes]  # fmt: skip
    figures["kept_bytes_per_event"] = kept
    return figures


def snapshots(config: Config, path: Path) -> dict[str, Any]:
    window = max(1, config.events // 10)
    base = {"task": "snapshots", "path": str(path), "warm": window, "count": window}
    results = interleaved(config, {"plain fold": {**base, "keep": False},
                                   "apply, keep every mirror": {**base, "keep": True}})  # fmt: skip
    plain, keep = results["plain fold"], results["apply, keep every mirror"]
    plain_us = median(r["seconds"] / r["events"] * 1e6 for r in plain)
    keep_us = median(r["seconds"] / r["events"] * 1e6 for r in keep)
    mirror = median(r["mirror"] for r in plain + keep)
    pairs = zip(keep, plain, strict=True)
    added = median((k["grown"] - p["grown"]) / k["events"] for k, p in pairs)
    return {
        "warm_events": window, "events": window, "plain_us_per_event": plain_us,
        "keep_us_per_event": keep_us, "time_ratio": keep_us / plain_us, "mirror_mb": mirror / MB,
        "added_bytes_per_event": added,
        "added_per_event_vs_mirror": added / mirror if mirror else None,
    }  # fmt: skip


def constant(config: Config, path: Path, full: dict[str, Any] | None) -> dict[str, Any]:
    """Peak memory after a tenth of the events and after all of them (same working set)."""
    pair = ("handwritten", "eventmirror")
    tenth = replay(config, path, max(1, config.events // 10), pair)
    full = full or replay(config, path, config.events, pair)
    return {
        "events": [tenth["events"], full["events"]],
        **{
            name: {
                "peak_mb": [tenth[name]["peak_mb"], full[name]["peak_mb"]],
                "peaks_mb": [tenth[name]["peaks_mb"], full[name]["peaks_mb"]],
            }
            for name in pair
        },
    }


def simulator(config: Config) -> dict[str, Any]:
    """Commands/s of the same workload in a world of 10 users and one of 10,000 (100,000
    objects each; a tenth of that with --quick)."""
    objects = max(100, min(100_000, config.events // 10))
    sizes = (10, 10_000 if objects >= 10_000 else 100)
    specs = {
        f"simulator {users:,} users": {"task": "simulator", "users": users, "objects": objects,
                                       "commands": max(100, objects // 5), "seed": config.seed}
        for users in sizes
    }  # fmt: skip
    results = interleaved(config, specs)
    rates = [
        median(r["commands"] / r["seconds"] for r in results[f"simulator {users:,} users"])
        for users in sizes
    ]
    return {"users": list(sizes), "objects": objects, "commands_per_s": rates,
            "ratio": rates[0] / rates[1]}  # fmt: skip


def simulator_report(s: dict[str, Any]) -> list[str]:
    small, large = s["users"]
    a, b = s["commands_per_s"]
    return [
        f"Simulator: the same commands, {s['objects']:,} objects, each reaching 3 users",
        f"  {'users':40} {small:>12,} {large:>12,}",
        f"  {'commands/s':40} {a:>12,.0f} {b:>12,.0f}",
        f"  {small:,} users vs {large:,}: {verdict(s['ratio'], '<= 2.0')}",
    ]


def verdict(value: float | None, target: str) -> str:
    """A ratio against its target (``">= 1.0"``): the figure, the target, met or MISSED."""
    if value is None:
        return "n/a"
    sign, bound = target.split()
    met = value >= float(bound) if sign == ">=" else value <= float(bound)
    return f"{value:.2f}x (target {sign} {bound}x: {'met' if met else 'MISSED'})"


def report(config: Config, figures: dict[str, Any]) -> list[str]:
    run = figures["run"]
    lines = [f"eventmirror benchmarks, {config.rounds} round(s), medians"]
    if "bytes_per_event" in run:  # a section replayed the recording
        lines = [
            f"eventmirror benchmarks: {config.events:,} events ({run['bytes_per_event']:.0f}"
            f" B/event), seed {config.seed}, {config.rounds} round(s), medians",
            "working set: "
            + ", ".join(f"{value:,} {name}" for name, value in asdict(config.working_set).items()),
        ]
    lines.append(
        f"Python {run['python']} on {platform.system()}, {run['cpus']} CPUs, load average"
        f" {run['load_before']:.2f} before, {run['load_after']:.2f} after"
    )
    for section, describe in SECTION_REPORTS.items():
        if section in figures:
            lines += ["", *describe(figures[section])]
    return lines


def replay_report(r: dict[str, Any]) -> list[str]:
    q = r["ratios"]
    lines = [f"Replay of {r['events']:,} events          events/s    peak MB"]
    for name in PIPELINES:
        speed, peak = r[name]["events_per_s"], r[name]["peak_mb"]
        lines.append(f"  {LABELS[name]:28} {speed:>12,.0f} {peak:>10.1f}")
    return [
        *lines,
        f"  hand-written vs floor: {q['handwritten_vs_floor']:.2f}x"
        f" (collector off, for reference only: {q['handwritten_gc_off_vs_floor']:.2f}x)",
        f"  eventmirror vs hand-written: {verdict(q['vs_handwritten'], '>= 1.0')}",
        f"  eventmirror vs parse floor: {verdict(q['vs_floor'], '>= 0.3')}",
        f"  peak memory vs hand-written: {verdict(q['memory_vs_handwritten'], '<= 1.5')}",
        f"  same entity counts in both clients: {'yes' if r['agree'] else 'NO'};"
        f" stream problems in the mirror: {sum(r['stream_problems'].values())}",
    ]


def flat_report(f: dict[str, Any]) -> list[str]:
    small, large = f["sizes"]
    lines = [
        f"Flat cost ({f['events']:,} object_modify/comment events)",
        f"  {'live objects':40} {small:>12,} {large:>12,}",
    ]
    for client in ("eventmirror", "handwritten"):
        a, b = f[client]["us_per_event"]
        lines.append(f"  {client + ' us/event':40} {a:>12.2f} {b:>12.2f}")
    a, b = f["kept_bytes_per_event"]
    return [
        *lines,
        f"  {'eventmirror, every mirror kept: B/event':40} {a:>12,.0f} {b:>12,.0f}",
        f"  eventmirror at {large:,} vs {small:,}: {verdict(f['eventmirror']['ratio'], '<= 2.0')}",
    ]


def snapshots_report(s: dict[str, Any]) -> list[str]:
    share = s["added_per_event_vs_mirror"]
    return [
        f"Time travel: {s['events']:,} events after {s['warm_events']:,}, every mirror kept",
        f"  plain fold {s['plain_us_per_event']:.2f} us/event,"
        f" apply and keep {s['keep_us_per_event']:.2f} us/event",
        f"  time vs plain fold: {verdict(s['time_ratio'], '<= 2.0')}",
        f"  the mirror: {s['mirror_mb']:.1f} MB; keeping every mirror adds"
        f" {s['added_bytes_per_event']:,.0f} B/event"
        + (f" ({share:.4%} of the mirror)" if share is not None else ""),
    ]


def constant_report(c: dict[str, Any]) -> list[str]:
    a, b = c["events"]
    lines = [
        "Constant memory, same working set: peak MB, median (lowest-highest round)",
        f"  {'events':28} {a:>20,} {b:>20,}   change",
    ]
    for name in ("handwritten", "eventmirror"):
        (x, y), (xs, ys) = c[name]["peak_mb"], c[name]["peaks_mb"]
        spread = [f"{m:.1f} ({min(r):.1f}-{max(r):.1f})" for m, r in ((x, xs), (y, ys))]
        lines.append(f"  {LABELS[name]:28} {spread[0]:>20} {spread[1]:>20} {y - x:>+8.1f}")
    return lines


SECTION_REPORTS = {
    "replay": replay_report,
    "command": _command.report,
    "flat": flat_report,
    "snapshots": snapshots_report,
    "constant": constant_report,
    "simulator": simulator_report,
    "serve": _serve.serve_report,
    "corpus": _corpus.report,
    "travel": _travel.report,
}


def parse(argv: Sequence[str] | None) -> tuple[Config, Path | None]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=DESCRIPTION)
    parser.add_argument("--events", type=int, help="events in the recording (default 1,000,000)")
    parser.add_argument("--rounds", type=int, help="rounds; every figure is the median (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="the recording's seed (default 1)")
    parser.add_argument("--quick", action="store_true", help="a tiny run: checks the harness")
    parser.add_argument("--only", help=f"comma-separated sections of {','.join(SECTIONS)}")
    parser.add_argument("--sessions", type=int, help="serve: long-polling sessions (1,000)")
    parser.add_argument("--recordings", type=int, help="the corpus's recordings (default 200)")
    parser.add_argument(
        "--recording-events", type=int, help="events in each of them (default 50,000)"
    )
    parser.add_argument("--cache", type=Path, help="where recordings are cached")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    config = Config.quick() if args.quick else Config()
    config.seed = args.seed
    if args.events is not None:
        config.events = args.events
    if args.rounds is not None:
        config.rounds = args.rounds
    if args.cache is not None:
        config.cache = args.cache
    if args.sessions is not None:
        config.sessions = args.sessions
    config.recordings = args.recordings or config.recordings
    config.recording_events = args.recording_events or config.recording_events
    if args.only:
        config.sections = tuple(name.strip() for name in args.only.split(","))
        unknown = set(config.sections) - set(SECTIONS)
        if unknown:
            parser.error(f"unknown sections {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    if config.events < 10 or config.rounds < 1 or config.sessions < 1:
        parser.error("need at least 10 events, 1 round and 1 session")
    return config, args.json


def main(argv: Sequence[str] | None = None) -> int:
    config, json_path = parse(argv)
    path = recording(config) if set(config.sections) & set(REPLAYING) else None
    started = time.perf_counter()
    figures: dict[str, Any] = {"run": {
        "config": {**asdict(config), "cache": str(config.cache)},
        "python": platform.python_version(), "cpus": os.cpu_count(),
        "load_before": os.getloadavg()[0],
    }}  # fmt: skip
    if path is not None:
        figures["run"].update(recording=str(path),
                              bytes_per_event=path.stat().st_size / config.events)  # fmt: skip
    for section in config.sections:
        say(f"{section}:")
        if section == "serve":
            figures["serve"] = _serve.serve(config.sessions, config.rounds, say)
        elif section == "command":
            figures["command"] = _command.command(config)
        elif section == "flat":
            figures["flat"] = flat(config)
        elif section == "simulator":
            figures["simulator"] = simulator(config)
        elif section == "corpus":
            figures["corpus"] = _corpus.corpus(config)
        elif path is None:
            raise AssertionError(f"{section} needs the recording")
        elif section == "replay":
            figures["replay"] = replay(config, path, config.events)
            figures["replay"]["ratios"] = ratios(figures["replay"])
        elif section == "snapshots":
            figures["snapshots"] = snapshots(config, path)
        elif section == "travel":
            figures["travel"] = _travel.section(config, path)
        else:
            figures["constant"] = constant(config, path, figures.get("replay"))
    figures["run"].update(load_after=os.getloadavg()[0], seconds=time.perf_counter() - started)
    print("\n".join(report(config, figures)))
    if json_path is not None:
        json_path.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    return 0

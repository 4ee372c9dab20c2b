"""The ``corpus`` section: ``eventmirror replay DIR`` over many recordings, with 1 and 2 jobs
and on a Dask ``LocalCluster`` of 2 workers.

The corpus is ``--recordings`` recordings (default 200) of ``--recording-events`` events
(default 50,000) each, half of them in the office mix and half in the devices mix, every one
with its own seed and a working set a tenth of the default (a session that reaches its
working set within its first few thousand events, then runs steadily). It is generated once,
two processes at a time, and cached in the benchmarks' cache directory.

Each engine is run as a user runs it, a whole process, ``python -m eventmirror replay DIR
--json`` with ``--jobs 1``, ``--jobs 2`` or ``--engine dask --jobs 2``, once per round, the
order rotating; the Dask run includes starting its cluster. The harness takes the wall time
and the CPU time of the process and everything it started (``RUSAGE_CHILDREN``, which counts
the pool's and the cluster's workers once they are waited for). All three must print the same
bytes, which the section checks. Scaling: 1 job's wall time over 2 jobs' (target >= 1.8x);
Dask's wall time over the local pool's with 2 jobs (target <= 1.15x). ``cores`` is CPU time
over wall time, the cores a run had on average: on a machine that others keep busy, 2 jobs
cannot scale past the cores they are given, and this column says so.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING, Any, Final

from . import generate
from .generate import GENERATOR_VERSION, WorkingSet

if TYPE_CHECKING:
    from .run import Config

#: A tenth of the default working set: what one field session sees at once.
CORPUS_SET: Final = WorkingSet(
    objects=1_000, tags=100, comments=1_000, volumes=8, files=800, conferences=16, members=200,
    sensors=40, sensor_points=1_000, chats=40, calls=100, faxes=50, presentations=8, users=200,
)  # fmt: skip
MIXES: Final = ("office", "devices")
RUNS: Final[dict[str, tuple[str, ...]]] = {
    "1 job": ("--jobs", "1"),
    "2 jobs": ("--jobs", "2"),
    "dask, 2 workers": ("--engine", "dask", "--jobs", "2"),
}
DASK: Final = "dask, 2 workers"


def _have_dask() -> bool:
    return importlib.util.find_spec("distributed") is not None


def corpus_dir(config: Config) -> Path:
    """The corpus of this configuration, generated on first use and cached by its key."""
    shape = hashlib.sha256(repr(CORPUS_SET).encode()).hexdigest()[:10]
    name = (
        f"corpus-v{GENERATOR_VERSION}-{shape}-seed{config.seed}"
        f"-{config.recordings}x{config.recording_events}"
    )
    directory = config.cache / name
    done = directory / ".complete"
    if not done.exists():
        from .run import say

        directory.mkdir(parents=True, exist_ok=True)
        say(f"generating {config.recordings} recordings of {config.recording_events:,} events")
        jobs = [
            (directory / f"session-{number:04d}.jsonl", config.recording_events,
             config.seed * 100_000 + number, MIXES[number % 2])
            for number in range(config.recordings)
        ]  # fmt: skip
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(_write, jobs))
        done.write_text("")
    return directory


def _write(job: tuple[Path, int, int, str]) -> None:
    path, events, seed, mix = job
    if not path.exists():
        generate.write(path, events, seed, CORPUS_SET, mix)


def _run(directory: Path, options: tuple[str, ...]) -> dict[str, Any]:
    from .run import ROOT

    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    command = [sys.executable, "-m", "eventmirror", "replay", str(directory), "--json", *options]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{done.stderr.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    digest = hashlib.sha256(done.stdout).hexdigest()
    return {"seconds": seconds, "cpu": cpu, "digest": digest}


def corpus(config: Config) -> dict[str, Any]:
    from .run import say

    directory = corpus_dir(config)
    events = config.recordings * config.recording_events
    names = [name for name in RUNS if "dask" not in name or _have_dask()]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for round_number in range(config.rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            result = _run(directory, RUNS[name])
            runs[name].append(result)
            say(f"  round {round_number + 1}/{config.rounds} {name:16} {result['seconds']:.2f} s")
    walls = {name: median(run["seconds"] for run in runs[name]) for name in names}
    return {
        "recordings": config.recordings,
        "events_per_recording": config.recording_events,
        "events": events,
        "runs": {
            name: {
                "seconds": walls[name],
                "cpu": median(run["cpu"] for run in runs[name]),
                "events_per_s": events / walls[name],
                # How many cores the run had on average: on a busy machine 2 jobs may not get 2.
                "cores": median(run["cpu"] / run["seconds"] for run in runs[name]),
                "walls": [run["seconds"] for run in runs[name]],
            }
            for name in names
        },
        "same_output": len({run["digest"] for rounds in runs.values() for run in rounds}) == 1,
        "scaling_2_jobs": walls["1 job"] / walls["2 jobs"],
        "dask_vs_pool": walls[DASK] / walls["2 jobs"] if DASK in walls else None,
        "load_after": os.getloadavg()[0],
    }


def report(c: dict[str, Any]) -> list[str]:
    from .run import verdict

    lines = [
        f"Corpus: {c['recordings']:,} recordings of {c['events_per_recording']:,} events"
        f" ({c['events']:,} in all), eventmirror replay DIR --json, whole process",
        f"  {'engine':20} {'wall s':>8} {'CPU s':>8} {'cores':>6} {'events/s':>10}"
        "   rounds (wall s)",
    ]
    for name, r in c["runs"].items():
        rounds = ", ".join(f"{wall:.1f}" for wall in r["walls"])
        lines.append(
            f"  {name:20} {r['seconds']:>8.2f} {r['cpu']:>8.2f} {r['cores']:>6.2f}"
            f" {r['events_per_s']:>10,.0f}   {rounds}"
        )
    return [
        *lines,
        f"  2 jobs vs 1: {verdict(c['scaling_2_jobs'], '>= 1.8')}",
        f"  dask vs the local pool, wall time: {verdict(c['dask_vs_pool'], '<= 1.15')}"
        + ("" if c["dask_vs_pool"] is not None else " (Dask is not installed)"),
        f"  the same bytes from every engine: {'yes' if c['same_output'] else 'NO'};"
        f" load average after: {c['load_after']:.2f}",
    ]

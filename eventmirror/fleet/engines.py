"""The engines that map :func:`~eventmirror.fleet.worker.replay_one` over a corpus.

- ``local``: this machine's processes (``concurrent.futures.ProcessPoolExecutor``), or this
  process alone with ``--jobs 1``. Workers add the events they read to one shared counter,
  so the progress bar counts events/s across the corpus as they happen.
- ``dask``: a Dask cluster (``distributed``): the one at ``--scheduler ADDRESS``, or a
  ``LocalCluster`` of ``--jobs`` single-threaded worker processes started for the run. The
  bar counts finished files and their events.

Both return the reports in corpus order; what is printed is built from them alone, so the
two engines print the same bytes.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, Final

from ..progress import Progress
from .corpus import CorpusError
from .report import RecordingReport
from .worker import Task, replay_one

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized

ENGINES: Final = ("local", "dask")
#: Dask settings for the LocalCluster started without --scheduler (its workers inherit them).
LOCAL_CLUSTER_CONFIG: Final = {
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "2s",
    "distributed.admin.system-monitor.interval": "2s",
}
_POLL: Final = 0.25  # seconds between redraws while waiting for workers
DASK_MISSING: Final = (
    "--engine dask needs Dask's distributed scheduler, which is not installed; "
    "install it with: pip install 'eventmirror[dask]'"
)


def default_jobs() -> int:
    """The cores this process may run on (``os.process_cpu_count`` from Python 3.13)."""
    counted = getattr(os, "process_cpu_count", None)
    if counted is not None:
        return int(counted() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


class CorpusProgress:
    """The progress bar of a corpus: files done of all, events read, events/s; the bar
    itself fills by the bytes of the finished files."""

    def __init__(self, tasks: Sequence[Task]) -> None:
        self._sizes = {task.entry.index: _size(task.entry.path) for task in tasks}
        self._bar = Progress(sys.stderr, total_bytes=sum(self._sizes.values()) or None)
        self._files = len(tasks)
        self._done = 0
        self._bytes = 0
        self.events = 0

    def add_events(self, count: int) -> None:
        self.events += count
        self.redraw()

    def file_done(self, report: RecordingReport, *, count_events: bool) -> None:
        self._done += 1
        self._bytes += self._sizes.get(report.index, 0)
        if count_events:
            self.events += report.tally.read
        self.redraw()

    def redraw(self) -> None:
        prefix = f"{self._done:,}/{self._files:,} files  "
        self._bar.update(self.events, self._bytes, prefix=prefix)

    def close(self) -> None:
        self._bar.close()


def run(
    engine: str, tasks: Sequence[Task], jobs: int, scheduler: str | None
) -> list[RecordingReport]:
    """The reports of every task, in corpus order."""
    progress = CorpusProgress(tasks)
    try:
        if engine == "dask":
            reports = _dask(tasks, jobs, scheduler, progress)
        elif jobs <= 1 or len(tasks) <= 1:
            reports = _inline(tasks, progress)
        else:
            reports = _pool(tasks, jobs, progress)
    finally:
        progress.close()
    return sorted(reports, key=lambda report: report.index)


def _inline(tasks: Sequence[Task], progress: CorpusProgress) -> list[RecordingReport]:
    reports = []
    for task in tasks:
        reports.append(replay_one(task, progress.add_events))
        progress.file_done(reports[-1], count_events=False)
    return reports


_shared_events: Synchronized[int] | None = None


def _share(counter: Synchronized[int]) -> None:
    global _shared_events  # one counter per pool process, set once as it starts
    _shared_events = counter
    # Ctrl-C reaches the whole process group: the command stops the pool, not each worker
    # with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _count_shared(count: int) -> None:
    assert _shared_events is not None
    with _shared_events.get_lock():
        _shared_events.value += count


def _pooled(task: Task) -> RecordingReport:
    return replay_one(task, _count_shared)


def _pool(tasks: Sequence[Task], jobs: int, progress: CorpusProgress) -> list[RecordingReport]:
    context = multiprocessing.get_context()
    counter = context.Value("q", 0)
    # Largest first: a long recording started last would leave the other cores idle.
    ordered = sorted(tasks, key=lambda task: -_size(task.entry.path))
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(tasks)),
        mp_context=context,
        initializer=_share,
        initargs=(counter,),
    )
    try:
        pending: set[Future[RecordingReport]] = {pool.submit(_pooled, task) for task in ordered}
        reports = []
        while pending:
            done, pending = wait(pending, timeout=_POLL, return_when=FIRST_COMPLETED)
            progress.events = counter.value
            for future in done:
                reports.append(future.result())
                progress.file_done(reports[-1], count_events=False)
            progress.redraw()
    except BaseException:  # Ctrl-C included: drop what has not started, do not wait for it
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return reports


def _dask(
    tasks: Sequence[Task], jobs: int, scheduler: str | None, progress: CorpusProgress
) -> list[RecordingReport]:
    try:
        # Imported as a plain module: Dask is an optional extra, and it has no type hints.
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise CorpusError(DASK_MISSING) from None
    with ExitStack() as resources:
        client: Any
        if scheduler is None:
            # No dashboard, so nothing reads the profiler that feeds it: a replay is pure
            # Python, and sampling its thread every 10 ms costs it the GIL (docs/fleet.md).
            dask: Any = importlib.import_module("dask")
            resources.enter_context(dask.config.set(LOCAL_CLUSTER_CONFIG))
            cluster = distributed.LocalCluster(
                n_workers=jobs,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            resources.enter_context(cluster)
            client = resources.enter_context(distributed.Client(cluster))
        else:
            try:
                client = resources.enter_context(distributed.Client(scheduler, timeout="10s"))
            except (OSError, TimeoutError) as error:
                message = f"cannot reach the Dask scheduler at {scheduler}: {error}"
                raise CorpusError(message) from None
        futures = client.map(replay_one, list(tasks), pure=False)
        reports = []
        for future in distributed.as_completed(futures):
            reports.append(future.result())
            progress.file_done(reports[-1], count_events=True)
        return reports


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return 0

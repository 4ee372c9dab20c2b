"""``eventmirror replay PATH...`` with a corpus: several paths, a directory or a glob.

One recording (or standard input, or none: the bundled example) goes to
:func:`eventmirror.replay.run_replay` as it always has. A corpus is expanded
(:mod:`~eventmirror.fleet.corpus`), replayed by an engine (:mod:`~eventmirror.fleet.engines`)
one report a recording, and printed as a table or JSON (:mod:`~eventmirror.fleet.render`).

Exit status: the worst of the recordings' own: 2 if any was unusable (unreadable, empty,
binary, not one event in it), else 1 if any failed in strict mode, else 0; 2 as well for
arguments that name no recording, or a rejects directory or Dask scheduler that cannot be used.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..replay import run_replay
from .corpus import CorpusError, expand, is_corpus, rejects_name
from .engines import default_jobs, run
from .render import json_document, text
from .report import EXIT_USAGE, totals_of
from .worker import Options, Task


def run_replay_command(args: argparse.Namespace) -> int:
    """``eventmirror replay``: one recording as before, or a corpus."""
    paths: list[str] = args.path or []
    if args.scheduler is not None and args.engine != "dask":
        print("eventmirror replay: --scheduler needs --engine dask", file=sys.stderr)
        return EXIT_USAGE
    if not is_corpus(paths):
        args.path = paths[0] if paths else None
        return run_replay(args)
    try:
        return run_corpus(args, paths)
    except CorpusError as error:
        print(f"eventmirror replay: {error}", file=sys.stderr)
        return EXIT_USAGE


def run_corpus(args: argparse.Namespace, paths: list[str]) -> int:
    entries = expand(paths)
    rejects_dir: str | None = args.rejects
    if rejects_dir is not None:
        try:
            os.makedirs(rejects_dir, exist_ok=True)
        except OSError as error:
            raise CorpusError(f"cannot write rejects to {rejects_dir}: {error.strerror}") from None
    options = Options(
        strict=args.strict,
        me=args.me,
        max_document=args.max_document,
        until_id=args.until_id,
        rejects_dir=rejects_dir,
    )
    tasks = [
        Task(entry, options, None if rejects_dir is None else rejects_name(entry, len(entries)))
        for entry in entries
    ]
    jobs = args.jobs or default_jobs()
    reports = run(args.engine, tasks, jobs, args.scheduler)
    totals = totals_of(reports)
    if args.json:
        sys.stdout.buffer.write(json_document(reports, totals))
    else:
        sys.stdout.write(text(reports, totals, rejects_dir))
    return totals.status

"""The ``inspect`` subcommand: serve the page at once, read the recording behind it, open the
browser."""

from __future__ import annotations

import argparse
import gc
import sys
import time
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .source import Growing

LOOPBACK: Final = "127.0.0.1"


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    inspect = commands.add_parser(
        "inspect",
        help="browse a recording in the browser: timeline, mirror at any event, blame",
        description=(
            "Read a recording once and serve a page (on loopback by default) with its "
            "timeline (gaps, resets, duplicates, rejected lines, unknown events and anomalies "
            "marked), a filter by type, entity and path, the mirror after any event as a tree "
            "with what that event changed highlighted, and the event that last set any value "
            "(docs/inspect.md). The page answers at once, for the part read so far, while "
            "the recording is read; mirrors are computed on demand from checkpoints."
        ),
    )
    inspect.add_argument("recording", metavar="REC", help="the recording (JSON Lines or bodies)")
    inspect.add_argument("--host", default=LOOPBACK, help=f"address to bind (default {LOOPBACK})")
    inspect.add_argument("--port", type=int, default=0, help="port (default 0: a free one)")
    inspect.add_argument(
        "--every",
        metavar="K",
        type=int,
        help="keep a checkpoint every K events (memory against the time of a step)",
    )
    inspect.add_argument("--me", metavar="UUID", help="the session's own user")
    inspect.add_argument(
        "--no-open", action="store_true", help="print the address, do not open a browser"
    )
    inspect.set_defaults(run=run_inspect)


def run_inspect(args: argparse.Namespace) -> int:
    from ..serve.main import is_loopback

    if not 0 <= args.port <= 65535:
        return _usage(f"--port must be 0..65535, got {args.port}")
    if args.every is not None and args.every < 1:
        return _usage(f"--every must be at least 1, got {args.every}")
    if not is_loopback(args.host):
        print(
            f"eventmirror inspect: warning: binding {args.host}: anyone who reaches it can "
            "read the recording",
            file=sys.stderr,
        )
    timeline = _read(args)
    import asyncio

    try:
        asyncio.run(_serve(timeline, args))
    except OSError as bad:
        return _usage(str(bad))
    return 0


def _read(args: argparse.Namespace) -> Growing:
    """The recording's timeline, its first record read (a bad file is an error now)."""
    from .source import start_reading

    print(f"eventmirror inspect: reading {args.recording}", file=sys.stderr)
    # The cyclic collector stays off until the timeline is read and frozen (_serve). Reading
    # and the requests answered meanwhile each pause it and resume it if it was on; any of
    # them resuming it before the end let a full pass over the growing timeline stop the
    # server for seconds (3.7 s at 1,000,000 events).
    gc.disable()
    return start_reading(args.recording, every=args.every, me=args.me)


async def _serve(timeline: Growing, args: argparse.Namespace) -> None:
    import asyncio
    from pathlib import Path

    from aiohttp import web

    from ..progress import Progress
    from .app import make_app
    from .source import Builder

    started = time.monotonic()
    shown = Progress(sys.stderr, unit="records")
    builder = Builder(timeline, shown.update)
    app = make_app(timeline, Path(args.recording).name, args.host, builder)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port)
    await site.start()
    builder.start()
    bound = runner.addresses[0]
    shown_host = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
    url = f"http://{shown_host}:{bound[1]}/"
    sys.stdout.write(f"eventmirror inspect: {url}\n")
    sys.stdout.flush()
    if not args.no_open:
        import webbrowser

        webbrowser.open(url)
    try:
        await asyncio.to_thread(builder.finished.wait)
        shown.close()
        if builder.error is not None:
            print(f"eventmirror inspect: {builder.error}", file=sys.stderr)
        # The timeline's millions of objects live as long as the server and form no cycles;
        # left to the cyclic collector, its next full pass walks them all (12 s on a
        # 1,000,000-event recording, in the middle of a request). Frozen, the collector
        # never looks at them.
        gc.freeze()
        gc.enable()
        print(
            f"eventmirror inspect: {len(timeline):,} entries read in "
            f"{time.monotonic() - started:.1f} s",
            file=sys.stderr,
        )
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def _usage(message: str) -> int:
    print(f"eventmirror inspect: {message}", file=sys.stderr)
    return 2

"""The ``eventmirror`` command line.

Exit status: 0 done (lenient replays succeed even with anomalies, which the summary lists);
1 a strict-mode error in the input; 2 a usage error or an input that cannot be read at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .arguments import event_id
from .recording import DEFAULT_MAX_DOCUMENT, RecordingError
from .replay import EXIT_OK, EXIT_USAGE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eventmirror",
        description="Replay, simulate and test clients of the GET /api/event stream.",
    )
    parser.add_argument("--version", action="version", version=f"eventmirror {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    replay = commands.add_parser(
        "replay",
        help="fold a recorded session into a mirror and summarise it",
        description=(
            "Fold a recorded session (JSON Lines, GET /api/event response bodies, or several "
            "bodies one after another; '-' reads standard input) into the mirror of what its "
            "user can see, and print a summary or the mirror's JSON form. Exit status: 0 "
            "done (anomalies are listed, not fatal), 1 a strict-mode error, 2 unusable input "
            "(unreadable, empty, binary, or not one event in it)."
        ),
    )
    replay.add_argument(
        "path",
        metavar="PATH",
        nargs="*",
        help=(
            "the recording, or - for standard input (default: standard input when it is "
            "piped or redirected; on a terminal, the bundled example day); several paths, a "
            "directory (its *.jsonl files, recursively) or a glob replay a corpus: a table "
            "of its recordings with their totals (docs/fleet.md)"
        ),
    )
    replay.add_argument("--json", action="store_true", help="print the mirror's JSON form")
    replay.add_argument(
        "--strict",
        action="store_true",
        help=(
            "stop at the first malformed event, gap, contradiction, or event type or field "
            "the reference does not define (exit status 1)"
        ),
    )
    replay.add_argument("--me", metavar="UUID", help="the session's own user")
    replay.add_argument(
        "--rejects",
        metavar="FILE|DIR",
        help=(
            "write every rejected input line to FILE, as JSON Lines: one object a line, "
            '{"line": N, "reason": "...", "text": "<the line, verbatim>"} ("base64" instead '
            'of "text" for bytes that are not UTF-8); with a corpus, DIR gets one such file '
            "a recording, named by its index and path"
        ),
    )
    replay.add_argument(
        "--until-id",
        metavar="N",
        type=event_id,
        help=(
            "stop after the event with id N (time travel to that point); the summary and "
            "--json (key until_id) say whether N was reached, past the end or before the "
            "first id"
        ),
    )
    replay.add_argument(
        "--max-document",
        metavar="SIZE",
        type=_byte_size,
        default=DEFAULT_MAX_DOCUMENT,
        help=(
            "reject any line or document larger than SIZE bytes without reading it whole "
            "(K, M, G suffixes; default 16M)"
        ),
    )
    replay.add_argument(
        "--jobs",
        metavar="N",
        type=_positive,
        help="with a corpus: recordings replayed at once (default: the number of cores)",
    )
    replay.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help=(
            "with a corpus: local processes (default) or a Dask cluster (needs "
            "eventmirror[dask]; without --scheduler, a local cluster of --jobs workers)"
        ),
    )
    replay.add_argument(
        "--scheduler", metavar="ADDRESS", help="the Dask scheduler, such as tcp://host:8786"
    )
    from .fleet.command import run_replay_command

    replay.set_defaults(run=run_replay_command)

    simulate = commands.add_parser(
        "simulate",
        help="write a simulated day's session streams as recordings",
        description=(
            "Simulate a day on the platform from SEED alone (users, tags, objects, chats, "
            "files, calls, conferences, presentations, sensors...) and write each session's "
            "stream to DIR/<session>-<user>.jsonl, with DIR/sessions.json listing the "
            "sessions and their users' UUIDs. The same SEED gives the same bytes. Each file "
            "replays with: eventmirror replay FILE --me UUID"
        ),
    )
    simulate.add_argument("seed", metavar="SEED", type=_whole_number, help="the day's seed")
    simulate.add_argument(
        "--out", metavar="DIR", required=True, help="where to write (created if needed)"
    )
    simulate.add_argument(
        "--steps", metavar="N", type=_whole_number, default=500, help="commands (default 500)"
    )
    simulate.add_argument(
        "--users", metavar="N", type=_positive, default=4, help="users (default 4)"
    )
    simulate.add_argument(
        "--force", action="store_true", help="overwrite the recordings already in DIR"
    )
    simulate.set_defaults(run=run_simulate)
    from scenarios.cli import add_commands  # run, scenario-from

    add_commands(commands)
    from .commandlist import add_command  # commands

    add_command(commands)
    from .serve.main import add_command as add_serve  # serve

    add_serve(commands)
    from .travel import bisect, blame, diff, log  # log, diff, blame, bisect

    for travel_command in (log, diff, blame, bisect):
        travel_command.add_command(commands)
    from .inspect.main import add_command as add_inspect  # inspect

    add_inspect(commands)
    return parser


def _whole_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {value}")
    return value


def _positive(text: str) -> int:
    value = _whole_number(text)
    if value == 0:
        raise argparse.ArgumentTypeError("expected a number >= 1, got 0")
    return value


def _byte_size(text: str) -> int:
    units = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
    number, unit = text.rstrip("KMGkmg"), text[len(text.rstrip("KMGkmg")) :].upper()
    try:
        value = int(number) * units[unit]
    except (ValueError, KeyError):
        raise argparse.ArgumentTypeError(
            f"expected a size in bytes such as 1048576, 512K or 16M, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a size of at least 1 byte, got {text!r}")
    return value


def run_simulate(args: argparse.Namespace) -> int:
    from pathlib import Path

    # The simulator loads every domain and the reducers; keep --help fast.
    from simulator import DEFAULT_START
    from simulator.driver import run_day
    from simulator.recording import summary, write_recordings

    world = run_day(args.seed, steps=args.steps, users=args.users)
    try:
        index = write_recordings(
            world,
            Path(args.out),
            seed=args.seed,
            steps=args.steps,
            start=DEFAULT_START,
            force=args.force,
        )
    except OSError as error:  # FileExistsError included: nothing was written
        print(f"eventmirror simulate: {error}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(summary(world, index))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except RecordingError as error:
        print(f"eventmirror {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # A reader such as `head` closed the pipe: not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print(f"eventmirror {args.command}: interrupted", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())

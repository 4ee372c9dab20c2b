"""``eventmirror blame REC POINTER``: the event that last set the value at a path.

One pass over the recording (:func:`reducers.blame`): the event that last changed the value
at the JSON Pointer (id, type, time, line, old and new value), and with ``--history`` every
event that changed it, in order. ``--json`` writes one document (``Blame.to_json()``).
A path that is not in any mirror along the recording is an error naming the first key not
found, with the nearest key there (exit status 2).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .common import EXIT_OK, add_recording, complain, dumps, preview, when

if TYPE_CHECKING:
    from reducers import Blame, Setter


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``blame`` to the ``eventmirror`` command's subcommands."""
    parser = commands.add_parser(
        "blame",
        help="which event set the value at a path of the mirror",
        description=(
            "Find the event that last set the value at POINTER (a JSON Pointer into the "
            "mirror's JSON form, e.g. /objects/UUID/description) in one pass over the "
            "recording, and with --history every event that changed it "
            "(docs/time-travel.md). Exit status: 0 done, 2 a bad path or recording."
        ),
    )
    add_recording(parser)
    parser.add_argument("pointer", metavar="POINTER", help="a JSON Pointer: /objects/UUID/...")
    parser.add_argument("--history", action="store_true", help="every event that changed it")
    parser.add_argument("--json", action="store_true", help="print a JSON document")
    parser.set_defaults(run=run_blame)


def run_blame(args: argparse.Namespace) -> int:
    import reducers

    try:
        found = reducers.blame(args.path, args.pointer, history=args.history, me=args.me)
    except reducers.PointerError as error:
        return complain("blame", str(error))
    if args.json:
        sys.stdout.write(dumps(found.to_json()) + "\n")
    else:
        sys.stdout.write(_text(found, args.history))
    return EXIT_OK


def _text(found: Blame, history: bool) -> str:
    import reducers

    value = "(absent)" if found.value is reducers.MISSING else preview(found.value)
    lines = [f"{found.pointer} = {value}"]
    if found.last is None:
        lines.append("no event changed it: it was there from the start")
    else:
        lines.append(f"last set by {_setter(found.last)}")
    if history:
        lines.append(f"history ({len(found.history)}):")
        lines += [f"  {_setter(setter)}" for setter in found.history]
    return "\n".join(lines) + "\n"


def _setter(setter: Setter) -> str:
    import reducers

    kind = setter.type or "?"
    head = f"id {setter.id} ({kind}) at {when(setter.time)}, line {setter.line}"
    if setter.kind == "added":
        return f"{head}: added {preview(setter.new)}"
    if setter.kind == "removed":
        return f"{head}: removed (was {preview(setter.old)})"
    assert setter.old is not reducers.MISSING
    return f"{head}: {preview(setter.old)} -> {preview(setter.new)}"

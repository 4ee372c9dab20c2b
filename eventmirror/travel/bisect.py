"""``eventmirror bisect REC --when EXPR``: the first event after which a condition holds.

The condition is a JMESPath expression over the mirror's JSON form (docs/time-travel.md); it
holds when its result is not ``false``, ``null`` or empty. One pass over the recording
(:func:`reducers.bisect`) finds the first event after which it holds, having not held before
it, and the event just before that one. ``--json`` writes one document
(``Bisection.to_json()``). Exit status: 0 found, 1 the condition never came to hold, 2 a bad
expression or recording.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .common import EXIT_NOT_FOUND, EXIT_OK, add_recording, complain, dumps, when

if TYPE_CHECKING:
    from reducers.condition import At, Bisection


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``bisect`` to the ``eventmirror`` command's subcommands."""
    parser = commands.add_parser(
        "bisect",
        help="the first event after which a condition on the mirror holds",
        description=(
            "Find the first event after which EXPR, a JMESPath expression over the mirror's "
            'JSON form, holds (e.g. objects."UUID".trashed), and the event before it '
            "(docs/time-travel.md). Exit status: 0 found, 1 it never came to hold, 2 a bad "
            "expression or recording."
        ),
    )
    add_recording(parser)
    parser.add_argument("--when", metavar="EXPR", required=True, help="a JMESPath condition")
    parser.add_argument("--json", action="store_true", help="print a JSON document")
    parser.set_defaults(run=run_bisect)


def run_bisect(args: argparse.Namespace) -> int:
    import reducers

    try:
        found = reducers.bisect(args.path, args.when, me=args.me)
    except reducers.ConditionError as error:
        return complain("bisect", str(error))
    if args.json:
        sys.stdout.write(dumps(found.to_json()) + "\n")
    else:
        sys.stdout.write(_text(found))
    return EXIT_OK if found.first is not None else EXIT_NOT_FOUND


def _text(found: Bisection) -> str:
    lines = [f"condition: {found.expression}"]
    if found.held_at_start:
        lines.append("it held before the first event")
    if found.first is None:
        lines.append("it never came to hold" + (" again" if found.held_at_start else ""))
    else:
        lines.append(f"first event after which it holds: {_at(found.first)}")
        if found.before is not None:
            lines.append(f"the last event before it:         {_at(found.before)}")
    return "\n".join(lines) + "\n"


def _at(at: At) -> str:
    kind = at.type or "?"
    return f"id {at.id} ({kind}) at {when(at.time)}, line {at.line}"

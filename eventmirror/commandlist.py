"""``eventmirror commands [DOMAIN]``: the simulator's commands, from their declarations.

Every command (or one domain's, or one command's) with who performs it, its arguments, their
types, whether each is required, and its one line of docs. Text by default; ``--json`` gives
the same as a JSON document, byte for byte the same on every run. An unknown domain is a usage
error (exit status 2) with a did-you-mean, as a scenario's unknown command is.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from eventmirror.errors import did_you_mean

if TYPE_CHECKING:
    from simulator.commands import Command

EXIT_OK, EXIT_USAGE = 0, 2

#: How the text form says who performs a command (and whether a scenario needs ``as:``).
_BY = {
    "user": "by a user (as: required)",
    "user or platform": "by a user or the platform (as: optional)",
    "platform": "by the platform or a device (no as:)",
}


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``commands`` to the ``eventmirror`` command's subcommands."""
    parser = commands.add_parser(
        "commands",
        help="list the simulator's commands, their arguments and docs",
        description=(
            "List the simulator's commands (what a scenario's 'do:' step names): who performs "
            "each, its arguments with their types, required or optional, and one line of docs."
        ),
    )
    parser.add_argument(
        "domain",
        metavar="DOMAIN",
        nargs="?",
        help="only this domain's commands (tags, objects, chat, ...), or one command (tags.create)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON document")
    parser.set_defaults(run=run_commands)


def run_commands(args: argparse.Namespace) -> int:
    # Imported here: building the parser must not pay for the simulator.
    from simulator.commands import catalogue

    everything = catalogue()
    selected = list(everything.values())
    if args.domain is not None:
        selected = [c for c in selected if args.domain in (c.domain, c.name)]
        if not selected:
            domains = list(dict.fromkeys(c.domain for c in everything.values()))
            hint = did_you_mean(args.domain, [*domains, *everything])
            print(
                f"eventmirror commands: no domain or command {args.domain!r}{hint} "
                f"(the domains: {', '.join(domains)})",
                file=sys.stderr,
            )
            return EXIT_USAGE
    if args.json:
        document = {"commands": [as_json(found) for found in selected]}
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print("\n".join(as_text(found) for found in selected), end="")
    return EXIT_OK


def as_json(found: Command) -> dict[str, Any]:
    """One command as ``--json`` gives it."""
    return {
        "name": found.name,
        "by": found.by,
        "arguments": [
            {"name": a.name, "type": a.type, "required": a.required} for a in found.arguments
        ],
        "more_arguments": found.open_ended,
        "doc": found.summary,
        "details": found.details,
    }


def as_text(found: Command) -> str:
    """One command as the text form gives it: a heading line, then one line per argument."""
    lines = [f"{found.name}: {_BY[found.by]}", f"    {found.summary}"]
    width = max((len(a.name) for a in found.arguments), default=0)
    for argument in found.arguments:
        need = "required" if argument.required else "optional"
        lines.append(f"    {argument.name:<{width}}  {need:<8}  {argument.type}")
    if found.open_ended is not None:
        lines.append(f"    (and the fields the doc names, as **{found.open_ended})")
    return "\n".join(lines) + "\n"

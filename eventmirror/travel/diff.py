"""``eventmirror diff``: what changed between two points of a recording, or two saved mirrors.

``eventmirror diff REC --from-id A --to-id B`` compares the mirror after event A with the
mirror after event B (the first record carrying each id; B may come before A, then the diff
runs backwards); ``eventmirror diff A.json B.json`` compares two mirrors saved by
``eventmirror replay --json``. Changes are ``reducers.diff``'s, path by path, each with the
descriptions of the entities its path names (an object's description, a tag's label, a
file's name, ...). ``--json`` writes one document: ``{"from", "to", "changes"}``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..arguments import event_id
from .common import (
    EXIT_OK,
    UsageError,
    change_json,
    change_text,
    complain,
    dumps,
    not_in_recording,
    when,
)

if TYPE_CHECKING:
    from reducers import Mirror


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``diff`` to the ``eventmirror`` command's subcommands."""
    parser = commands.add_parser(
        "diff",
        help="what changed between two events of a recording, or two saved mirrors",
        description=(
            "Compare the mirror after event A with the mirror after event B of a recording "
            "(REC --from-id A --to-id B), or two mirrors saved by 'eventmirror replay --json' "
            "(A.json B.json): every changed path (a JSON Pointer), with the old and new values "
            "and the names of the entities it names (docs/time-travel.md). Exit status: 0 "
            "done, 2 a bad id or file."
        ),
    )
    parser.add_argument("inputs", metavar="REC | A.json B.json", nargs="+")
    parser.add_argument("--from-id", metavar="A", type=event_id, help="the event to compare from")
    parser.add_argument("--to-id", metavar="B", type=event_id, help="the event to compare to")
    parser.add_argument("--me", metavar="UUID", help="the session's own user (a recording)")
    parser.add_argument("--json", action="store_true", help="print a JSON document")
    parser.set_defaults(run=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    try:
        if len(args.inputs) == 2:
            if args.from_id is not None or args.to_id is not None:
                raise UsageError("--from-id and --to-id go with one recording, not two mirrors")
            sides = [_saved(path) for path in args.inputs]
        elif len(args.inputs) == 1:
            if args.from_id is None or args.to_id is None:
                raise UsageError(
                    "a recording needs --from-id A and --to-id B (or give two saved mirrors)"
                )
            sides = _from_recording(args.inputs[0], args.from_id, args.to_id, args.me)
        else:
            raise UsageError("expected a recording, or two saved mirrors")
    except UsageError as error:
        return complain("diff", str(error))
    (label_a, mirror_a), (label_b, mirror_b) = sides
    _print(args.json, label_a, mirror_a, label_b, mirror_b)
    return EXIT_OK


def _saved(path: str) -> tuple[dict[str, Any], Mirror]:
    import reducers

    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    try:
        mirror = reducers.loads(data)
    except reducers.MirrorFormatError as error:
        message = f"{path} is not a saved mirror (eventmirror replay --json): {error}"
        raise UsageError(message) from None
    return {"file": path}, mirror


def _from_recording(
    path: str, from_id: int, to_id: int, me: str | None
) -> list[tuple[dict[str, Any], Mirror]]:
    from reducers.steps import applied, read_record

    found: dict[int, tuple[dict[str, Any], Mirror]] = {}
    first: int | None = None
    last: int | None = None
    for index, line, data, _, after in applied(path, me=me):
        event = read_record(data)
        number = event[0]
        if number is None:
            continue
        first = number if first is None else min(first, number)
        last = number if last is None else max(last, number)
        if number in (from_id, to_id) and number not in found:
            label: dict[str, Any] = {"id": number, "index": index, "line": line}
            if event[1] is not None:
                label["type"] = event[1]
            if event[2] is not None:
                label["time"] = event[2]
            found[number] = (label, after)
            if from_id in found and to_id in found:
                break
    for wanted, option in ((from_id, "--from-id"), (to_id, "--to-id")):
        if wanted not in found:
            raise UsageError(not_in_recording(wanted, option, (first, last)))
    return [found[from_id], found[to_id]]


def _print(as_json: bool, label_a: dict[str, Any], a: Mirror, label_b: dict[str, Any],
           b: Mirror) -> None:  # fmt: skip
    import reducers

    changes = reducers.diff(a, b)
    if as_json:
        document = {
            "from": label_a,
            "to": label_b,
            "changes": [change_json(change, b, a) for change in changes],
        }
        sys.stdout.write(dumps(document) + "\n")
        return
    lines = [f"from {_label(label_a)}", f"to   {_label(label_b)}"]
    count = len(changes)
    lines.append(f"{count} change{'s' if count != 1 else ''}" + (":" if changes else ""))
    lines += ["  " + change_text(change, b, a) for change in changes]
    sys.stdout.write("\n".join(lines) + "\n")


def _label(label: dict[str, Any]) -> str:
    if "file" in label:
        return str(label["file"])
    kind = f" ({label['type']})" if "type" in label else ""
    return f"id {label['id']}{kind} at {when(label.get('time'))}, line {label['line']}"

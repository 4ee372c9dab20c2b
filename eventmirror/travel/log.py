"""``eventmirror log REC``: the records of a recording, filtered, each with what it changed.

One pass over the recording (:func:`reducers.steps.applied`). Events are kept by
``--type GLOB`` (on the event type), ``--entity UUID`` (a UUID the event names), ``--path
POINTER`` (events that changed the value there, as blame finds them) and ``--from-id A``
``--to-id B`` (from the first record with id A to the first with id B after it, both
included). What the stream made of a record (a gap before it, a reset, a duplicate, a
rejected line, an unknown type or field, an anomaly) is shown where it happened whatever
the filters, inside the id range. ``--changes`` follows each event with what it changed in
the mirror, as path-level changes (``reducers.diff``). ``--json`` writes JSON Lines: one
object per entry (``Entry.to_json()``, with ``changes`` when asked).
"""

from __future__ import annotations

import argparse
import fnmatch
import functools
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from ..arguments import event_id
from .common import (
    EXIT_OK,
    Describe,
    UsageError,
    add_recording,
    change_json,
    change_text,
    complain,
    describe,
    dumps,
    not_in_recording,
    when,
)

if TYPE_CHECKING:
    from reducers import Change, Step

#: The marks a log always shows, whatever the filters: the stream's own events.
_STREAM_MARKS = ("gap", "reset", "duplicate", "rejected", "unknown type")


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``log`` to the ``eventmirror`` command's subcommands."""
    parser = commands.add_parser(
        "log",
        help="list a recording's events, filtered, with what each changed",
        description=(
            "List the records of a recording: id, time, type and the entities each event names, "
            "with gaps, resets, duplicates, rejected lines and unknown events where they "
            "happened. Filters combine; --changes adds what each event changed in the mirror "
            "(docs/time-travel.md). Exit status: 0 done, 2 a bad path, id or recording."
        ),
    )
    add_recording(parser)
    parser.add_argument("--type", metavar="GLOB", help="only events whose type matches (object_*)")
    parser.add_argument("--entity", metavar="UUID", help="only events naming this UUID")
    parser.add_argument(
        "--path",
        dest="pointer",
        metavar="POINTER",
        help="only events that changed this JSON Pointer",
    )
    parser.add_argument("--from-id", metavar="A", type=event_id, help="start at event id A")
    parser.add_argument("--to-id", metavar="B", type=event_id, help="stop after event id B")
    parser.add_argument("--changes", action="store_true", help="show what each event changed")
    parser.add_argument("--json", action="store_true", help="write JSON Lines, an entry a line")
    parser.set_defaults(run=run_log)


def run_log(args: argparse.Namespace) -> int:
    try:
        return _log(args, sys.stdout)
    except UsageError as error:
        return complain("log", str(error))


def _log(args: argparse.Namespace, out: TextIO) -> int:
    import reducers
    from reducers.changes import named_strings, step_changes
    from reducers.pointer import missing_key, nodes, unchanged
    from reducers.steps import mark_names

    keys: tuple[str, ...] | None = None
    if args.pointer is not None:
        try:
            keys = reducers.parse_pointer(args.pointer)
        except reducers.PointerError as error:
            raise UsageError(str(error)) from None
    started = args.from_id is None
    path_seen = False
    first_id: int | None = None
    last_id: int | None = None
    final = reducers.empty(args.me)
    for step in _steps(args):
        final = step.mirror
        if step.id is not None:
            first_id = step.id if first_id is None else min(first_id, step.id)
            last_id = step.id if last_id is None else max(last_id, step.id)
        if not started:
            started = step.id == args.from_id
            if not started:
                continue
        changed_path = True
        if keys is not None:
            before, after = nodes(step.before, keys), nodes(step.mirror, keys)
            path_seen = path_seen or len(before) > len(keys) or len(after) > len(keys)
            changed_path = not unchanged(before, after, step.before, keys, step.mirror)
        shown = _matches(step, args) and changed_path
        marked = any(name in _STREAM_MARKS for name in mark_names(step.marks))
        if shown or marked:
            changes: list[Change] | None = None
            if args.changes and shown:
                named = named_strings(step.data)
                changes = step_changes(step.before, step.mirror, step.type, named)
            _write(out, step, changes, args.json, _names(step))
        if args.to_id is not None and step.id == args.to_id:
            return EXIT_OK
    span = (first_id, last_id)
    if not started:
        raise UsageError(not_in_recording(args.from_id, "--from-id", span))
    if args.to_id is not None:
        raise UsageError(not_in_recording(args.to_id, "--to-id", span, after=args.from_id))
    if keys is not None and not path_seen:
        raise UsageError(str(missing_key(final, keys)))
    return EXIT_OK


def _steps(args: argparse.Namespace) -> Iterator[Step]:
    import reducers

    return reducers.steps(args.path, me=args.me)


def _matches(step: Step, args: argparse.Namespace) -> bool:
    if args.type is not None and (
        step.type is None or not fnmatch.fnmatchcase(step.type, args.type)
    ):
        return False
    return args.entity is None or args.entity in step.entities


def _write(
    out: TextIO, step: Step, changes: list[Change] | None, as_json: bool, names: Describe
) -> None:
    from reducers.steps import facts_json

    if as_json:
        document = facts_json(step)
        if changes is not None:
            document["changes"] = [change_json(c, names=names) for c in changes]
        out.write(dumps(document) + "\n")
        return
    for line in _text(step, changes, names):
        out.write(line + "\n")


def _text(step: Step, changes: list[Change] | None, names: Describe) -> Iterator[str]:
    from reducers.steps import mark_names

    marks = mark_names(step.marks)
    where = f"line {step.line}"
    if step.gap is not None:
        first, last = step.gap
        missing = f"id {first} is" if first == last else f"ids {first}..{last} are"
        yield f"-- gap: {missing} missing ({where})"
    if "reset" in marks:
        yield f"-- reset: the server started a new session, id 0 again ({where})"
    if "duplicate" in marks:
        yield f"-- duplicate of id {step.id}, skipped ({where})"
        return
    if "rejected" in marks:
        yield f"-- rejected ({where}): {step.reason}"
        return
    named = " ".join(_entity(uuid, names) for uuid in step.entities)
    notes = [name for name in marks if name not in ("gap", "reset")]
    note = f"  [{', '.join(notes)}]" if notes else ""
    head = f"id {step.id:<7} {_when(step.time)}  {step.type:<27} {named}".rstrip()
    yield head + note
    if step.reason is not None and ("anomaly" in marks or "unknown field" in marks):
        yield f"    ! {step.reason}"
    for change in changes or ():
        yield "    " + change_text(change, names=names)


def _entity(uuid: str, names: Describe) -> str:
    name = names(uuid, False)
    return uuid if name is None else f"{uuid} ({dumps(name)})"


#: Event times repeat (many events a second): each written once.
_when = functools.lru_cache(maxsize=256)(when)


def _names(step: Step) -> Describe:
    """How to describe an entity in ``step``: as :func:`describe` finds it in the mirror
    after, then before, each entity looked up once (the event's line names it, and then
    each of its changes: a search through six slices every time)."""
    before, after = step.before, step.mirror
    found: dict[tuple[str, bool], str | None] = {}

    def names(uuid: str, files: bool) -> str | None:
        key = (uuid, files)
        if key in found:
            return found[key]
        text = found[key] = describe(uuid, after, before, files=files)
        return text

    return names

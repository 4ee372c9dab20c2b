"""``eventmirror log REC``: the records of a recording, filtered, each with what it changed.

One pass over the recording: folded in place by :func:`reducers.trace`, which reads each
record's changes off what it touched; with ``--path``, step by step (:func:`reducers.steps`,
the mirrors before and after each record compared along the path). Events are kept by
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
from typing import TYPE_CHECKING, Any, Final, TextIO

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
    quoted,
    when,
)

if TYPE_CHECKING:
    from reducers import Change, Mirror, Step

#: The marks a log always shows, whatever the filters: the stream's own events.
_STREAM_MARKS: Final = ("gap", "reset", "duplicate", "rejected", "unknown type")
#: Lines written at once (one write call per record cost a tenth of a log).
_FLUSH_EVERY: Final = 2048


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

    keys: tuple[str, ...] | None = None
    if args.pointer is not None:
        try:
            keys = reducers.parse_pointer(args.pointer)
        except reducers.PointerError as error:
            raise UsageError(str(error)) from None
    log = _Log(args, out, keys)
    try:
        if keys is None:  # in place, each event's changes from what it touched
            reducers.trace(args.path, log.take, me=args.me)
        else:  # every mirror kept: --path compares the mirrors before and after
            for step in reducers.steps(args.path, me=args.me):
                if log.take(_Stepped(step)):
                    break
    finally:
        log.flush()
    return log.verdict()


class _Stepped:
    """A :class:`~reducers.Step` as the log reads a record (what ``reducers.trace`` gives)."""

    def __init__(self, step: Step) -> None:
        self.step = step
        self.index, self.line, self.id, self.type = step.index, step.line, step.id, step.type
        self.time, self.entities, self.marks = step.time, step.entities, step.marks
        self.reason, self.gap = step.reason, step.gap
        self.describe = _names(step)

    def changes(self) -> list[Change]:
        from reducers.changes import named_strings, step_changes

        step = self.step
        return step_changes(step.before, step.mirror, step.type, named_strings(step.data))


class _Log:
    """What the log writes of each record, as the records come (``take``), and what the whole
    recording says of its arguments afterwards (``verdict``)."""

    def __init__(self, args: argparse.Namespace, out: TextIO, keys: tuple[str, ...] | None):
        self.args, self.out, self.keys = args, out, keys
        self.started = args.from_id is None
        self.path_seen = False
        self.first_id: int | None = None
        self.last_id: int | None = None
        self.final: Mirror | None = None
        self.done = False
        self.pending: list[str] = []
        from reducers.steps import MARK_NAMES

        self.stream_marks = sum(flag for flag, name in MARK_NAMES.items() if name in _STREAM_MARKS)

    def take(self, record: Any) -> bool:
        """Write ``record`` if the filters keep it; True once past ``--to-id``."""
        args = self.args
        if record.id is not None:
            self.first_id = record.id if self.first_id is None else min(self.first_id, record.id)
            self.last_id = record.id if self.last_id is None else max(self.last_id, record.id)
        if self.keys is not None:
            self.final = record.step.mirror
        if not self.started:
            self.started = record.id == args.from_id
            if not self.started:
                return False
        changed_path = True
        if self.keys is not None:
            changed_path = self._changed_path(record.step)
        shown = _matches(record, args) and changed_path
        if shown or record.marks & self.stream_marks:
            changes = record.changes() if args.changes and shown else None
            if args.json:
                self.pending.append(_json_line(record, changes))
            else:
                self.pending.extend(_text(record, changes, record.describe))
            if len(self.pending) >= _FLUSH_EVERY:
                self.flush()
        if args.to_id is not None and record.id == args.to_id:
            self.done = True
            return True
        return False

    def _changed_path(self, step: Step) -> bool:
        from reducers.pointer import nodes, unchanged

        keys = self.keys
        assert keys is not None
        before, after = nodes(step.before, keys), nodes(step.mirror, keys)
        self.path_seen = self.path_seen or len(before) > len(keys) or len(after) > len(keys)
        return not unchanged(before, after, step.before, keys, step.mirror)

    def flush(self) -> None:
        if self.pending:
            self.out.write("\n".join(self.pending) + "\n")
            self.pending.clear()

    def verdict(self) -> int:
        """EXIT_OK, or the usage error the arguments make for this recording."""
        import reducers
        from reducers.pointer import missing_key

        args = self.args
        if self.done:
            return EXIT_OK
        span = (self.first_id, self.last_id)
        if not self.started:
            raise UsageError(not_in_recording(args.from_id, "--from-id", span))
        if args.to_id is not None:
            raise UsageError(not_in_recording(args.to_id, "--to-id", span, after=args.from_id))
        if self.keys is not None and not self.path_seen:
            final = self.final if self.final is not None else reducers.empty(args.me)
            raise UsageError(str(missing_key(final, self.keys)))
        return EXIT_OK


def _matches(step: Any, args: argparse.Namespace) -> bool:
    if args.type is not None and (
        step.type is None or not fnmatch.fnmatchcase(step.type, args.type)
    ):
        return False
    return args.entity is None or args.entity in step.entities


def _json_line(record: Any, changes: list[Change] | None) -> str:
    from reducers.steps import facts_json

    document = facts_json(record)
    if changes is not None:
        document["changes"] = [change_json(c, names=record.describe) for c in changes]
    return dumps(document)


def _text(step: Any, changes: list[Change] | None, names: Describe) -> list[str]:
    """The text lines of a record: the stream's marks, the event, its changes."""
    lines = []
    if step.marks:
        from reducers.steps import mark_names

        marks = mark_names(step.marks)
        where = f"line {step.line}"
        if step.gap is not None:
            first, last = step.gap
            missing = f"id {first} is" if first == last else f"ids {first}..{last} are"
            lines.append(f"-- gap: {missing} missing ({where})")
        if "reset" in marks:
            lines.append(f"-- reset: the server started a new session, id 0 again ({where})")
        if "duplicate" in marks:
            lines.append(f"-- duplicate of id {step.id}, skipped ({where})")
            return lines
        if "rejected" in marks:
            lines.append(f"-- rejected ({where}): {step.reason}")
            return lines
        notes = [name for name in marks if name not in ("gap", "reset")]
    else:
        marks = notes = []
    named = " ".join([_entity(uuid, names(uuid, False)) for uuid in step.entities])
    note = f"  [{', '.join(notes)}]" if notes else ""
    head = f"id {step.id:<7} {_when(step.time)}  {step.type:<27} {named}".rstrip()
    lines.append(head + note)
    if step.reason is not None and ("anomaly" in marks or "unknown field" in marks):
        lines.append(f"    ! {step.reason}")
    for change in changes or ():
        lines.append("    " + change_text(change, names=names))
    return lines


def _entity(uuid: str, name: str | None) -> str:
    return uuid if name is None else f"{uuid} ({quoted(name)})"


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

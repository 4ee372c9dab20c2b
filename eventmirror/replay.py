"""``eventmirror replay``: fold a recording into a mirror, then summarise it or print its JSON.

Exit status: 0 done (anomalies are listed, not fatal); 1 a strict-mode error in the input; 2
input that cannot be used at all: unreadable, empty, binary, or without a single event.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, BinaryIO, Final, Literal

import attrs
import msgspec

from .codec import decode
from .errors import EventError
from .progress import Progress
from .recording import iter_records, open_recording
from .rejects import RejectsFile
from .summary import render
from .unusable import head_of, looks_binary, why_no_events

if TYPE_CHECKING:
    from reducers import Health, Mirror

EXIT_OK, EXIT_INPUT_ERROR, EXIT_USAGE = 0, 1, 2
_PROGRESS_EVERY = 4096
#: The key replay's ``--json`` adds next to the mirror's JSON form when ``--until-id`` is
#: given; ``reducers.loads`` reads only the mirror's own keys, so the document still loads.
UNTIL_ID_KEY: Final = "until_id"

Outcome = Literal["reached", "past_the_end", "before_the_first_id", "not_in_the_recording"]


@attrs.frozen
class UntilId:
    """Where ``--until-id N`` stopped the replay, and whether event N was there."""

    requested: int
    outcome: Outcome
    #: The id of the last event read from the input: the last one replayed, or the first one
    #: past ``requested``, which stopped the replay.
    last_id_seen: int
    #: The last id the mirror took (None: nothing was replayed).
    last_id_replayed: int | None

    @property
    def message(self) -> str:
        n, seen = self.requested, self.last_id_seen
        if self.outcome == "reached":
            return f"replayed up to event {n}"
        if self.outcome == "past_the_end":
            return f"id {n} is past the end: the recording ends at id {seen}; all of it replayed"
        if self.outcome == "before_the_first_id":
            return (
                f"id {n} is before the first id: the recording starts at id {seen}; "
                "nothing replayed"
            )
        return (
            f"id {n} is not in the recording: replayed up to id {self.last_id_replayed}, "
            f"stopped before id {seen}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "requested": self.requested,
            "outcome": self.outcome,
            "last_id_seen": self.last_id_seen,
            "message": self.message,
        }


def until_id_outcome(requested: int, stopped_at: int | None, mirror: Mirror) -> UntilId | None:
    """What ``--until-id requested`` came to: ``stopped_at`` is the id of the event past it
    that stopped the replay (None: the input ended first). None if no event was read."""
    replayed = mirror.last_id
    if stopped_at is None:
        if replayed is None:
            return None
        outcome: Outcome = "reached" if replayed == requested else "past_the_end"
        return UntilId(requested, outcome, replayed, replayed)
    if replayed is None:
        return UntilId(requested, "before_the_first_id", stopped_at, None)
    outcome = "reached" if replayed == requested else "not_in_the_recording"
    return UntilId(requested, outcome, stopped_at, replayed)


def stdin_is_piped() -> bool:
    """Whether standard input is a pipe, a socket or a redirected file (not a terminal, nor
    /dev/null): then ``replay`` without a path reads it."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode) or stat.S_ISSOCK(mode)


def run_replay(args: argparse.Namespace) -> int:
    import reducers  # the reducers load every domain module; keep --help fast

    if args.path is None and stdin_is_piped():
        args.path = "-"
    source = "standard input" if args.path == "-" else args.path
    if args.path is None:
        from .examples import EXAMPLE, EXAMPLE_ME, FILENAME

        args.path, source = str(EXAMPLE), f"the bundled example, {FILENAME}"
        args.me = args.me or EXAMPLE_ME
    shown = "standard input" if args.path == "-" else args.path
    mirror = reducers.empty(args.me)
    stopped_at: int | None = None
    with ExitStack() as resources:
        stream = resources.enter_context(open_recording(args.path))
        head = head_of(stream)
        rejects = resources.enter_context(RejectsFile(args.rejects)) if args.rejects else None
        progress = Progress(sys.stderr, total_bytes=_size(stream))
        count = 0
        with reducers.collector_paused():
            records = iter_records(stream, max_document=args.max_document)
            for record in records:
                event: reducers.EventInput = record.data
                if args.until_id is not None:
                    event_id = _event_id(record.data)  # None: apply() records why (or raises)
                    if event_id is not None and event_id > args.until_id:
                        stopped_at = event_id
                        break
                before = mirror.health
                try:
                    mirror = reducers.apply(mirror, event, strict=args.strict, line=record.line)
                    if rejects is not None and mirror.health.rejected > before.rejected:
                        rejects.write(record.line, record.data, _reason(before, mirror.health))
                except EventError as error:
                    progress.close()
                    if mirror.last_id is None and error.event_id is None:
                        # Strict mode stops here; yet if no event follows, the input is
                        # unusable (status 2), not an input with a bad event in it.
                        rest = [_event_id(later.data) for later in records]
                        if all(event_id is None for event_id in rest):
                            read = count + 1 + len(rest)
                            _complain(f"no events in {shown}: {_no_events(head, read, str(error))}")
                            return EXIT_USAGE
                    # An error without an event id already names its line.
                    where = f"line {record.line}: " if error.event_id is not None else ""
                    _complain(f"{shown}: {where}{error}")
                    return EXIT_INPUT_ERROR
                count += 1
                if count % _PROGRESS_EVERY == 0:
                    progress.update(count, _position(stream))
        progress.close()
    if mirror.last_id is None and stopped_at is None:
        anomalies = mirror.health.anomalies
        first = anomalies[0].message if anomalies else None
        _complain(f"no events in {shown}: {_no_events(head, count, first)}")
        return EXIT_USAGE
    until = None if args.until_id is None else until_id_outcome(args.until_id, stopped_at, mirror)
    if args.json:
        sys.stdout.buffer.write(_json(mirror, until) + b"\n")
    else:
        sys.stdout.write(render(mirror, source, read=count, until=until))
    if rejects is not None:
        note = f"rejected lines: {rejects.count} written to {args.rejects}\n"
        (sys.stderr if args.json else sys.stdout).write(note)
    return EXIT_OK


def _event_id(data: bytes) -> int | None:
    """The id of the event ``data`` holds, when it can be read."""
    try:
        return decode(data).id
    except EventError as error:
        return error.event_id


def _no_events(head: bytes, read: int, first: str | None) -> str:
    """Why no event came out of ``read`` records, with the first record's problem (which,
    without an event id, names its line itself) unless the input is not text at all."""
    reason = why_no_events(head, read)
    if first is None or looks_binary(head) is not None:
        return reason
    return f"{reason} (the first: {first})"


def _complain(message: str) -> None:
    print(f"eventmirror replay: {message}", file=sys.stderr)


def _json(mirror: Mirror, until: UntilId | None) -> bytes:
    import reducers

    if until is None:
        return reducers.dumps(mirror, indent=2)
    document = reducers.to_json(mirror)
    document[UNTIL_ID_KEY] = until.to_json()
    # Sorted keys, as reducers.dumps writes them: the mirror's part reads byte for byte the same.
    return msgspec.json.format(msgspec.json.encode(document, order="sorted"), indent=2)


def _reason(before: Health, after: Health) -> str:
    """Why the last record was rejected: its anomaly, when the mirror still keeps them."""
    if len(after.anomalies) > len(before.anomalies):
        return after.anomalies[-1].message
    return "rejected (its detail is past the anomalies the mirror keeps in full)"


def _size(stream: BinaryIO) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size or None
    except (OSError, ValueError, AttributeError):
        return None


def _position(stream: BinaryIO) -> int | None:
    try:
        return stream.tell()
    except (OSError, ValueError):
        return None

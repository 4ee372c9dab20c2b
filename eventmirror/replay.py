"""``eventmirror replay``: fold a recording into a mirror, then summarise it or print its JSON.

Exit status: 0 done (anomalies are listed, not fatal); 1 a strict-mode error in the input; 2
input that cannot be used at all: unreadable, empty, binary, or without a single event.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Callable
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, BinaryIO, Final, Literal

import attrs
import msgspec

from .codec import event_id_of
from .errors import EventError
from .progress import Progress
from .recording import DEFAULT_MAX_DOCUMENT, RecordingError, open_recording
from .rejects import RejectsFile
from .summary import render
from .unusable import head_of, looks_binary, why_no_events

if TYPE_CHECKING:
    from reducers import Mirror

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


@attrs.frozen
class ReplayOutcome:
    """What replaying one recording came to (:func:`replay_recording`)."""

    #: EXIT_OK; EXIT_INPUT_ERROR for a strict-mode error; EXIT_USAGE for input that cannot
    #: be used at all (unreadable, empty, binary, without a single event).
    status: int
    #: The mirror the recording built (up to a strict-mode error); None when the input was
    #: unusable.
    mirror: Mirror | None
    #: Records read.
    read: int
    #: Why the status is not EXIT_OK, as ``eventmirror replay`` words it after its prefix.
    error: str | None = None
    #: What ``until_id`` came to (None without it, or when nothing was read).
    until: UntilId | None = None


#: ``progress(records_read, bytes_position)``: called every few thousand records; the
#: position is None when the input cannot tell it (a pipe).
ProgressCallback = Callable[[int, int | None], None]


def replay_recording(
    path: str,
    *,
    strict: bool = False,
    me: str | None = None,
    max_document: int = DEFAULT_MAX_DOCUMENT,
    until_id: int | None = None,
    rejects: RejectsFile | None = None,
    progress: ProgressCallback | None = None,
) -> ReplayOutcome:
    """Replay the recording at ``path`` (``"-"``: standard input) into a mirror, printing
    nothing: what ``eventmirror replay`` does for one recording, up to its output.

    ``rejects``, a :class:`RejectsFile` not yet opened, is opened once the recording is, gets
    every rejected record, and is closed again (its ``count`` tells how many). A recording (or
    rejects file) that cannot be opened or read is an EXIT_USAGE outcome, never an exception.
    """
    try:
        return _replay(path, strict, me, max_document, until_id, rejects, progress)
    except RecordingError as error:
        return ReplayOutcome(EXIT_USAGE, None, 0, str(error))


def _replay(
    path: str,
    strict: bool,
    me: str | None,
    max_document: int,
    until_id: int | None,
    rejects: RejectsFile | None,
    progress: ProgressCallback | None,
) -> ReplayOutcome:
    import reducers  # the reducers load every domain module; keep --help fast

    shown = "standard input" if path == "-" else path
    with ExitStack() as resources:
        stream = resources.enter_context(open_recording(path))
        head = head_of(stream)
        if rejects is not None:
            resources.enter_context(rejects)
        records = reducers.Numbered(stream, max_document=max_document)
        watch = reducers.Watch(
            until_id=until_id,
            rejected=None if rejects is None else _writer(rejects),
            progress=None if progress is None else _reporter(progress, stream),
            every=_PROGRESS_EVERY,
        )
        try:
            mirror = reducers.fold(records, strict=strict, me=me, watch=watch)
        except EventError as error:
            assert watch.mirror is not None, "fold keeps the mirror where strict mode stopped"
            line, read = records.line, records.records - 1  # the one in error is not counted
            # Strict mode stops here; yet if no event follows a first record without an id,
            # the input is unusable (status 2), not an input with a bad event in it.
            if (
                watch.mirror.last_id is None
                and error.event_id is None
                and all(event_id_of(later) is None for later in records)
            ):
                why = _no_events(head, records.records, str(error))
                return ReplayOutcome(
                    EXIT_USAGE, None, records.records, f"no events in {shown}: {why}"
                )
            # An error without an event id already names its line.
            where = f"line {line}: " if error.event_id is not None else ""
            return ReplayOutcome(EXIT_INPUT_ERROR, watch.mirror, read, f"{shown}: {where}{error}")
    stopped_at = watch.stopped_at
    read = records.records - (stopped_at is not None)
    if mirror.last_id is None and stopped_at is None:
        anomalies = mirror.health.anomalies
        first = anomalies[0].message if anomalies else None
        why = _no_events(head, read, first)
        return ReplayOutcome(EXIT_USAGE, None, read, f"no events in {shown}: {why}")
    until = None if until_id is None else until_id_outcome(until_id, stopped_at, mirror)
    return ReplayOutcome(EXIT_OK, mirror, read, None, until)


def _writer(rejects: RejectsFile) -> Callable[[int | None, Any, str], None]:
    def write(line: int | None, data: Any, reason: str) -> None:
        assert line is not None and type(data) is bytes, "a recording's records have lines"
        rejects.write(line, data, reason)

    return write


def _reporter(progress: ProgressCallback, stream: BinaryIO) -> Callable[[int], None]:
    return lambda read: progress(read, _position(stream))


def run_replay(args: argparse.Namespace) -> int:
    if args.path is None and stdin_is_piped():
        args.path = "-"
    source = "standard input" if args.path == "-" else args.path
    if args.path is None:
        from .examples import EXAMPLE, EXAMPLE_ME, FILENAME

        args.path, source = str(EXAMPLE), f"the bundled example, {FILENAME}"
        args.me = args.me or EXAMPLE_ME
    rejects = RejectsFile(args.rejects) if args.rejects else None
    progress = Progress(sys.stderr, total_bytes=_size(args.path))
    outcome = replay_recording(
        args.path,
        strict=args.strict,
        me=args.me,
        max_document=args.max_document,
        until_id=args.until_id,
        rejects=rejects,
        progress=progress.update,
    )
    progress.close()
    if outcome.mirror is None or outcome.status != EXIT_OK:
        _complain(outcome.error or "")
        return outcome.status
    if args.json:
        sys.stdout.buffer.write(_json(outcome.mirror, outcome.until) + b"\n")
    else:
        sys.stdout.write(render(outcome.mirror, source, read=outcome.read, until=outcome.until))
    if rejects is not None:
        note = f"rejected lines: {rejects.count} written to {args.rejects}\n"
        (sys.stderr if args.json else sys.stdout).write(note)
    return EXIT_OK


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


def _size(path: str) -> int | None:
    """The size of the recording at ``path`` (``"-"``: standard input), for the progress bar;
    None when unknown (a pipe, an empty or missing file)."""
    try:
        if path == "-":
            return os.fstat(sys.stdin.fileno()).st_size or None
        return os.stat(path).st_size or None
    except (OSError, ValueError, AttributeError):
        return None


def _position(stream: BinaryIO) -> int | None:
    try:
        return stream.tell()
    except (OSError, ValueError):
        return None

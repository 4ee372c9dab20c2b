"""What the inspector needs from a recording, and where it gets it.

The inspector never folds a recording itself: a timeline (:class:`reducers.timeline.Timeline`,
the time-travel library) reads the recording once, keeps a checkpoint every K records, and
computes the mirror after any record on demand. The protocols here are the part of it the
inspector uses, so the server and its tests say exactly what they depend on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Final, Protocol, TextIO

from reducers import Change, Mirror

#: Records the builder reads between two looks at the clock by other threads: small enough
#: that the server's thread gets the interpreter often, large enough to cost nothing.
BUILD_CHUNK: Final = 1000


class Reading(Protocol):
    """How far the timeline has read its recording."""

    @property
    def records(self) -> int: ...
    @property
    def bytes_read(self) -> int: ...
    @property
    def bytes_total(self) -> int | None: ...
    @property
    def done(self) -> bool: ...
    def to_json(self) -> dict[str, Any]: ...


class Entry(Protocol):
    """One record of the timeline: an event, or an input piece that was not one."""

    @property
    def index(self) -> int: ...
    def to_json(self) -> dict[str, Any]: ...


class Setter(Protocol):
    """The record that last changed a value."""

    @property
    def index(self) -> int: ...
    def to_json(self) -> dict[str, Any]: ...


class Blame(Protocol):
    @property
    def last(self) -> Setter | None: ...


class Timeline(Protocol):
    """A recording read once, with random access to the mirror after any record."""

    def __len__(self) -> int: ...
    def entry(self, index: int) -> Entry: ...
    def types(self) -> list[str]: ...
    def select(
        self,
        *,
        type: str | None = None,
        entity: str | None = None,
        pointer: str | None = None,
        start: int = 0,
        stop: int | None = None,
        marked: bool = False,
    ) -> list[int]: ...
    def mirror_after(self, index: int) -> Mirror: ...
    def changes_at(self, index: int) -> list[Change]: ...
    def blame(self, pointer: str, *, upto: int | None = None, history: bool = False) -> Blame: ...
    def reading_progress(self) -> Reading: ...


class Growing(Timeline, Protocol):
    """A timeline still reading its recording: :meth:`feed` reads more of it."""

    def feed(self, records: int) -> bool: ...


class Builder:
    """Reads a growing timeline to its end in a thread of its own, while the server answers
    for the part read so far; :attr:`error` says why reading stopped early, if it did."""

    def __init__(self, timeline: Growing, progress: Callable[[int], None] | None = None) -> None:
        self.timeline = timeline
        self.progress = progress
        self.error: str | None = None
        self.finished = threading.Event()
        self._thread = threading.Thread(target=self._run, name="timeline-builder", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            while self.timeline.feed(BUILD_CHUNK):
                if self.progress is not None:
                    self.progress(self.timeline.reading_progress().records)
        except Exception as failed:  # shown on the page and on stderr, never a silent stop
            self.error = f"reading stopped: {failed}"
        finally:
            self.finished.set()


def start_reading(path: str, *, every: int | None = None, me: str | None = None) -> Growing:
    """The recording at ``path`` as a timeline that has read its first record (so a file
    that cannot be read is an error here, before any server starts); :class:`Builder`
    reads the rest."""
    from reducers.timeline import DEFAULT_EVERY
    from reducers.timeline import Timeline as Library

    timeline = Library.reading(path, every=every or DEFAULT_EVERY, me=me)
    timeline.feed(1)
    return timeline


def open_timeline(
    path: str, *, every: int | None = None, me: str | None = None, progress: TextIO | None = None
) -> Timeline:
    """The recording at ``path`` read once into a timeline with a checkpoint every ``every``
    records (the library's default when None), for user ``me``; a progress line on
    ``progress`` while it reads, if that is a terminal."""
    from reducers.timeline import DEFAULT_EVERY
    from reducers.timeline import Timeline as Library

    from ..progress import Progress

    shown = Progress(progress, unit="records") if progress is not None else None
    try:
        return Library.open(
            path,
            every=every or DEFAULT_EVERY,
            me=me,
            progress=None if shown is None else shown.update,
        )
    finally:
        if shown is not None:
            shown.close()

"""What the inspector needs from a recording, and where it gets it.

The inspector never folds a recording itself: a timeline (:class:`reducers.timeline.Timeline`,
the time-travel library) reads the recording once, keeps a checkpoint every K records, and
computes the mirror after any record on demand. The protocols here are the part of it the
inspector uses, so the server and its tests say exactly what they depend on.
"""

from __future__ import annotations

from typing import Any, Protocol, TextIO

from reducers import Change, Mirror


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

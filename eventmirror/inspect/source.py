"""What the inspector needs from a recording, and where it gets it.

The inspector never folds a recording itself: a :class:`Timeline` (the time-travel library)
read the recording once, keeps checkpoints every K events, and computes the mirror at any
point on demand. These protocols are the part of it the inspector uses, so the server and
its tests say exactly what they depend on.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol, TextIO

from reducers import Change, Mirror

#: The marks an entry may carry, in the order the page's legend shows them.
MARKS = ("gap", "reset", "duplicate", "rejected", "unknown", "anomaly")


class Entry(Protocol):
    """One line of the timeline: an event, or an input piece that was not one."""

    @property
    def index(self) -> int: ...
    @property
    def line(self) -> int: ...
    @property
    def id(self) -> int | None: ...
    @property
    def type(self) -> str | None: ...
    @property
    def time(self) -> int | None: ...
    @property
    def marks(self) -> Collection[str]: ...
    @property
    def entities(self) -> Collection[str]: ...


class Timeline(Protocol):
    """A recording read once, with random access to the mirror after any entry."""

    @property
    def entries(self) -> Sequence[Entry]: ...
    def mirror_at(self, index: int) -> Mirror: ...
    def changes_at(self, index: int) -> Sequence[Change]: ...
    def blame(self, pointer: str, index: int) -> Entry | None: ...


def open_timeline(
    path: str, *, every: int | None = None, me: str | None = None, progress: TextIO | None = None
) -> Timeline:
    """The recording at ``path`` read once into a timeline with a checkpoint every ``every``
    events (the library's default when None); a progress bar on ``progress`` if it is a
    terminal."""
    raise NotImplementedError("bound to the time-travel library once it is merged")

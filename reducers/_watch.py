"""What :func:`reducers.fold` reports besides the mirror, for a caller replaying a recording.

``eventmirror replay`` folds a recording on fold's fast path, yet needs what it used to see
applying line by line: each rejected record with its line, text and reason (``--rejects``),
a stop before the first event past an id (``--until-id``), progress, and the mirror as it
stood when strict mode stopped. A :class:`Watch` asks for those; a fold without one pays
nothing for them, and one with a watch pays only on the rare paths (an event that is not
the next one, a line the fast decoder refuses), once every ``every`` records, and, with a
stop id, one comparison an event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Protocol

if TYPE_CHECKING:
    from .mirror import Health, Mirror

#: No event id is past it (ids are at most 2**63 - 1): "no stop".
NO_STOP: Final = 2**63 - 1

#: ``rejected(line, text, reason)``: a record the mirror could not use, as read (``line``:
#: None when the events were not read from a file), and why.
Rejected = Callable[[int | None, Any, str], None]


class Tracer(Protocol):
    """What a fold reporting each record calls (:mod:`reducers.traced`): ``start`` once, with
    the mirror and fold's set of drafted fields, returning the private mirror to fold into;
    ``record`` as each record is read, when the one before it is done (``mirror``: the mirror
    after it, mid-fold; ``previous``: that record as fold decoded it, or as read); ``finish``
    after the last record, unless the fold stopped."""

    def start(self, mirror: Mirror, drafts: set[str]) -> Mirror: ...

    def record(self, mirror: Mirror, previous: Any, item: Any, line: int | None) -> None: ...

    def finish(self, mirror: Mirror, previous: Any) -> None: ...


class Watch:
    """Options of one fold, and what it found besides the mirror.

    - ``until_id``: stop before the first event whose id is past it (as
      ``eventmirror replay --until-id`` does; the full decoder reads the id of a line the
      fast one refuses). :attr:`stopped_at` then holds that event's id.
    - ``rejected``: called for each rejected record (see :data:`Rejected`).
    - ``progress``: called with the number of records read so far, every ``every`` records
      while more follow.
    - ``tracer``: told of each record as it is done (:class:`Tracer`).

    When strict mode stops the fold, :attr:`mirror` holds the mirror as it stood before the
    event in error (the exception carries no mirror).
    """

    __slots__ = ("every", "mirror", "progress", "rejected", "stopped_at", "tracer", "until_id")

    def __init__(
        self,
        *,
        until_id: int | None = None,
        rejected: Rejected | None = None,
        progress: Callable[[int], None] | None = None,
        every: int = 4096,
        tracer: Tracer | None = None,
    ) -> None:
        if every < 1:
            raise ValueError(f"every must be at least 1, got {every}")
        self.until_id = until_id
        self.rejected = rejected
        self.progress = progress
        self.every = every
        self.tracer = tracer
        self.stopped_at: int | None = None
        self.mirror: Mirror | None = None

    @property
    def stop(self) -> int:
        """The last id the fold may apply."""
        return NO_STOP if self.until_id is None else min(self.until_id, NO_STOP)


def rejection_reason(before: Health, after: Health) -> str:
    """Why the last record was rejected: its anomaly, when the mirror still keeps them."""
    if len(after.anomalies) > len(before.anomalies):
        return after.anomalies[-1].message
    return "rejected (its detail is past the anomalies the mirror keeps in full)"


def as_read(item: Any) -> Any:
    """A record as the command line's reader gives it: fold's reader leaves the line break on
    a plain JSON Lines record (the decoder reads past it)."""
    return item.rstrip(b"\n") if type(item) is bytes else item

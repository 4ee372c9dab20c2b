"""The sorted timer index: which timed states expire when, so advancing "now" is cheap.

Chat typing states and SIP registrations are active until an absolute time. Instead of
scanning every chat when the clock moves, the mirror keeps their expiries in one sorted list;
advancing the clock pops the entries that are due, in order.

The index is immutable like the rest of the mirror: adding or removing a timer copies the list
of *pending* timers of this one session (typically a handful: typing states live seconds,
a user has few SIP devices), never the mirror's entities, so the cost of an event does not
grow with the mirror's size. Nothing else in the mirror needs the index, so it is rebuilt from
the slices that declare timers (``Slice.pending``) when a mirror is loaded from JSON.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator
from typing import Final

#: Later than any timestamp: the ``next_due`` of an index with nothing pending.
NEVER: Final = 2**63

#: One pending timer: (expiry, slice name, key...), e.g.
#: ``(1700000010, "chats", chat, user, "typing")``; the slice's ``expires`` handler ends it.
TimerEntry = tuple[int, str, str, str, str]


class TimerIndex:
    """An immutable, sorted collection of pending timers.

    A plain sorted tuple: a session has a handful of pending timers, for which copying a tuple
    and bisecting it costs a tenth of what a ``SortedList`` copy does.
    """

    __slots__ = ("_entries", "next_due")

    def __init__(self, entries: Iterable[TimerEntry] = ()) -> None:
        self._entries: tuple[TimerEntry, ...] = tuple(sorted(entries))
        #: The earliest expiry, or "never" (a value past any timestamp) when nothing is pending;
        #: a plain attribute because every event with a new time compares against it.
        self.next_due: int = self._entries[0][0] if self._entries else NEVER

    @classmethod
    def _of(cls, entries: tuple[TimerEntry, ...]) -> TimerIndex:
        index = cls.__new__(cls)
        index._entries = entries
        index.next_due = entries[0][0] if entries else NEVER
        return index

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[TimerEntry]:
        return iter(self._entries)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimerIndex) and self._entries == other._entries

    def __hash__(self) -> int:
        return hash(self._entries)

    def __repr__(self) -> str:
        return f"TimerIndex({list(self._entries)!r})"

    def changed(
        self, add: Iterable[TimerEntry] = (), remove: Iterable[TimerEntry] = ()
    ) -> TimerIndex:
        """A new index with ``remove`` taken out (where present) and ``add`` put in."""
        entries = list(self._entries)
        for entry in remove:
            at = bisect_left(entries, entry)
            if at < len(entries) and entries[at] == entry:
                del entries[at]
        for entry in add:
            insort(entries, entry)
        return TimerIndex._of(tuple(entries))

    def split_due(self, now: int) -> tuple[list[TimerEntry], TimerIndex]:
        """The entries due at ``now`` (expiry <= now), in order, and the index without them."""
        entries = self._entries
        cut = bisect_right(entries, (now, "\uffff"))
        if cut == 0:
            return [], self
        return list(entries[:cut]), TimerIndex._of(entries[cut:])


EMPTY_TIMERS: Final = TimerIndex()

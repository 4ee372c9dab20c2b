"""The sorted timer index: which timed states expire when, so advancing "now" is cheap.

Chat typing states and SIP registrations are active until an absolute time. Instead of
scanning every chat when the clock moves, the mirror keeps their expiries in one sorted list;
advancing the clock pops the entries that are due, in order.

The index is immutable like the rest of the mirror: adding or removing a timer copies the list
of *pending* timers of this one session (typically a handful: typing states live seconds,
a user has few SIP devices), never the mirror's entities, so the cost of an event does not
grow with the mirror's size. Nothing else in the mirror needs the index, so it is rebuilt from
the chats and SIP slices when a mirror is loaded from JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final

from sortedcontainers import SortedList

#: Later than any timestamp: the ``next_due`` of an index with nothing pending.
NEVER: Final = 2**63

#: One pending timer: (expiry, domain, key...), e.g. ``(1700000010, "chat", chat, user, "typing")``.
TimerEntry = tuple[int, str, str, str, str]


class TimerIndex:
    """An immutable, sorted collection of pending timers."""

    __slots__ = ("_entries", "next_due")

    def __init__(self, entries: Iterable[TimerEntry] = ()) -> None:
        self._entries: SortedList = SortedList(entries)
        #: The earliest expiry, or "never" (a value past any timestamp) when nothing is pending;
        #: a plain attribute because every event with a new time compares against it.
        self.next_due: int = self._entries[0][0] if self._entries else NEVER

    @classmethod
    def _of(cls, entries: SortedList) -> TimerIndex:
        index = cls.__new__(cls)
        index._entries = entries
        index.next_due = entries[0][0] if entries else NEVER
        return index

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[TimerEntry]:
        entries: list[TimerEntry] = list(self._entries)
        return iter(entries)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimerIndex) and list(self._entries) == list(other._entries)

    def __hash__(self) -> int:
        return hash(tuple(self._entries))

    def __repr__(self) -> str:
        return f"TimerIndex({list(self._entries)!r})"

    def changed(
        self, add: Iterable[TimerEntry] = (), remove: Iterable[TimerEntry] = ()
    ) -> TimerIndex:
        """A new index with ``remove`` taken out (where present) and ``add`` put in."""
        entries = SortedList(self._entries)
        for entry in remove:
            entries.discard(entry)
        for entry in add:
            entries.add(entry)
        return TimerIndex._of(entries)

    def split_due(self, now: int) -> tuple[list[TimerEntry], TimerIndex]:
        """The entries due at ``now`` (expiry <= now), in order, and the index without them."""
        cut = self._entries.bisect_right((now, "\uffff"))
        if cut == 0:
            return [], self
        due = list(self._entries.islice(0, cut))
        return due, TimerIndex._of(SortedList(self._entries.islice(cut)))


EMPTY_TIMERS: Final = TimerIndex()

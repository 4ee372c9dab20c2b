"""The virtual clock: the time, and one sorted queue of everything that falls due.

SIP registrations and chat states expire, periodic status events and keepalives repeat
(docs/simulator.md, "Re-sends, periodic status and the clock queue"). Each is a
:class:`Timer` in one ``SortedKeyList`` ordered by (due time, sequence number):
:meth:`Clock.advance` pops and runs, in that order, everything due up to the new time, with
the clock set to each one's due time while it runs, so what it sends is stamped when it fell
due. The sequence number breaks ties in the order things were scheduled, so the same commands
give the same streams.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
from sortedcontainers import SortedKeyList

from eventmirror.rules import is_active

from ._core import SimulatorError


@attrs.define(eq=False)
class Timer:
    """Something scheduled on the clock: once (``period`` None) or every ``period`` seconds."""

    action: Callable[[], object]
    #: When it falls due next (None: it ran, or it was cancelled).
    due: int | None
    period: int | None
    sequence: int
    clock: Clock
    #: What it does, as a snapshot records it: the domain's name first, then what that
    #: domain needs to schedule the same action again (``Domain.rearm``). Empty: a timer of
    #: its own (a test's), which a snapshot cannot hold.
    label: tuple[str, ...] = ()

    def cancel(self) -> None:
        """Take it off the queue; cancelling one that ran or was cancelled does nothing."""
        self.clock.cancel(self)


#: Queues a restored timer running the action given, and returns it (``Domain.rearm``).
Schedule = Callable[[Callable[[], object]], Timer]


def _order(timer: Timer) -> tuple[int, int]:
    assert timer.due is not None, "only pending timers are queued"
    return timer.due, timer.sequence


class Clock:
    """The time (seconds since the epoch) and the queue of what falls due."""

    def __init__(self, start: int) -> None:
        self.now = start
        self._queue: SortedKeyList[Timer, tuple[int, int]] = SortedKeyList(key=_order)
        #: The sequence number the next scheduled timer gets.
        self.sequence = 0

    def at(self, time: int, action: Callable[[], object], label: tuple[str, ...] = ()) -> Timer:
        """Run ``action`` once, when the clock reaches ``time`` (after now)."""
        return self._schedule(time, None, action, label)

    def every(
        self, seconds: int, action: Callable[[], object], label: tuple[str, ...] = ()
    ) -> Timer:
        """Run ``action`` every ``seconds`` seconds from now until the timer is cancelled."""
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 1:
            raise SimulatorError(f"a period lasts 1 second or more (whole), got {seconds!r}")
        return self._schedule(self.now + seconds, seconds, action, label)

    def _schedule(
        self, time: int, period: int | None, action: Callable[[], object], label: tuple[str, ...]
    ) -> Timer:
        if time <= self.now:
            raise SimulatorError(f"{time} is not after the clock's time {self.now}")
        timer = Timer(action, time, period, self._next(), self, label)
        self._queue.add(timer)
        return timer

    def _next(self) -> int:
        self.sequence += 1
        return self.sequence - 1

    def restore(
        self,
        due: int,
        period: int | None,
        sequence: int,
        label: tuple[str, ...],
        action: Callable[[], object],
    ) -> Timer:
        """Queue a timer exactly as a snapshot recorded it (simulator/snapshot.py checks the
        values first): its due time, period and sequence number are kept, so it runs in the
        same order among the others."""
        timer = Timer(action, due, period, sequence, self, label)
        self._queue.add(timer)
        return timer

    def cancel(self, timer: Timer) -> None:
        if timer.due is not None:
            self._queue.remove(timer)
            timer.due = None

    def pending(self) -> list[tuple[int, Timer]]:
        """What falls due, in the order it will run: (due time, timer)."""
        return [(timer.due, timer) for timer in self._queue if timer.due is not None]

    def advance(self, seconds: int) -> None:
        """Move forward ``seconds``, running everything due on the way, each at its due time."""
        if seconds < 0:
            raise SimulatorError(f"the clock only moves forward, got {seconds} seconds")
        until = self.now + seconds
        # What falls due by ``until``: an expiry ends a timed state exactly when the mirror's does.
        while self._queue and not is_active(_order(self._queue[0])[0], until):
            timer = self._queue.pop(0)
            assert timer.due is not None
            self.now = timer.due
            if timer.period is None:
                timer.due = None
            else:
                # Queued again before it runs, so that its action may cancel it.
                timer.due += timer.period
                timer.sequence = self._next()
                self._queue.add(timer)
            timer.action()
        self.now = until

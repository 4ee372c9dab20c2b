"""The registries behind the slice declarations (:mod:`reducers._slice`): reducers by event
class, timer handlers by slice.

A reducer is a pure function ``(mirror, event) -> changes`` for one event class: it returns
the mirror fields it replaces, and :mod:`reducers.apply` builds the new mirror once, together
with the stream bookkeeping (ids, "now", counters), which reducers never touch.
A timer handler is ``(mirror, entry) -> changes`` likewise. Domain modules register both
through their :class:`~reducers._slice.Slice`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from eventmirror.errors import Problem
from eventmirror.events import Event

from ._state import Changes

if TYPE_CHECKING:
    from .mirror import Mirror
    from .timers import TimerEntry

E = TypeVar("E", bound=Event)
Reducer = Callable[["Mirror", Any], Changes]
TimerHandler = Callable[["Mirror", "TimerEntry"], Changes]

REDUCERS: dict[type[Event], Reducer] = {}
#: Timer handlers by the slice name in a timer entry.
TIMER_HANDLERS: dict[str, TimerHandler] = {}


def reducer(
    event_type: type[E],
) -> Callable[[Callable[[Mirror, E], Changes]], Callable[[Mirror, E], Changes]]:
    """Register the decorated function as the reducer of ``event_type``."""

    def register(function: Callable[[Mirror, E], Changes]) -> Callable[[Mirror, E], Changes]:
        if event_type in REDUCERS:
            raise RuntimeError(f"two reducers for {event_type.__name__}")
        REDUCERS[event_type] = function
        return function

    return register


class Inconsistent(Exception):
    """Raised by a reducer for an event that contradicts the mirror or itself.

    With ``applied`` set, the event was still applied (those are its changes) and the anomaly
    is only noted; without it, the event is rejected and leaves the mirror unchanged.
    """

    def __init__(self, problem: Problem, applied: Changes | None = None) -> None:
        super().__init__(problem.describe())
        self.problem = problem
        self.applied = applied

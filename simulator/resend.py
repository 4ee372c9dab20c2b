"""Re-sends on purpose: commands whose events may repeat what a session knows already.

The platform may send an event again: conference and presentation status "in regular
intervals", a box coming online again, a keepalive nobody answered. A command that does so is
declared with :func:`resend`; every event it delivers is recorded in the receiving
session's ``resent`` ids. That declaration is the one place saying which events may change
nothing: the mirror property exempts exactly those events from "a step that delivers events
changes some mirror", and still fails any other command whose events change nothing.

:class:`Periodic` runs such a command every so many seconds on the world's clock
(``conference.status_every``, ``presentation.keepalive_every``); each firing calls the declared
command, so periodic events are marked the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from ._core import Domain, SimulatorError

if TYPE_CHECKING:
    from .clock import Timer
    from .world import World

P = ParamSpec("P")
R = TypeVar("R")
D = TypeVar("D", bound=Domain)

#: The attribute :func:`resend` sets on a command.
_RESEND = "__simulator_resend__"


def resend(command: Callable[Concatenate[D, P], R]) -> Callable[Concatenate[D, P], R]:
    """Declare a domain's command a re-send: its events may repeat what sessions know."""

    @functools.wraps(command)
    def marked(domain: D, /, *args: P.args, **kwargs: P.kwargs) -> R:
        sessions = domain.world.sessions
        before = {session_id: len(session.events) for session_id, session in sessions.items()}
        try:
            return command(domain, *args, **kwargs)
        finally:
            for session_id, session in sessions.items():
                session.resent.update(range(before.get(session_id, 0), len(session.events)))

    setattr(marked, _RESEND, True)
    return marked


def is_resend(command: object) -> bool:
    """Whether ``command`` (a function or bound method) is declared a re-send."""
    return bool(getattr(command, _RESEND, False))


def resends(world: World) -> list[str]:
    """Every declared re-send command, as ``domain.method``, in the world's domain order."""
    return [
        f"{domain.name}.{name}"
        for domain in world.domains
        for name in dir(type(domain))
        if not name.startswith("_") and is_resend(getattr(type(domain), name))
    ]


class Periodic:
    """The periodic re-sends a domain runs, by (entity UUID, what): one timer each."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._timers: dict[tuple[str, str], Timer] = {}

    def start(
        self,
        uuid: str,
        what: str,
        seconds: int,
        action: Callable[[], object],
        label: tuple[str, ...],
    ) -> None:
        """Run ``action`` every ``seconds`` from now; a period running already is replaced."""
        timer = self.world.clock.every(seconds, action, label)
        old = self._timers.pop((uuid, what), None)
        if old is not None:
            old.cancel()
        self._timers[(uuid, what)] = timer

    def adopt(self, uuid: str, what: str, timer: Timer) -> None:
        """Keep ``timer``, restored from a snapshot, as the period of ``what`` on ``uuid``."""
        if (uuid, what) in self._timers:
            raise SimulatorError(f"{uuid} has two periodic {what}")
        self._timers[(uuid, what)] = timer

    def stop(self, uuid: str, what: str, named: str) -> None:
        """End the period; ``named`` is the entity as the error names it."""
        timer = self._timers.pop((uuid, what), None)
        if timer is None:
            raise SimulatorError(f"{named} sends no periodic {what}")
        timer.cancel()

    def forget(self, uuid: str) -> None:
        """The entity is gone: its periods end."""
        for key in [key for key in self._timers if key[0] == uuid]:
            self._timers.pop(key).cancel()

"""What every simulator module shares: the error, sessions, the domain base class, and how
messages name things.

A domain's commands are its methods marked with ``@command`` (simulator/commands.py says how
to declare one: who acts, the entity, the arguments, the docstring).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import attrs

if TYPE_CHECKING:
    from .clock import Schedule
    from .world import World

#: The metadata key of an attrs field a snapshot leaves out: the timers on the clock, which
#: ``Domain.rearm`` files again when a snapshot is loaded.
REARMED = "rearmed"


class SimulatorError(ValueError):
    """A command that cannot be carried out: unknown user or entity, no permission, bad value.

    Raised before anything changes, so the world is left exactly as it was.
    """


def entity(kind: str, uuid: str, label: str | None = None) -> str:
    """How an error message names an entity: ``contact 'Hans Mustermann' (52a9...)`` when it
    has a description or name, ``tag '52a9...'`` when it has none or is unknown.

    The UUID stays whole: it is what a client compares, and a scenario's report shows it as
    the ``$name`` the file gave it."""
    return f"{kind} {uuid!r}" if label is None else f"{kind} {label!r} ({uuid})"


@attrs.define(eq=False)
class Session:
    """One server-side session of a user: its own event stream numbered from 0."""

    id: str
    user: str
    #: The world's change counter when the session opened: it knows nothing from before.
    opened: int
    events: list[dict[str, Any]] = attrs.Factory(list)
    #: Detailed streams: ("conference", uuid), ("presentation", uuid), ("sensor", uuid),
    #: ("call", "") for the user's calls.
    subscriptions: set[tuple[str, str]] = attrs.Factory(set)
    #: The ids of the events a declared re-send delivered (``simulator.resend``): they may
    #: repeat what the session knows already, on purpose.
    resent: set[int] = attrs.Factory(set)
    #: Ended (``World.close_session``): it receives nothing more and holds no subscription.
    closed: bool = False

    def poll(self, after: int | None = None) -> list[dict[str, Any]]:
        """The events after id ``after`` (all of them for None), as ``GET /api/event`` gives."""
        start = 0 if after is None else after + 1
        return [dict(event) for event in self.events[start:]]


class Domain:
    """Base of a domain's server side: its state, its commands, its part of a view."""

    name: ClassVar[str]
    #: The sections of the mirror's JSON form this domain fills in a view, in the form's order.
    sections: ClassVar[tuple[str, ...]] = ()
    #: Attributes a snapshot leaves out, because they hold the domain's timers on the clock:
    #: :meth:`rearm` files them again. Every other annotated attribute is the domain's state.
    rearmed: ClassVar[tuple[str, ...]] = ()

    def __init__(self, world: World) -> None:
        self.world = world

    def user_name(self, who: str) -> str:
        """A user as messages name her: her symbolic name (``who`` is a name or a UUID)."""
        user = self.world.user_id(who)
        return self.world.names.get(user, user)

    def rearm(self, label: tuple[str, ...], schedule: Schedule) -> None:
        """A snapshot is being loaded: file the clock's timer ``label`` (as this domain gave it
        to ``clock.at``/``clock.every``) again, with the action ``schedule`` queues. A label
        naming nothing this domain has raises KeyError, ValueError or SimulatorError."""
        raise SimulatorError(f"the {self.name} domain schedules nothing")

    def session_closed(self, session: Session) -> None:
        """The session ended: forget what this domain holds for it (its subscriptions)."""

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        """Fill this domain's :attr:`sections` of the JSON form (plain data), as the server's
        state was told to ``session``: absent optional fields are left out."""

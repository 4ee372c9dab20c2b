"""The served world: a simulator :class:`~simulator.World`, the sessions logged in over HTTP,
the long-polls waiting for events, and each session's oracle mirror.

Everything here runs on the server's one event loop, so the world is never changed by two
requests at once; after every change :meth:`Served.changed` wakes the waiting long-polls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

import reducers
from reducers import Mirror
from scenarios.engine import Run
from scenarios.faults import ClientStream
from scenarios.model import Scenario
from scenarios.outcome import Outcome
from simulator import SimulatorError, World
from simulator._core import Session

if TYPE_CHECKING:
    from .faults import SessionFaults


@attrs.define
class Oracle:
    """A session's mirror as the scenario engine keeps it: seeded from the initial fetch when
    the session opened, then folded over every event the session was sent."""

    mirror: Mirror
    #: How many of the session's events are folded into :attr:`mirror`.
    cursor: int = 0
    #: The session's client stream, when a scenario's ``faults`` step staged faults for it.
    faults: ClientStream | None = None


def seed(world: World, session: Session) -> Oracle:
    """The initial fetch, as scenarios/engine.py seeds a session: the view when it opens."""
    stream = {"me": session.user, "now": world.now}
    return Oracle(reducers.from_json({"stream": stream, **world.view(session)}))


class UnknownSession(LookupError):
    """No open session with that id."""


class Served:
    """The world a server serves, with what HTTP adds to it."""

    def __init__(self, start: Callable[[], tuple[World, dict[str, Oracle]]]) -> None:
        #: Builds the starting state, the same each time: the world and its sessions' oracles.
        self._start = start
        self._wakeup = asyncio.Event()
        self._begin()

    def _begin(self) -> None:
        self.world, self.oracles = self._start()
        #: Sessions ended with ``DELETE /api/session``: the simulator keeps delivering to
        #: them (it has no way to close one), the server no longer answers for them.
        self.ended: set[str] = set()
        #: The calls a client made that the simulator does not carry out by itself (sensor
        #: actions, presentation control messages), in order, for a test runner to read.
        self.journal: list[dict[str, Any]] = []
        #: Each session's staged faults (eventmirror/serve/faults.py), a scenario's included.
        # Imported here: .faults imports .answers, which imports this module.
        from .faults import SessionFaults

        self.faults: dict[str, SessionFaults] = {
            sid: SessionFaults(oracle.faults)
            for sid, oracle in self.oracles.items()
            if oracle.faults is not None
        }

    def reset(self) -> None:
        """Back to the starting state: a new world built as the first was. Sessions logged in
        since are gone; waiting long-polls wake and find so."""
        self._begin()
        self.changed()

    @classmethod
    def new(cls, users: Sequence[str], seed: int = 0) -> Served:
        def start() -> tuple[World, dict[str, Oracle]]:
            world = World(seed=seed)
            for user in users:
                world.add_user(user)
            return world, {}

        return cls(start)

    @classmethod
    def from_scenario(cls, scenario: Scenario, users: Sequence[str] = ()) -> tuple[Served, Outcome]:
        """The world a scenario leaves, run by the scenario engine, with its sessions'
        mirrors as their oracles; ``users`` not in the scenario are added. Returns the
        outcome too: a failed expectation is the caller's to report. A reset runs it again."""
        outcomes: list[Outcome] = []

        def start() -> tuple[World, dict[str, Oracle]]:
            run = Run(scenario)
            outcomes.append(run.run())
            oracles = {
                client.session.id: Oracle(client.mirror, client.cursor, client.faults)
                for client in run.clients.values()
            }
            for user in users:
                if user not in run.world.users:
                    run.world.add_user(user)
            return run.world, oracles

        served = cls(start)
        return served, outcomes[0]

    # -- sessions ------------------------------------------------------------------------

    def log_in(self, name: str) -> Session:
        """A new session for the user ``name``, or ``name@anything``; SimulatorError if none."""
        user = name.partition("@")[0] if name not in self.world.users else name
        session = self.world.open_session(user)
        self.oracles[session.id] = seed(self.world, session)
        return session

    def session(self, sid: str) -> Session:
        if sid in self.ended or sid not in self.world.sessions:
            raise UnknownSession(sid)
        return self.world.sessions[sid]

    def end(self, sid: str) -> None:
        self.session(sid)
        self.ended.add(sid)
        self.changed()

    def user_name(self, session: Session) -> str:
        return self.world.names.get(session.user, session.user)

    # -- waiting for events --------------------------------------------------------------

    def changed(self) -> None:
        """Wake every waiting long-poll: something may have been delivered."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    async def events(self, sid: str, start: int, timeout: float) -> list[dict[str, Any]]:
        """The session's events with id >= ``start``; when there are none, wait for some up
        to ``timeout`` seconds, then ``[]``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            session = self.session(sid)
            if len(session.events) > start:
                return session.events[start:]
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            try:
                await asyncio.wait_for(self._wakeup.wait(), remaining)
            except TimeoutError:
                return []

    # -- the oracle ----------------------------------------------------------------------

    def mirror(self, sid: str) -> dict[str, Any]:
        """The oracle's JSON form: the fold of everything the session was sent, advanced to
        the world's clock."""
        session = self.session(sid)
        oracle = self.oracles.get(sid)
        if oracle is None:  # opened by a command run through the control API
            oracle = self.oracles[sid] = seed(self.world, session)
        new: list[dict[str, Any]] = session.events[oracle.cursor :]
        faults = self.faults.get(sid)
        if new and faults is not None:  # the stream the client is sent: faults renumber it
            faults.stream.extend(session.events)
            new = faults.stream.from_server(oracle.cursor)
        if new:
            oracle.mirror = reducers.fold(new, oracle.mirror)
            oracle.cursor = len(session.events)
        oracle.mirror = reducers.advance(oracle.mirror, self.world.now)
        form: dict[str, Any] = reducers.to_json(oracle.mirror)
        return form


__all__ = ["Oracle", "Served", "SimulatorError", "UnknownSession", "seed"]

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
from scenarios.engine import Run, Stage
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
    """No open session with that id: its message says whether it is unknown or ended."""


class Served:
    """The world a server serves, with what HTTP adds to it."""

    def __init__(self, start: Callable[[], tuple[World, dict[str, Oracle]]]) -> None:
        """``start`` builds the starting state: the world and its sessions' oracles."""
        from .state import export

        self._wakeup = asyncio.Event()
        self.world, self.oracles = start()
        #: What steps run through the control API saved or minted: ``$name`` -> UUID.
        self.names: dict[str, str] = {}
        self._begin()
        #: The starting state as ``GET /_eventmirror/state`` exports it: a reset loads it.
        self.start = export(self)

    def _begin(self) -> None:
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
        """Back to the starting state: its export loaded, the starting scenarios' faults
        with it. Sessions logged in since are gone; waiting long-polls wake and find so."""
        from .state import load

        load(self, self.start)

    def cleared(self) -> None:
        """A state was loaded: faults as its oracles hold them, the journal empty, waiting
        long-polls woken."""
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
    def from_scenarios(
        cls, scenarios: Sequence[Scenario], users: Sequence[str] = ()
    ) -> tuple[Served, list[Outcome]]:
        """The world the scenarios leave, run by the scenario engine one after another on
        one world (the first one's seed and start make it; a user two of them declare is one
        user), with their sessions' mirrors as the oracles; ``users`` none of them has are
        added. Stops at the first scenario that fails. Returns the outcomes too: a failed one
        is the caller's to report. SimulatorError when a scenario cannot join the world (a
        ``users:`` UUID that is another's)."""
        outcomes: list[Outcome] = []

        def start() -> tuple[World, dict[str, Oracle]]:
            stage: Stage | None = None
            oracles: dict[str, Oracle] = {}
            for scenario in scenarios:
                run = Run(scenario, stage=None if stage is None else Stage(stage.world))
                stage = run.stage
                outcomes.append(run.run())
                for client in run.clients.values():
                    oracles[client.session.id] = Oracle(client.mirror, client.cursor, client.faults)
                if not outcomes[-1].passed:
                    break
            assert stage is not None, "at least one scenario"
            for user in users:
                if user not in stage.world.users:
                    stage.world.add_user(user)
            return stage.world, oracles

        return cls(start), outcomes

    # -- sessions ------------------------------------------------------------------------

    def log_in(self, name: str) -> Session:
        """A new session for the user ``name``, or ``name@anything``; SimulatorError if none."""
        user = name.partition("@")[0] if name not in self.world.users else name
        session = self.world.open_session(user)
        self.oracles[session.id] = seed(self.world, session)
        return session

    def session(self, sid: str) -> Session:
        found = self.world.sessions.get(sid)
        if found is None:
            raise UnknownSession(f"unknown session {sid!r}")
        if found.closed:
            raise UnknownSession(f"session {sid!r} was ended")
        return found

    def open_sessions(self) -> list[str]:
        return [sid for sid, found in self.world.sessions.items() if not found.closed]

    def end(self, sid: str) -> None:
        """``DELETE /api/session``: the simulator closes the session; its polls wake and find
        it ended."""
        self.world.close_session(self.session(sid))
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

"""Property tests for a user's own client: a hypothesis state machine with the mirror as oracle.

>>> from eventmirror.client_machine import client_machine
>>> TestMyClient = client_machine(make_client).TestCase      # in a test module; pytest runs it

:func:`client_machine` builds a :class:`~hypothesis.stateful.RuleBasedStateMachine` that plays
random simulator commands by several users in the domains chosen, opens sessions, stages
stream faults (duplicates, gaps, resets, re-sends, clock moves), and after every step checks
that each session's client agrees with its oracle: the mirror folded from exactly the events
that client received, advanced to the same time, compared by the one rule of
:func:`reducers.agreement.disagreements`. The client is driven by the protocol of
:mod:`scenarios.client` (``factory(session)``, ``receive``, ``state``, optional ``advance``).

When a client disagrees, hypothesis shrinks the run, and the failure message carries the
shrunk run as a scenario file (docs/scenarios.md) that replays it step for step, UUIDs shown
as the ``$names`` of the commands that created them, and pins the oracle's values where the
client went wrong: paste it into a ``*.scenario.yaml`` file and it is a regression test.
docs/client-testing.md explains the choices (how sessions open, what each fault is).
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, TypeVar

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import reducers
from eventmirror.errors import did_you_mean
from reducers import Mirror
from reducers.agreement import disagreements
from scenarios.client import Client, ClientSession, Factory, advance
from simulator import SimulatorError, World
from simulator._core import Session
from simulator.mix import MIX, of_type
from simulator.resend import resends

from .client_scenario import Recorder

T = TypeVar("T")

#: The domains a machine plays by default: the ones most clients start with.
DEFAULT_DOMAINS: Final = ("tags", "objects", "comments", "chat")
DEFAULT_USERS: Final = ("anna", "ben", "cara")
#: The command mix's randomness, one small seed a step: cheap to draw and quick to shrink
#: (a ``st.randoms()`` stream costs hypothesis a draw per call, which cuts runs short).
_RANDOMS: Final = st.integers(0, 2**16).map(random.Random)
#: Sessions a user may have at once (opened at the start or mid-run).
_MOST_SESSIONS: Final = 3
#: Draws of the command mix tried for one command: a maker may find nothing to do.
_TRIES: Final = 8

#: Each domain's entries in the random day's command mix (simulator/mix): a domain's commands
#: act on entities other domains create (comments need objects, objects are shared by tags),
#: so a machine for ``comments`` alone has little to do: choose domains together.
DOMAIN_MIX: Final[Mapping[str, tuple[str, ...]]] = {
    "user": ("user_stale", "invitation"),
    "tags": ("tag_new", "tag_modify", "tag_delete"),
    "objects": ("object_new", "object_modify", "object_delete", "trash_purge", "object_tag"),
    "comments": ("comment",),
    "metadata": ("metadata",),
    "fax": ("fax",),
    "announcement": ("announcement",),
    "box": ("box",),
    "files": ("file",),
    "chat": ("chat",),
    "sip": ("sip",),
    "dialplan": ("callreverse",),
    "conference": ("conference", "subscribe"),
    "presentation": ("presentation", "subscribe"),
    "sensor": ("sensor", "subscribe"),
}

#: The default settings: derandomized (the same examples on every run), bounded, no deadline
#: (a client may be slow on its first call). Pass ``settings=`` for more examples.
CI_SETTINGS: Final = settings(
    derandomize=True,
    max_examples=100,
    stateful_step_count=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@attrs.define
class _Seat:
    """One session of the run: its client, what it received, and its oracle."""

    name: str
    session: Session
    client: Client
    oracle: Mirror
    #: How many of the session's server-side events reached the client.
    cursor: int = 0
    #: Every event the client received, in order, as the JSON objects it was given.
    received: list[dict[str, Any]] = attrs.Factory(list)
    #: (events received, clock) when the client was last compared with its oracle.
    checked: tuple[int, int] | None = None


class ClientFailed(AssertionError):
    """A client under test failed a step; the message says how and holds the scenario."""


class ClientDisagrees(ClientFailed):
    """A client's state disagrees with its oracle."""


class ClientRaised(ClientFailed):
    """A client raised an exception from ``receive``, ``state`` or ``advance``."""


def client_machine(
    factory: Factory,
    domains: Sequence[str] = DEFAULT_DOMAINS,
    users: Sequence[str] = DEFAULT_USERS,
    *,
    seed: int = 0,
    settings: settings | None = None,
) -> type[RuleBasedStateMachine]:
    """A state machine that checks the clients ``factory`` makes against the oracle.

    ``domains`` are simulator domains (``eventmirror commands`` lists them; the keys of
    :data:`DOMAIN_MIX`), ``users`` the symbolic user names, ``seed`` the simulator's seed.
    Use ``client_machine(factory).TestCase`` as a test class; its settings are ``settings``
    or :data:`CI_SETTINGS`."""
    chosen = _checked_domains(domains)
    if not users or len(set(users)) != len(users):
        raise ValueError(f"users must be distinct names, at least one; got {list(users)!r}")
    makers = [(name, weight, maker) for name, weight, maker in MIX if name in chosen]
    resend_commands = [name for name in resends(World(0)) if name.split(".")[0] in domains]
    weights = [weight for _, weight, _ in makers]
    user_names = tuple(users)

    class ClientMachine(RuleBasedStateMachine):
        """Random commands, faults and clock moves; every client checked after each step."""

        def __init__(self) -> None:
            super().__init__()
            self.world = World(seed)
            for user in user_names:
                self.world.add_user(user)
            self.recorder = Recorder(self.world, seed, user_names)
            self.seats: dict[str, _Seat] = {}

        @initialize(layout=st.lists(st.integers(1, 2), min_size=len(users), max_size=len(users)))
        def open_sessions(self, layout: list[int]) -> None:
            for user, count in zip(user_names, layout, strict=True):
                for number in range(count):
                    self._open(user if number == 0 else f"{user}-{number + 1}", user)
            self.recorder.opened_at_start(self.seats)

        @rule(rng=_RANDOMS, count=st.integers(1, 4))
        def commands(self, rng: random.Random, count: int) -> None:
            """``count`` random commands, each a step of its own; one the world refuses is
            left out (a few draws are tried before giving up, as most are valid)."""
            for _ in range(count):
                for _attempt in range(_TRIES):
                    _, _, maker = rng.choices(makers, weights=weights)[0]
                    command = maker(rng, self.world)
                    if command is not None and self._run(command):
                        break

        if resend_commands:

            @rule(which=st.sampled_from(resend_commands), index=st.integers(0, 40))
            def resend(self, which: str, index: int) -> None:
                domain, method = which.split(".")
                entities = of_type(self.world, domain)
                if not entities:
                    return
                entity = entities[index % len(entities)]
                self._run(lambda: getattr(getattr(self.world, domain), method)(entity))

        @rule(seconds=st.sampled_from((1, 5, 30, 90, 300, 900, 3600)))
        def clock_moves(self, seconds: int) -> None:
            self.world.advance(seconds)
            self.recorder.advanced(seconds)
            self._sync()

        @rule(seat=st.integers(0, 10), index=st.integers(0, 1000))
        def duplicate(self, seat: int, index: int) -> None:
            """An event the client received already comes again, with its id."""
            chosen = self._seat(seat)
            if chosen.received:
                self._stage(chosen, chosen.received[index % len(chosen.received)])

        @rule(seat=st.integers(0, 10), skipped=st.integers(1, 3))
        def gap(self, seat: int, skipped: int) -> None:
            """The stream jumps ahead: the client's last event again, ``skipped`` ids on; the
            server's events up to that id then read as duplicates, as for any client."""
            chosen = self._seat(seat)
            last = chosen.oracle.last_id
            if chosen.received and last is not None:
                self._stage(chosen, {**chosen.received[-1], "id": last + 1 + skipped})

        @rule(seat=st.integers(0, 10))
        def reset(self, seat: int) -> None:
            """The server restarted: ids begin again at 0 (with the client's last event)."""
            chosen = self._seat(seat)
            if chosen.received:
                self._stage(chosen, {**chosen.received[-1], "id": 0})

        @rule(user=st.sampled_from(user_names))
        def open_session(self, user: str) -> None:
            """A session opens mid-run, only while its user can see nothing yet: the client
            protocol has no initial fetch, so a client always starts from nothing."""
            user_id = self.world.users[user]
            own = [seat for seat in self.seats.values() if seat.session.user == user_id]
            if len(own) >= _MOST_SESSIONS:
                return
            first = own[0]
            # Seeing is per user, so the view of a session open since the start tells; its
            # subscriptions may add to it, which only makes this check more careful.
            if any(self.world.view(first.session).values()):
                return
            name = f"{user}-{len(own) + 1}"
            self._open(name, user)
            self.recorder.opened(name, user)
            self._sync()

        @invariant()
        def every_client_agrees(self) -> None:
            for seat in self.seats.values():
                # A client's state follows from what it was given: ask again when that grew.
                given = (len(seat.received), self.world.now)
                if given == seat.checked:
                    continue
                seat.checked = given
                oracle = reducers.to_json(seat.oracle)
                reported = self._call(seat, "state", seat.client.state)
                found = disagreements(oracle, reported)
                if found:
                    raise ClientDisagrees(self.recorder.failure(seat.name, oracle, found))

        # -- the moving parts --------------------------------------------------------------

        def _open(self, name: str, user: str) -> None:
            session = self.world.open_session(user)
            person = ClientSession(session.id, session.user, user)
            # The oracle starts where the scenario engine's mirror does: the view at opening.
            stream = {"me": session.user, "now": self.world.now}
            seed = reducers.from_json({"stream": stream, **self.world.view(session)})
            self.seats[name] = _Seat(name, session, factory(person), seed)

        def _run(self, command: Callable[[], object]) -> bool:
            """Carry out a command as a step; False if the world refused it (nothing changed,
            and nothing is recorded)."""
            with self.recorder.recording(self.seats):
                try:
                    command()
                except SimulatorError:
                    return False
            self._sync()
            return True

        def _call(self, seat: _Seat, name: str, call: Callable[[], T]) -> T:
            try:
                return call()
            except Exception as error:
                raise ClientRaised(self.recorder.crash(seat.name, name, error)) from error

        def _seat(self, number: int) -> _Seat:
            seats = list(self.seats.values())
            return seats[number % len(seats)]

        def _stage(self, seat: _Seat, event: dict[str, Any]) -> None:
            self.recorder.delivered(seat.name, event)
            self._receive(seat, [event])
            self._sync()

        def _receive(self, seat: _Seat, events: list[dict[str, Any]]) -> None:
            lines = [_wire(event) for event in events]
            seat.received.extend(json.loads(line) for line in lines)
            body = [json.loads(line) for line in lines]
            self._call(seat, "receive", lambda: seat.client.receive(body))
            seat.oracle = reducers.fold(lines, seat.oracle)

        def _sync(self) -> None:
            """As the scenario engine does after every step: each client receives what its
            session was sent, as one body, and every clock moves to the world's."""
            now = self.world.now
            for seat in self.seats.values():
                new = seat.session.events[seat.cursor :]
                if new:
                    seat.cursor += len(new)
                    self._receive(seat, new)
                seat.oracle = reducers.advance(seat.oracle, now)
                self._call(seat, "advance", functools.partial(advance, seat.client, now))

    ClientMachine.TestCase.settings = settings or CI_SETTINGS
    return ClientMachine


def _checked_domains(domains: Sequence[str]) -> set[str]:
    unknown = [domain for domain in domains if domain not in DOMAIN_MIX]
    if unknown or not domains:
        hint = did_you_mean(unknown[0], DOMAIN_MIX) if unknown else ""
        raise ValueError(
            f"no domain {unknown[0]!r}{hint}; the domains: {', '.join(DOMAIN_MIX)}"
            if unknown
            else f"choose at least one domain of: {', '.join(DOMAIN_MIX)}"
        )
    return {name for domain in domains for name in DOMAIN_MIX[domain]}


def _wire(event: Mapping[str, Any]) -> bytes:
    # As the scenario engine folds them: the bytes a client reads off the wire.
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


__all__ = [
    "CI_SETTINGS",
    "DEFAULT_DOMAINS",
    "DEFAULT_USERS",
    "DOMAIN_MIX",
    "ClientDisagrees",
    "ClientFailed",
    "ClientRaised",
    "client_machine",
]

"""Running a scenario: a simulator, one client mirror per session, and the checks.

Each session of the scenario is a client: it starts from the initial fetch (the simulator's
view when the session opens, as docs/simulator.md's knowledge horizon has it), then folds every
event the session receives, leniently — so gaps, duplicates and bad input show in the mirror's
``stream`` section, where a scenario can check them — and keeps its clock at the simulator's.
The run stops at the first step that fails; the failure carries everything a report needs.

With a client under test (:mod:`scenarios.client`), every session also has the client author's
own client (:mod:`scenarios.undertest`): it receives the same events in the same bodies the
session's mirror folds, is told when the clock moves, and after every step its ``state()`` must
agree with the mirror by :func:`reducers.agreement.disagreements`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

import reducers
from eventmirror.errors import plural
from eventmirror.recording import RecordingError, iter_records
from reducers import Mirror
from simulator import SimulatorError, World
from simulator._core import Session

from .client import ClientError, ClientSession, Factory
from .commands import COMMANDS, SUBSCRIPTIONS
from .expectations import Expectations
from .faults import ClientStream, FaultError
from .model import (
    Advance,
    Deliver,
    Do,
    Expect,
    ExpectClient,
    ExpectEvents,
    Open,
    Replay,
    Scenario,
    StageFaults,
    Step,
    Subscribe,
)
from .names import Symbolic, resolve
from .outcome import Failure, Outcome
from .undertest import UnderTest, parts


@attrs.define
class Client:
    """One session as a client sees it: what it received, and its mirror."""

    name: str
    session: Session
    mirror: Mirror
    #: How many of the session's server-side events the client has received.
    cursor: int = 0
    #: Everything received, in order: event mappings, or raw lines delivered as text.
    received: list[Any] = attrs.Factory(list)
    #: How many received events an expect_events step has looked at.
    checked: int = 0
    #: Whether the initial fetch showed the session anything.
    fetched: bool = False
    #: The client under test, if the run has one.
    under_test: UnderTest | None = None
    #: The stream the client is sent once a ``faults`` step staged faults for the session.
    faults: ClientStream | None = None

    @property
    def bodies(self) -> list[list[Any]]:
        return [] if self.under_test is None else self.under_test.bodies


class StepFailed(Exception):
    """A step failed: :attr:`failure` says how (:func:`scenarios.render_outcome` shows it)."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.headline)
        self.failure = failure


@attrs.define
class Stage:
    """What a scenario's steps run on: a world, its sessions as named clients, and the names
    given so far (users, minted UUIDs, saved results). :meth:`fresh` makes the one a scenario
    file describes; a run on a stage it is given carries on from where that stage is (several
    scenarios one after another on one world, steps on a served world) and leaves it changed."""

    world: World
    clients: dict[str, Client] = attrs.Factory(dict)
    names: dict[str, str] = attrs.Factory(dict)

    @classmethod
    def fresh(cls, scenario: Scenario) -> Stage:
        """A new world with the scenario's seed and start."""
        if scenario.start is None:
            return cls(World(seed=scenario.seed))
        return cls(World(seed=scenario.seed, start=scenario.start))


class Run(Expectations):
    """One scenario being run. Use :func:`run`, or :meth:`play` for one step at a time.

    On a ``stage`` given (:class:`Stage`), the scenario's ``seed`` and ``start`` are not used:
    the world is as it is. A user the scenario declares is the world's user of that name when
    there is one (the same person; a ``users:`` UUID must then be hers), else a new one; a
    session name the stage has already is refused (SimulatorError)."""

    def __init__(
        self, scenario: Scenario, client: Factory | None = None, *, stage: Stage | None = None
    ) -> None:
        self.scenario = scenario
        self.factory = client
        self.stage = Stage.fresh(scenario) if stage is None else stage
        self.world = self.stage.world
        self.names = self.stage.names
        for user in scenario.users:
            self.names[user] = self.join(user, scenario.user_uuids.get(user))
        for name in scenario.uuids:
            self.names[name] = self.world.new_uuid()
        self.clients = self.stage.clients
        self.current: Step = scenario.steps[0]
        for session in scenario.sessions:
            if session in self.clients:
                raise SimulatorError(f"there is a session named {session!r} already")
        for session, user in scenario.sessions.items():
            self.open(session, user, start_client=False)
        self.produced: set[str] = set()
        self.checked: set[str] = set()
        self.steps_run = 0
        #: What the last ``do`` step's command returned.
        self.result: Any = None

    def join(self, user: str, uuid: str | None) -> str:
        """The UUID of the scenario's user ``user``: the world's user of that name, or new."""
        known = self.world.users.get(user)
        if known is None:
            return self.world.add_user(user, uuid)
        if uuid is not None and uuid != known:
            raise SimulatorError(f"the user {user!r} is {known} already, not {uuid}")
        return known

    def open(self, name: str, user: str, *, start_client: bool = True) -> None:
        session = self.world.open_session(user)
        # The client's initial fetch: what the session can see now, as a loaded mirror.
        stream = {"me": session.user, "now": self.world.now}
        view = self.world.view(session)
        seed = reducers.from_json({"stream": stream, **view})
        client = self.clients[name] = Client(name, session, seed, fetched=any(view.values()))
        if start_client:
            self.start_clients([client])

    def start_clients(self, clients: list[Client]) -> None:
        if self.factory is None:
            return
        started = []
        for client in clients:
            user = client.session.user
            session = ClientSession(client.session.id, user, self.names_of_users[user])
            with self.client_failures(client):
                client.under_test = UnderTest(
                    self.factory, session, client.mirror, self.world.now, fetched=client.fetched
                )
            started.append((client, client.under_test))
        # Every client is made before any is waited on: processes start side by side.
        for client, under_test in started:
            with self.client_failures(client):
                under_test.start()

    @property
    def names_of_users(self) -> dict[str, str]:
        return {self.names[user]: user for user in self.scenario.users}

    def run(self) -> Outcome:
        failure = None
        try:
            for _ in self.play():
                pass
        except StepFailed as failed:
            failure = failed.failure
        finally:
            self.close_clients()
        return Outcome(
            self.scenario,
            failure,
            dict(self.names),
            frozenset(self.produced),
            frozenset(self.checked),
            self.steps_run,
            frozenset().union(*(under_test.delivered for under_test in self.under_test)),
            frozenset().union(*(under_test.covered for under_test in self.under_test)),
            self.tested(),
        )

    def play(self) -> Iterator[Step]:
        """Run the steps in order, yielding each one once it is done and every client has
        caught up; the first that fails raises :class:`StepFailed`. Clients under test are
        the caller's to close (:meth:`close_clients`)."""
        self.start_clients(list(self.clients.values()))
        for step in self.scenario.steps:
            self.steps_run += 1
            self.current = step
            for client in self.clients.values():
                if client.under_test is not None:
                    client.under_test.next_step()
            self.step(step)
            self.sync()
            self.check_clients()
            if isinstance(step, Expect):
                self.checked |= self.produced
            yield step

    def tested(self) -> bool:
        checked = set().union(
            *(parts(step.mirror) for step in self.scenario.steps if isinstance(step, Expect))
        )
        return any(checked & under_test.reported for under_test in self.under_test)

    @property
    def under_test(self) -> list[UnderTest]:
        return [client.under_test for client in self.clients.values() if client.under_test]

    # -- the client under test -------------------------------------------------------------

    @contextlib.contextmanager
    def client_failures(self, client: Client) -> Iterator[None]:
        """A :class:`ClientError` inside is the failure of the current step."""
        try:
            yield
        except ClientError as error:
            raise self.fail(
                self.current,
                f"the client of session {client.name} failed: {error}",
                session=client.name,
                bodies=client.bodies,
            ) from None

    def check_clients(self) -> None:
        for client in self.clients.values():
            if client.under_test is None:
                continue
            with self.client_failures(client):
                found = client.under_test.disagreements(client.mirror)
            if found:
                raise self.fail(
                    self.current,
                    f"the client of session {client.name} disagrees with the mirror at "
                    f"{plural(len(found), 'path')}",
                    session=client.name,
                    bodies=client.bodies,
                    disagreements=found,
                )

    def close_clients(self) -> None:
        for client in self.clients.values():
            if client.under_test is not None:
                # The scenario's result stands; a client that cannot close is ended anyway.
                with contextlib.suppress(ClientError):
                    client.under_test.close()

    def resolve(self, value: Any, *, text_keys: bool = False) -> Any:
        return resolve(value, self.names, text_keys=text_keys)

    def fail(self, step: Step, headline: str, **details: Any) -> StepFailed:
        resolved = self.resolve(step.written)
        return StepFailed(Failure(step, headline, resolved, **details))

    # -- delivery ----------------------------------------------------------------------------

    def sync(self, *, produced: bool = False) -> None:
        """Let every client receive what its session was sent, and catch up with the clock."""
        for client in self.clients.values():
            new = client.session.events[client.cursor :]
            if new:
                client.cursor += len(new)
                sent = new
                if client.faults is not None:  # the stream as the faults renumber it
                    sent = [item.event for item in client.faults.extend(client.session.events)]
                self.receive(client, sent)
                if produced:
                    self.produced.update(event["event"] for event in new)
            client.mirror = reducers.advance(client.mirror, self.world.now)
            if client.under_test is not None:
                with self.client_failures(client):
                    client.under_test.advance(self.world.now)

    def receive(self, client: Client, items: Sequence[Any]) -> None:
        """Fold what arrived: event mappings, or raw bytes as read from a line."""
        client.received.extend(_shown(item) for item in items)
        # Folded as the bytes a client reads off the wire, so the decoder is exercised too.
        lines = [item if isinstance(item, bytes) else _wire(item) for item in items]
        client.mirror = reducers.fold(lines, client.mirror)
        if client.under_test is not None:
            with self.client_failures(client):
                client.under_test.receive(lines)

    # -- steps -----------------------------------------------------------------------------

    def step(self, step: Step) -> None:
        if isinstance(step, Do):
            self.do(step)
        elif isinstance(step, Deliver):
            self.deliver(step)
        elif isinstance(step, Advance):
            self.world.advance(step.seconds)
        elif isinstance(step, Subscribe):
            self.subscribe(step)
        elif isinstance(step, Replay):
            self.replay(step)
        elif isinstance(step, Open):
            self.open(step.session, step.user)
        elif isinstance(step, Expect):
            self.expect(step)
        elif isinstance(step, ExpectEvents):
            self.expect_events(step)
        elif isinstance(step, ExpectClient):
            self.expect_client(step)
        elif isinstance(step, StageFaults):
            self.stage_faults(step)
        else:  # pragma: no cover - format.py builds only the kinds above
            raise TypeError(f"unknown step {step!r}")

    def do(self, step: Do) -> None:
        command = COMMANDS[step.command]
        actor = None if step.actor is None else self.names[step.actor]
        arguments = self.resolve(step.arguments)
        try:
            result = command.call(self.world, actor, arguments)
        except SimulatorError as error:
            if self.refusal_expected(step.refused, error):
                return
            raise self.fail(
                step, f"the simulator refused {step.command}: {error}{_expecting(step.refused)}"
            ) from None
        except Exception as error:  # a bad argument must not crash the run
            raise self.fail(
                step,
                f"{step.command} could not run with these arguments: "
                f"{type(error).__name__}: {error}",
            ) from None
        if step.refused is not None:
            raise self.fail(
                step,
                f"{step.command} was carried out, but the step expects a refusal "
                f"saying {step.refused!r}",
            )
        self.result = result
        if step.save is not None:
            if not isinstance(result, str):
                raise self.fail(step, f"{step.command} creates nothing to save as {step.save!r}")
            self.names[step.save] = result
        self.sync(produced=True)

    def deliver(self, step: Deliver) -> None:
        client = self.clients[step.session]
        if isinstance(step.event, str):
            # A raw line is something the client read, not something the server sent.
            self.receive(client, [step.event.encode()])
            return
        event = self.resolve(step.event)
        event.setdefault("time", self.world.now)
        if "id" in event:
            self.receive(client, [event])
        else:
            # The server's next event: later simulator events continue the numbering.
            client.session.events.append({"id": len(client.session.events), **event})

    def stage_faults(self, step: StageFaults) -> None:
        """The stream kinds change what the session's client is sent from now on, for its
        mirror and its client under test alike; the transport kinds act only under
        ``eventmirror serve`` (docs/scenarios.md)."""
        client = self.clients[step.session]
        if client.faults is None:
            client.faults = ClientStream(self.world.seed, client.session.id)
            client.faults.extend(client.session.events)  # sent already: as they were
        try:
            client.faults.stage(step.faults, len(client.session.events))
        except FaultError as late:
            raise self.fail(step, str(late)) from None

    def subscribe(self, step: Subscribe) -> None:
        domain, method = SUBSCRIPTIONS[step.kind]
        session_id = self.clients[step.session].session.id
        arguments = [session_id] if step.target is None else [session_id, self.resolve(step.target)]
        try:
            getattr(getattr(self.world, domain), method)(*arguments)
        except SimulatorError as error:
            if self.refusal_expected(step.refused, error):
                return
            raise self.fail(
                step, f"the simulator refused the subscription: {error}{_expecting(step.refused)}"
            ) from None
        if step.refused is not None:
            raise self.fail(
                step,
                f"the subscription was made, but the step expects a refusal saying "
                f"{step.refused!r}",
            )
        self.sync(produced=True)

    def refusal_expected(self, refused: str | None, error: SimulatorError) -> bool:
        # The simulator names users and entities by UUID; the file names them by $name.
        said = (str(error), Symbolic(self.names).text(str(error)).replace("$$", "$"))
        return refused is not None and any(refused in text for text in said)

    def replay(self, step: Replay) -> None:
        try:
            with step.recording.open("rb") as stream:
                records = [record.data for record in iter_records(stream)]
        except (OSError, RecordingError) as error:
            raise self.fail(step, f"cannot read the recording: {error}") from None
        self.receive(self.clients[step.session], records)


def _shown(item: Any) -> Any:
    """What expect_events compares: an event's mapping, or the text of a line that is none."""
    if not isinstance(item, bytes):
        return item
    try:
        value = json.loads(item)
    except ValueError:
        return item.decode("utf-8", "replace")
    return value if isinstance(value, dict) else item.decode("utf-8", "replace")


def _expecting(refused: str | None) -> str:
    return "" if refused is None else f" (expected a refusal saying {refused!r})"


def _wire(event: Any) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def run(scenario: Scenario, client: Factory | None = None) -> Outcome:
    """Run a scenario to its end or its first failing step; with ``client``, a factory of
    clients under test, one client per session is checked against its mirror too."""
    return Run(scenario, client).run()

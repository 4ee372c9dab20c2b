"""Delivering a session's events to a client as a real poll loop would, with the stream's faults.

A *plan* is a list of operations on a session's clean stream (a simulator day): poll the next
few events as one ``GET /api/event`` body, send an earlier body again (duplicates), lose events
(a gap), restart the server session (ids start over at 0: a reset), let the clock run (timers),
and dress a body up with what a newer server sends (unknown fields and event types) or with an
``object_tag`` whose ``tag_add``/``tag_delete`` contradict its full ``tag`` list. Plans are drawn
by ``random`` (:func:`random_plan`) or by hypothesis (:func:`plans`) from the same operations.

:func:`first_disagreement` runs a plan: after every body and every clock move it compares the
client's state with the oracle, the mirror folded from exactly what the client received.
"""

from __future__ import annotations

import copy
import functools
import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

import reducers
from reducers.agreement import Disagreement, disagreements
from scenarios.client import Client, ClientSession, advance
from simulator.driver import run_day

Event = dict[str, Any]

#: Tags no server ever attached: what a contradicting ``object_tag`` names.
PHANTOM_TAG = "00000000-0000-4000-8000-00000000dead"


@attrs.frozen
class Poll:
    """The next ``size`` events as one body; ``novel`` adds what a newer server sends (a field
    everywhere, an event type at the end), ``contradict`` makes each ``object_tag`` in it
    contradict itself, ``malformed`` gives its first event of a modelled domain a field of the
    wrong type."""

    size: int
    novel: bool = False
    contradict: bool = False
    malformed: bool = False


@attrs.frozen
class Repeat:
    """The body sent ``back`` polls ago, sent again."""

    back: int


@attrs.frozen
class Lose:
    """The next ``size`` events never arrive: their ids are missing."""

    size: int


@attrs.frozen
class Restart:
    """A new server session: the next event's id is 0."""


@attrs.frozen
class Clock:
    """The clock moves to ``seconds`` after the latest event delivered."""

    seconds: int


Operation = Poll | Repeat | Lose | Restart | Clock


@attrs.frozen
class Step:
    """One thing the client is told: a body (``events``, ``repeated`` when sent before) or the
    clock (``now``)."""

    events: list[Event] | None = None
    now: int | None = None
    repeated: bool = False

    def describe(self) -> str:
        if self.events is None:
            return f"advance({self.now})"
        listed = ", ".join(f"{e['id']} {e['event']}" for e in self.events)
        return f"receive([{listed}])"


def steps(stream: Sequence[Event], plan: Sequence[Operation]) -> Iterator[Step]:
    """What a client receives when ``plan`` is played on ``stream``; the events the plan leaves
    undelivered come last, in one body."""
    position, next_id, latest = 0, 0, None
    sent: list[list[Event]] = []
    for operation in [*plan, Poll(len(stream))]:
        if isinstance(operation, Poll) and position < len(stream):
            body = [copy.deepcopy(e) for e in stream[position : position + operation.size]]
            position += len(body)
            for event in body:
                event["id"], next_id = next_id, next_id + 1
                if operation.novel:
                    _add_novel_fields(event)
                if operation.contradict:
                    _contradict(event)
            if operation.malformed:
                _malform(body)
            if operation.novel:
                body.append({"id": next_id, "event": "chat_reaction", "time": body[-1]["time"]})
                next_id += 1
            latest = body[-1]["time"]
            sent.append(body)
            yield Step(events=body)
        elif isinstance(operation, Repeat) and operation.back <= len(sent):
            yield Step(events=copy.deepcopy(sent[-operation.back]), repeated=True)
        elif isinstance(operation, Lose):
            lost = len(stream[position : position + operation.size])
            position, next_id = position + lost, next_id + lost
        elif isinstance(operation, Restart):
            next_id = 0
        elif isinstance(operation, Clock) and latest is not None:
            yield Step(now=latest + operation.seconds)


def _add_novel_fields(event: Event) -> None:
    event["x_priority"] = "high"
    for nested in ("message", "user"):  # chat messages and chat participants' states
        if isinstance(event.get(nested), dict):
            for value in event[nested].values():
                if isinstance(value, dict):
                    value["x_reaction"] = "+1"


#: The domains the example clients model: only their events are made malformed, since a
#: client validates what it reads and nothing more.
MODELLED = ("tag_", "object_", "comment_", "chat_", "trash_")


def _malform(body: list[Event]) -> None:
    for event in body:
        if event["event"].startswith(MODELLED):
            payload = sorted(set(event) - {"id", "event", "time"})
            if payload and event["id"] % 2:
                event[payload[0]] = 12.5  # no field of these events is a float
                return
            if payload:  # missing (or, if it was optional, simply absent)
                del event[payload[0]]
                return


def _contradict(event: Event) -> None:
    if event["event"] == "object_tag":
        event["tag_add"] = [*event.get("tag_add", ()), PHANTOM_TAG]
        event["tag_delete"] = [*event.get("tag_delete", ()), *event["tag"][:1]]


def random_plan(rng: random.Random, length: int) -> list[Operation]:
    """A plan for a stream of ``length`` events: mostly polls of a few events, with every
    fault now and then."""
    plan: list[Operation] = []
    polled = 0
    while polled < length:
        roll = rng.random()
        if roll < 0.65:
            size = rng.randint(1, 12)
            plan.append(
                Poll(
                    size,
                    novel=rng.random() < 0.1,
                    contradict=rng.random() < 0.2,
                    malformed=rng.random() < 0.1,
                )
            )
            polled += size
        elif roll < 0.78:
            plan.append(Repeat(rng.randint(1, 3)))
        elif roll < 0.9:
            # Typing lasts 5, 10 or 30 seconds in a simulator day: hit and straddle the expiry.
            plan.append(Clock(rng.choice((0, 1, 5, 9, 10, 29, 30, 60))))
        elif roll < 0.97:
            size = rng.randint(1, 3)
            plan.append(Lose(size))
            polled += size
        else:
            plan.append(Restart())
    return plan


def plans(max_size: int = 12) -> st.SearchStrategy[list[Operation]]:
    """Plans drawn by hypothesis (shrinking toward few, plain polls)."""
    operation = st.one_of(
        st.builds(Poll, st.integers(1, max_size), st.booleans(), st.booleans(), st.booleans()),
        st.builds(Repeat, st.integers(1, 3)),
        st.builds(Clock, st.integers(0, 60)),
        st.builds(Lose, st.integers(1, 3)),
        st.just(Restart()),
    )
    return st.lists(operation, max_size=40)


@attrs.frozen
class Disagreed:
    """The first step after which a client and the oracle disagreed."""

    index: int
    step: Step
    disagreements: list[Disagreement]

    def __str__(self) -> str:
        found = "\n  ".join(d.describe() for d in self.disagreements[:5])
        return f"after step {self.index}, {self.step.describe()}:\n  {found}"


def first_disagreement(
    client: Client, me: str, stream: Sequence[Event], plan: Sequence[Operation]
) -> Disagreed | None:
    """Play ``plan`` on ``stream`` to ``client`` and to the oracle; the first disagreement."""
    oracle = reducers.fold([], me=me)
    for index, step in enumerate(steps(stream, plan)):
        if step.events is not None:
            client.receive(step.events)
            oracle = reducers.fold(step.events, oracle)
        else:
            assert step.now is not None
            advance(client, step.now)
            oracle = reducers.advance(oracle, step.now)
        found = disagreements(reducers.to_json(oracle), client.state())
        if found:
            return Disagreed(index, step, found)
    return None


@attrs.frozen
class Day:
    """A simulator day's sessions: their clean streams and who they belong to."""

    seed: int
    sessions: list[tuple[ClientSession, list[Event]]]


@functools.cache
def day(seed: int, commands: int = 300) -> Day:
    """The day ``seed`` (cached: :func:`steps` copies every event it changes)."""
    world = run_day(seed, steps=commands)
    sessions = [
        (ClientSession(s.id, s.user, world.names[s.user]), s.events)
        for s in world.sessions.values()
    ]
    return Day(seed, sessions)


def disagreement_in_day(
    factory: Callable[[ClientSession], Client],
    seed: int,
    commands: int = 300,
    *,
    faults: bool = True,
) -> Disagreed | None:
    """Every session of the day ``seed``, each with a plan drawn from the same seed (with
    ``faults=False``: polls of five events, nothing else)."""
    rng = random.Random(seed)
    for session, stream in day(seed, commands).sessions:
        plan = random_plan(rng, len(stream)) if faults else [Poll(5)] * len(stream)
        found = first_disagreement(factory(session), session.user, stream, plan)
        if found is not None:
            return found
    return None

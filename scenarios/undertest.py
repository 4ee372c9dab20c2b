"""A session's client under test beside its mirror: what it is told, and what it is held to.

The engine (:mod:`scenarios.engine`) gives every session of a scenario one client from the
run's factory. The client receives the same bodies the session's mirror folds (each line
parsed afresh, :func:`scenarios.client.wire_value`), is told whenever the clock moves, and is
compared with the mirror by :func:`reducers.agreement.disagreements`.

A client has no initial fetch: it starts from nothing. So a session opened when it can already
see something (an ``open`` step late in a scenario) holds its client to a mirror of only what
the client received, not to the session's mirror, which starts from the fetched view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import reducers
from reducers import Mirror
from reducers.agreement import Disagreement, disagreements

from .client import ClientSession, Factory, Guarded, wire_value


class UnderTest:
    """One session's client, the oracle it is held to when that is not the session's mirror,
    and what it received in the current step. Every call may raise ``ClientError``."""

    def __init__(
        self, factory: Factory, session: ClientSession, now: int, *, fetched: bool
    ) -> None:
        #: The bodies received in the current step, as the client received them.
        self.bodies: list[list[Any]] = []
        #: Event types received in the whole run.
        self.delivered: set[str] = set()
        self.oracle: Mirror | None = None
        if fetched:
            self.oracle = reducers.from_json({"stream": {"me": session.user, "now": now}})
        self.client = Guarded(factory, session)
        self.told_now = now
        # The clock a session's mirror starts at is the client's to know too.
        self.client.advance(now)

    def next_step(self) -> None:
        self.bodies = []

    def receive(self, lines: Sequence[bytes]) -> None:
        """One body, as the lines the session's mirror folds."""
        if self.oracle is not None:
            self.oracle = reducers.fold(lines, self.oracle)
        body = [wire_value(line) for line in lines]
        self.bodies.append(body)
        self.delivered.update(
            event["event"]
            for event in body
            if isinstance(event, dict) and isinstance(event.get("event"), str)
        )
        self.client.receive(body)

    def advance(self, now: int) -> None:
        if self.oracle is not None:
            self.oracle = reducers.advance(self.oracle, now)
        if now > self.told_now:
            self.client.advance(now)
            self.told_now = now

    def state(self) -> Mapping[str, Any]:
        return self.client.state()

    def disagreements(self, mirror: Mirror) -> list[Disagreement]:
        """Where the client's state and its oracle (``mirror``, the session's) disagree."""
        reported = self.client.state()
        oracle = mirror if self.oracle is None else self.oracle
        return disagreements(reducers.to_json(oracle), reported)

    def close(self) -> None:
        self.client.close()


__all__ = ["UnderTest"]

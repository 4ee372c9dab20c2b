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

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import reducers
from reducers import Mirror
from reducers.agreement import STREAM, Disagreement, disagreements

from .client import ClientSession, Factory, Guarded, wire_value


class UnderTest:
    """One session's client, the oracle it is held to when that is not the session's mirror,
    and what it received in the current step. Every call may raise ``ClientError``."""

    def __init__(
        self, factory: Factory, session: ClientSession, mirror: Mirror, now: int, *, fetched: bool
    ) -> None:
        """``mirror`` is the session's, as it starts at ``now``; ``fetched`` says whether the
        initial fetch showed it anything."""
        #: The bodies received in the current step, as the client received them.
        self.bodies: list[list[Any]] = []
        #: Event types received in the whole run.
        self.delivered: set[str] = set()
        #: Event types of the events that changed what the client reports (its sections, and
        #: of ``stream`` the fields it reports) in a step after which it agreed: what the run
        #: tested this client on. A client of tags is not tested on chats by a chat scenario.
        self.covered: set[str] = set()
        #: Every part of the state it reported (:func:`parts`).
        self.reported: set[str] = set()
        self.oracle: Mirror | None = None
        if fetched:
            self.oracle = reducers.from_json({"stream": {"me": session.user, "now": now}})
        # The oracle at the previous check and its JSON form (mirrors are immutable, so an
        # oracle that is the same object has the same form).
        self._checked = mirror if self.oracle is None else self.oracle
        self._form = reducers.to_json(self._checked)
        self.client = Guarded(factory, session)
        self.told_now = now
        #: Whether the client was told anything since the previous check.
        self.told = True

    def start(self) -> None:
        """Tell the client the clock its session's mirror starts at. Apart from making the
        client, so that a run makes all its clients (processes start) before it waits on one."""
        self.client.advance(self.told_now)

    def next_step(self) -> None:
        self.bodies = []

    def receive(self, lines: Sequence[bytes]) -> None:
        """One body, as the lines the session's mirror folds."""
        if self.oracle is not None:
            self.oracle = reducers.fold(lines, self.oracle)
        body = [wire_value(line) for line in lines]
        self.bodies.append(body)
        self.delivered.update(_types(body))
        self.told = True
        self.client.receive(body)

    def advance(self, now: int) -> None:
        if self.oracle is not None:
            self.oracle = reducers.advance(self.oracle, now)
        if now > self.told_now:
            self.told = True
            self.client.advance(now)
            self.told_now = now

    def state(self) -> Mapping[str, Any]:
        return self.client.state()

    def disagreements(self, mirror: Mirror) -> list[Disagreement]:
        """Where the client's state and its oracle (``mirror``, the session's) disagree.

        A client told nothing since the previous check, whose oracle is the same, is not
        asked again: by the protocol its state changes only when it is told something, so
        the answer is the previous one, which agreed (the run stops at a disagreement)."""
        checked = mirror if self.oracle is None else self.oracle
        if not self.told and checked is self._checked:
            return []
        self.told = False
        reported = self.client.state()
        start, before, oracle = self._checked, self._form, self._form
        if checked is not self._checked:
            oracle = reducers.to_json(checked)
            self._checked, self._form = checked, oracle
        found = disagreements(oracle, reported)
        self.reported |= parts(reported)
        if (
            self.bodies
            and not found
            and oracle is not before
            and _reported_part(oracle, reported) != _reported_part(before, reported)
        ):
            self.covered.update(self._changed_by(start, reported))
        return found

    def _changed_by(self, start: Mirror, reported: Mapping[str, Any]) -> set[str]:
        """The types of this step's events that, applied one by one from ``start`` (the
        oracle at the previous check), changed the sections the client reports: a conference
        event in the same body as an object event does not count for a client of objects."""
        # Every event moves ``stream``; what an event type does is what it does elsewhere.
        reported = {section: value for section, value in reported.items() if section != STREAM}
        types: set[str] = set()
        mirror, part = start, _reported_part(reducers.to_json(start), reported)
        for event in (event for body in self.bodies for event in body):
            after = reducers.apply(mirror, event)
            after_part = _reported_part(reducers.to_json(after), reported)
            if after_part != part:
                types |= _types([event])
            mirror, part = after, after_part
        return types

    def close(self) -> None:
        self.client.close()


def parts(state: Mapping[str, Any]) -> set[str]:
    """The parts of the JSON form a state (or an expectation) names: its sections, and for
    ``stream``, whose fields every client and scenario share, ``stream.FIELD`` per field."""
    found: set[str] = set()
    for section, value in state.items():
        if section == STREAM and isinstance(value, Mapping):
            found.update(f"{STREAM}.{field}" for field in value)
        else:
            found.add(str(section))
    return found


def _types(events: Iterable[Any]) -> set[str]:
    return {
        event["event"]
        for event in events
        if isinstance(event, dict) and isinstance(event.get("event"), str)
    }


def _reported_part(oracle: Mapping[str, Any], reported: Mapping[str, Any]) -> dict[str, Any]:
    """The part of the oracle a client's report is compared with: the sections it reports,
    and of ``stream`` (which every event changes) only the fields it reports."""
    part: dict[str, Any] = {}
    for section in reported:
        theirs = oracle.get(section)
        mine = reported[section]
        if section == STREAM and isinstance(theirs, Mapping) and isinstance(mine, Mapping):
            part[section] = {field: theirs.get(field) for field in mine}
        else:
            part[str(section)] = theirs
    return part


__all__ = ["UnderTest", "parts"]

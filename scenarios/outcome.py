"""What running a scenario comes to: the :class:`Outcome`, and the :class:`Failure` of the step
that failed, with everything a report (:mod:`scenarios.report`) shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from reducers.agreement import Disagreement

from .matching import Difference
from .model import Scenario, Step


@attrs.frozen
class Failure:
    """Why a step failed. ``differences`` for a mirror, ``events`` for an event check."""

    step: Step
    headline: str
    resolved: Any
    differences: Sequence[Difference] = ()
    #: (expected, actual, matches) rows; actual is None where nothing arrived.
    events: Sequence[tuple[Any, Any, bool]] | None = None
    #: The session whose client under test failed the step.
    session: str | None = None
    #: The bodies that client received in the step (when the step failed on a client).
    bodies: Sequence[Sequence[Any]] | None = None
    #: Where the client's state disagrees with the mirror.
    disagreements: Sequence[Disagreement] = ()


@attrs.frozen
class Outcome:
    scenario: Scenario
    failure: Failure | None
    #: name -> UUID, for showing UUIDs by name
    names: Mapping[str, str]
    #: Event types the simulator produced in this run (raw deliveries not counted).
    produced: frozenset[str]
    #: Of those, the ones produced before a mirror check (an ``expect`` step) that passed.
    checked: frozenset[str]
    #: How many steps ran (the failing one included).
    steps_run: int
    #: Event types the clients under test received (none without a client).
    delivered: frozenset[str] = frozenset()
    #: Of those, the ones received in a step that changed what a client reports, and after
    #: which it agreed with the mirror (:class:`scenarios.undertest.UnderTest`).
    covered: frozenset[str] = frozenset()
    #: Whether a client reported a part of the state the scenario's ``expect`` steps check:
    #: whether the scenario tested the client on what it demonstrates.
    tested: bool = False

    @property
    def passed(self) -> bool:
        return self.failure is None


__all__ = ["Failure", "Outcome"]

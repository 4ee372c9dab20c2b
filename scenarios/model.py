"""What a checked scenario is: its steps as typed values (built by :mod:`scenarios.format`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .faults import Fault
from .yamlload import LocatedDict


@attrs.frozen
class Step:
    """Any step: where it was written and the mapping as written."""

    index: int
    line: int
    written: LocatedDict


@attrs.frozen
class Do(Step):
    command: str
    actor: str | None
    arguments: Mapping[str, Any]
    save: str | None
    #: The command must be refused with a message containing this text.
    refused: str | None


@attrs.frozen
class Deliver(Step):
    session: str
    #: A mapping (an event, id and time filled in if absent) or a raw line of text.
    event: Any


@attrs.frozen
class Advance(Step):
    seconds: int


@attrs.frozen
class Subscribe(Step):
    session: str
    kind: str
    target: Any
    refused: str | None


@attrs.frozen
class Replay(Step):
    session: str
    recording: Path


@attrs.frozen
class Open(Step):
    session: str
    user: str


@attrs.frozen
class Expect(Step):
    session: str
    mirror: Mapping[str, Any]
    strict: bool


@attrs.frozen
class ExpectClient(Step):
    """Checks the state the session's client under test reports, as ``Expect`` checks a mirror."""

    session: str
    state: Mapping[str, Any]
    strict: bool


@attrs.frozen
class ExpectEvents(Step):
    session: str
    events: list[Any]


@attrs.frozen
class StageFaults(Step):
    """Faults for a session's stream from now on (scenarios/faults.py)."""

    session: str
    faults: tuple[Fault, ...]


@attrs.frozen
class Scenario:
    name: str
    path: str
    line: int
    description: str
    rulings: tuple[str, ...]
    seed: int
    start: int | None
    users: tuple[str, ...]
    #: session name -> user name, in the order they open
    sessions: Mapping[str, str]
    uuids: tuple[str, ...]
    steps: tuple[Step, ...]
    #: user name -> the UUID the file gives her (``users:`` as a mapping); others are minted
    user_uuids: Mapping[str, str] = attrs.field(factory=dict)

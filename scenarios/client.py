"""The client protocol: how eventmirror drives a client author's own client.

A client under test is made per session by a **factory**, ``factory(session) -> client``, where
``session`` is a :class:`ClientSession` (the session id, the user's UUID and symbolic name).
The client offers:

- ``receive(events)``: one ``GET /api/event`` response body, a list of event objects exactly
  as on the wire (parsed JSON, every field as the server sent it, including whatever a
  scenario staged: duplicates, gaps, resets, malformed or unknown events);
- ``state()``: its picture, as a subset of the mirror's JSON form (docs/mirror.md), compared
  with the oracle by :func:`reducers.agreement.disagreements`;
- optionally ``advance(now)``: the clock moved to ``now`` (seconds), so timed states expire;
- optionally ``close()``: the session is over (free a process or a connection).

docs/client-testing.md is the tutorial.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

import attrs

from eventmirror.errors import did_you_mean


@attrs.frozen
class ClientSession:
    """What a factory learns about the session its client is for."""

    #: The session's id in the simulator (``s1``, ``s2``, ...).
    id: str
    #: The session's user, as a UUID (what events carry).
    user: str
    #: The user's symbolic name in the scenario (``anna``).
    name: str


@runtime_checkable
class Client(Protocol):
    """A client under test (``advance`` is optional: see :func:`advance`)."""

    def receive(self, events: list[dict[str, Any]]) -> None: ...

    def state(self) -> Mapping[str, Any]: ...


Factory = Callable[[ClientSession], Client]


class ClientError(Exception):
    """A client that cannot be loaded or that broke the protocol; the message says how."""


def advance(client: Client, now: int) -> None:
    """Tell ``client`` the clock moved to ``now``, if it wants to know."""
    move = getattr(client, "advance", None)
    if move is not None:
        move(now)


def close(client: Client) -> None:
    """Let ``client`` free what it holds (a process, a connection), if it has a ``close``."""
    end = getattr(client, "close", None)
    if end is not None:
        end()


class Guarded:
    """A client whose every call either works or raises :class:`ClientError` saying what the
    client did wrong, so a runner catches one exception and never crashes on a client's bug."""

    def __init__(self, factory: Factory, session: ClientSession) -> None:
        self.session = session
        made = _guard("the factory", factory, session)
        if not isinstance(made, Client):
            raise ClientError(
                f"the factory returned {type(made).__name__}, which has no receive() and "
                "state() (docs/client-testing.md)"
            )
        self.client: Client = made

    def receive(self, events: list[Any]) -> None:
        _guard("receive", self.client.receive, events)

    def advance(self, now: int) -> None:
        _guard("advance", advance, self.client, now)

    def state(self) -> Mapping[str, Any]:
        state = _guard("state", self.client.state)
        if not isinstance(state, Mapping):
            raise ClientError(
                f"the client's state() returned {type(state).__name__}; it returns a mapping "
                "of sections, as the mirror's JSON form has them"
            )
        return state

    def close(self) -> None:
        _guard("close", close, self.client)


def _guard(what: str, call: Callable[..., Any], *arguments: Any) -> Any:
    try:
        return call(*arguments)
    except ClientError:
        raise
    except Exception as error:  # the client's own bug: a failure, never a crash of the run
        name = what if what == "the factory" else f"the client's {what}()"
        raise ClientError(f"{name} raised {type(error).__name__}: {error}") from error


def wire_value(line: bytes) -> Any:
    """What a client receives for one line of a response body: its JSON value, parsed afresh
    (so a client that changes it changes nothing else), or its text when it is not JSON."""
    try:
        return json.loads(line)
    except ValueError:
        return line.decode("utf-8", "replace")


def load_factory(spec: str) -> Factory:
    """The factory named ``MODULE:FACTORY`` (``FACTORY`` may be dotted: ``module:Class.make``).

    The module is imported as Python imports any module (it runs its code: name only clients
    you trust, as with any test dependency); nothing else is ever evaluated. The current
    directory is searched first, as ``python -m`` and pytest do, so a client beside the
    project's tests is found without installing it."""
    module_name, colon, attribute = spec.partition(":")
    if not colon or not module_name or not attribute:
        raise ClientError(
            f"{spec!r}: name the client factory as MODULE:FACTORY, e.g. myclient:make_client"
        )
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ClientError(f"{spec!r}: cannot import {module_name!r}: {error}") from None
    found: Any = module
    for part in attribute.split("."):
        if not hasattr(found, part):
            public = [name for name in dir(found) if not name.startswith("_")]
            hint = did_you_mean(part, public)
            raise ClientError(f"{spec!r}: {module_name} has no {part!r}{hint}")
        found = getattr(found, part)
    if not callable(found):
        raise ClientError(f"{spec!r}: {attribute} is not callable, it is {type(found).__name__}")
    factory: Factory = found
    return factory


__all__ = [
    "Client",
    "ClientError",
    "ClientSession",
    "Factory",
    "Guarded",
    "advance",
    "close",
    "load_factory",
    "wire_value",
]

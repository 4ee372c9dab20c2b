"""Clients under test for the tests: eventmirror's own mirror wearing the client protocol.

:class:`MirrorClient` folds what it receives with the reducers and reports every section of
the JSON form, so it agrees with the oracle by construction (unless it starts from something
the oracle does not); the subclasses plant one bug each.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import reducers
from scenarios.client import ClientSession


class MirrorClient:
    """A correct client: the reducers fold every body; ``state()`` is the whole JSON form."""

    #: The sections reported (None: all of them).
    sections: tuple[str, ...] | None = None

    def __init__(self, session: ClientSession) -> None:
        self.session = session
        self.mirror = reducers.fold([], me=session.user)

    def receive(self, events: list[Any]) -> None:
        # A raw line a scenario delivers arrives as its text: fold it as those bytes again.
        lines = [
            event.encode() if isinstance(event, str) else json.dumps(event).encode()
            for event in self.kept(events)
        ]
        self.mirror = reducers.fold(lines, self.mirror)

    def kept(self, events: list[Any]) -> list[Any]:
        return events

    def advance(self, now: int) -> None:
        self.mirror = reducers.advance(self.mirror, now)

    def state(self) -> Mapping[str, Any]:
        form = reducers.to_json(self.mirror)
        if self.sections is None:
            return form
        return {section: form[section] for section in self.sections}


class StreamAndTags(MirrorClient):
    sections = ("stream", "tags", "objects")


class TagsOnly(MirrorClient):
    sections = ("tags",)


class ForgetsTrashPurge(MirrorClient):
    """Never applies ``trash_purge``, but still counts its id (it does not leave a gap)."""

    def kept(self, events: list[Any]) -> list[Any]:
        return [
            {"id": event["id"], "time": event["time"], "event": "not_modelled"}
            if isinstance(event, dict) and event.get("event") == "trash_purge"
            else event
            for event in events
        ]


class NoClock(MirrorClient):
    """Ignores the clock: timed states never expire."""

    def advance(self, now: int) -> None:
        pass


class Crashes(MirrorClient):
    def receive(self, events: list[Any]) -> None:
        raise KeyError("event")


def not_a_client(session: ClientSession) -> Any:
    return 42

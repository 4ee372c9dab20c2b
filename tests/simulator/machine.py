"""The mirror property as a hypothesis state machine, built from per-domain rule mixins.

After every step, for every session: folding its events (onto the view it was seeded with
when it opened, the client's initial fetch) and advancing to the world's clock gives exactly
``world.view(session)``. A step that delivers events but changes no session's mirror fails
too: a command that sends what changes nothing is a weak rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import reducers
from reducers import Mirror
from simulator import SimulatorError, World

NAMES = ("anna", "ben", "carl")
users = st.sampled_from(NAMES)


class WorldMachine(RuleBasedStateMachine):
    """The base: a world with three users and sessions; domains add rules as mixins."""

    def __init__(self) -> None:
        super().__init__()
        self.world = World(seed=0)
        for name in NAMES:
            self.world.add_user(name)
        #: session id -> (the folded mirror, how many of its events are folded)
        self.mirrors: dict[str, tuple[Mirror, int]] = {}
        for name in (*NAMES, "anna"):
            self._open(name)

    def _open(self, name: str) -> None:
        session = self.world.open_session(name)
        self.mirrors[session.id] = (self.world.view(session.id), 0)

    def attempt(self, command: Callable[[], Any]) -> Any:
        """Run a command; an invalid one must raise SimulatorError and change nothing."""
        before = {s.id: len(s.events) for s in self.world.sessions.values()}
        change = self.world.change
        try:
            return command()
        except SimulatorError:
            assert {s.id: len(s.events) for s in self.world.sessions.values()} == before
            assert self.world.change == change
            return None

    def uuids(self, kind: str) -> list[str]:
        """The UUIDs of a kind of entity the world holds now (for rules to pick from)."""
        world = self.world
        found: dict[str, list[str]] = {
            "tag": sorted(world.tags.tags),
            "object": sorted(world.objects.objects),
            "comment": sorted(world.comments.comments),
        }
        return found.get(kind, [])

    @rule(name=users)
    def open_session(self, name: str) -> None:
        if len(self.world.sessions) < 6:
            self._open(name)

    @rule(seconds=st.integers(0, 40))
    def wait(self, seconds: int) -> None:
        self.world.advance(seconds)

    @invariant()
    def every_session_mirrors_the_world(self) -> None:
        world = self.world
        delivered: list[str] = []
        changed = False
        for session in world.sessions.values():
            mirror, folded = self.mirrors[session.id]
            new = session.events[folded:]
            if new:
                updated = reducers.fold(
                    (msgspec.json.encode(e) for e in new), mirror, strict=True, me=session.user
                )
                delivered.extend(e["event"] for e in new)
                changed = changed or not updated.same_state(mirror) or _moves_only_stream(new)
                mirror = updated
            self.mirrors[session.id] = (mirror, len(session.events))
            current = reducers.advance(mirror, world.now)
            view = world.view(session.id)
            if not current.same_state(view):
                diffs = [n for n in reducers.SLICES if getattr(current, n) != getattr(view, n)]
                detail = "; ".join(
                    f"{n}: folded {getattr(current, n)!r} != view {getattr(view, n)!r}"
                    for n in diffs
                )
                raise AssertionError(f"{session.id} ({session.user}): {detail}")
        assert changed or not delivered, f"the step sent {delivered} but no mirror changed"


def _moves_only_stream(events: list[dict[str, Any]]) -> bool:
    # Keepalives record a time that may equal the one already recorded.
    return all(e["event"] == "presentation_keepalive" for e in events)


def pick(data: st.DataObject, options: list[str]) -> str | None:
    return data.draw(st.sampled_from(options)) if options else None


__all__ = ["NAMES", "WorldMachine", "pick", "precondition", "rule", "users"]

"""Small builders that keep tests about behaviour rather than JSON plumbing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import msgspec
import pytest

import reducers
from eventmirror.codec import decode
from eventmirror.events import Event
from reducers import Mirror

if TYPE_CHECKING:
    from simulator import World

ME = "1de7257a-4f34-11e0-ab6e-0024e8f90cc1"
OTHER = "c5dbbdd4-0ad9-11e1-bd0d-0024e8f90cc0"
THIRD = "c63ff81c-0ad9-11e1-bb94-0024e8f90cc0"


def wire(name: str, /, id: int = 0, time: int = 1_000_000, **payload: Any) -> dict[str, Any]:
    """An event as the platform sends it (a dict), e.g. ``wire("tag_delete", 3, tag=T)``."""
    return {"id": id, "event": name, "time": time, **payload}


def event(name: str, /, id: int = 0, time: int = 1_000_000, **payload: Any) -> Event:
    """A decoded event; fails the test if the payload is not valid."""
    decoded = decode(_json(wire(name, id, time, **payload)))
    assert isinstance(decoded, Event), decoded
    return decoded


def _json(value: Any) -> bytes:
    return msgspec.json.encode(value)


class Stream:
    """Builds a contiguous stream: ids from 0, time advancing one second per event unless
    given. ``stream.add("tag_new", tag=...)`` returns the dict; ``stream.fold()`` folds all."""

    def __init__(self, start_time: int = 1_000_000, me: str | None = ME) -> None:
        self.events: list[dict[str, Any]] = []
        self.time = start_time
        self.me = me

    def add(self, name: str, /, *, time: int | None = None, **payload: Any) -> dict[str, Any]:
        self.time = time if time is not None else self.time + 1
        item = wire(name, len(self.events), self.time, **payload)
        self.events.append(item)
        return item

    def fold(self, mirror: Mirror | None = None, *, strict: bool = True) -> Mirror:
        return reducers.fold((_json(e) for e in self.events), mirror, strict=strict, me=self.me)


def fold_all(
    events: Iterable[dict[str, Any]], *, me: str | None = ME, strict: bool = True
) -> Mirror:
    """Fold event dicts (given as the platform sends them) into a new mirror."""
    return reducers.fold((_json(e) for e in events), strict=strict, me=me)


# -- comparing a fold with the simulator's view ---------------------------------------------


def fold_form(mirror: Mirror, now: int | None = None) -> dict[str, Any]:
    """The mirror's JSON form advanced to ``now`` (if given), without its ``stream`` section:
    what ``World.view`` gives for the same session."""
    if now is not None:
        mirror = reducers.advance(mirror, now)
    form = reducers.to_json(mirror)
    form.pop("stream")
    return form


def assert_same_state(mirror: Mirror, view: dict[str, Any], now: int, label: str = "") -> None:
    """The mirror, advanced to ``now``, shows exactly ``view`` (``World.view``'s JSON form);
    on a mismatch the message lists each differing path."""
    assert_same_form(fold_form(mirror, now), view, label)


def assert_same_form(form: dict[str, Any], view: dict[str, Any], label: str = "") -> None:
    """A fold's JSON form (:func:`fold_form`) is exactly ``view``; on a mismatch the message
    lists each differing path (``reducers.diff``)."""
    # Plain equality first: it is all a passing comparison needs.
    if form == view:
        return
    changes = reducers.diff(form, view)
    shown = "\n  ".join(_described(change)[:400] for change in changes[:20])
    more = f"\n  ... and {len(changes) - 20} more" if len(changes) > 20 else ""
    raise AssertionError(f"{label or 'the fold'} differs from the view:\n  {shown}{more}")


def _described(change: reducers.Change) -> str:
    if change.kind == "added":
        return f"{change.path}: only in the view: {change.new!r}"
    if change.kind == "removed":
        return f"{change.path}: only in the fold: {change.old!r}"
    return f"{change.path}: fold {change.old!r} != view {change.new!r}"


def seed_from_view(view: dict[str, Any], me: str, now: int) -> Mirror:
    """A client's mirror seeded from a view (its initial fetch), as docs/simulator.md says."""
    return reducers.from_json({"stream": {"me": me, "now": now}, **view})


def assert_sessions_mirror(world: World) -> None:
    """Folding each session's events from an empty mirror gives its view (for sessions opened
    before anything happened)."""
    for session in world.sessions.values():
        folded = fold_all(session.events, me=session.user)
        assert_same_state(folded, world.view(session), world.now, session.id)


def empty_form() -> dict[str, Any]:
    """The JSON form of a mirror that has seen nothing, without its ``stream``."""
    return fold_form(reducers.empty(None))


#: For tests that run the JavaScript example client under ``node``. .ci/run installs node and
#: runs with CI=true, so in CI a missing node fails those tests instead of skipping them.
needs_node = pytest.mark.skipif(
    shutil.which("node") is None and os.environ.get("CI") != "true",
    reason="node is not on PATH: the JavaScript example client needs it",
)

#: Debian's chromium, which the inspector's browser tests drive through Playwright (never a
#: browser Playwright downloads). .ci/run installs it and runs with CI=true, so in CI a missing
#: chromium fails those tests instead of skipping them.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true",
    reason="chromium is not installed: the inspector's browser tests need it",
)

"""Small builders that keep tests about behaviour rather than JSON plumbing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import msgspec

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

#: Sections whose values are JSON values as the platform sent them: a null there is a value.
_JSON_VALUE_MAPS = frozenset({"user_metadata", "metadata"})


def fold_form(mirror: Mirror, now: int | None = None) -> dict[str, Any]:
    """The mirror's JSON form advanced to ``now`` (if given), without its ``stream`` section:
    what ``World.view`` gives for the same session."""
    if now is not None:
        mirror = reducers.advance(mirror, now)
    form = reducers.to_json(mirror)
    form.pop("stream")
    return form


def tolerate_old_absent_rule(form: dict[str, Any]) -> dict[str, Any]:
    """A fold's JSON form as it reads by the rule for absent optionals (docs/mirror.md): every
    ``None`` value of an object left out, at any depth, and a call's empty ``dtmf`` written.

    TOLERANCE, to go once ``reducers.to_json`` follows that rule (issue 12, the ``slices``
    branch): until then it writes some absent optionals as null, and leaves an empty ``dtmf``
    out, where the view follows the rule. Metadata values are the platform's JSON values,
    nulls included: kept.
    """
    tolerated: dict[str, Any] = _without_nulls(form)
    for call in tolerated.get("calls", {}).values():
        call.setdefault("dtmf", [])
    return tolerated


def _without_nulls(form: Any, key: str | None = None) -> Any:
    if isinstance(form, dict):
        keep = key in _JSON_VALUE_MAPS
        return {
            k: _without_nulls(v, k) if not keep else v
            for k, v in form.items()
            if keep or v is not None
        }
    if isinstance(form, list):
        return [_without_nulls(item) for item in form]
    return form


def form_diff(folded: Any, view: Any, path: str = "") -> list[str]:
    """The paths where two JSON forms differ, one readable line each (empty: they agree)."""
    if isinstance(folded, dict) and isinstance(view, dict):
        lines: list[str] = []
        for key in sorted(folded.keys() | view.keys(), key=str):
            at = f"{path}.{key}" if path else str(key)
            if key not in view:
                lines.append(f"{at}: only in the fold: {folded[key]!r}")
            elif key not in folded:
                lines.append(f"{at}: only in the view: {view[key]!r}")
            else:
                lines.extend(form_diff(folded[key], view[key], at))
        return lines
    if isinstance(folded, list) and isinstance(view, list) and len(folded) == len(view):
        return [
            line
            for index, (a, b) in enumerate(zip(folded, view, strict=True))
            for line in form_diff(a, b, f"{path}[{index}]")
        ]
    return [] if folded == view else [f"{path or '.'}: fold {folded!r} != view {view!r}"]


def assert_same_state(mirror: Mirror, view: dict[str, Any], now: int, label: str = "") -> None:
    """The mirror, advanced to ``now``, shows exactly ``view`` (``World.view``'s JSON form);
    on a mismatch the message lists each differing path."""
    assert_same_form(fold_form(mirror, now), view, label)


def assert_same_form(form: dict[str, Any], view: dict[str, Any], label: str = "") -> None:
    """A fold's JSON form (:func:`fold_form`) is exactly ``view``; on a mismatch the message
    lists each differing path."""
    # Plain equality first: walking the forms in Python would cost every comparison.
    if form == view:
        return
    form = tolerate_old_absent_rule(form)
    differences = form_diff(form, view)
    if differences:
        shown = "\n  ".join(line[:400] for line in differences[:20])
        more = f"\n  ... and {len(differences) - 20} more" if len(differences) > 20 else ""
        raise AssertionError(f"{label or 'the fold'} differs from the view:\n  {shown}{more}")


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

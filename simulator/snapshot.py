"""A world's whole state as one deterministic JSON document, and a world from one.

>>> document = snapshot.dumps(world)          # bytes: the same world, the same bytes
>>> copy = snapshot.loads(document)           # a world in the same state
>>> snapshot.dumps(copy) == document
True

The document (docs/simulator.md, "Snapshots") holds everything that decides what the world
does next: the users, every session with its stream, subscriptions and re-sent ids (closed
ones too), each domain's server state (every annotated attribute of the domain, through
:mod:`simulator._typed`), the clock with its queue of timers (expiries and periodic
re-sends, each named by its label and filed again by its domain), the change counter and the
state of the random generator that mints UUIDs. So a world and its copy, given the same
commands, send byte-identical streams.

Loading checks every value's type and the references a document's parts make to each other
(a session's user, a timer's entity); a bad value is a :class:`SnapshotError` naming its path,
e.g. ``$.sessions[0].user: no user '...'``.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Any, Final

import msgspec

from ._core import Domain, Session, SimulatorError
from ._typed import SnapshotError, dump, key_path, load
from .clock import Timer
from .world import World

#: The document's ``format``: a document of another format is refused.
FORMAT: Final = "eventmirror-world/1"

_SESSION: Final = {
    "closed": bool,
    "events": list[dict[str, Any]],
    "id": str,
    "opened": int,
    "resent": set[int],
    "subscriptions": set[tuple[str, str]],
    "user": str,
}
_TIMER: Final = {
    "due": int,
    "label": tuple[str, ...],
    "period": int | None,
    "sequence": int,
}
_MT_WORDS: Final = 625
_MAX: Final = 2**63 - 1


def state_of(domain: Domain) -> dict[str, Any]:
    """A domain's state: its annotated attributes, but the timers :meth:`Domain.rearm` files."""
    cls = type(domain)
    if cls not in _STATE_TYPES:  # resolving the annotations is slow: once per class
        hints = typing.get_type_hints(cls)
        _STATE_TYPES[cls] = {
            name: kind
            for name, kind in sorted(hints.items())
            if typing.get_origin(kind) is not typing.ClassVar and name not in cls.rearmed
        }
    return dict(_STATE_TYPES[cls])


_STATE_TYPES: dict[type, dict[str, Any]] = {}


def export(world: World) -> dict[str, Any]:
    """The world's state as plain JSON data, the same for the same state."""
    domains = {}
    for domain in sorted(world.domains, key=lambda d: d.name):
        held = state_of(domain)
        unknown = set(vars(domain)) - {"world", *held, *domain.rearmed}
        if unknown:  # pragma: no cover - tests/simulator/test_snapshot.py keeps it so
            raise TypeError(f"{domain.name} has state no annotation declares: {sorted(unknown)}")
        domains[domain.name] = {
            name: dump(getattr(domain, name), kind) for name, kind in held.items()
        }
    version, words, gauss = world._random.getstate()
    return {
        "change": world.change,
        "clock": {
            "now": world.clock.now,
            "pending": [_timer(timer) for _, timer in world.clock.pending()],
            "sequence": world.clock.sequence,
        },
        "domains": domains,
        "format": FORMAT,
        "random": {"gauss": gauss, "version": version, "words": list(words)},
        "seed": world.seed,
        "sessions": [
            {name: dump(getattr(session, name), kind) for name, kind in _SESSION.items()}
            for session in world.sessions.values()
        ],
        "users": dict(world.users),
    }


def _timer(timer: Timer) -> dict[str, Any]:
    if not timer.label:  # pragma: no cover - every domain labels its timers
        raise TypeError(f"an unlabelled timer due at {timer.due} cannot be exported")
    return {
        "due": timer.due,
        "label": list(timer.label),
        "period": timer.period,
        "sequence": timer.sequence,
    }


def dumps(world: World) -> bytes:
    """:func:`export` as compact JSON in UTF-8."""
    return msgspec.json.encode(export(world))


def loads(data: bytes | str) -> World:
    """The world a JSON document describes (:func:`load`)."""
    try:
        document = msgspec.json.decode(data)
    except msgspec.DecodeError as bad:
        raise SnapshotError("$", f"not JSON: {bad}") from None
    return load_world(document)


def load_world(document: Any) -> World:
    """The world a document (plain JSON data, as :func:`export` gives) describes;
    :class:`SnapshotError` naming the path of the first bad value."""
    fields = _fields(
        document,
        "$",
        ("change", "clock", "domains", "format", "random", "seed", "sessions", "users"),
    )
    if fields["format"] != FORMAT:
        raise SnapshotError("$.format", f"expected {FORMAT!r}, got {fields['format']!r}")
    clock = _fields(fields["clock"], "$.clock", ("now", "pending", "sequence"))
    now = _whole(clock["now"], "$.clock.now")
    seed = fields["seed"]
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise SnapshotError("$.seed", f"expected a whole number, got {seed!r}")
    world = World(seed=seed, start=now)
    world.change = _whole(fields["change"], "$.change")
    _random(world, fields["random"])
    _users(world, load(fields["users"], dict[str, str], "$.users"))
    _sessions(world, fields["sessions"])
    _domains(world, fields["domains"])
    _clock(world, clock)
    return world


def _fields(data: Any, path: str, names: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise SnapshotError(path, f"expected an object with {', '.join(names)}")
    for name in sorted(set(data) - set(names)):
        raise SnapshotError(
            key_path(path, name), f"unknown key (expected one of {', '.join(names)})"
        )
    for name in names:
        if name not in data:
            raise SnapshotError(path, f"{name!r} is missing")
    return dict(data)


def _whole(value: Any, path: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= _MAX:
        raise SnapshotError(path, f"expected a whole number >= {low}, got {value!r}")
    return value


def _random(world: World, data: Any) -> None:
    fields = _fields(data, "$.random", ("gauss", "version", "words"))
    words = fields["words"]
    if (
        not isinstance(words, list)
        or len(words) != _MT_WORDS
        or not all(type(word) is int and 0 <= word < 2**32 for word in words)
    ):
        raise SnapshotError("$.random.words", f"expected {_MT_WORDS} numbers 0..2**32-1")
    gauss = load(fields["gauss"], float | None, "$.random.gauss")
    try:
        world._random.setstate((fields["version"], tuple(words), gauss))
    except (TypeError, ValueError) as bad:
        raise SnapshotError("$.random", f"not a random generator's state: {bad}") from None


def _users(world: World, users: Mapping[str, str]) -> None:
    for name, uuid in users.items():
        try:
            world.add_user(name, uuid)
        except SimulatorError as bad:
            raise SnapshotError(key_path("$.users", name), str(bad)) from None


def _sessions(world: World, data: Any) -> None:
    if not isinstance(data, list):
        raise SnapshotError("$.sessions", "expected an array of sessions")
    for position, item in enumerate(data):
        path = f"$.sessions[{position}]"
        values = _fields(item, path, tuple(_SESSION))
        found = {
            name: load(values[name], kind, key_path(path, name)) for name, kind in _SESSION.items()
        }
        if found["id"] != f"s{position + 1}":
            raise SnapshotError(
                f"{path}.id", f"expected 's{position + 1}': sessions are numbered in order"
            )
        if found["user"] not in world.names:
            raise SnapshotError(f"{path}.user", f"no user {found['user']!r}")
        for index, event in enumerate(found["events"]):
            if event.get("id") != index:
                raise SnapshotError(
                    f"{path}.events[{index}].id", f"expected {index}: ids count from 0"
                )
        session = Session(
            found["id"],
            found["user"],
            found["opened"],
            found["events"],
            found["subscriptions"],
            found["resent"],
            found["closed"],
        )
        world.sessions[session.id] = session
        if not session.closed:
            world._sessions_by_user.setdefault(session.user, []).append(session)


def _domains(world: World, data: Any) -> None:
    by_name = {domain.name: domain for domain in world.domains}
    fields = _fields(data, "$.domains", tuple(sorted(by_name)))
    for name, domain in sorted(by_name.items()):
        path = key_path("$.domains", name)
        held = state_of(domain)
        values = _fields(fields[name], path, tuple(held))
        for attribute, kind in held.items():
            setattr(domain, attribute, load(values[attribute], kind, key_path(path, attribute)))


def _clock(world: World, clock: dict[str, Any]) -> None:
    sequence = _whole(clock["sequence"], "$.clock.sequence")
    world.clock.sequence = sequence
    pending = clock["pending"]
    if not isinstance(pending, list):
        raise SnapshotError("$.clock.pending", "expected an array of timers")
    seen: set[int] = set()
    by_name = {domain.name: domain for domain in world.domains}
    for position, item in enumerate(pending):
        path = f"$.clock.pending[{position}]"
        values = _fields(item, path, tuple(_TIMER))
        timer = {
            name: load(values[name], kind, key_path(path, name)) for name, kind in _TIMER.items()
        }
        if not world.now < timer["due"] <= _MAX:
            raise SnapshotError(f"{path}.due", f"expected a time after the clock's {world.now}")
        if timer["period"] is not None:
            _whole(timer["period"], f"{path}.period", low=1)
        if not 0 <= timer["sequence"] < sequence or timer["sequence"] in seen:
            raise SnapshotError(
                f"{path}.sequence", f"expected a number below {sequence}, each once"
            )
        seen.add(timer["sequence"])
        label: tuple[str, ...] = timer["label"]
        domain = by_name.get(label[0]) if label else None
        if domain is None:
            raise SnapshotError(
                f"{path}.label", f"expected a domain's name first, got {list(label)}"
            )

        def schedule(
            action: Any, timer: dict[str, Any] = timer, label: tuple[str, ...] = label
        ) -> Timer:
            return world.clock.restore(
                timer["due"], timer["period"], timer["sequence"], label, action
            )

        try:
            domain.rearm(label, schedule)
        except (KeyError, ValueError, SimulatorError) as bad:
            raise SnapshotError(f"{path}.label", f"names nothing to schedule: {bad}") from None


def copy(world: World) -> World:
    """A world in the same state (its snapshot loaded)."""
    return load_world(export(world))


__all__ = ["FORMAT", "SnapshotError", "copy", "dumps", "export", "load_world", "loads", "state_of"]

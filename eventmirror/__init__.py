"""eventmirror: replay, simulate and test clients of the platform's ``GET /api/event`` stream.

>>> import eventmirror
>>> mirror = eventmirror.fold(open("session.jsonl", "rb"), me=my_uuid)
>>> mirror.tags, mirror.health.gaps, eventmirror.dumps(mirror)

This module is the library's face: the names most programs need, each the very object its
home module holds (``eventmirror.fold is reducers.fold``). A name is imported from its home
the first time it is used, so ``import eventmirror.codec`` (which the reducers do) loads the
event model alone, never the reducers or the simulator above it (docs/design.md, "The
layers").

Events: the event model (:mod:`eventmirror.events`, :mod:`eventmirror.codec`,
:mod:`eventmirror.errors`)

- ``decode(data)``: one event from its JSON text (bytes or str), as an event class instance,
  or an ``UnknownEvent`` for a type the library does not know; raises ``EventError``.
- ``encode(event)``: the event's JSON text, one line, as the platform sends it.
- ``to_wire(event)``: the dict the platform sent (absent optional fields left out).
- ``Event``: the base class of the 56 event classes, one per event type.
- ``EVENT_TYPES``: each wire name (``"object_new"``) with its class.
- ``UnknownEvent``: an event of a type the library does not know: kept, never applied.
- ``EventError``: the one error for bad input, naming the event id, type, JSON path and value.
- ``Problem``: what an ``EventError`` or an anomaly says is wrong (path, expected, got).

Mirrors: a session's client-side state (:mod:`reducers`, docs/mirror.md)

- ``fold(events, mirror=None, *, strict=False, me=None)``: a whole stream folded into a mirror.
- ``apply(mirror, event, *, strict=False)``: the mirror after one more event; the old one is
  unchanged.
- ``advance(mirror, now)``: the mirror with its clock moved forward, timed states expired.
- ``empty(me=None)``: a mirror that has seen nothing yet.
- ``Mirror``: the immutable mirror; its ``health`` is a ``Health``.
- ``Health``: the stream's bookkeeping: counts, gaps, resets, anomalies, the resync flag.
- ``Anomaly``, ``Gap``, ``Reset``, ``TimeJump``: the entries of ``Health``'s lists.
- ``to_json(mirror)``, ``from_json(document)``: the mirror's JSON form as plain data, and back.
- ``dumps(mirror, *, indent=0)``, ``loads(data)``: the same as JSON text (deterministic bytes).
- ``MirrorFormatError``: ``loads`` or ``from_json`` was given something that is not a mirror.
- ``same_state(a, b)``: whether two mirrors (or JSON forms) show the same domain state.
- ``diff(a, b)``: what differs, as ``Change`` entries: a JSON Pointer path, added, removed or
  changed, and the old and new values.

The simulated platform (:mod:`simulator`, docs/simulator.md)

- ``World``: the deterministic server: users, sessions, a virtual clock, commands by domain.
- ``Session``: one session of a user, with the events its ``GET /api/event`` returns.
- ``SimulatorError``: a command that cannot be carried out; the world is left unchanged.

Scenarios keep their own namespace (``scenarios.load``, ``scenarios.run``, docs/scenarios.md):
their ``load``/``loads``/``run`` would read as something else here. The command line is
``eventmirror.cli``, hypothesis strategies for testing clients are ``eventmirror.strategies``.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from eventmirror.codec import UnknownEvent, decode, encode, to_wire
    from eventmirror.errors import EventError, Problem
    from eventmirror.events import EVENT_TYPES, Event
    from reducers import (
        Anomaly,
        Change,
        Gap,
        Health,
        Mirror,
        MirrorFormatError,
        Reset,
        TimeJump,
        advance,
        apply,
        diff,
        dumps,
        empty,
        fold,
        from_json,
        loads,
        same_state,
        to_json,
    )
    from simulator import Session, SimulatorError, World

__version__ = "0.1.0"

#: Each name of the face, and the module a user would otherwise import it from.
HOMES: Final[Mapping[str, str]] = {
    **dict.fromkeys(("UnknownEvent", "decode", "encode", "to_wire"), "eventmirror.codec"),
    **dict.fromkeys(("EventError", "Problem"), "eventmirror.errors"),
    **dict.fromkeys(("EVENT_TYPES", "Event"), "eventmirror.events"),
    **dict.fromkeys(
        (
            "Anomaly",
            "Change",
            "Gap",
            "Health",
            "Mirror",
            "MirrorFormatError",
            "Reset",
            "TimeJump",
            "advance",
            "apply",
            "diff",
            "dumps",
            "empty",
            "fold",
            "from_json",
            "loads",
            "same_state",
            "to_json",
        ),
        "reducers",
    ),
    **dict.fromkeys(("Session", "SimulatorError", "World"), "simulator"),
}

# Spelt out, so that type checkers and linters see what the face exports; HOMES has the same
# names (tests/test_face.py).
__all__ = [
    "EVENT_TYPES",
    "Anomaly",
    "Change",
    "Event",
    "EventError",
    "Gap",
    "Health",
    "Mirror",
    "MirrorFormatError",
    "Problem",
    "Reset",
    "Session",
    "SimulatorError",
    "TimeJump",
    "UnknownEvent",
    "World",
    "advance",
    "apply",
    "decode",
    "diff",
    "dumps",
    "empty",
    "encode",
    "fold",
    "from_json",
    "loads",
    "same_state",
    "to_json",
    "to_wire",
]


# Hidden from type checkers, which see the names through the imports above and so still
# report a misspelt ``eventmirror.fodl`` (a module __getattr__ would make any name pass).
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        home = HOMES.get(name)
        if home is None:
            from .errors import did_you_mean

            hint = did_you_mean(name, __all__)
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}{hint}")
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value  # later uses skip this function
        return value

    def __dir__() -> list[str]:
        # The face, its submodules imported so far and the dunders; not its own helpers.
        own = {
            name
            for name, value in globals().items()
            if name.startswith("__")
            or (isinstance(value, ModuleType) and value.__name__.startswith(f"{__name__}."))
        }
        return sorted({*__all__, *own})

"""Faults a test runner stages for one session, so a client's retry and resync logic is tested.

Each fault names the event id it is tied to (``at``) and fires once: on the first
``GET /api/event`` answer that would include that event. The kinds:

- ``duplicate``: the event is sent twice in that answer (the second right after the first);
- ``error``: the poll is answered 503 instead; the events stay for the next poll;
- ``delay``: the answer is held back ``seconds`` (real seconds, at most :data:`MAX_DELAY`);
- ``truncate``: the body is cut after half of its bytes;
- ``malform``: the body is not JSON (its first ``:`` becomes ``;``).

Which fault fires is decided by the ids alone, so the same faults and polls give the same
answers, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import attrs

from eventmirror.errors import did_you_mean

from .answers import encode, whole

KINDS: Final = ("duplicate", "error", "delay", "truncate", "malform")
MAX_DELAY: Final = 30.0


@attrs.define
class Fault:
    kind: str
    at: int
    seconds: float = 0.0
    spent: bool = False

    def shown(self) -> dict[str, Any]:
        found: dict[str, Any] = {"kind": self.kind, "at": self.at, "spent": self.spent}
        if self.kind == "delay":
            found["seconds"] = self.seconds
        return found


def parse(value: Any) -> list[Fault]:
    """The faults a request asks for: a list of ``{"kind", "at", "seconds"?}``; ValueError
    with a sentence when one is wrong."""
    if not isinstance(value, list):
        raise ValueError('faults: expected a list of {"kind": ..., "at": EVENT_ID}')
    return [_fault(position, item) for position, item in enumerate(value)]


def _fault(position: int, item: Any) -> Fault:
    where = f"faults[{position}]"
    if not isinstance(item, dict):
        raise ValueError(f'{where}: expected {{"kind": ..., "at": EVENT_ID}}')
    kind, at, seconds = item.get("kind"), whole(item.get("at")), item.get("seconds", 0)
    if kind not in KINDS:
        hint = did_you_mean(kind, KINDS) if isinstance(kind, str) else ""
        raise ValueError(f"{where}.kind: {kind!r} is none of {', '.join(KINDS)}{hint}")
    if at is None:
        raise ValueError(f"{where}.at: expected an event id (a whole number >= 0)")
    unknown = sorted(set(item) - {"kind", "at", "seconds"})
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r}")
    if kind == "delay":
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
            raise ValueError(f"{where}.seconds: expected a number of seconds")
        if not 0 <= seconds <= MAX_DELAY:
            raise ValueError(f"{where}.seconds: expected 0..{MAX_DELAY:g}")
    elif "seconds" in item:
        raise ValueError(f"{where}.seconds: only a delay takes seconds")
    return Fault(kind, at, float(seconds))


def due(faults: Sequence[Fault], events: Sequence[dict[str, Any]]) -> Fault | None:
    """The fault this answer fires, now spent: the first unspent one tied to an event in it."""
    ids = {event["id"] for event in events}
    for fault in faults:
        if not fault.spent and fault.at in ids:
            fault.spent = True
            return fault
    return None


def render(fault: Fault, events: Sequence[dict[str, Any]]) -> tuple[int, bytes]:
    """The status and body of an answer that ``fault`` (not a delay) spoils."""
    if fault.kind == "error":
        return 503, encode({"error": f"injected fault: error at event {fault.at}"})
    if fault.kind == "duplicate":
        doubled: list[dict[str, Any]] = []
        for event in events:
            doubled += [event, event] if event["id"] == fault.at else [event]
        return 200, encode(doubled)
    whole = encode(events)
    if fault.kind == "truncate":
        return 200, whole[: len(whole) // 2]
    return 200, whole.replace(b":", b";", 1)  # malform

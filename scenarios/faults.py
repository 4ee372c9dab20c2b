"""Faults staged for one session: their declaration, the seeded decision, and the one mapping
from the server's stream to the stream the session's client sees.

The scenario loader (a ``faults:`` step), the scenario engine and ``eventmirror serve`` all
use this module; serve adds only what HTTP does with an answer (docs/serve.md, "Faults").

Two families of kinds:

- **stream kinds** change the stream the client is sent, for good: every later answer, every
  re-poll and the oracle see the same renumbered stream (:class:`ClientStream`):

  - ``duplicate``: the event is sent twice, the copy right after it, with the same id;
  - ``gap``: from the event on, the ids the client sees are ``size`` higher (ids skipped);
  - ``reset``: from the event on, the ids start again at 0, as after a server restart;
  - ``resend``: the first status event (``conference_status``, ``presentation_status``) at
    or after the fault's event is sent again right after itself, with the next id, as the
    platform re-sends a status "in regular intervals"; the ids after it are one higher.

- **transport kinds** spoil one HTTP answer, and act only under ``eventmirror serve``:
  ``error`` (503), ``delay`` (``seconds``), ``truncate``, ``malform``.

A fault is tied to an event id (``at``) or has a ``probability``, decided for each event (a
stream kind) or each answer carrying events (a transport kind) by :func:`chance`: a hash of
the world's seed, the session, the fault's place in the session's list and the event id or
answer number. The decision depends on nothing else, not on the order it is asked in, so the
same seed and requests give the same streams and answers, byte for byte.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, Final

import attrs

from eventmirror.errors import did_you_mean

STREAM_KINDS: Final = ("duplicate", "gap", "reset", "resend")
TRANSPORT_KINDS: Final = ("error", "delay", "truncate", "malform")
KINDS: Final = STREAM_KINDS + TRANSPORT_KINDS
#: The events a ``resend`` sends again: the reference's status events, the ones it says the
#: platform may send again. (Calls and sensors have no status event in the reference.)
STATUS_EVENTS: Final = ("conference_status", "presentation_status")
DEFAULT_GAP: Final = 3
MAX_GAP: Final = 1_000_000
MAX_DELAY: Final = 30.0
_KEYS: Final = {"gap": ("size",), "delay": ("seconds",)}


class FaultError(ValueError):
    """A fault declaration that is wrong, or that cannot be staged now; the message says why."""


@attrs.frozen
class Fault:
    """One declared fault: exactly one of ``at`` (an event id) and ``probability``."""

    kind: str
    at: int | None = None
    probability: float | None = None
    #: How many ids a ``gap`` skips.
    size: int = DEFAULT_GAP
    #: How long a ``delay`` holds the answer back, in real seconds.
    seconds: float = 0.0

    @property
    def renumbers(self) -> bool:
        return self.kind in STREAM_KINDS

    def declared(self) -> dict[str, Any]:
        """The fault as it is written (the form :func:`parse` reads)."""
        found: dict[str, Any] = {"kind": self.kind}
        if self.at is not None:
            found["at"] = self.at
        else:
            found["probability"] = self.probability
        if self.kind == "gap":
            found["size"] = self.size
        if self.kind == "delay":
            found["seconds"] = self.seconds
        return found


def parse(value: Any, where: str = "faults") -> list[Fault]:
    """The faults a list of mappings declares; :class:`FaultError` naming the first mistake."""
    if not isinstance(value, list):
        raise FaultError(f'{where}: expected a list of {{"kind": ..., "at": EVENT_ID}}')
    return [_fault(f"{where}[{position}]", item) for position, item in enumerate(value)]


def _fault(where: str, item: Any) -> Fault:
    if not isinstance(item, dict):
        raise FaultError(f'{where}: expected {{"kind": ..., "at": EVENT_ID or "probability": P}}')
    kind = item.get("kind")
    if kind not in KINDS:
        hint = did_you_mean(kind, KINDS) if isinstance(kind, str) else ""
        raise FaultError(f"{where}.kind: {kind!r} is none of {', '.join(KINDS)}{hint}")
    allowed = ("kind", "at", "probability", *_KEYS.get(kind, ()))
    for key in item:
        if key in allowed:
            continue
        owner = next((other for other, keys in _KEYS.items() if key in keys), None)
        if owner is not None:
            raise FaultError(f"{where}.{key}: only a {owner} takes {key}")
        raise FaultError(
            f"{where}: unknown key {key!r}{did_you_mean(str(key), allowed)} "
            f"(a {kind} takes: {', '.join(allowed)})"
        )
    if ("at" in item) == ("probability" in item):
        raise FaultError(f"{where}: give either 'at' (an event id) or 'probability' (0..1)")
    at: Any = item.get("at")
    probability: Any = item.get("probability")
    if "at" in item and not _whole(at, 0):
        raise FaultError(f"{where}.at: expected an event id (a whole number >= 0), got {at!r}")
    if "probability" in item and not (_number(probability) and 0 <= probability <= 1):
        raise FaultError(f"{where}.probability: expected a number 0..1, got {probability!r}")
    size = item.get("size", DEFAULT_GAP)
    if not _whole(size, 1) or size > MAX_GAP:
        raise FaultError(f"{where}.size: expected a whole number 1..{MAX_GAP}, got {size!r}")
    seconds = item.get("seconds", 0)
    if not (_number(seconds) and 0 <= seconds <= MAX_DELAY):
        raise FaultError(f"{where}.seconds: expected 0..{MAX_DELAY:g} seconds, got {seconds!r}")
    return Fault(
        kind,
        None if at is None else int(at),
        None if probability is None else float(probability),
        int(size),
        float(seconds),
    )


def _whole(value: Any, minimum: int) -> bool:
    """A whole number as JSON has them: ``3`` or ``3.0`` (as JSON Schema's integer)."""
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return whole and not isinstance(value, bool) and value >= minimum


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def chance(seed: int, session: str, index: int, counter: int) -> float:
    """A number in [0, 1) drawn for the session's fault ``index`` at ``counter`` (an event id
    or an answer's number): a hash, so each draw is independent of every other and of the
    order they are asked in, and the same on every machine."""
    key = f"{seed}\x1f{session}\x1f{index}\x1f{counter}".encode()
    digest = hashlib.blake2b(key, digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@attrs.frozen
class Sent:
    """One event as the client is sent it."""

    #: The server's id of the event (a copy has its original's).
    server_id: int
    #: The id the client sees.
    client_id: int
    #: How many resets came before it: ids are unique within a segment, not across.
    segment: int
    #: The event with the client's id.
    event: dict[str, Any]
    #: A duplicate's or a re-sent status's extra copy.
    copy: bool = False


@attrs.define
class Staged:
    """A fault in a session's list, with the first server id it may act on (the session's
    next id when it was staged: a stream fault never renumbers what was sent already)."""

    fault: Fault
    index: int
    since: int
    #: How many times it acted.
    fired: int = 0
    #: An ``at`` fault that has acted (or whose event passed) does nothing more.
    done: bool = False


class ClientStream:
    """The stream a session's client is sent: the server's events through the session's
    stream faults, extended as the server's stream grows. What it sends for an event depends
    only on the server's events, the faults and the seed, so the same inputs map the same."""

    def __init__(self, seed: int, session: str) -> None:
        self.seed, self.session = seed, session
        self.staged: list[Staged] = []
        #: Everything sent so far, in order.
        self.sent: list[Sent] = []
        #: How many of the server's events are mapped.
        self.mapped = 0
        self._offset = 0
        self._segment = 0
        self._last: int | None = None

    def to_json(self) -> dict[str, Any]:
        """What :meth:`restored` rebuilds this stream from: the staged faults, each as
        declared with the first server id it may act on and how it has acted, and how many of
        the server's events are mapped."""
        staged = [
            {"fault": s.fault.declared(), "since": s.since, "fired": s.fired, "done": s.done}
            for s in self.staged
        ]
        return {"mapped": self.mapped, "staged": staged}

    @classmethod
    def restored(
        cls, seed: int, session: str, data: Any, events: Sequence[dict[str, Any]], where: str
    ) -> ClientStream:
        """The stream :meth:`to_json` wrote, over the session's server ``events``. The stream
        kinds are mapped again (the mapping depends only on the events, the faults and the
        seed, so it comes out as it was); the transport kinds keep how they acted, which only
        answers decided. FaultError naming the bad value (``where`` is the data's path)."""
        if not isinstance(data, dict) or set(data) != {"mapped", "staged"}:
            raise FaultError(f"{where}: expected an object with mapped and staged")
        mapped, items = data["mapped"], data["staged"]
        if not _whole(mapped, 0) or mapped > len(events):
            raise FaultError(f"{where}.mapped: expected 0..{len(events)}, got {mapped!r}")
        if not isinstance(items, list):
            raise FaultError(f"{where}.staged: expected a list")
        stream = cls(seed, session)
        acted: list[tuple[int, bool]] = []
        for index, item in enumerate(items):
            at = f"{where}.staged[{index}]"
            if not isinstance(item, dict) or set(item) != {"fault", "since", "fired", "done"}:
                raise FaultError(f"{at}: expected an object with fault, since, fired and done")
            since, fired, done = item["since"], item["fired"], item["done"]
            if not _whole(since, 0):
                raise FaultError(f"{at}.since: expected a server id, got {since!r}")
            if not _whole(fired, 0) or not isinstance(done, bool):
                raise FaultError(f"{at}: fired is a count and done true or false")
            stream.staged.append(Staged(_fault(f"{at}.fault", item["fault"]), index, int(since)))
            acted.append((int(fired), done))
        stream.extend(events[: int(mapped)])
        for staged, (fired, done) in zip(stream.staged, acted, strict=True):
            if staged.fault.kind not in STREAM_KINDS:
                staged.fired, staged.done = fired, done
        return stream

    def stage(self, faults: Iterable[Fault], next_id: int) -> list[Staged]:
        """Add faults; ``next_id`` is the session's next server id. An ``at`` fault of a
        stream kind must be for an event not sent yet (FaultError otherwise, nothing staged)."""
        faults = list(faults)
        for position, fault in enumerate(faults):
            if fault.renumbers and fault.at is not None and fault.at < max(next_id, self.mapped):
                raise FaultError(
                    f"faults[{position}]: event {fault.at} was sent already; a {fault.kind} "
                    f"changes the stream from its event on, so stage it for an event to come "
                    f"(the next is {max(next_id, self.mapped)})"
                )
        start = len(self.staged)
        added = [
            Staged(fault, start + offset, max(next_id, self.mapped))
            for offset, fault in enumerate(faults)
        ]
        self.staged += added
        return added

    def drawn(self, staged: Staged, counter: int) -> bool:
        """Whether a fault with a probability acts at ``counter`` (an event id for a stream
        kind, an answer's number for a transport kind)."""
        assert staged.fault.probability is not None
        return chance(self.seed, self.session, staged.index, counter) < staged.fault.probability

    def _acts(self, staged: Staged, server_id: int, event: dict[str, Any]) -> bool:
        fault = staged.fault
        if staged.done or server_id < staged.since:
            return False
        if fault.kind == "resend" and event.get("event") not in STATUS_EVENTS:
            return False
        if fault.at is None:
            return self.drawn(staged, server_id)
        # A resend waits for the first status event at or after its id.
        return server_id >= fault.at if fault.kind == "resend" else server_id == fault.at

    def extend(self, events: Sequence[dict[str, Any]]) -> list[Sent]:
        """Map the server's events not mapped yet (``events`` is the session's whole stream);
        returns what they add to the client's stream."""
        added: list[Sent] = []
        for event in events[self.mapped :]:
            added += self._map(self.mapped, event)
            self.mapped += 1
        self.sent += added
        return added

    def _map(self, server_id: int, event: dict[str, Any]) -> list[Sent]:
        acting: set[str] = set()
        for staged in self.staged:
            kind, at = staged.fault.kind, staged.fault.at
            if kind not in STREAM_KINDS:
                continue
            acts = self._acts(staged, server_id, event)
            if acts and kind == "reset" and self._last in (None, 0):
                acts = False  # 0 right after 0 would read as a duplicate: nothing restarts
            if acts:
                staged.fired += 1
                acting.add(kind)
                if kind == "gap":
                    self._offset += staged.fault.size
            if at is not None and (acts or (kind != "resend" and server_id >= at)):
                staged.done = True
        if "reset" in acting:
            self._offset = -server_id
            self._segment += 1
        client_id = server_id + self._offset
        sent = [Sent(server_id, client_id, self._segment, _renumbered(event, client_id))]
        if "duplicate" in acting:
            sent.append(attrs.evolve(sent[0], copy=True))
        if "resend" in acting:
            self._offset += 1
            again = _renumbered(event, client_id + 1)
            sent.append(Sent(server_id, client_id + 1, self._segment, again, copy=True))
        self._last = sent[-1].client_id
        return sent

    def since(self, next_id: int, segment: int) -> list[Sent]:
        """What an answer to ``?next=next_id`` carries for a client that has reached
        ``segment`` (the latest one it was sent): from the first event of that segment whose
        id is ``next_id`` or more, to the end; later segments entirely. (What is sent is in
        (segment, id) order, so the place is found by bisection.)"""
        start = bisect.bisect_left(self.sent, (segment, next_id), key=_place)
        return self.sent[start:]

    def from_server(self, server_id: int) -> list[dict[str, Any]]:
        """The events sent for the server's events from ``server_id`` on (the oracle folds
        them)."""
        start = bisect.bisect_left(self.sent, server_id, key=lambda sent: sent.server_id)
        return [sent.event for sent in self.sent[start:]]


def _place(sent: Sent) -> tuple[int, int]:
    return sent.segment, sent.client_id


def _renumbered(event: dict[str, Any], client_id: int) -> dict[str, Any]:
    return event if event.get("id") == client_id else {**event, "id": client_id}


__all__ = [
    "DEFAULT_GAP",
    "KINDS",
    "MAX_DELAY",
    "MAX_GAP",
    "STATUS_EVENTS",
    "STREAM_KINDS",
    "TRANSPORT_KINDS",
    "ClientStream",
    "Fault",
    "FaultError",
    "Sent",
    "Staged",
    "chance",
    "parse",
]

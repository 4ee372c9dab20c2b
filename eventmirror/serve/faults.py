"""Faults under ``eventmirror serve``: what they do to a session's ``GET /api/event`` answers.

The faults themselves (their kinds, declaration, the seeded decision and the stream a client
sees) are declared once in :mod:`scenarios.faults`, which scenario steps use too; here they
meet HTTP (docs/serve.md, "Faults"):

- the **stream kinds** (duplicate, gap, reset, resend): a session with faults is answered from
  its :class:`~scenarios.faults.ClientStream`, and ``?next=N`` counts in the ids the client
  sees. After a reset the ids repeat, so ``N`` is read in the latest segment (run of ids
  between resets) the session's answers have reached: a client that polls with its last id
  + 1 keeps its place across a reset. (Several readers of one session share that segment.)
- the **transport kinds** spoil one answer that carries events: ``error`` answers 503 (the
  events wait for the next poll), ``delay`` holds it back ``seconds``, ``truncate`` cuts the
  body after half its bytes, ``malform`` makes it no JSON (its first ``:`` becomes ``;``). One
  tied to an event (``at``) fires on the first answer carrying that event; one with a
  probability is drawn per answer, numbered in the session's order of answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from scenarios.faults import ClientStream, Fault, Sent, Staged

from .answers import encode

if TYPE_CHECKING:
    from .world import Served


class SessionFaults:
    """One session's faults: its client stream, the segment its answers have reached, and
    which transport faults fired."""

    def __init__(self, stream: ClientStream) -> None:
        self.stream = stream
        #: The latest segment an answer carried: ``?next=`` is read in it.
        self.segment = 0
        #: How many answers carrying events were made (probabilities are drawn per answer).
        self.answers = 0

    @classmethod
    def new(cls, seed: int, sid: str) -> SessionFaults:
        return cls(ClientStream(seed, sid))

    def stage(self, faults: Iterable[Fault], next_id: int) -> None:
        """FaultError if a stream fault is for an event sent already (nothing staged)."""
        self.stream.stage(faults, next_id)

    def shown(self) -> list[dict[str, Any]]:
        """Each fault as declared, with ``fired`` (how often it acted) and, for one tied to an
        event, ``spent`` (it will not act again)."""
        found = []
        for staged in self.stream.staged:
            shown = staged.fault.declared() | {"fired": staged.fired}
            if staged.fault.at is not None:
                shown["spent"] = staged.done
            found.append(shown)
        return found

    def next_id(self, events: Sequence[dict[str, Any]]) -> int:
        """The id the session's next event gets in the client's ids (unless a fault acts on
        it), for ``GET /api/session``. A client told it has, in effect, been sent everything:
        its ``?next=`` is read in the latest segment from now on."""
        self.stream.extend(events)
        if not self.stream.sent:
            return len(events)
        last = self.stream.sent[-1]
        self.segment = max(self.segment, last.segment)
        return last.client_id + 1

    def spoiler(self, sent: Sequence[Sent]) -> Staged | None:
        """The transport fault that spoils this answer (now fired), if any: the first one
        tied to an event it carries, else the first whose draw for the answer says so."""
        number, self.answers = self.answers, self.answers + 1
        carried = {item.server_id for item in sent}
        transport = [s for s in self.stream.staged if not s.fault.renumbers and not s.done]
        chosen = next((s for s in transport if s.fault.at in carried), None)
        if chosen is None:
            drawn = (s for s in transport if s.fault.at is None)
            chosen = next((s for s in drawn if self.stream.drawn(s, number)), None)
        if chosen is not None:
            chosen.fired += 1
            chosen.done = chosen.fault.at is not None
        return chosen


def stage(served: Served, sid: str, declared: Iterable[Fault]) -> SessionFaults:
    """Add faults to an open session's (the control call, and a scenario's ``faults`` step run
    against the served world); FaultError for a stream fault at an event sent already, and
    then nothing is staged."""
    own = served.faults.get(sid) or SessionFaults.new(served.world.seed, sid)
    own.stage(declared, len(served.session(sid).events))
    served.faults[sid] = own
    return own


async def poll(served: Served, sid: str, next_id: int, timeout: float) -> tuple[int, bytes, float]:
    """The answer to ``GET /api/event?next=next_id``: status, body, and how long to hold it
    back. Waits as :meth:`Served.events` does; UnknownSession if the session ends. Faults are
    looked up once there is something to send: a poll waiting while they are staged meets
    them."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        events = served.session(sid).events
        faults = served.faults.get(sid)
        if faults is None:
            sent, plain = [], events[next_id:]
        else:
            faults.stream.extend(events)
            sent, plain = faults.stream.since(next_id, faults.segment), []
        remaining = deadline - loop.time()
        if sent or plain or remaining <= 0:
            break
        if not await served.events(sid, len(events), remaining):
            break
    if faults is None or not sent:
        return 200, encode(plain), 0.0
    spoiler = faults.spoiler(sent)
    if spoiler is None or spoiler.fault.kind == "delay":  # the client gets this answer
        faults.segment = max(faults.segment, sent[-1].segment)
    return render(spoiler, [item.event for item in sent])


def render(spoiler: Staged | None, events: Sequence[dict[str, Any]]) -> tuple[int, bytes, float]:
    """The status, body and delay of an answer carrying ``events``, spoiled by ``spoiler``."""
    whole = encode(events)
    kind = None if spoiler is None else spoiler.fault.kind
    if spoiler is None:
        return 200, whole, 0.0
    if kind == "error":
        at = spoiler.fault.at
        said = "drawn" if at is None else f"at event {at}"
        return 503, encode({"error": f"injected fault: error {said}"}), 0.0
    if kind == "delay":
        return 200, whole, spoiler.fault.seconds
    if kind == "truncate":
        return 200, whole[: len(whole) // 2], 0.0
    return 200, whole.replace(b":", b";", 1), 0.0  # malform


__all__ = ["SessionFaults", "poll", "render", "stage"]

"""Calls on the server: each belongs to a user; her sessions that enabled call events
(``GET /api/call/event``) receive ``call_update`` and ``call_dtmf``, and know what changed after
they enabled them."""

from __future__ import annotations

from typing import Any

import attrs

from eventmirror.events import CallDtmf, CallUpdate
from eventmirror.events.call import CallFields
from eventmirror.rules import CALL_CLEARED_BY_EMPTY, call_value

from ._core import Domain, Session, SimulatorError
from .commands import command

DTMF_DIGITS = frozenset("0123456789*#ABCD")


@attrs.define
class ServerCall:
    #: field -> (value as last sent, its change); "" for a cleared text field.
    fields: dict[str, tuple[Any, int]] = attrs.Factory(dict)
    #: (digit, duration, time) and the change that detected it.
    dtmf: list[tuple[tuple[str, int, int], int]] = attrs.Factory(list)
    #: The change of the last event about the call.
    touched: int = 0


class Call(Domain):
    name = "call"
    sections = ("calls",)

    calls: dict[str, dict[str, ServerCall]]
    enabled: dict[str, int]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        #: user -> call uuid -> call
        self.calls = {}
        #: session id -> the change at which it enabled call events
        self.enabled = {}

    def enable(self, session: Session | str) -> None:
        """The session (a :class:`Session` or its id) asks for its user's call events from
        now on."""
        session = self.world.session(session)
        if session.id in self.enabled:
            raise SimulatorError(f"{session.id} receives call events already")
        self.enabled[session.id] = self.world.tick()
        session.subscriptions.add(("call", ""))

    def session_closed(self, session: Session) -> None:
        self.enabled.pop(session.id, None)

    def _recipients(self, user: str) -> list[Session]:
        return [s for s in self.world.sessions_of([user]) if s.id in self.enabled]

    @command
    def update(self, actor: str, call: str, **fields: Any) -> None:
        """The platform changes the user's call parameters (status, answer_time, ...).

        An empty ``current_control`` or ``bridge`` clears it."""
        user_id = self.world.user_id(actor)
        for name, value in fields.items():
            if name == "answer_time":
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise SimulatorError(f"answer_time is seconds since the epoch, got {value!r}")
            elif name in ("status", *CALL_CLEARED_BY_EMPTY):
                if not isinstance(value, str) or (name == "status" and not value):
                    raise SimulatorError(f"{name} must be a text, got {value!r}")
            else:
                raise SimulatorError(f"a call has no parameter {name!r}")
        state = self.calls.get(user_id, {}).get(call)
        old = {n: v for n, (v, _) in state.fields.items()} if state else {}
        changed = {n: v for n, v in fields.items() if _value(old.get(n)) != _value(v)}
        if not changed:
            raise SimulatorError(f"that update of call {call!r} would change nothing")
        recipients = self._recipients(user_id)
        # A clear of a field no recipient knew, on a call they know, changes no mirror.
        if recipients and state is not None:
            after = {n: _value(v) for n, v in changed.items()}
            told = [self._told(s, state) for s in recipients]
            if all(t is not None and all(t.get(n) == v for n, v in after.items()) for t in told):
                raise SimulatorError(f"that update of call {call!r} would change no mirror")
        change = self.world.tick()
        state = self.calls.setdefault(user_id, {}).setdefault(call, ServerCall())
        for name, value in changed.items():
            state.fields[name] = (value, change)
        state.touched = change
        self.world.send(CallUpdate, recipients, call={call: CallFields(**changed)})

    @command
    def dtmf(self, actor: str, call: str, digit: str, duration: int) -> None:
        """A DTMF digit was detected on one of the user's calls."""
        user_id = self.world.user_id(actor)
        state = self.calls.get(user_id, {}).get(call)
        if state is None:
            raise SimulatorError(f"no call {call!r} of {self.user_name(actor)}")
        if digit not in DTMF_DIGITS:
            raise SimulatorError(f"{digit!r} is not a DTMF digit")
        if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
            raise SimulatorError(f"a duration is >= 0, got {duration!r}")
        change = self.world.tick()
        state.dtmf.append(((digit, duration, self.world.now), change))
        state.touched = change
        self.world.send(
            CallDtmf, self._recipients(user_id), call=call, digit=digit, duration=duration
        )

    def _told(self, session: Session, state: ServerCall) -> dict[str, Any] | None:
        """The call as the session was told it (its JSON form: cleared parameters left out,
        the digits always written), or None if it was told nothing about it."""
        after = self.enabled.get(session.id)
        if after is None or state.touched <= after:
            return None
        told = {n: _value(v) for n, (v, c) in state.fields.items() if c > after}
        known: dict[str, Any] = {n: v for n, v in told.items() if v is not None}
        known["dtmf"] = [list(d) for d, c in state.dtmf if c > after]
        return known

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        told: dict[str, Any] = {}
        for uuid, state in self.calls.get(session.user, {}).items():
            call = self._told(session, state)
            if call is not None:
                told[uuid] = call
        sections["calls"] = told


def _value(sent: Any) -> Any:
    """A parameter as sent, as the call holds it (None: cleared or never set)."""
    return None if sent is None else call_value(sent)

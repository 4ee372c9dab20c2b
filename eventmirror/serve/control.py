"""The control API under ``/_eventmirror/``: run commands, move the clock, read a session's
events and oracle, and compare a client's state with it (docs/serve.md)."""

from __future__ import annotations

import hmac
from typing import Any

from aiohttp import web

from eventmirror.errors import did_you_mean
from reducers.agreement import disagreements
from scenarios.faults import FaultError
from scenarios.faults import parse as parse_faults
from simulator import SimulatorError
from simulator.commands import catalogue

from . import faults
from .answers import SERVED, TOKEN, ClientMistake, Handler, answer, body, whole
from .world import Served, UnknownSession


@web.middleware
async def control_token(request: web.Request, handler: Handler) -> web.StreamResponse:
    """With a token, every control call must carry it as ``Authorization: Bearer TOKEN``."""
    token = request.app.get(TOKEN)
    sent = request.headers.get("Authorization", "").encode()
    guarded = token and request.path.startswith("/_eventmirror/")
    if guarded and not hmac.compare_digest(sent, f"Bearer {token}".encode()):
        raise ClientMistake(401, "control calls need 'Authorization: Bearer TOKEN'")
    return await handler(request)


async def run_command(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    known = catalogue()
    if name not in known:
        raise ClientMistake(404, f"no command {name!r}{did_you_mean(name, known)}")
    command = known[name]
    given = await body(request)
    unknown = sorted(set(given) - {"as", "with"})
    if unknown:
        raise ClientMistake(400, f"unknown key {unknown[0]!r}: expected 'as' and 'with'")
    actor, arguments = given.get("as"), given.get("with", {})
    if actor is not None and not isinstance(actor, str):
        raise ClientMistake(400, "as: expected a user's name or UUID")
    if command.actor is None and actor is not None:
        raise ClientMistake(400, f"{name} is done by the platform: leave out 'as'")
    if command.actor_required and actor is None:
        raise ClientMistake(400, f"{name} needs 'as': the user who does it")
    check_arguments(name, command.names, command.required, command.open_ended, arguments)
    served = request.app[SERVED]
    try:
        result = command.call(served.world, actor, arguments)
    except SimulatorError as refused:
        raise ClientMistake(409, str(refused)) from None
    except Exception as bad:  # a wrong type deep in a command is the caller's mistake
        raise ClientMistake(400, f"{name} cannot run with these arguments: {bad}") from None
    finally:
        served.changed()
    return answer({"result": result})


def check_arguments(
    name: str,
    names: tuple[str, ...],
    required: tuple[str, ...],
    open_ended: str | None,
    arguments: Any,
) -> None:
    if not isinstance(arguments, dict):
        raise ClientMistake(400, f"with: expected an object of {name}'s arguments")
    if open_ended is None:
        for key in sorted(set(arguments) - set(names)):
            raise ClientMistake(400, f"{name} takes no argument {key!r}{did_you_mean(key, names)}")
    missing = [argument for argument in required if argument not in arguments]
    if missing:
        raise ClientMistake(400, f"{name} needs {', '.join(map(repr, missing))}")


async def advance(request: web.Request) -> web.Response:
    seconds = whole((await body(request)).get("seconds"))
    if seconds is None:
        raise ClientMistake(400, "seconds: expected a whole number >= 0")
    served = request.app[SERVED]
    served.world.advance(seconds)
    served.changed()
    return answer({"now": served.world.now})


async def reset(request: web.Request) -> web.Response:
    served = request.app[SERVED]
    served.reset()
    return answer({"now": served.world.now})


async def users(request: web.Request) -> web.Response:
    return answer(dict(request.app[SERVED].world.users))


def control_session(request: web.Request) -> tuple[Served, str]:
    served, sid = request.app[SERVED], request.match_info["sid"]
    try:
        served.session(sid)
    except UnknownSession:
        known = served.open_sessions()
        raise ClientMistake(404, f"no session {sid!r}{did_you_mean(sid, known)}") from None
    return served, sid


async def session_events(request: web.Request) -> web.Response:
    served, sid = control_session(request)
    return answer(served.session(sid).events)


async def stage_faults(request: web.Request) -> web.Response:
    """Adds faults to the session's (``{"faults": [...]}``, scenarios/faults.py): 400 for a
    wrong one, 409 for a stream fault at an event sent already; nothing staged then."""
    served, sid = control_session(request)
    try:
        staged = parse_faults((await body(request)).get("faults"))
    except FaultError as wrong:
        raise ClientMistake(400, str(wrong)) from None
    try:
        own = faults.stage(served, sid, staged)
    except FaultError as late:
        raise ClientMistake(409, str(late)) from None
    return answer(own.shown())


async def get_faults(request: web.Request) -> web.Response:
    served, sid = control_session(request)
    own = served.faults.get(sid)
    return answer([] if own is None else own.shown())


async def session_mirror(request: web.Request) -> web.Response:
    served, sid = control_session(request)
    return answer(served.mirror(sid))


async def client_state(request: web.Request) -> web.Response:
    served, sid = control_session(request)
    reported = await body(request)
    found = disagreements(served.mirror(sid), reported)
    return answer(
        {
            "agrees": not found,
            "disagreements": [
                {
                    "path": d.path,
                    "kind": d.kind,
                    "expected": d.expected,
                    "reported": d.reported,
                    "hint": d.hint,
                    "description": d.describe(),
                }
                for d in found
            ],
        }
    )

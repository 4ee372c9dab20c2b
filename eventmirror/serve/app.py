"""The HTTP application: the platform's surface (``/api/...``) and the control API
(``/_eventmirror/...``), on aiohttp. docs/serve.md describes every call.

Every answer is JSON, errors included: ``{"error": "<what is wrong>"}`` with a 4xx status for a
client's mistake (401 unknown session or token, 400 bad parameters or body, 404 unknown path or
command, 405 wrong method, 409 a command the simulator refuses, 413 a body over
:data:`MAX_BODY`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

from aiohttp import web

from eventmirror.errors import did_you_mean
from reducers.agreement import disagreements
from simulator import SimulatorError
from simulator.commands import catalogue

from .openapi import document
from .world import Served, UnknownSession

#: The largest request body accepted, in bytes (413 beyond).
MAX_BODY: Final = 4 * 1024 * 1024
#: ``GET /api/event``'s long-poll, in seconds: when ``timeout`` is not given, and at most.
DEFAULT_TIMEOUT: Final = 30.0
MAX_TIMEOUT: Final = 300.0
#: The cookie a login sets, holding the session id.
COOKIE: Final = "sid"

SERVED: Final = web.AppKey("served", Served)
TOKEN: Final = web.AppKey("token", str)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ClientMistake(Exception):
    """A request the server cannot answer because of what it asked: answered with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def answer(value: Any, status: int = 200) -> web.Response:
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return web.Response(text=body, status=status, content_type="application/json")


def error(status: int, message: str) -> web.Response:
    return answer({"error": message}, status)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every error as JSON; aiohttp's own (404, 405, 413) included."""
    try:
        return await handler(request)
    except ClientMistake as mistake:
        return error(mistake.status, str(mistake))
    except web.HTTPRequestEntityTooLarge:
        return error(413, f"the request body is larger than {MAX_BODY} bytes")
    except web.HTTPMethodNotAllowed as wrong:
        allowed = ", ".join(sorted(wrong.allowed_methods))
        return error(405, f"{request.method} is not allowed on {request.path} (allowed: {allowed})")
    except web.HTTPNotFound:
        return error(404, f"no such path: {request.path}")
    except web.HTTPException as other:
        if other.status < 400:
            raise
        return error(other.status, other.reason)


# -- reading requests ------------------------------------------------------------------------


async def body(request: web.Request) -> dict[str, Any]:
    """The request's JSON object (an empty body reads as ``{}``)."""
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as bad:
        raise ClientMistake(400, f"the request body is not JSON: {bad}") from None
    if not isinstance(value, dict):
        raise ClientMistake(400, f"the request body must be a JSON object, not {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def number(request: web.Request, name: str, default: float, *, whole: bool) -> float:
    text = request.query.get(name)
    if text is None:
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number of seconds"
        raise ClientMistake(400, f"{name} must be {kind} >= 0, got {text!r}") from None
    if not value >= 0:  # NaN included
        raise ClientMistake(400, f"{name} must be >= 0, got {text!r}")
    return value


def session_id(request: web.Request) -> str:
    """The session id: ``Authorization: Bearer SID``, ``?sid=SID`` or the cookie."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    found = request.query.get("sid") or request.cookies.get(COOKIE)
    if not found:
        raise ClientMistake(
            401,
            "no session: log in with POST /api/session, then send its sid as "
            "'Authorization: Bearer SID', ?sid=SID or the sid cookie",
        )
    return found


def the_session(request: web.Request) -> tuple[Served, str]:
    served, sid = request.app[SERVED], session_id(request)
    try:
        served.session(sid)
    except UnknownSession:
        raise ClientMistake(401, f"unknown session {sid!r}: log in again") from None
    return served, sid


def base_url(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


# -- the platform's surface ------------------------------------------------------------------


async def log_in(request: web.Request) -> web.Response:
    given = await body(request)
    name = given.get("email", given.get("username"))
    if not isinstance(name, str) or not name:
        raise ClientMistake(400, 'log in with {"email" or "username": NAME, "password": ...}')
    if not isinstance(given.get("password"), str):
        raise ClientMistake(400, "password: expected a string (any password is accepted)")
    served = request.app[SERVED]
    try:
        session = served.log_in(name)
    except SimulatorError as refused:
        raise ClientMistake(401, f"cannot log in as {name!r}: {refused}") from None
    response = answer({"sid": session.id, "server": base_url(request)})
    response.set_cookie(COOKIE, session.id, httponly=True)
    return response


def describe(served: Served, sid: str) -> dict[str, Any]:
    session = served.session(sid)
    return {
        "sid": sid,
        "user": session.user,
        "username": served.user_name(session),
        "next": len(session.events),
    }


async def get_session(request: web.Request) -> web.Response:
    served, sid = the_session(request)
    return answer(describe(served, sid))


async def end_session(request: web.Request) -> web.Response:
    served, sid = the_session(request)
    served.end(sid)
    response = answer({})
    response.del_cookie(COOKIE)
    return response


async def events(request: web.Request) -> web.Response:
    served, sid = the_session(request)
    start = int(number(request, "next", 0, whole=True))
    timeout = number(request, "timeout", DEFAULT_TIMEOUT, whole=False)
    if timeout > MAX_TIMEOUT:
        raise ClientMistake(400, f"timeout must be at most {MAX_TIMEOUT:g} seconds")
    try:
        found = await served.events(sid, start, timeout)
    except UnknownSession:
        raise ClientMistake(401, f"session {sid!r} ended while waiting") from None
    return answer(found)


def subscription(domain: str, method: str) -> Handler:
    async def subscribe(request: web.Request) -> web.Response:
        served, sid = the_session(request)
        target = request.match_info.get("uuid")
        arguments = [sid] if target is None else [sid, target]
        try:
            getattr(getattr(served.world, domain), method)(*arguments)
        except SimulatorError as refused:
            raise ClientMistake(409, str(refused)) from None
        served.changed()
        return answer({})

    return subscribe


# -- the control API -------------------------------------------------------------------------


@web.middleware
async def control_token(request: web.Request, handler: Handler) -> web.StreamResponse:
    """With a token, every control call must carry it as ``Authorization: Bearer TOKEN``."""
    token = request.app.get(TOKEN)
    guarded = token and request.path.startswith("/_eventmirror/")
    if guarded and request.headers.get("Authorization", "") != f"Bearer {token}":
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
    seconds = (await body(request)).get("seconds")
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds < 0:
        raise ClientMistake(400, "seconds: expected a whole number >= 0")
    served = request.app[SERVED]
    served.world.advance(seconds)
    served.changed()
    return answer({"now": served.world.now})


async def users(request: web.Request) -> web.Response:
    return answer(dict(request.app[SERVED].world.users))


def control_session(request: web.Request) -> tuple[Served, str]:
    served, sid = request.app[SERVED], request.match_info["sid"]
    try:
        served.session(sid)
    except UnknownSession:
        known = [s for s in served.world.sessions if s not in served.ended]
        raise ClientMistake(404, f"no session {sid!r}{did_you_mean(sid, known)}") from None
    return served, sid


async def session_events(request: web.Request) -> web.Response:
    served, sid = control_session(request)
    return answer(served.session(sid).events)


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


async def openapi(request: web.Request) -> web.Response:
    return answer(document(ROUTES))


#: (method, path, handler, summary): every route, as the OpenAPI document lists them too.
ROUTES: Final[tuple[tuple[str, str, Handler, str], ...]] = (
    ("POST", "/api/session", log_in, "Log in as a user of the world"),
    ("GET", "/api/session", get_session, "The calling session"),
    ("DELETE", "/api/session", end_session, "End the calling session"),
    ("GET", "/api/event", events, "The session's events with id >= next (long-poll)"),
    (
        "GET",
        "/api/conference/{uuid}/event",
        subscription("conference", "subscribe"),
        "Subscribe to a conference's events",
    ),
    (
        "GET",
        "/api/presentation/{uuid}/event",
        subscription("presentation", "subscribe"),
        "Subscribe to a presentation's events",
    ),
    ("GET", "/api/call/event", subscription("call", "enable"), "Subscribe to the user's calls"),
    (
        "GET",
        "/api/sensor/{uuid}/event",
        subscription("sensor", "subscribe"),
        "Subscribe to a sensor's events",
    ),
    ("POST", "/_eventmirror/commands/{name}", run_command, "Run a simulator command"),
    ("POST", "/_eventmirror/advance", advance, "Advance the virtual clock"),
    ("GET", "/_eventmirror/users", users, "The world's users: name to UUID"),
    ("GET", "/_eventmirror/sessions/{sid}/events", session_events, "A session's event log"),
    ("GET", "/_eventmirror/sessions/{sid}/mirror", session_mirror, "A session's oracle mirror"),
    (
        "POST",
        "/_eventmirror/sessions/{sid}/client-state",
        client_state,
        "Compare a client's state with the oracle",
    ),
    ("GET", "/_eventmirror/openapi.json", openapi, "This document"),
)


def make_app(served: Served, token: str | None = None) -> web.Application:
    app = web.Application(middlewares=[json_errors, control_token], client_max_size=MAX_BODY)
    app[SERVED] = served
    if token:
        app[TOKEN] = token
    for method, path, handler, _ in ROUTES:
        app.router.add_route(method, path, handler)
    return app


def routes() -> Mapping[str, tuple[str, ...]]:
    """Each path with its methods."""
    found: dict[str, tuple[str, ...]] = {}
    for method, path, _, _ in ROUTES:
        found[path] = (*found.get(path, ()), method)
    return found

"""The HTTP application: the platform's surface (``/api/...``) and the route table, with the
control API (:mod:`.control`) under ``/_eventmirror/``, on aiohttp. docs/serve.md describes
every call; :mod:`.answers` how requests are read and errors answered.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

from aiohttp import web

from simulator import SimulatorError
from simulator.fax import object_of_type

from . import faults
from .answers import (
    COOKIE,
    DEFAULT_TIMEOUT,
    MAX_BODY,
    MAX_TIMEOUT,
    SERVED,
    TOKEN,
    ClientMistake,
    Handler,
    answer,
    base_url,
    body,
    json_errors,
    number,
    the_session,
)
from .control import (
    advance,
    client_state,
    control_token,
    get_faults,
    reset,
    run_command,
    session_events,
    session_mirror,
    stage_faults,
    users,
)
from .openapi import document
from .state import get_state, post_steps, put_state
from .world import Served, UnknownSession


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
    own = served.faults.get(sid)  # with faults, next is in the ids the client sees
    return {
        "sid": sid,
        "user": session.user,
        "username": served.user_name(session),
        "next": len(session.events) if own is None else own.next_id(session.events),
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
        status, spoken, delay = await faults.poll(served, sid, start, timeout)
    except UnknownSession as ended:
        raise ClientMistake(401, f"{ended.args[0]} while waiting: log in again") from None
    if delay:
        await asyncio.sleep(delay)
    return web.Response(body=spoken, status=status, content_type="application/json")


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


def readable(served: Served, sid: str, uuid: str, kind: str) -> None:
    """The calling session's user may read ``uuid``, an object of type ``kind``."""
    try:
        object_of_type(served.world, uuid, kind)  # the simulator's own check, and its words
    except SimulatorError as missing:
        raise ClientMistake(404, str(missing)) from None
    if not served.world.objects.can_read(served.session(sid).user, uuid):
        raise ClientMistake(403, f"the session's user may not read {kind} {uuid!r}")


async def sensor_action(request: web.Request) -> web.Response:
    """Asks a sensor for an action: answers its action UUID, which the ``sensor_action`` event
    a test runner causes later (``sensor.action`` with ``action_uuid``) carries."""
    served, sid = the_session(request)
    sensor = request.match_info["uuid"]
    readable(served, sid, sensor, "sensor")
    asked = await body(request)
    action = served.world.new_uuid()
    served.journal.append(
        {
            "call": "sensor action",
            "sid": sid,
            "sensor": sensor,
            "body": asked,
            "action-uuid": action,
        }
    )
    return answer({"action-uuid": action})


async def presentation_control(request: web.Request) -> web.Response:
    """A control message to a presentation (a keepalive's answer): journaled, answered ``{}``.
    The simulator models no answer to a keepalive (docs/simulator.md)."""
    served, sid = the_session(request)
    presentation = request.match_info["uuid"]
    readable(served, sid, presentation, "presentation")
    message = await body(request)
    served.journal.append(
        {"call": "presentation control", "sid": sid, "presentation": presentation, "body": message}
    )
    return answer({})


async def journal(request: web.Request) -> web.Response:
    return answer(request.app[SERVED].journal)


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
    ("POST", "/api/sensor/{uuid}/action", sensor_action, "Ask a sensor for an action"),
    (
        "POST",
        "/api/presentation/{uuid}/control",
        presentation_control,
        "Send a presentation a control message (a keepalive's answer)",
    ),
    ("POST", "/_eventmirror/commands/{name}", run_command, "Run a simulator command"),
    ("POST", "/_eventmirror/advance", advance, "Advance the virtual clock"),
    ("POST", "/_eventmirror/reset", reset, "Back to the starting state"),
    ("GET", "/_eventmirror/state", get_state, "Export the whole state as JSON"),
    ("PUT", "/_eventmirror/state", put_state, "Import a state an export gave"),
    ("POST", "/_eventmirror/steps", post_steps, "Run scenario steps on the live world"),
    ("GET", "/_eventmirror/users", users, "The world's users: name to UUID"),
    ("GET", "/_eventmirror/journal", journal, "Sensor actions and presentation controls asked"),
    ("GET", "/_eventmirror/sessions/{sid}/events", session_events, "A session's event log"),
    ("GET", "/_eventmirror/sessions/{sid}/mirror", session_mirror, "A session's oracle mirror"),
    (
        "POST",
        "/_eventmirror/sessions/{sid}/client-state",
        client_state,
        "Compare a client's state with the oracle",
    ),
    ("POST", "/_eventmirror/sessions/{sid}/faults", stage_faults, "Stage faults for a session"),
    ("GET", "/_eventmirror/sessions/{sid}/faults", get_faults, "A session's faults"),
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


__all__ = ["MAX_BODY", "ROUTES", "make_app"]

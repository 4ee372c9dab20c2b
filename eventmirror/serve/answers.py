"""Reading requests and writing answers, for every call: JSON in, JSON out, and a client's
mistake answered with a 4xx that says what is wrong.

Every answer is JSON, errors included: ``{"error": "<what is wrong>"}`` with a 4xx status for a
client's mistake (400 bad parameters or body, 401 unknown session or token, 403 an object the
session's user may not read, 404 unknown path, command or session, 405 wrong method, 409 a
command the simulator refuses, 413 a body over :data:`MAX_BODY`, 422 a state document that is
no state or a scenario step that fails). :func:`encode` is the one
way a value becomes a body, so the same value always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, Final

from aiohttp import web

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


def encode(value: Any) -> bytes:
    """A value as a body: compact JSON in UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def answer(value: Any, status: int = 200) -> web.Response:
    return web.Response(body=encode(value), status=status, content_type="application/json")


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
        refused = error(
            405, f"{request.method} is not allowed on {request.path} (allowed: {allowed})"
        )
        refused.headers["Allow"] = allowed  # RFC 9110: a 405 names the methods the path takes
        return refused
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


def whole(value: Any) -> int | None:
    """``value`` as a whole number >= 0, or None: ``60.0`` counts, as JSON Schema counts it
    an integer; a boolean does not."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


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
    except UnknownSession as unknown:
        raise ClientMistake(401, f"{unknown.args[0]}: log in again") from None
    return served, sid


def base_url(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"

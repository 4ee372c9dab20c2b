"""The inspector's HTTP face: the page and the JSON endpoints over one :class:`Timeline`.

``GET /`` is the page; ``GET /static/<file>`` its script and style sheet. The endpoints
(docs/inspect.md) answer JSON: ``GET /api/summary``, ``GET /api/timeline``,
``GET /api/step/{index}``, ``GET /api/node``, ``GET /api/blame`` and
``GET /api/mirror/{index}`` (the whole JSON form); a bad parameter is a 400 with
``{"error": reason}``, an unknown address a 404 the same way. While the recording is still
being read, the endpoints answer for the entries read so far, and a question about an entry
past them is a 409 with ``{"error": "still reading: …", "reading": {...}}`` (asked again
later, it is answered).

Only requests naming this machine in their ``Host`` are answered (127.0.0.1, localhost,
::1, or the address given to bind): a web page elsewhere cannot read the recording by
pointing a name of its own at the loopback address (DNS rebinding).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any, Final

import msgspec
from aiohttp import web

from . import queries
from .source import Builder, Timeline

_TIMELINE: Final = web.AppKey("timeline", Timeline)
_SUMMARY: Final = web.AppKey("summary", queries.Summary)
_BUILDER: Final = web.AppKey("builder", Builder)
_HOSTS: Final = web.AppKey("hosts", frozenset)

#: The page's files, by name, with their content types.
STATIC: Final = {
    "index.html": "text/html",
    "inspect.css": "text/css",
    "inspect.js": "text/javascript",
}
_LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def make_app(
    timeline: Timeline, name: str, host: str = "127.0.0.1", builder: Builder | None = None
) -> web.Application:
    """The application serving ``timeline`` (``name``: the recording, as the header shows
    it); ``host`` is the address it binds, also accepted in ``Host`` headers; ``builder``,
    the thread still reading the timeline, if one is (its error is shown)."""
    app = web.Application(middlewares=[_local_only, _json_errors])
    app[_TIMELINE] = timeline
    app[_SUMMARY] = queries.Summary(timeline, name)
    if builder is not None:
        app[_BUILDER] = builder
    app[_HOSTS] = _LOCAL_HOSTS | {host.strip("[]")}
    pages = {name: _static(name) for name in STATIC}
    app.router.add_get("/", _file_handler("index.html", pages))
    for file in STATIC:
        app.router.add_get(f"/static/{file}", _file_handler(file, pages))
    app.router.add_get("/api/summary", _summary)
    app.router.add_get("/api/timeline", _timeline)
    app.router.add_get("/api/step/{index}", _step)
    app.router.add_get("/api/node", _node)
    app.router.add_get("/api/mirror/{index}", _mirror)
    app.router.add_get("/api/blame", _blame)
    return app


def _static(name: str) -> bytes:
    return (resources.files(__package__) / "static" / name).read_bytes()


def _file_handler(name: str, pages: dict[str, bytes]) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=pages[name],
            content_type=STATIC[name],
            charset="utf-8",
            headers={"Cache-Control": "no-store"},
        )

    return handler


def _json(value: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=msgspec.json.encode(value), status=status, content_type="application/json"
    )


@web.middleware
async def _local_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    if (request.url.host or "").strip("[]").lower() not in request.app[_HOSTS]:
        return _json({"error": f"Host: not this machine ({request.host!r})"}, 403)
    return await handler(request)


@web.middleware
async def _json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except queries.BadQuery as bad:
        return _json({"error": str(bad)}, 400)
    except queries.StillReading as early:
        reading = request.app[_TIMELINE].reading_progress().to_json()
        return _json({"error": str(early), "reading": reading}, 409)
    except web.HTTPNotFound:
        return _json({"error": f"no such address: {request.path}"}, 404)
    except web.HTTPMethodNotAllowed:
        return _json({"error": f"{request.method}: only GET is served"}, 405)


async def _summary(request: web.Request) -> web.StreamResponse:
    builder = request.app.get(_BUILDER)
    return _json(request.app[_SUMMARY].answer(None if builder is None else builder.error))


async def _timeline(request: web.Request) -> web.StreamResponse:
    timeline = request.app[_TIMELINE]
    query = queries.parse_page(request.query, timeline)
    return _json(queries.page(timeline, query))


async def _step(request: web.Request) -> web.StreamResponse:
    timeline = request.app[_TIMELINE]
    index = queries.index_of(request.match_info["index"], timeline)
    return _json(queries.step(timeline, index))


async def _blame(request: web.Request) -> web.StreamResponse:
    return _json(queries.blame(request.app[_TIMELINE], request.query))


async def _node(request: web.Request) -> web.StreamResponse:
    return _json(queries.node(request.app[_TIMELINE], request.query))


async def _mirror(request: web.Request) -> web.StreamResponse:
    timeline = request.app[_TIMELINE]
    index = queries.index_of(request.match_info["index"], timeline)
    return web.Response(body=queries.mirror(timeline, index), content_type="application/json")

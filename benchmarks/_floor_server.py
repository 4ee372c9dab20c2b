"""The floor for the serve benchmark: the least a long-poll server on aiohttp can do.

Each session is an in-memory list of events and an ``asyncio.Event``; ``GET /api/event``
answers the events from ``next`` on, or waits on the session's event up to ``timeout``;
``POST /publish`` appends one event (the body, given the next id) to every session and wakes
them (``?to=SID,SID``: to those sessions only; ``?to=``: to none). No simulator, no oracle,
no faults, no checks beyond what a poll needs: whatever eventmirror serve costs beyond this
is what its model costs.

Run as ``python -m benchmarks._floor_server [PORT]``: it prints its URL, then serves.
"""

from __future__ import annotations

import asyncio
import json
import sys

from aiohttp import web


class Session:
    def __init__(self) -> None:
        self.events: list[dict[str, object]] = []
        self.arrived = asyncio.Event()


SESSIONS = web.AppKey("sessions", dict[str, Session])


def answer(value: object) -> web.Response:
    body = json.dumps(value, separators=(",", ":")).encode()
    return web.Response(body=body, content_type="application/json")


async def log_in(request: web.Request) -> web.Response:
    sessions = request.app[SESSIONS]
    sid = f"s{len(sessions) + 1}"
    sessions[sid] = Session()
    return answer({"sid": sid})


async def events(request: web.Request) -> web.Response:
    session = request.app[SESSIONS][request.headers["Authorization"].removeprefix("Bearer ")]
    start = int(request.query.get("next", 0))
    timeout = float(request.query.get("timeout", 30))
    if len(session.events) <= start:
        try:
            await asyncio.wait_for(session.arrived.wait(), timeout)
        except TimeoutError:
            return answer([])
    return answer(session.events[start:])


async def publish(request: web.Request) -> web.Response:
    event, sessions = await request.json(), request.app[SESSIONS]
    to = request.query.get("to")
    for session in sessions.values() if to is None else [sessions[s] for s in to.split(",") if s]:
        session.events.append({"id": len(session.events), **event})
        session.arrived.set()
        session.arrived = asyncio.Event()
    return answer({})


def make_app() -> web.Application:
    app = web.Application()
    app[SESSIONS] = {}
    app.router.add_post("/api/session", log_in)
    app.router.add_get("/api/event", events)
    app.router.add_post("/publish", publish)
    return app


async def serve(port: int) -> None:
    runner = web.AppRunner(make_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    host, bound = runner.addresses[0][:2]
    print(f"floor: http://{host}:{bound}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0))

"""A real server on 127.0.0.1, port 0, in a thread of its own, and a plain urllib client."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from aiohttp import web

from eventmirror.serve.app import make_app
from eventmirror.serve.world import Served


@attrs.define
class Server:
    url: str
    served: Served
    token: str | None = None

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        """The status and the JSON answer of one request."""
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as failed:
            return failed.code, json.loads(failed.read())

    def log_in(self, name: str) -> str:
        status, answer = self.call("POST", "/api/session", {"username": name, "password": "x"})
        assert status == 200, answer
        sid: str = answer["sid"]
        return sid

    def control(self, path: str, body: Any = None, method: str = "POST") -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return self.call(method, "/_eventmirror/" + path, body, headers=headers)


def start(served: Served, token: str | None = None) -> Iterator[Server]:
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    where: list[str] = []

    async def up() -> web.AppRunner:
        runner = web.AppRunner(make_app(served, token), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        where.append(f"http://{host}:{port}")
        return runner

    def serve() -> None:
        asyncio.set_event_loop(loop)
        runner = loop.run_until_complete(up())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(10)
    yield Server(where[0], served, token)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


@pytest.fixture
def server() -> Iterator[Server]:
    yield from start(Served.new(("anna", "ben", "cara"), seed=7))

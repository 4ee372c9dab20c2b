"""A client in another process, driven over the JSON Lines protocol of examples/clients/README.md.

The test's own small driver, so the JavaScript client is tested on its own terms; it waits for
each reply at most :data:`TIMEOUT` seconds, so a broken client fails a test, never hangs it.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
from pathlib import Path
from typing import Any, Final

from scenarios.client import ClientSession

ROOT: Final = Path(__file__).resolve().parents[2]
JS_CLIENT: Final = ROOT / "examples" / "clients" / "js" / "client.mjs"
NODE: Final = shutil.which("node")
TIMEOUT: Final = 20.0


class ProcessClient:
    """One session's client process: ``receive``, ``advance`` and ``state`` as requests."""

    def __init__(self, command: list[str], session: ClientSession) -> None:
        environment = {
            **os.environ,
            "EVENTMIRROR_SESSION": session.id,
            "EVENTMIRROR_USER": session.user,
            "EVENTMIRROR_NAME": session.name,
        }
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            text=True,
        )

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(json.dumps(message) + "\n")
        stdin.flush()
        ready, _, _ = select.select([stdout], [], [], TIMEOUT)
        if not ready:
            raise AssertionError(f"no reply within {TIMEOUT}s to {message['op']}")
        line = stdout.readline()
        if not line:
            error = self.process.stderr.read() if self.process.stderr else ""
            raise AssertionError(f"the client exited ({self.process.wait()}): {error}")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def receive(self, events: list[dict[str, Any]]) -> None:
        assert self.request({"op": "receive", "events": events}) == {"ok": True}

    def advance(self, now: int) -> None:
        assert self.request({"op": "advance", "now": now}) == {"ok": True}

    def state(self) -> dict[str, Any]:
        reply = self.request({"op": "state"})
        assert set(reply) == {"state"}, reply
        state: dict[str, Any] = reply["state"]
        return state

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def js_client(session: ClientSession) -> ProcessClient:
    """The JavaScript example client for ``session`` (the caller closes it)."""
    assert NODE is not None
    return ProcessClient([NODE, str(JS_CLIENT)], session)

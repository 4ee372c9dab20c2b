"""A JavaScript long-poll client (node's fetch) against the server, over real sockets."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.support import needs_node

from .conftest import Server

CLIENT = Path(__file__).with_name("longpoll_client.mjs")


@needs_node
def test_a_javascript_client_receives_what_a_control_call_causes_and_agrees(
    server: Server,
) -> None:
    node = subprocess.Popen(
        ["node", str(CLIENT), server.url, "ben"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert node.stdout is not None
        ready = json.loads(node.stdout.readline())
        status, _ = server.control(
            "commands/tags.create",
            {"as": "anna", "with": {"label": "Projects", "policy": {"ben": 1}}},
        )
        assert status == 200
        done = json.loads(node.stdout.readline())
    finally:
        node.wait(20)
    assert node.returncode == 0
    assert ready["ready"] in server.served.world.sessions
    assert done == {"status": 200, "next": 1, "verdict": {"agrees": True, "disagreements": []}}

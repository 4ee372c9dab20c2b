"""A JavaScript long-poll client (node's fetch) against the server, over real sockets."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support import needs_node

from .conftest import Server

CLIENT = Path(__file__).with_name("longpoll_client.mjs")


FAULTS = [
    {"kind": "error", "at": 0},
    {"kind": "truncate", "at": 0},
    {"kind": "malform", "at": 0},
    {"kind": "duplicate", "at": 0},
]


@needs_node
@pytest.mark.parametrize("staged", [[], FAULTS], ids=["plain", "every fault"])
def test_a_javascript_client_receives_what_a_control_call_causes_and_agrees(
    server: Server, staged: list[dict[str, Any]]
) -> None:
    node = subprocess.Popen(
        ["node", str(CLIENT), server.url, "ben"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert node.stdout is not None
        ready = json.loads(node.stdout.readline())
        if staged:
            status, _ = server.control(f"sessions/{ready['ready']}/faults", {"faults": staged})
            assert status == 200
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
    retries = [503, -1, -1] if staged else []
    assert done == {
        "status": 200,
        "next": 1,
        "folded": 1,
        "retries": retries,
        "verdict": {"agrees": True, "disagreements": []},
    }
    _, shown = server.control(f"sessions/{ready['ready']}/faults", method="GET")
    assert all(fault["spent"] for fault in shown)

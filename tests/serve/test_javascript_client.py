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
        "ids": [0],
        "retries": retries,
        "verdict": {"agrees": True, "disagreements": []},
    }
    _, shown = server.control(f"sessions/{ready['ready']}/faults", method="GET")
    assert all(fault["spent"] for fault in shown)


RENUMBERING = [
    {"kind": "gap", "at": 1, "size": 4},
    {"kind": "duplicate", "at": 2},
    {"kind": "reset", "at": 4},
    {"kind": "resend", "at": 5},
    {"kind": "duplicate", "probability": 0.3},
    {"kind": "error", "probability": 0.3},
    {"kind": "malform", "probability": 0.2},
]


@needs_node
def test_a_javascript_client_survives_gap_reset_resend_and_drawn_faults_and_agrees(
    server: Server,
) -> None:
    """Ben's seven events reach the client as eight (a status sent again), with ids jumping
    after event 0 and starting over at event 4; it polls with its last id + 1 throughout."""
    node = subprocess.Popen(
        ["node", str(CLIENT), server.url, "ben", "8"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert node.stdout is not None
        sid = json.loads(node.stdout.readline())["ready"]
        status, _ = server.control(f"sessions/{sid}/faults", {"faults": RENUMBERING})
        assert status == 200
        tags = []
        for label in ("Projects", "Family", "Travel"):
            status, answer = server.control(
                "commands/tags.create",
                {"as": "anna", "with": {"label": label, "policy": {"ben": 1}}},
            )
            assert status == 200
            tags.append(answer["result"])
        commands = [
            ("tags.modify", {"as": "anna", "with": {"tag": tags[0], "label": "Work"}}),
            ("objects.create", {"as": "ben", "with": {"type": "conference"}}),
        ]
        for name, body in commands:
            status, answer = server.control(f"commands/{name}", body)
            assert status == 200, answer
        status, _ = server.call("GET", f"/api/conference/{answer['result']}/event?sid={sid}")
        assert status == 200
        status, _ = server.control("commands/tags.delete", {"as": "anna", "with": {"tag": tags[1]}})
        assert status == 200
        done = json.loads(node.stdout.readline())
    finally:
        node.wait(20)
    assert node.returncode == 0
    assert [e["event"] for e in server.served.session(sid).events] == [
        "tag_new",
        "tag_new",
        "tag_new",
        "tag_modify",
        "object_new",
        "conference_status",
        "tag_delete",
    ]
    assert (done["ids"], done["folded"]) == ([0, 5, 6, 7, 0, 1, 2, 3], 8)
    assert done["verdict"] == {"agrees": True, "disagreements": []}
    _, shown = server.control(f"sessions/{sid}/faults", method="GET")
    assert all(fault["fired"] for fault in shown[:4]), shown

"""The serve subcommand: the starting state from a scenario, the banner, refusals."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import scenarios
from eventmirror.cli import main
from eventmirror.serve.world import Served

from .conftest import Server, start

SCENARIO = """\
name: anna shares a tag with ben
users: [anna, ben]
steps:
  - do: tags.create
    as: anna
    with: {label: Projects, policy: {ben: 1}}
    save: projects
  - expect: ben
    mirror:
      tags:
        $projects: {label: Projects}
"""


@pytest.fixture
def from_scenario() -> Iterator[Server]:
    (scenario,) = scenarios.loads(SCENARIO)
    served, (outcome,) = Served.from_scenarios([scenario], users=["cara"])
    assert outcome.passed
    yield from start(served)


def test_a_scenario_is_the_starting_state(from_scenario: Server) -> None:
    world = from_scenario.served.world
    assert list(world.users) == ["anna", "ben", "cara"]
    ben = next(sid for sid, s in world.sessions.items() if s.user == world.users["ben"])
    status, events = from_scenario.control(f"sessions/{ben}/events", method="GET")
    assert status == 200 and [e["event"] for e in events] == ["tag_new"]
    status, mirror = from_scenario.control(f"sessions/{ben}/mirror", method="GET")
    (tag,) = mirror["tags"]
    # A session opened now starts from the initial fetch: it sees the tag, with no events.
    late = from_scenario.log_in("ben")
    status, mirror = from_scenario.control(f"sessions/{late}/mirror", method="GET")
    assert mirror["tags"][tag]["label"] == "Projects"
    assert from_scenario.control(f"sessions/{late}/events", method="GET") == (200, [])

    # A reset runs the scenario again: its sessions and their oracles are back, the late one gone.
    assert from_scenario.control("reset")[0] == 200
    assert from_scenario.control(f"sessions/{late}/events", method="GET")[0] == 404
    assert from_scenario.control(f"sessions/{ben}/mirror", method="GET")[1]["tags"] == {
        tag: mirror["tags"][tag]
    }


def test_serve_prints_the_url_the_users_and_a_curl_line_and_answers_there() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "eventmirror", "serve", "--port", "0", "--users", "zoe,yan"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        url = lines[0].split()[-1]
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        assert lines[1].startswith("users: zoe (") and "yan (" in lines[1]
        assert lines[2].startswith(f"log in: curl -s -X POST {url}/api/session")
        request = urllib.request.Request(
            url + "/api/session", data=json.dumps({"username": "yan", "password": "x"}).encode()
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read())["server"] == url
    finally:
        process.terminate()
        process.wait(10)


def test_binding_beyond_loopback_needs_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "binding 0.0.0.0 needs --token" in capsys.readouterr().err


def test_a_scenario_that_fails_is_reported_and_nothing_is_served(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wrong.scenario.yaml"
    path.write_text(SCENARIO.replace("{label: Projects}", "{label: Elsewhere}"), encoding="utf-8")
    assert main(["serve", str(path), "--port", "0"]) == 2
    assert "Elsewhere" in capsys.readouterr().err


def test_a_scenario_carries_its_own_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ok.scenario.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    assert main(["serve", str(path), "--seed", "3"]) == 2
    assert "a scenario sets the world's seed" in capsys.readouterr().err

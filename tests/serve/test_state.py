"""State over real sockets: export, import into a fresh server, reset, steps through the API,
several scenarios as the starting state, and ending a session."""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import scenarios
from eventmirror.serve.app import MAX_BODY
from eventmirror.serve.main import build
from eventmirror.serve.world import Served
from simulator import SimulatorError

from .conftest import Server, start

ANNA_SHARES = """\
name: anna shares a tag with ben
users: [anna, ben]
sessions: {ben: ben}
steps:
  - do: tags.create
    as: anna
    with: {label: Projects, policy: {ben: 1}}
    save: projects
"""

BEN_CHATS = """\
name: ben starts a chat and types
users: [ben, cara]
sessions: {cara: cara}
steps:
  - do: chat.create
    as: ben
    with: {description: Lunch}
    save: lunch
  - do: chat.add_member
    as: ben
    with: {chat: $lunch, user: cara}
  - do: chat.typing
    as: ben
    with: {chat: $lunch, seconds: 90}
"""


def raw(server: Server, method: str, path: str, data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(server.url + path, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as failed:
        return failed.code, failed.read()


def servers(served: Served) -> Iterator[Server]:
    yield from start(served)


@pytest.fixture
def second() -> Iterator[Server]:
    yield from start(Served.new(("zoe",), seed=99))


def two_scenarios() -> Served:
    found = scenarios.loads(ANNA_SHARES) + scenarios.loads(BEN_CHATS)
    served, outcomes = Served.from_scenarios(found)
    assert all(outcome.passed for outcome in outcomes)
    return served


def further(server: Server) -> list[bytes]:
    """The same requests for both servers; the event bodies they get back."""
    ben = server.log_in("ben")
    status, answer = server.control(
        "commands/objects.create", {"as": "anna", "with": {"type": "conference"}}
    )
    assert status == 200, answer
    server.control(
        "commands/tags.create", {"as": "anna", "with": {"label": "More", "policy": {"ben": 2}}}
    )
    server.control("advance", {"seconds": 120})
    server.control(
        "commands/chat.message", {"as": "ben", "with": {"chat": chat_of(server), "text": "hi"}}
    )
    bodies = [raw(server, "GET", f"/api/event?sid={sid}&timeout=0")[1] for sid in ("s1", "s2", ben)]
    return [*bodies, raw(server, "GET", "/_eventmirror/state")[1]]


def chat_of(server: Server) -> str:
    return next(iter(server.served.world.chat.chats))


def test_an_export_imported_into_a_fresh_server_gives_the_same_bytes_for_the_same_requests(
    second: Server,
) -> None:
    for first in servers(two_scenarios()):
        status, exported = raw(first, "GET", "/_eventmirror/state")
        assert status == 200
        assert raw(first, "GET", "/_eventmirror/state")[1] == exported
        status, answer = second.call("PUT", "/_eventmirror/state", raw=exported)
        assert (status, answer["sessions"]) == (200, ["s1", "s2"])
        assert raw(second, "GET", "/_eventmirror/state")[1] == exported
        assert second.control("users", method="GET") == first.control("users", method="GET")
        mine, theirs = further(first), further(second)
        assert mine == theirs
        assert b"chat_message" in mine[1] and b"tag_new" in mine[2]


def test_the_typing_expiry_and_the_oracles_travel_with_the_state(second: Server) -> None:
    for first in servers(two_scenarios()):
        second.call("PUT", "/_eventmirror/state", raw=raw(first, "GET", "/_eventmirror/state")[1])
        for server in (first, second):
            server.control("advance", {"seconds": 100})
        assert second.served.world.clock.pending() == []
        for sid in ("s1", "s2"):
            path = f"sessions/{sid}/mirror"
            assert second.control(path, method="GET") == first.control(path, method="GET")


def test_reset_loads_the_state_after_every_starting_scenario() -> None:
    for server in servers(two_scenarios()):
        start_state = raw(server, "GET", "/_eventmirror/state")[1]
        further(server)
        assert raw(server, "GET", "/_eventmirror/state")[1] != start_state
        assert server.control("reset")[0] == 200
        assert raw(server, "GET", "/_eventmirror/state")[1] == start_state
        assert server.log_in("anna") == "s3"


def test_two_scenarios_make_one_world_and_a_user_both_declare_is_one_user() -> None:
    served = two_scenarios()
    world = served.world
    assert list(world.users) == ["anna", "ben", "cara"]
    assert [(s.id, world.names[s.user]) for s in world.sessions.values()] == [
        ("s1", "ben"),
        ("s2", "cara"),
    ]
    tag = next(iter(world.tags.tags))
    assert served.mirror("s1")["tags"][tag]["label"] == "Projects"


def test_a_users_uuid_two_scenarios_disagree_on_is_refused(tmp_path: Path) -> None:
    ben = "2f6bd8a3-1d2e-4c5b-9a8f-7e6d5c4b3a21"
    fixed = ANNA_SHARES.replace(
        "users: [anna, ben]", f"users: {{anna: 0f6bd8a3-1d2e-4c5b-9a8f-7e6d5c4b3a21, ben: {ben}}}"
    )
    other = ANNA_SHARES.replace(
        "users: [anna, ben]", f"users: {{anna: 1f6bd8a3-1d2e-4c5b-9a8f-7e6d5c4b3a21, ben: {ben}}}"
    )
    paths = []
    for index, text in enumerate((fixed, other.replace("name: anna", "name: again anna"))):
        paths.append(tmp_path / f"{index}.scenario.yaml")
        paths[-1].write_text(text, encoding="utf-8")
    arguments = argparse.Namespace(scenario=[str(p) for p in paths], users=None, seed=None)
    found = build(arguments)
    assert isinstance(found, str) and "cannot share one world" in found and "0f6bd8a3" in found
    with pytest.raises(SimulatorError):
        Served.from_scenarios([*scenarios.loads(fixed), *scenarios.loads(other)])


def test_serve_takes_several_scenario_files(tmp_path: Path) -> None:
    paths = []
    for name, text in (("a", ANNA_SHARES), ("b", BEN_CHATS)):
        paths.append(tmp_path / f"{name}.scenario.yaml")
        paths[-1].write_text(text, encoding="utf-8")
    served = build(argparse.Namespace(scenario=[str(p) for p in paths], users="dora", seed=None))
    assert isinstance(served, Served)
    assert list(served.world.users) == ["anna", "ben", "cara", "dora"]


# -- bad states ------------------------------------------------------------------------------


def _exported(server: Server) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(raw(server, "GET", "/_eventmirror/state")[1])
    return document


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d.update(format="x"), "$.format: expected 'eventmirror-serve/1'"),
        (lambda d: d.pop("world"), "$: 'world' is missing"),
        (
            lambda d: d["world"]["sessions"][0].update(user="nobody"),
            "$.world.sessions[0].user: no user",
        ),
        (
            lambda d: d["world"]["clock"].update(now=-1),
            "$.world.clock.now: expected a whole number",
        ),
        (lambda d: d["oracles"]["s1"].update(cursor=99), "$.oracles.s1.cursor: expected 0.."),
        (lambda d: d["oracles"]["s1"].update(mirror=[]), "$.oracles.s1.mirror:"),
        (lambda d: d["oracles"].update(s9=d["oracles"]["s1"]), "$.oracles.s9: no open session"),
        (lambda d: d.update(names=[]), "$.names: expected an object"),
        (lambda d: d["oracles"].pop("s2"), "$.oracles: the open session 's2' has no oracle"),
    ],
)
def test_a_bad_state_is_422_naming_the_path_and_changes_nothing(change: Any, says: str) -> None:
    for server in servers(two_scenarios()):
        before = raw(server, "GET", "/_eventmirror/state")[1]
        document = _exported(server)
        change(document)
        status, answer = server.call("PUT", "/_eventmirror/state", document)
        assert status == 422 and answer["error"].startswith(says), answer
        assert raw(server, "GET", "/_eventmirror/state")[1] == before


@pytest.mark.parametrize("body", [b"", b"{", b"[1]", b"\xff", b"[" * 100_000 + b"]" * 100_000])
def test_a_state_that_is_no_json_object_is_a_4xx(server: Server, body: bytes) -> None:
    status, answer = server.call("PUT", "/_eventmirror/state", raw=body)
    assert status in (400, 422) and answer["error"]


def test_an_oversized_state_is_413(server: Server) -> None:
    status, answer = server.call("PUT", "/_eventmirror/state", raw=b" " * (MAX_BODY + 1))
    assert status == 413 and answer["error"]


# -- steps through the API -------------------------------------------------------------------


def test_steps_run_on_the_live_world_and_say_what_each_did(server: Server) -> None:
    ben = server.log_in("ben")
    steps = [
        {
            "do": "tags.create",
            "as": "anna",
            "with": {"label": "Team", "policy": {"ben": 1}},
            "save": "team",
        },
        {"open": "late", "user": "cara"},
        {"advance": 30},
        {"expect": ben, "mirror": {"tags": {"$team": {"label": "Team"}}}},
    ]
    status, answer = server.control("steps", steps)
    assert status == 200, answer
    tag = server.served.names["team"]
    assert answer["opened"] == {"late": "s2"} and answer["now"] == server.served.world.now
    assert answer["steps"] == [
        {"step": 1, "kind": "do", "events": {ben: 1}, "result": tag},
        {"step": 2, "kind": "open", "events": {}, "session": "s2"},
        {"step": 3, "kind": "advance", "events": {}},
        {"step": 4, "kind": "expect", "events": {}},
    ]
    # A later call knows the saved name; YAML is read too.
    yaml = (
        "steps:\n"
        "  - do: objects.create\n"
        "    as: anna\n"
        "    with: {type: note, tags: [$team]}\n"
        f"  - expect_events: {ben}\n"
        "    events: [{event: object_new}]\n"
    )
    status, answer = server.call("POST", "/_eventmirror/steps", raw=yaml.encode())
    assert status == 200, answer
    assert answer["steps"][0]["events"] == {ben: 1}


@pytest.mark.parametrize(
    ("steps", "status", "says"),
    [
        ([{"do": "tags.craete", "as": "anna", "with": {"label": "x"}}], 400, "tags.create"),
        ([{"advance": 0}], 400, "advance"),
        ([], 400, "at least one step"),
        ({"steps": [{"expect": "s9", "mirror": {}}]}, 400, "no session 's9'"),
        ([{"replay": "/etc/passwd", "to": "s1"}], 400, "replay reads a file"),
        (
            [
                {
                    "do": "objects.modify",
                    "as": "anna",
                    "with": {"object": "nothing", "description": "x"},
                }
            ],
            422,
            "step 1: the simulator refused objects.modify",
        ),
        (
            [{"expect": "s1", "mirror": {"tags": {"x": {}}}}],
            422,
            "step 1: the mirror of session s1 differs",
        ),
    ],
)
def test_bad_or_failing_steps_are_a_4xx_with_the_scenario_engines_words(
    server: Server, steps: Any, status: int, says: str
) -> None:
    server.log_in("ben")
    found, answer = server.control("steps", steps)
    assert found == status and says in answer["error"], answer


def test_a_failing_step_leaves_the_steps_before_it_done(server: Server) -> None:
    steps = [{"advance": 60}, {"expect_events": "s1", "events": [{"event": "tag_new"}]}]
    server.log_in("ben")
    now = server.served.world.now
    assert server.control("steps", steps)[0] == 422
    assert server.served.world.now == now + 60


# -- ending a session ----------------------------------------------------------------------------


def test_an_ended_session_is_closed_in_the_simulator_and_its_waiting_poll_wakes(
    server: Server,
) -> None:
    sid = server.log_in("ben")
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(server.call, "GET", f"/api/event?sid={sid}&timeout=5")
        time.sleep(0.1)
        assert server.call("DELETE", f"/api/session?sid={sid}")[0] == 200
        status, answer = waiting.result(timeout=5)
    assert status == 401 and "was ended" in answer["error"]
    status, answer = server.call("GET", f"/api/event?sid={sid}")
    assert status == 401 and answer["error"] == f"session {sid!r} was ended: log in again"
    server.control(
        "commands/tags.create", {"as": "anna", "with": {"label": "T", "policy": {"ben": 1}}}
    )
    assert server.served.world.sessions[sid].events == []
    (session,) = _exported(server)["world"]["sessions"]
    assert session["closed"] is True
    assert server.control(f"sessions/{sid}/events", method="GET")[0] == 404


# -- faults and state ------------------------------------------------------------------------

WITH_A_FAULT = (
    ANNA_SHARES
    + """\
  - faults: [{kind: error, at: 1}]
    session: ben
  - do: tags.create
    as: anna
    with: {label: Later, policy: {ben: 1}}
"""
)


def test_a_reset_stages_the_starting_scenarios_faults_again() -> None:
    served, (outcome,) = Served.from_scenarios(scenarios.loads(WITH_A_FAULT))
    assert outcome.passed
    for server in servers(served):
        assert raw(server, "GET", "/api/event?sid=s1&timeout=0")[0] == 503
        assert raw(server, "GET", "/api/event?sid=s1&timeout=0")[0] == 200
        assert server.control("reset")[0] == 200
        assert raw(server, "GET", "/api/event?sid=s1&timeout=0")[0] == 503


def test_a_faults_step_through_the_api_stages_faults_for_the_session(server: Server) -> None:
    ben = server.log_in("ben")
    steps = [
        {"faults": [{"kind": "error", "at": 0}], "session": ben},
        {"do": "tags.create", "as": "anna", "with": {"label": "T", "policy": {"ben": 1}}},
    ]
    assert server.control("steps", steps)[0] == 200
    status, staged = server.control(f"sessions/{ben}/faults", method="GET")
    assert status == 200 and [fault["kind"] for fault in staged] == ["error"]
    assert raw(server, "GET", f"/api/event?sid={ben}&timeout=0")[0] == 503
    assert server.control(f"sessions/{ben}/client-state", {"tags": {}})[1]["agrees"] is False


def test_staged_faults_travel_with_the_state(second: Server) -> None:
    """A gap that renumbered a session's stream, a fault still to come and a transport fault
    that fired: all carried over, so the same polls get the same bytes from the copy."""
    for first in servers(two_scenarios()):
        n = len(first.control("sessions/s1/events", method="GET")[1])
        faults = [
            {"kind": "gap", "at": n, "size": 5},
            {"kind": "error", "at": n},
            {"kind": "duplicate", "probability": 0.5},
            {"kind": "reset", "at": n + 3},
        ]
        assert first.control("sessions/s1/faults", {"faults": faults})[0] == 200
        for _ in range(2):
            first.control(
                "commands/tags.create",
                {"as": "anna", "with": {"label": "L", "policy": {"ben": 1}}},
            )
        assert raw(first, "GET", "/api/event?sid=s1&timeout=0")[0] == 503  # the error fired
        assert raw(first, "GET", "/api/event?sid=s1&timeout=0")[0] == 200
        exported = raw(first, "GET", "/_eventmirror/state")[1]
        assert json.loads(exported)["faults"]["s1"]["stream"]["staged"][1]["done"] is True
        assert second.call("PUT", "/_eventmirror/state", raw=exported)[0] == 200
        assert raw(second, "GET", "/_eventmirror/state")[1] == exported
        path = "sessions/s1/faults"
        assert second.control(path, method="GET") == first.control(path, method="GET")
        for server in (first, second):
            for label in ("M", "N", "O", "P"):
                server.control(
                    "commands/tags.create",
                    {"as": "anna", "with": {"label": label, "policy": {"ben": 1}}},
                )
        polls = [
            [raw(server, "GET", f"/api/event?sid=s1&next={i}&timeout=0") for i in (0, n + 5, 1)]
            for server in (first, second)
        ]
        assert polls[0] == polls[1]
        assert all(status == 200 for status, _ in polls[0])
        mirror = "sessions/s1/mirror"
        assert second.control(mirror, method="GET") == first.control(mirror, method="GET")


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda f: f.update(s9=f["s1"]), "$.faults.s9: no open session"),
        (lambda f: f["s1"].update(segment=-1), "$.faults.s1.segment: expected a whole number"),
        (
            lambda f: f["s1"]["stream"]["staged"][0]["fault"].update(kind="gapp"),
            "$.faults.s1.stream.staged[0].fault.kind: 'gapp' is none of",
        ),
        (lambda f: f["s1"]["stream"].update(mapped=999), "$.faults.s1.stream.mapped: expected"),
        (lambda f: f["s1"]["stream"]["staged"][0].pop("since"), "$.faults.s1.stream.staged[0]:"),
    ],
)
def test_bad_faults_in_a_state_are_422_naming_the_path(change: Any, says: str) -> None:
    for server in servers(two_scenarios()):
        assert (
            server.control("sessions/s1/faults", {"faults": [{"kind": "gap", "at": 50}]})[0] == 200
        )
        before = raw(server, "GET", "/_eventmirror/state")[1]
        document = _exported(server)
        change(document["faults"])
        status, answer = server.call("PUT", "/_eventmirror/state", document)
        assert status == 422 and answer["error"].startswith(says), answer
        assert raw(server, "GET", "/_eventmirror/state")[1] == before

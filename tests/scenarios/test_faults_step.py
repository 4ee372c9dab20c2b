"""A scenario's ``faults`` step: checked by the one declaration, run by the engine on the
stream the session's client is sent, and carried into ``eventmirror serve``."""

from __future__ import annotations

import json
import urllib.request

import pytest

import scenarios
from eventmirror.serve.world import Served
from examples.clients.simple_client import SimpleClient
from scenarios.yamlload import ScenarioFileError
from tests.serve.conftest import start

from .test_engine import HEAD, TAG, passes, report

SHARE = "  - do: tags.create\n    as: anna\n    with: {label: Q, policy: {ben: 1}}\n"


def test_stream_faults_renumber_what_the_session_receives_and_its_mirror_records_them() -> None:
    passes(
        "  - faults: [{kind: gap, at: 1, size: 4}, {kind: duplicate, at: 2},"
        " {kind: reset, at: 3}]\n    session: ben\n"
        + TAG
        + SHARE * 4
        + "  - expect_events: ben\n    events: [{id: 0}, {id: 5}, {id: 6}, {id: 6}, {id: 0},"
        " {id: 1}]\n"
        "  - expect: ben\n    mirror:\n"
        "      stream: {duplicates: 1, gaps: [[1, 4]], reset_count: 1, last_id: 1}\n"
        "      tags: {$p: {label: P}}\n"
    )


def test_transport_faults_change_nothing_in_a_run() -> None:
    passes(
        "  - faults: [{kind: error, at: 0}, {kind: truncate, probability: 1},"
        " {kind: delay, at: 0, seconds: 5}]\n    session: ben\n"
        + TAG
        + "  - expect_events: ben\n    events: [{id: 0, event: tag_new}]\n"
        "  - expect: ben\n    mirror: {stream: {duplicates: 0, gaps: [], resets: []}}\n"
    )


def test_faults_with_a_probability_follow_the_scenarios_seed() -> None:
    steps = (
        "  - faults: [{kind: duplicate, probability: 0.5}]\n    session: ben\n" + TAG + SHARE * 9
    )

    def received(seed: int) -> list[int]:
        head = HEAD.replace("steps:", f"seed: {seed}\nsteps:")
        (scenario,) = scenarios.loads(head + steps, "x.scenario.yaml")
        run = scenarios.engine.Run(scenario)
        assert run.run().passed
        return [event["id"] for event in run.clients["ben"].received]

    assert received(1) == received(1) != received(2)
    assert sorted(set(received(1))) == list(range(10)) and len(received(1)) > 10


def test_a_stream_fault_for_an_event_sent_already_fails_its_step() -> None:
    said = report(TAG + "  - faults: [{kind: reset, at: 0}]\n    session: ben\n")
    assert "event 0 was sent already" in said and "the next is 1" in said


@pytest.mark.parametrize(
    ("step", "line", "says"),
    [
        ("  - faults: [{kind: rest, at: 3}]\n    session: ben\n", 4, "did you mean 'reset'"),
        (
            "  - faults:\n      - {kind: gap, at: 3}\n      - {kind: gap, at: 3, sise: 1}\n"
            "    session: ben\n",
            6,
            "faults[1]: unknown key 'sise'; did you mean 'size'",
        ),
        ("  - faults: {kind: gap, at: 3}\n    session: ben\n", 4, "expected a list"),
        ("  - faults: []\n    session: bob\n", 5, "bob"),
        ("  - faults: []\n", 4, "needs the key 'session'"),
    ],
)
def test_a_wrong_faults_step_is_an_error_in_the_file_at_its_line(
    step: str, line: int, says: str
) -> None:
    with pytest.raises(ScenarioFileError) as raised:
        scenarios.loads(HEAD + step, "x.scenario.yaml")
    assert raised.value.line == line and says in str(raised.value), str(raised.value)


def test_a_client_under_test_is_sent_the_renumbered_stream_and_agrees() -> None:
    (scenario,) = scenarios.loads(
        HEAD + "  - faults: [{kind: gap, probability: 0.3}, {kind: reset, at: 4},"
        " {kind: duplicate, probability: 0.3}]\n    session: ben\n" + TAG + SHARE * 6,
        "x.scenario.yaml",
    )
    checked = scenarios.run(scenario, SimpleClient)
    assert checked.passed, scenarios.render_outcome(checked)


def test_serve_takes_a_scenarios_faults_as_its_starting_state() -> None:
    (scenario,) = scenarios.loads(
        HEAD
        + "  - faults: [{kind: gap, at: 1, size: 2}, {kind: error, at: 2}]\n    session: ben\n"
        + TAG
        + SHARE,
        "x.scenario.yaml",
    )
    served, (started,) = Served.from_scenarios([scenario])
    assert started.passed
    running = start(served)
    server = next(running)
    try:
        sid = "s2"  # ben's
        server.control("commands/tags.create", {"as": "anna", "with": {"label": "R"}})
        status, _ = server.control(
            "commands/tags.create", {"as": "anna", "with": {"label": "S", "policy": {"ben": 1}}}
        )
        assert status == 200
        url = f"{server.url}/api/event?next=0&timeout=0&sid={sid}"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=10)
        assert refused.value.code == 503  # the scenario's error at event 2
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert [event["id"] for event in json.loads(answer.read())] == [0, 3, 4]
        _, oracle = server.control(f"sessions/{sid}/mirror", method="GET")
        assert oracle["stream"]["gaps"] == [[1, 2]] and len(oracle["tags"]) == 3
    finally:
        next(running, None)

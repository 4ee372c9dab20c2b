"""The example clients against the oracle: the correct ones agree, every planted bug is caught.

Each session of a simulator day is played to a client in poll-sized bodies with the stream's
faults staged (tests/clients/staging.py), and after every body and clock move the client's
state is compared with the mirror folded from what the client received, by
``reducers.agreement.disagreements``.
"""

from __future__ import annotations

import ast
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from examples.clients import buggy_clients, simple_client
from examples.clients.buggy_clients import BUGS
from examples.clients.simple_client import SimpleClient, make_client
from scenarios.client import ClientSession, load_factory
from tests.support import needs_node

from . import staging
from .node import JS_CLIENT, NODE, js_client

#: Days on which every planted bug must show (each is found on at least one of them; the
#: rarest, another owner's trashed object in my view when I purge my trash, first on day 14).
BUG_SEEDS = range(16)


def short_day(seed: int) -> staging.Day:
    return staging.day(seed, commands=200)


@pytest.mark.parametrize("seed", range(30))
def test_simple_client_agrees_with_the_oracle_on_random_days(seed: int) -> None:
    found = staging.disagreement_in_day(make_client, seed)
    assert found is None, f"day {seed}: {found}"


@given(
    seed=st.integers(0, 4),
    which=st.integers(0, 20),
    plan=staging.plans(),
)
def test_simple_client_agrees_however_the_stream_is_delivered(
    seed: int, which: int, plan: list[staging.Operation]
) -> None:
    sessions = short_day(seed).sessions
    session, stream = sessions[which % len(sessions)]
    found = staging.first_disagreement(SimpleClient(session), session.user, stream, plan)
    assert found is None, str(found)


@pytest.mark.parametrize("bug", sorted(BUGS))
def test_every_planted_bug_disagrees_on_some_day(bug: str) -> None:
    factory = BUGS[bug]
    found = (
        staging.disagreement_in_day(factory, seed, faults=faults)
        for seed in BUG_SEEDS
        for faults in (False, True)
    )
    assert any(found), f"{bug} agreed with the oracle on every day {list(BUG_SEEDS)}"


@pytest.mark.parametrize("bug", sorted(BUGS))
def test_every_planted_bug_overrides_a_method_of_the_simple_client(bug: str) -> None:
    """A misspelt override would plant nothing (and pass for a bug no one catches)."""
    own = [name for name, value in vars(BUGS[bug]).items() if callable(value)]
    assert own, f"{bug} overrides nothing"
    assert all(callable(getattr(SimpleClient, name, None)) for name in own), own


def typing(mirror: reducers.Mirror) -> int:
    """How many chat participants are typing."""
    return sum(
        participant.typing is not None
        for chat in mirror.chats.values()
        for participant in chat.user.values()
    )


def test_the_staged_streams_hold_every_fault() -> None:
    """The days above are not vacuous: the oracle itself saw every fault staged."""
    seen: Counter[str] = Counter()
    for seed in range(10):
        rng = random.Random(seed)
        for session, stream in staging.day(seed).sessions:
            oracle = reducers.fold([], me=session.user)
            for step in staging.steps(stream, staging.random_plan(rng, len(stream))):
                if step.events is None:
                    assert step.now is not None
                    before = typing(oracle)
                    oracle = reducers.advance(oracle, step.now)
                    seen["typing expired by the clock"] += before > typing(oracle)
                else:
                    before = oracle.health.reset_count
                    oracle = reducers.fold(step.events, oracle)
                    # A body sent again from id 0 reads as a reset too: count the restarts.
                    restarted = oracle.health.reset_count > before and not step.repeated
                    seen["resets"] += restarted
            health = oracle.health
            seen["duplicates"] += health.duplicates
            seen["gaps"] += len(health.gaps)
            seen["unknown types"] += health.unknown
            seen["unknown fields"] += sum(health.unknown_fields.values())
            seen["inconsistent object_tag"] += health.inconsistent
            seen["malformed"] += health.rejected
    assert all(seen[fault] > 0 for fault in seen), seen
    assert len(seen) == 8, seen


@pytest.mark.parametrize("module", [simple_client, buggy_clients])
def test_the_example_clients_stand_alone(module: ModuleType) -> None:
    """A client author copies them: they import the standard library and each other only."""
    assert module.__file__ is not None
    tree = ast.parse(Path(module.__file__).read_text())
    imported = {
        alias.name.partition(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").partition(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and not node.level
    }
    assert imported <= sys.stdlib_module_names | {"__future__"}, imported


def test_the_factories_load_by_name() -> None:
    session = ClientSession("s1", "u-1", "anna")
    assert isinstance(
        load_factory("examples.clients.simple_client:make_client")(session), SimpleClient
    )
    for name, kind in BUGS.items():
        assert isinstance(load_factory(f"examples.clients.buggy_clients:{name}")(session), kind)


# -- the JavaScript client ---------------------------------------------------------------------


@needs_node
@pytest.mark.parametrize("seed", range(6))
def test_js_client_agrees_with_the_oracle_and_the_python_client(seed: int) -> None:
    rng = random.Random(seed)
    for session, stream in short_day(seed).sessions:
        plan = staging.random_plan(rng, len(stream))
        client = js_client(session)
        try:
            found = staging.first_disagreement(client, session.user, stream, plan)
            assert found is None, f"day {seed}, {session.id}: {found}"
            python = SimpleClient(session)
            for step in staging.steps(stream, plan):
                if step.events is not None:
                    python.receive(step.events)
                elif step.now is not None:
                    python.advance(step.now)
            assert client.state() == python.state()
        finally:
            client.close()


@needs_node
def test_js_client_answers_every_request_line() -> None:
    requests = [
        "not json",
        json.dumps({"op": "fly"}),
        json.dumps({"op": "receive", "events": "nope"}),
        json.dumps({"op": "receive", "events": [{"id": 0, "event": "trash_purge", "time": 9}]}),
        json.dumps({"op": "advance", "now": 12}),
        json.dumps({"op": "state"}),
    ]
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(JS_CLIENT)],
        input="\n".join(requests) + "\n",
        capture_output=True,
        text=True,
        timeout=30,
        env={"EVENTMIRROR_USER": "u-1", "PATH": ""},
        check=True,
    )
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert [sorted(reply) for reply in replies] == [["error"]] * 3 + [["ok"]] * 2 + [["state"]]
    assert "not JSON" in replies[0]["error"]
    assert "unknown op" in replies[1]["error"]
    assert replies[-1]["state"]["stream"] == {
        "duplicates": 0,
        "gaps": [],
        "missing": 0,
        "reset_count": 0,
        "resync": False,
        "last_id": 0,
    }


@needs_node
def test_js_client_without_a_user_says_so() -> None:
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(JS_CLIENT)], input="", capture_output=True, text=True, timeout=30, env={}
    )
    assert done.returncode == 2
    assert "EVENTMIRROR_USER" in done.stderr

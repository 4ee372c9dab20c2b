"""--client-cmd: a client process per session over JSON Lines; every way it can break fails
the step with a message saying how, within the timeout, and no process outlives its run."""

from __future__ import annotations

import shlex
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scenarios
from scenarios.client import ClientError, ClientSession
from scenarios.process_client import ProcessClient, ProcessFactory

HERE = Path(__file__).parent / "process_clients"
SESSION = ClientSession("s1", "0f6bd8a3-6c2e-4d3b-9a51-7e2c94b1d5f0", "anna")
EVENT = {"id": 0, "time": 1773734400, "event": "user_modify"}


def command(script: str, *arguments: str) -> str:
    return shlex.join([sys.executable, str(HERE / script), *arguments])


Make = Callable[..., ProcessClient]


@pytest.fixture
def factory() -> Iterator[Make]:
    made: list[ProcessFactory] = []

    def make(script: str, *arguments: str, timeout: float = 10) -> ProcessClient:
        process_factory = ProcessFactory(command(script, *arguments), timeout)
        made.append(process_factory)
        return process_factory(SESSION)

    yield make
    for process_factory in made:
        process_factory.close()


def test_a_process_learns_its_session_from_the_environment(factory: Make) -> None:
    client = factory("misbehaving.py", "environment")
    client.receive([EVENT])
    client.advance(1773734500)
    assert client.state() == {
        "stream": {
            "EVENTMIRROR_SESSION": "s1",
            "EVENTMIRROR_USER": SESSION.user,
            "EVENTMIRROR_NAME": "anna",
        }
    }


def test_a_large_body_goes_through_whole(factory: Make) -> None:
    client = factory("mirror_client.py")
    # Megabytes, far past a pipe's buffer: the write must not wait for a reply it blocks.
    body = [
        {"id": i, "time": 1773734400, "event": "user_metadata", "update": {"k": "x" * 2000}}
        for i in range(600)
    ]
    client.receive(body)
    assert client.state()["stream"]["last_id"] == 599


@pytest.mark.parametrize(
    ("mode", "said"),
    [
        ("dies", "exited with status 3 (request: receive); its standard error ended with:\n"),
        ("not-json", 'answered a line that is not JSON: "ok then" (request: receive)'),
        ("not-object", "answered [true], which is not a JSON object"),
        ("wrong-shape", 'answered {"okay": true}; the reply to receive is {"ok": true}'),
        ("error", 'reported an error: "cannot read event 3" (request: receive)'),
        ("closes", "closed its standard output without exiting"),
        ("chatty", 'answered more than one line: then "received 1 event\\n"'),
    ],
)
def test_a_broken_process_fails_with_what_it_did(factory: Make, mode: str, said: str) -> None:
    client = factory("misbehaving.py", mode, timeout=2)
    with pytest.raises(ClientError) as raised:
        client.receive([EVENT])
    message = str(raised.value)
    assert said in message
    assert "of session s1 (anna)" in message and "misbehaving.py" in message
    if mode == "dies":
        assert message.endswith(
            "    Traceback (most recent call last):\n    ValueError: no such tag"
        )
    # A process that broke once is not asked again: it may still owe the reply.
    with pytest.raises(ClientError, match="request: receive"):
        client.state()


@pytest.mark.parametrize("mode", ["hangs", "deaf"])
def test_a_process_that_does_not_answer_fails_at_the_timeout(factory: Make, mode: str) -> None:
    client = factory("misbehaving.py", mode, timeout=0.5)
    started = time.monotonic()
    body = [EVENT] if mode == "hangs" else [{**EVENT, "pad": "x" * 2_000_000}]
    with pytest.raises(ClientError) as raised:
        client.receive(body)
    assert time.monotonic() - started < 5
    doing = "answer" if mode == "hangs" else "read its request"
    assert f"did not {doing} within 0.5 s (--client-timeout)" in str(raised.value)


def test_closing_kills_every_process_the_factory_started() -> None:
    process_factory = ProcessFactory(command("misbehaving.py", "hangs"), 1)
    clients = [process_factory(SESSION) for _ in range(3)]
    process_factory.close()
    assert all(client.process.poll() is not None for client in clients)


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("", "--client-cmd is empty"),
        ("'unclosed", "No closing quotation"),
        ("no-such-program-here --flag", "there is no program 'no-such-program-here'"),
    ],
)
def test_a_command_that_cannot_run_is_refused_before_anything_runs(given: str, said: str) -> None:
    with pytest.raises(ClientError, match=said):
        ProcessFactory(given)


STEPS = """\
name: a tag, then a label
users: [anna, ben]
steps:
  - do: tags.create
    as: anna
    with: {label: P, policy: {ben: 1}}
    save: p
  - do: tags.modify
    as: anna
    with: {tag: $p, label: Q}
  - advance: 30
"""


def test_a_correct_process_passes_and_a_dying_one_fails_the_step_it_died_in() -> None:
    (scenario,) = scenarios.loads(STEPS, "x.scenario.yaml")
    good = ProcessFactory(command("mirror_client.py"))
    outcome = scenarios.run(scenario, good)
    assert outcome.passed, scenarios.render_outcome(outcome)
    assert outcome.delivered == {"tag_new", "tag_modify"}
    bad = ProcessFactory(command("misbehaving.py", "dies"))
    text = scenarios.render_outcome(scenarios.run(scenario, bad))
    assert "x.scenario.yaml:4: scenario 'a tag, then a label', step 1 (do: tags.create)" in text
    assert "the client of session anna failed: the client process" in text
    assert "exited with status 3" in text
    assert "       1    0  {id: 0, event: tag_new" in text
    # Each session's process is ended with its scenario.
    assert good._started == [] or all(client.closed for client in good._started)
    assert all(client.process.poll() is not None for client in bad._started)


def test_processes_end_with_their_scenario_even_on_a_keyboard_interrupt() -> None:
    (scenario,) = scenarios.loads(STEPS, "x.scenario.yaml")
    processes = ProcessFactory(command("mirror_client.py"))
    made: list[ProcessClient] = []

    class Interrupted:
        def receive(self, events: list[object]) -> None:
            raise KeyboardInterrupt

        def state(self) -> dict[str, object]:
            return {}

    def factory(session: ClientSession) -> ProcessClient | Interrupted:
        if session.name == "ben":
            return Interrupted()
        made.append(processes(session))
        return made[-1]

    with pytest.raises(KeyboardInterrupt):
        scenarios.run(scenario, factory)  # type: ignore[arg-type]
    assert made and all(client.process.poll() is not None for client in made)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def echo() -> Iterator[ProcessClient]:
    """One echoing process for all of hypothesis's examples (starting one costs more)."""
    factory = ProcessFactory(command("misbehaving.py", "echo"))
    yield factory(SESSION)
    factory.close()


@settings(max_examples=50, deadline=None)
@given(bodies=st.lists(st.lists(JSON, max_size=5), min_size=1, max_size=3))
def test_a_process_receives_every_body_exactly_as_sent(
    echo: ProcessClient, bodies: list[list[object]]
) -> None:
    for body in bodies:
        echo.receive(body)
        assert echo.state() == {"echo": body}

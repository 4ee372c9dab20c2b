"""The bundled library as a conformance suite for examples/clients: the correct clients pass
every scenario, each planted bug fails at least one, through the engine and the command."""

from __future__ import annotations

from pathlib import Path

import pytest

import scenarios
from examples.clients.buggy_clients import BUGS
from examples.clients.simple_client import make_client
from scenarios import Outcome
from scenarios.cli import library
from scenarios.client import Factory
from scenarios.process_client import ProcessFactory
from tests.support import needs_node

ROOT = Path(__file__).resolve().parents[2]
LOADED = [s for path in sorted(library().glob("*.scenario.yaml")) for s in scenarios.load(path)]


def outcomes(client: Factory, only: tuple[str, ...] = ()) -> list[Outcome]:
    chosen = [s for s in LOADED if not only or Path(s.path).name.startswith(only)]
    return [scenarios.run(scenario, client) for scenario in chosen]


def test_the_simple_client_passes_the_library() -> None:
    for outcome in outcomes(make_client):
        assert outcome.passed, scenarios.render_outcome(outcome)


@pytest.mark.parametrize("bug", sorted(BUGS))
def test_every_planted_bug_fails_a_library_scenario(bug: str) -> None:
    assert any(not outcome.passed for outcome in outcomes(BUGS[bug]))


@needs_node
def test_the_javascript_client_passes_the_scenarios_of_its_domains() -> None:
    script = ROOT / "examples" / "clients" / "js" / "client.mjs"
    factory = ProcessFactory(f"node {script}")
    try:
        found = outcomes(factory, only=("tags", "objects", "chat", "comments", "stream"))
    finally:
        factory.close()
    assert len(found) > 20
    for outcome in found:
        assert outcome.passed, scenarios.render_outcome(outcome)

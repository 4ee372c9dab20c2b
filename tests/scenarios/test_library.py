"""The bundled library covers every event type and every ruling, and all of it passes."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import scenarios
from eventmirror.events import DOMAINS, EVENT_TYPES
from scenarios import Outcome
from scenarios.rulings import RULINGS

LIBRARY = Path(scenarios.__file__).parent / "library"


@cache
def outcomes() -> tuple[Outcome, ...]:
    return tuple(
        scenarios.run(scenario)
        for path in sorted(LIBRARY.glob("*.scenario.yaml"))
        for scenario in scenarios.load(path)
    )


def test_every_library_scenario_passes() -> None:
    failed = [scenarios.render_outcome(outcome) for outcome in outcomes() if not outcome.passed]
    assert not failed, "\n".join(failed)


def test_every_event_type_is_produced_by_the_simulator_and_then_checked() -> None:
    checked = set().union(*(outcome.checked for outcome in outcomes()))
    missing = sorted(set(EVENT_TYPES) - checked)
    assert not missing, (
        f"no library scenario produces these through a command and then checks the mirror "
        f"(expect:): {missing}"
    )


def test_every_ruling_has_a_scenario_and_every_named_ruling_exists() -> None:
    named = {
        ruling: outcome.scenario.name
        for outcome in outcomes()
        for ruling in outcome.scenario.rulings
    }
    assert not sorted(set(RULINGS) - set(named)), "rulings without a scenario"
    unknown = {ruling: name for ruling, name in named.items() if ruling not in RULINGS}
    assert not unknown, f"scenarios name rulings scenarios/rulings.py does not have: {unknown}"


def test_the_library_has_one_file_per_domain_and_no_strays() -> None:
    files = {path.name.removesuffix(".scenario.yaml") for path in LIBRARY.glob("*.scenario.yaml")}
    assert set(DOMAINS.values()) <= files
    assert files - set(DOMAINS.values()) <= {"stream"}


def test_every_scenario_name_is_unique_across_the_library() -> None:
    names = [outcome.scenario.name for outcome in outcomes()]
    assert len(names) == len(set(names))

"""Scenario runs are byte-for-byte deterministic: in any order, in any process, any worker count."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

import scenarios
from scenarios import Scenario

pytest_plugins = ["pytester"]

LIBRARY = Path(scenarios.__file__).parent / "library"

FAILING = """\
name: the label is not what the test says
users: [anna, ben]
steps:
  - do: tags.create
    as: anna
    with: {label: Projects, policy: {ben: 1}}
    save: projects
  - expect_events: ben
    events: [{event: tag_new}, {event: tag_modify}]
---
name: the mirror is not what the test says
users: [anna, ben]
steps:
  - do: tags.create
    as: anna
    with: {label: Projects, policy: {ben: 1}}
    save: projects
  - expect: ben
    mirror: {tags: {$projects: {label: Plans, owner: $ben}}}
"""


def library() -> list[Scenario]:
    return [s for path in sorted(LIBRARY.glob("*.scenario.yaml")) for s in scenarios.load(path)]


def fingerprint(scenario: Scenario) -> tuple[object, ...]:
    outcome = scenarios.run(scenario)
    return (
        outcome.passed,
        scenarios.render_outcome(outcome),
        sorted(outcome.names.items()),
        sorted(outcome.produced),
    )


def test_outcomes_do_not_depend_on_what_ran_before() -> None:
    """What pytest-xdist changes is which scenarios share a process, and in what order."""
    everything = library() + scenarios.loads(FAILING, "failing.scenario.yaml")
    in_order = [fingerprint(scenario) for scenario in everything]
    shuffled = list(range(len(everything)))
    random.Random(7).shuffle(shuffled)
    again = {index: fingerprint(everything[index]) for index in shuffled}
    assert [again[index] for index in range(len(everything))] == in_order


def failure_texts(pytester: pytest.Pytester, *args: str) -> dict[str, str]:
    report = pytester.path / "report.xml"
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--junitxml={report}", *args)
    result.assert_outcomes(passed=1, failed=2)
    texts = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        failure = case.find("failure")
        texts[case.get("name", "")] = "" if failure is None else (failure.text or "")
    return texts


def test_reports_are_the_same_with_one_worker_or_two(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", failing=FAILING)
    pytester.makefile(
        ".scenario.yaml",
        passing=FAILING.split("---")[0]
        .replace("[{event: tag_new}, {event: tag_modify}]", "[{event: tag_new}]")
        .replace("the label is not what the test says", "the label is right"),
    )
    alone = failure_texts(pytester, "-p", "no:xdist")
    workers = failure_texts(pytester, "-n", "2")
    assert alone == workers
    assert "X   1  {event: tag_modify}" in alone["the label is not what the test says"]

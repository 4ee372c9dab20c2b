"""The pytest plugin: scenario files are collected, selected, reported and run in parallel."""

from __future__ import annotations

import pytest

from .samples import PASSING as TWO

pytest_plugins = ["pytester"]


FAILING = """\
name: ben is told of a tag he is not in
users: [anna, ben]
steps:
  - do: tags.create
    as: anna
    with: {label: Projects, policy: {}}
    save: projects
  - expect_events: ben
    events:
      - {event: tag_new, tag: $projects}
"""

BROKEN = """\
name: a name used before it is saved
users: [anna]
steps:
  - do: tags.delete
    as: anna
    with: {tag: $projects}
"""

# Only this plugin's collection: no conftest, cache or other plugins' files get in the way.
QUIET = ("-p", "no:cacheprovider")


def test_each_scenario_is_one_item_named_after_it(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", tags=TWO)
    pytester.makefile(".yaml", notes="name: not a scenario file\n")
    result = pytester.runpytest("--collect-only", "-q", *QUIET)
    result.stdout.fnmatch_lines(
        [
            "tags.scenario.yaml::anna sees her own tag",
            "tags.scenario.yaml::ben sees nothing of it",
            "2 tests collected*",
        ]
    )
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=2)


def test_k_selects_scenarios_by_name(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", tags=TWO)
    result = pytester.runpytest("-k", "ben and not anna", "-v", *QUIET)
    result.assert_outcomes(passed=1, deselected=1)
    result.stdout.fnmatch_lines(["*tags.scenario.yaml::ben sees nothing of it PASSED*"])


def test_a_failing_scenario_reports_its_file_line_and_event_table(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".scenario.yaml", sharing=FAILING)
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*sharing.scenario.yaml:8: scenario 'ben is told of a tag he is not in', "
            "step 2 (expect_events: ben) failed",
            "*session ben received 0 events since the last check; the step expects 1*",
            "*#  expected*| actual",
            "  X   0  {event: tag_new, tag: $projects}*| (nothing)",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_a_broken_file_is_a_collection_error_with_its_line(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", broken=BROKEN, tags=TWO)
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR collecting broken.scenario.yaml*",
            "*broken.scenario.yaml:6: $projects is used before it is saved*",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    result = pytester.runpytest("--continue-on-collection-errors", *QUIET)
    result.assert_outcomes(passed=2, errors=1)


def test_xdist_runs_scenarios_in_parallel(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", tags=TWO, sharing=FAILING)
    result = pytester.runpytest_subprocess("-n", "2", *QUIET)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*2 workers*", "*sharing.scenario.yaml:8: scenario*"])

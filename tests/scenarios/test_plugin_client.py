"""The plugin with a client under test: the options, the overridable fixture, -k and xdist."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from .samples import PASSING as TWO

pytest_plugins = ["pytester"]

QUIET = ("-p", "no:cacheprovider")
MIRROR_CLIENT = Path(__file__).parent / "process_clients" / "mirror_client.py"

# A client of tags alone: each tag's label. ``shouting`` is its bug: labels in capitals.
TAG_CLIENT = """\
class TagLabels:
    shouting = False

    def __init__(self, session):
        self.tags = {}

    def receive(self, events):
        for event in events:
            if event.get("event") in ("tag_new", "tag_modify"):
                label = event["label"].upper() if self.shouting else event["label"]
                self.tags[event["tag"]] = {"label": label}

    def state(self):
        return {"tags": self.tags}


class Shouting(TagLabels):
    shouting = True
"""


def test_the_option_runs_a_client_beside_every_session(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", tags=TWO)
    pytester.makepyfile(labels_a=TAG_CLIENT)
    result = pytester.runpytest("--eventmirror-client", "labels_a:TagLabels", *QUIET)
    result.assert_outcomes(passed=2)
    result = pytester.runpytest("--eventmirror-client", "labels_a:Shouting", "-k", "anna", *QUIET)
    result.assert_outcomes(failed=1, deselected=1)
    result.stdout.fnmatch_lines(
        [
            "*tags.scenario.yaml:4: scenario 'anna sees her own tag', step 1 (do: tags.create) "
            "failed",
            "  the client of session anna disagrees with the mirror at 1 path",
            "    tags.$projects.label",
            "      mirror:   Projects",
            "      client:   PROJECTS",
        ]
    )


def test_a_conftest_fixture_chooses_the_client(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", tags=TWO)
    pytester.makepyfile(labels_b=TAG_CLIENT)
    pytester.makeconftest(
        "import pytest, labels_b\n\n"
        "@pytest.fixture(scope='session')\n"
        "def eventmirror_client_factory():\n"
        "    return labels_b.Shouting\n"
    )
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(failed=2)  # anna creates a tag in both
    result.stdout.fnmatch_lines(["      client:   PROJECTS"])


def test_a_client_that_cannot_be_had_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", tags=TWO)
    result = pytester.runpytest("--eventmirror-client", "no_such_module_c:make", *QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*cannot import 'no_such_module_c'*"])
    result = pytester.runpytest(
        "--eventmirror-client", "a:b", "--eventmirror-client-cmd", "c", *QUIET
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_client_processes_under_xdist(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", tags=TWO)
    command = shlex.join([sys.executable, str(MIRROR_CLIENT)])
    result = pytester.runpytest_subprocess("-n", "2", "--eventmirror-client-cmd", command, *QUIET)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*2 workers*"])

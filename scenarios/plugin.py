"""The pytest plugin (entry point ``pytest11``): ``*.scenario.yaml`` files are tests.

Each scenario in a file is one test item named after the scenario, so ``-k`` selects by name
and pytest-xdist spreads scenarios over workers. A mistake in a file is a collection error
that shows the file, the line and what is wrong; a failing scenario shows the report of
:func:`scenarios.render_outcome` instead of a traceback.

A client under test (docs/client-testing.md) runs beside every session when pytest is given
``--eventmirror-client MODULE:FACTORY`` or ``--eventmirror-client-cmd COMMAND``. Scenario items
take it from the fixture ``eventmirror_client_factory`` (a factory, or None for no client), so
a ``conftest.py`` that defines a fixture of that name decides the client instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .client import ClientError, Factory, load_factory
from .engine import run
from .model import Scenario
from .outcome import Outcome
from .report import render_outcome
from .yamlload import ScenarioFileError

SUFFIX = ".scenario.yaml"
FIXTURE = "eventmirror_client_factory"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("eventmirror", "eventmirror scenarios (docs/client-testing.md)")
    group.addoption(
        "--eventmirror-client",
        metavar="MODULE:FACTORY",
        help="run this client beside every session of every scenario",
    )
    group.addoption(
        "--eventmirror-client-cmd",
        metavar="COMMAND",
        help="run a client process (JSON Lines on stdin/stdout) for every session",
    )
    group.addoption(
        "--eventmirror-client-timeout",
        metavar="SECONDS",
        type=float,
        default=10.0,
        help="how long a client process may take to answer a request (default: 10)",
    )


def pytest_configure(config: pytest.Config) -> None:
    # A client that cannot be had is a usage error at once, not a failure in every test.
    if config.getoption("eventmirror_client") and config.getoption("eventmirror_client_cmd"):
        raise pytest.UsageError("give --eventmirror-client or --eventmirror-client-cmd, not both")
    try:
        config.stash[_FACTORY] = _factory(config)
    except ClientError as error:
        raise pytest.UsageError(str(error)) from None


def _factory(config: pytest.Config) -> Factory | None:
    spec = config.getoption("eventmirror_client")
    if spec:
        return load_factory(spec)
    command = config.getoption("eventmirror_client_cmd")
    if command:
        from .process_client import ProcessFactory

        return ProcessFactory(command, config.getoption("eventmirror_client_timeout"))
    return None


_FACTORY = pytest.StashKey[Factory | None]()


@pytest.fixture(scope="session")
def eventmirror_client_factory(pytestconfig: pytest.Config) -> Iterator[Factory | None]:
    """The factory of clients under test the command line names (None: no client).

    Override it in a ``conftest.py`` to choose the client in code::

        @pytest.fixture(scope="session")
        def eventmirror_client_factory():
            return myclient.make_client
    """
    factory = pytestconfig.stash.get(_FACTORY, None)
    try:
        yield factory
    finally:
        close = getattr(factory, "close", None)
        if close is not None:
            close()  # a --eventmirror-client-cmd's processes end with the session


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ScenarioFile | None:
    if file_path.name.endswith(SUFFIX):
        file: ScenarioFile = ScenarioFile.from_parent(parent, path=file_path)
        return file
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[ScenarioItem]:
        from . import load

        try:
            scenarios = load(self.path)
        except ScenarioFileError as error:
            raise self.CollectError(str(error)) from None
        for scenario in scenarios:
            yield ScenarioItem.from_parent(
                self, name=scenario.name, callobj=_scenario_test, scenario=scenario
            )


def _scenario_test(eventmirror_client_factory: Factory | None) -> None:
    """What a scenario item asks of pytest's fixtures; :meth:`ScenarioItem.runtest` runs."""


class ScenarioFailed(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.scenario.name)
        self.outcome = outcome


class ScenarioItem(pytest.Function):
    """A scenario as a test. A :class:`pytest.Function` so that fixtures (the client under
    test's factory, and whatever a conftest.py provides) are set up and torn down for it."""

    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self) -> None:
        factory: Factory | None = self.funcargs[FIXTURE]  # type: ignore[assignment]
        outcome = run(self.scenario, factory)
        if not outcome.passed:
            raise ScenarioFailed(outcome)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, ScenarioFailed):
            return render_outcome(excinfo.value.outcome)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.scenario.line - 1, f"scenario: {self.scenario.name}"

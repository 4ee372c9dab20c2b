"""Scripted, deterministic scenarios: simulator commands and raw events in, mirrors checked.

A scenario file (``*.scenario.yaml``, docs/scenarios.md) holds one or more YAML documents,
each a scenario. :func:`load` reads and checks a file in full before anything runs;
:func:`run` runs one scenario, with a client under test in every session if given a factory
(:mod:`scenarios.client`, docs/client-testing.md); :func:`render_outcome` explains a failure.

The names are imported on first use, so ``eventmirror --help`` (which builds the scenario
subcommands from this package) does not pay for the simulator and the reducers.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import run
    from .model import Scenario
    from .outcome import Failure, Outcome
    from .report import render_outcome
    from .yamlload import ScenarioFileError

_LAZY = {
    "Failure": "outcome",
    "Outcome": "outcome",
    "run": "engine",
    "Scenario": "model",
    "render_outcome": "report",
    "ScenarioFileError": "yamlload",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(path: str | Path, *, max_bytes: int | None = None) -> list[Scenario]:
    """The scenarios in a file, checked; raises :class:`ScenarioFileError` with the line."""
    from .format import parse
    from .yamlload import MAX_BYTES, load_file

    path = Path(path)
    limit = MAX_BYTES if max_bytes is None else max_bytes
    return parse(load_file(path, max_bytes=limit), str(path))


def loads(text: str | bytes, path: str = "<text>") -> list[Scenario]:
    """The scenarios in a text, as :func:`load` reads a file."""
    from .format import parse
    from .yamlload import load_documents

    return parse(load_documents(text, path), path)


__all__ = [
    "Failure",
    "Outcome",
    "Scenario",
    "ScenarioFileError",
    "load",
    "loads",
    "render_outcome",
    "run",
]

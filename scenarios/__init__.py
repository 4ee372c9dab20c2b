"""Scripted, deterministic scenarios: simulator commands and raw events in, mirrors checked.

A scenario file (``*.scenario.yaml``, docs/scenarios.md) holds one or more YAML documents,
each a scenario. :func:`load` reads and checks a file in full before anything runs;
:func:`run` runs one scenario; :func:`render_outcome` explains a failure.
"""

from __future__ import annotations

from pathlib import Path

from .engine import Failure, Outcome, run
from .format import Scenario, parse
from .report import render_outcome
from .yamlload import MAX_BYTES, ScenarioFileError, load_documents, load_file


def load(path: str | Path, *, max_bytes: int = MAX_BYTES) -> list[Scenario]:
    """The scenarios in a file, checked; raises :class:`ScenarioFileError` with the line."""
    path = Path(path)
    return parse(load_file(path, max_bytes=max_bytes), str(path))


def loads(text: str | bytes, path: str = "<text>") -> list[Scenario]:
    """The scenarios in a text, as :func:`load` reads a file."""
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

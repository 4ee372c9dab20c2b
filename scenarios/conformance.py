"""The conformance report: what a run with a client under test says about that client.

Run over the bundled library (``eventmirror run --client ...`` with no path), it says per
ruling (a scenario's ``rulings:``, :mod:`scenarios.rulings`) and per event type whether the
client passed, failed or did not cover it:

- a ruling *failed* if a scenario showing it failed, *passed* if a scenario showing it passed
  and the client reported a part of the state the scenario's ``expect`` steps check (a section;
  of ``stream``, a field), and is *not covered* otherwise;
- an event type *failed* if a scenario failed at a step in which the failing session's client
  received it (the client disagreed right after it), *passed* if a client received it in a
  step that changed what the client reports and agreed afterwards, and is *not covered*
  otherwise.

A client is tested only on what it reports: a client of tags alone passes a chat scenario
without being tested by it, so the chat rulings and events are not covered, rather than passed.

The report is the same bytes on every run: everything in it is sorted.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from eventmirror.events import EVENT_TYPES

from .rulings import RULINGS

PASSED, FAILED, NOT_COVERED = "passed", "failed", "not covered"
_ORDER: Final = (FAILED, PASSED, NOT_COVERED)


@attrs.frozen
class Ran:
    """What one scenario that ran with a client contributes."""

    #: ``file:line name``, as the run's lines show it.
    where: str
    passed: bool
    rulings: tuple[str, ...]
    #: Event types received in steps that changed what a client reports, which it passed.
    covered: frozenset[str]
    #: Whether a client reported a part of the state the scenario's expect steps check.
    tested: bool
    #: Event types received in the failing step by the client that failed (empty: passed).
    blamed: frozenset[str]


@attrs.frozen
class Verdict:
    status: str
    #: How many scenarios in which it passed.
    passed_in: int
    #: The scenarios that failed on it.
    failed_in: tuple[str, ...]


def verdicts(ran: Iterable[Ran]) -> dict[str, dict[str, Verdict]]:
    """``{"rulings": {...}, "event_types": {...}}``, every ruling and event type a key."""
    scenarios = list(ran)
    rulings = {
        ruling: _verdict(
            [s.where for s in scenarios if ruling in s.rulings and s.passed and s.tested],
            [s.where for s in scenarios if ruling in s.rulings and not s.passed],
        )
        for ruling in sorted(RULINGS)
    }
    types = {
        kind: _verdict(
            [s.where for s in scenarios if kind in s.covered and kind not in s.blamed],
            [s.where for s in scenarios if kind in s.blamed],
        )
        for kind in sorted(EVENT_TYPES)
    }
    return {"rulings": rulings, "event_types": types}


def _verdict(passed: list[str], failed: list[str]) -> Verdict:
    status = FAILED if failed else PASSED if passed else NOT_COVERED
    return Verdict(status, len(passed), tuple(sorted(failed, key=_in_file_order)))


def _in_file_order(where: str) -> tuple[str, int, str]:
    """``objects.scenario.yaml:47 ...`` before ``objects.scenario.yaml:253 ...``."""
    place, _, name = where.partition(" ")
    file, _, line = place.rpartition(":")
    return (file, int(line), name) if line.isdigit() else (place, 0, name)


def text(client: str, found: Mapping[str, Mapping[str, Verdict]]) -> str:
    """The report for people: failures one a line with the scenarios, the rest as lists."""
    lines = [f"conformance of the client ({client}):"]
    for part, title in (("rulings", "rulings"), ("event_types", "event types")):
        verdicts_of = found[part]
        counts = ", ".join(
            f"{sum(v.status == status for v in verdicts_of.values())} {status}" for status in _ORDER
        )
        lines.append(f"  {title}: {counts}")
        for name, verdict in verdicts_of.items():
            if verdict.status == FAILED:
                lines.append(f"    FAIL {name}: {'; '.join(verdict.failed_in)}")
        for status in (PASSED, NOT_COVERED):
            names = [name for name, v in verdicts_of.items() if v.status == status]
            if names:
                lines += textwrap.wrap(
                    ", ".join(names),
                    width=100,
                    initial_indent=f"    {status}: ",
                    subsequent_indent="      ",
                    break_on_hyphens=False,
                )
    return "\n".join(lines) + "\n"


def document(client: str, found: Mapping[str, Mapping[str, Verdict]]) -> dict[str, Any]:
    """The report as JSON-ready data (``run --json``'s ``conformance``)."""
    return {
        "client": client,
        **{
            part: {
                name: {
                    "status": verdict.status,
                    "passed_in": verdict.passed_in,
                    "failed_in": list(verdict.failed_in),
                }
                for name, verdict in verdicts_of.items()
            }
            for part, verdicts_of in found.items()
        },
        "summary": {
            part: {
                status: sum(v.status == status for v in verdicts_of.values()) for status in _ORDER
            }
            for part, verdicts_of in found.items()
        },
    }


__all__ = ["FAILED", "NOT_COVERED", "PASSED", "Ran", "Verdict", "document", "text", "verdicts"]

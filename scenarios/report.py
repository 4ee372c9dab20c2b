"""Failure reports that teach: where, what was written, what it meant, and what differed.

Everything a report shows is in the scenario's own terms: UUIDs appear as the ``$name`` the
scenario gave them, values in YAML's flow style, state by path (``objects.$hans.tag[0]``).
Reports are deterministic text, the same bytes on every machine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from eventmirror.errors import plural
from reducers.agreement import Disagreement

from .format import STEP_KEYS
from .matching import MISSING, Difference, Regex, Unordered, _Marker
from .names import Symbolic
from .outcome import Outcome

_PLAIN = re.compile(r"^[A-Za-z_$/][A-Za-z0-9_ $./@:+-]*$")
_NOT_PLAIN = {"true", "false", "null", "True", "False", "Null", "NULL", "TRUE", "FALSE", "~"}
_CELL = 64
_STEP_SHOWN = 600


def flow(value: Any) -> str:
    """A value in YAML flow style, on one line, as a scenario would write it."""
    if isinstance(value, _Marker):
        return repr(value)
    if isinstance(value, Regex):
        return f"!regex {flow(value.pattern)}"
    if isinstance(value, Unordered):
        return f"!unordered {flow(value.items)}"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{flow(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(item) for item in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        plain = _PLAIN.match(value) and value not in _NOT_PLAIN and not value.endswith(" ")
        return value if plain else json.dumps(value, ensure_ascii=False)
    return json.dumps(value)


def path_text(path: Sequence[str | int]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(the whole value)"


def render_outcome(outcome: Outcome) -> str:
    """The report of a failed scenario (empty for one that passed)."""
    failure = outcome.failure
    if failure is None:
        return ""
    scenario = outcome.scenario
    names_of = Symbolic(outcome.names)
    step = failure.step
    lines = [
        f"{scenario.path}:{step.line}: scenario {scenario.name!r}, "
        f"step {step.index + 1} ({_kind(step.written)}) failed",
        f"  {names_of.text(failure.headline).replace('$$', '$')}",
        f"  as written:  {_shortened(flow(step.written))}",
    ]
    resolved = flow(failure.resolved)
    if resolved != flow(step.written):
        lines.append(f"  as resolved: {_shortened(resolved)}")
    if failure.differences:
        lines += _differences(failure.differences, names_of)
    if failure.events is not None:
        lines += _event_table(failure.events, names_of)
    if failure.bodies is not None:
        lines += _received(failure.session, failure.bodies, names_of)
    if failure.disagreements:
        lines += _disagreements(failure.disagreements, names_of)
    return "\n".join(lines) + "\n"


def _shortened(text: str) -> str:
    # A pinned whole mirror is tens of kilobytes; the differences below say what matters.
    if len(text) <= _STEP_SHOWN:
        return text
    return f"{text[:_STEP_SHOWN]}… ({len(text) - _STEP_SHOWN:,} more characters)"


def _kind(written: Mapping[str, Any]) -> str:
    kind = next(key for key in written if key in STEP_KEYS)
    return f"{kind}: {flow(written[kind])}"


def _differences(differences: Sequence[Difference], names_of: Symbolic) -> list[str]:
    lines = ["  differences (UUIDs shown by their $names):"]
    for difference in differences:
        path = path_text([names_of(part) for part in difference.path])
        expected = _value(difference.expected, names_of)
        actual = _value(difference.actual, names_of)
        note = f"  ({difference.note})" if difference.note else ""
        lines += [
            f"    {path}{note}",
            f"      expected: {expected}",
            f"      actual:   {actual}",
        ]
    return lines


def _received(
    session: str | None, bodies: Sequence[Sequence[Any]], names_of: Symbolic
) -> list[str]:
    """What the client received in the failing step: one row per event, by body."""
    if not any(bodies):
        return [f"  the client of session {session} received no events in this step"]
    count = sum(map(len, bodies))
    lines = [
        f"  the client of session {session} received in this step "
        f"({plural(len(bodies), 'body', 'bodies')}, {plural(count, 'event')}):",
        "    body    #  event",
    ]
    for number, body in enumerate(bodies, 1):
        for position, event in enumerate(body):
            shown = flow(names_of(event)) if isinstance(event, Mapping) else _raw(event)
            lines.append(f"    {number:>4}  {position:>3}  {_cell(shown)}")
    return lines


def _raw(item: Any) -> str:
    return f"(not an event) {flow(item)}"


def _cell(text: str) -> str:
    limit = 2 * _STEP_SHOWN // 3
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _disagreements(found: Sequence[Disagreement], names_of: Symbolic) -> list[str]:
    """The comparison's findings by path, in the scenario's terms."""
    lines = ["  the client's state against the mirror (UUIDs shown by their $names):"]
    for disagreement in found:
        path = path_text([names_of(part) for part in _parts(disagreement.path)])
        kind = disagreement.kind
        if kind in ("unknown section", "not an object"):
            reported = flow(names_of(disagreement.reported))
            lines += [f"    {path}  ({kind}{disagreement.hint})", f"      client:   {reported}"]
            continue
        note = {"missing": "  (the client lacks it)", "extra": "  (the mirror has none)"}
        expected = "(not there)" if kind == "extra" else flow(names_of(disagreement.expected))
        reported = "(not there)" if kind == "missing" else flow(names_of(disagreement.reported))
        lines += [
            f"    {path}{note.get(kind, '')}",
            f"      mirror:   {expected}",
            f"      client:   {reported}",
        ]
    return lines


def _parts(pointer: str) -> list[str]:
    """A JSON Pointer's reference tokens (RFC 6901), unescaped."""
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]


def _value(value: Any, names_of: Symbolic) -> str:
    if value is MISSING:
        return "(not there)"
    return flow(names_of(value))


def _event_table(rows: Sequence[tuple[Any, Any, bool]], names_of: Symbolic) -> list[str]:
    """Expected | actual, one event a row; rows that differ are marked with X."""
    cells = []
    for expected, actual, same in rows:
        left = "(nothing)" if expected is None else flow(names_of(expected))
        right = "(nothing)" if actual is None else _actual_cell(expected, actual, same, names_of)
        cells.append((left, right, same))
    width = min(_CELL, max(len("expected"), *(len(left) for left, _, _ in cells)))
    lines = [f"      #  {'expected'.ljust(width)} | actual"]
    for position, (left, right, same) in enumerate(cells):
        mark = " " if same else "X"
        lines.append(f"  {mark} {position:>3}  {left.ljust(width)} | {right}")
    return lines


def _actual_cell(expected: Any, actual: Any, same: bool, names_of: Symbolic) -> str:
    if not isinstance(actual, Mapping):
        return f"(not an event) {flow(actual)}"
    if same and isinstance(expected, Mapping):
        # A matching row shows what the expectation looked at, so the table stays readable.
        keys = ["id", "event", *(key for key in expected if key not in ("id", "event"))]
        actual = {key: actual[key] for key in keys if key in actual}
    return flow(names_of(actual))

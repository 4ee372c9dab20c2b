"""The corpus's output: a table of its recordings with their totals, or the same as JSON.

Built from the reports and the totals alone, with no timings, engine or job count in it: the
same corpus prints the same bytes on any engine, run after run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import msgspec

from ..errors import plural
from .report import RESULTS, RecordingReport, Tally, Totals

#: The table's number columns: heading and how a tally gives it. ``dups``: duplicate ids;
#: ``unknown``: events of a type the reference does not define; ``fields``: fields outside
#: the reference; ``anomalies``: events rejected or applied but inconsistent.
COLUMNS: Final[tuple[tuple[str, Callable[[Tally], int]], ...]] = (
    ("read", lambda tally: tally.read),
    ("applied", lambda tally: tally.applied),
    ("dups", lambda tally: tally.duplicates),
    ("gaps", lambda tally: tally.gaps),
    ("resets", lambda tally: tally.resets),
    ("unknown", lambda tally: tally.unknown),
    ("fields", lambda tally: sum(tally.unknown_fields.values())),
    ("anomalies", lambda tally: tally.anomalies),
)


def text(reports: Sequence[RecordingReport], totals: Totals, rejects_dir: str | None) -> str:
    """The table, one row a recording and a row of totals, then what the totals hold."""
    outcome = [f"{totals.ok:,} ok"]
    if totals.strict_failures:
        outcome.append(plural(totals.strict_failures, "strict failure"))
    if totals.unusable:
        outcome.append(f"{totals.unusable:,} unusable")
    lines = [f"replayed {plural(totals.recordings, 'recording')}: {', '.join(outcome)}", ""]
    lines += _table(reports, totals)
    lines += _counts("unknown event types", totals.tally.unknown_types)
    lines += _counts("fields outside the reference (event_type.field)", totals.tally.unknown_fields)
    lines += _anomalies(totals.tally.anomaly_paths)
    for status, title in ((1, "strict failures"), (2, "unusable recordings")):
        failures = [failure for failure in totals.failures if failure.status == status]
        if failures:
            lines += ["", title]
            lines += [f"  #{failure.index} {failure.error}" for failure in failures]
    if rejects_dir is not None:
        lines += ["", f"rejected lines: {totals.rejects:,} written to {rejects_dir}"]
    return "\n".join(lines) + "\n"


def _table(reports: Sequence[RecordingReport], totals: Totals) -> list[str]:
    headings = ["#", "recording", *(name for name, _ in COLUMNS), "result"]
    rows = [
        [str(report.index), report.path, *_numbers(report.tally), report.result]
        for report in reports
    ]
    rows.append(["", "all", *_numbers(totals.tally), ""])
    widths = [max(len(row[column]) for row in [headings, *rows]) for column in range(len(headings))]
    left = {1, len(headings) - 1}  # the path and the result read left-aligned

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell.ljust(width) if column in left else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "  " + "  ".join(padded).rstrip()

    return [line(headings), *(line(row) for row in rows)]


def _numbers(tally: Tally) -> list[str]:
    return [f"{count(tally):,}" for _, count in COLUMNS]


def _by_count(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _counts(title: str, counts: Mapping[str, int]) -> list[str]:
    if not counts:
        return ["", f"{title}: none"]
    width = max(len(name) for name in counts)
    return ["", title, *(f"  {name:<{width}}  {count:>8,}" for name, count in _by_count(counts))]


def _anomalies(groups: Mapping[str, Mapping[str, int]]) -> list[str]:
    title = "anomalies by event type and JSON path"
    if not groups:
        return ["", f"{title}: none"]
    rows = [
        (event, path, count) for event, paths in groups.items() for path, count in paths.items()
    ]
    rows.sort(key=lambda row: (-row[2], row[0], row[1]))
    event_width = max(len(row[0]) for row in rows)
    path_width = max(len(row[1]) for row in rows)
    return [
        "",
        title,
        *(f"  {e:<{event_width}}  {p:<{path_width}}  {n:>8,}" for e, p, n in rows),
    ]


def json_document(reports: Sequence[RecordingReport], totals: Totals) -> bytes:
    """``--json``: ``{"recordings": [one object a recording], "totals": {...}}``, keys
    sorted, indented by two spaces."""
    document = {
        "recordings": [_report_json(report) for report in reports],
        "totals": _totals_json(totals),
    }
    encoded = msgspec.json.encode(document, order="sorted")
    return msgspec.json.format(encoded, indent=2) + b"\n"


def _tally_json(tally: Tally) -> dict[str, Any]:
    fields: dict[str, Any] = msgspec.to_builtins(tally)
    return fields


def _report_json(report: RecordingReport) -> dict[str, Any]:
    return {
        "index": report.index,
        "path": report.path,
        "status": report.status,
        "result": report.result,
        "error": report.error,
        "until": report.until,
        "rejects": report.rejects,
        **_tally_json(report.tally),
    }


def _totals_json(totals: Totals) -> dict[str, Any]:
    return {
        "recordings": totals.recordings,
        "ok": totals.ok,
        "strict_failures": totals.strict_failures,
        "unusable": totals.unusable,
        "status": totals.status,
        "rejects": totals.rejects,
        **_tally_json(totals.tally),
        "failures": [
            {"index": f.index, "path": f.path, "result": RESULTS[f.status], "error": f.error}
            for f in totals.failures
        ],
    }

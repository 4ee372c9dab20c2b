"""What one replayed recording comes to, and the totals over a corpus: a monoid.

A worker replays one recording and sends back a :class:`RecordingReport`, a few hundred bytes
that pickle cheaply (never the mirror). :class:`Totals` add up: :data:`NO_TOTALS` is the
identity and :meth:`Totals.merge` is associative and commutative, so the local process pool
and Dask may combine reports in any grouping and order and come to the same totals. Both
engines, the text table and ``--json`` use these types and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import msgspec

if TYPE_CHECKING:
    from reducers import Anomaly, Mirror

EXIT_OK, EXIT_INPUT_ERROR, EXIT_USAGE = 0, 1, 2
#: What each exit status of one recording is called in the table and in ``--json``.
RESULTS: Final[Mapping[int, str]] = {
    EXIT_OK: "ok",
    EXIT_INPUT_ERROR: "strict failure",
    EXIT_USAGE: "unusable",
}
#: Anomalies are grouped by event type and JSON path; these stand in where one is unknown.
NO_EVENT_TYPE: Final = "(no event type)"
WHOLE_RECORD: Final = "(whole record)"
#: A mirror keeps its first ``reducers.KEEP`` anomalies in full and only counts the rest.
NOT_KEPT: Final = "(not kept)"

# A list index or a map key in a JSON path: [3], ["1de7…"] (a JSON string, which may hold a
# "]"), [key "x"].
_SUBSCRIPT: Final = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|key "(?:[^"\\]|\\.)*"|[^\]]*)\]')

Counts = dict[str, int]


def _add(left: Counts, right: Counts) -> Counts:
    if not right:
        return left
    if not left:
        return right
    total = dict(left)
    for key, count in right.items():
        total[key] = total.get(key, 0) + count
    return total


def _add_nested(left: dict[str, Counts], right: dict[str, Counts]) -> dict[str, Counts]:
    if not right:
        return left
    if not left:
        return right
    total = dict(left)
    for key, counts in right.items():
        total[key] = _add(total.get(key, {}), counts)
    return total


def anomaly_path(path: str | None) -> str:
    """The JSON path an anomaly is grouped under: the path of the field that was wrong, with
    every list index and map key written ``[*]`` (``message[2].uuid`` and ``message[0].uuid``
    are the same fault; a map's keys are UUIDs that differ from one recording to the next),
    or ``(whole record)`` when the record as a whole was wrong (not JSON, not an object)."""
    if not path:
        return WHOLE_RECORD
    return _SUBSCRIPT.sub("[*]", path)


def group_anomalies(anomalies: Iterable[Anomaly], total: int) -> dict[str, Counts]:
    """Anomalies counted by event type, then JSON path; those past the kept ones (``total``
    counts them all) under ``(not kept)``, so the counts always add up to ``total``."""
    groups: dict[str, Counts] = {}
    kept = 0
    for anomaly in anomalies:
        paths = groups.setdefault(anomaly.event or NO_EVENT_TYPE, {})
        path = anomaly_path(anomaly.path)
        paths[path] = paths.get(path, 0) + 1
        kept += 1
    if total > kept:
        groups[NOT_KEPT] = {NOT_KEPT: total - kept}
    return groups


class Tally(msgspec.Struct, frozen=True, kw_only=True):
    """The counts of one recording, or of many added up with ``+``."""

    read: int = 0
    applied: int = 0
    duplicates: int = 0
    #: Gaps in the ids (a mirror keeps its first ``reducers.KEEP`` and counts the ids past
    #: them in ``missing``, which is always exact).
    gaps: int = 0
    missing: int = 0
    resets: int = 0
    unknown: int = 0
    anomalies: int = 0
    rejected: int = 0
    inconsistent: int = 0
    #: Events of a type the reference does not define, by type name.
    unknown_types: Counts = msgspec.field(default_factory=dict)
    #: Fields outside the reference, by ``event_type.field``.
    unknown_fields: Counts = msgspec.field(default_factory=dict)
    #: Anomalies by event type, then by JSON path (:func:`anomaly_path`).
    anomaly_paths: dict[str, Counts] = msgspec.field(default_factory=dict)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            read=self.read + other.read,
            applied=self.applied + other.applied,
            duplicates=self.duplicates + other.duplicates,
            gaps=self.gaps + other.gaps,
            missing=self.missing + other.missing,
            resets=self.resets + other.resets,
            unknown=self.unknown + other.unknown,
            anomalies=self.anomalies + other.anomalies,
            rejected=self.rejected + other.rejected,
            inconsistent=self.inconsistent + other.inconsistent,
            unknown_types=_add(self.unknown_types, other.unknown_types),
            unknown_fields=_add(self.unknown_fields, other.unknown_fields),
            anomaly_paths=_add_nested(self.anomaly_paths, other.anomaly_paths),
        )

    @classmethod
    def of(cls, mirror: Mirror | None, read: int) -> Tally:
        """The counts of ``mirror`` after ``read`` records (None: nothing could be replayed)."""
        if mirror is None:
            return cls(read=read)
        health = mirror.health
        return cls(
            read=read,
            applied=mirror.applied,
            duplicates=health.duplicates,
            gaps=len(health.gaps),
            missing=health.missing,
            resets=health.reset_count,
            unknown=health.unknown,
            anomalies=health.anomaly_count,
            rejected=health.rejected,
            inconsistent=health.inconsistent,
            unknown_types=dict(health.unknown_types),
            unknown_fields=dict(health.unknown_fields),
            anomaly_paths=group_anomalies(health.anomalies, health.anomaly_count),
        )


class RecordingReport(msgspec.Struct, frozen=True, kw_only=True):
    """One recording of the corpus, replayed: where it sits, how it went, its counts."""

    #: Its place in the corpus, from 1, in the corpus's sorted order.
    index: int
    #: Its path as the corpus names it (see :mod:`eventmirror.fleet.corpus`).
    path: str
    #: The exit status ``replay`` gives this recording alone: 0 ok, 1 strict failure,
    #: 2 unusable (unreadable, empty, binary, not one event in it).
    status: int = EXIT_OK
    #: Why the replay stopped (status 1) or could not start (status 2).
    error: str | None = None
    #: Where ``--until-id`` stopped it, in words.
    until: str | None = None
    #: Rejected lines written to its rejects file (``--rejects DIR``), else None.
    rejects: int | None = None
    tally: Tally = msgspec.field(default_factory=Tally)

    @property
    def result(self) -> str:
        return RESULTS[self.status]


class Failure(msgspec.Struct, frozen=True, order=True, array_like=True):
    """A recording that did not replay to its end: a strict failure or unusable input."""

    index: int
    path: str
    status: int
    error: str


class Totals(msgspec.Struct, frozen=True, kw_only=True):
    """A corpus's reports added up. Build with :meth:`of` and :meth:`merge`, starting from
    :data:`NO_TOTALS`; any grouping and order gives the same value."""

    recordings: int = 0
    ok: int = 0
    strict_failures: int = 0
    unusable: int = 0
    rejects: int = 0
    tally: Tally = msgspec.field(default_factory=Tally)
    #: Every strict failure and unusable recording, in corpus order.
    failures: tuple[Failure, ...] = ()

    @classmethod
    def of(cls, report: RecordingReport) -> Totals:
        failures: tuple[Failure, ...] = ()
        if report.status != EXIT_OK:
            error = report.error or RESULTS[report.status]
            failures = (Failure(report.index, report.path, report.status, error),)
        return cls(
            recordings=1,
            ok=int(report.status == EXIT_OK),
            strict_failures=int(report.status == EXIT_INPUT_ERROR),
            unusable=int(report.status == EXIT_USAGE),
            rejects=report.rejects or 0,
            tally=report.tally,
            failures=failures,
        )

    def merge(self, other: Totals) -> Totals:
        return Totals(
            recordings=self.recordings + other.recordings,
            ok=self.ok + other.ok,
            strict_failures=self.strict_failures + other.strict_failures,
            unusable=self.unusable + other.unusable,
            rejects=self.rejects + other.rejects,
            tally=self.tally + other.tally,
            failures=tuple(sorted(self.failures + other.failures)),
        )

    @property
    def status(self) -> int:
        """The corpus's exit status: the worst of its recordings' (2 if any was unusable,
        else 1 if any failed in strict mode, else 0)."""
        if self.unusable:
            return EXIT_USAGE
        return EXIT_INPUT_ERROR if self.strict_failures else EXIT_OK


NO_TOTALS: Final = Totals()


def totals_of(reports: Iterable[RecordingReport]) -> Totals:
    total = NO_TOTALS
    for report in reports:
        total = total.merge(Totals.of(report))
    return total


def to_builtins(value: Any) -> Any:
    """Plain JSON-ready values for a report or the totals, keys in the order given."""
    return msgspec.to_builtins(value)

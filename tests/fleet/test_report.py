"""The per-recording reports and their totals: a monoid, whatever the grouping and order."""

from __future__ import annotations

import functools
from collections import Counter

import msgspec
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror.fleet.report import (
    NO_TOTALS,
    NOT_KEPT,
    WHOLE_RECORD,
    RecordingReport,
    Tally,
    Totals,
    anomaly_path,
    group_anomalies,
    totals_of,
)
from tests.support import ME, Stream

names = st.sampled_from(["tag_new", "chat_message", "weird", "x.y", "(other fields)"])
counts = st.dictionaries(names, st.integers(1, 50), max_size=4)
small = st.integers(0, 1_000)
tallies = st.builds(
    Tally,
    read=small,
    applied=small,
    duplicates=small,
    gaps=small,
    missing=small,
    resets=small,
    unknown=small,
    anomalies=small,
    rejected=small,
    inconsistent=small,
    unknown_types=counts,
    unknown_fields=counts,
    anomaly_paths=st.dictionaries(names, counts.filter(bool), max_size=3),
)


@st.composite
def corpora(draw: st.DrawFn) -> list[RecordingReport]:
    """Reports of a corpus: distinct indexes, as the engines produce them, in any order."""
    size = draw(st.integers(0, 8))
    reports = [
        RecordingReport(
            index=index,
            path=f"r{index}.jsonl",
            status=(status := draw(st.sampled_from([0, 0, 1, 2]))),
            error=None if status == 0 else draw(st.sampled_from(["bad", "worse"])),
            rejects=draw(st.none() | small),
            tally=draw(tallies),
        )
        for index in range(1, size + 1)
    ]
    return draw(st.permutations(reports))


def flatten(groups: dict[str, dict[str, int]]) -> Counter[tuple[str, str]]:
    return Counter(
        {(event, path): n for event, paths in groups.items() for path, n in paths.items()}
    )


def merge_all(totals: list[Totals]) -> Totals:
    return functools.reduce(Totals.merge, totals, NO_TOTALS)


@st.composite
def groupings(draw: st.DrawFn, reports: list[RecordingReport]) -> Totals:
    """The totals of ``reports`` merged as a random tree of sub-totals."""
    if len(reports) <= 1:
        return merge_all([Totals.of(report) for report in reports])
    cut = draw(st.integers(1, len(reports) - 1))
    left = draw(groupings(reports[:cut]))
    right = draw(groupings(reports[cut:]))
    return right.merge(left) if draw(st.booleans()) else left.merge(right)


@given(corpora(), st.data())
def test_any_grouping_and_order_gives_the_same_totals(
    reports: list[RecordingReport], data: st.DataObject
) -> None:
    in_order = totals_of(sorted(reports, key=lambda report: report.index))
    assert data.draw(groupings(reports)) == in_order
    shuffled = data.draw(st.permutations(reports))
    assert totals_of(shuffled) == in_order


@given(corpora(), corpora(), corpora())
def test_merge_is_associative_with_an_identity(
    a: list[RecordingReport], b: list[RecordingReport], c: list[RecordingReport]
) -> None:
    x, y, z = totals_of(a), totals_of(b), totals_of(c)
    assert x.merge(y).merge(z) == x.merge(y.merge(z))
    assert x.merge(NO_TOTALS) == x == NO_TOTALS.merge(x)


@given(corpora())
def test_the_totals_add_up_the_reports(reports: list[RecordingReport]) -> None:
    totals = totals_of(reports)
    assert totals.recordings == len(reports) == totals.ok + totals.strict_failures + totals.unusable
    for field in msgspec.structs.fields(Tally):
        values = [getattr(report.tally, field.name) for report in reports]
        total = getattr(totals.tally, field.name)
        if field.name == "anomaly_paths":
            assert flatten(total) == sum(map(flatten, values), Counter())
        elif isinstance(total, dict):
            assert total == sum((Counter(value) for value in values), Counter())
        else:
            assert total == sum(values), field.name
    assert [failure.index for failure in totals.failures] == sorted(
        report.index for report in reports if report.status != 0
    )
    worst = max((report.status for report in reports), default=0)
    assert totals.status == worst


def test_anomaly_paths_name_the_field_with_every_index_and_key_as_a_star() -> None:
    assert anomaly_path("message[2].uuid") == "message[*].uuid"
    assert anomaly_path('policy["1de7]x"]') == "policy[*]"
    assert anomaly_path('member[key "a\\"]"].hand') == "member[*].hand"
    assert anomaly_path("tag") == "tag"
    assert anomaly_path(None) == anomaly_path("") == WHOLE_RECORD


def test_a_tally_counts_the_mirror_and_groups_its_anomalies() -> None:
    stream = Stream(me=ME)
    stream.add("tag_delete", tag="t1")
    stream.add("weird_thing")
    stream.add("tag_delete", tag=7)
    stream.add("tag_delete", tag=[1])
    mirror = stream.fold(strict=False)
    tally = Tally.of(mirror, read=4)
    assert (tally.read, tally.applied, tally.unknown, tally.anomalies) == (4, 1, 1, 2)
    assert tally.unknown_types == {"weird_thing": 1}
    assert tally.anomaly_paths == {"tag_delete": {"tag": 2}}
    assert Tally.of(None, read=3) == Tally(read=3)


def test_anomalies_past_the_kept_ones_count_as_not_kept() -> None:
    kept = [reducers.Anomaly("rejected", "bad", event="tag_new", path="tag[0]")] * 2
    assert group_anomalies(kept, total=5) == {"tag_new": {"tag[*]": 2}, NOT_KEPT: {NOT_KEPT: 3}}

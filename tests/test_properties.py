"""Properties of every mirror, for any valid stream of any event types."""

from __future__ import annotations

import io
from typing import Any

import immutables
import msgspec
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror import strategies
from reducers._draft import Draft
from tests.support import ME

streams = strategies.wire_streams(max_size=40)


def encoded(stream: list[dict[str, Any]]) -> list[bytes]:
    return [msgspec.json.encode(e) for e in stream]


def snapshot(mirror: reducers.Mirror) -> tuple[bytes, object]:
    return reducers.dumps(mirror), list(mirror.timers)


@given(streams, strategies.wire_events(), st.sampled_from([None, ME]))
def test_apply_never_mutates_its_input(
    stream: list[dict[str, Any]], extra: dict[str, Any], me: str | None
) -> None:
    mirror = reducers.fold(encoded(stream), me=me)
    before = snapshot(mirror)
    follow_up = {**extra, "id": len(stream)}
    reducers.apply(mirror, msgspec.json.encode(follow_up))
    reducers.apply(mirror, follow_up)
    reducers.advance(mirror, (mirror.now or 0) + 3600)
    assert snapshot(mirror) == before


@given(streams, st.data())
def test_folding_in_two_halves_with_a_json_round_trip_equals_folding_whole(
    stream: list[dict[str, Any]], data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(stream)))
    lines = encoded(stream)
    whole = reducers.fold(lines, me=ME)
    first = reducers.fold(lines[:cut], me=ME)
    resumed = reducers.fold(lines[cut:], reducers.loads(reducers.dumps(first)))
    assert resumed == whole
    assert reducers.dumps(resumed) == reducers.dumps(whole)


@given(streams, st.data())
def test_delivering_any_event_twice_changes_nothing(
    stream: list[dict[str, Any]], data: st.DataObject
) -> None:
    lines = encoded(stream)
    once = reducers.fold(lines, me=ME)
    repeated = (
        data.draw(st.sets(st.integers(0, max(len(lines) - 1, 0)), max_size=5)) if lines else set()
    )
    twice_lines: list[bytes] = []
    for index, line in enumerate(lines):
        twice_lines.append(line)
        if index in repeated:
            twice_lines.append(line)
    twice = reducers.fold(twice_lines, me=ME)
    assert twice.same_state(once)
    assert (twice.last_id, twice.now, twice.applied) == (once.last_id, once.now, once.applied)
    assert twice.health.duplicates == once.health.duplicates + len(repeated)


@given(streams)
def test_fold_equals_applying_one_by_one(stream: list[dict[str, Any]]) -> None:
    lines = encoded(stream)
    mirror = reducers.empty(ME)
    for line in lines:
        mirror = reducers.apply(mirror, line)
    assert mirror == reducers.fold(lines, me=ME)


@given(streams, st.data())
def test_fold_with_irregular_events_anywhere_equals_applying_one_by_one(
    stream: list[dict[str, Any]], data: st.DataObject
) -> None:
    # Fold edits its private mirror in place and leaves that for apply at any irregular event
    # (a duplicate, a gap, a line that does not decode, time going backwards): its drafts must
    # be made persistent at exactly those points, wherever they fall.
    lines = encoded(stream)
    irregular = [b"{not json", b'{"id": 0, "event": "tag_new"}', *lines[:1]]
    for _ in range(data.draw(st.integers(0, 4))):
        at = data.draw(st.integers(0, len(lines)))
        lines.insert(at, data.draw(st.sampled_from(irregular)))
    if data.draw(st.booleans()) and lines:
        del lines[data.draw(st.integers(0, len(lines) - 1))]  # a gap, if it was not the last
    mirror = reducers.empty(ME)
    for line in lines:
        mirror = reducers.apply(mirror, line)
    folded = reducers.fold(lines, me=ME)
    assert folded == mirror
    assert persistent_slices(folded)


@given(streams, st.data())
def test_fold_never_changes_the_mirror_it_continues(
    stream: list[dict[str, Any]], data: st.DataObject
) -> None:
    lines = encoded(stream)
    cut = data.draw(st.integers(0, len(lines)))
    start = reducers.fold(lines[:cut], me=ME)
    before = snapshot(start)
    resumed = reducers.fold(lines[cut:], start)
    assert snapshot(start) == before
    assert resumed == reducers.fold(lines, me=ME) and persistent_slices(resumed)


def persistent_slices(mirror: reducers.Mirror) -> bool:
    """Every slice of a mirror fold returns is a persistent map, and so is every map inside
    it, at any depth (no draft left behind)."""
    return all(_no_drafts(getattr(mirror, name)) for name in reducers.SLICES)


def _no_drafts(value: object, depth: int = 0) -> bool:
    if isinstance(value, Draft):
        return False
    if depth > 4:  # a slice, an entry, its maps and theirs: deeper is plain JSON
        return True
    if isinstance(value, immutables.Map):
        return all(_no_drafts(inner, depth + 1) for inner in value.values())
    if isinstance(value, msgspec.Struct):
        return all(_no_drafts(inner, depth + 1) for inner in msgspec.structs.astuple(value))
    return True


@given(st.lists(strategies.json_values(max_leaves=10), max_size=10))
def test_lenient_apply_survives_any_json(values: list[Any]) -> None:
    mirror = reducers.empty(ME)
    for value in values:
        mirror = reducers.apply(mirror, msgspec.json.encode(value))
    health = mirror.health
    assert mirror.applied + health.duplicates + health.unknown + health.rejected == len(values)


@given(streams)
def test_valid_streams_fold_strictly_except_for_tree_cycles(stream: list[dict[str, Any]]) -> None:
    mirror = reducers.fold(encoded(stream), me=ME)
    health = mirror.health
    assert health.gaps == () and health.duplicates == 0 and health.unknown == 0
    assert mirror.applied + health.rejected == len(stream)
    # The only way a generated valid event is rejected: a node put below itself through a
    # parent deeper in the tree (each event is valid alone; the tree makes it a cycle).
    rejected = [a for a in health.anomalies if a.kind == "rejected"]
    assert all(a.event in ("file_new", "file_modify") and a.path == "parent" for a in rejected)


@given(streams, st.sampled_from(["lines", "body", "pretty body"]))
def test_folding_a_file_equals_folding_its_lines(stream: list[dict[str, Any]], form: str) -> None:
    lines = encoded(stream)
    if form == "lines":
        data = b"".join(line + b"\n" for line in lines)
    else:
        body = msgspec.json.encode(stream)
        data = msgspec.json.format(body, indent=2) if form == "pretty body" else body
    from_file = reducers.fold(io.BytesIO(data), me=ME)
    # The same mirror, but that the file's anomalies (a tree cycle) know their lines.
    health = from_file.health
    unlined = tuple(msgspec.structs.replace(a, line=None) for a in health.anomalies)
    assert all(a.line is not None for a in health.anomalies)
    health = msgspec.structs.replace(health, anomalies=unlined)
    assert msgspec.structs.replace(from_file, health=health) == reducers.fold(lines, me=ME)

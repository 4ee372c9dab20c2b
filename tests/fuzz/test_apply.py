"""Folding hostile streams: lenient never raises and accounts for every input, strict raises
only EventError, a bad event never costs a valid one, and misordered ids and clocks are
counted exactly as the stream rules say."""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror import strategies
from eventmirror.errors import EventError
from tests.fuzz.hostile import broken_events, hostile_lines, misordered_ids
from tests.fuzz.properties import (
    account,
    check_lenient,
    check_strict,
    decode_outcome,
    readable_id,
    understood,
)

streams = strategies.wire_streams(max_size=12)


def encoded(stream: list[dict[str, Any]]) -> list[bytes]:
    return [msgspec.json.encode(event) for event in stream]


@given(
    st.lists(
        st.one_of(hostile_lines(), strategies.wire_events().map(msgspec.json.encode)), max_size=12
    )
)
def test_any_mix_of_lines_folds_leniently_and_strictly_without_surprises(
    lines: list[bytes],
) -> None:
    lenient = check_lenient(lines)
    check_strict(lines, lenient)


@given(streams, st.data())
def test_a_rejected_event_costs_no_valid_event_after_it(
    stream: list[dict[str, Any]], data: st.DataObject
) -> None:
    """Events broken in place keep their ids: each is rejected (or, if still valid, applied)
    and the stream goes on as if an event of an unknown type had stood there."""
    lines = encoded(stream)
    expected = list(lines)
    for index in (
        data.draw(st.sets(st.integers(0, max(len(lines) - 1, 0)), max_size=4)) if lines else ()
    ):
        broken = data.draw(broken_events(id=index)).data
        if isinstance(decode_outcome(broken), EventError) and _id_kept(broken, index):
            lines[index] = broken
            # An event of a type nobody knows, without a time: it only takes up its id.
            expected[index] = msgspec.json.encode({"id": index, "event": "stand_in"})
    mirror = check_lenient(lines)
    stand_in = reducers.fold(expected)
    assert mirror.same_state(stand_in)
    assert (mirror.last_id, mirror.now, mirror.applied) == (
        stand_in.last_id,
        stand_in.now,
        stand_in.applied,
    )
    assert mirror.health.rejected == stand_in.health.rejected + stand_in.health.unknown
    assert mirror.health.gaps == () and mirror.health.duplicates == 0


def _id_kept(data: bytes, event_id: int) -> bool:
    """Whether a broken event still carries its id readably (a broken id makes it a line the
    cursor cannot place: rejected without moving)."""
    return readable_id(understood(data)) == event_id


@given(streams, st.data())
def test_lines_without_a_readable_id_are_rejected_and_change_nothing_else(
    stream: list[dict[str, Any]], data: st.DataObject
) -> None:
    lines = encoded(stream)
    mixed: list[bytes] = []
    garbage = 0
    for line in [*lines, None]:
        extra = data.draw(st.lists(hostile_lines(idless=True), max_size=2))
        mixed.extend(extra)
        garbage += len(extra)
        if line is not None:
            mixed.append(line)
    clean = reducers.fold(lines)
    mirror = check_lenient(mixed)
    check_strict(mixed, mirror)
    assert mirror.same_state(clean)
    assert (mirror.last_id, mirror.now, mirror.applied) == (clean.last_id, clean.now, clean.applied)
    assert mirror.health.rejected == clean.health.rejected + garbage


@given(streams, st.data())
def test_ids_and_times_out_of_order_are_counted_as_the_stream_rules_say(
    stream: list[dict[str, Any]], data: st.DataObject
) -> None:
    ids = data.draw(misordered_ids(len(stream)))
    times = data.draw(st.lists(st.integers(0, 2**40), min_size=len(stream), max_size=len(stream)))
    shuffled = [
        {**event, "id": event_id, "time": time}
        for event, event_id, time in zip(stream, ids, times, strict=True)
    ]
    lines = encoded(shuffled)
    mirror = check_lenient(lines)
    check_strict(lines, mirror)
    # The stream rules (docs/design.md, "Stream semantics"), counted by hand.
    last: int | None = None
    now: int | None = None
    duplicates = missing = resets = gaps = backwards = 0
    for event_id, time in zip(ids, times, strict=True):
        if last is not None and event_id != last + 1:
            if event_id > last:
                gaps += 1
                missing += event_id - last - 1
            elif event_id == 0 and last > 0:
                resets += 1
            else:
                duplicates += 1
                continue
        last = event_id
        if now is not None and time < now:
            backwards += 1
        now = time if now is None else max(now, time)
    health = mirror.health
    assert (health.duplicates, health.missing, health.reset_count, len(health.gaps)) == (
        duplicates,
        missing,
        resets,
        gaps,
    )
    assert health.time_backwards_count == backwards
    assert (mirror.last_id, mirror.now) == (last, now)
    assert account(mirror) == len(lines)
    assert health.resync == (gaps + resets > 0)

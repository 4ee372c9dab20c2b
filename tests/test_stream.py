"""Stream integrity: duplicates, gaps, resets, time going backwards, unknown types, anomalies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

import reducers
from eventmirror.errors import EventError
from reducers import Gap, Reset, TimeJump
from tests.support import ME, OTHER, wire


def tag(id: int, time: int = 1_000, label: str = "x", tag: str = "t1") -> dict[str, Any]:
    return wire(
        "tag_new", id, time, tag=tag, owner=ME, label=label, foreign_use=False, policy={ME: 4}
    )


def fold(events: list[Any], **options: Any) -> reducers.Mirror:
    return reducers.fold(
        [msgspec.json.encode(e) if isinstance(e, dict) else e for e in events], **options
    )


def test_contiguous_stream_is_healthy() -> None:
    mirror = fold([tag(0), tag(1, tag="t2"), tag(2, tag="t3")])
    assert (mirror.last_id, mirror.next_id, mirror.applied) == (2, 3, 3)
    assert mirror.health == reducers.Health()
    assert not mirror.resync_needed


def test_a_recording_may_start_mid_stream() -> None:
    mirror = fold([tag(40), tag(41, tag="t2")])
    assert mirror.last_id == 41 and mirror.health.gaps == () and not mirror.resync_needed


def test_duplicates_are_skipped_and_counted() -> None:
    events = [tag(0), tag(1), tag(2, label="first"), tag(2, label="second"), tag(1, label="third")]
    mirror = fold(events)
    assert mirror.tags["t1"].label == "first"
    assert mirror.health.duplicates == 2
    assert mirror.applied == 3 and mirror.last_id == 2
    assert not mirror.resync_needed


def test_a_gap_is_recorded_and_the_event_applied() -> None:
    mirror = fold([tag(0), tag(5, tag="t5"), tag(6, tag="t6"), tag(9, tag="t9")])
    assert mirror.health.gaps == (Gap(1, 4), Gap(7, 8))
    assert mirror.health.missing == 6
    assert mirror.resync_needed
    assert set(mirror.tags) == {"t1", "t5", "t6", "t9"}


def test_a_gap_in_strict_mode_raises_naming_the_missing_ids() -> None:
    with pytest.raises(EventError) as caught:
        fold([tag(0), tag(3)], strict=True)
    assert str(caught.value) == "event 3 (tag_new): id: expected 1 (ids 1..2 are missing), got 3"


def test_id_zero_after_a_higher_id_is_a_reset() -> None:
    mirror = fold(
        [tag(0), tag(1), tag(2), tag(0, time=2_000, tag="new"), tag(1, time=2_001, tag="n2")]
    )
    assert mirror.health.resets == (Reset(after=2, time=2_000),)
    assert mirror.health.reset_count == 1
    assert mirror.resync_needed
    assert mirror.last_id == 1 and {"new", "n2"} <= set(mirror.tags)
    assert mirror.health.duplicates == 0


def test_time_going_backwards_is_noted_and_now_never_decreases() -> None:
    mirror = fold([tag(0, time=100), tag(1, time=90), tag(2, time=95)])
    assert mirror.now == 100
    assert mirror.health.time_backwards == (TimeJump(1, 90, 100), TimeJump(2, 95, 100))


def test_unknown_types_are_counted_and_kept() -> None:
    mirror = fold(
        [tag(0), wire("hologram_new", 1, 5, shape="cube"), wire("hologram_new", 2, 6), tag(3)]
    )
    assert mirror.health.unknown == 2
    assert mirror.health.unknown_types == {"hologram_new": 2}
    assert mirror.health.unknown_events[0]["shape"] == "cube"
    assert mirror.last_id == 3 and mirror.health.gaps == ()


def test_unknown_events_kept_are_bounded() -> None:
    events = [wire("hologram_new", i, i) for i in range(reducers.KEEP + 10)]
    mirror = fold(events)
    assert mirror.health.unknown == reducers.KEEP + 10
    assert len(mirror.health.unknown_events) == reducers.KEEP


def test_lenient_mode_records_a_malformed_event_and_goes_on() -> None:
    bad = tag(1, tag="bad")
    bad["policy"] = {OTHER: 7}
    mirror = fold([tag(0), bad, tag(2, tag="t2")])
    assert set(mirror.tags) == {"t1", "t2"}
    (anomaly,) = mirror.health.anomalies
    assert anomaly.kind == "rejected" and anomaly.id == 1 and anomaly.event == "tag_new"
    assert anomaly.path == f'policy["{OTHER}"]'
    assert "expected an access level 0..4, got 7" in anomaly.message
    # The malformed event still moved the cursor: no gap after it.
    assert mirror.health.gaps == () and mirror.last_id == 2
    assert mirror.applied == 2 and mirror.health.rejected == 1


def test_a_line_that_is_not_json_is_an_anomaly_never_a_crash() -> None:
    mirror = reducers.apply(reducers.empty(), b"{truncated", line=12)
    (anomaly,) = mirror.health.anomalies
    assert anomaly.line == 12 and anomaly.id is None and "not JSON" in anomaly.message
    with pytest.raises(EventError) as caught:
        reducers.apply(reducers.empty(), b"{truncated", strict=True, line=12)
    assert caught.value.line == 12


def test_the_account_balances() -> None:
    bad = tag(3)
    bad["label"] = 5
    events: list[Any] = [tag(0), tag(1), tag(1), wire("nope", 2, 5), bad, b"garbage", tag(4)]
    mirror = fold(events)
    health = mirror.health
    assert mirror.applied + health.duplicates + health.unknown + health.rejected == len(events)


def test_advance_moves_the_clock_forward_only() -> None:
    mirror = fold([tag(0, time=100)])
    assert reducers.advance(mirror, 150).now == 150
    assert reducers.advance(mirror, 50) is mirror


def test_several_clients_of_one_session_keep_their_own_cursor() -> None:
    events = [msgspec.json.encode(tag(i, tag=f"t{i}")) for i in range(6)]
    early = reducers.fold(events[:2])
    late = reducers.fold(events[:5])
    # Both then read the shared stream from id 1: each skips what it has already seen.
    early = reducers.fold(events[1:], early)
    late = reducers.fold(events[1:], late)
    assert early.same_state(late) and early.last_id == late.last_id == 5
    assert (early.health.duplicates, late.health.duplicates) == (1, 4)


def test_fold_takes_every_input_form_apply_takes() -> None:
    # A parsed dict and JSON text reach the reducers only after decoding; decoded events and
    # raw lines go straight in. Any mix folds to what applying them one by one gives.
    events: list[Any] = [
        tag(0),
        msgspec.json.encode(tag(1, tag="t2")).decode(),
        reducers.decode(msgspec.json.encode(tag(2, tag="t3"))),
        msgspec.json.encode(tag(3, tag="t4")),
        tag(4, tag="t5"),
    ]
    one_by_one = reducers.empty()
    for event in events:
        one_by_one = reducers.apply(one_by_one, event)
    mirror = reducers.fold(events, strict=True)
    assert mirror == one_by_one
    assert (mirror.applied, len(mirror.tags)) == (5, 5)


# --- fold reads a file as the command line does ------------------------------------------------


def _body(events: list[dict[str, Any]]) -> bytes:
    """A GET /api/event response body as the platform may send it: pretty-printed."""
    return msgspec.json.format(msgspec.json.encode(events), indent=4)


def test_fold_reads_a_pretty_printed_response_body_from_a_binary_file(tmp_path: Any) -> None:
    events = [tag(0), tag(1, tag="t2"), tag(2, tag="t3")]
    path = tmp_path / "body.json"
    path.write_bytes(_body(events))
    with open(path, "rb") as body:
        mirror = reducers.fold(body, me=ME, strict=True)
    assert mirror == fold(events, me=ME)
    assert set(mirror.tags) == {"t1", "t2", "t3"} and mirror.health.anomaly_count == 0


@pytest.mark.parametrize("mode", ["rb", "r"])
def test_anomalies_from_a_file_carry_the_line_each_event_starts_on(
    tmp_path: Any, mode: str
) -> None:
    broken = {**tag(1, tag="t2"), "policy": {ME: 9}}  # a level outside 0..4: rejected
    lines = [msgspec.json.encode(tag(0)), b"not json", _body([broken, tag(2, tag="t3")])]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    with open(path, mode) as recording:
        mirror = reducers.fold(recording, me=ME)
    assert [(a.kind, a.line, a.id) for a in mirror.health.anomalies] == [
        ("rejected", 2, None),
        ("rejected", 4, 1),  # the array opens on line 3; its first element starts on line 4
    ]
    assert set(mirror.tags) == {"t1", "t3"} and mirror.applied == 2


def test_a_contradiction_in_a_file_carries_its_line(tmp_path: Any) -> None:
    obj = {"object": OTHER, "type": "file", "owner": ME}
    odd = wire("object_tag", 1, 1_001, **obj, tag=["a"], tag_delete=["a"])
    path = tmp_path / "odd.jsonl"
    path.write_bytes(b"\n".join(msgspec.json.encode(e) for e in [tag(0), odd]) + b"\n")
    with open(path, "rb") as recording:
        mirror = reducers.fold(recording, me=ME)
    assert [(a.kind, a.line) for a in mirror.health.anomalies] == [("inconsistent", 2)]


def test_iterables_fold_as_before_without_lines() -> None:
    mirror = reducers.fold([msgspec.json.encode(tag(0)), b"not json"], me=ME)
    assert [(a.kind, a.line) for a in mirror.health.anomalies] == [("rejected", None)]


@pytest.mark.parametrize("given", ["recording.jsonl", b"{}", Path("recording.jsonl")])
def test_a_path_or_a_single_text_is_a_clear_error(given: Any) -> None:
    with pytest.raises(TypeError, match=r"fold takes events or an open file, not a \w+"):
        reducers.fold(given)

"""Fields and event types the reference does not define: counted in lenient mode (nothing is
dropped without a word), errors in strict mode that name the event, the type and the field."""

from __future__ import annotations

from functools import reduce
from pathlib import Path
from typing import Any

import attrs
import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror.cli import main
from eventmirror.codec import decode, decode_in_full
from eventmirror.errors import EventError
from eventmirror.events import EVENT_TYPES
from eventmirror.explain import wire_name
from eventmirror.strategies import wire_events, wire_streams
from eventmirror.wire import decode_line
from tests.support import ME, wire

TAG_NEW_FIELDS = "id, time, tag, owner, label, foreign_use, policy"


def tag(id: int, **extra: Any) -> dict[str, Any]:
    payload = {"tag": f"t{id}", "owner": ME, "label": "x", "foreign_use": False, "policy": {}}
    return wire("tag_new", id, 1_000 + id, **payload, **extra)


def member_update(id: int, **member: Any) -> dict[str, Any]:
    return wire("conference_update", id, 1_000 + id, conference="c1", member={"m1": member})


def lines(*events: dict[str, Any]) -> list[bytes]:
    return [msgspec.json.encode(event) for event in events]


def without(event: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in event.items() if key not in keys}


# -- strict mode: errors naming the event id, the type and the field --------------------------


def test_strict_mode_refuses_a_field_the_reference_does_not_define() -> None:
    with pytest.raises(EventError) as caught:
        reducers.fold(lines(tag(0), tag(1, foo=1)), strict=True)
    assert str(caught.value) == (
        f"event 1 (tag_new): foo: not a field of tag_new (its fields: {TAG_NEW_FIELDS})"
    )


def test_strict_mode_suggests_the_field_a_typo_meant() -> None:
    with pytest.raises(EventError, match=r"lable: not a field of tag_new; did you mean 'label'\?"):
        reducers.apply(reducers.empty(), lines(tag(0, lable="y"))[0], strict=True)


def test_strict_mode_refuses_a_nested_field_the_reference_does_not_define() -> None:
    with pytest.raises(EventError) as caught:
        reducers.fold(lines(member_update(4, mute=True, hand=True)), strict=True)
    assert str(caught.value).startswith(
        'event 4 (conference_update): member["m1"].hand: not a field of member["m1"] '
        "(its fields: phone, user, mute, deaf, talk, floor, volume_in, volume_out)"
    )


def test_strict_mode_refuses_an_unknown_event_type_with_a_did_you_mean() -> None:
    with pytest.raises(EventError) as caught:
        reducers.fold(lines(tag(0), wire("tag_nwe", 1, 1_002)), strict=True)
    assert str(caught.value) == (
        "event 1 (tag_nwe): not one of the reference's event types; did you mean 'tag_new'?"
    )
    with pytest.raises(EventError, match=r"^event 1 \(hologram_new\): not one of the .*types$"):
        reducers.fold(lines(tag(0), wire("hologram_new", 1, 1_002)), strict=True)


@pytest.mark.parametrize("given", ["bytes", "text", "dict"], ids=["line", "text", "parsed object"])
def test_every_kind_of_input_is_checked_alike(given: str) -> None:
    event = tag(0, foo=1)
    item: Any = {"bytes": lines(event)[0], "text": lines(event)[0].decode(), "dict": event}[given]
    with pytest.raises(EventError, match="foo: not a field of tag_new"):
        reducers.apply(reducers.empty(), item, strict=True)
    mirror = reducers.apply(reducers.empty(), item)
    assert mirror.health.unknown_fields == {"tag_new.foo": 1}


def test_strict_mode_still_skips_a_duplicate_unread() -> None:
    mirror = reducers.fold(
        lines(tag(0), tag(1), tag(1, foo=1), wire("hologram_new", 1, 5)), strict=True
    )
    assert mirror.health.duplicates == 2 and mirror.health.unknown_fields == {}


def test_strict_replay_exits_1_naming_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "session.jsonl"
    path.write_bytes(b"\n".join(lines(tag(0), tag(1, foo=1))) + b"\n")
    assert main(["replay", str(path), "--strict"]) == 1
    assert capsys.readouterr().err == (
        f"eventmirror replay: {path}: line 2: event 1 (tag_new): foo: not a field of tag_new "
        f"(its fields: {TAG_NEW_FIELDS})\n"
    )


# -- lenient mode: applied without the field, and counted by type.field ------------------------


def test_lenient_mode_counts_unknown_fields_and_applies_the_event() -> None:
    events = [tag(0, foo=1), tag(1, foo=2, bar=None), tag(2), member_update(3, mute=True, hand=1)]
    mirror = reducers.fold(lines(*events))
    assert mirror.health.unknown_fields == {
        "tag_new.foo": 2,
        "tag_new.bar": 1,
        "conference_update.member.hand": 1,
    }
    plain = [without(e, "foo", "bar") for e in events[:3]] + [member_update(3, mute=True)]
    expected = reducers.fold(lines(*plain))
    assert mirror.same_state(expected)
    assert mirror.health.anomaly_count == 0 and mirror.applied == 4


def test_fold_and_apply_count_alike() -> None:
    events = lines(tag(0), tag(1, foo=1), tag(1, foo=1), tag(3, foo=1), tag(4, foo=1))
    folded = reducers.fold(events)
    applied = reduce(reducers.apply, events, reducers.empty())
    assert folded == applied
    # The duplicate is skipped unread; the event after the gap is counted like any other.
    assert folded.health.unknown_fields == {"tag_new.foo": 3}


def test_the_names_counted_are_bounded() -> None:
    events = [tag(i, **{f"f{i}": 1}) for i in range(reducers.KEEP + 5)]
    health = reducers.fold(lines(*events)).health
    assert len(health.unknown_fields) == reducers.KEEP + 1
    assert health.unknown_fields["(other fields)"] == 5
    assert sum(health.unknown_fields.values()) == reducers.KEEP + 5


def test_unknown_fields_are_in_the_json_form_and_load_back() -> None:
    mirror = reducers.fold(lines(tag(0, foo=1)))
    assert reducers.to_json(mirror)["stream"]["unknown_fields"] == {"tag_new.foo": 1}
    assert reducers.loads(reducers.dumps(mirror)) == mirror


def test_the_summary_shows_unknown_fields(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "session.jsonl"
    path.write_bytes(b"\n".join(lines(tag(0, foo=1), tag(1, foo=1, bar=2))) + b"\n")
    assert main(["replay", str(path)]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if "unknown fields" in line)
    assert row.split() == ["unknown", "fields", "3", "tag_new.bar", "x1,", "tag_new.foo", "x2"]


def test_events_without_unknown_fields_keep_the_fast_path() -> None:
    assert type(decode_line(lines(tag(0))[0])).__name__ == "TagNewTwin"
    with pytest.raises(msgspec.ValidationError, match="unknown field `foo`"):
        decode_line(lines(tag(0, foo=1))[0])


def test_decode_leaves_unknown_fields_out_and_decode_in_full_names_them() -> None:
    data = lines(member_update(2, mute=True, hand=1))[0]
    event, unknown = decode_in_full(data)
    assert event == decode(data) == decode(lines(member_update(2, mute=True))[0])
    assert [(f.path, f.counted_as) for f in unknown] == [('member["m1"].hand', "member.hand")]


_FIELD_NAMES = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)


@given(wire_events(id=0), _FIELD_NAMES, st.integers())
def test_an_added_field_is_counted_and_changes_nothing_else(
    event: dict[str, Any], name: str, value: int
) -> None:
    """For every valid event and every key its type does not define: lenient mode applies
    it as if the key were not there and counts the key; strict mode names it."""
    if name in {wire_name(field) for field in attrs.fields(EVENT_TYPES[event["event"]])}:
        return
    plain = reducers.fold(lines(event))
    added = reducers.fold(lines({**event, name: value}))
    assert added.same_state(plain)
    assert added.applied == plain.applied
    assert msgspec.structs.replace(added.health, unknown_fields={}) == plain.health
    shown = name if len(name) <= 80 else name[:79] + "…"
    assert added.health.unknown_fields == {f"{event['event']}.{shown}": 1}
    try:
        reducers.fold(lines(event), strict=True)
    except EventError:
        return  # an event strict mode refuses anyway (it contradicts an empty mirror)
    with pytest.raises(EventError, match="not a field of"):
        reducers.fold(lines({**event, name: value}), strict=True)


@given(wire_streams(max_size=25), st.data())
def test_fold_reduces_events_with_unknown_fields_as_apply_does(
    stream: list[dict[str, Any]], data: st.DataObject
) -> None:
    """fold reduces the next event in place even when it carries fields the reference does
    not define (the fast decoder refuses the line): the same mirror and counts as ``apply``
    event by event, and a mirror handed to fold stays as it was."""
    marked = [
        {**event, "zz_added": 1} if data.draw(st.booleans(), label=f"mark {index}") else event
        for index, event in enumerate(stream)
    ]
    half = len(marked) // 2
    start = reducers.fold(lines(*marked[:half]), me=ME)
    before = reducers.dumps(start)
    folded = reducers.fold(lines(*marked[half:]), start)
    applied = reduce(reducers.apply, lines(*marked[half:]), start)
    assert reducers.dumps(folded) == reducers.dumps(applied)
    assert reducers.dumps(start) == before

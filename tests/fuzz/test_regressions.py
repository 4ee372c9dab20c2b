"""What fuzzing found, pinned: each case once crashed the decoder (an exception that is not
EventError), lost events after it, or was rejected without naming its place."""

from __future__ import annotations

import io

import pytest

import reducers
from eventmirror.codec import decode, encode
from eventmirror.errors import EventError
from eventmirror.events import Event
from eventmirror.recording import iter_records
from tests.fuzz.properties import check_decode, check_lenient, check_strict, first_fault

TAG = b'"event":"tag_delete","time":5,"tag":'


def message(data: bytes | str) -> str:
    with pytest.raises(EventError) as caught:
        decode(data)
    return str(caught.value)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # msgspec raised UnicodeDecodeError for a string that is not UTF-8.
        (
            b'{"id":1,' + TAG + b'"a\xffb"}',
            'event 1 (tag_delete): tag: expected text in UTF-8, got "a\\xffb"',
        ),
        (
            b'{"id":1,' + TAG + b'"\xc3"}',
            'event 1 (tag_delete): tag: expected text in UTF-8, got "\\xc3"',
        ),
        (
            b'{"id":1,"event":"user_metadata","time":5,"update":{"k\xfe":1}}',
            'event 1 (user_metadata): update[key "k\\xfe"]: expected text in UTF-8, got "k\\xfe"',
        ),
        # atheris: a key that is not UTF-8, in a field nobody reads, of an event whose name
        # the fast path misread (two "event" keys), was blamed on no path.
        (
            b'{"id":7,"event":"x",' + TAG + b'"x","new\xff":1}',
            'event 7 (tag_delete): [key "new\\xff"]: expected text in UTF-8, got "new\\xff"',
        ),
        # NaN, Infinity and numbers past a float's range were "not JSON" with no place named.
        (
            b'{"id":1,' + b'"event":"tag_delete","time":NaN,"tag":"x"}',
            "event 1 (tag_delete): time: expected seconds since the epoch, got NaN",
        ),
        (
            b'{"id":1,"event":"tag_delete","time":1e400,"tag":"x"}',
            "event 1 (tag_delete): time: expected seconds since the epoch, got 1e400",
        ),
        (
            b'{"id":1,"event":"user_metadata","time":5,"update":{"k":[1,-Infinity]}}',
            'event 1 (user_metadata): update["k"][1]: expected a number (JSON has no NaN or '
            "Infinity), got -Infinity",
        ),
        (
            b'{"id":NaN,' + TAG + b'"x"}',
            "event (tag_delete): id: expected an event id >= 0, got NaN",
        ),
        # The long profile: NaN under an empty key, in a field no one reads, named no path.
        (
            b'{"id":0,"event":"phone_modify","time":1,"":NaN}',
            'event 0 (phone_modify): [""]: expected a number (JSON has no NaN or Infinity), '
            "got NaN",
        ),
        # An id past 64 bits was taken: every later event became a duplicate.
        (
            b'{"id":9223372036854775808,' + TAG + b"5}",
            "event (tag_delete): id: expected an event id >= 0 that fits in 64 bits, "
            "got 9223372036854775808",
        ),
    ],
)
def test_found_by_fuzzing(data: bytes, expected: str) -> None:
    assert message(data) == expected
    check_decode(data)


def test_text_with_a_lone_surrogate_is_rejected_not_a_crash() -> None:
    assert message('{"id":1,"event":"tag_delete","time":5,"tag":"\ud800"}') == (
        'event 1 (tag_delete): tag: expected text in UTF-8, got "\\xed\\xa0\\x80"'
    )


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_nesting_past_the_parser_s_depth_is_rejected_not_a_crash(depth: int) -> None:
    # msgspec raised RecursionError.
    data = b'{"id":1,"event":"user_metadata","time":5,"update":{"k":' + b"[" * depth
    data += b"]" * depth + b"}}"
    assert message(data).startswith("event: not JSON (nested too deeply): ")
    lines = [data, b'{"id":2,' + TAG + b'"x"}']
    mirror = check_lenient(lines)
    check_strict(lines, mirror)
    assert (mirror.applied, mirror.health.rejected) == (1, 1)


def test_an_id_too_large_to_be_one_does_not_turn_later_events_into_duplicates() -> None:
    lines = [
        b'{"id":1,' + TAG + b'"a"}',
        b'{"id":18446744073709551616,' + TAG + b"5}",
        b'{"id":2,' + TAG + b'"b"}',
    ]
    mirror = reducers.fold(lines)
    assert (mirror.last_id, mirror.applied, mirror.health.duplicates) == (2, 2, 0)
    assert mirror.health.rejected == 1


def test_strict_mode_stops_at_a_gap_before_an_event_of_an_unknown_type() -> None:
    lines = [b'{"id":1,' + TAG + b'"a"}', b'{"id":5,"event":"hologram_new","time":6}']
    with pytest.raises(EventError, match="missing"):
        reducers.fold(lines, strict=True)


def test_strict_mode_skips_a_malformed_duplicate_and_stops_at_the_next_fault() -> None:
    # atheris: a stale id on a malformed line, then a line that is not JSON. The harness took
    # the duplicate for the first fault; strict mode rightly skips it, as lenient mode does.
    lines = [
        b'{"id":55,' + TAG + b'"a"}',
        b'{"id":55,"eavent":"tag_delete","time":6}',
        b'{"id":57,' + TAG + b'"b"\x01}',
    ]
    lenient = reducers.fold(lines)
    assert (lenient.health.duplicates, lenient.health.rejected) == (1, 1)
    with pytest.raises(EventError, match="not JSON") as raised:
        reducers.fold(lines, strict=True)
    assert first_fault(lines) == (2, str(raised.value))


def test_a_value_just_within_the_depth_limit_is_previewed_from_anywhere_in_the_stack() -> None:
    # The long profile: preview() re-encoded a value the decoder had just built, from deeper
    # in the stack, and RecursionError escaped; then its text depended on the stack depth.
    def nested_calls(depth: int, data: bytes) -> str:
        return nested_calls(depth - 1, data) if depth else message(data)

    for depth in range(900, 1000, 4):
        data = b'{"id":' + b"[" * depth + b"]" * depth + b',"event":"trash_purge","time":1}'
        texts = {nested_calls(calls, data) for calls in (0, 60)}
        assert texts <= {
            "event (trash_purge): id: expected an event id >= 0, got " + "[" * 79 + "…",
            "event: not JSON (nested too deeply): '" + '{"id":' + "[" * 53 + "…'",
        }


def test_a_deeply_nested_value_that_decodes_also_encodes() -> None:
    # hypothesis (long profile): metadata nested 900 deep decoded, but encode() raised
    # RecursionError, since cattrs walked the value two Python frames a level.
    nested = b"[" * 700 + b"1" + b"]" * 700
    event = decode(b'{"id":0,"event":"user_metadata","time":1,"update":{"k":' + nested + b"}}")
    assert isinstance(event, Event)
    assert decode(encode(event)) == event


@pytest.mark.parametrize(
    "document",
    [
        b"[" * 5_000 + b"]" * 5_000 + b"\n",  # one line
        b"[\n" + b"[" * 5_000 + b"]" * 5_000 + b"\n]\n",  # pretty-printed over lines
    ],
)
def test_an_array_nested_past_the_parser_s_depth_is_a_rejected_record(document: bytes) -> None:
    # hypothesis (long profile): the reader's array split raised RecursionError, which crashed
    # `eventmirror replay` before any event was read.
    valid = b'{"id":1,' + TAG + b'"a"}\n'
    records = list(iter_records(io.BytesIO(document + valid)))
    assert records[-1].data == valid.strip()
    mirror = reducers.fold(record.data for record in records)
    assert (mirror.applied, mirror.health.rejected) == (1, len(records) - 1)

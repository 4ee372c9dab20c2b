"""Reading recordings: every accepted format, exact lines and indexes, and no input that can
crash, hang, grow memory past the limit, or lose text without a record saying so."""

from __future__ import annotations

import io
import itertools
import json
import re
import sys
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror.codec import decode
from eventmirror.errors import EventError
from eventmirror.recording import (
    DEFAULT_MAX_DOCUMENT,
    Record,
    RecordingError,
    iter_records,
    open_recording,
)
from tests.support import ME, wire

MARKER = re.compile(rb"<(document|array element) larger than \d+ bytes at line \d+>")
# What the reader may drop: JSON whitespace and the array punctuation around elements.
DROPPABLE = frozenset(b" \t\r\n[],")


def read(data: bytes, **options: Any) -> list[Record]:
    return list(iter_records(io.BytesIO(data), **options))


def rows(data: bytes, **options: Any) -> list[tuple[int, bytes, int | None]]:
    """(line, data, index) of each record: compact to compare in one assert."""
    return [(r.line, r.data, r.index) for r in read(data, **options)]


def values(records: list[Record]) -> list[Any]:
    return [msgspec.json.decode(r.data) for r in records]


def compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def pretty(value: Any) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False).encode()


def jsonl(items: list[Any]) -> bytes:
    return b"".join(msgspec.json.encode(item) + b"\n" for item in items)


EVENTS = [wire("tag_delete", n, tag=f"t{n}") for n in range(4)]
A, B, C, D = (compact(e) for e in EVENTS)


# -- the formats ---------------------------------------------------------------------------


def test_json_lines_are_yielded_as_they_are_with_their_lines() -> None:
    assert rows(A + b"\n" + B + b"\n" + C) == [(1, A, None), (2, B, None), (3, C, None)]


def test_a_compact_body_gives_one_record_per_element_on_its_line() -> None:
    assert rows(b"\n" + compact(EVENTS) + b"\n") == [(2, e, i) for i, e in enumerate([A, B, C, D])]


def test_a_pretty_printed_body_gives_each_element_the_line_it_starts_on() -> None:
    body = pretty(EVENTS[:3])
    records = read(body)
    # json.dumps(indent=2): "[", then 6 lines per event ("{", 4 fields, "}").
    assert [(r.line, r.index) for r in records] == [(2, 0), (8, 1), (14, 2)]
    assert values(records) == EVENTS[:3]
    assert records[0].data == pretty(EVENTS[0]).replace(b"\n", b"\n  ")


def test_pretty_printed_objects_one_after_another_as_jq_prints_them() -> None:
    text = pretty(EVENTS[0]) + b"\n" + pretty(EVENTS[1]) + b"\n" + A + b"\n"
    assert [(r.line, r.index) for r in read(text)] == [(1, None), (7, None), (13, None)]
    assert values(read(text)) == [EVENTS[0], EVENTS[1], EVENTS[0]]


def test_several_bodies_on_separate_lines_restart_their_indexes() -> None:
    text = compact(EVENTS[:2]) + b"\n" + compact(EVENTS[2:]) + b"\n"
    assert rows(text) == [(1, A, 0), (1, B, 1), (2, C, 0), (2, D, 1)]


@pytest.mark.parametrize("between", [b"", b" ", b"\t  "])
def test_several_bodies_on_one_line(between: bytes) -> None:
    text = (
        compact(EVENTS[:2])
        + between
        + compact(EVENTS[2:3])
        + between
        + b"[]"
        + compact([EVENTS[3]])
    )
    assert rows(text) == [(1, A, 0), (1, B, 1), (1, C, 0), (1, D, 0)]


def test_a_body_and_a_json_line_on_one_line() -> None:
    assert rows(compact([EVENTS[0]]) + B) == [(1, A, 0), (1, B, None)]


def test_all_formats_mixed_in_one_file() -> None:
    text = b"".join(
        [
            A + b"\n",  # 1
            compact(EVENTS[1:3]) + b"\n",  # 2
            pretty(EVENTS[:2]) + b"\n",  # 3..16, elements on 4 and 10
            D + b"\n",  # 17
            b"[" + A + b",\n" + B + b"]" + compact([EVENTS[2]]) + b"\n",  # 18..19
            pretty(EVENTS[3]) + b"\n",  # 20..25
        ]
    )
    assert [(r.line, r.index) for r in read(text)] == [
        (1, None),
        (2, 0),
        (2, 1),
        (4, 0),
        (10, 1),
        (17, None),
        (18, 0),
        (19, 1),
        (19, 0),
        (20, None),
    ]
    assert values(read(text)) == [*EVENTS[:3], *EVENTS[:2], EVENTS[3], *EVENTS[:3], EVENTS[3]]


def test_real_events_decode_from_every_record() -> None:
    text = jsonl(EVENTS[:2]) + pretty(EVENTS[2:])
    assert [decode(r.data) for r in read(text)] == [decode(msgspec.json.encode(e)) for e in EVENTS]


# -- the layout around the events ----------------------------------------------------------


def test_a_byte_order_mark_at_the_start_is_skipped() -> None:
    assert rows(b"\xef\xbb\xbf" + A + b"\n" + B) == [(1, A, None), (2, B, None)]
    assert rows(b"\xef\xbb\xbf" + compact([EVENTS[0]])) == [(1, A, 0)]
    assert rows(b"\xef\xbb\xbf") == []


def test_a_byte_order_mark_before_a_first_line_larger_than_the_limit_is_skipped() -> None:
    events = [wire("tag_delete", n, tag="t") for n in range(20)]
    records = read(b"\xef\xbb\xbf" + compact(events), max_document=80)
    assert values(records) == events


def test_a_byte_order_mark_of_a_concatenated_file_is_skipped_too() -> None:
    assert rows(A + b"\n\xef\xbb\xbf" + B + b"\n") == [(1, A, None), (2, B, None)]


def test_crlf_line_endings_and_blank_lines() -> None:
    text = b"\n" + A + b"\n  \n\n" + compact([EVENTS[1]]) + b"\n" + pretty([EVENTS[2]])
    text = text.replace(b"\n", b"\r\n")
    records = read(text)
    assert [(r.line, r.index) for r in records] == [(2, None), (5, 0), (7, 0)]
    assert values(records) == EVENTS[:3]
    assert all(not r.data.endswith((b"\r", b"\n")) for r in records)


def test_brackets_braces_and_escaped_quotes_inside_strings_do_not_confuse_the_reader() -> None:
    tricky = {"id": 1, "event": "x", "time": 2, "s": 'a]}[{"\\', "t": ['\\"]', "{"]}
    for text, count in [
        (compact(tricky), 1),
        (compact([tricky, tricky]), 2),
        (compact([tricky]) + compact([tricky]), 2),  # two bodies on a line: the scanner's path
        (pretty([tricky, tricky]), 2),
        (b" " + pretty([tricky, tricky]), 2),  # not held: the scanner's path
        (pretty(tricky), 1),
        (b" " + pretty(tricky), 1),
    ]:
        assert values(read(text)) == [tricky] * count, text


# -- what is not an event still comes out, with its line ------------------------------------


def test_lines_that_are_not_json_come_out_as_they_are() -> None:
    text = A + b'\nnot json at all\n42\n"text"\n]\n}\n' + B + b"\n"
    assert rows(text) == [
        (1, A, None),
        (2, b"not json at all", None),
        (3, b"42", None),
        (4, b'"text"', None),
        (5, b"]", None),
        (6, b"}", None),
        (7, B, None),
    ]


def test_a_truncated_last_line_comes_out_as_it_is() -> None:
    assert rows(A + b"\n" + B[:-5]) == [(1, A, None), (2, B[:-5], None)]


def test_text_after_a_document_on_the_same_line_comes_out_too() -> None:
    assert rows(compact([EVENTS[0]]) + b" trailing words\n") == [
        (1, A, 0),
        (1, b"trailing words", None),
    ]


def test_scalars_and_nested_arrays_inside_a_body_are_records_too() -> None:
    items: list[Any] = [1, "x", [EVENTS[0]], None, EVENTS[1], -2.5e3, True, {}]
    expected = [(i, compact(item)) for i, item in enumerate(items)]
    for text in (compact(items), compact(items) + b"[]", pretty(items), b" " + pretty(items)):
        records = read(text)
        assert [(r.index, compact(msgspec.json.decode(r.data))) for r in records] == expected
    with pytest.raises(EventError, match="a JSON object"):
        decode(read(compact(items))[0].data)


def test_a_body_truncated_at_the_end_gives_every_complete_element_then_the_rest() -> None:
    body = compact(EVENTS)
    cut = body[: body.index(D) + 9]
    assert rows(cut) == [(1, A, 0), (1, B, 1), (1, C, 2), (1, D[:9], 3)]
    # Cut between elements: nothing is incomplete.
    assert rows(body[: body.index(D)]) == [(1, A, 0), (1, B, 1), (1, C, 2)]
    text = pretty(EVENTS[:2])
    cut = text[: text.rindex(b'"event"')]
    records = read(cut)
    assert [(r.line, r.index) for r in records] == [(2, 0), (8, 1)]
    assert records[0].data == text.split(b"\n", 1)[1].lstrip()[: len(records[0].data)]
    assert records[1].data == b'{\n    "id": 1,'


def test_a_body_cut_short_in_the_middle_of_input_does_not_swallow_what_follows() -> None:
    body = compact(EVENTS)
    text = body[: body.index(C) + 5] + b"\n" + D + b"\n" + compact(EVENTS[:1]) + b"\n"
    assert rows(text) == [(1, A, 0), (1, B, 1), (1, C[:5], 2), (2, D, None), (3, A, 0)]


def test_a_string_cut_by_a_line_break_ends_the_broken_text_there() -> None:
    # A JSON string cannot hold a raw line break, so the next line starts afresh.
    text = b'[{"id":7,"s":"half\nmore"}, 5]\n' + B + b"\n"
    assert rows(text) == [
        (1, b'{"id":7,"s":"half', 0),
        (2, b'more"}, 5]', None),
        (3, B, None),
    ]


@pytest.mark.parametrize("cut_before", [b'"time"', b"  }\n]", b'"id": 1'])
def test_a_pretty_body_cut_at_a_line_end_does_not_swallow_what_follows(cut_before: bytes) -> None:
    # As `head -n` leaves it: the last line ends after a comma, a value or an opening brace.
    text = pretty(EVENTS[:2])
    cut = text[: text.rindex(cut_before)].rstrip()
    follows = b"\n" + compact(EVENTS[2:]) + b"\n" + D + b"\n" + pretty(EVENTS[0])
    records = read(cut + follows)
    after = cut.count(b"\n") + 2
    assert [(r.line, r.index) for r in records] == [
        (2, 0),
        (8, 1),
        (after, 0),
        (after, 1),
        (after + 1, None),
        (after + 2, None),
    ]
    assert records[1].data == cut.split(b"\n", 7)[7].lstrip()
    assert values([records[0], *records[2:]]) == [EVENTS[0], *EVENTS[2:], EVENTS[3], EVENTS[0]]


def test_undecodable_records_become_anomalies_with_their_line() -> None:
    text = A + b"\nnot json\n" + compact([5]) + b"\n"
    mirror = reducers.empty(ME)
    for record in read(text):
        mirror = reducers.apply(mirror, record.data, line=record.line)
    assert [a.line for a in mirror.health.anomalies] == [2, 3]
    assert mirror.health.rejected == 2


# -- the size limit -------------------------------------------------------------------------


def test_a_line_larger_than_the_limit_becomes_a_marker_and_reading_goes_on() -> None:
    big = compact({"id": 1, "event": "x", "time": 1, "pad": "p" * 100})
    assert rows(A + b"\n" + big + b"\n" + B, max_document=64) == [
        (1, A, None),
        (2, b"<document larger than 64 bytes at line 2>", None),
        (3, B, None),
    ]
    assert rows(b"z" * 300 + b"\n" + B, max_document=64) == [
        (1, b"<document larger than 64 bytes at line 1>", None),
        (2, B, None),
    ]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b""])
def test_the_limit_is_inclusive_and_counts_no_line_break(ending: bytes) -> None:
    def sized(size: int) -> bytes:
        return b'{"p":"' + b"x" * (size - 8) + b'"}'

    too_large = b"<document larger than 64 bytes at line 1>"
    for text, within in [(sized(64), True), (sized(65), False)]:
        expected = text if within else too_large
        assert rows(text + ending, max_document=64) == [(1, expected, None)]
        assert rows(text + b" " + text + ending, max_document=64) == [(1, expected, None)] * 2
        element = text if within else too_large.replace(b"document", b"array element")
        assert rows(b"[" + text + b",1]" + ending, max_document=64) == [
            (1, element, 0),
            (1, b"1", 1),
        ]
    assert rows(b"y" * 64 + ending, max_document=64) == [(1, b"y" * 64, None)]
    assert rows(b"y" * 65 + ending, max_document=64) == [(1, too_large, None)]


def test_a_backslash_ending_a_piece_still_escapes_what_follows() -> None:
    # max_document=8 reads 10-byte pieces: the first piece ends with the backslash.
    text = b'["abcdefg\\"]", 1]\n'
    assert text[9:10] == b"\\"
    assert rows(text, max_document=8) == [
        (1, b"<array element larger than 8 bytes at line 1>", 0),
        (1, b"1", 1),
    ]


def test_the_marker_is_not_json_so_the_decoder_rejects_it_as_too_large() -> None:
    (marker,) = read(b"x" * 100, max_document=10)
    assert MARKER.fullmatch(marker.data)
    with pytest.raises(EventError, match="too large: a document over 10 bytes, skipped unread"):
        decode(marker.data)


def test_an_element_larger_than_the_limit_becomes_a_marker_in_its_place() -> None:
    big = {"id": 9, "event": "x", "time": 1, "pad": "}]" * 50}
    text = compact([EVENTS[0], big, EVENTS[1]]) + b"\n" + C
    assert rows(text, max_document=64) == [
        (1, A, 0),
        (1, b"<array element larger than 64 bytes at line 1>", 1),
        (1, B, 2),
        (2, C, None),
    ]


def test_a_body_larger_than_the_limit_is_streamed_element_by_element() -> None:
    events = [wire("tag_delete", n, tag="t") for n in range(200)]
    for text in (compact(events), pretty(events)):
        limit = max(len(r.data) for r in read(text))
        assert len(text) > 50 * limit
        for max_document in range(limit, limit + 8):  # the pieces split at every offset
            records = read(text + b"\n" + A, max_document=max_document)
            assert values(records) == [*events, EVENTS[0]]
            assert [r.index for r in records] == [*range(200), None]


def test_a_pretty_object_larger_than_the_limit_becomes_a_marker() -> None:
    big = {"id": 9, "event": "x", "time": 1, "pad": ["q"] * 30}
    text = pretty(big) + b"\n" + A
    assert rows(text, max_document=100) == [
        (1, b"<document larger than 100 bytes at line 1>", None),
        (38, A, None),
    ]


class SpyStream(io.BytesIO):
    """Remembers how much each readline asked for and got."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []
        self.got: list[int] = []

    def readline(self, size: int | None = -1, /) -> bytes:
        self.asked.append(-1 if size is None else size)
        piece = super().readline(size)
        self.got.append(len(piece))
        return piece


def test_huge_lines_are_read_in_bounded_pieces() -> None:
    stream = SpyStream(b"[" + b'"abc",' * 50_000 + b'"end"]\n' + A)
    records = list(iter_records(stream, max_document=1000))
    assert len(records) == 50_002 and records[-1] == Record(2, A)
    assert 0 < max(stream.asked) <= 1002 and max(stream.got) <= 1002


def peak_memory(text: bytes, max_document: int) -> tuple[int, Record | None]:
    """The most memory reading ``text`` took (the input itself aside), and the last record."""
    stream = io.BytesIO(text)
    tracemalloc.start()
    try:
        last = None
        for last in iter_records(stream, max_document=max_document):  # noqa: B007 - the last
            pass
        return tracemalloc.get_traced_memory()[1], last
    finally:
        tracemalloc.stop()


def unclosed(n: int) -> bytes:
    return b"[" * 10_000 * n


@pytest.mark.parametrize(
    "make",
    [
        lambda n: b"g" * 50_000 * n,
        lambda n: b'{"pad": "' + b'x\\"' * 25_000 * n + b'"}',
        lambda n: b'[{"pad": "' + b"x" * 50_000 * n + b'"}]',
        lambda n: b"[" + b"1," * 5_000 * n + b"1]",
        lambda n: b"[\n" + (b'  "' + b"x" * 40 + b'",\n') * 500 * n + b'  "x"\n]',
        lambda n: b"[{\n" + b"\n" * 2_000 * n + b"}]",
        unclosed,
    ],
    ids=["garbage", "object", "element", "tiny-elements", "pretty-body", "blank-lines", "unclosed"],
)
def test_memory_does_not_grow_with_the_input(make: Any) -> None:
    # Each input is several times the limit; four times as much must not take more memory.
    small, _ = peak_memory(make(1) + b"\n" + A, max_document=4096)
    large, last = peak_memory(make(4) + b"\n" + A, max_document=4096)
    assert large < small + 16_384, (small, large)
    assert large < 256 * 1024
    if make is unclosed:  # A may be a value inside it, so it is taken in
        assert last == Record(1, b"<array element larger than 4096 bytes at line 1>", 0)
    else:
        assert last == Record(2 + make(4).count(b"\n"), A)


def test_the_limit_defaults_to_16_mib_and_must_be_positive() -> None:
    largest = b'{"p":"' + b"x" * (16 * 2**20 - 8) + b'"}'
    assert read(largest + b"\n") == [Record(1, largest)]
    assert read(largest + b" \n" + largest[:-1] + b'x"}') == [
        Record(1, largest),
        Record(2, b"<document larger than 16777216 bytes at line 2>"),
    ]
    with pytest.raises(ValueError, match="max_document"):
        read(A, max_document=0)


def test_records_are_read_lazily() -> None:
    stream = SpyStream(jsonl(EVENTS * 100))
    first = next(iter_records(stream))
    assert first == Record(1, A) and len(stream.asked) == 1


# -- opening recordings ---------------------------------------------------------------------


def test_dash_reads_standard_input_and_leaves_it_open(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbf" + jsonl(EVENTS[:2]) + compact(EVENTS[2:])))
    monkeypatch.setattr(sys, "stdin", stdin)
    with open_recording("-") as stream:
        assert stream is stdin.buffer
        assert values(list(iter_records(stream))) == EVENTS
    assert not stdin.closed


@pytest.mark.parametrize("stdin", [None, io.StringIO("text only")])
def test_no_binary_standard_input_is_a_recording_error(
    monkeypatch: pytest.MonkeyPatch, stdin: io.StringIO | None
) -> None:
    monkeypatch.setattr(sys, "stdin", stdin)
    with pytest.raises(RecordingError, match="standard input"), open_recording("-"):
        pass


def test_a_file_is_read_and_closed_afterwards(tmp_path: Path) -> None:
    path = tmp_path / "session.jsonl"
    path.write_bytes(jsonl(EVENTS))
    for name in (str(path), path):
        with open_recording(name) as stream:
            assert values(list(iter_records(stream))) == EVENTS
        assert stream.closed


def test_a_missing_file_or_a_directory_is_a_recording_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.jsonl")
    no_such_file = r"cannot read .*missing\.jsonl: No such file"
    with pytest.raises(RecordingError, match=no_such_file), open_recording(missing):
        pass
    with (
        pytest.raises(RecordingError, match=r"cannot read .*: Is a directory"),
        open_recording(str(tmp_path)),
    ):
        pass
    assert issubclass(RecordingError, ValueError)


class FailingStream(io.BytesIO):
    def readline(self, size: int | None = -1, /) -> bytes:
        if self.tell() > 0:
            raise OSError(5, "Input/output error")
        return super().readline(size)


def test_a_read_failure_midway_is_a_recording_error_naming_the_line() -> None:
    records = iter_records(FailingStream(jsonl(EVENTS)))
    assert next(records) == Record(1, A)
    with pytest.raises(RecordingError, match=r"line 2: .*Input/output error"):
        next(records)


# -- properties -----------------------------------------------------------------------------

TRICKY = st.text(st.sampled_from('[]{}",:\\ \n\t\r/aé€\U0001f600\x00\x1f'), max_size=8)
SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    TRICKY,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TRICKY, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def event_objects(draw: st.DrawFn) -> dict[str, Any]:
    payload = draw(st.dictionaries(TRICKY, JSON_VALUES, max_size=4))
    skeleton = {
        "id": draw(st.integers(0, 2**40)),
        "event": draw(TRICKY),
        "time": draw(st.integers(0, 2**40)),
    }
    return {**payload, **skeleton}


EVENT_LISTS = st.lists(event_objects(), max_size=8)


def assert_found_in_order_on_their_lines(text: bytes, records: list[Record]) -> None:
    # Each event's text comes right after the previous one's, with only whitespace and
    # array punctuation between (none of which can start an object), so find() is exact.
    position = 0
    for record in records:
        start = text.index(record.data, position)
        assert not text[position:start].strip(b" \t\r\n[],")
        assert record.line == text.count(b"\n", 0, start) + 1
        position = start + len(record.data)


def layouts(events: list[dict[str, Any]], splits: list[int], same_line: bool) -> list[bytes]:
    """The ways a recording may hold these events, one text each."""
    cuts = sorted({0, len(events), *(s % (len(events) + 1) for s in splits)})
    bodies = [events[a:b] for a, b in itertools.pairwise(cuts)]
    return [
        jsonl(events),
        compact(events),
        pretty(events),
        (b"" if same_line else b"\n").join(compact(body) for body in bodies),
        b"\n".join(pretty(body) if n % 2 else compact(body) for n, body in enumerate(bodies)),
        b"\n".join(pretty(event) for event in events),  # as `jq .` prints JSON Lines
    ]


@given(EVENT_LISTS, st.lists(st.integers(0, 8), max_size=3), st.booleans())
def test_every_layout_gives_back_the_events_in_order(
    events: list[dict[str, Any]], splits: list[int], same_line: bool
) -> None:
    for text in layouts(events, splits, same_line):
        records = read(text)
        assert values(records) == events, text
        assert_found_in_order_on_their_lines(text, records)


@given(EVENT_LISTS, st.lists(st.integers(0, 8), max_size=3), st.integers(0, 40))
def test_small_limits_stream_bodies_without_losing_an_event(
    events: list[dict[str, Any]], splits: list[int], slack: int
) -> None:
    # Lines and bodies exceed the limit, so they are read in pieces cut at every possible
    # place (inside strings, between a backslash and what it escapes); elements fit.
    limit = max((len(pretty(e)) + 2 * pretty(e).count(b"\n") for e in events), default=1)
    for text in layouts(events, splits, same_line=True)[1:5]:
        records = read(text, max_document=limit + slack)
        assert values(records) == events, text
        assert_found_in_order_on_their_lines(text, records)


@given(st.lists(JSON_VALUES, max_size=6))
def test_the_scanner_gives_what_the_fast_paths_give(items: list[Any]) -> None:
    for fast, scanned in [
        (compact(items), compact(items) + b"[]"),
        (pretty(items), b" " + pretty(items)),
    ]:
        expected = rows(fast)
        assert rows(scanned) == expected
        # Read in pieces cut at other places, as the scanner reads lines over the limit.
        limit = max((len(data) for _, data, _ in expected), default=1)
        assert rows(fast, max_document=limit) == expected


# Fragments of JSON and of what breaks it, to make inputs that go deep into every state.
FRAGMENTS = [b"[", b"]", b"{", b"}", b'"', b"\\", b",", b":", b" ", b"\t", b"\n", b"\r\n"]
FRAGMENTS += [b"1", b"ab", b"null", b'"x"', b'{"id":1}', b"[1,2]", b"\xff", b"\x00"]
SOUP = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(b"".join)


@given(st.binary(max_size=300) | SOUP, st.sampled_from([3, 8, 64, DEFAULT_MAX_DOCUMENT]))
def test_any_input_ends_without_error_and_never_invents_text(data: bytes, limit: int) -> None:
    records = read(data, max_document=limit)
    kept = [r for r in records if not MARKER.fullmatch(r.data)]
    assert sum(len(r.data) for r in kept) <= len(data)
    assert all(r.data and r.data.strip(b" \t\r\n") == r.data for r in records)
    lines = [r.line for r in records]
    assert lines == sorted(lines) and all(1 <= n <= data.count(b"\n") + 1 for n in lines)


@given(SOUP)
def test_nothing_is_dropped_but_whitespace_and_array_punctuation(data: bytes) -> None:
    records = read(data)
    seen = Counter(b for r in records for b in r.data)
    expected = Counter(b for b in data if b not in DROPPABLE)
    assert {b: n for b, n in seen.items() if b not in DROPPABLE} == expected

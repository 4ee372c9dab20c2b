"""fold's reading of a file (reducers/_reading.py) gives the records, and the lines, that the
command line's reader (eventmirror.recording.iter_records) gives."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from eventmirror.recording import iter_records
from reducers._reading import Numbered

EVENT = b'{"id": 1, "event": "user_modify", "time": 5}'
#: Lines of every kind a recording holds: JSON Lines, blank lines, bodies on one line and
#: pretty-printed, broken text, a byte-order mark, a line without its final line break.
LINES = st.sampled_from(
    [
        EVENT + b"\n",
        b"  " + EVENT + b"  \r\n",
        b"\n",
        b"   \t\n",
        b"[" + EVENT + b", " + EVENT + b"]\n",
        b"[\n",
        b"  " + EVENT + b",\n",
        b"]\n",
        b"{\n",
        b'  "id": 3, "event": "phone_modify", "time": 9\n',
        b"}\n",
        b'{"id": 4, "event": \n',
        b"not json\n",
        b"\xef\xbb\xbf" + EVENT + b"\n",
        EVENT + b" " + EVENT + b"\n",
        EVENT,
    ]
)


def numbered(data: bytes, max_document: int = 2**24) -> list[tuple[int | None, int, bytes]]:
    """What fold reads (with the count of records so far), up to the line break it leaves on
    a plain JSON Lines record (the decoder reads past it)."""
    reading = Numbered(io.BytesIO(data), max_document=max_document)
    read = [(reading.line, reading.records, record.rstrip(b"\n")) for record in reading]
    assert reading.records == len(read)  # blank lines at the end included
    return read


def by_the_command_line(
    data: bytes, max_document: int = 2**24
) -> list[tuple[int | None, int, bytes]]:
    records = iter_records(io.BytesIO(data), max_document=max_document)
    return [(record.line, count, record.data) for count, record in enumerate(records, 1)]


@given(st.lists(LINES, max_size=12), st.sampled_from([2**24, 2**24, 40, 60]))
def test_fold_reads_a_file_as_the_command_line_does(lines: list[bytes], max_document: int) -> None:
    data = b"".join(lines)
    assert numbered(data, max_document) == by_the_command_line(data, max_document)


def test_a_document_past_the_limit_is_marked_with_its_own_line() -> None:
    larger = EVENT[:-1] + b', "x": 1}'
    data = EVENT + b"\n\n" + larger + b"\n" + EVENT + b"\n"
    assert numbered(data, max_document=len(EVENT))[1:] == [
        (3, 2, b"<document larger than 44 bytes at line 3>"),
        (4, 3, EVENT),
    ]


def test_json_lines_are_read_line_by_line_until_something_else_comes() -> None:
    data = EVENT + b"\n\n" + EVENT + b"\n[\n" + EVENT + b"\n]\n" + EVENT + b"\n"
    assert numbered(data) == [(1, 1, EVENT), (3, 2, EVENT), (5, 3, EVENT), (7, 4, EVENT)]

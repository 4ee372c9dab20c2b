"""Oversized input: a line past the size limit is rejected unread with a message naming it,
and one event holding a value with a million entries is handled whole."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import msgspec
import pytest

import reducers
from eventmirror.codec import decode
from eventmirror.errors import EventError
from eventmirror.recording import DEFAULT_MAX_DOCUMENT, iter_records
from tests.fuzz.test_replay import replay
from tests.support import ME

MILLION = 1_000_000
SENSOR = "7f79b8fd-d9b7-48be-8e92-640e60801548"
NEXT = msgspec.json.encode({"id": 1, "event": "tag_delete", "time": 6, "tag": "t"})


class Watched(io.BytesIO):
    """A stream that remembers the most it was ever asked for at once."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.largest_read = 0

    def readline(self, size: int | None = -1, /) -> bytes:
        line = super().readline(size)
        self.largest_read = max(self.largest_read, len(line))
        return line


def big_event(size: int) -> bytes:
    return msgspec.json.encode(
        {"id": 0, "event": "user_metadata", "time": 5, "update": {"k": "x" * size}}
    )


@pytest.mark.parametrize("limit", [64, 1000, 4096])
def test_a_line_past_the_limit_is_rejected_unread_and_the_next_event_applied(limit: int) -> None:
    stream: BinaryIO = Watched(big_event(limit * 50) + b"\n" + NEXT + b"\n")
    mirror = reducers.empty()
    for record in iter_records(stream, max_document=limit):
        mirror = reducers.apply(mirror, record.data, line=record.line)
    assert isinstance(stream, Watched) and stream.largest_read <= limit + 2
    assert (mirror.applied, mirror.health.rejected, mirror.last_id) == (1, 1, 1)
    (anomaly,) = mirror.health.anomalies
    assert anomaly.line == 1
    assert anomaly.message.startswith("line 1: ")
    assert f"too large: a document over {limit} bytes, skipped unread" in anomaly.message
    assert "--max-document" in anomaly.message
    with pytest.raises(EventError, match=f"too large: a document over {limit} bytes"):
        records = iter_records(Watched(big_event(limit * 50)), max_document=limit)
        reducers.fold((record.data for record in records), strict=True)


def test_the_command_rejects_a_line_past_16_mib_and_says_where_it_went(tmp_path: Path) -> None:
    recording, rejects = tmp_path / "big.jsonl", tmp_path / "rejects.jsonl"
    recording.write_bytes(big_event(DEFAULT_MAX_DOCUMENT) + b"\n" + NEXT + b"\n")
    status, out, _ = replay("replay", str(recording), "--rejects", str(rejects))
    assert status == 0
    summary = out.decode()
    assert "line 1: too large: a document over 16777216 bytes" in summary
    assert summary.endswith(f"rejected lines: 1 written to {rejects}\n")
    (entry,) = [msgspec.json.decode(line) for line in rejects.read_bytes().splitlines()]
    # The line itself is never held in memory: the file keeps the stand-in and the reason.
    assert entry["line"] == 1 and entry["text"] == "<document larger than 16777216 bytes at line 1>"
    assert "too large: a document over 16777216 bytes" in entry["reason"]


def test_an_oversized_array_element_is_named_as_one_and_its_neighbours_applied() -> None:
    body = b"[" + NEXT + b", " + big_event(4096) + b"]\n"
    mirror = reducers.empty()
    for record in iter_records(io.BytesIO(body), max_document=1000):
        mirror = reducers.apply(mirror, record.data, line=record.line)
    assert (mirror.applied, mirror.health.rejected) == (1, 1)
    (anomaly,) = mirror.health.anomalies
    assert "too large: an array element over 1000 bytes" in anomaly.message


def test_text_that_only_looks_like_the_marker_is_still_not_json() -> None:
    for text in (b"<document larger than 10 bytes at line 1> ", b"<document larger than x>"):
        with pytest.raises(EventError, match="not JSON"):
            decode(text)


def test_a_sensor_event_with_a_million_points_is_applied_whole() -> None:
    first = 1_700_000_000_000
    # Written out directly: building a million-entry dict to encode it costs more than the
    # replay it feeds.
    points = b",".join(b'"%d":[%d,[0,255]]' % (first + n, n) for n in range(MILLION))
    event = b'{"id":0,"event":"sensor_data","time":5,"sensor":"%s","data":{%s}}' % (
        SENSOR.encode(),
        points,
    )
    mirror = reducers.fold([event, NEXT], strict=True, me=ME)
    data = mirror.sensors[SENSOR].data
    assert len(data) == MILLION
    assert data[first] == [0, [0, 255]]
    assert data[first + MILLION - 1] == [MILLION - 1, [0, 255]]
    assert mirror.applied == 2


def test_a_million_entries_of_the_wrong_type_get_a_short_message() -> None:
    as_list = b'{"id":0,"event":"tag_delete","time":5,"tag":[%s]}' % b",".join(
        b"%d" % n for n in range(MILLION)
    )
    mirror = reducers.fold([as_list, NEXT])
    assert (mirror.applied, mirror.health.rejected) == (1, 1)
    (anomaly,) = mirror.health.anomalies
    assert anomaly.message.startswith("event 0 (tag_delete): tag: expected a string, got [0,1,2,")
    assert len(anomaly.message) < 200


def test_a_bad_entry_at_the_end_of_a_long_policy_is_named() -> None:
    count = 20_000
    policy: dict[str, object] = {f"user-{n}": 3 for n in range(count)}
    policy[f"user-{count - 1}"] = "x"
    tag = {"id": 0, "event": "tag_modify", "time": 5, "tag": "t", "owner": ME, "label": "l"}
    tag |= {"foreign_use": False, "policy": policy}
    with pytest.raises(EventError) as caught:
        reducers.fold([msgspec.json.encode(tag)], strict=True)
    assert str(caught.value) == (
        f'event 0 (tag_modify): policy["user-{count - 1}"]: expected an access level 0..4, got "x"'
    )

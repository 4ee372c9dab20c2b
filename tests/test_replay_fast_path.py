"""``eventmirror replay`` on fold's fast path agrees with applying every record in turn.

The command folds a recording with ``reducers.fold`` (drafts edited in place, the common case
inlined) and a :class:`reducers.Watch` for what it reports besides the mirror. Whatever the
recording holds (malformed lines, gaps, resets, duplicates, time going backwards, unknown
types and fields, response bodies, pretty-printed documents, CRLF, a byte-order mark, a cut
last line), it must give what the old line-by-line path (tests/replay_oracle.py) gives: the
same status, message, count, ``--until-id`` outcome, mirror, output and rejects file, byte
for byte.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

import reducers
from eventmirror import strategies
from eventmirror.rejects import RejectsFile
from eventmirror.replay import ReplayOutcome, _json, replay_recording
from eventmirror.summary import render
from tests.fuzz.hostile import hostile_lines
from tests.replay_oracle import replay_line_by_line
from tests.support import ME, OTHER

#: What happens to each event of a valid stream on its way into the recording.
MOVES = (
    *(["as is"] * 8),
    "dropped",  # a gap
    "twice",  # a duplicate
    "restart",  # a reset: the event again with id 0
    "unknown type",
    "unknown field",
    "malformed",
    "time back",
    "body",  # with the next one in a GET /api/event response body
    "pretty",  # pretty-printed over several lines
    "blank",
    "cycle",  # a folder inside itself: rejected by its reducer
)


@st.composite
def recordings(draw: st.DrawFn) -> bytes:
    """A recording with every kind of trouble in it, built from a valid stream."""
    if draw(st.booleans()):
        stream, _ = draw(strategies.simulated_streams(max_steps=80, max_users=3))
    else:
        stream = draw(strategies.wire_streams(max_size=20))
    lines: list[bytes] = []
    pending: list[dict[str, Any]] = []  # events of a response body in the making
    for event in stream:
        move = draw(st.sampled_from(MOVES))
        if pending:
            pending.append(event)
            lines.append(msgspec.json.encode(pending))
            pending = []
            continue
        if move == "dropped":
            continue
        if move == "twice" and lines:
            lines.append(lines[-1])
        elif move == "restart":
            lines.append(msgspec.json.encode({**event, "id": 0}))
        elif move == "unknown type":
            event = {**event, "event": "hologram_new"}
        elif move == "unknown field":
            event = {**event, "added_later": 1}
        elif move == "malformed":
            lines.append(draw(hostile_lines()))
        elif move == "time back":
            event = {**event, "time": max(0, event["time"] - 1_000)}
        elif move == "body":
            pending.append(event)
            continue
        elif move == "pretty":
            lines.append(msgspec.json.format(msgspec.json.encode(event), indent=2))
            continue
        elif move == "blank":
            lines.append(b"  ")
        elif move == "cycle":
            folder = {"file": OTHER, "volume": ME, "type": "folder", "name": "x", "parent": OTHER}
            event = {"id": event["id"], "event": "file_new", "time": event["time"]}
            event |= {"commit": OTHER, **folder}
        lines.append(msgspec.json.encode(event))
    if pending:
        lines.append(msgspec.json.encode(pending))
    ending = draw(st.sampled_from([b"\n", b"\n", b"\r\n"]))
    text = b"".join(line + ending for line in lines)
    if draw(st.integers(0, 9)) == 0:
        text = b"\xef\xbb\xbf" + text
    if text and draw(st.integers(0, 4)) == 0:
        text = text[: draw(st.integers(0, len(text) - 1))]
    return text


def output(outcome: ReplayOutcome) -> tuple[Any, ...]:
    """What the command prints for an outcome: its status and message, or both forms."""
    if outcome.mirror is None or outcome.error is not None:
        return (outcome.status, outcome.error, outcome.read)
    summary = render(outcome.mirror, "session.jsonl", read=outcome.read, until=outcome.until)
    return (outcome.status, summary, _json(outcome.mirror, outcome.until))


@settings(max_examples=max(200, settings().max_examples))
@given(
    text=recordings(),
    # Strict mode stops at the first fault; lenient replays reach the rejects.
    strict=st.sampled_from([False, False, False, True]),
    until_id=st.sampled_from([None, None, None]) | st.integers(0, 60),
    max_document=st.sampled_from([2**24, 2**24, 2**24, 300]),
    me=st.sampled_from([ME, None]),
)
def test_the_fast_path_replays_as_applying_line_by_line(
    text: bytes, strict: bool, until_id: int | None, max_document: int, me: str | None
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        recording = Path(directory, "session.jsonl")
        recording.write_bytes(text)
        options: dict[str, Any] = {
            "strict": strict,
            "me": me,
            "max_document": max_document,
            "until_id": until_id,
        }
        fast_rejects, slow_rejects = Path(directory, "fast"), Path(directory, "slow")
        fast = replay_recording(str(recording), rejects=RejectsFile(str(fast_rejects)), **options)
        slow = replay_line_by_line(
            str(recording), rejects=RejectsFile(str(slow_rejects)), **options
        )
        assert output(fast) == output(slow)
        assert fast == slow
        assert fast_rejects.read_bytes() == slow_rejects.read_bytes()


def test_the_mirror_at_a_strict_error_is_the_one_before_the_event_in_error(
    tmp_path: Path,
) -> None:
    tag = {"tag": "t", "owner": ME, "label": "x", "foreign_use": False, "policy": {ME: 4}}
    lines = [
        {"id": 0, "event": "tag_new", "time": 1, **tag},
        # Applied, yet its deltas contradict its list: strict mode stops, nothing applied.
        {"id": 1, "event": "object_tag", "time": 2, "object": OTHER, "type": "file"}
        | {"owner": ME, "tag": ["a"], "tag_delete": ["a"]},
    ]
    recording = tmp_path / "session.jsonl"
    recording.write_bytes(b"".join(msgspec.json.encode(line) + b"\n" for line in lines))
    fast = replay_recording(str(recording), strict=True, me=ME)
    assert fast == replay_line_by_line(str(recording), strict=True, me=ME)
    assert fast.status == 1 and fast.mirror is not None and fast.mirror.last_id == 0
    assert fast.mirror == reducers.fold([msgspec.json.encode(lines[0])], me=ME)

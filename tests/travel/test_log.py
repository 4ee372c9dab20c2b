"""``eventmirror log``: filters, changes, the stream's marks where they happened, errors."""

from __future__ import annotations

import argparse
import io
import json
import tempfile
from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventmirror.travel.common import change_json, describe, path_entities
from eventmirror.travel.log import _Log, _log, _names, _Stepped, _text
from reducers.changes import named_strings, step_changes
from reducers.diff import pointer
from reducers.pointer import parse_pointer
from reducers.steps import Step, steps
from tests.reducers.travel_support import recordings
from tests.travel.conftest import OBJECT, TAG, run

Recording = tuple[list[bytes], str | None]


def test_the_log_lists_every_record_with_the_stream_marks_where_they_happened(
    capsys: pytest.CaptureFixture[str], recording: str
) -> None:
    status, out, err = run(capsys, "log", recording)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("id 0       1970-01-01 00:01:40  tag_new")
    assert f'{TAG} ("Projects")' in lines[0]
    assert lines[3] == "-- rejected (line 4): line 4: not JSON " + lines[3].split("not JSON ")[1]
    assert lines[4] == "-- duplicate of id 2, skipped (line 5)"
    assert lines[5] == "-- gap: ids 3..4 are missing (line 6)"
    assert lines[6].startswith("id 5 ") and "object_modify" in lines[6]
    assert "object_fly" in lines[7] and lines[7].endswith("[unknown type]")
    assert lines[9] == "-- reset: the server started a new session, id 0 again (line 9)"


def test_changes_follow_each_event(capsys: pytest.CaptureFixture[str], recording: str) -> None:
    status, out, _ = run(capsys, "log", recording, "--type", "object_modify", "--changes")
    assert status == 0
    assert f'    ~ /objects/{OBJECT}/description: "draft" -> "second"   ("second")' in out
    assert f'    ~ /objects/{OBJECT}/description: "second" -> "final"   ("final")' in out
    assert "tag_new" not in out
    assert "-- gap: ids 3..4 are missing (line 6)" in out  # shown whatever the filter


def test_filters_by_entity_path_and_id_range(
    capsys: pytest.CaptureFixture[str], recording: str
) -> None:
    _, out, _ = run(capsys, "log", recording, "--path", f"/objects/{OBJECT}/trashed", "--json")
    entries = [json.loads(line) for line in out.splitlines()]
    changed = [entry["id"] for entry in entries if not entry["marks"]]
    assert changed == [1, 7]  # created untrashed, then trashed
    _, out, _ = run(capsys, "log", recording, "--entity", TAG, "--from-id", "1", "--to-id", "2")
    assert [line.split()[1] for line in out.splitlines()] == ["1"]


def test_json_lines_are_the_same_bytes_on_every_run(
    capsys: pytest.CaptureFixture[str], recording: str
) -> None:
    _, first, _ = run(capsys, "log", recording, "--changes", "--json")
    _, second, _ = run(capsys, "log", recording, "--changes", "--json")
    assert first == second
    entries = [json.loads(line) for line in first.splitlines()]
    assert len(entries) == 9
    assert entries[5]["gap"] == [3, 4] and entries[5]["marks"] == ["gap"]
    assert entries[3]["marks"] == ["rejected"] and "reason" in entries[3]
    assert entries[2]["changes"] == [
        {
            "path": f"/objects/{OBJECT}/description",
            "kind": "changed",
            "old": "draft",
            "new": "second",
            "entities": {OBJECT: "second"},
        }
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from-id", "42"], "--from-id 42: id 42 is not in the recording (its ids are 0 to 7)"),
        (["--to-id", "3"], "--to-id 3: id 3 is not in the recording"),
        (["--path", "objects"], "did you mean '/objects'?"),
        (["--path", f"/objects/{OBJECT}/descripton"], "did you mean 'description'?"),
    ],
)
def test_a_bad_id_or_path_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], recording: str, argv: list[str], message: str
) -> None:
    status, _, err = run(capsys, "log", recording, *argv)
    assert status == 2
    assert err.startswith("eventmirror log: ") and message in err


def test_a_missing_recording_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "log", "/nonexistent/session.jsonl")
    assert status == 2 and "cannot read /nonexistent/session.jsonl" in err


#: Keys as a path may hold them, with the characters a JSON Pointer escapes drawn often.
KEYS = st.text(st.sampled_from("ab~/01"), max_size=4) | st.sampled_from(["volumes", "files"])


@given(st.lists(KEYS, max_size=6))
def test_the_entities_of_a_path_are_read_from_its_keys(keys: list[str]) -> None:
    # path_entities splits the pointer itself (a full parse costs a log 10%): the same keys.
    parsed = parse_pointer(pointer(*keys))
    expected = [(parsed[1], False)] if len(parsed) > 1 else []
    if len(parsed) > 3 and parsed[0] == "volumes" and parsed[2] == "files":
        expected.append((parsed[3], True))
    assert list(path_entities(pointer(*keys))) == expected


@given(recordings(max_size=25))
def test_each_step_describes_entities_as_describe_finds_them(recording: Recording) -> None:
    # The log looks each entity up once a step: the lines are those describe gives.
    lines, me = recording
    for step in steps(lines, me=me):
        changes = step_changes(step.before, step.mirror, step.type, named_strings(step.data))
        direct = partial(_direct, step)
        assert list(_text(step, changes, _names(step))) == list(_text(step, changes, direct))
        document = [change_json(change, names=_names(step)) for change in changes]
        assert document == [change_json(change, step.mirror, step.before) for change in changes]


def _direct(step: Step, uuid: str, files: bool) -> str | None:
    return describe(uuid, step.mirror, step.before, files=files)


@given(recordings(max_size=25), st.booleans())
def test_the_log_reads_in_place_what_it_read_step_by_step(
    recording: Recording, as_json: bool
) -> None:
    # Without --path the log folds in place (reducers.trace); it must write the bytes the
    # step-by-step reading (reducers.steps, every mirror kept) gives.
    lines, me = recording
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as file:
        file.write(b"\n".join(lines) + b"\n")
        file.flush()
        args = argparse.Namespace(path=file.name, me=me, type=None, entity=None, pointer=None,
                                  from_id=None, to_id=None, changes=True, json=as_json)  # fmt: skip
        traced, stepped = io.StringIO(), io.StringIO()
        _log(args, traced)
        log = _Log(args, stepped, None)
        for step in steps(file.name, me=me):
            log.take(_Stepped(step))
        log.flush()
    assert traced.getvalue() == stepped.getvalue()

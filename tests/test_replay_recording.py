"""``replay_recording``: one recording replayed without printing (the command, a fleet)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import msgspec
import pytest

import reducers
from eventmirror import replay
from eventmirror.rejects import RejectsFile
from eventmirror.replay import (
    EXIT_INPUT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    ReplayOutcome,
    replay_recording,
)
from tests.support import ME, wire


def tag(id: int) -> bytes:
    payload = {"tag": f"t{id}", "owner": ME, "label": "x", "foreign_use": False, "policy": {ME: 4}}
    return msgspec.json.encode(wire("tag_new", id, 1_000 + id, **payload))


def write(tmp_path: Path, *lines: bytes) -> str:
    path = tmp_path / "session.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return str(path)


def test_a_recording_replays_into_the_mirror_fold_builds(tmp_path: Path) -> None:
    lines = [tag(0), tag(1), b"not json", tag(2)]
    path = write(tmp_path, *lines)
    outcome = replay_recording(path, me=ME)
    assert outcome.status == EXIT_OK and outcome.error is None and outcome.read == 4
    with open(path, "rb") as recording:
        assert outcome.mirror == reducers.fold(recording, me=ME)
    assert outcome.mirror.health.anomalies[0].line == 3
    assert outcome.until is None


def test_an_unreadable_recording_is_an_outcome_not_an_exception(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.jsonl")
    assert replay_recording(missing) == ReplayOutcome(
        EXIT_USAGE, None, 0, f"cannot read {missing}: No such file or directory"
    )


def test_an_unwritable_rejects_file_is_an_outcome_and_is_not_created_for_a_missing_input(
    tmp_path: Path,
) -> None:
    rejects = tmp_path / "missing-dir" / "r.jsonl"
    outcome = replay_recording(write(tmp_path, tag(0)), rejects=RejectsFile(str(rejects)))
    assert outcome.status == EXIT_USAGE and outcome.error is not None
    assert outcome.error.startswith(f"cannot write {rejects}")
    kept = tmp_path / "kept.jsonl"
    outcome = replay_recording(str(tmp_path / "missing.jsonl"), rejects=RejectsFile(str(kept)))
    assert outcome.status == EXIT_USAGE and not kept.exists()


def test_rejects_are_written_and_counted(tmp_path: Path) -> None:
    rejects = RejectsFile(str(tmp_path / "r.jsonl"))
    outcome = replay_recording(write(tmp_path, tag(0), b"oops", tag(1)), rejects=rejects)
    assert outcome.status == EXIT_OK and rejects.count == 1
    entry = msgspec.json.decode((tmp_path / "r.jsonl").read_bytes())
    assert entry["line"] == 2 and entry["text"] == "oops"


def test_strict_errors_and_unusable_input_carry_the_command_s_message(tmp_path: Path) -> None:
    path = write(tmp_path, tag(0), tag(5))
    outcome = replay_recording(path, strict=True)
    assert outcome.status == EXIT_INPUT_ERROR and outcome.read == 1
    assert outcome.mirror is not None and outcome.mirror.last_id == 0
    assert outcome.error is not None and outcome.error.startswith(f"{path}: line 2: event 5")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert replay_recording(str(empty)) == ReplayOutcome(
        EXIT_USAGE, None, 0, f"no events in {empty}: it is empty"
    )


def test_until_id_and_progress(tmp_path: Path) -> None:
    lines = [tag(i) for i in range(10_000)]
    seen: list[tuple[int, int | None]] = []
    outcome = replay_recording(
        write(tmp_path, *lines), until_id=9_000, progress=lambda n, at: seen.append((n, at))
    )
    assert outcome.until is not None and outcome.until.outcome == "reached"
    assert outcome.mirror is not None and outcome.mirror.last_id == 9_000
    assert outcome.read == 9_001
    assert [n for n, _ in seen] == [4096, 8192]
    assert all(at is not None and at > 0 for _, at in seen)


class _FailingDisk(io.BytesIO):
    """A recording whose second line cannot be read."""

    def readline(self, size: int | None = -1, /) -> bytes:
        if self.tell() > 0:
            raise OSError(5, "Input/output error")
        return super().readline(size)


def test_a_read_failing_midway_is_an_outcome_naming_its_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    @contextmanager
    def failing(path: str) -> Iterator[io.BytesIO]:
        yield _FailingDisk(tag(0) + b"\n" + tag(1) + b"\n")

    monkeypatch.setattr(replay, "open_recording", failing)
    outcome = replay_recording("day.jsonl")
    assert outcome.status == EXIT_USAGE and outcome.mirror is None
    assert outcome.error == "reading failed at line 2: [Errno 5] Input/output error"

"""``eventmirror simulate``: recordings that replay to the simulator's views, byte-stable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

import reducers
from eventmirror.cli import main
from eventmirror.events import EVENT_TYPES
from simulator import World
from simulator.driver import run_day
from simulator.recording import INDEX, Index, SessionFile, summary
from tests.support import assert_same_state


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def index_of(out: Path) -> Index:
    return msgspec.json.decode((out / INDEX).read_bytes(), type=Index)


def contents(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def test_every_recording_replays_to_the_simulator_s_view(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "day"
    status, summary, err = run(capsys, "simulate", "4", "--out", str(out), "--steps", "300")
    assert status == 0 and err == ""
    index = index_of(out)
    world = run_day(4, steps=300, users=4)
    assert (index.seed, index.steps, index.users, index.now) == (4, 300, 4, world.now)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [INDEX, *(s.file for s in index.sessions)]
    )
    assert [s.session for s in index.sessions] == list(world.sessions)
    for entry in index.sessions:
        session = world.sessions[entry.session]
        assert (entry.uuid, entry.user) == (session.user, world.names[session.user])
        assert entry.file == f"{entry.session}-{entry.user}.jsonl"
        lines = (out / entry.file).read_bytes().splitlines()
        assert len(lines) == entry.events == len(session.events) > 0
        assert all(msgspec.json.encode(msgspec.json.decode(line)) == line for line in lines)
        assert entry.file in summary and str(entry.events) in summary

        status, dumped, err = run(
            capsys, "replay", str(out / entry.file), "--me", entry.uuid, "--json"
        )
        assert status == 0 and err == ""
        mirror = reducers.loads(dumped.encode())
        assert mirror.health.anomaly_count == 0
        assert_same_state(mirror, world.view(entry.session), index.now, entry.file)
    used = {
        msgspec.json.decode(line)["event"]
        for s in index.sessions
        for line in (out / s.file).read_bytes().splitlines()
    }
    assert f"event types used: {len(used)} of {len(EVENT_TYPES)}" in summary


def test_the_summary_names_the_event_types_a_short_day_misses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, summary, _ = run(capsys, "simulate", "0", "--out", str(tmp_path), "--steps", "5")
    assert status == 0
    assert "(none of: " in summary and "presentation_keepalive" in summary
    status, summary, _ = run(capsys, "simulate", "0", "--out", str(tmp_path / "full"))
    assert (
        status == 0 and f"event types used: {len(EVENT_TYPES)} of {len(EVENT_TYPES)}\n" in summary
    )


def test_two_runs_write_identical_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    def simulate(out: Path, hash_seed: str) -> dict[str, bytes]:
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        command = [sys.executable, "-m", "eventmirror.cli", "simulate", "8", "--out", str(out)]
        subprocess.run(
            [*command, "--steps", "250", "--users", "5"], env=env, check=True, capture_output=True
        )
        return contents(out)

    first, second = simulate(tmp_path / "a", "1"), simulate(tmp_path / "b", "2")
    assert first == second and len(first) > 2


def test_existing_recordings_are_not_overwritten_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, "simulate", "1", "--out", str(tmp_path), "--users", "5")[0] == 0
    before = contents(tmp_path)
    status, out, err = run(capsys, "simulate", "2", "--out", str(tmp_path), "--users", "5")
    assert (status, out) == (2, "")
    assert "exists" in err and "--force" in err
    assert contents(tmp_path) == before

    status, _, err = run(capsys, "simulate", "2", "--out", str(tmp_path), "--users", "2", "--force")
    assert status == 0 and err == ""
    index = index_of(tmp_path)
    assert index.seed == 2 and len({s.user for s in index.sessions}) == 2
    # The old day's other sessions are gone: the directory holds one day only.
    assert sorted(contents(tmp_path)) == sorted([INDEX, *(s.file for s in index.sessions)])


def test_a_recording_file_in_the_way_is_refused_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "s1-anna.jsonl").write_bytes(b"mine\n")
    status, _, err = run(capsys, "simulate", "1", "--out", str(tmp_path))
    assert status == 2 and "s1-anna.jsonl exists" in err
    assert contents(tmp_path) == {"s1-anna.jsonl": b"mine\n"}


@pytest.mark.parametrize("argv", [["-1", "--out", "x"], ["1"], ["1", "--out", "x", "--users", "0"]])
def test_bad_arguments_are_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["simulate", *argv])
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_the_help_documents_simulate(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "simulate" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["simulate", "--help"])
    text = capsys.readouterr().out
    assert "SEED" in text and "--force" in text and "replay FILE --me UUID" in text


def test_the_summary_counts_in_words_that_agree_with_the_numbers() -> None:
    world = World(seed=0)
    world.add_user("anna")
    world.open_session("anna")
    world.tags.create("anna", "Projects")
    entry = SessionFile(session="s1", user="anna", uuid=world.users["anna"], file="a", events=1)
    index = Index(seed=0, steps=1, users=1, start=0, now=60, sessions=[entry])
    text = summary(world, index)
    assert "1 user, 1 step, 1 session, 1 event," in text
    assert " 1 event   me = " in text

"""The ``eventmirror`` command: replay's summary, JSON form, strict mode, time travel, errors."""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

import reducers
from eventmirror.cli import main
from eventmirror.examples import EXAMPLE, EXAMPLE_ME
from tests.support import ME, wire


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def write(tmp_path: Path, *lines: bytes) -> str:
    path = tmp_path / "session.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return str(path)


def tag(id: int, label: str = "x") -> bytes:
    payload = {
        "tag": f"t{id}",
        "owner": ME,
        "label": label,
        "foreign_use": False,
        "policy": {ME: 4},
    }
    return msgspec.json.encode(wire("tag_new", id, 1_000 + id, **payload))


@pytest.fixture
def terminal_stdin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Standard input that is not piped: a character device, as a terminal is."""
    with open(os.devnull) as devnull:
        monkeypatch.setattr(sys, "stdin", devnull)
        yield


@pytest.mark.usefixtures("terminal_stdin")
def test_replay_without_a_path_summarises_the_bundled_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "replay")
    assert status == 0 and err == ""
    assert out.startswith("replayed the bundled example, office-day.jsonl\n")
    lines = out.splitlines()
    assert f"mirror (me = {EXAMPLE_ME})" in lines
    mirror = reducers.fold(EXAMPLE.read_bytes().splitlines(), me=EXAMPLE_ME)
    assert any(line.split()[:2] == ["tags", str(len(mirror.tags))] for line in lines)
    assert any(line.split()[:3] == ["last", "id", str(mirror.last_id)] for line in lines)


def test_replay_json_is_the_mirror_s_json_form(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, tag(0), tag(1), tag(3))
    status, out, _ = run(capsys, "replay", path, "--json", "--me", ME)
    assert status == 0
    expected = reducers.fold([tag(0), tag(1), tag(3)], me=ME)
    assert reducers.loads(out) == expected


def test_summary_lists_each_anomaly_with_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(
        tmp_path, tag(0), b'{"id": 1, "event": "tag_delete", "time": 5}', b"not json", tag(2)
    )
    status, out, _ = run(capsys, "replay", path)
    assert status == 0
    assert "    - line 2: event 1 (tag_delete): tag: missing, expected a string" in out
    assert "    - line 3: not JSON (JSON is malformed: invalid character (byte 4))" in out
    row = next(line for line in out.splitlines() if line.startswith("  anomalies"))
    assert row.split() == ["anomalies", "2", "2", "rejected,", "0", "inconsistent"]


def test_strict_mode_stops_at_the_first_bad_event(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, tag(0), tag(1), tag(5))
    status, out, err = run(capsys, "replay", path, "--strict")
    assert status == 1 and out == ""
    assert err == (
        f"eventmirror replay: {path}: line 3: event 5 (tag_new): id: expected 2 "
        "(ids 2..4 are missing), got 5\n"
    )


def test_until_id_travels_back_in_time(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, tag(0), tag(1), tag(2), tag(3))
    status, out, _ = run(capsys, "replay", path, "--json", "--until-id", "1")
    assert status == 0
    assert reducers.loads(out) == reducers.fold([tag(0), tag(1)])


def test_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = b"[" + b",".join([tag(0), tag(1)]) + b"]"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body)))
    status, out, _ = run(capsys, "replay", "-", "--json")
    assert status == 0
    assert reducers.loads(out) == reducers.fold([tag(0), tag(1)])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["replay", "missing.jsonl"], "missing.jsonl"),
        (
            ["replay", "x", "--until-id", "soon"],
            "expected an event id (a whole number), got 'soon'",
        ),
        (["replay", "x", "--until-id", "-2"], "expected an event id >= 0, got -2"),
        (["unknown-command"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_a_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    try:
        status = main(argv)
    except SystemExit as exit:  # argparse reports usage errors by exiting
        status = int(exit.code or 0)
    assert status == 2
    assert message in capsys.readouterr().err


def test_output_is_byte_identical_across_runs_and_hash_seeds() -> None:
    outputs = set()
    for seed in ("0", "7", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        for extra in ([], ["--json"]):
            result = subprocess.run(
                [sys.executable, "-m", "eventmirror", "replay", *extra],
                capture_output=True,
                check=True,
                env=env,
                stdin=subprocess.DEVNULL,  # not piped: replay reads the bundled example
            )
            outputs.add((tuple(extra), result.stdout))
    assert len(outputs) == 2


def test_strict_error_without_an_id_names_its_line_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, tag(0), b"not json")
    status, _, err = run(capsys, "replay", path, "--strict")
    assert status == 1
    assert err == (
        f"eventmirror replay: {path}: line 2: not JSON "
        "(JSON is malformed: invalid character (byte 4)): 'not json'\n"
    )


def test_rejects_keeps_every_rejected_line_verbatim(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad_event = b'{"id": 1, "event": "tag_delete", "time": 5}'
    not_utf8 = b"\xff\xfe"
    path = write(tmp_path, tag(0), bad_event, b"not json", not_utf8, tag(2))
    rejects = tmp_path / "rejects.jsonl"
    status, out, _ = run(capsys, "replay", path, "--rejects", str(rejects))
    assert status == 0
    assert out.endswith(f"rejected lines: 3 written to {rejects}\n")
    entries = [msgspec.json.decode(line) for line in rejects.read_bytes().splitlines()]
    assert [e["line"] for e in entries] == [2, 3, 4]
    assert entries[0]["text"].encode() == bad_event
    assert entries[0]["reason"] == "event 1 (tag_delete): tag: missing, expected a string"
    assert entries[1]["text"] == "not json" and "not JSON" in entries[1]["reason"]
    assert base64.b64decode(entries[2]["base64"]) == not_utf8 and "text" not in entries[2]


def test_rejects_to_an_unwritable_place_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, tag(0))
    status = main(["replay", path, "--rejects", str(tmp_path / "missing-dir" / "r.jsonl")])
    assert status == 2
    assert "cannot write" in capsys.readouterr().err


def test_the_summary_says_how_many_records_were_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, tag(1), tag(1), b"not json", tag(2), b'{"id":3,"event":"hologram"}')
    status, out, _ = run(capsys, "replay", path)
    assert status == 0
    assert "records read           5   = applied + duplicates + unknown + rejected" in out
    mirror = reducers.fold(Path(path).read_bytes().splitlines())
    health = mirror.health
    assert mirror.applied + health.duplicates + health.unknown + health.rejected == 5


def test_a_malformed_event_with_a_stale_id_is_a_duplicate_in_both_modes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, tag(5), b'{"id":3,"event":"tag_delete","time":5}', tag(6))
    for mode in ((), ("--strict",)):
        status, out, _ = run(capsys, "replay", path, *mode)
        assert status == 0, mode
        assert "duplicates             1" in out and "0 rejected" in out


def test_max_document_sets_the_size_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, tag(1), b'{"id": 2, "pad": "' + b"x" * 3000 + b'"}', tag(3))
    status, out, _ = run(capsys, "replay", path, "--max-document", "1K")
    assert status == 0
    assert "line 2: too large: a document over 1024 bytes" in out
    assert "applied                2" in out
    status, out, _ = run(capsys, "replay", path)
    assert "too large" not in out
    with pytest.raises(SystemExit):
        main(["replay", path, "--max-document", "lots"])


# -- standard input without a path (piped or redirected is read; a terminal is not) ---------


def test_piped_standard_input_without_a_path_is_replayed() -> None:
    lines = [tag(0), tag(1), tag(2)]
    result = subprocess.run(
        [sys.executable, "-m", "eventmirror", "replay", "--json"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        check=True,
    )
    assert reducers.loads(result.stdout) == reducers.fold(lines)


def test_redirected_standard_input_without_a_path_is_replayed(tmp_path: Path) -> None:
    path = write(tmp_path, tag(0), tag(1))
    with open(path, "rb") as redirected:
        result = subprocess.run(
            [sys.executable, "-m", "eventmirror", "replay"],
            stdin=redirected,
            capture_output=True,
            check=True,
        )
    assert result.stdout.startswith(b"replayed standard input\n")


def test_help_says_what_replay_reads_without_a_path(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["replay", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "default: standard input when it is piped or redirected" in help_text
    assert "on a terminal, the bundled example day" in help_text


# -- unusable input: exit status 2, saying what is wrong -------------------------------------


@pytest.mark.parametrize("mode", [(), ("--strict",)], ids=["lenient", "strict"])
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "it is empty"),
        (b"\n  \n", "it holds only whitespace"),
        (b"[]\n[]\n", "it holds only empty JSON arrays"),
        (b"\x7fELF\x02\x01\x01\x00\x00", "it looks binary, not JSON text: a NUL byte at offset 7"),
        (b"\x1f\x8b\x08\x00", "it looks binary, not JSON text: gzip-compressed"),
        (b"\xff\xd8\xff\xe0 jpeg", "it looks binary, not JSON text: bytes that are not UTF-8"),
        (
            b"hello\nworld\n",
            "none of its 2 records is an event (the first: line 1: not JSON",
        ),
        (b'{"no": "id"}\n', "its one record is not an event (the first: line 1: id: missing"),
    ],
)
def test_input_without_a_single_event_exits_2_saying_why(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: bytes,
    reason: str,
    mode: tuple[str, ...],
) -> None:
    path = tmp_path / "session.jsonl"
    path.write_bytes(content)
    status, out, err = run(capsys, "replay", str(path), *mode)
    assert status == 2 and out == ""
    assert err.startswith(f"eventmirror replay: no events in {path}: {reason}")


def test_piped_input_without_events_names_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(b""))))
    status, _, err = run(capsys, "replay", "-")
    assert status == 2
    assert err == "eventmirror replay: no events in standard input: it is empty\n"


def test_strict_mode_exits_1_when_events_follow_a_bad_first_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, b"not json", tag(0))
    status, _, err = run(capsys, "replay", path, "--strict")
    assert status == 1 and "line 1: not JSON" in err


# -- --until-id that is not in the recording -------------------------------------------------


@pytest.mark.parametrize(
    ("ids", "until", "outcome", "seen", "message"),
    [
        ([0, 1, 2], 1, "reached", 2, "replayed up to event 1"),
        ([0, 1, 2], 2, "reached", 2, "replayed up to event 2"),
        (
            [0, 1, 2],
            500,
            "past_the_end",
            2,
            "id 500 is past the end: the recording ends at id 2; all of it replayed",
        ),
        (
            [10, 11],
            3,
            "before_the_first_id",
            10,
            "id 3 is before the first id: the recording starts at id 10; nothing replayed",
        ),
        (
            [0, 1, 5, 6],
            3,
            "not_in_the_recording",
            5,
            "id 3 is not in the recording: replayed up to id 1, stopped before id 5",
        ),
    ],
)
def test_until_id_says_where_it_stopped(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    ids: list[int],
    until: int,
    outcome: str,
    seen: int,
    message: str,
) -> None:
    path = write(tmp_path, *(tag(i) for i in ids))
    status, out, _ = run(capsys, "replay", path, "--until-id", str(until))
    assert status == 0
    assert out.splitlines()[:2] == [f"replayed {path}", f"--until-id {until}: {message}"]
    status, out, _ = run(capsys, "replay", path, "--until-id", str(until), "--json")
    assert status == 0
    document = msgspec.json.decode(out)
    assert document["until_id"] == {
        "requested": until,
        "outcome": outcome,
        "last_id_seen": seen,
        "message": message,
    }
    # The extra key does not keep the document from loading as the mirror it holds.
    expected = reducers.fold([tag(i) for i in ids if i <= until])
    assert reducers.loads(out) == expected
    del document["until_id"]
    assert msgspec.json.format(msgspec.json.encode(document, order="sorted"), indent=2) == (
        reducers.dumps(expected, indent=2)
    )


def test_until_id_stops_at_a_malformed_event_past_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, tag(0), tag(1), b'{"id": 2, "event": "tag_delete", "time": 5}')
    status, out, _ = run(capsys, "replay", path, "--until-id", "1")
    assert status == 0
    assert "--until-id 1: replayed up to event 1" in out and "0 rejected" in out


def test_without_until_id_the_json_is_the_mirror_s_form_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, tag(0))
    status, out, _ = run(capsys, "replay", path, "--json")
    assert status == 0
    assert out.encode() == reducers.dumps(reducers.fold([tag(0)]), indent=2) + b"\n"

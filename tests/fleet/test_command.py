"""``eventmirror replay PATH...`` on a corpus: the table, --json, exit status, rejects, jobs."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from eventmirror.cli import main
from eventmirror.fleet.engines import DASK_MISSING
from eventmirror.fleet.report import NO_EVENT_TYPE, WHOLE_RECORD
from tests.fleet.corpus_files import make_corpus


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_corpus(tmp_path).relative_to(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def as_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    status, out, _ = run(capsys, *argv, "--json")
    document: dict[str, Any] = json.loads(out)
    return status, document


def test_a_corpus_is_a_table_of_its_recordings_with_their_totals(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "replay", str(corpus), "missing.jsonl", "--jobs", "1")
    assert status == 2 and err == ""
    lines = out.splitlines()
    assert lines[0] == "replayed 5 recordings: 3 ok, 2 unusable"
    header = lines[2].split()
    assert header[:3] == ["#", "recording", "read"] and header[-1] == "result"
    rows = {line.split()[1]: line.split() for line in lines[3:8]}
    assert [row[0] for row in rows.values()] == ["1", "2", "3", "4", "5"]
    assert list(rows) == [
        "corpus/deep/binary.jsonl",
        "corpus/deep/troubled.jsonl",
        "corpus/gap.jsonl",
        "corpus/office-day.jsonl",
        "missing.jsonl",
    ]
    # read, applied, dups, gaps, resets, unknown, fields, anomalies, result
    numbers = {path: [int(cell) for cell in row[2:-1]] for path, row in rows.items()}
    assert numbers["corpus/deep/troubled.jsonl"] == [9, 4, 1, 1, 1, 1, 1, 3]
    assert numbers["corpus/gap.jsonl"] == [3, 3, 0, 1, 0, 0, 0, 0]
    assert rows["corpus/gap.jsonl"][-1] == "ok"
    assert rows["missing.jsonl"][-1] == "unusable"
    assert lines[8].split()[0] == "all"
    text = "\n".join(lines)
    assert "unknown event types\n  weird_thing" in text
    assert "fields outside the reference (event_type.field)\n  tag_new.colour" in text
    assert "unusable recordings\n  #1 no events in corpus/deep/binary.jsonl" in text
    assert "  #5 cannot read missing.jsonl: No such file or directory" in text


def test_json_has_one_object_a_recording_and_the_totals(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, document = as_json(capsys, "replay", str(corpus), "--jobs", "1")
    assert status == 2
    recordings, totals = document["recordings"], document["totals"]
    troubled = recordings[1]
    assert troubled["path"].endswith("troubled.jsonl") and troubled["result"] == "ok"
    assert troubled["anomaly_paths"] == {
        NO_EVENT_TYPE: {WHOLE_RECORD: 1},
        "tag_delete": {"tag": 2},
    }
    assert troubled["unknown_types"] == {"weird_thing": 1}
    assert (troubled["resets"], troubled["duplicates"], troubled["missing"]) == (1, 1, 2)
    assert totals["recordings"] == 4 and totals["unusable"] == 1 and totals["status"] == 2
    assert totals["read"] == sum(recording["read"] for recording in recordings)
    assert [failure["index"] for failure in totals["failures"]] == [1]


def test_each_row_counts_what_replaying_that_recording_alone_gives(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, document = as_json(capsys, "replay", str(corpus), "--jobs", "2")
    for row in document["recordings"]:
        if row["result"] != "ok":
            continue
        _, alone = as_json(capsys, "replay", row["path"])
        stream = alone["stream"]
        assert row["applied"] == stream["applied"]
        assert (row["duplicates"], row["missing"]) == (stream["duplicates"], stream["missing"])
        assert row["anomalies"] == stream["rejected"] + stream["inconsistent"]
        assert row["gaps"] == len(stream["gaps"])


def test_the_output_is_the_same_bytes_whatever_the_jobs_and_the_run(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = set()
    for jobs in ("1", "2", "2"):
        for extra in ([], ["--json"]):
            status, out, _ = run(capsys, "replay", str(corpus / "*"), "--jobs", jobs, *extra)
            outputs.add((tuple(extra), status, out))
    assert len(outputs) == 2


def test_strict_failures_give_status_1_and_say_where(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "replay", str(corpus / "*.jsonl"), "--strict")
    assert status == 1
    assert out.startswith("replayed 2 recordings: 1 ok, 1 strict failure\n")
    assert "strict failures\n  #1 corpus/gap.jsonl: line 3: event 3 (tag_new): id:" in out


def test_all_ok_is_status_0(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "replay", str(corpus / "*.jsonl"))
    assert status == 0 and out.startswith("replayed 2 recordings: 2 ok\n")


def test_rejects_dir_gets_one_file_a_recording_as_replay_writes_alone(
    corpus: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, _ = run(capsys, "replay", str(corpus), "--rejects", "out/rejects")
    assert status == 2
    assert out.endswith("\nrejected lines: 4 written to out/rejects\n")
    files = sorted(path.name for path in (tmp_path / "out" / "rejects").iterdir())
    assert files == [
        "1-corpus_deep_binary.jsonl.rejects.jsonl",
        "2-corpus_deep_troubled.jsonl.rejects.jsonl",
        "3-corpus_gap.jsonl.rejects.jsonl",
        "4-corpus_office-day.jsonl.rejects.jsonl",
    ]
    run(capsys, "replay", str(corpus / "deep" / "troubled.jsonl"), "--rejects", "alone.jsonl")
    written = (tmp_path / "out" / "rejects" / files[1]).read_bytes()
    assert written == (tmp_path / "alone.jsonl").read_bytes() and written.count(b"\n") == 3


def test_usage_errors(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "replay", str(corpus), "-")
    assert status == 2 and "standard input (-) cannot be one of several" in err
    status, _, err = run(capsys, "replay", str(corpus), "--scheduler", "tcp://x:1")
    assert status == 2 and "--scheduler needs --engine dask" in err
    (corpus / "empty").mkdir()
    status, _, err = run(capsys, "replay", str(corpus / "empty"))
    assert status == 2 and "no recordings (*.jsonl files) in corpus/empty" in err


def test_without_dask_the_engine_says_how_to_install_it(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(name: str) -> object:
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr("importlib.import_module", missing)
    status, out, err = run(capsys, "replay", str(corpus), "--engine", "dask")
    assert status == 2 and out == ""
    assert err == f"eventmirror replay: {DASK_MISSING}\n"
    assert "pip install 'eventmirror[dask]'" in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_counts_files_and_events_on_a_terminal(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr("eventmirror.progress.SHOW_AFTER", 0.0)
    monkeypatch.setattr("eventmirror.progress._REFRESH", 0.0)
    main(["replay", str(corpus), "--jobs", "1"])
    shown = terminal.getvalue()
    assert "4/4 files  " in shown and " events/s" in shown
    assert shown.endswith("\r\x1b[K")  # cleared at the end


def test_until_id_stops_every_recording_and_each_says_where(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, document = as_json(capsys, "replay", str(corpus / "*.jsonl"), "--until-id", "1")
    assert status == 0
    rows = document["recordings"]
    assert [(row["read"], row["until"]) for row in rows] == [
        (2, "replayed up to event 1"),
        (2, "replayed up to event 1"),
    ]


def test_a_crash_on_one_recording_is_its_row_and_the_others_go_on(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import eventmirror.fleet.worker as worker
    from eventmirror.replay import replay_recording as real

    def fragile(path: str, **options: Any) -> Any:
        if path.endswith("gap.jsonl"):
            raise RuntimeError("boom")
        return real(path, **options)

    monkeypatch.setattr(worker, "replay_recording", fragile)
    status, out, _ = run(capsys, "replay", str(corpus / "*.jsonl"), "--jobs", "1")
    assert status == 2
    assert out.startswith("replayed 2 recordings: 1 ok, 1 unusable\n")
    assert "  #1 corpus/gap.jsonl: eventmirror failed on it (RuntimeError: boom)" in out

"""``eventmirror run --client/--client-cmd``: the client beside every session, the conformance
report (text and --json, the same bytes every run), usage errors, exit status."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from eventmirror.cli import main
from scenarios.rulings import RULINGS

from .samples import PASSING

ROOT = Path(__file__).resolve().parents[2]
TOY = "tests.scenarios.toy_clients"
MIRROR_CLIENT = Path(__file__).parent / "process_clients" / "mirror_client.py"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["run", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def root(monkeypatch: pytest.MonkeyPatch) -> Path:
    # Factories are imported from the current directory, as a client author's would be.
    monkeypatch.chdir(ROOT)
    return ROOT


def test_a_correct_client_passes_the_library_and_covers_every_ruling_and_event_type(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    status, out, _ = run(capsys, "--client", f"{TOY}:MirrorClient")
    assert status == 0
    conformance = out[out.index("conformance of the client") :]
    assert conformance.startswith(f"conformance of the client (--client {TOY}:MirrorClient):\n")
    assert f"  rulings: 0 failed, {len(RULINGS)} passed, 0 not covered\n" in conformance
    assert "  event types: 0 failed, 56 passed, 0 not covered\n" in conformance
    assert "FAIL" not in out


def test_a_buggy_client_fails_and_the_report_names_what_it_failed(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    status, out, _ = run(capsys, "--client", f"{TOY}:ForgetsTrashPurge")
    assert status == 1
    assert "FAIL objects.scenario.yaml:47 deleting without purge" in out
    assert "objects.scenario.yaml:93: scenario" in out  # the failing step's report
    assert (
        "    FAIL trash-then-purge: objects.scenario.yaml:47 deleting without purge moves the "
        "object to the trash; the owner's purge removes it; objects.scenario.yaml:253 purging "
        "my trash leaves another owner's trashed object I can read\n" in out
    )
    assert "    FAIL trash_purge: objects.scenario.yaml:47 deleting without purge" in out
    assert "  event types: 1 failed, 55 passed, 0 not covered\n" in out


def test_a_selection_leaves_rulings_and_event_types_not_covered(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    status, out, _ = run(capsys, "-k", "purge", "--client", f"{TOY}:ForgetsTrashPurge", "--json")
    assert status == 1
    report = json.loads(out)["conformance"]
    assert report["client"] == f"--client {TOY}:ForgetsTrashPurge"
    assert report["rulings"]["trash-then-purge"] == {
        "status": "failed",
        "passed_in": 0,
        "failed_in": [
            "objects.scenario.yaml:47 deleting without purge moves the object to the trash; "
            "the owner's purge removes it"
        ],
    }
    assert report["rulings"]["typing-expiry"]["status"] == "not covered"
    assert report["event_types"]["object_new"]["status"] == "passed"
    assert report["event_types"]["chat_new"]["status"] == "not covered"
    summary = report["summary"]["rulings"]
    assert summary["failed"] == 1 and sum(summary.values()) == len(RULINGS)


def test_a_client_is_covered_only_where_a_step_changes_what_it_reports(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    status, out, _ = run(capsys, "--client", f"{TOY}:TagsOnly", "--json")
    assert status == 0
    report = json.loads(out)["conformance"]
    rulings, types = report["rulings"], report["event_types"]
    # A client of tags passes the chat scenarios untested: chats are not covered.
    assert rulings["typing-expiry"]["status"] == "not covered"
    assert types["chat_user"]["status"] == types["trash_purge"]["status"] == "not covered"
    assert rulings["losing-tag-access"]["status"] == "passed"
    assert types["tag_new"]["status"] == types["tag_delete"]["status"] == "passed"


def test_without_a_client_there_is_no_conformance_report(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    status, out, _ = run(capsys, "-k", "purge", "--json")
    assert status == 0 and "conformance" not in json.loads(out)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--client", "nomodule_here:make"], "cannot import 'nomodule_here'"),
        (["--client", f"{TOY}:MirorClient"], "did you mean 'MirrorClient'?"),
        (["--client", "no-colon"], "name the client factory as MODULE:FACTORY"),
        (["--client-cmd", "no-such-program-here"], "there is no program"),
        (["--client-cmd", "x", "--client-timeout", "0"], "seconds > 0"),
    ],
)
def test_a_client_that_cannot_be_had_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], root: Path, argv: list[str], said: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert err.startswith("eventmirror run: ") and said in err


def test_client_and_client_cmd_exclude_each_other(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["run", "--client", "a:b", "--client-cmd", "c"])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_a_client_process_per_session_passes_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "good.scenario.yaml"
    path.write_text(PASSING)
    command = shlex.join([sys.executable, str(MIRROR_CLIENT)])
    status, out, _ = run(capsys, str(path), "--client-cmd", command)
    assert status == 0, out
    assert "2 passed, 0 failed in 1 file" in out
    assert f"conformance of the client (--client-cmd {shlex.quote(command)}):" in out


def test_the_conformance_report_is_the_same_bytes_every_run(tmp_path: Path) -> None:
    def once(seed: str) -> bytes:
        done = subprocess.run(
            [sys.executable, "-m", "eventmirror", "run", "--client", f"{TOY}:NoClock", "--json"],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        return done.stdout

    assert once("1") == once("2")

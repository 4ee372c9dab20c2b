"""``eventmirror run``: lines, reports, summary, exit status, -k, -x, --json, determinism."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import scenarios
from eventmirror.cli import main
from scenarios.cli import library
from scenarios.client import Factory

from .samples import PASSING

FAILING = """\
name: a label that is not what was created
users: [anna]
steps:
  - do: tags.create
    as: anna
    with: {label: Projects, policy: {}}
    save: projects
  - expect: anna
    mirror:
      tags: {$projects: {label: Archive}}
"""

BROKEN = """\
name: a command that does not exist
users: [anna]
steps:
  - do: tags.crate
    as: anna
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["run", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_all_passing_prints_a_line_each_and_a_summary(
    capsys: pytest.CaptureFixture[str], here: Path
) -> None:
    write(here, "good.scenario.yaml", PASSING)
    status, out, err = run(capsys, "good.scenario.yaml")
    assert status == 0
    assert out == (
        "PASS good.scenario.yaml:1 anna sees her own tag\n"
        "PASS good.scenario.yaml:12 ben sees nothing of it\n"
        "\n"
        "2 passed, 0 failed in 1 file\n"
    )
    assert err == ""  # no progress or timing when standard error is no terminal


def test_a_failure_shows_its_report_and_exits_1(
    capsys: pytest.CaptureFixture[str], here: Path
) -> None:
    write(here, "good.scenario.yaml", PASSING)
    write(here, "bad.scenario.yaml", FAILING)
    status, out, _ = run(capsys, "good.scenario.yaml", "bad.scenario.yaml")
    assert status == 1
    lines = out.splitlines()
    assert lines[:3] == [
        "PASS good.scenario.yaml:1 anna sees her own tag",
        "PASS good.scenario.yaml:12 ben sees nothing of it",
        "FAIL bad.scenario.yaml:1 a label that is not what was created",
    ]
    (outcome,) = [scenarios.run(s) for s in scenarios.load("bad.scenario.yaml")]
    assert scenarios.render_outcome(outcome) in out
    assert "bad.scenario.yaml:8: scenario 'a label that is not what was created'" in out
    assert "tags.$projects.label" in out
    assert lines[-1] == "2 passed, 1 failed in 2 files"


def test_a_file_that_does_not_load_is_an_error_and_the_others_still_run(
    capsys: pytest.CaptureFixture[str], here: Path
) -> None:
    write(here, "a.scenario.yaml", BROKEN)
    write(here, "b.scenario.yaml", PASSING)
    write(here, "c.scenario.yaml", FAILING)
    status, out, _ = run(capsys, ".")
    assert status == 2
    lines = out.splitlines()
    assert lines[0] == "ERROR a.scenario.yaml:4 (does not load)"
    assert lines[1].startswith("PASS b.scenario.yaml:1 ")
    assert lines[3].startswith("FAIL c.scenario.yaml:1 ")
    assert any(
        line.startswith("a.scenario.yaml:4: there is no command 'tags.crate'") for line in lines
    )
    assert lines[-1] == "2 passed, 1 failed, 1 error in 3 files"


def test_a_path_that_is_not_there_is_an_error(
    capsys: pytest.CaptureFixture[str], here: Path
) -> None:
    write(here, "b.scenario.yaml", PASSING)
    status, out, _ = run(capsys, "missing.scenario.yaml", "b.scenario.yaml")
    assert status == 2
    assert out.splitlines()[0] == "ERROR missing.scenario.yaml (does not load)"
    assert "missing.scenario.yaml: no such file or directory" in out
    assert out.splitlines()[-1] == "2 passed, 0 failed, 1 error in 1 file"


def test_directories_are_searched_in_sorted_order_and_shown_as_given(
    capsys: pytest.CaptureFixture[str], here: Path
) -> None:
    write(here, "suite/b/z.scenario.yaml", FAILING)
    write(here, "suite/a.scenario.yaml", PASSING)
    write(here, "suite/b/y.scenario.yaml", PASSING.replace("anna sees", "again anna sees"))
    write(here, "suite/notes.yaml", BROKEN)  # not a scenario file: not searched
    status, out, _ = run(capsys, "suite/")
    assert status == 1
    shown = [line.split()[1] for line in out.splitlines() if line[:4] in ("PASS", "FAIL")]
    assert shown == [
        "suite/a.scenario.yaml:1",
        "suite/a.scenario.yaml:12",
        "suite/b/y.scenario.yaml:1",
        "suite/b/y.scenario.yaml:12",
        "suite/b/z.scenario.yaml:1",
    ]
    assert str(here) not in out


def test_k_selects_by_scenario_name_and_counts_the_rest(
    capsys: pytest.CaptureFixture[str], here: Path
) -> None:
    write(here, "good.scenario.yaml", PASSING)
    write(here, "bad.scenario.yaml", FAILING)
    status, out, _ = run(capsys, ".", "-k", "Anna and not label")
    assert status == 0
    assert out == (
        "PASS good.scenario.yaml:1 anna sees her own tag\n\n"
        "1 passed, 0 failed, 2 deselected in 2 files\n"
    )
    status, out, _ = run(capsys, ".", "-k", "bad")  # the file's name counts too, as in pytest
    assert status == 1 and "1 failed, 2 deselected" in out


def test_k_that_selects_nothing_or_does_not_parse_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], here: Path
) -> None:
    write(here, "good.scenario.yaml", PASSING)
    status, out, err = run(capsys, ".", "-k", "purge")
    assert status == 2
    assert out.splitlines()[-1] == "0 passed, 0 failed, 2 deselected in 1 file"
    assert "no scenario was selected" in err
    status, out, err = run(capsys, ".", "-k", "anna and")
    assert status == 2 and out == ""
    assert "at column 9" in err


def test_exitfirst_stops_at_the_first_failure(
    capsys: pytest.CaptureFixture[str], here: Path
) -> None:
    write(here, "a.scenario.yaml", FAILING)
    write(here, "b.scenario.yaml", PASSING)
    status, out, _ = run(capsys, ".", "-x")
    assert status == 1
    assert [line[:4] for line in out.splitlines() if line[:4] in ("PASS", "FAIL")] == ["FAIL"]
    assert out.splitlines()[-1] == "0 passed, 1 failed in 1 file"


def test_json_is_a_result_document(capsys: pytest.CaptureFixture[str], here: Path) -> None:
    write(here, "a.scenario.yaml", BROKEN)
    write(here, "b.scenario.yaml", PASSING)
    write(here, "c.scenario.yaml", FAILING)
    status, out, _ = run(capsys, ".", "--json")
    assert status == 2
    document = json.loads(out)
    assert [(s["file"], s["line"], s["status"]) for s in document["scenarios"]] == [
        ("b.scenario.yaml", 1, "passed"),
        ("b.scenario.yaml", 12, "passed"),
        ("c.scenario.yaml", 1, "failed"),
    ]
    assert document["scenarios"][0]["failure"] is None
    assert document["scenarios"][0]["name"] == "anna sees her own tag"
    assert "tags.$projects.label" in document["scenarios"][2]["failure"]
    assert document["file_errors"] == [
        {
            "file": "a.scenario.yaml",
            "line": 4,
            "message": document["file_errors"][0]["message"],
        }
    ]
    assert "there is no command 'tags.crate'" in document["file_errors"][0]["message"]
    assert document["summary"] == {
        "passed": 2,
        "failed": 1,
        "errors": 1,
        "deselected": 0,
        "files": 3,
    }
    assert document["exit_status"] == 2


def test_a_crash_in_the_engine_is_an_error_for_that_scenario_only(
    capsys: pytest.CaptureFixture[str], here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run = scenarios.run

    def crashing(scenario: scenarios.Scenario, client: Factory | None) -> scenarios.Outcome:
        if scenario.name.startswith("ben"):
            raise KeyError("a bug")
        return real_run(scenario, client)

    monkeypatch.setattr(scenarios, "run", crashing)
    write(here, "good.scenario.yaml", PASSING)
    status, out, err = run(capsys, "good.scenario.yaml")
    assert status == 2
    lines = out.splitlines()
    assert lines[:2] == [
        "PASS good.scenario.yaml:1 anna sees her own tag",
        "ERROR good.scenario.yaml:12 ben sees nothing of it",
    ]
    assert (
        "good.scenario.yaml:12: scenario 'ben sees nothing of it' crashed the engine "
        "(a bug in eventmirror): KeyError: 'a bug'"
    ) in out
    assert lines[-1] == "1 passed, 0 failed, 1 error in 1 file"
    assert "Traceback" in err and "Traceback" not in out


def test_without_a_path_it_runs_the_bundled_library(
    capsys: pytest.CaptureFixture[str], here: Path
) -> None:
    status, out, _ = run(capsys)
    files = sorted(path.name for path in library().glob("*.scenario.yaml"))
    assert files, "the library holds scenario files"
    shown = {line.split()[1].split(":")[0] for line in out.splitlines()[:-1] if line}
    shown = {entry for entry in shown if entry.endswith(".scenario.yaml")}
    assert shown == set(files)
    assert str(library()) not in out
    assert out.splitlines()[-1].endswith(f"in {len(files)} files")
    assert status == (2 if "ERROR" in out else 1 if "FAIL" in out else 0)


def _run_cli(args: list[str], cwd: Path, seed: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-m", "eventmirror", "run", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        check=False,
        timeout=300,
    )


def test_output_is_the_same_bytes_under_any_hash_seed_and_directory(tmp_path: Path) -> None:
    suite = tmp_path / "one" / "suite"
    write(suite, "a.scenario.yaml", BROKEN)
    write(suite, "b.scenario.yaml", PASSING)
    write(suite, "c.scenario.yaml", FAILING)
    elsewhere = tmp_path / "two"
    elsewhere.mkdir()
    (elsewhere / "suite").symlink_to(suite, target_is_directory=True)
    for args in ([], ["suite"]):
        first = _run_cli(args, suite.parent, "0")
        second = _run_cli(args, elsewhere, "4242")
        assert first.returncode == second.returncode
        assert first.returncode in (0, 1, 2) and first.stdout
        assert first.stdout == second.stdout, args
        assert str(tmp_path).encode() not in first.stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_timing_goes_to_standard_error_only(
    capsys: pytest.CaptureFixture[str], here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(here, "good.scenario.yaml", PASSING)
    _, piped, _ = run(capsys, "good.scenario.yaml")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    status = main(["run", "good.scenario.yaml"])
    assert status == 0
    assert capsys.readouterr().out == piped
    assert re.fullmatch(r"eventmirror run: \d+\.\d\ds\n", terminal.getvalue())

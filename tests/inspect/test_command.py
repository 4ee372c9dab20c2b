"""``eventmirror inspect``'s arguments: a bad one is a usage error with a reason, before any
server starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventmirror.cli import main


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        (["--port", "70000"], "--port must be 0..65535, got 70000"),
        (["--every", "0"], "--every must be at least 1, got 0"),
    ],
)
def test_bad_arguments_are_refused(
    recording: Path, arguments: list[str], reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inspect", str(recording), "--no-open", *arguments]) == 2
    assert capsys.readouterr().err == f"eventmirror inspect: {reason}\n"


def test_a_missing_recording_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothing.jsonl"
    assert main(["inspect", str(missing), "--no-open"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("eventmirror inspect: ") and "nothing.jsonl" in error

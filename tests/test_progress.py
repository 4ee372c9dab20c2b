"""The progress bar of long replays: on a terminal only, only after a second, with events/s."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from eventmirror.progress import BAR_WIDTH, Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("eventmirror.progress.time.monotonic", fake)
    return fake


def test_a_terminal_shows_a_bar_with_the_rate_once_the_work_takes_a_second(clock: Clock) -> None:
    out = Terminal()
    bar = Progress(out, total_bytes=1000)
    clock.now += 0.5
    bar.update(5_000, 100)
    assert out.getvalue() == ""  # quick work shows nothing
    clock.now += 1.5  # two seconds in
    bar.update(50_000, 250)
    shown = out.getvalue()
    filled = BAR_WIDTH // 4
    assert (
        shown == f"\r  [{'#' * filled}{'-' * (BAR_WIDTH - filled)}]  25%  50,000 events"
        "  25,000 events/s\x1b[K"
    )
    bar.close()
    assert out.getvalue().endswith("\r\x1b[K")


def test_without_a_known_size_it_shows_the_counts_only(clock: Clock) -> None:
    out = Terminal()
    bar = Progress(out)
    clock.now += 4
    bar.update(8_000, 123)
    assert out.getvalue() == "\r  8,000 events  2,000 events/s\x1b[K"


def test_it_redraws_at_most_four_times_a_second(clock: Clock) -> None:
    out = Terminal()
    bar = Progress(out, total_bytes=100)
    clock.now += 1
    for step in range(100):
        clock.now += 0.01  # one second of updates every 10 ms
        bar.update(step, step)
    assert out.getvalue().count("\r") == 4


def test_output_that_is_not_a_terminal_gets_nothing(clock: Clock) -> None:
    out = io.StringIO()
    bar = Progress(out, total_bytes=100)
    clock.now += 60
    bar.update(1, 50)
    bar.close()
    assert out.getvalue() == ""


def test_a_replay_piped_to_a_file_writes_no_progress(tmp_path: Path) -> None:
    recording = tmp_path / "day.jsonl"
    lines = [
        f'{{"id":{i},"event":"tag_delete","time":{1700000000 + i},"tag":"t{i}"}}'
        for i in range(20_000)
    ]
    recording.write_text("\n".join(lines) + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "eventmirror", "replay", str(recording)],
        capture_output=True,
        check=True,
    )
    assert done.stderr == b""
    assert b"events/s" not in done.stdout and b"\r" not in done.stdout

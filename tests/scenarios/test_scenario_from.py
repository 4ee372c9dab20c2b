"""``eventmirror scenario-from``: a recording in, a passing scenario that pins its mirror out.

Also the format extension it relies on: ``users:`` as a mapping of names to fixed UUIDs.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
import scenarios
from eventmirror import strategies as st_events
from eventmirror.cli import main
from eventmirror.examples import EXAMPLE, EXAMPLE_ME
from eventmirror.recording import iter_records
from scenarios.fromrecording import ScenarioFromError, check, make_scenario
from scenarios.names import resolve
from simulator import DEFAULT_START
from tests.support import ME, OTHER

pytest_plugins = ["pytester"]


def tag(id: int, time: int, label: str, tag: str = "t1") -> dict[str, Any]:
    return {
        "id": id,
        "event": "tag_new",
        "time": time,
        "tag": tag,
        "owner": ME,
        "label": label,
        "foreign_use": False,
        "policy": {ME: 4},
    }


def recording(directory: Path, *lines: dict[str, Any] | bytes, name: str = "day.jsonl") -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"".join(
            (line if isinstance(line, bytes) else json.dumps(line).encode()) + b"\n"
            for line in lines
        )
    )
    return path


def records(path: Path) -> list[bytes]:
    with path.open("rb") as stream:
        return [record.data for record in iter_records(stream)]


def pinned(scenario: scenarios.Scenario) -> Any:
    (_, expect) = scenario.steps
    assert isinstance(expect, scenarios.format.Expect) and expect.strict
    return expect.mirror


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["scenario-from", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    copy = tmp_path / "office-day.jsonl"
    copy.write_bytes(EXAMPLE.read_bytes())
    return copy


def test_the_bundled_example_becomes_a_passing_scenario_next_to_it(
    capsys: pytest.CaptureFixture[str], example: Path
) -> None:
    status, out, err = cli(capsys, "office-day.jsonl", "--me", EXAMPLE_ME)
    assert (status, err) == (0, "")
    written = example.with_name("office-day.scenario.yaml")
    assert out == f"wrote {written.name}: it passes; run it with: eventmirror run {written.name}\n"
    (scenario,) = scenarios.load(written)
    assert scenario.users == ("me",) and scenario.user_uuids == {"me": EXAMPLE_ME}
    assert scenarios.run(scenario).passed
    # The pin is the JSON form of a plain fold of the recording, every section of it.
    expected = reducers.to_json(reducers.fold(records(example), me=EXAMPLE_ME))
    assert resolve(pinned(scenario), {"me": EXAMPLE_ME}, text_keys=True) == expected
    assert set(pinned(scenario)) == set(expected)
    assert pinned(scenario)["stream"]["me"] == "$me"
    # And `eventmirror run` agrees.
    assert main(["run", written.name]) == 0
    assert capsys.readouterr().out.endswith("1 passed, 0 failed in 1 file\n")


def test_the_written_scenario_passes_under_pytest(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    (pytester.path / "day.jsonl").write_bytes(EXAMPLE.read_bytes())
    assert main(["scenario-from", "day.jsonl", "--me", EXAMPLE_ME]) == 0
    capsys.readouterr()
    result = pytester.runpytest("day.scenario.yaml", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_the_scenario_catches_a_change_in_what_the_recording_replays_to(
    capsys: pytest.CaptureFixture[str], example: Path
) -> None:
    assert cli(capsys, example.name, "--me", EXAMPLE_ME)[0] == 0
    lines = example.read_bytes().splitlines(keepends=True)
    example.write_bytes(b"".join(lines[:10] + lines[11:]))  # one event lost
    (outcome,) = [scenarios.run(s) for s in scenarios.load("office-day.scenario.yaml")]
    assert not outcome.passed
    report = scenarios.render_outcome(outcome)
    assert "stream.gaps[0]" in report and "stream.missing" in report


def test_without_me_the_user_is_minted_and_still_shown_as_me(
    capsys: pytest.CaptureFixture[str], example: Path
) -> None:
    status, _, _ = cli(capsys, example.name)
    assert status == 0
    (scenario,) = scenarios.load("office-day.scenario.yaml")
    assert scenario.users == ("me",) and scenario.user_uuids == {}
    outcome = scenarios.run(scenario)
    assert outcome.passed
    minted = outcome.names["me"]
    assert minted != EXAMPLE_ME
    expected = reducers.to_json(reducers.fold(records(example), me=minted))
    assert resolve(pinned(scenario), outcome.names, text_keys=True) == expected


def test_dollars_are_escaped_and_only_the_whole_uuid_is_named(tmp_path: Path) -> None:
    path = recording(
        tmp_path,
        tag(0, 1_000, "$5 deal"),
        tag(1, 1_001, "$$", tag="$t2"),
        tag(2, 1_002, "costs 5$, see $ME", tag="t3"),
        tag(3, 1_003, f"{ME}.pdf", tag=ME),
    )
    out = tmp_path / "day.scenario.yaml"
    text = make_scenario(path, out, me=ME)
    assert "label: $$5 deal" in text and "label: $$$$\n" in text and "$$t2:" in text
    assert "label: costs 5$$, see $$ME" in text
    assert f"label: {ME}.pdf" in text  # $me.pdf would name "me.pdf"
    assert check(text, out) is None
    (scenario,) = scenarios.loads(text, str(out))
    assert set(pinned(scenario)["tags"]) == {"t1", "$$t2", "t3", "$me"}


def test_unicode_line_breaks_survive_the_round_trip(tmp_path: Path) -> None:
    path = recording(
        tmp_path, tag(0, 1_000, "a\x85b"), tag(1, 1_001, "M\u00fcller\u2028", tag="\x85")
    )
    out = tmp_path / "day.scenario.yaml"
    text = make_scenario(path, out, me=ME)
    assert "Müller" in text  # readable, not escaped
    assert check(text, out) is None


def test_a_recording_older_than_the_simulators_clock_starts_the_scenario_at_its_first_event(
    tmp_path: Path,
) -> None:
    first = DEFAULT_START - 86_400
    path = recording(
        tmp_path, b"not json at all", tag(0, first, "P"), tag(1, first - 5, "P2", tag="t2")
    )
    out = tmp_path / "day.scenario.yaml"
    text = make_scenario(path, out, me=ME)
    (scenario,) = scenarios.loads(text, str(out))
    assert scenario.start == first
    stream = pinned(scenario)["stream"]
    assert stream["rejected"] == 1 and stream["time_backwards_count"] == 1
    assert check(text, out) is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "it is empty"),
        (b"\x00\x01binary\n", "it looks binary, not JSON text: a NUL byte at offset 0"),
        (b"garbage\n", "its one record is not an event"),
    ],
)
def test_a_recording_without_events_makes_no_scenario(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "day.jsonl"
    path.write_bytes(content)
    with pytest.raises(ScenarioFromError, match=f"no events in {path}: {reason}"):
        make_scenario(path, tmp_path / "x.scenario.yaml")
    status, _, err = cli(capsys, str(path))
    assert status == 2 and reason in err
    assert not (tmp_path / "day.scenario.yaml").exists()


def test_a_recording_whose_events_have_no_time_makes_no_scenario(tmp_path: Path) -> None:
    path = recording(tmp_path, {"id": 0, "event": "from_a_newer_server"})
    with pytest.raises(ScenarioFromError, match="no event with a time"):
        make_scenario(path, tmp_path / "x.scenario.yaml")


def test_an_existing_scenario_is_overwritten_only_with_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    recording(tmp_path, tag(0, 1_000, "P"))
    Path("day.scenario.yaml").write_text("mine")
    status, _, err = cli(capsys, "day.jsonl")
    assert status == 2 and "exists" in err and "--force" in err
    assert Path("day.scenario.yaml").read_text() == "mine"
    assert cli(capsys, "day.jsonl", "--force", "--name", "tag P is pinned")[0] == 0
    (scenario,) = scenarios.load("day.scenario.yaml")
    assert scenario.name == "tag P is pinned"


def test_out_elsewhere_names_the_recording_relative_to_the_scenario(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    recording(tmp_path / "recordings", tag(0, 1_000, "P"))
    (tmp_path / "tests").mkdir()
    out = "tests/regression.scenario.yaml"
    assert cli(capsys, "recordings/day.jsonl", "--out", out)[0] == 0
    assert "replay: ../recordings/day.jsonl" in Path(out).read_text()
    assert scenarios.run(scenarios.load(out)[0]).passed
    status, _, err = cli(capsys, "recordings/day.jsonl", "--out", "nowhere/x.scenario.yaml")
    assert status == 2 and "no directory nowhere" in err


def test_out_dash_writes_to_standard_output_as_if_in_the_current_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    recording(tmp_path / "rec", tag(0, 1_000, "P"))
    status, out, err = cli(capsys, "rec/day.jsonl", "--out", "-")
    assert (status, err) == (0, "")
    assert "replay: rec/day.jsonl" in out
    (scenario,) = scenarios.loads(out, "here.scenario.yaml")
    assert scenarios.run(scenario).passed
    assert not list(tmp_path.glob("**/*.scenario.yaml"))


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["-"], "standard input will not do"),
        (["missing.jsonl"], "is not a recording file"),
        (["day.jsonl", "--me", "not-a-uuid"], "is not a UUID"),
    ],
)
def test_usage_errors(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    says: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    recording(tmp_path, tag(0, 1_000, "P"))
    status, out, err = cli(capsys, *argv)
    assert status == 2 and out == "" and says in err
    assert not Path("day.scenario.yaml").exists()


@given(
    st_events.wire_streams(max_size=12),
    st.lists(st.binary(max_size=8), max_size=2),
    # A pooled UUID as me: the stream's texts then hold the user's own UUID too.
    st.sampled_from([ME, None, st_events.UUID_POOL[0]]),
)
def test_any_stream_becomes_a_scenario_that_passes(
    stream: list[dict[str, Any]], junk: list[bytes], me: str | None
) -> None:
    """Whatever a recording holds (odd texts, numbers, keys, lines that are no event), the
    scenario made from it loads back and passes."""
    with tempfile.TemporaryDirectory() as directory:
        lines: list[dict[str, Any] | bytes] = [*stream, *(b"x" + line for line in junk)]
        path = recording(Path(directory), *lines)
        out = Path(directory) / "day.scenario.yaml"
        try:
            text = make_scenario(path, out, me=me)
        except ScenarioFromError:
            assert not stream  # only a recording without events makes none
            return
        assert check(text, out) is None


# -- users: as a mapping of names to fixed UUIDs (the format extension) --------------------


def test_users_may_be_given_fixed_uuids() -> None:
    (scenario,) = scenarios.loads(
        f"name: fixed\nusers: {{anna: {ME}, ben: {OTHER}}}\n"
        "steps:\n  - expect: anna\n    mirror: {stream: {me: $anna}}\n"
    )
    assert scenario.users == ("anna", "ben")
    outcome = scenarios.run(scenario)
    assert outcome.passed
    assert outcome.names == {"anna": ME, "ben": OTHER}


@pytest.mark.parametrize(
    ("users", "line", "says"),
    [
        ("{anna: 12}", 2, "user 'anna' is given 12, which is not a UUID"),
        (f"{{anna: {ME}x}}", 2, "which is not a UUID"),
        (f"\n  anna: {ME}\n  ben: {ME}", 4, f"'anna' has the UUID {ME} already"),
        ("{}", 2, "or a mapping of names to UUIDs"),
        (f"{{$anna: {ME}}}", 2, "is not a name"),
    ],
)
def test_fixed_uuids_are_checked_with_their_line(users: str, line: int, says: str) -> None:
    text = f"name: fixed\nusers: {users}\nsteps:\n  - advance: 1\n"
    with pytest.raises(scenarios.ScenarioFileError) as raised:
        scenarios.loads(text, "x.scenario.yaml")
    assert raised.value.line == line
    assert says in raised.value.message

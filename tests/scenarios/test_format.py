"""A mistake in a scenario file is reported with its line and key before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest

import scenarios
from scenarios import ScenarioFileError

HEAD = "name: s\nusers: [anna, ben]\nsteps:\n"


def mistake(steps: str, head: str = HEAD) -> ScenarioFileError:
    with pytest.raises(ScenarioFileError) as raised:
        scenarios.loads(head + steps, "x.scenario.yaml")
    return raised.value


def test_a_well_formed_scenario_loads_with_typed_steps() -> None:
    (scenario,) = scenarios.loads(
        HEAD
        + "  - do: tags.create\n    as: anna\n    with: {label: P}\n    save: p\n"
        + "  - advance: 5\n"
        + "  - expect: ben\n    mirror: {tags: {$p: !absent }}\n",
        "x",
    )
    assert scenario.users == ("anna", "ben")
    assert dict(scenario.sessions) == {"anna": "anna", "ben": "ben"}
    assert [type(step).__name__ for step in scenario.steps] == ["Do", "Advance", "Expect"]
    assert [step.line for step in scenario.steps] == [4, 8, 9]


@pytest.mark.parametrize(
    ("steps", "line", "says"),
    [
        (
            "  - do: tags.craete\n    as: anna\n",
            4,
            "no command 'tags.craete'; did you mean 'tags.create'",
        ),
        ("  - do: conference.subscribe\n", 4, "subscriptions are their own step"),
        ("  - do: tags.create\n    as: anna\n", 4, "needs the argument 'label'"),
        ("  - do: tags.create\n    with: {label: x}\n", 4, "is done by a user: add 'as: <user>'"),
        ("  - do: box.offline\n    as: anna\n    with: {box: x}\n", 5, "done by the platform"),
        (
            "  - do: tags.create\n    as: anna\n    with: {label: x, actor: ben}\n",
            6,
            "the acting user is given by 'as', not by 'actor'",
        ),
        (
            "  - do: chat.add_member\n    as: anna\n    with: {chat: x, who: ben}\n",
            6,
            "no argument 'who' (its arguments: chat, user)",
        ),
        (
            "  - do: tags.create\n    as: carl\n    with: {label: x}\n",
            5,
            "'carl' is not among the users",
        ),
        (
            "  - do: tags.create\n    as: anna\n    with: {label: x, polcy: {}}\n",
            6,
            "no argument 'polcy'; did you mean 'policy'",
        ),
        (
            "  - do: tags.delete\n    as: anna\n    with: {tag: $projects}\n",
            6,
            "$projects is used before it is saved",
        ),
        ("  - advance: 0\n", 4, "advance is a whole number >= 1"),
        ("  - advance: 5\n    to: ben\n", 5, "a 'advance' step has no key 'to'"),
        ("  - advance: 5\n    expect: ben\n", 4, "exactly one of"),
        ("  - wait: 5\n", 4, "exactly one of"),
        ("  - expect: carol\n    mirror: {}\n", 4, "there is no session 'carol'"),
        ("  - expect: ben\n    mirror: {tag: {}}\n", 5, "no section 'tag'; did you mean 'tags'"),
        ("  - expect: ben\n    mirror: {}\n    strict: yes\n", 6, "strict is true or false"),
        ("  - expect_events: ben\n    events: {event: x}\n", 5, "events is a list"),
        ("  - expect_events: ben\n    events: [{event: tag_nwe}]\n", 5, "did you mean 'tag_new'"),
        ("  - subscribe: conferences\n    session: ben\n    to: x\n", 4, "one subscribes to"),
        ("  - subscribe: calls\n    session: ben\n    to: x\n", 4, "takes no 'to'"),
        ("  - replay: nowhere.jsonl\n    to: ben\n", 4, "there is no recording 'nowhere.jsonl'"),
        ("  - open: ben\n    user: ben\n", 4, "there is a session 'ben' already"),
        ("  - deliver: 3\n    to: ben\n", 4, "deliver takes an event mapping"),
        ("  - deliver: {event: tag_new, x: !any }\n    to: ben\n", 4, "plain data"),
        ("  - do: tags.create\n    as: anna\n    with: {label: $5 off}\n", 6, "write $$"),
        (
            "  - do: tags.create\n    as: anna\n    with: {label: a}\n    save: anna\n",
            7,
            "'anna' is a user already",
        ),
        ("  - 3\n", 4, "is a mapping"),
    ],
)
def test_mistakes_name_line_and_what_is_wrong(steps: str, line: int, says: str) -> None:
    error = mistake(steps)
    assert error.path == "x.scenario.yaml"
    assert says in error.message, error.message
    assert error.line == line, error


@pytest.mark.parametrize(
    ("head", "says"),
    [
        ("users: [a]\nsteps: [{advance: 1}]\n", "needs the key 'name'"),
        ("name: s\nusers: [a]\nsteps: []\n", "at least one step"),
        ("name: s\nusres: [a]\nsteps: [{advance: 1}]\n", "did you mean 'users'"),
        ("name: s\nusers: [a, a]\nsteps: [{advance: 1}]\n", "listed twice"),
        ("name: s\nusers: [1a]\nsteps: [{advance: 1}]\n", "is not a name"),
        ("name: s\nusers: [a]\nsessions: {p: b}\nsteps: [{advance: 1}]\n", "not among the users"),
        ("name: s\nusers: [a]\nstart: yesterday\nsteps: [{advance: 1}]\n", "ISO 8601"),
        ("name: s\nusers: [a]\nuuids: [a]\nsteps: [{advance: 1}]\n", "is a user already"),
        ("- a\n", "a scenario is a mapping"),
    ],
)
def test_mistakes_at_the_top_are_explained(head: str, says: str) -> None:
    assert says in mistake("", head=head).message


def test_two_scenarios_with_one_name_are_an_error() -> None:
    one = "name: s\nusers: [a]\nsteps: [{advance: 1}]\n"
    error = mistake("", head=one + "---\n" + one)
    assert "two scenarios are named 's'" in error.message and error.line == 5


def test_start_takes_epoch_seconds_or_iso_with_zone() -> None:
    body = "users: [a]\nsteps: [{advance: 1}]\n"
    (a,) = scenarios.loads("name: a\nstart: 2026-03-17T08:00:00Z\n" + body)
    (b,) = scenarios.loads("name: b\nstart: 1773734400\n" + body)
    assert a.start == b.start == 1773734400
    assert "zone" in mistake("", head="name: c\nstart: 2026-03-17T08:00:00\n" + body).message


def test_a_recording_path_is_relative_to_the_scenario_file(tmp_path: Path) -> None:
    (tmp_path / "day.jsonl").write_text("")
    path = tmp_path / "r.scenario.yaml"
    path.write_text(HEAD + "  - replay: day.jsonl\n    to: ben\n")
    (scenario,) = scenarios.load(path)
    assert scenario.steps[0].recording == tmp_path / "day.jsonl"  # type: ignore[attr-defined]


def test_a_name_saved_later_in_the_file_is_not_yet_known() -> None:
    steps = (
        "  - do: tags.delete\n    as: anna\n    with: {tag: $p}\n"
        "  - do: tags.create\n    as: anna\n    with: {label: P}\n    save: p\n"
    )
    assert mistake(steps).line == 6
